//! Violation cases, their rectifications and appeals.

use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::products::placeholders;

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ViolationRow {
    pub id: String,
    pub store_id: String,
    pub product_id: String,
    pub site_code: String,
    pub rule_code: String,
    pub severity: String,
    pub details: String,
    pub evidence_ids: String,
    pub state: String,
    pub outcome: Option<String>,
    pub resume_state: Option<String>,
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

const COLUMNS: &str = "id, store_id, product_id, site_code, rule_code, severity, details, evidence_ids, state, \
    outcome, resume_state, rectify_due_at, rectified_at, rectify_deadline_passed, review_due_at, review_overdue, \
    appeal_due_at, created_by, created_at, updated_at, closed_at";

pub async fn insert(c: &mut AnyConnection, v: &ViolationRow) -> Result<()> {
    let sql = format!(
        "INSERT INTO violations ({COLUMNS}) VALUES ({})",
        placeholders(1, 21)
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&v.id)
        .bind(&v.store_id)
        .bind(&v.product_id)
        .bind(&v.site_code)
        .bind(&v.rule_code)
        .bind(&v.severity)
        .bind(&v.details)
        .bind(&v.evidence_ids)
        .bind(&v.state)
        .bind(&v.outcome)
        .bind(&v.resume_state)
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
        .execute(c)
        .await?;
    Ok(())
}

/// Writes a case's mutable columns back.
pub async fn update(c: &mut AnyConnection, v: &ViolationRow) -> Result<()> {
    sqlx::query(
        "UPDATE violations SET state = $1, outcome = $2, resume_state = $3, rectified_at = $4,
            rectify_deadline_passed = $5, review_due_at = $6, review_overdue = $7, updated_at = $8, closed_at = $9
         WHERE id = $10",
    )
    .bind(&v.state)
    .bind(&v.outcome)
    .bind(&v.resume_state)
    .bind(v.rectified_at)
    .bind(v.rectify_deadline_passed)
    .bind(v.review_due_at)
    .bind(v.review_overdue)
    .bind(v.updated_at)
    .bind(v.closed_at)
    .bind(&v.id)
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
}

fn where_clause(f: &ViolationFilter, with_state: bool) -> (String, Vec<Arg>) {
    let mut sql = String::from(" WHERE 1 = 1");
    let mut args = Vec::new();
    let mut push = |sql: &mut String, clause: &str, a: Arg| {
        args.push(a);
        sql.push_str(&clause.replace("$?", &format!("${}", args.len())));
    };
    if let Some(s) = &f.store_id {
        push(&mut sql, " AND store_id = $?", Arg::Text(s.clone()));
    }
    if with_state && let Some(s) = &f.state {
        push(&mut sql, " AND state = $?", Arg::Text(s.clone()));
    }
    if let Some(s) = &f.severity {
        push(&mut sql, " AND severity = $?", Arg::Text(s.clone()));
    }
    if let Some(s) = &f.rule_code {
        push(&mut sql, " AND rule_code = $?", Arg::Text(s.clone()));
    }
    if let Some(s) = &f.site_code {
        push(&mut sql, " AND site_code = $?", Arg::Text(s.clone()));
    }
    if let Some(t) = f.due_from {
        push(&mut sql, " AND rectify_due_at >= $?", Arg::Int(t));
    }
    if let Some(t) = f.due_to {
        push(&mut sql, " AND rectify_due_at < $?", Arg::Int(t));
    }
    if let Some(b) = f.review_overdue {
        push(&mut sql, " AND review_overdue = $?", Arg::Int(i64::from(b)));
    }
    (sql, args)
}

enum Arg {
    Text(String),
    Int(i64),
}

/// A page of cases, newest first.
pub async fn page(c: &mut AnyConnection, f: &ViolationFilter) -> Result<Vec<ViolationRow>> {
    let (mut clause, mut args) = where_clause(f, true);
    if let Some(id) = &f.before_id {
        args.push(Arg::Text(id.clone()));
        clause.push_str(&format!(" AND id < ${}", args.len()));
    }
    args.push(Arg::Int(f.limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM violations{clause} ORDER BY id DESC LIMIT ${}",
        args.len()
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = match a {
            Arg::Text(t) => q.bind(t),
            Arg::Int(i) => q.bind(i),
        };
    }
    Ok(q.fetch_all(c).await?)
}

/// Cases per state under the same filters but the state (the violation center's tabs).
pub async fn counts(c: &mut AnyConnection, f: &ViolationFilter) -> Result<Vec<(String, i64)>> {
    let (clause, args) = where_clause(f, false);
    let sql = format!("SELECT state, count(*) FROM violations{clause} GROUP BY state");
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for a in args {
        q = match a {
            Arg::Text(t) => q.bind(t),
            Arg::Int(i) => q.bind(i),
        };
    }
    Ok(q.fetch_all(c).await?)
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RectificationRow {
    pub id: String,
    pub violation_id: String,
    pub plan: String,
    pub evidence_ids: String,
    pub submitted_by: String,
    pub submitted_at: i64,
}

pub async fn insert_rectification(c: &mut AnyConnection, r: &RectificationRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO rectifications (id, violation_id, plan, evidence_ids, submitted_by, submitted_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&r.id)
    .bind(&r.violation_id)
    .bind(&r.plan)
    .bind(&r.evidence_ids)
    .bind(&r.submitted_by)
    .bind(r.submitted_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn rectifications(
    c: &mut AnyConnection,
    violation_id: &str,
) -> Result<Vec<RectificationRow>> {
    Ok(sqlx::query_as(
        "SELECT id, violation_id, plan, evidence_ids, submitted_by, submitted_at FROM rectifications
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
    pub state: String,
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
    .bind(&a.state)
    .bind(&a.submitted_by)
    .bind(a.submitted_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn decide_appeal(
    c: &mut AnyConnection,
    violation_id: &str,
    state: &str,
    by: &str,
    at: i64,
    note: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE appeals SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4
         WHERE violation_id = $5 AND state = 'pending'",
    )
    .bind(state)
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
