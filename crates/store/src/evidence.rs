//! Uploaded file records (evidence, listing images, return labels); the bytes live in
//! [`crate::blobs`], addressed by SHA-256.

use sqlx::{AnyConnection, FromRow};

use crate::Result;

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct EvidenceRow {
    pub id: String,
    /// The uploader's store; None for platform staff uploads.
    pub store_id: Option<String>,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub filename: String,
    pub uploaded_by: String,
    pub created_at: i64,
    /// A picture's thumbnail (PNG), its width and height in pixels.
    pub thumbnail_sha256: Option<String>,
    pub width: Option<i64>,
    pub height: Option<i64>,
}

const COLUMNS: &str = "id, store_id, sha256, size, content_type, filename, uploaded_by, created_at, \
    thumbnail_sha256, width, height";

pub async fn insert(c: &mut AnyConnection, e: &EvidenceRow) -> Result<()> {
    let sql = format!(
        "INSERT INTO evidence ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&e.id)
        .bind(&e.store_id)
        .bind(&e.sha256)
        .bind(e.size)
        .bind(&e.content_type)
        .bind(&e.filename)
        .bind(&e.uploaded_by)
        .bind(e.created_at)
        .bind(&e.thumbnail_sha256)
        .bind(e.width)
        .bind(e.height)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn by_ids(c: &mut AnyConnection, ids: &[String]) -> Result<Vec<EvidenceRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::products::placeholders(1, ids.len());
    let sql = format!("SELECT {COLUMNS} FROM evidence WHERE id IN ({marks})");
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(c).await?)
}

pub async fn get(c: &mut AnyConnection, id: &str) -> Result<Option<EvidenceRow>> {
    let sql = format!("SELECT {COLUMNS} FROM evidence WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// Whether anything of `store_id` cites the file: a violation against it, a line of a
/// product's timeline, an after-sales case (its evidence or its return label), a ticket
/// message, or a listing image. A platform upload becomes the store's to read this way.
pub async fn cited_in_store(c: &mut AnyConnection, file_id: &str, store_id: &str) -> Result<bool> {
    // Ids are UUIDs, so a quoted id matches one element of a JSON list and nothing else.
    let quoted = format!("%\"{file_id}\"%");
    let cited: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN
            EXISTS (SELECT 1 FROM violations WHERE store_id = $1 AND evidence_ids LIKE $2)
         OR EXISTS (SELECT 1 FROM timeline WHERE store_id = $1 AND evidence_ids LIKE $2)
         OR EXISTS (SELECT 1 FROM aftersales_cases WHERE store_id = $1 AND (evidence_ids LIKE $2 OR label_file_id = $3))
         OR EXISTS (SELECT 1 FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
                    WHERE t.store_id = $1 AND m.evidence_ids LIKE $2)
         OR EXISTS (SELECT 1 FROM products WHERE store_id = $1 AND (main_image_id = $3 OR gallery LIKE $2))
         THEN 1 ELSE 0 END",
    )
    .bind(store_id)
    .bind(quoted)
    .bind(file_id)
    .fetch_one(c)
    .await?;
    Ok(cited == 1)
}

/// Other stores' listings whose main image has exactly these bytes: a picture taken from
/// another seller (盗图), which image rules and advice name.
pub async fn main_image_shared_with(
    c: &mut AnyConnection,
    sha256: &str,
    store_id: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM products p JOIN evidence e ON e.id = p.main_image_id
         WHERE e.sha256 = $1 AND p.store_id <> $2",
    )
    .bind(sha256)
    .bind(store_id)
    .fetch_one(c)
    .await?)
}
