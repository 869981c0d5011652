//! Stock figures, the movement ledger and pre-sale counters.
//!
//! Every movement is one guarded `UPDATE … RETURNING`: the row changes only if on-hand,
//! reserved and available all stay at or above zero (the rule of
//! `marketdesk_core::stock::Stock::apply`, in the one form that holds under concurrency).
//! On PostgreSQL the row lock and the re-checked `WHERE` serialise racing buyers; on
//! SQLite the single writer does. Either way no sale oversells, across processes too.

use marketdesk_core::listing::{DelistKind, State};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::decode::{named, named_opt};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct StockRow {
    pub id: String,
    pub product_id: String,
    pub store_id: String,
    pub code: String,
    pub price: String,
    pub currency: String,
    pub stock: i64,
    pub reserved: i64,
    pub safety_threshold: Option<i64>,
    pub low_alerted: i64,
    pub presale_cap: Option<i64>,
    pub presale_sold: i64,
    pub presale_ship_by: Option<i64>,
}

const COLUMNS: &str = "id, product_id, store_id, code, price, currency, stock, reserved, safety_threshold, \
    low_alerted, presale_cap, presale_sold, presale_ship_by";

pub async fn sku(c: &mut AnyConnection, id: &str) -> Result<Option<StockRow>> {
    let sql = format!("SELECT {COLUMNS} FROM skus WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn skus_of_product(c: &mut AnyConnection, product_id: &str) -> Result<Vec<StockRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM skus WHERE product_id = $1 AND removed_at IS NULL ORDER BY position"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(product_id)
        .fetch_all(c)
        .await?)
}

/// A SKU below its safety threshold, with its product's title.
#[derive(Debug, Clone, FromRow)]
pub struct LowSkuRow {
    #[sqlx(flatten)]
    pub sku: StockRow,
    pub title: String,
}

/// A store's SKUs whose available stock is below their threshold (the SKU's own, else
/// the store's), emptiest first; removed SKUs and drafts (nothing sells yet) are left out.
pub async fn low_skus(c: &mut AnyConnection, store_id: &str, limit: i64) -> Result<Vec<LowSkuRow>> {
    let columns: Vec<String> = COLUMNS
        .split(',')
        .map(|col| format!("k.{}", col.trim()))
        .collect();
    let sql = format!(
        "SELECT {}, p.title FROM skus k JOIN stores s ON s.id = k.store_id \
         JOIN products p ON p.id = k.product_id \
         WHERE k.store_id = $1 AND k.removed_at IS NULL AND p.state <> 'draft' \
           AND k.stock - k.reserved < COALESCE(k.safety_threshold, s.safety_threshold) \
         ORDER BY k.stock - k.reserved, k.id LIMIT $2",
        columns.join(", ")
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id)
        .bind(limit)
        .fetch_all(c)
        .await?)
}

/// Applies deltas if every figure stays sane; returns the new (on hand, reserved), or
/// `None` when the guard refused (not enough available, or not enough reserved).
pub async fn apply_movement(
    c: &mut AnyConnection,
    sku_id: &str,
    on_hand_delta: i64,
    reserved_delta: i64,
) -> Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "UPDATE skus SET stock = stock + $1, reserved = reserved + $2
         WHERE id = $3 AND stock + $1 >= 0 AND reserved + $2 >= 0 AND (stock + $1) - (reserved + $2) >= 0
           AND ($2 <= 0 OR removed_at IS NULL)
         RETURNING stock, reserved",
    )
    .bind(on_hand_delta)
    .bind(reserved_delta)
    .bind(sku_id)
    .fetch_optional(c)
    .await?)
}

/// Takes `quantity` pre-sale units if a pre-sale is running at `now` with room under its
/// cap; returns the units sold so far, or `None`.
pub async fn take_presale(
    c: &mut AnyConnection,
    sku_id: &str,
    quantity: i64,
    now: i64,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "UPDATE skus SET presale_sold = presale_sold + $1
         WHERE id = $2 AND presale_cap IS NOT NULL AND presale_ship_by > $3 AND presale_sold + $1 <= presale_cap
         RETURNING presale_sold",
    )
    .bind(quantity)
    .bind(sku_id)
    .bind(now)
    .fetch_optional(c)
    .await?)
}

pub async fn give_back_presale(c: &mut AnyConnection, sku_id: &str, quantity: i64) -> Result<()> {
    sqlx::query(
        "UPDATE skus SET presale_sold = presale_sold - $1 WHERE id = $2 AND presale_sold >= $1",
    )
    .bind(quantity)
    .bind(sku_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn start_presale(
    c: &mut AnyConnection,
    sku_id: &str,
    cap: i64,
    ship_by: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE skus SET presale_cap = $1, presale_sold = 0, presale_ship_by = $2 WHERE id = $3",
    )
    .bind(cap)
    .bind(ship_by)
    .bind(sku_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn set_threshold(
    c: &mut AnyConnection,
    sku_id: &str,
    threshold: Option<i64>,
) -> Result<()> {
    sqlx::query("UPDATE skus SET safety_threshold = $1 WHERE id = $2")
        .bind(threshold)
        .bind(sku_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_store_threshold(
    c: &mut AnyConnection,
    store_id: &str,
    threshold: i64,
) -> Result<()> {
    sqlx::query("UPDATE stores SET safety_threshold = $1 WHERE id = $2")
        .bind(threshold)
        .bind(store_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn store_threshold(c: &mut AnyConnection, store_id: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT safety_threshold FROM stores WHERE id = $1")
            .bind(store_id)
            .fetch_one(c)
            .await?,
    )
}

pub async fn set_low_alerted(c: &mut AnyConnection, sku_id: &str, alerted: bool) -> Result<()> {
    sqlx::query("UPDATE skus SET low_alerted = $1 WHERE id = $2")
        .bind(i64::from(alerted))
        .bind(sku_id)
        .execute(c)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct MovementRow {
    pub id: String,
    pub store_id: String,
    pub sku_id: String,
    pub kind: String,
    pub on_hand_delta: i64,
    pub reserved_delta: i64,
    pub on_hand_after: i64,
    pub reserved_after: i64,
    pub reason: Option<String>,
    pub order_id: Option<String>,
    pub actor_id: String,
    pub at: i64,
}

pub async fn insert_movement(c: &mut AnyConnection, m: &MovementRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock_movements (id, store_id, sku_id, kind, on_hand_delta, reserved_delta, on_hand_after,
            reserved_after, reason, order_id, actor_id, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&m.id)
    .bind(&m.store_id)
    .bind(&m.sku_id)
    .bind(&m.kind)
    .bind(m.on_hand_delta)
    .bind(m.reserved_delta)
    .bind(m.on_hand_after)
    .bind(m.reserved_after)
    .bind(&m.reason)
    .bind(&m.order_id)
    .bind(&m.actor_id)
    .bind(m.at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn movements(c: &mut AnyConnection, sku_id: &str) -> Result<Vec<MovementRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, sku_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, reason,
            order_id, actor_id, at FROM stock_movements WHERE sku_id = $1 ORDER BY id",
    )
    .bind(sku_id)
    .fetch_all(c)
    .await?)
}

/// Units of a SKU ordered (and not cancelled) since `since`: the sales velocity.
pub async fn units_sold_since(c: &mut AnyConnection, sku_id: &str, since: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back so both backends answer BIGINT.
        "SELECT CAST(COALESCE(SUM(l.quantity), 0) AS BIGINT) FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE l.sku_id = $1 AND o.state <> 'cancelled' AND o.created_at >= $2",
    )
    .bind(sku_id)
    .bind(since)
    .fetch_one(c)
    .await?)
}

/// A store's SKU by its code.
pub async fn sku_by_code(
    c: &mut AnyConnection,
    store_id: &str,
    code: &str,
) -> Result<Option<StockRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM skus WHERE store_id = $1 AND code = $2 AND removed_at IS NULL"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id)
        .bind(code)
        .fetch_optional(c)
        .await?)
}

/// A store's whole ledger with SKU codes, oldest first (for export).
pub async fn store_ledger(
    c: &mut AnyConnection,
    store_id: &str,
) -> Result<Vec<(String, MovementRow)>> {
    let rows: Vec<StoreMovement> = sqlx::query_as(
        "SELECT s.code, m.id, m.store_id, m.sku_id, m.kind, m.on_hand_delta, m.reserved_delta, m.on_hand_after,
            m.reserved_after, m.reason, m.order_id, m.actor_id, m.at
         FROM stock_movements m JOIN skus s ON s.id = m.sku_id WHERE m.store_id = $1 ORDER BY m.id",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.code,
                MovementRow {
                    id: r.id,
                    store_id: r.store_id,
                    sku_id: r.sku_id,
                    kind: r.kind,
                    on_hand_delta: r.on_hand_delta,
                    reserved_delta: r.reserved_delta,
                    on_hand_after: r.on_hand_after,
                    reserved_after: r.reserved_after,
                    reason: r.reason,
                    order_id: r.order_id,
                    actor_id: r.actor_id,
                    at: r.at,
                },
            )
        })
        .collect())
}

#[derive(FromRow)]
struct StoreMovement {
    code: String,
    id: String,
    store_id: String,
    sku_id: String,
    kind: String,
    on_hand_delta: i64,
    reserved_delta: i64,
    on_hand_after: i64,
    reserved_after: i64,
    reason: Option<String>,
    order_id: Option<String>,
    actor_id: String,
    at: i64,
}

/// A SKU with its product's listing state, in one round trip (the order hot path).
#[derive(Debug, Clone)]
pub struct SkuForSale {
    pub sku: StockRow,
    pub product_state: State,
    pub product_delist_kind: Option<DelistKind>,
    /// warehouse or jit, for a fully-managed store's product.
    pub product_fulfilment: Option<marketdesk_core::programs::fully_managed::Fulfilment>,
}

impl FromRow<'_, AnyRow> for SkuForSale {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(SkuForSale {
            sku: StockRow::from_row(row)?,
            product_state: named(row, "product_state")?,
            product_delist_kind: named_opt(row, "product_delist_kind")?,
            product_fulfilment: named_opt(row, "product_fulfilment")?,
        })
    }
}

/// The SKU with what its product says about selling it, in one statement: it is read for
/// every line of every order.
pub(crate) static SKU_FOR_SALE_SELECT: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        let columns: Vec<String> = COLUMNS
            .split(',')
            .map(|c| format!("s.{}", c.trim()))
            .collect();
        format!(
            "SELECT {}, p.state AS product_state, p.delist_kind AS product_delist_kind,
                p.fulfilment AS product_fulfilment
         FROM skus s JOIN products p ON p.id = s.product_id",
            columns.join(", ")
        )
    });

static SKU_FOR_SALE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{} WHERE s.id = $1 AND s.removed_at IS NULL",
        SKU_FOR_SALE_SELECT.as_str()
    )
});

pub async fn sku_for_sale(c: &mut AnyConnection, id: &str) -> Result<Option<SkuForSale>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(SKU_FOR_SALE.as_str()))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// Many ledger rows in few statements (group commit writes a batch's rows together).
pub async fn insert_movements(c: &mut AnyConnection, rows: &[MovementRow]) -> Result<()> {
    for chunk in rows.chunks(crate::products::INSERT_CHUNK) {
        let sql = format!(
            "INSERT INTO stock_movements (id, store_id, sku_id, kind, on_hand_delta, reserved_delta, on_hand_after,
                reserved_after, reason, order_id, actor_id, at) VALUES {}",
            crate::products::row_groups(chunk.len(), 12)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for m in chunk {
            q = q
                .bind(&m.id)
                .bind(&m.store_id)
                .bind(&m.sku_id)
                .bind(&m.kind)
                .bind(m.on_hand_delta)
                .bind(m.reserved_delta)
                .bind(m.on_hand_after)
                .bind(m.reserved_after)
                .bind(&m.reason)
                .bind(&m.order_id)
                .bind(&m.actor_id)
                .bind(m.at);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}
