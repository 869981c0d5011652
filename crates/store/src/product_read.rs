//! The hottest read: one product with its SKUs, as `GET /products/{id}` and every product
//! page need it.

use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::decode::{json, json_text};
use crate::products::{PRODUCT_COLUMNS, ProductRow, SkuRow};

/// A product and its SKUs in one statement returning one row, the SKUs as a JSON array:
/// the hottest read (`GET /products/{id}`) pays one round trip — on SQLite one hand-off to
/// the connection's thread and back — instead of two.
pub async fn product_with_skus(
    c: &mut AnyConnection,
    id: &str,
) -> Result<Option<(ProductRow, Vec<SkuRow>)>> {
    const SKU_FIELDS: &str = "s.id, s.store_id, s.code, s.price, s.currency, s.stock, s.position, s.reserved, s.attributes";
    static SQLITE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {PRODUCT_COLUMNS}, (SELECT json_group_array(json_array({SKU_FIELDS})) \
             FROM (SELECT * FROM skus WHERE product_id = products.id AND removed_at IS NULL \
             ORDER BY position) s) AS skus FROM products WHERE id = $1"
        )
    });
    static POSTGRES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {PRODUCT_COLUMNS}, (SELECT COALESCE(json_agg(json_build_array({SKU_FIELDS}) \
             ORDER BY s.position), '[]')::text FROM skus s \
             WHERE s.product_id = products.id AND s.removed_at IS NULL) AS skus \
             FROM products WHERE id = $1"
        )
    });
    let sql = if c.backend_name() == "SQLite" {
        SQLITE.as_str()
    } else {
        POSTGRES.as_str()
    };
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    let product = ProductRow::from_row(&row)?;
    type Fields = (
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
        i64,
        String,
    );
    let skus: Vec<Fields> = json(&row, "skus")?;
    let skus = skus
        .into_iter()
        .map(
            |(sku_id, store_id, code, price, currency, stock, position, reserved, attrs)| {
                Ok(SkuRow {
                    id: sku_id,
                    product_id: product.id.clone(),
                    store_id,
                    code,
                    price,
                    currency,
                    stock,
                    position,
                    reserved,
                    attributes: json_text(&attrs, "skus.attributes")?,
                })
            },
        )
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(Some((product, skus)))
}
