//! The security deposit's rows: the ledger (immutable, a trigger says so), penalties
//! owed, refund requests, and the counts a refund's preconditions read.

use marketdesk_core::programs::deposit::{EntryKind, RefundState};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::Result;
use crate::decode::named;

#[derive(Debug, Clone)]
pub struct EntryRow {
    pub id: String,
    pub store_id: String,
    pub at: i64,
    pub kind: EntryKind,
    pub amount: String,
    pub currency: String,
    pub reason: String,
    /// The violation or penalty a deduction settles.
    pub settles: Option<String>,
    pub refund_request_id: Option<String>,
    /// The payment's or payout's reference.
    pub reference: Option<String>,
    pub actor_id: String,
}

impl<'r> FromRow<'r, AnyRow> for EntryRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(EntryRow {
            id: row.try_get("id")?,
            store_id: row.try_get("store_id")?,
            at: row.try_get("at")?,
            kind: named(row, "kind")?,
            amount: row.try_get("amount")?,
            currency: row.try_get("currency")?,
            reason: row.try_get("reason")?,
            settles: row.try_get("settles")?,
            refund_request_id: row.try_get("refund_request_id")?,
            reference: row.try_get("reference")?,
            actor_id: row.try_get("actor_id")?,
        })
    }
}

pub async fn insert_entry(c: &mut AnyConnection, e: &EntryRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO deposit_entries (id, store_id, at, kind, amount, currency, reason, settles, refund_request_id, reference, actor_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&e.id)
    .bind(&e.store_id)
    .bind(e.at)
    .bind(e.kind.as_str())
    .bind(&e.amount)
    .bind(&e.currency)
    .bind(&e.reason)
    .bind(&e.settles)
    .bind(&e.refund_request_id)
    .bind(&e.reference)
    .bind(&e.actor_id)
    .execute(c)
    .await?;
    Ok(())
}

/// The store's ledger, oldest first (the balance is its running sum).
pub async fn entries(c: &mut AnyConnection, store_id: &str) -> Result<Vec<EntryRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, at, kind, amount, currency, reason, settles, refund_request_id, reference, actor_id
         FROM deposit_entries WHERE store_id = $1 ORDER BY id",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct PenaltyRow {
    pub id: String,
    pub store_id: String,
    pub amount: String,
    pub currency: String,
    pub reason: String,
    pub violation_id: Option<String>,
    pub created_at: i64,
    pub created_by: String,
    pub settled_at: Option<i64>,
    pub settled_by_entry: Option<String>,
}

pub async fn insert_penalty(c: &mut AnyConnection, p: &PenaltyRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO store_penalties (id, store_id, amount, currency, reason, violation_id, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&p.id)
    .bind(&p.store_id)
    .bind(&p.amount)
    .bind(&p.currency)
    .bind(&p.reason)
    .bind(&p.violation_id)
    .bind(p.created_at)
    .bind(&p.created_by)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn penalties(c: &mut AnyConnection, store_id: &str) -> Result<Vec<PenaltyRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, amount, currency, reason, violation_id, created_at, created_by, settled_at, settled_by_entry
         FROM store_penalties WHERE store_id = $1 ORDER BY id",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?)
}

/// Marks a penalty settled by a ledger entry; false when it was settled already.
pub async fn settle_penalty(
    c: &mut AnyConnection,
    id: &str,
    entry_id: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE store_penalties SET settled_at = $1, settled_by_entry = $2 WHERE id = $3 AND settled_at IS NULL",
    )
    .bind(at)
    .bind(entry_id)
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone)]
pub struct RefundRow {
    pub id: String,
    pub store_id: String,
    pub state: RefundState,
    pub reason: String,
    pub amount: String,
    pub currency: String,
    pub requested_at: i64,
    pub requested_by: String,
    pub decided_at: Option<i64>,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub deducted: Option<String>,
    pub refund_amount: Option<String>,
    pub due_at: Option<i64>,
    pub paid_at: Option<i64>,
    pub payout_reference: Option<String>,
    pub late_at: Option<i64>,
}

impl<'r> FromRow<'r, AnyRow> for RefundRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(RefundRow {
            id: row.try_get("id")?,
            store_id: row.try_get("store_id")?,
            state: named(row, "state")?,
            reason: row.try_get("reason")?,
            amount: row.try_get("amount")?,
            currency: row.try_get("currency")?,
            requested_at: row.try_get("requested_at")?,
            requested_by: row.try_get("requested_by")?,
            decided_at: row.try_get("decided_at")?,
            decided_by: row.try_get("decided_by")?,
            decision_note: row.try_get("decision_note")?,
            deducted: row.try_get("deducted")?,
            refund_amount: row.try_get("refund_amount")?,
            due_at: row.try_get("due_at")?,
            paid_at: row.try_get("paid_at")?,
            payout_reference: row.try_get("payout_reference")?,
            late_at: row.try_get("late_at")?,
        })
    }
}

const REFUND_COLUMNS: &str = "id, store_id, state, reason, amount, currency, requested_at, requested_by, \
    decided_at, decided_by, decision_note, deducted, refund_amount, due_at, paid_at, payout_reference, late_at";

pub async fn insert_refund(c: &mut AnyConnection, r: &RefundRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO deposit_refunds (id, store_id, state, reason, amount, currency, requested_at, requested_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&r.id)
    .bind(&r.store_id)
    .bind(r.state.as_str())
    .bind(&r.reason)
    .bind(&r.amount)
    .bind(&r.currency)
    .bind(r.requested_at)
    .bind(&r.requested_by)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn refund(c: &mut AnyConnection, id: &str) -> Result<Option<RefundRow>> {
    let sql = format!("SELECT {REFUND_COLUMNS} FROM deposit_refunds WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// One store's refund requests (or, with `None`, every store's), newest first.
pub async fn refunds(c: &mut AnyConnection, store_id: Option<&str>) -> Result<Vec<RefundRow>> {
    let sql = format!(
        "SELECT {REFUND_COLUMNS} FROM deposit_refunds WHERE ($1 = '' OR store_id = $1) ORDER BY id DESC LIMIT 200"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id.unwrap_or(""))
        .fetch_all(c)
        .await?)
}

/// Writes a refund request's decision, guarded by the state it was read in.
pub async fn update_refund(c: &mut AnyConnection, r: &RefundRow, was: RefundState) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE deposit_refunds SET state = $1, decided_at = $2, decided_by = $3, decision_note = $4, deducted = $5,
            refund_amount = $6, due_at = $7, paid_at = $8, payout_reference = $9, late_at = $10
         WHERE id = $11 AND state = $12",
    )
    .bind(r.state.as_str())
    .bind(r.decided_at)
    .bind(&r.decided_by)
    .bind(&r.decision_note)
    .bind(&r.deducted)
    .bind(&r.refund_amount)
    .bind(r.due_at)
    .bind(r.paid_at)
    .bind(&r.payout_reference)
    .bind(r.late_at)
    .bind(&r.id)
    .bind(was.as_str())
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// (open cases, open tickets, unfinished orders, unpaid penalties) of a store: what
/// stands in the way of a refund. `open_case_states` come from core.
pub async fn unsettled(
    c: &mut AnyConnection,
    store_id: &str,
    open_case_states: &[&str],
) -> Result<(i64, i64, i64, i64)> {
    let states = open_case_states
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM aftersales_cases WHERE store_id = $1 AND state IN ({states})),
                (SELECT COUNT(*) FROM tickets WHERE store_id = $1 AND state = 'awaiting_seller'),
                (SELECT COUNT(*) FROM orders WHERE store_id = $1 AND state IN ('placed', 'shipped')),
                (SELECT COUNT(*) FROM store_penalties WHERE store_id = $1 AND settled_at IS NULL)"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id)
        .fetch_one(c)
        .await?)
}
