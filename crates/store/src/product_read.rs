//! The hottest read: one product with its SKUs, as `GET /products/{id}` and every product
//! page need it.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::decode::{json, json_text};
use crate::products::{PRODUCT_COLUMNS, ProductRow, SkuRow};

const SKU_FIELDS: &str =
    "s.id, s.store_id, s.code, s.price, s.currency, s.stock, s.position, s.reserved, s.attributes";

/// The SELECT of products with their SKUs as a JSON array, one row per product, for the
/// given `WHERE` clause on `products`.
fn select(sqlite: bool, filter: &str) -> String {
    if sqlite {
        format!(
            "SELECT {PRODUCT_COLUMNS}, (SELECT json_group_array(json_array({SKU_FIELDS})) \
             FROM (SELECT * FROM skus WHERE product_id = products.id AND removed_at IS NULL \
             ORDER BY position) s) AS skus FROM products WHERE {filter}"
        )
    } else {
        format!(
            "SELECT {PRODUCT_COLUMNS}, (SELECT COALESCE(json_agg(json_build_array({SKU_FIELDS}) \
             ORDER BY s.position), '[]')::text FROM skus s \
             WHERE s.product_id = products.id AND s.removed_at IS NULL) AS skus \
             FROM products WHERE {filter}"
        )
    }
}

/// A product and its SKUs in one statement returning one row, the SKUs as a JSON array:
/// the hottest read (`GET /products/{id}`) pays one round trip — on SQLite one hand-off to
/// the connection's thread and back — instead of two.
pub async fn product_with_skus(
    c: &mut AnyConnection,
    id: &str,
) -> Result<Option<(ProductRow, Vec<SkuRow>)>> {
    static SQLITE: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| select(true, "id = $1"));
    static POSTGRES: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| select(false, "id = $1"));
    let sql = if c.backend_name() == "SQLite" {
        SQLITE.as_str()
    } else {
        POSTGRES.as_str()
    };
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    row.as_ref().map(with_skus).transpose()
}

/// Several products with their SKUs in one statement (the ids as one JSON array), for
/// reads that arrive together: one round trip answers them all. Ids not found are absent.
pub async fn products_with_skus(
    c: &mut AnyConnection,
    ids: &[&str],
) -> Result<Vec<(ProductRow, Vec<SkuRow>)>> {
    static SQLITE: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| select(true, "id IN (SELECT value FROM json_each($1))"));
    static POSTGRES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        select(
            false,
            "id = ANY(ARRAY(SELECT json_array_elements_text($1::json)))",
        )
    });
    let sql = if c.backend_name() == "SQLite" {
        SQLITE.as_str()
    } else {
        POSTGRES.as_str()
    };
    let ids = serde_json::to_string(ids).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(ids)
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(with_skus).collect()
}

fn with_skus(row: &AnyRow) -> Result<(ProductRow, Vec<SkuRow>)> {
    let product = ProductRow::from_row(row)?;
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
    let skus: Vec<Fields> = json(row, "skus")?;
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
    Ok((product, skus))
}
