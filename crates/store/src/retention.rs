//! Deleting what has served its purpose, a batch at a time: each call removes at most
//! `batch` rows older than `before` and answers how many, so a caller runs many short
//! transactions and writers are never held behind one long delete.

use sqlx::AnyConnection;

use crate::Result;

/// Dispatched events older than `before`, unless a delivery of theirs is still pending
/// (the sender composes its message from the event).
pub async fn outbox(c: &mut AnyConnection, before: i64, batch: i64) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM outbox WHERE id IN (
             SELECT o.id FROM outbox o
             WHERE o.dispatched_at IS NOT NULL AND o.dispatched_at < $1
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = o.id AND d.state = 'pending')
             LIMIT $2)",
    )
    .bind(before)
    .bind(batch)
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}

/// Finished deliveries (delivered, dead or cancelled) older than `before`, with their
/// attempts.
pub async fn deliveries(c: &mut AnyConnection, before: i64, batch: i64) -> Result<u64> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM deliveries
         WHERE state <> 'pending' AND COALESCE(delivered_at, next_attempt_at, created_at) < $1
         LIMIT $2",
    )
    .bind(before)
    .bind(batch)
    .fetch_all(&mut *c)
    .await?;
    let mut done = 0;
    for id in &ids {
        sqlx::query("DELETE FROM delivery_attempts WHERE delivery_id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
        done += sqlx::query("DELETE FROM deliveries WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected();
    }
    Ok(done)
}

/// Idempotency keys recorded before `before`: a retry after that runs anew.
pub async fn idempotency(c: &mut AnyConnection, before: i64, batch: i64) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM idempotency WHERE (user_id, idem_key) IN (
             SELECT user_id, idem_key FROM idempotency WHERE created_at < $1 LIMIT $2)",
    )
    .bind(before)
    .bind(batch)
    .execute(c)
    .await?;
    Ok(done.rows_affected())
}

/// Console sessions last seen before `before` (lapsed ones: they can no longer sign in
/// anyone), and sign-in failure counts last raised before it.
pub async fn sessions(c: &mut AnyConnection, before: i64, batch: i64) -> Result<u64> {
    let sessions = sqlx::query(
        "DELETE FROM console_sessions WHERE id_hash IN (
             SELECT id_hash FROM console_sessions WHERE last_seen_at < $1 LIMIT $2)",
    )
    .bind(before)
    .bind(batch)
    .execute(&mut *c)
    .await?;
    let failures = sqlx::query(
        "DELETE FROM login_failures WHERE key IN (
             SELECT key FROM login_failures WHERE last_at < $1 LIMIT $2)",
    )
    .bind(before)
    .bind(batch)
    .execute(c)
    .await?;
    Ok(sessions.rows_affected() + failures.rows_affected())
}
