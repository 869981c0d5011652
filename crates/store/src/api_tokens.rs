//! API tokens: stored by hash only, each with an id to list and revoke it by, a name,
//! an optional expiry and when it was last used.

use sqlx::{AnyConnection, FromRow};

use crate::{Result, duplicate_as};

#[derive(Debug, Clone, FromRow)]
pub struct TokenRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str = "id, user_id, name, created_at, expires_at, last_used_at";

pub async fn insert(c: &mut AnyConnection, t: &TokenRow, token_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (token_hash, id, user_id, name, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(&t.id)
    .bind(&t.user_id)
    .bind(&t.name)
    .bind(t.created_at)
    .bind(t.expires_at)
    .execute(c)
    .await
    .map_err(duplicate_as("token"))?;
    Ok(())
}

/// An account's tokens, newest first.
pub async fn of_user(c: &mut AnyConnection, user_id: &str) -> Result<Vec<TokenRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_all(c)
        .await?)
}

pub async fn by_id(c: &mut AnyConnection, id: &str) -> Result<Option<TokenRow>> {
    let sql = format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn delete(c: &mut AnyConnection, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM api_tokens WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Notes a use, at most once a minute per token: the statement writes nothing when the
/// last noted use is recent, so a busy token costs no write per request.
pub async fn touch(c: &mut AnyConnection, token_hash: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = $1
         WHERE token_hash = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(now)
    .bind(token_hash)
    .bind(now - 60_000_000)
    .execute(c)
    .await?;
    Ok(())
}
