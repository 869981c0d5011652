//! Evidence file records; the bytes live in [`crate::blobs`], addressed by SHA-256.

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
}

pub async fn insert(c: &mut AnyConnection, e: &EvidenceRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO evidence (id, store_id, sha256, size, content_type, filename, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&e.id)
    .bind(&e.store_id)
    .bind(&e.sha256)
    .bind(e.size)
    .bind(&e.content_type)
    .bind(&e.filename)
    .bind(&e.uploaded_by)
    .bind(e.created_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn by_ids(c: &mut AnyConnection, ids: &[String]) -> Result<Vec<EvidenceRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::products::placeholders(1, ids.len());
    let sql = format!(
        "SELECT id, store_id, sha256, size, content_type, filename, uploaded_by, created_at
         FROM evidence WHERE id IN ({marks})"
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in ids {
        q = q.bind(id);
    }
    Ok(q.fetch_all(c).await?)
}
