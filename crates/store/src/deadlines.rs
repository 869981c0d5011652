//! Durable deadlines. Claiming differs by backend: PostgreSQL locks due rows with
//! `FOR UPDATE SKIP LOCKED`, so several processes share the work and none fires a row
//! another is firing; SQLite has one writer, whose `BEGIN IMMEDIATE` transaction already
//! excludes everyone else.

use marketdesk_core::deadline::{DeadlineKind, DeadlineState};
use sqlx::{AnyConnection, FromRow};

use crate::{Backend, Result};

/// A stored deadline kind: one this version handles, or the name of one it does not (a
/// retired kind, or one written by a newer version), which the worker sets aside as
/// failed instead of refusing to read the whole batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredKind {
    Known(DeadlineKind),
    Unknown(String),
}

impl From<String> for StoredKind {
    fn from(s: String) -> Self {
        match s.parse() {
            Ok(k) => StoredKind::Known(k),
            Err(_) => StoredKind::Unknown(s),
        }
    }
}

impl StoredKind {
    pub fn as_str(&self) -> &str {
        match self {
            StoredKind::Known(k) => k.as_str(),
            StoredKind::Unknown(s) => s,
        }
    }
}

impl std::fmt::Display for StoredKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DeadlineRow {
    pub id: String,
    pub store_id: String,
    #[sqlx(try_from = "String")]
    pub kind: StoredKind,
    pub subject_id: String,
    pub due_at: i64,
    #[sqlx(try_from = "String")]
    pub state: DeadlineState,
    pub created_at: i64,
    pub fired_at: Option<i64>,
    pub fired_by: Option<String>,
}

pub async fn insert(c: &mut AnyConnection, d: &DeadlineRow) -> Result<()> {
    insert_sql(c, d, "").await
}

/// Inserts unless a deadline with the same id exists: two processes scheduling the same
/// run under the same id (the monitoring schedule's) schedule it once.
pub async fn insert_once(c: &mut AnyConnection, d: &DeadlineRow) -> Result<()> {
    insert_sql(c, d, " ON CONFLICT (id) DO NOTHING").await
}

async fn insert_sql(c: &mut AnyConnection, d: &DeadlineRow, tail: &str) -> Result<()> {
    let sql = format!(
        "INSERT INTO deadlines (id, store_id, kind, subject_id, due_at, state, created_at, fired_at, fired_by)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, NULL, NULL){tail}"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&d.id)
        .bind(&d.store_id)
        .bind(d.kind.as_str())
        .bind(&d.subject_id)
        .bind(d.due_at)
        .bind(d.created_at)
        .execute(c)
        .await?;
    Ok(())
}

/// Locks the pending deadlines about `subject_id` for this transaction (PostgreSQL; SQLite's
/// one writer already excludes the worker). A use case that may end them takes this lock
/// before it touches their subject: the deadline worker holds a deadline and then writes
/// its subject, so taking the two in the same order means neither waits on the other.
pub async fn lock_pending(c: &mut AnyConnection, backend: Backend, subject_id: &str) -> Result<()> {
    if backend == Backend::Postgres {
        sqlx::query(
            "SELECT id FROM deadlines WHERE subject_id = $1 AND state = 'pending' FOR UPDATE",
        )
        .bind(subject_id)
        .fetch_all(c)
        .await?;
    }
    Ok(())
}

/// Cancels the pending deadlines of `kind` about `subject_id` (the step they guarded is done).
pub async fn cancel(c: &mut AnyConnection, subject_id: &str, kind: DeadlineKind) -> Result<()> {
    sqlx::query("UPDATE deadlines SET state = 'cancelled' WHERE subject_id = $1 AND kind = $2 AND state = 'pending'")
        .bind(subject_id)
        .bind(kind.as_str())
        .execute(c)
        .await?;
    Ok(())
}

/// Due pending deadlines, oldest first, locked for this transaction. Must be called in a
/// write transaction; the caller fires them and marks them with [`mark_fired`].
pub async fn claim_due(
    c: &mut AnyConnection,
    backend: Backend,
    now: i64,
    limit: i64,
) -> Result<Vec<DeadlineRow>> {
    let sql = crate::dialect::claim(
        backend,
        "SELECT id, store_id, kind, subject_id, due_at, state, created_at, fired_at, fired_by FROM deadlines
         WHERE state = 'pending' AND due_at <= $1 ORDER BY due_at, id LIMIT $2",
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(limit)
        .fetch_all(c)
        .await?)
}

/// Marks claimed deadlines fired, guarded by their state: a row another process already
/// fired is not counted twice.
pub async fn mark_fired(c: &mut AnyConnection, ids: &[String], now: i64, by: &str) -> Result<u64> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        let marks = crate::products::placeholders(3, chunk.len());
        let sql = format!(
            "UPDATE deadlines SET state = 'fired', fired_at = $1, fired_by = $2 WHERE state = 'pending' AND id IN ({marks})"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)))
            .bind(now)
            .bind(by);
        for id in chunk {
            q = q.bind(id);
        }
        n += q.execute(&mut *c).await?.rows_affected();
    }
    Ok(n)
}

/// Whether any pending deadline is due: a read, so an idle worker never takes the writer.
pub async fn any_due(c: &mut AnyConnection, now: i64) -> Result<bool> {
    let row: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM deadlines WHERE state = 'pending' AND due_at <= $1 LIMIT 1",
    )
    .bind(now)
    .fetch_optional(c)
    .await?;
    Ok(row.is_some())
}

/// Sets a claimed deadline aside: its action failed and would fail again.
pub async fn mark_failed(
    c: &mut AnyConnection,
    id: &str,
    now: i64,
    by: &str,
    error: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE deadlines SET state = 'failed', fired_at = $1, fired_by = $2, last_error = $3 WHERE id = $4 AND state = 'pending'",
    )
    .bind(now)
    .bind(by)
    .bind(error)
    .bind(id)
    .execute(c)
    .await?;
    Ok(())
}

/// The subjects with a pending deadline of `kind` (the monitoring jobs' schedule: one
/// pending run per store).
pub async fn pending_subjects(c: &mut AnyConnection, kind: DeadlineKind) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT subject_id FROM deadlines WHERE kind = $1 AND state = 'pending'",
    )
    .bind(kind.as_str())
    .fetch_all(c)
    .await?)
}
