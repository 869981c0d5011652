//! The per-product operation timeline (操作时间轴). Rows are only ever inserted; the
//! schema's triggers refuse updates and deletes.

use sqlx::{AnyConnection, FromRow};

use crate::Result;

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct TimelineRow {
    pub id: String,
    pub store_id: String,
    pub product_id: String,
    pub at: i64,
    pub actor_id: String,
    pub actor_role: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub delist_kind: Option<String>,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    /// A JSON array of evidence ids.
    pub evidence_ids: String,
}

pub async fn insert(c: &mut AnyConnection, t: &TimelineRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO timeline (id, store_id, product_id, at, actor_id, actor_role, action,
            from_state, to_state, delist_kind, reason_code, reason_text, evidence_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&t.id)
    .bind(&t.store_id)
    .bind(&t.product_id)
    .bind(t.at)
    .bind(&t.actor_id)
    .bind(&t.actor_role)
    .bind(&t.action)
    .bind(&t.from_state)
    .bind(&t.to_state)
    .bind(&t.delist_kind)
    .bind(&t.reason_code)
    .bind(&t.reason_text)
    .bind(&t.evidence_ids)
    .execute(c)
    .await?;
    Ok(())
}

/// A product's history, oldest first (ids are time-ordered).
pub async fn of_product(c: &mut AnyConnection, product_id: &str) -> Result<Vec<TimelineRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, product_id, at, actor_id, actor_role, action, from_state, to_state,
                delist_kind, reason_code, reason_text, evidence_ids
         FROM timeline WHERE product_id = $1 ORDER BY id",
    )
    .bind(product_id)
    .fetch_all(c)
    .await?)
}
