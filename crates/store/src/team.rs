//! A store's team: its seller accounts with their team roles, and the owner's
//! invitations (only the link token's hash is kept).

use sqlx::{AnyConnection, FromRow};

use crate::Result;

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub login: Option<String>,
    pub email: Option<String>,
    pub team_role: Option<String>,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct InviteRow {
    pub id: String,
    pub store_id: String,
    pub email: String,
    pub team_role: String,
    pub token_hash: String,
    pub invited_by: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub user_id: Option<String>,
    pub revoked_at: Option<i64>,
}

const INVITE_COLUMNS: &str = "id, store_id, email, team_role, token_hash, invited_by, created_at, \
    expires_at, accepted_at, user_id, revoked_at";

/// The store's seller accounts, oldest first (the first is the store's founding owner).
pub async fn members(c: &mut AnyConnection, store_id: &str) -> Result<Vec<MemberRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, login, email, team_role, created_at, disabled_at FROM users
         WHERE store_id = $1 AND role = 'seller' ORDER BY id",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?)
}

pub async fn member(c: &mut AnyConnection, user_id: &str) -> Result<Option<(String, MemberRow)>> {
    #[derive(FromRow)]
    struct Found {
        store_id: Option<String>,
        #[sqlx(flatten)]
        m: MemberRow,
    }
    let found: Option<Found> = sqlx::query_as(
        "SELECT store_id, id, name, login, email, team_role, created_at, disabled_at FROM users
         WHERE id = $1 AND role = 'seller'",
    )
    .bind(user_id)
    .fetch_optional(c)
    .await?;
    Ok(found.and_then(|f| f.store_id.map(|s| (s, f.m))))
}

/// Disables an account and ends its console sessions in the same transaction.
pub async fn disable(c: &mut AnyConnection, user_id: &str, now: i64) -> Result<()> {
    crate::catalog::disable_user(c, user_id, now)
        .await
        .map(|_| ())
}

pub async fn set_team_role(c: &mut AnyConnection, user_id: &str, role: &str) -> Result<()> {
    sqlx::query("UPDATE users SET team_role = $1 WHERE id = $2")
        .bind(role)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn insert_invite(c: &mut AnyConnection, i: &InviteRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO team_invites (id, store_id, email, team_role, token_hash, invited_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&i.id)
    .bind(&i.store_id)
    .bind(&i.email)
    .bind(&i.team_role)
    .bind(&i.token_hash)
    .bind(&i.invited_by)
    .bind(i.created_at)
    .bind(i.expires_at)
    .execute(c)
    .await?;
    Ok(())
}

/// The store's invitations, newest first, at most `limit`.
pub async fn invites(c: &mut AnyConnection, store_id: &str, limit: i64) -> Result<Vec<InviteRow>> {
    let sql = format!(
        "SELECT {INVITE_COLUMNS} FROM team_invites WHERE store_id = $1 ORDER BY id DESC LIMIT $2"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(store_id)
        .bind(limit)
        .fetch_all(c)
        .await?)
}

pub async fn invite(c: &mut AnyConnection, id: &str) -> Result<Option<InviteRow>> {
    let sql = format!("SELECT {INVITE_COLUMNS} FROM team_invites WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn invite_by_token_hash(c: &mut AnyConnection, hash: &str) -> Result<Option<InviteRow>> {
    let sql = format!("SELECT {INVITE_COLUMNS} FROM team_invites WHERE token_hash = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(hash)
        .fetch_optional(c)
        .await?)
}

/// Marks a pending invitation used, if it still is (two tabs racing to accept: one
/// wins, the other changes nothing). True when this call used it.
pub async fn mark_accepted(
    c: &mut AnyConnection,
    id: &str,
    user_id: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE team_invites SET accepted_at = $1, user_id = $2
         WHERE id = $3 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(user_id)
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn revoke(c: &mut AnyConnection, id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE team_invites SET revoked_at = $1 WHERE id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}
