//! After-sales rows: tickets and their messages, cases, refunds, refund-only policies,
//! return warehouses with their products, reshipments, and per-store settings.

use marketdesk_core::aftersales::{
    CaseState, CaseType, ReshipmentState, TicketKind, TicketState, TicketTimeout,
};
use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::filter::{Conditions, Param};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct SettingsRow {
    pub store_id: String,
    pub negotiated_enabled: i64,
    pub uploads_labels: i64,
    pub updated_at: i64,
}

pub async fn settings(c: &mut AnyConnection, store_id: &str) -> Result<Option<SettingsRow>> {
    Ok(sqlx::query_as(
        "SELECT store_id, negotiated_enabled, uploads_labels, updated_at FROM aftersales_settings WHERE store_id = $1",
    )
    .bind(store_id)
    .fetch_optional(c)
    .await?)
}

pub async fn put_settings(c: &mut AnyConnection, s: &SettingsRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO aftersales_settings (store_id, negotiated_enabled, uploads_labels, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (store_id) DO UPDATE SET negotiated_enabled = excluded.negotiated_enabled,
           uploads_labels = excluded.uploads_labels, updated_at = excluded.updated_at",
    )
    .bind(&s.store_id)
    .bind(s.negotiated_enabled)
    .bind(s.uploads_labels)
    .bind(s.updated_at)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct PolicyRow {
    pub id: String,
    pub store_id: String,
    pub reason: String,
    pub ceiling: String,
    pub ratio: i64,
    pub created_at: i64,
}

pub async fn policies(c: &mut AnyConnection, store_id: &str) -> Result<Vec<PolicyRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, reason, ceiling, ratio, created_at FROM refund_policies WHERE store_id = $1 ORDER BY id",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?)
}

pub async fn insert_policy(c: &mut AnyConnection, p: &PolicyRow) -> Result<()> {
    sqlx::query("INSERT INTO refund_policies (id, store_id, reason, ceiling, ratio, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&p.id)
        .bind(&p.store_id)
        .bind(&p.reason)
        .bind(&p.ceiling)
        .bind(p.ratio)
        .bind(p.created_at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_policy(c: &mut AnyConnection, store_id: &str, id: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM refund_policies WHERE id = $1 AND store_id = $2")
        .bind(id)
        .bind(store_id)
        .execute(c)
        .await?;
    Ok(r.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct TicketRow {
    pub id: String,
    pub store_id: String,
    pub order_id: String,
    pub order_line_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: TicketKind,
    #[sqlx(try_from = "String")]
    pub state: TicketState,
    #[sqlx(try_from = "String")]
    pub on_timeout: TicketTimeout,
    pub buyer_address: Option<String>,
    pub address_visible_until: Option<i64>,
    pub reshipment_agreed: Option<i64>,
    pub tracking_number: Option<String>,
    pub due_at: i64,
    pub answered_at: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const TICKET: &str = "id, store_id, order_id, order_line_id, kind, state, on_timeout, buyer_address, address_visible_until, reshipment_agreed, tracking_number, due_at, answered_at, created_by, created_at, updated_at";

pub async fn insert_ticket(c: &mut AnyConnection, t: &TicketRow) -> Result<()> {
    let sql = format!(
        "INSERT INTO tickets ({TICKET}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&t.id)
        .bind(&t.store_id)
        .bind(&t.order_id)
        .bind(&t.order_line_id)
        .bind(t.kind.as_str())
        .bind(t.state.as_str())
        .bind(t.on_timeout.as_str())
        .bind(&t.buyer_address)
        .bind(t.address_visible_until)
        .bind(t.reshipment_agreed)
        .bind(&t.tracking_number)
        .bind(t.due_at)
        .bind(t.answered_at)
        .bind(&t.created_by)
        .bind(t.created_at)
        .bind(t.updated_at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn ticket(c: &mut AnyConnection, id: &str) -> Result<Option<TicketRow>> {
    let sql = format!("SELECT {TICKET} FROM tickets WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// Moves a ticket on from `from`; false if it had already moved (answered or waived).
pub async fn update_ticket(
    c: &mut AnyConnection,
    t: &TicketRow,
    from: TicketState,
) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE tickets SET state = $1, reshipment_agreed = $2, tracking_number = $3, answered_at = $4, updated_at = $5
         WHERE id = $6 AND state = $7",
    )
    .bind(t.state.as_str())
    .bind(t.reshipment_agreed)
    .bind(&t.tracking_number)
    .bind(t.answered_at)
    .bind(t.updated_at)
    .bind(&t.id)
    .bind(from.as_str())
    .execute(c)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn tickets(
    c: &mut AnyConnection,
    store_id: Option<&str>,
    state: Option<&str>,
    limit: i64,
) -> Result<Vec<TicketRow>> {
    let mut w = Conditions::default();
    w.eq("store_id", store_id).eq("state", state);
    let limit = w.mark(Param::Int(limit));
    let sql = format!(
        "SELECT {TICKET} FROM tickets{} ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct MessageRow {
    pub id: String,
    pub ticket_id: String,
    pub author_id: String,
    pub author_role: String,
    pub body: String,
    /// JSON array of evidence ids.
    pub evidence_ids: String,
    pub created_at: i64,
}

pub async fn insert_message(c: &mut AnyConnection, m: &MessageRow) -> Result<()> {
    sqlx::query("INSERT INTO ticket_messages (id, ticket_id, author_id, author_role, body, evidence_ids, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&m.id)
        .bind(&m.ticket_id)
        .bind(&m.author_id)
        .bind(&m.author_role)
        .bind(&m.body)
        .bind(&m.evidence_ids)
        .bind(m.created_at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn messages(c: &mut AnyConnection, ticket_id: &str) -> Result<Vec<MessageRow>> {
    Ok(sqlx::query_as(
        "SELECT id, ticket_id, author_id, author_role, body, evidence_ids, created_at FROM ticket_messages WHERE ticket_id = $1 ORDER BY id",
    )
    .bind(ticket_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct CaseRow {
    pub id: String,
    pub store_id: String,
    pub order_id: String,
    pub order_line_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub case_type: CaseType,
    #[sqlx(try_from = "String")]
    pub state: CaseState,
    pub reason: String,
    pub quantity: Option<i64>,
    pub requested_amount: String,
    pub refund_amount: Option<String>,
    pub currency: String,
    pub policy_id: Option<String>,
    pub decided_by: Option<String>,
    pub due_at: Option<i64>,
    pub label_mode: Option<String>,
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
        .bind(&k.decided_by)
        .bind(k.due_at)
        .bind(&k.label_mode)
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
    .bind(&k.decided_by)
    .bind(k.due_at)
    .bind(&k.label_mode)
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

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct WarehouseRow {
    pub id: String,
    pub store_id: String,
    pub country: String,
    pub name: String,
    pub address: String,
    pub is_default: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const WAREHOUSE: &str = "id, store_id, country, name, address, is_default, created_at, updated_at";

pub async fn insert_warehouse(c: &mut AnyConnection, w: &WarehouseRow) -> Result<()> {
    let sql = format!(
        "INSERT INTO return_warehouses ({WAREHOUSE}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&w.id)
        .bind(&w.store_id)
        .bind(&w.country)
        .bind(&w.name)
        .bind(&w.address)
        .bind(w.is_default)
        .bind(w.created_at)
        .bind(w.updated_at)
        .execute(c)
        .await
        .map_err(crate::duplicate_as("a return warehouse with this name"))?;
    Ok(())
}

pub async fn warehouses(c: &mut AnyConnection, store_id: &str) -> Result<Vec<WarehouseRow>> {
    let sql = format!("SELECT {WAREHOUSE} FROM return_warehouses WHERE store_id = $1 ORDER BY id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id)
        .fetch_all(c)
        .await?)
}

pub async fn warehouse(c: &mut AnyConnection, id: &str) -> Result<Option<WarehouseRow>> {
    let sql = format!("SELECT {WAREHOUSE} FROM return_warehouses WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn update_warehouse(c: &mut AnyConnection, w: &WarehouseRow) -> Result<()> {
    sqlx::query("UPDATE return_warehouses SET name = $1, address = $2, is_default = $3, updated_at = $4 WHERE id = $5")
        .bind(&w.name)
        .bind(&w.address)
        .bind(w.is_default)
        .bind(w.updated_at)
        .bind(&w.id)
        .execute(c)
        .await
        .map_err(crate::duplicate_as("a return warehouse with this name"))?;
    Ok(())
}

/// Clears the default flag of a store's warehouses in one country.
pub async fn clear_default(c: &mut AnyConnection, store_id: &str, country: &str) -> Result<()> {
    sqlx::query("UPDATE return_warehouses SET is_default = 0 WHERE store_id = $1 AND country = $2")
        .bind(store_id)
        .bind(country)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_warehouse(c: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM warehouse_products WHERE warehouse_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await?;
    sqlx::query("DELETE FROM return_warehouses WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn associate(
    c: &mut AnyConnection,
    warehouse_id: &str,
    store_id: &str,
    product_id: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO warehouse_products (warehouse_id, product_id, store_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (warehouse_id, product_id) DO NOTHING",
    )
    .bind(warehouse_id)
    .bind(product_id)
    .bind(store_id)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

/// (product, warehouse) pairs for a store's products, in the order they were associated.
pub async fn associations(c: &mut AnyConnection, store_id: &str) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT product_id, warehouse_id FROM warehouse_products WHERE store_id = $1 ORDER BY created_at, warehouse_id",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?)
}

pub async fn warehouse_product_count(c: &mut AnyConnection, warehouse_id: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM warehouse_products WHERE warehouse_id = $1")
            .bind(warehouse_id)
            .fetch_one(c)
            .await?,
    )
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ReshipmentRow {
    pub id: String,
    pub store_id: String,
    pub order_id: String,
    #[sqlx(try_from = "String")]
    pub state: ReshipmentState,
    pub reason: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub due_at: i64,
    pub created_by: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

const RESHIP: &str = "id, store_id, order_id, state, reason, carrier, tracking_number, due_at, created_by, created_at, decided_at";

pub async fn insert_reshipment(c: &mut AnyConnection, r: &ReshipmentRow) -> Result<()> {
    let sql = format!(
        "INSERT INTO reshipments ({RESHIP}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&r.id)
        .bind(&r.store_id)
        .bind(&r.order_id)
        .bind(r.state.as_str())
        .bind(&r.reason)
        .bind(&r.carrier)
        .bind(&r.tracking_number)
        .bind(r.due_at)
        .bind(&r.created_by)
        .bind(r.created_at)
        .bind(r.decided_at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn reshipment(c: &mut AnyConnection, id: &str) -> Result<Option<ReshipmentRow>> {
    let sql = format!("SELECT {RESHIP} FROM reshipments WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn decide_reshipment(c: &mut AnyConnection, r: &ReshipmentRow) -> Result<bool> {
    let q = sqlx::query(
        "UPDATE reshipments SET state = $1, carrier = $2, tracking_number = $3, decided_at = $4 WHERE id = $5 AND state = 'requested'",
    )
    .bind(r.state.as_str())
    .bind(&r.carrier)
    .bind(&r.tracking_number)
    .bind(r.decided_at)
    .bind(&r.id)
    .execute(c)
    .await?;
    Ok(q.rows_affected() == 1)
}
