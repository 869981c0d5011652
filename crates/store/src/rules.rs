//! Platform rule clauses that violations cite.

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
}

pub async fn insert(c: &mut AnyConnection, r: &RuleRow) -> Result<()> {
    sqlx::query("INSERT INTO rules (code, title, text, severity, reason_code, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&r.code)
        .bind(&r.title)
        .bind(&r.text)
        .bind(&r.severity)
        .bind(&r.reason_code)
        .bind(r.created_at)
        .execute(c)
        .await
        .map_err(duplicate_as("rule code"))?;
    Ok(())
}

/// Inserts a default rule unless one with its code exists.
pub async fn insert_default(c: &mut AnyConnection, r: &RuleRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO rules (code, title, text, severity, reason_code, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(&r.code)
    .bind(&r.title)
    .bind(&r.text)
    .bind(&r.severity)
    .bind(&r.reason_code)
    .bind(r.created_at)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn all(c: &mut AnyConnection) -> Result<Vec<RuleRow>> {
    Ok(sqlx::query_as(
        "SELECT code, title, text, severity, reason_code, created_at FROM rules ORDER BY code",
    )
    .fetch_all(c)
    .await?)
}

pub async fn get(c: &mut AnyConnection, code: &str) -> Result<Option<RuleRow>> {
    Ok(sqlx::query_as(
        "SELECT code, title, text, severity, reason_code, created_at FROM rules WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(c)
    .await?)
}
