//! Products, their SKUs and the per-state tab counts.

use marketdesk_core::listing::content::Attributes;
use marketdesk_core::listing::{DelistKind, ListingStatus, State};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::decode::{json, named, named_opt, to_json};
use crate::filter::{Conditions, Param, contains_pattern};
use crate::{Result, duplicate_as};

/// A product as stored; its listing status is parsed from its four columns when read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRow {
    pub id: String,
    pub store_id: String,
    pub title: String,
    pub category: String,
    pub description: String,
    pub attributes: Attributes,
    pub main_image_id: Option<String>,
    pub gallery: Vec<String>,
    pub status: ListingStatus,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub currency: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// A fully-managed store's product: stocked at the warehouse or JIT.
    pub fulfilment: Option<marketdesk_core::programs::fully_managed::Fulfilment>,
    /// Qualification documents a special category asks for (evidence ids).
    pub qualification_ids: Vec<String>,
}

impl FromRow<'_, AnyRow> for ProductRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        let return_state: Option<State> = named_opt(row, "review_return_state")?;
        let return_kind: Option<DelistKind> = named_opt(row, "review_return_kind")?;
        Ok(ProductRow {
            id: row.try_get("id")?,
            store_id: row.try_get("store_id")?,
            title: row.try_get("title")?,
            category: row.try_get("category")?,
            description: row.try_get("description")?,
            attributes: json(row, "attributes")?,
            main_image_id: row.try_get("main_image_id")?,
            gallery: json(row, "gallery")?,
            status: ListingStatus {
                state: named(row, "state")?,
                delist_kind: named_opt(row, "delist_kind")?,
                review_return: return_state.map(|s| (s, return_kind)),
            },
            reason_code: row.try_get("reason_code")?,
            reason_text: row.try_get("reason_text")?,
            currency: row.try_get("currency")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            version: row.try_get("version")?,
            fulfilment: named_opt(row, "fulfilment")?,
            qualification_ids: json(row, "qualification_ids")?,
        })
    }
}

/// The four status columns as written: state, delist kind, and where a review returns to.
fn status_columns(
    s: &ListingStatus,
) -> (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
) {
    (
        s.state.as_str(),
        s.delist_kind.map(DelistKind::as_str),
        s.review_return.map(|(st, _)| st.as_str()),
        s.review_return.and_then(|(_, k)| k).map(DelistKind::as_str),
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuRow {
    pub id: String,
    pub product_id: String,
    pub store_id: String,
    pub code: String,
    pub price: String,
    pub currency: String,
    pub stock: i64,
    pub position: i64,
    pub reserved: i64,
    pub attributes: Attributes,
}

impl FromRow<'_, AnyRow> for SkuRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(SkuRow {
            id: row.try_get("id")?,
            product_id: row.try_get("product_id")?,
            store_id: row.try_get("store_id")?,
            code: row.try_get("code")?,
            price: row.try_get("price")?,
            currency: row.try_get("currency")?,
            stock: row.try_get("stock")?,
            position: row.try_get("position")?,
            reserved: row.try_get("reserved")?,
            attributes: json(row, "attributes")?,
        })
    }
}

pub const PRODUCT_COLUMNS: &str = "id, store_id, title, category, description, attributes, \
     main_image_id, gallery, state, delist_kind, reason_code, reason_text, review_return_state, \
     review_return_kind, currency, created_at, updated_at, version, fulfilment, qualification_ids";

const SKU_COLUMNS: &str =
    "id, product_id, store_id, code, price, currency, stock, position, reserved, attributes";

pub async fn insert_product(c: &mut AnyConnection, p: &ProductRow, skus: &[SkuRow]) -> Result<()> {
    let (state, kind, return_state, return_kind) = status_columns(&p.status);
    sqlx::query(
        "INSERT INTO products (id, store_id, title, category, state, delist_kind, reason_code,
            reason_text, review_return_state, review_return_kind, currency, created_at,
            updated_at, version, description, attributes, main_image_id, gallery, fulfilment, qualification_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(&p.id)
    .bind(&p.store_id)
    .bind(&p.title)
    .bind(&p.category)
    .bind(state)
    .bind(kind)
    .bind(&p.reason_code)
    .bind(&p.reason_text)
    .bind(return_state)
    .bind(return_kind)
    .bind(&p.currency)
    .bind(p.created_at)
    .bind(p.updated_at)
    .bind(p.version)
    .bind(&p.description)
    .bind(to_json(&p.attributes))
    .bind(&p.main_image_id)
    .bind(to_json(&p.gallery))
    .bind(p.fulfilment.map(|f| f.as_str()))
    .bind(to_json(&p.qualification_ids))
    .execute(&mut *c)
    .await?;
    for s in skus {
        insert_sku(c, s).await?;
    }
    Ok(())
}

/// A SKU of an existing product; a code the store already uses is a [`crate::StoreError::Duplicate`].
pub async fn insert_sku(c: &mut AnyConnection, s: &SkuRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO skus (id, product_id, store_id, code, price, currency, stock, position, attributes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&s.id)
    .bind(&s.product_id)
    .bind(&s.store_id)
    .bind(&s.code)
    .bind(&s.price)
    .bind(&s.currency)
    .bind(s.stock)
    .bind(s.position)
    .bind(to_json(&s.attributes))
    .execute(&mut *c)
    .await
    .map_err(duplicate_as("sku code"))?;
    Ok(())
}

/// Writes a product's content columns, guarded by its version like a status change.
pub async fn update_content(
    c: &mut AnyConnection,
    p: &ProductRow,
    expected_version: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE products SET title = $1, category = $2, description = $3, attributes = $4,
             main_image_id = $5, gallery = $6, updated_at = $7, version = $8
         WHERE id = $9 AND version = $10",
    )
    .bind(&p.title)
    .bind(&p.category)
    .bind(&p.description)
    .bind(to_json(&p.attributes))
    .bind(&p.main_image_id)
    .bind(to_json(&p.gallery))
    .bind(p.updated_at)
    .bind(p.version)
    .bind(&p.id)
    .bind(expected_version)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A SKU's price and attributes (its stock moves only through the ledger).
pub async fn update_sku(c: &mut AnyConnection, s: &SkuRow) -> Result<()> {
    sqlx::query("UPDATE skus SET price = $1, attributes = $2 WHERE id = $3")
        .bind(&s.price)
        .bind(to_json(&s.attributes))
        .bind(&s.id)
        .execute(c)
        .await?;
    Ok(())
}

/// The position after every SKU the product ever had, removed ones included, so a new
/// SKU never shares a place with an old one.
pub async fn next_sku_position(c: &mut AnyConnection, product_id: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM skus WHERE product_id = $1",
        )
        .bind(product_id)
        .fetch_one(c)
        .await?,
    )
}

/// Takes a SKU off the listing unless units of it are reserved by open orders; false
/// when they are. Its row stays for the ledger and the orders that name it.
pub async fn remove_sku(c: &mut AnyConnection, id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE skus SET removed_at = $1 WHERE id = $2 AND reserved = 0 AND removed_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every SKU code a store ever used, removed SKUs' included (codes are never reused),
/// with the product each belongs to.
pub async fn sku_codes(c: &mut AnyConnection, store_id: &str) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT code, product_id FROM skus WHERE store_id = $1")
            .bind(store_id)
            .fetch_all(c)
            .await?,
    )
}

pub async fn product(c: &mut AnyConnection, id: &str) -> Result<Option<ProductRow>> {
    let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// Loads many products by id in one statement (batch delist).
pub async fn products_by_ids(c: &mut AnyConnection, ids: &[String]) -> Result<Vec<ProductRow>> {
    let mut out = Vec::with_capacity(ids.len());
    // Chunks keep the parameter count well under both backends' limits.
    for chunk in ids.chunks(500) {
        let marks = placeholders(1, chunk.len());
        let sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE id IN ({marks})");
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(out)
}

pub async fn skus_of(c: &mut AnyConnection, product_ids: &[String]) -> Result<Vec<SkuRow>> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for chunk in product_ids.chunks(500) {
        let marks = placeholders(1, chunk.len());
        let sql = format!(
            "SELECT {SKU_COLUMNS} FROM skus WHERE product_id IN ({marks}) AND removed_at IS NULL
             ORDER BY product_id, position"
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(out)
}

/// `$start, $start+1, …` for `n` parameters.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes a product's new listing status, guarded by its version so a concurrent change
/// is detected instead of overwritten. Returns false when the version moved on.
pub async fn update_status(
    c: &mut AnyConnection,
    p: &ProductRow,
    expected_version: i64,
) -> Result<bool> {
    let (state, kind, return_state, return_kind) = status_columns(&p.status);
    let done = sqlx::query(
        "UPDATE products SET state = $1, delist_kind = $2, reason_code = $3, reason_text = $4,
             review_return_state = $5, review_return_kind = $6, updated_at = $7, version = $8
         WHERE id = $9 AND version = $10",
    )
    .bind(state)
    .bind(kind)
    .bind(&p.reason_code)
    .bind(&p.reason_text)
    .bind(return_state)
    .bind(return_kind)
    .bind(p.updated_at)
    .bind(p.version)
    .bind(&p.id)
    .bind(expected_version)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds `delta` to the tab count of (store, state, kind); kind "" for none.
pub async fn bump_count(
    c: &mut AnyConnection,
    store_id: &str,
    state: &str,
    kind: &str,
    delta: i64,
) -> Result<()> {
    if delta == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO product_counts (store_id, state, delist_kind, n) VALUES ($1, $2, $3, $4)
         ON CONFLICT (store_id, state, delist_kind) DO UPDATE SET n = product_counts.n + excluded.n",
    )
    .bind(store_id)
    .bind(state)
    .bind(kind)
    .bind(delta)
    .execute(c)
    .await?;
    Ok(())
}

/// (state, delist kind or "", count) for one store.
pub async fn counts(c: &mut AnyConnection, store_id: &str) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT state, delist_kind, n FROM product_counts WHERE store_id = $1 AND n <> 0",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?)
}

/// The tab counts summed over every store, or over the stores of one site and/or one
/// fulfilment mode.
pub async fn counts_across(
    c: &mut AnyConnection,
    site_code: Option<&str>,
    fulfilment_mode: Option<&str>,
) -> Result<Vec<(String, String, i64)>> {
    let mut w = Conditions::default();
    w.when(true, "c.n <> 0");
    if let Some(site) = site_code {
        w.and(
            "c.store_id IN (SELECT id FROM stores WHERE site_code = $?)",
            Param::Text(site.to_string()),
        );
    }
    if let Some(mode) = fulfilment_mode {
        w.and(
            "c.store_id IN (SELECT id FROM stores WHERE fulfilment_mode = $?)",
            Param::Text(mode.to_string()),
        );
    }
    let sql = format!(
        "SELECT c.state, c.delist_kind, CAST(SUM(c.n) AS BIGINT) AS n FROM product_counts c{} \
         GROUP BY c.state, c.delist_kind",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// What the product list may filter on; every field narrows (AND).
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// One store's products; None: every store's (the platform's search).
    pub store_id: Option<String>,
    /// Only products of stores on this site.
    pub site_code: Option<String>,
    /// Only products of stores run in this fulfilment mode (self_operated, …).
    pub fulfilment_mode: Option<String>,
    /// Only products with a violation case in this progress (awaiting_rectification, …).
    pub progress: Option<String>,
    pub states: Option<Vec<String>>,
    pub delist_kinds: Option<Vec<String>>,
    pub reason_code: Option<String>,
    pub category: Option<String>,
    /// A lower-cased substring of the title.
    pub title_contains: Option<String>,
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub updated_from: Option<i64>,
    pub updated_to: Option<i64>,
    /// Keyset cursor: only ids below this one (pages go newest first).
    pub before_id: Option<String>,
    pub limit: i64,
}

/// The page query and its conditions, parameters numbered in order.
fn build_page_query(f: &ProductFilter) -> (String, Conditions) {
    let mut w = Conditions::default();
    w.eq("store_id", f.store_id.as_deref())
        .any_of("state", f.states.as_deref())
        .any_of("delist_kind", f.delist_kinds.as_deref())
        .eq("reason_code", f.reason_code.as_deref())
        .eq("category", f.category.as_deref())
        .int("created_at", ">=", f.created_from)
        .int("created_at", "<", f.created_to)
        .int("updated_at", ">=", f.updated_from)
        .int("updated_at", "<", f.updated_to);
    if let Some(site) = &f.site_code {
        w.and(
            "store_id IN (SELECT id FROM stores WHERE site_code = $?)",
            Param::Text(site.clone()),
        );
    }
    if let Some(mode) = &f.fulfilment_mode {
        w.and(
            "store_id IN (SELECT id FROM stores WHERE fulfilment_mode = $?)",
            Param::Text(mode.clone()),
        );
    }
    if let Some(p) = &f.progress {
        w.and(
            "id IN (SELECT product_id FROM violations WHERE state = $?)",
            Param::Text(p.clone()),
        );
    }
    if let Some(q) = &f.title_contains {
        w.and(
            "lower(title) LIKE $? ESCAPE '\\'",
            Param::Text(contains_pattern(q)),
        );
    }
    if let Some(id) = &f.before_id {
        w.and("id < $?", Param::Text(id.clone()));
    }
    let limit = w.mark(Param::Int(f.limit));
    let sql = format!(
        "SELECT {PRODUCT_COLUMNS} FROM products{} ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    (sql, w)
}

/// One page of products, newest first.
pub async fn page(c: &mut AnyConnection, f: &ProductFilter) -> Result<Vec<ProductRow>> {
    let (sql, w) = build_page_query(f);
    w.fetch_all(c, sql).await
}

/// `($1, …, $k), ($k+1, …)`: `rows` groups of `cols` placeholders, for multi-row inserts.
pub(crate) fn row_groups(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * cols + 1, cols)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows per multi-row INSERT: far below either backend's limit on bound values.
pub(crate) const INSERT_CHUNK: usize = 200;

/// Sets how a fully-managed store's product is fulfilled.
pub async fn set_fulfilment(
    c: &mut AnyConnection,
    product_id: &str,
    fulfilment: marketdesk_core::programs::fully_managed::Fulfilment,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE products SET fulfilment = $1, updated_at = $2, version = version + 1 WHERE id = $3",
    )
    .bind(fulfilment.as_str())
    .bind(at)
    .bind(product_id)
    .execute(c)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_query_numbers_parameters_in_order() {
        let f = ProductFilter {
            store_id: Some("s".into()),
            states: Some(vec!["delisted".into()]),
            delist_kinds: Some(vec!["voluntary".into(), "protective".into()]),
            title_contains: Some("50%_off".into()),
            before_id: Some("x".into()),
            limit: 10,
            ..Default::default()
        };
        let (sql, w) = build_page_query(&f);
        let params = w.params();
        assert_eq!(params.len(), 7);
        assert!(
            sql.contains("state = $2 AND delist_kind IN ($3, $4)"),
            "{sql}"
        );
        assert!(sql.contains("LIKE $5"), "{sql}");
        assert!(sql.ends_with("id < $6 ORDER BY id DESC LIMIT $7"), "{sql}");
        assert_eq!(params[4], Param::Text("%50\\%\\_off%".into()));
    }
}
