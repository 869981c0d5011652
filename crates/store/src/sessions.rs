//! Console credentials, sessions and login failures. Sessions live in a table of our
//! own (architecture.md: tower-sessions' SQL store pins an older sqlx), keyed by the hash
//! of the cookie, so they are revocable from any process and lost with nothing.

use sqlx::{AnyConnection, FromRow};

use crate::catalog::UserRow;
use crate::{Result, duplicate_as};

/// An account as the login form finds it.
#[derive(Debug, Clone, FromRow)]
pub struct LoginRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub password_hash: Option<String>,
    pub disabled_at: Option<i64>,
    pub language: Option<String>,
}

/// A live session with the account it belongs to.
#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub csrf_token: String,
    pub last_seen_at: i64,
    pub disabled_at: Option<i64>,
    pub language: Option<String>,
    pub site_code: Option<String>,
    /// The zone of that site, read with the session: every store page shows its times.
    pub site_time_zone: Option<String>,
    /// Its currency: prices and ceilings typed on store pages are in it.
    pub site_currency: Option<String>,
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.store_id, u.created_at, u.login, u.team_role, u.password_hash, u.disabled_at, u.language";

pub async fn set_credentials(
    c: &mut AnyConnection,
    user_id: &str,
    login: &str,
    password_hash: &str,
) -> Result<()> {
    sqlx::query("UPDATE users SET login = $1, password_hash = $2 WHERE id = $3")
        .bind(login)
        .bind(password_hash)
        .bind(user_id)
        .execute(c)
        .await
        .map_err(duplicate_as("login"))?;
    Ok(())
}

pub async fn set_password_hash(c: &mut AnyConnection, user_id: &str, hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn by_login(c: &mut AnyConnection, login: &str) -> Result<Option<LoginRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.login = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(login)
        .fetch_optional(c)
        .await?)
}

pub async fn by_id(c: &mut AnyConnection, user_id: &str) -> Result<Option<LoginRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user_id)
        .fetch_optional(c)
        .await?)
}

pub async fn insert_session(
    c: &mut AnyConnection,
    id_hash: &str,
    user_id: &str,
    csrf_token: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO console_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(csrf_token)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn session(c: &mut AnyConnection, id_hash: &str) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.name, u.role, u.store_id, u.created_at, u.login, u.team_role, u.disabled_at, u.language,
                st.suspended_at AS store_suspended_at, st.suspension_reason AS store_suspension_reason,
                s.csrf_token, s.last_seen_at, st.site_code AS site_code,
                si.time_zone AS site_time_zone, si.currency AS site_currency
         FROM console_sessions s JOIN users u ON u.id = s.user_id
         LEFT JOIN stores st ON st.id = u.store_id
         LEFT JOIN sites si ON si.code = st.site_code
         WHERE s.id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(c)
    .await?)
}

pub async fn touch_session(c: &mut AnyConnection, id_hash: &str, now: i64) -> Result<()> {
    sqlx::query("UPDATE console_sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn delete_session(c: &mut AnyConnection, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM console_sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(c)
        .await?;
    Ok(())
}

/// Ends every session of an account but one (`keep`: the one that changed the password).
pub async fn delete_sessions_of(
    c: &mut AnyConnection,
    user_id: &str,
    keep: Option<&str>,
) -> Result<()> {
    sqlx::query("DELETE FROM console_sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(c)
        .await?;
    Ok(())
}

/// (failures, last failure) for a key, if any failed.
pub async fn failures(c: &mut AnyConnection, key: &str) -> Result<Option<(i64, i64)>> {
    Ok(
        sqlx::query_as("SELECT failures, last_at FROM login_failures WHERE key = $1")
            .bind(key)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn record_failure(c: &mut AnyConnection, key: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO login_failures (key, failures, last_at) VALUES ($1, 1, $2)
         ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, last_at = $2",
    )
    .bind(key)
    .bind(now)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn clear_failures(c: &mut AnyConnection, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(c)
        .await?;
    Ok(())
}
