//! Platform rule clauses that violations cite: each clause's current version in `rules`,
//! every version ever published in `rule_versions` (written together, never edited).

use sqlx::{AnyConnection, FromRow};

use crate::{Result, duplicate_as};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RuleRow {
    pub code: String,
    pub title: String,
    pub text: String,
    pub severity: String,
    pub reason_code: String,
    pub created_at: i64,
    pub version: i64,
    /// A JSON array of site codes; empty: every site.
    pub sites: String,
    pub retired_at: Option<i64>,
}

const COLUMNS: &str =
    "code, title, text, severity, reason_code, created_at, version, sites, retired_at";

/// One published version of a clause.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RuleVersionRow {
    pub code: String,
    pub version: i64,
    pub title: String,
    pub text: String,
    pub severity: String,
    pub reason_code: String,
    pub sites: String,
    pub retired_at: Option<i64>,
    pub changed_by: String,
    pub changed_at: i64,
}

const VERSION_COLUMNS: &str =
    "code, version, title, text, severity, reason_code, sites, retired_at, changed_by, changed_at";

async fn insert_version(c: &mut AnyConnection, r: &RuleRow, by: &str, at: i64) -> Result<()> {
    let sql = format!(
        "INSERT INTO rule_versions ({VERSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (code, version) DO NOTHING"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&r.code)
        .bind(r.version)
        .bind(&r.title)
        .bind(&r.text)
        .bind(&r.severity)
        .bind(&r.reason_code)
        .bind(&r.sites)
        .bind(r.retired_at)
        .bind(by)
        .bind(at)
        .execute(c)
        .await?;
    Ok(())
}

async fn insert_current(c: &mut AnyConnection, r: &RuleRow, on_conflict: &str) -> Result<u64> {
    let sql = format!(
        "INSERT INTO rules ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) {on_conflict}"
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&r.code)
        .bind(&r.title)
        .bind(&r.text)
        .bind(&r.severity)
        .bind(&r.reason_code)
        .bind(r.created_at)
        .bind(r.version)
        .bind(&r.sites)
        .bind(r.retired_at)
        .execute(&mut *c)
        .await
        .map_err(duplicate_as("rule code"))?;
    Ok(done.rows_affected())
}

/// A new clause, version 1.
pub async fn insert(c: &mut AnyConnection, r: &RuleRow, by: &str) -> Result<()> {
    insert_current(c, r, "").await?;
    insert_version(c, r, by, r.created_at).await
}

/// Inserts a default rule unless one with its code exists.
pub async fn insert_default(c: &mut AnyConnection, r: &RuleRow) -> Result<()> {
    if insert_current(c, r, "ON CONFLICT (code) DO NOTHING").await? == 1 {
        insert_version(c, r, "system", r.created_at).await?;
    }
    Ok(())
}

/// Publishes `r` as the clause's next version, if `r.version - 1` is still the current
/// one; false when someone published meanwhile.
pub async fn publish(c: &mut AnyConnection, r: &RuleRow, by: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE rules SET title = $1, text = $2, severity = $3, reason_code = $4, version = $5,
            sites = $6, retired_at = $7
         WHERE code = $8 AND version = $9",
    )
    .bind(&r.title)
    .bind(&r.text)
    .bind(&r.severity)
    .bind(&r.reason_code)
    .bind(r.version)
    .bind(&r.sites)
    .bind(r.retired_at)
    .bind(&r.code)
    .bind(r.version - 1)
    .execute(&mut *c)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    insert_version(c, r, by, at).await?;
    Ok(true)
}

pub async fn all(c: &mut AnyConnection) -> Result<Vec<RuleRow>> {
    let sql = format!("SELECT {COLUMNS} FROM rules ORDER BY code");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(c)
        .await?)
}

pub async fn get(c: &mut AnyConnection, code: &str) -> Result<Option<RuleRow>> {
    let sql = format!("SELECT {COLUMNS} FROM rules WHERE code = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_optional(c)
        .await?)
}

/// Every version of a clause, oldest first.
pub async fn versions(c: &mut AnyConnection, code: &str) -> Result<Vec<RuleVersionRow>> {
    let sql =
        format!("SELECT {VERSION_COLUMNS} FROM rule_versions WHERE code = $1 ORDER BY version");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .fetch_all(c)
        .await?)
}

/// One version of a clause: what a violation decided under it cites.
pub async fn version(
    c: &mut AnyConnection,
    code: &str,
    version: i64,
) -> Result<Option<RuleVersionRow>> {
    let sql =
        format!("SELECT {VERSION_COLUMNS} FROM rule_versions WHERE code = $1 AND version = $2");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(code)
        .bind(version)
        .fetch_optional(c)
        .await?)
}
