//! The per-product operation timeline (操作时间轴). Rows are only ever inserted; the
//! schema's triggers refuse updates and deletes.

use marketdesk_core::listing::content::FieldChange;
use marketdesk_core::monitoring::counters;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::Result;
use crate::decode::{json, to_json};
use crate::monitoring::Increment;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    pub id: String,
    pub store_id: String,
    pub product_id: String,
    pub at: i64,
    pub actor_id: String,
    pub actor_role: String,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub delist_kind: Option<String>,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    /// A JSON array of evidence ids.
    pub evidence_ids: String,
    /// What an edit changed, field by field; empty for every other action.
    pub changes: Vec<FieldChange>,
    /// The classifier's code for `reason_text`, when there is a text.
    pub classified_code: Option<String>,
}

impl FromRow<'_, AnyRow> for TimelineRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(TimelineRow {
            id: row.try_get("id")?,
            store_id: row.try_get("store_id")?,
            product_id: row.try_get("product_id")?,
            at: row.try_get("at")?,
            actor_id: row.try_get("actor_id")?,
            actor_role: row.try_get("actor_role")?,
            action: row.try_get("action")?,
            from_state: row.try_get("from_state")?,
            to_state: row.try_get("to_state")?,
            delist_kind: row.try_get("delist_kind")?,
            reason_code: row.try_get("reason_code")?,
            reason_text: row.try_get("reason_text")?,
            evidence_ids: row.try_get("evidence_ids")?,
            changes: json(row, "changes")?,
            classified_code: row.try_get("classified_code")?,
        })
    }
}

const COLUMNS: &str = "id, store_id, product_id, at, actor_id, actor_role, action, from_state, \
    to_state, delist_kind, reason_code, reason_text, evidence_ids, changes, classified_code";

pub async fn insert(c: &mut AnyConnection, t: &TimelineRow) -> Result<()> {
    insert_many(c, std::slice::from_ref(t)).await
}

/// Many rows in few statements (the deadline worker writes a batch's rows together).
pub async fn insert_many(c: &mut AnyConnection, rows: &[TimelineRow]) -> Result<()> {
    for chunk in rows.chunks(crate::products::INSERT_CHUNK) {
        let sql = format!(
            "INSERT INTO timeline ({COLUMNS}) VALUES {}",
            crate::products::row_groups(chunk.len(), 15)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for t in chunk {
            q = q
                .bind(&t.id)
                .bind(&t.store_id)
                .bind(&t.product_id)
                .bind(t.at)
                .bind(&t.actor_id)
                .bind(&t.actor_role)
                .bind(&t.action)
                .bind(&t.from_state)
                .bind(&t.to_state)
                .bind(&t.delist_kind)
                .bind(&t.reason_code)
                .bind(&t.reason_text)
                .bind(&t.evidence_ids)
                .bind(to_json(&t.changes))
                .bind(&t.classified_code);
        }
        q.execute(&mut *c).await?;
    }
    crate::monitoring::count(c, &increments(rows)).await
}

/// A product's history, oldest first (ids are time-ordered).
pub async fn of_product(c: &mut AnyConnection, product_id: &str) -> Result<Vec<TimelineRow>> {
    let sql = format!("SELECT {COLUMNS} FROM timeline WHERE product_id = $1 ORDER BY id");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(product_id)
        .fetch_all(c)
        .await?)
}

/// The increments a batch of timeline rows makes.
fn increments(rows: &[TimelineRow]) -> Vec<Increment> {
    rows.iter()
        .filter_map(|t| {
            let metric = counters::metric_of_action(&t.action)?;
            Some(Increment {
                store_id: t.store_id.clone(),
                product_id: t.product_id.clone(),
                at: t.at,
                metric,
                code: counters::counted_code(
                    t.reason_code.as_deref(),
                    t.classified_code.as_deref(),
                )
                .to_string(),
            })
        })
        .collect()
}
