//! The affiliate program's rows: enrolments, campaigns, exits with their notices and
//! compensations, and the order lines the program page and an exit's preview read.

use marketdesk_core::OrderState;
use marketdesk_core::programs::affiliate::{CompensationKind, ExitState};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::Result;
use crate::decode::{json, named, to_json};
use crate::products::placeholders;

#[derive(Debug, Clone, FromRow)]
pub struct EnrolmentRow {
    pub product_id: String,
    pub store_id: String,
    pub commission_percent: String,
    pub enrolled_at: i64,
    pub enrolled_by: String,
    pub left_at: Option<i64>,
    pub exit_id: Option<String>,
}

/// Enrols a product, or changes its commission, or enrols it again after it left.
pub async fn enrol(c: &mut AnyConnection, e: &EnrolmentRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO affiliate_enrolments (product_id, store_id, commission_percent, enrolled_at, enrolled_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (product_id) DO UPDATE SET commission_percent = excluded.commission_percent,
            enrolled_at = CASE WHEN affiliate_enrolments.left_at IS NULL THEN affiliate_enrolments.enrolled_at ELSE excluded.enrolled_at END,
            enrolled_by = excluded.enrolled_by, left_at = NULL, exit_id = NULL",
    )
    .bind(&e.product_id)
    .bind(&e.store_id)
    .bind(&e.commission_percent)
    .bind(e.enrolled_at)
    .bind(&e.enrolled_by)
    .execute(c)
    .await?;
    Ok(())
}

/// The store's enrolments still in the program, by product id.
pub async fn enrolments(c: &mut AnyConnection, store_id: &str) -> Result<Vec<EnrolmentRow>> {
    Ok(sqlx::query_as(
        "SELECT product_id, store_id, commission_percent, enrolled_at, enrolled_by, left_at, exit_id
         FROM affiliate_enrolments WHERE store_id = $1 AND left_at IS NULL ORDER BY product_id",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?)
}

/// Takes products out of the program because an exit ran.
pub async fn leave(
    c: &mut AnyConnection,
    exit_id: &str,
    product_ids: &[String],
    at: i64,
) -> Result<u64> {
    if product_ids.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "UPDATE affiliate_enrolments SET left_at = $1, exit_id = $2 WHERE left_at IS NULL AND product_id IN ({})",
        placeholders(3, product_ids.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(at).bind(exit_id);
    for p in product_ids {
        q = q.bind(p);
    }
    Ok(q.execute(c).await?.rows_affected())
}

#[derive(Debug, Clone)]
pub struct CampaignRow {
    pub id: String,
    pub store_id: String,
    pub name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub created_at: i64,
    pub created_by: String,
    pub product_ids: Vec<String>,
}

pub async fn insert_campaign(c: &mut AnyConnection, r: &CampaignRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO affiliate_campaigns (id, store_id, name, starts_at, ends_at, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&r.id)
    .bind(&r.store_id)
    .bind(&r.name)
    .bind(r.starts_at)
    .bind(r.ends_at)
    .bind(r.created_at)
    .bind(&r.created_by)
    .execute(&mut *c)
    .await?;
    for p in &r.product_ids {
        sqlx::query(
            "INSERT INTO affiliate_campaign_products (campaign_id, product_id) VALUES ($1, $2)",
        )
        .bind(&r.id)
        .bind(p)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// The store's campaigns ending after `after`, soonest first, each with its products.
pub async fn campaigns(
    c: &mut AnyConnection,
    store_id: &str,
    after: i64,
) -> Result<Vec<CampaignRow>> {
    let heads: Vec<(String, String, String, i64, i64, i64, String)> = sqlx::query_as(
        "SELECT id, store_id, name, starts_at, ends_at, created_at, created_by FROM affiliate_campaigns
         WHERE store_id = $1 AND ends_at > $2 ORDER BY starts_at, id",
    )
    .bind(store_id)
    .bind(after)
    .fetch_all(&mut *c)
    .await?;
    let links: Vec<(String, String)> = sqlx::query_as(
        "SELECT cp.campaign_id, cp.product_id FROM affiliate_campaign_products cp
         JOIN affiliate_campaigns k ON k.id = cp.campaign_id
         WHERE k.store_id = $1 AND k.ends_at > $2 ORDER BY cp.product_id",
    )
    .bind(store_id)
    .bind(after)
    .fetch_all(&mut *c)
    .await?;
    Ok(heads
        .into_iter()
        .map(
            |(id, store_id, name, starts_at, ends_at, created_at, created_by)| CampaignRow {
                product_ids: links
                    .iter()
                    .filter(|(k, _)| *k == id)
                    .map(|(_, p)| p.clone())
                    .collect(),
                id,
                store_id,
                name,
                starts_at,
                ends_at,
                created_at,
                created_by,
            },
        )
        .collect())
}

#[derive(Debug, Clone)]
pub struct ExitRow {
    pub id: String,
    pub store_id: String,
    pub state: ExitState,
    pub exit_at: i64,
    pub product_ids: Vec<String>,
    pub buyer_notice: String,
    pub compensation_kind: CompensationKind,
    pub compensation_amount: Option<String>,
    pub currency: String,
    pub created_at: i64,
    pub created_by: String,
    pub cancelled_at: Option<i64>,
    pub ran_at: Option<i64>,
}

impl<'r> FromRow<'r, AnyRow> for ExitRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(ExitRow {
            id: row.try_get("id")?,
            store_id: row.try_get("store_id")?,
            state: named(row, "state")?,
            exit_at: row.try_get("exit_at")?,
            product_ids: json(row, "product_ids")?,
            buyer_notice: row.try_get("buyer_notice")?,
            compensation_kind: named(row, "compensation_kind")?,
            compensation_amount: row.try_get("compensation_amount")?,
            currency: row.try_get("currency")?,
            created_at: row.try_get("created_at")?,
            created_by: row.try_get("created_by")?,
            cancelled_at: row.try_get("cancelled_at")?,
            ran_at: row.try_get("ran_at")?,
        })
    }
}

const EXIT_COLUMNS: &str = "id, store_id, state, exit_at, product_ids, buyer_notice, compensation_kind, \
    compensation_amount, currency, created_at, created_by, cancelled_at, ran_at";

pub async fn insert_exit(c: &mut AnyConnection, e: &ExitRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO affiliate_exits (id, store_id, state, exit_at, product_ids, buyer_notice, compensation_kind,
            compensation_amount, currency, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&e.id)
    .bind(&e.store_id)
    .bind(e.state.as_str())
    .bind(e.exit_at)
    .bind(to_json(&e.product_ids))
    .bind(&e.buyer_notice)
    .bind(e.compensation_kind.as_str())
    .bind(&e.compensation_amount)
    .bind(&e.currency)
    .bind(e.created_at)
    .bind(&e.created_by)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn exit(c: &mut AnyConnection, id: &str) -> Result<Option<ExitRow>> {
    let sql = format!("SELECT {EXIT_COLUMNS} FROM affiliate_exits WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// The store's exits, newest first.
pub async fn exits(c: &mut AnyConnection, store_id: &str) -> Result<Vec<ExitRow>> {
    let sql = format!(
        "SELECT {EXIT_COLUMNS} FROM affiliate_exits WHERE store_id = $1 ORDER BY id DESC LIMIT 200"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id)
        .fetch_all(c)
        .await?)
}

/// Moves an exit from `from` to `to`; false when another request moved it first.
pub async fn set_exit_state(
    c: &mut AnyConnection,
    id: &str,
    from: ExitState,
    to: ExitState,
    at: i64,
) -> Result<bool> {
    let column = match to {
        ExitState::Cancelled => "cancelled_at",
        _ => "ran_at",
    };
    let sql = format!(
        "UPDATE affiliate_exits SET state = $1, {column} = $2 WHERE id = $3 AND state = $4"
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(to.as_str())
        .bind(at)
        .bind(id)
        .bind(from.as_str())
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Products of the store already in a scheduled exit.
pub async fn scheduled_products(
    c: &mut AnyConnection,
    store_id: &str,
) -> Result<Vec<(String, Vec<String>)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, product_ids FROM affiliate_exits WHERE store_id = $1 AND state = 'scheduled'",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, ids)| (id, serde_json::from_str(&ids).unwrap_or_default()))
        .collect())
}

#[derive(Debug, Clone)]
pub struct NoticeRow {
    pub id: String,
    pub exit_id: String,
    pub buyer_id: String,
    pub order_ids: Vec<String>,
    pub sent_at: i64,
}

impl<'r> FromRow<'r, AnyRow> for NoticeRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(NoticeRow {
            id: row.try_get("id")?,
            exit_id: row.try_get("exit_id")?,
            buyer_id: row.try_get("buyer_id")?,
            order_ids: json(row, "order_ids")?,
            sent_at: row.try_get("sent_at")?,
        })
    }
}

pub async fn insert_notice(c: &mut AnyConnection, n: &NoticeRow) -> Result<()> {
    sqlx::query("INSERT INTO affiliate_exit_notices (id, exit_id, buyer_id, order_ids, sent_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&n.id)
        .bind(&n.exit_id)
        .bind(&n.buyer_id)
        .bind(to_json(&n.order_ids))
        .bind(n.sent_at)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn notices(c: &mut AnyConnection, exit_id: &str) -> Result<Vec<NoticeRow>> {
    Ok(sqlx::query_as(
        "SELECT id, exit_id, buyer_id, order_ids, sent_at FROM affiliate_exit_notices WHERE exit_id = $1 ORDER BY buyer_id",
    )
    .bind(exit_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Clone)]
pub struct CompensationRow {
    pub id: String,
    pub exit_id: String,
    pub order_id: String,
    pub buyer_id: Option<String>,
    pub kind: CompensationKind,
    pub amount: Option<String>,
    pub currency: String,
}

impl<'r> FromRow<'r, AnyRow> for CompensationRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(CompensationRow {
            id: row.try_get("id")?,
            exit_id: row.try_get("exit_id")?,
            order_id: row.try_get("order_id")?,
            buyer_id: row.try_get("buyer_id")?,
            kind: named(row, "kind")?,
            amount: row.try_get("amount")?,
            currency: row.try_get("currency")?,
        })
    }
}

pub async fn insert_compensation(c: &mut AnyConnection, r: &CompensationRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO affiliate_exit_compensations (id, exit_id, order_id, buyer_id, kind, amount, currency)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&r.id)
    .bind(&r.exit_id)
    .bind(&r.order_id)
    .bind(&r.buyer_id)
    .bind(r.kind.as_str())
    .bind(&r.amount)
    .bind(&r.currency)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn compensations(c: &mut AnyConnection, exit_id: &str) -> Result<Vec<CompensationRow>> {
    Ok(sqlx::query_as(
        "SELECT id, exit_id, order_id, buyer_id, kind, amount, currency FROM affiliate_exit_compensations
         WHERE exit_id = $1 ORDER BY order_id",
    )
    .bind(exit_id)
    .fetch_all(c)
    .await?)
}

/// An order line of one of the program's products, with what its order says.
#[derive(Debug, Clone)]
pub struct ProgramLine {
    pub product_id: String,
    pub order_id: String,
    pub amount: String,
    pub quantity: i64,
    pub placed_at: i64,
    pub state: OrderState,
    pub buyer_id: Option<String>,
    pub affiliate_id: Option<String>,
}

impl<'r> FromRow<'r, AnyRow> for ProgramLine {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(ProgramLine {
            product_id: row.try_get("product_id")?,
            order_id: row.try_get("order_id")?,
            amount: row.try_get("amount")?,
            quantity: row.try_get("quantity")?,
            placed_at: row.try_get("created_at")?,
            state: named(row, "state")?,
            buyer_id: row.try_get("buyer_id")?,
            affiliate_id: row.try_get("affiliate_id")?,
        })
    }
}

/// The order lines of `product_ids` in the store placed since `since`, or still open
/// whenever placed: what the program page sums and an exit's preview counts.
pub async fn lines_of(
    c: &mut AnyConnection,
    store_id: &str,
    product_ids: &[String],
    since: i64,
) -> Result<Vec<ProgramLine>> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT l.product_id, l.order_id, l.amount, l.quantity, o.created_at, o.state, o.buyer_id, o.affiliate_id
         FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE l.store_id = $1 AND (o.created_at >= $2 OR o.state IN ('placed', 'shipped'))
           AND l.product_id IN ({}) ORDER BY l.order_id, l.position",
        placeholders(3, product_ids.len())
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id)
        .bind(since);
    for p in product_ids {
        q = q.bind(p);
    }
    Ok(q.fetch_all(c).await?)
}
