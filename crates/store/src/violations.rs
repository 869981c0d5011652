//! Violation cases, their rectifications and appeals.

use marketdesk_core::violation::{AppealState, Outcome, Progress, Severity};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, FromRow, Row};

use crate::Result;
use crate::decode::{named, named_opt};
use crate::filter::{Conditions, Param};
use crate::products::placeholders;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationRow {
    pub id: String,
    pub store_id: String,
    pub product_id: String,
    pub site_code: String,
    pub rule_code: String,
    /// The clause's version the case was decided under.
    pub rule_version: i64,
    pub severity: Severity,
    pub details: String,
    pub evidence_ids: String,
    pub state: Progress,
    pub outcome: Option<Outcome>,
    pub resume_state: Option<Progress>,
    pub rectify_due_at: i64,
    pub rectified_at: Option<i64>,
    pub rectify_deadline_passed: i64,
    pub review_due_at: Option<i64>,
    pub review_overdue: i64,
    pub appeal_due_at: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

impl FromRow<'_, AnyRow> for ViolationRow {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(ViolationRow {
            id: row.try_get("id")?,
            store_id: row.try_get("store_id")?,
            product_id: row.try_get("product_id")?,
            site_code: row.try_get("site_code")?,
            rule_code: row.try_get("rule_code")?,
            rule_version: row.try_get("rule_version")?,
            severity: named(row, "severity")?,
            details: row.try_get("details")?,
            evidence_ids: row.try_get("evidence_ids")?,
            state: named(row, "state")?,
            outcome: named_opt(row, "outcome")?,
            resume_state: named_opt(row, "resume_state")?,
            rectify_due_at: row.try_get("rectify_due_at")?,
            rectified_at: row.try_get("rectified_at")?,
            rectify_deadline_passed: row.try_get("rectify_deadline_passed")?,
            review_due_at: row.try_get("review_due_at")?,
            review_overdue: row.try_get("review_overdue")?,
            appeal_due_at: row.try_get("appeal_due_at")?,
            created_by: row.try_get("created_by")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            closed_at: row.try_get("closed_at")?,
        })
    }
}

const COLUMNS: &str = "id, store_id, product_id, site_code, rule_code, severity, details, evidence_ids, state, \
    outcome, resume_state, rectify_due_at, rectified_at, rectify_deadline_passed, review_due_at, review_overdue, \
    appeal_due_at, created_by, created_at, updated_at, closed_at, rule_version";

pub async fn insert(c: &mut AnyConnection, v: &ViolationRow) -> Result<()> {
    let sql = format!(
        "INSERT INTO violations ({COLUMNS}) VALUES ({})",
        placeholders(1, 22)
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&v.id)
        .bind(&v.store_id)
        .bind(&v.product_id)
        .bind(&v.site_code)
        .bind(&v.rule_code)
        .bind(v.severity.as_str())
        .bind(&v.details)
        .bind(&v.evidence_ids)
        .bind(v.state.as_str())
        .bind(v.outcome.map(Outcome::as_str))
        .bind(v.resume_state.map(Progress::as_str))
        .bind(v.rectify_due_at)
        .bind(v.rectified_at)
        .bind(v.rectify_deadline_passed)
        .bind(v.review_due_at)
        .bind(v.review_overdue)
        .bind(v.appeal_due_at)
        .bind(&v.created_by)
        .bind(v.created_at)
        .bind(v.updated_at)
        .bind(v.closed_at)
        .bind(v.rule_version)
        .execute(&mut *c)
        .await?;
    let opened = crate::monitoring::Increment {
        store_id: v.store_id.clone(),
        product_id: v.product_id.clone(),
        at: v.created_at,
        metric: marketdesk_core::monitoring::counters::VIOLATION,
        code: v.rule_code.clone(),
    };
    crate::monitoring::count(c, &[opened]).await
}

/// Writes a case's mutable columns back.
pub async fn update(c: &mut AnyConnection, v: &ViolationRow) -> Result<()> {
    update_many(c, std::slice::from_ref(v)).await
}

/// Writes many cases' progress in one statement per chunk (the deadline worker's batch):
/// the columns [`update`] writes, for each row.
pub async fn update_many(c: &mut AnyConnection, rows: &[ViolationRow]) -> Result<()> {
    const COLS: usize = 10;
    for chunk in rows.chunks(crate::products::INSERT_CHUNK / 2) {
        let values = (0..chunk.len())
            .map(|r| {
                let p = |k: usize| format!("${}", r * COLS + k);
                format!(
                    "SELECT {} AS id, {} AS state, {} AS outcome, {} AS resume_state, {} AS rectified_at, \
                     {} AS rectify_deadline_passed, {} AS review_due_at, {} AS review_overdue, \
                     {} AS updated_at, {} AS closed_at",
                    p(1), p(2), p(3), p(4), p(5), p(6), p(7), p(8), p(9), p(10)
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let sql = format!(
            "UPDATE violations SET state = v.state, outcome = v.outcome, resume_state = v.resume_state,
                rectified_at = v.rectified_at, rectify_deadline_passed = v.rectify_deadline_passed,
                review_due_at = v.review_due_at, review_overdue = v.review_overdue,
                updated_at = v.updated_at, closed_at = v.closed_at
             FROM ({values}) AS v WHERE violations.id = v.id"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for v in chunk {
            q = q
                .bind(&v.id)
                .bind(v.state.as_str())
                .bind(v.outcome.map(Outcome::as_str))
                .bind(v.resume_state.map(Progress::as_str))
                .bind(v.rectified_at)
                .bind(v.rectify_deadline_passed)
                .bind(v.review_due_at)
                .bind(v.review_overdue)
                .bind(v.updated_at)
                .bind(v.closed_at);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// Many cases by id, in one statement per chunk.
pub async fn get_many(c: &mut AnyConnection, ids: &[String]) -> Result<Vec<ViolationRow>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT {COLUMNS} FROM violations WHERE id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(crate::dialect::positional(c, sql)));
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(out)
}

/// Which of these cases were ever appealed.
pub async fn appealed_among(
    c: &mut AnyConnection,
    ids: &[String],
) -> Result<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT DISTINCT violation_id FROM appeals WHERE violation_id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(
            crate::dialect::positional(c, sql),
        ));
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&mut *c).await?);
    }
    Ok(out)
}

/// Takes a case's row lock for this transaction, so two steps on one case never both
/// apply to the same reading of it.
pub async fn lock(c: &mut AnyConnection, id: &str) -> Result<()> {
    sqlx::query("UPDATE violations SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn get(c: &mut AnyConnection, id: &str) -> Result<Option<ViolationRow>> {
    let sql = format!("SELECT {COLUMNS} FROM violations WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// The open case of a product, if any (a product has at most one at a time).
pub async fn open_for_product(
    c: &mut AnyConnection,
    product_id: &str,
) -> Result<Option<ViolationRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM violations WHERE product_id = $1 AND state <> 'closed'");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(product_id)
        .fetch_optional(c)
        .await?)
}

/// Every case of a product, newest first (a product's history of takedowns).
pub async fn of_product(c: &mut AnyConnection, product_id: &str) -> Result<Vec<ViolationRow>> {
    let sql = format!("SELECT {COLUMNS} FROM violations WHERE product_id = $1 ORDER BY id DESC");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(product_id)
        .fetch_all(c)
        .await?)
}

#[derive(Debug, Clone, Default)]
pub struct ViolationFilter {
    pub store_id: Option<String>,
    pub state: Option<String>,
    pub severity: Option<String>,
    pub rule_code: Option<String>,
    pub site_code: Option<String>,
    pub due_from: Option<i64>,
    pub due_to: Option<i64>,
    pub review_overdue: Option<bool>,
    pub before_id: Option<String>,
    pub limit: i64,
    /// Oldest first (a queue worked from what waited longest); the cursor then pages forward.
    pub oldest_first: bool,
}

fn conditions(f: &ViolationFilter, with_state: bool) -> Conditions {
    let mut w = Conditions::default();
    w.eq("store_id", f.store_id.as_deref());
    if with_state {
        w.eq("state", f.state.as_deref());
    }
    w.eq("severity", f.severity.as_deref())
        .eq("rule_code", f.rule_code.as_deref())
        .eq("site_code", f.site_code.as_deref())
        .int("rectify_due_at", ">=", f.due_from)
        .int("rectify_due_at", "<", f.due_to)
        .int("review_overdue", "=", f.review_overdue.map(i64::from));
    w
}

/// A page of cases, newest first.
pub async fn page(c: &mut AnyConnection, f: &ViolationFilter) -> Result<Vec<ViolationRow>> {
    let mut w = conditions(f, true);
    let (past, order) = if f.oldest_first {
        ("id > $?", "ASC")
    } else {
        ("id < $?", "DESC")
    };
    if let Some(id) = &f.before_id {
        w.and(past, Param::Text(id.clone()));
    }
    let limit = w.mark(Param::Int(f.limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM violations{} ORDER BY id {order} LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// Cases per state under the same filters but the state (the violation center's tabs).
pub async fn counts(c: &mut AnyConnection, f: &ViolationFilter) -> Result<Vec<(String, i64)>> {
    let w = conditions(f, false);
    let sql = format!(
        "SELECT state, count(*) FROM violations{} GROUP BY state",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RectificationRow {
    pub id: String,
    pub violation_id: String,
    pub plan: String,
    pub evidence_ids: String,
    pub submitted_by: String,
    pub submitted_at: i64,
    /// The product's edits (timeline ids) this rectification made, a JSON array.
    pub edit_ids: String,
}

pub async fn insert_rectification(c: &mut AnyConnection, r: &RectificationRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO rectifications (id, violation_id, plan, evidence_ids, submitted_by, submitted_at, edit_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&r.id)
    .bind(&r.violation_id)
    .bind(&r.plan)
    .bind(&r.evidence_ids)
    .bind(&r.submitted_by)
    .bind(r.submitted_at)
    .bind(&r.edit_ids)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn rectifications(
    c: &mut AnyConnection,
    violation_id: &str,
) -> Result<Vec<RectificationRow>> {
    Ok(sqlx::query_as(
        "SELECT id, violation_id, plan, evidence_ids, submitted_by, submitted_at, edit_ids FROM rectifications
         WHERE violation_id = $1 ORDER BY id",
    )
    .bind(violation_id)
    .fetch_all(c)
    .await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct AppealRow {
    pub id: String,
    pub violation_id: String,
    pub statement: String,
    pub evidence_ids: String,
    #[sqlx(try_from = "String")]
    pub state: AppealState,
    pub submitted_by: String,
    pub submitted_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
}

pub async fn insert_appeal(c: &mut AnyConnection, a: &AppealRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO appeals (id, violation_id, statement, evidence_ids, state, submitted_by, submitted_at,
            decided_by, decided_at, decision_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL)",
    )
    .bind(&a.id)
    .bind(&a.violation_id)
    .bind(&a.statement)
    .bind(&a.evidence_ids)
    .bind(a.state.as_str())
    .bind(&a.submitted_by)
    .bind(a.submitted_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn decide_appeal(
    c: &mut AnyConnection,
    violation_id: &str,
    state: AppealState,
    by: &str,
    at: i64,
    note: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE appeals SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4
         WHERE violation_id = $5 AND state = 'pending'",
    )
    .bind(state.as_str())
    .bind(by)
    .bind(at)
    .bind(note)
    .bind(violation_id)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn appeals(c: &mut AnyConnection, violation_id: &str) -> Result<Vec<AppealRow>> {
    Ok(sqlx::query_as(
        "SELECT id, violation_id, statement, evidence_ids, state, submitted_by, submitted_at, decided_by, decided_at,
            decision_note FROM appeals WHERE violation_id = $1 ORDER BY id",
    )
    .bind(violation_id)
    .fetch_all(c)
    .await?)
}
