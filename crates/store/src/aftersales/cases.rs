//! After-sales cases (售后单) and their refunds.

use marketdesk_core::aftersales::{CaseState, CaseType, DecidedBy, LabelMode};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::Result;
use crate::decode::{named, named_opt};
use crate::filter::{Conditions, Param};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: String,
    pub store_id: String,
    pub order_id: String,
    pub order_line_id: Option<String>,
    pub case_type: CaseType,
    pub state: CaseState,
    pub reason: String,
    pub quantity: Option<i64>,
    pub requested_amount: String,
    pub refund_amount: Option<String>,
    pub currency: String,
    pub policy_id: Option<String>,
    pub decided_by: Option<DecidedBy>,
    pub due_at: Option<i64>,
    pub label_mode: Option<LabelMode>,
    pub label_due_at: Option<i64>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub label_file_id: Option<String>,
    pub warehouse_id: Option<String>,
    pub evidence_ids: String,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl FromRow<'_, AnyRow> for CaseRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(CaseRow {
            id: row.try_get("id")?,
            store_id: row.try_get("store_id")?,
            order_id: row.try_get("order_id")?,
            order_line_id: row.try_get("order_line_id")?,
            case_type: named(row, "case_type")?,
            state: named(row, "state")?,
            reason: row.try_get("reason")?,
            quantity: row.try_get("quantity")?,
            requested_amount: row.try_get("requested_amount")?,
            refund_amount: row.try_get("refund_amount")?,
            currency: row.try_get("currency")?,
            policy_id: row.try_get("policy_id")?,
            decided_by: named_opt(row, "decided_by")?,
            due_at: row.try_get("due_at")?,
            label_mode: named_opt(row, "label_mode")?,
            label_due_at: row.try_get("label_due_at")?,
            carrier: row.try_get("carrier")?,
            tracking_number: row.try_get("tracking_number")?,
            label_file_id: row.try_get("label_file_id")?,
            warehouse_id: row.try_get("warehouse_id")?,
            evidence_ids: row.try_get("evidence_ids")?,
            note: row.try_get("note")?,
            created_by: row.try_get("created_by")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

const CASE: &str = "id, store_id, order_id, order_line_id, case_type, state, reason, quantity, requested_amount, refund_amount, currency, policy_id, decided_by, due_at, label_mode, label_due_at, carrier, tracking_number, label_file_id, warehouse_id, evidence_ids, note, created_by, created_at, updated_at";

pub async fn insert_case(c: &mut AnyConnection, k: &CaseRow) -> Result<()> {
    let sql = format!(
        "INSERT INTO aftersales_cases ({CASE}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&k.id)
        .bind(&k.store_id)
        .bind(&k.order_id)
        .bind(&k.order_line_id)
        .bind(k.case_type.as_str())
        .bind(k.state.as_str())
        .bind(&k.reason)
        .bind(k.quantity)
        .bind(&k.requested_amount)
        .bind(&k.refund_amount)
        .bind(&k.currency)
        .bind(&k.policy_id)
        .bind(k.decided_by.map(DecidedBy::as_str))
        .bind(k.due_at)
        .bind(k.label_mode.map(LabelMode::as_str))
        .bind(k.label_due_at)
        .bind(&k.carrier)
        .bind(&k.tracking_number)
        .bind(&k.label_file_id)
        .bind(&k.warehouse_id)
        .bind(&k.evidence_ids)
        .bind(&k.note)
        .bind(&k.created_by)
        .bind(k.created_at)
        .bind(k.updated_at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn case(c: &mut AnyConnection, id: &str) -> Result<Option<CaseRow>> {
    let sql = format!("SELECT {CASE} FROM aftersales_cases WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// Writes a case's changing fields, guarded by the state it was read in; false if it
/// moved meanwhile (a deadline fired, another request decided it).
pub async fn update_case(c: &mut AnyConnection, k: &CaseRow, from: CaseState) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE aftersales_cases SET state = $1, refund_amount = $2, decided_by = $3, due_at = $4, label_mode = $5,
           label_due_at = $6, carrier = $7, tracking_number = $8, label_file_id = $9, warehouse_id = $10,
           evidence_ids = $11, note = $12, updated_at = $13, policy_id = $14
         WHERE id = $15 AND state = $16",
    )
    .bind(k.state.as_str())
    .bind(&k.refund_amount)
    .bind(k.decided_by.map(DecidedBy::as_str))
    .bind(k.due_at)
    .bind(k.label_mode.map(LabelMode::as_str))
    .bind(k.label_due_at)
    .bind(&k.carrier)
    .bind(&k.tracking_number)
    .bind(&k.label_file_id)
    .bind(&k.warehouse_id)
    .bind(&k.evidence_ids)
    .bind(&k.note)
    .bind(k.updated_at)
    .bind(&k.policy_id)
    .bind(&k.id)
    .bind(from.as_str())
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Default, Clone)]
pub struct CaseFilter {
    pub store_id: Option<String>,
    pub case_type: Option<String>,
    pub state: Option<String>,
    pub order_id: Option<String>,
    pub due_before: Option<i64>,
    pub before: Option<String>,
    pub limit: i64,
}

/// Newest first. `due_before` matches a decision or label deadline before that instant.
pub async fn cases(c: &mut AnyConnection, f: &CaseFilter) -> Result<Vec<CaseRow>> {
    let mut w = Conditions::default();
    w.eq("store_id", f.store_id.as_deref())
        .eq("case_type", f.case_type.as_deref())
        .eq("state", f.state.as_deref())
        .eq("order_id", f.order_id.as_deref());
    if let Some(t) = f.due_before {
        w.and(
            "((due_at IS NOT NULL AND due_at < $?) OR (label_due_at IS NOT NULL AND label_due_at < $?))",
            Param::Int(t),
        );
    }
    if let Some(id) = &f.before {
        w.and("id < $?", Param::Text(id.clone()));
    }
    let limit = w.mark(Param::Int(f.limit));
    let sql = format!(
        "SELECT {CASE} FROM aftersales_cases{} ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// Takes the order's row lock (PostgreSQL) so refunds on one order are decided one at a
/// time; SQLite's single writer already does.
pub async fn lock_order(c: &mut AnyConnection, order_id: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE orders SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(order_id)
        .execute(c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RefundRow {
    pub id: String,
    pub store_id: String,
    pub case_id: String,
    pub order_id: String,
    pub order_line_id: String,
    pub amount: String,
    pub currency: String,
    pub created_at: i64,
}

pub async fn insert_refund(c: &mut AnyConnection, r: &RefundRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO refunds (id, store_id, case_id, order_id, order_line_id, amount, currency, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&r.id)
    .bind(&r.store_id)
    .bind(&r.case_id)
    .bind(&r.order_id)
    .bind(&r.order_line_id)
    .bind(&r.amount)
    .bind(&r.currency)
    .bind(r.created_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn refunds_of_order(c: &mut AnyConnection, order_id: &str) -> Result<Vec<RefundRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, case_id, order_id, order_line_id, amount, currency, created_at FROM refunds WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(c)
    .await?)
}

/// The lines a return of several lines covers, in the order given.
pub async fn insert_case_lines(
    c: &mut AnyConnection,
    case_id: &str,
    store_id: &str,
    line_ids: &[String],
) -> Result<()> {
    for id in line_ids {
        sqlx::query(
            "INSERT INTO aftersales_case_lines (case_id, order_line_id, store_id) VALUES ($1, $2, $3)",
        )
        .bind(case_id)
        .bind(id)
        .bind(store_id)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// The lines of a return of several lines; empty for every other case.
pub async fn case_line_ids(c: &mut AnyConnection, case_id: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT order_line_id FROM aftersales_case_lines WHERE case_id = $1 ORDER BY order_line_id",
    )
    .bind(case_id)
    .fetch_all(c)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Refunds newest first, narrowed to a store and/or an order.
pub async fn refunds_page(
    c: &mut AnyConnection,
    store_id: Option<&str>,
    order_id: Option<&str>,
    before_id: Option<&str>,
    limit: i64,
) -> Result<Vec<RefundRow>> {
    let mut w = crate::filter::Conditions::default();
    w.eq("store_id", store_id).eq("order_id", order_id);
    if let Some(id) = before_id {
        w.and("id < $?", crate::filter::Param::Text(id.to_string()));
    }
    let limit = w.mark(crate::filter::Param::Int(limit));
    let sql = format!(
        "SELECT id, store_id, case_id, order_id, order_line_id, amount, currency, created_at FROM refunds{} \
         ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}
