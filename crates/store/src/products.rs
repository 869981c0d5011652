//! Products, their SKUs and the per-state tab counts.

use sqlx::{AnyConnection, FromRow};

use crate::{Result, duplicate_as};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ProductRow {
    pub id: String,
    pub store_id: String,
    pub title: String,
    pub category: String,
    pub state: String,
    pub delist_kind: Option<String>,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub review_return_state: Option<String>,
    pub review_return_kind: Option<String>,
    pub currency: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
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
}

pub const PRODUCT_COLUMNS: &str = "id, store_id, title, category, state, delist_kind, reason_code, \
     reason_text, review_return_state, review_return_kind, currency, created_at, updated_at, version";

const SKU_COLUMNS: &str =
    "id, product_id, store_id, code, price, currency, stock, position, reserved";

pub async fn insert_product(c: &mut AnyConnection, p: &ProductRow, skus: &[SkuRow]) -> Result<()> {
    sqlx::query(
        "INSERT INTO products (id, store_id, title, category, state, delist_kind, reason_code,
            reason_text, review_return_state, review_return_kind, currency, created_at,
            updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&p.id)
    .bind(&p.store_id)
    .bind(&p.title)
    .bind(&p.category)
    .bind(&p.state)
    .bind(&p.delist_kind)
    .bind(&p.reason_code)
    .bind(&p.reason_text)
    .bind(&p.review_return_state)
    .bind(&p.review_return_kind)
    .bind(&p.currency)
    .bind(p.created_at)
    .bind(p.updated_at)
    .bind(p.version)
    .execute(&mut *c)
    .await?;
    for s in skus {
        sqlx::query(
            "INSERT INTO skus (id, product_id, store_id, code, price, currency, stock, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&s.id)
        .bind(&s.product_id)
        .bind(&s.store_id)
        .bind(&s.code)
        .bind(&s.price)
        .bind(&s.currency)
        .bind(s.stock)
        .bind(s.position)
        .execute(&mut *c)
        .await
        .map_err(duplicate_as("sku code"))?;
    }
    Ok(())
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
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
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
            "SELECT {SKU_COLUMNS} FROM skus WHERE product_id IN ({marks}) ORDER BY product_id, position"
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
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
    let done = sqlx::query(
        "UPDATE products SET state = $1, delist_kind = $2, reason_code = $3, reason_text = $4,
             review_return_state = $5, review_return_kind = $6, updated_at = $7, version = $8
         WHERE id = $9 AND version = $10",
    )
    .bind(&p.state)
    .bind(&p.delist_kind)
    .bind(&p.reason_code)
    .bind(&p.reason_text)
    .bind(&p.review_return_state)
    .bind(&p.review_return_kind)
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

/// What the product list may filter on; every field narrows (AND).
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub store_id: String,
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

enum Param {
    Text(String),
    Int(i64),
}

/// The page query and its parameters, numbered in order.
fn build_page_query(f: &ProductFilter) -> (String, Vec<Param>) {
    let mut sql = format!("SELECT {PRODUCT_COLUMNS} FROM products WHERE store_id = $1");
    let mut params = vec![Param::Text(f.store_id.clone())];
    let mut push = |sql: &mut String, clause: &str, p: Param| {
        params.push(p);
        sql.push_str(&clause.replace("$?", &format!("${}", params.len())));
    };
    for (column, values) in [("state", &f.states), ("delist_kind", &f.delist_kinds)] {
        if let Some(values) = values {
            if values.len() == 1 {
                push(
                    &mut sql,
                    &format!(" AND {column} = $?"),
                    Param::Text(values[0].clone()),
                );
            } else {
                sql.push_str(&format!(" AND {column} IN ("));
                for (i, v) in values.iter().enumerate() {
                    let sep = if i == 0 { "$?" } else { ", $?" };
                    push(&mut sql, sep, Param::Text(v.clone()));
                }
                sql.push(')');
            }
        }
    }
    if let Some(r) = &f.reason_code {
        push(&mut sql, " AND reason_code = $?", Param::Text(r.clone()));
    }
    if let Some(cat) = &f.category {
        push(&mut sql, " AND category = $?", Param::Text(cat.clone()));
    }
    if let Some(q) = &f.title_contains {
        let escaped = q
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        push(
            &mut sql,
            " AND lower(title) LIKE $? ESCAPE '\\'",
            Param::Text(format!("%{escaped}%")),
        );
    }
    for (clause, value) in [
        (" AND created_at >= $?", f.created_from),
        (" AND created_at < $?", f.created_to),
        (" AND updated_at >= $?", f.updated_from),
        (" AND updated_at < $?", f.updated_to),
    ] {
        if let Some(v) = value {
            push(&mut sql, clause, Param::Int(v));
        }
    }
    if let Some(id) = &f.before_id {
        push(&mut sql, " AND id < $?", Param::Text(id.clone()));
    }
    push(&mut sql, " ORDER BY id DESC LIMIT $?", Param::Int(f.limit));
    (sql, params)
}

/// One page of products, newest first.
pub async fn page(c: &mut AnyConnection, f: &ProductFilter) -> Result<Vec<ProductRow>> {
    let (sql, params) = build_page_query(f);
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for p in params {
        q = match p {
            Param::Text(t) => q.bind(t),
            Param::Int(i) => q.bind(i),
        };
    }
    Ok(q.fetch_all(c).await?)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_query_numbers_parameters_in_order() {
        let f = ProductFilter {
            store_id: "s".into(),
            states: Some(vec!["delisted".into()]),
            delist_kinds: Some(vec!["voluntary".into(), "protective".into()]),
            title_contains: Some("50%_off".into()),
            before_id: Some("x".into()),
            limit: 10,
            ..Default::default()
        };
        let (sql, params) = build_page_query(&f);
        assert_eq!(params.len(), 7);
        assert!(
            sql.contains("state = $2 AND delist_kind IN ($3, $4)"),
            "{sql}"
        );
        assert!(sql.contains("LIKE $5"), "{sql}");
        assert!(sql.ends_with("id < $6 ORDER BY id DESC LIMIT $7"), "{sql}");
        match &params[4] {
            Param::Text(t) => assert_eq!(t, "%50\\%\\_off%"),
            Param::Int(_) => panic!("expected text"),
        }
    }
}
