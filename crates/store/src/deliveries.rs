//! Deliveries to channels outside the database (e-mail, SMS, voice, webhooks) and their
//! log of attempts. A row is created once per event, channel and recipient; its id is the
//! message id the far side sees on every attempt.

use marketdesk_core::notify::{DeliveryChannel, DeliveryState};
use sqlx::{AnyConnection, FromRow};

use crate::filter::{Conditions, Param};
use crate::{Backend, Result};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DeliveryRow {
    pub id: String,
    pub store_id: String,
    pub event_id: String,
    pub event_type: String,
    #[sqlx(try_from = "String")]
    pub channel: DeliveryChannel,
    /// A user id, or a webhook subscription id.
    pub recipient: String,
    /// The address, number or URL as it was when the event was dispatched.
    pub target: String,
    pub severity: String,
    #[sqlx(try_from = "String")]
    pub state: DeliveryState,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct AttemptRow {
    pub id: String,
    pub delivery_id: String,
    pub at: i64,
    pub ok: i64,
    pub detail: String,
}

const COLUMNS: &str = "id, store_id, event_id, event_type, channel, recipient, target, severity, state, attempts, next_attempt_at, last_error, created_at, delivered_at";

/// Creates the delivery unless this event already has one for this channel and
/// recipient; true if created.
pub async fn insert(c: &mut AnyConnection, d: &DeliveryRow) -> Result<bool> {
    let sql = format!(
        "INSERT INTO deliveries ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (event_id, channel, recipient) DO NOTHING"
    );
    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&d.id)
        .bind(&d.store_id)
        .bind(&d.event_id)
        .bind(&d.event_type)
        .bind(d.channel.as_str())
        .bind(&d.recipient)
        .bind(&d.target)
        .bind(&d.severity)
        .bind(d.state.as_str())
        .bind(d.attempts)
        .bind(d.next_attempt_at)
        .bind(&d.last_error)
        .bind(d.created_at)
        .bind(d.delivered_at)
        .execute(c)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Claims up to `limit` due deliveries: each gets its attempt counted and its next
/// attempt moved to `lease_until`, so no other sender takes it while this one sends.
/// Run in a write transaction and commit before sending.
pub async fn claim_due(
    c: &mut AnyConnection,
    backend: Backend,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<DeliveryRow>> {
    let sql = crate::dialect::claim(
        backend,
        &format!(
            "SELECT {COLUMNS} FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $1
             ORDER BY next_attempt_at, id LIMIT $2"
        ),
    );
    let mut rows: Vec<DeliveryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
    for r in &mut rows {
        sqlx::query(
            "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2",
        )
        .bind(lease_until)
        .bind(&r.id)
        .execute(&mut *c)
        .await?;
        r.attempts += 1;
    }
    Ok(rows)
}

/// Whether any delivery is due: a read, so an idle sender never takes the writer.
pub async fn any_due(c: &mut AnyConnection, now: i64) -> Result<bool> {
    let row: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $1 LIMIT 1",
    )
    .bind(now)
    .fetch_optional(c)
    .await?;
    Ok(row.is_some())
}

/// Records one attempt's outcome and the delivery's new state, in the caller's
/// transaction. `next` is the retry time when the state stays pending.
pub async fn record(
    c: &mut AnyConnection,
    attempt: &AttemptRow,
    state: DeliveryState,
    next: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO delivery_attempts (id, delivery_id, at, ok, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(&attempt.id)
        .bind(&attempt.delivery_id)
        .bind(attempt.at)
        .bind(attempt.ok)
        .bind(&attempt.detail)
        .execute(&mut *c)
        .await?;
    let error = (attempt.ok == 0).then_some(attempt.detail.as_str());
    let delivered = (state == DeliveryState::Delivered).then_some(attempt.at);
    sqlx::query(
        "UPDATE deliveries SET state = $1, next_attempt_at = $2, last_error = COALESCE($3, last_error),
         delivered_at = COALESCE($4, delivered_at) WHERE id = $5",
    )
    .bind(state.as_str())
    .bind(next)
    .bind(error)
    .bind(delivered)
    .bind(&attempt.delivery_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn get(c: &mut AnyConnection, id: &str) -> Result<Option<DeliveryRow>> {
    let sql = format!("SELECT {COLUMNS} FROM deliveries WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn attempts(c: &mut AnyConnection, delivery_id: &str) -> Result<Vec<AttemptRow>> {
    Ok(sqlx::query_as(
        "SELECT id, delivery_id, at, ok, detail FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id",
    )
    .bind(delivery_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Default, Clone)]
pub struct DeliveryFilter {
    pub store_id: Option<String>,
    pub state: Option<String>,
    pub channel: Option<String>,
    pub event_id: Option<String>,
    pub before: Option<String>,
}

/// Newest first.
pub async fn page(
    c: &mut AnyConnection,
    f: &DeliveryFilter,
    limit: i64,
) -> Result<Vec<DeliveryRow>> {
    let mut w = Conditions::default();
    w.eq("store_id", f.store_id.as_deref())
        .eq("state", f.state.as_deref())
        .eq("channel", f.channel.as_deref())
        .eq("event_id", f.event_id.as_deref());
    if let Some(id) = &f.before {
        w.and("id < $?", Param::Text(id.clone()));
    }
    let limit = w.mark(Param::Int(limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM deliveries{} ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// Puts a delivery back in the queue, due now, with a fresh attempt budget; same id.
pub async fn replay(c: &mut AnyConnection, id: &str, now: i64) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}
