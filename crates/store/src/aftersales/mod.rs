//! After-sales rows: tickets and their messages, cases, refunds, refund-only policies,
//! return warehouses with their products, reshipments, and per-store settings.

use marketdesk_core::aftersales::{ReshipmentState, TicketKind, TicketState, TicketTimeout};
use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::filter::{Conditions, Param};

mod cases;
pub use cases::*;

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

/// A page of reshipments, newest first; each given value narrows the list.
pub async fn reshipments(
    c: &mut AnyConnection,
    store_id: Option<&str>,
    state: Option<&str>,
    order_id: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<ReshipmentRow>> {
    let mut w = Conditions::default();
    w.eq("store_id", store_id)
        .eq("state", state)
        .eq("order_id", order_id);
    if let Some(id) = before {
        w.and("id < $?", Param::Text(id.to_string()));
    }
    let limit = w.mark(Param::Int(limit));
    let sql = format!(
        "SELECT {RESHIP} FROM reshipments{} ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}
