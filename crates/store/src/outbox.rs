//! The transactional outbox: every state change writes its event here in the same
//! transaction, so an event exists if and only if the change committed. Dispatching
//! (notifications, webhooks) reads from it later.

use sqlx::{AnyConnection, FromRow};

use crate::Result;

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: String,
    pub store_id: String,
    pub event_type: String,
    pub subject_id: String,
    /// JSON text.
    pub payload: String,
    pub created_at: i64,
    pub dispatched_at: Option<i64>,
}

pub async fn insert(c: &mut AnyConnection, e: &OutboxRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (id, store_id, event_type, subject_id, payload, created_at, dispatched_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL)",
    )
    .bind(&e.id)
    .bind(&e.store_id)
    .bind(&e.event_type)
    .bind(&e.subject_id)
    .bind(&e.payload)
    .bind(e.created_at)
    .execute(c)
    .await?;
    Ok(())
}

/// Events about one subject (a product), oldest first.
pub async fn for_subject(c: &mut AnyConnection, subject_id: &str) -> Result<Vec<OutboxRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, event_type, subject_id, payload, created_at, dispatched_at
         FROM outbox WHERE subject_id = $1 ORDER BY id",
    )
    .bind(subject_id)
    .fetch_all(c)
    .await?)
}

pub async fn get(c: &mut AnyConnection, id: &str) -> Result<Option<OutboxRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, event_type, subject_id, payload, created_at, dispatched_at
         FROM outbox WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?)
}

/// Many events in few statements (group commit).
pub async fn insert_many(c: &mut AnyConnection, events: &[OutboxRow]) -> Result<()> {
    for chunk in events.chunks(crate::products::INSERT_CHUNK) {
        let sql = format!(
            "INSERT INTO outbox (id, store_id, event_type, subject_id, payload, created_at, dispatched_at) VALUES {}",
            crate::products::row_groups(chunk.len(), 7)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for e in chunk {
            q = q
                .bind(&e.id)
                .bind(&e.store_id)
                .bind(&e.event_type)
                .bind(&e.subject_id)
                .bind(&e.payload)
                .bind(e.created_at)
                .bind(e.dispatched_at);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}
