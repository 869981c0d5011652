//! Inbox messages and the outbox claim the dispatcher reads them from.

use sqlx::{AnyConnection, FromRow};

use crate::filter::{Conditions, Param};
use crate::outbox::OutboxRow;
use crate::{Backend, Result};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct MessageRow {
    pub id: String,
    pub user_id: String,
    pub store_id: String,
    pub event_id: String,
    pub event_type: String,
    pub severity: String,
    pub title: String,
    pub body: String,
    pub subject_id: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, store_id, event_id, event_type, severity, title, body, subject_id, created_at, read_at";

/// Undispatched events, oldest first, locked for this transaction (skipped by other
/// processes on PostgreSQL; SQLite's single writer excludes them anyway).
pub async fn claim_events(
    c: &mut AnyConnection,
    backend: Backend,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    let sql = crate::dialect::claim(
        backend,
        "SELECT id, store_id, event_type, subject_id, payload, created_at, dispatched_at FROM outbox
         WHERE dispatched_at IS NULL ORDER BY id LIMIT $1",
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(limit)
        .fetch_all(c)
        .await?)
}

pub async fn mark_dispatched(c: &mut AnyConnection, id: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE outbox SET dispatched_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

/// Writes a message unless this event already reached this user; true if written.
pub async fn deliver(c: &mut AnyConnection, m: &MessageRow) -> Result<bool> {
    let sql = format!(
        "INSERT INTO inbox ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL)
         ON CONFLICT (event_id, user_id) DO NOTHING"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&m.id)
        .bind(&m.user_id)
        .bind(&m.store_id)
        .bind(&m.event_id)
        .bind(&m.event_type)
        .bind(&m.severity)
        .bind(&m.title)
        .bind(&m.body)
        .bind(&m.subject_id)
        .bind(m.created_at)
        .execute(c)
        .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn page(
    c: &mut AnyConnection,
    user_id: &str,
    unread_only: bool,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    let mut w = Conditions::default();
    w.eq("user_id", Some(user_id))
        .when(unread_only, "read_at IS NULL");
    if let Some(id) = before {
        w.and("id < $?", Param::Text(id.to_string()));
    }
    let limit = w.mark(Param::Int(limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM inbox{} ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// A person's messages after `after` (an id), oldest first: what a live stream that
/// reconnects with `Last-Event-ID` missed.
pub async fn after(
    c: &mut AnyConnection,
    user_id: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<MessageRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM inbox WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .bind(after)
        .bind(limit)
        .fetch_all(c)
        .await?)
}

/// Messages by id (another process delivered them and said so), in id order.
pub async fn by_ids(c: &mut AnyConnection, ids: &[String]) -> Result<Vec<MessageRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Conditions::default();
    w.any_of("id", Some(ids));
    let sql = format!("SELECT {COLUMNS} FROM inbox{} ORDER BY id", w.clause());
    w.fetch_all(c, sql).await
}

pub async fn unread_count(c: &mut AnyConnection, user_id: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM inbox WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(c)
            .await?,
    )
}

/// Marks a user's message read; false if the user has no such message.
pub async fn mark_read(c: &mut AnyConnection, user_id: &str, id: &str, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE inbox SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Whether any event awaits dispatch: a read, so an idle dispatcher never takes the writer.
pub async fn any_pending(c: &mut AnyConnection) -> Result<bool> {
    let row: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM outbox WHERE dispatched_at IS NULL LIMIT 1")
            .fetch_optional(c)
            .await?;
    Ok(row.is_some())
}
