//! Orders and their lines; each line keeps the exact amount paid.

use marketdesk_core::OrderState;
use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::filter::{Conditions, Param};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct OrderRow {
    pub id: String,
    pub store_id: String,
    #[sqlx(try_from = "String")]
    pub state: OrderState,
    pub currency: String,
    pub total: String,
    pub placed_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The platform's reference of the buyer, when the order came with one.
    pub buyer_id: Option<String>,
    /// The affiliate (creator) who brought the order (精选联盟).
    #[sqlx(default)]
    pub affiliate_id: Option<String>,
    /// A JIT order's goods are due at the platform warehouse by then.
    #[sqlx(default)]
    pub jit_due_at: Option<i64>,
    #[sqlx(default)]
    pub inbound_at: Option<i64>,
    #[sqlx(default)]
    pub jit_overdue_at: Option<i64>,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct LineRow {
    pub id: String,
    pub order_id: String,
    pub store_id: String,
    pub sku_id: String,
    pub product_id: String,
    pub quantity: i64,
    pub unit_price: String,
    pub amount: String,
    pub presale: i64,
    pub ship_by: Option<i64>,
    pub shipped_late: i64,
    pub position: i64,
}

pub async fn insert(c: &mut AnyConnection, o: &OrderRow, lines: &[LineRow]) -> Result<()> {
    sqlx::query(
        "INSERT INTO orders (id, store_id, state, currency, total, placed_by, created_at, updated_at, buyer_id,
            affiliate_id, jit_due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&o.id)
    .bind(&o.store_id)
    .bind(o.state.as_str())
    .bind(&o.currency)
    .bind(&o.total)
    .bind(&o.placed_by)
    .bind(o.created_at)
    .bind(o.updated_at)
    .bind(&o.buyer_id)
    .bind(&o.affiliate_id)
    .bind(o.jit_due_at)
    .execute(&mut *c)
    .await?;
    for l in lines {
        sqlx::query(
            "INSERT INTO order_lines (id, order_id, store_id, sku_id, product_id, quantity, unit_price, amount,
                presale, ship_by, shipped_late, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&l.id)
        .bind(&l.order_id)
        .bind(&l.store_id)
        .bind(&l.sku_id)
        .bind(&l.product_id)
        .bind(l.quantity)
        .bind(&l.unit_price)
        .bind(&l.amount)
        .bind(l.presale)
        .bind(l.ship_by)
        .bind(l.shipped_late)
        .bind(l.position)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

pub async fn get(c: &mut AnyConnection, id: &str) -> Result<Option<OrderRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, state, currency, total, placed_by, created_at, updated_at, buyer_id, affiliate_id, jit_due_at, inbound_at, jit_overdue_at FROM orders WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?)
}

pub async fn lines(c: &mut AnyConnection, order_id: &str) -> Result<Vec<LineRow>> {
    Ok(sqlx::query_as(
        "SELECT id, order_id, store_id, sku_id, product_id, quantity, unit_price, amount, presale, ship_by,
            shipped_late, position FROM order_lines WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(c)
    .await?)
}

/// Moves an order from one state to another; false if it was not in `from` any more.
pub async fn set_state(
    c: &mut AnyConnection,
    id: &str,
    from: OrderState,
    to: OrderState,
    now: i64,
) -> Result<bool> {
    let r =
        sqlx::query("UPDATE orders SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4")
            .bind(to.as_str())
            .bind(now)
            .bind(id)
            .bind(from.as_str())
            .execute(c)
            .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn mark_late(c: &mut AnyConnection, line_id: &str) -> Result<()> {
    sqlx::query("UPDATE order_lines SET shipped_late = 1 WHERE id = $1")
        .bind(line_id)
        .execute(c)
        .await?;
    Ok(())
}

/// Many orders and their lines in few statements (group commit).
pub async fn insert_many(c: &mut AnyConnection, os: &[OrderRow], lines: &[LineRow]) -> Result<()> {
    for chunk in os.chunks(crate::products::INSERT_CHUNK) {
        let sql = format!(
            "INSERT INTO orders (id, store_id, state, currency, total, placed_by, created_at, updated_at, buyer_id,
                affiliate_id, jit_due_at) VALUES {}",
            crate::products::row_groups(chunk.len(), 11)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for o in chunk {
            q = q
                .bind(&o.id)
                .bind(&o.store_id)
                .bind(o.state.as_str())
                .bind(&o.currency)
                .bind(&o.total)
                .bind(&o.placed_by)
                .bind(o.created_at)
                .bind(o.updated_at)
                .bind(&o.buyer_id)
                .bind(&o.affiliate_id)
                .bind(o.jit_due_at);
        }
        q.execute(&mut *c).await?;
    }
    for chunk in lines.chunks(crate::products::INSERT_CHUNK) {
        let sql = format!(
            "INSERT INTO order_lines (id, order_id, store_id, sku_id, product_id, quantity, unit_price, amount,
                presale, ship_by, shipped_late, position) VALUES {}",
            crate::products::row_groups(chunk.len(), 12)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for l in chunk {
            q = q
                .bind(&l.id)
                .bind(&l.order_id)
                .bind(&l.store_id)
                .bind(&l.sku_id)
                .bind(&l.product_id)
                .bind(l.quantity)
                .bind(&l.unit_price)
                .bind(&l.amount)
                .bind(l.presale)
                .bind(l.ship_by)
                .bind(l.shipped_late)
                .bind(l.position);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// What the order list may filter on; every field narrows (AND).
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub store_id: Option<String>,
    pub state: Option<String>,
    pub placed_from: Option<i64>,
    pub placed_to: Option<i64>,
    pub buyer_id: Option<String>,
    pub before_id: Option<String>,
    pub limit: i64,
}

fn order_conditions(f: &OrderFilter, with_state: bool) -> Conditions {
    let mut w = Conditions::default();
    w.eq("store_id", f.store_id.as_deref())
        .eq("buyer_id", f.buyer_id.as_deref());
    if with_state {
        w.eq("state", f.state.as_deref());
    }
    w.int("created_at", ">=", f.placed_from)
        .int("created_at", "<", f.placed_to);
    w
}

/// A page of orders, newest first.
pub async fn page(c: &mut AnyConnection, f: &OrderFilter) -> Result<Vec<OrderRow>> {
    let mut w = order_conditions(f, true);
    if let Some(id) = &f.before_id {
        w.and("id < $?", Param::Text(id.clone()));
    }
    let limit = w.mark(Param::Int(f.limit));
    let sql = format!(
        "SELECT id, store_id, state, currency, total, placed_by, created_at, updated_at, buyer_id, affiliate_id, jit_due_at, inbound_at, jit_overdue_at FROM orders{}
         ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// Orders per state under the same filters but the state (the list's tabs).
pub async fn counts(c: &mut AnyConnection, f: &OrderFilter) -> Result<Vec<(String, i64)>> {
    let w = order_conditions(f, false);
    let sql = format!(
        "SELECT state, count(*) FROM orders{} GROUP BY state",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// The lines of many orders, in order and position.
pub async fn lines_of(c: &mut AnyConnection, order_ids: &[String]) -> Result<Vec<LineRow>> {
    let mut out = Vec::new();
    for chunk in order_ids.chunks(500) {
        let marks = crate::products::placeholders(1, chunk.len());
        let sql = format!(
            "SELECT id, order_id, store_id, sku_id, product_id, quantity, unit_price, amount, presale,
                    ship_by, shipped_late, position
             FROM order_lines WHERE order_id IN ({marks}) ORDER BY order_id, position"
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(out)
}

/// Per product: the orders still to ship (placed, not yet shipped or cancelled) and the
/// units they hold, for the delist check's "what will happen".
pub async fn unshipped_by_product(
    c: &mut AnyConnection,
    product_ids: &[String],
) -> Result<Vec<(String, i64, i64)>> {
    let mut out = Vec::new();
    for chunk in product_ids.chunks(500) {
        let marks = crate::products::placeholders(1, chunk.len());
        let sql = format!(
            "SELECT l.product_id, count(DISTINCT l.order_id), CAST(sum(l.quantity) AS BIGINT)
             FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE l.product_id IN ({marks}) AND o.state = 'placed'
             GROUP BY l.product_id"
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(out)
}
