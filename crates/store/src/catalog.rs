//! Sites, stores, users and their API tokens.

use sqlx::{AnyConnection, FromRow};

use crate::filter::{Conditions, Param};
use crate::{Result, duplicate_as};

#[derive(Debug, Clone, FromRow)]
pub struct SiteRow {
    pub code: String,
    pub name: String,
    pub currency: String,
    pub time_zone: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct StoreRow {
    pub id: String,
    pub name: String,
    pub site_code: String,
    pub fulfilment_mode: String,
    pub created_at: i64,
    /// The default safety threshold of the store's SKUs.
    pub safety_threshold: i64,
    /// Set while merchant operations hold the store suspended.
    pub suspended_at: Option<i64>,
    pub suspension_reason: Option<String>,
    /// The self-operated store a fully-managed one was opened from.
    #[sqlx(default)]
    pub parent_store_id: Option<String>,
    /// awaiting_deposit or closed, for stores opened through the program; NULL: open.
    #[sqlx(default, try_from = "OptionalName")]
    pub program_state: Option<marketdesk_core::programs::fully_managed::ProgramState>,
}

/// A nullable name column, parsed when read.
#[derive(Debug, Default)]
pub struct OptionalName(Option<String>);

impl<'r> sqlx::Decode<'r, sqlx::Any> for OptionalName {
    fn decode(
        v: sqlx::any::AnyValueRef<'r>,
    ) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        Ok(OptionalName(
            <Option<String> as sqlx::Decode<sqlx::Any>>::decode(v)?,
        ))
    }
}

impl sqlx::Type<sqlx::Any> for OptionalName {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }
    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<T: std::str::FromStr<Err = String>> TryFrom<OptionalName> for Option<T> {
    type Error = String;
    fn try_from(n: OptionalName) -> std::result::Result<Self, String> {
        n.0.map(|s| s.parse()).transpose()
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub role: String,
    pub store_id: Option<String>,
    pub created_at: i64,
    /// The console login, for accounts that have one.
    pub login: Option<String>,
    /// A seller's team role (子账号); NULL: an account older than teams, an owner.
    pub team_role: Option<String>,
    /// Set once an admin or the store's owner disabled the account.
    pub disabled_at: Option<i64>,
    /// For a seller, whether (since when, and why) their store is suspended; read only
    /// where the account is resolved for a request (its token, its console session).
    #[sqlx(default)]
    pub store_suspended_at: Option<i64>,
    #[sqlx(default)]
    pub store_suspension_reason: Option<String>,
}

pub async fn upsert_site(c: &mut AnyConnection, s: &SiteRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO sites (code, name, currency, time_zone) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(&s.code)
    .bind(&s.name)
    .bind(&s.currency)
    .bind(&s.time_zone)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn sites(c: &mut AnyConnection) -> Result<Vec<SiteRow>> {
    Ok(
        sqlx::query_as("SELECT code, name, currency, time_zone FROM sites ORDER BY code")
            .fetch_all(c)
            .await?,
    )
}

pub async fn site(c: &mut AnyConnection, code: &str) -> Result<Option<SiteRow>> {
    Ok(
        sqlx::query_as("SELECT code, name, currency, time_zone FROM sites WHERE code = $1")
            .bind(code)
            .fetch_optional(c)
            .await?,
    )
}

pub async fn insert_store(c: &mut AnyConnection, s: &StoreRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO stores (id, name, site_code, fulfilment_mode, created_at, parent_store_id, program_state)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&s.id)
    .bind(&s.name)
    .bind(&s.site_code)
    .bind(&s.fulfilment_mode)
    .bind(s.created_at)
    .bind(&s.parent_store_id)
    .bind(s.program_state.map(|p| p.as_str()))
    .execute(c)
    .await?;
    Ok(())
}

const STORE_COLUMNS: &str = "id, name, site_code, fulfilment_mode, created_at, safety_threshold, suspended_at, suspension_reason, parent_store_id, program_state";

/// Moves a program store from one program state to the next (NULL: open); false when
/// it was not where the caller found it.
pub async fn set_program_state(
    c: &mut AnyConnection,
    store_id: &str,
    from: Option<marketdesk_core::programs::fully_managed::ProgramState>,
    to: Option<marketdesk_core::programs::fully_managed::ProgramState>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE stores SET program_state = $1 WHERE id = $2 AND COALESCE(program_state, 'open') = $3",
    )
    .bind(to.map(|p| p.as_str()))
    .bind(store_id)
    .bind(from.map(|p| p.as_str()).unwrap_or("open"))
    .execute(c)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Locks a store's row until the transaction ends, so a rule that counts the store's rows
/// before adding one holds. On SQLite every write transaction already holds the database's
/// writer lock (`BEGIN IMMEDIATE`), so there is nothing more to take.
pub async fn lock_store(
    c: &mut AnyConnection,
    backend: crate::Backend,
    store_id: &str,
) -> Result<()> {
    if backend == crate::Backend::Postgres {
        sqlx::query("SELECT id FROM stores WHERE id = $1 FOR UPDATE")
            .bind(store_id)
            .fetch_optional(c)
            .await?;
    }
    Ok(())
}

pub async fn store(c: &mut AnyConnection, id: &str) -> Result<Option<StoreRow>> {
    let sql = format!("SELECT {STORE_COLUMNS} FROM stores WHERE id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

pub async fn stores(c: &mut AnyConnection, only: Option<&str>) -> Result<Vec<StoreRow>> {
    let mut w = Conditions::default();
    w.eq("id", only);
    let sql = format!(
        "SELECT {STORE_COLUMNS} FROM stores{} ORDER BY id",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

pub async fn count_users(c: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(c)
        .await?)
}

pub async fn insert_user(c: &mut AnyConnection, u: &UserRow, token_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (id, name, role, store_id, created_at, login, team_role) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&u.id)
    .bind(&u.name)
    .bind(&u.role)
    .bind(&u.store_id)
    .bind(u.created_at)
    .bind(&u.login)
    .bind(&u.team_role)
    .execute(&mut *c)
    .await
    .map_err(duplicate_as("login"))?;
    let first = crate::api_tokens::TokenRow {
        id: marketdesk_core::id::new_id(),
        user_id: u.id.clone(),
        name: "default".into(),
        created_at: u.created_at,
        expires_at: None,
        last_used_at: None,
    };
    crate::api_tokens::insert(c, &first, token_hash).await
}

/// The user a token belongs to, found by the token's hash (tokens are never stored),
/// with the token's expiry.
pub async fn user_by_token_hash(
    c: &mut AnyConnection,
    hash: &str,
) -> Result<Option<(UserRow, Option<i64>)>> {
    #[derive(FromRow)]
    struct Found {
        #[sqlx(flatten)]
        user: UserRow,
        token_expires_at: Option<i64>,
    }
    let found: Option<Found> = sqlx::query_as(
        "SELECT u.id, u.name, u.role, u.store_id, u.created_at, u.login, u.team_role, u.disabled_at,
                st.suspended_at AS store_suspended_at, st.suspension_reason AS store_suspension_reason,
                t.expires_at AS token_expires_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         LEFT JOIN stores st ON st.id = u.store_id
         WHERE t.token_hash = $1 AND u.disabled_at IS NULL",
    )
    .bind(hash)
    .fetch_optional(c)
    .await?;
    Ok(found.map(|f| (f.user, f.token_expires_at)))
}

/// A store with its site's currency, in one round trip (the order hot path).
#[derive(Debug, Clone, FromRow)]
pub struct StoreWithCurrency {
    #[sqlx(flatten)]
    pub store: StoreRow,
    pub site_currency: String,
}

pub async fn store_with_currency(
    c: &mut AnyConnection,
    id: &str,
) -> Result<Option<StoreWithCurrency>> {
    let sql = format!(
        "SELECT {STORE_COLUMNS}, (SELECT currency FROM sites WHERE sites.code = stores.site_code) AS site_currency
         FROM stores WHERE id = $1"
    );
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(c)
        .await?)
}

/// A page of accounts, newest first; each given value narrows the list.
pub async fn users(
    c: &mut AnyConnection,
    role: Option<&str>,
    store_id: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> Result<Vec<UserRow>> {
    let mut w = Conditions::default();
    w.eq("role", role).eq("store_id", store_id);
    if let Some(id) = before {
        w.and("id < $?", Param::Text(id.to_string()));
    }
    let limit = w.mark(Param::Int(limit));
    let sql = format!(
        "SELECT id, name, role, store_id, created_at, login, team_role, disabled_at FROM users{} ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// The display names of the accounts `ids` (who claimed a case, who acted).
pub async fn names(c: &mut AnyConnection, ids: &[String]) -> Result<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Conditions::default();
    w.any_of("id", Some(ids));
    let sql = format!("SELECT id, name FROM users{}", w.clause());
    w.fetch_all(c, sql).await
}

/// Disables an account of any kind and ends its console sessions (its API tokens stop
/// at the next lookup: authentication reads only enabled accounts).
pub async fn disable_user(c: &mut AnyConnection, user_id: &str, now: i64) -> Result<bool> {
    let done =
        sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(&mut *c)
            .await?;
    sqlx::query("DELETE FROM console_sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn user(c: &mut AnyConnection, id: &str) -> Result<Option<UserRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, role, store_id, created_at, login, team_role, disabled_at FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await?)
}

/// Replaces every API token of an account by one new token (by its hash).
pub async fn replace_tokens(
    c: &mut AnyConnection,
    user_id: &str,
    token_hash: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *c)
        .await?;
    let row = crate::api_tokens::TokenRow {
        id: marketdesk_core::id::new_id(),
        user_id: user_id.into(),
        name: "default".into(),
        created_at: now,
        expires_at: None,
        last_used_at: None,
    };
    crate::api_tokens::insert(c, &row, token_hash).await
}

/// Suspends (with a reason) or reinstates (`None`) a store. Only a store in the other
/// standing changes: false when the store was already where it was asked to go.
pub async fn set_standing(
    c: &mut AnyConnection,
    store_id: &str,
    suspended: Option<(i64, &str)>,
) -> Result<bool> {
    let done = match suspended {
        Some((at, reason)) => {
            sqlx::query(
                "UPDATE stores SET suspended_at = $1, suspension_reason = $2
             WHERE id = $3 AND suspended_at IS NULL",
            )
            .bind(at)
            .bind(reason)
            .bind(store_id)
            .execute(c)
            .await?
        }
        None => {
            sqlx::query(
                "UPDATE stores SET suspended_at = NULL, suspension_reason = NULL
             WHERE id = $1 AND suspended_at IS NOT NULL",
            )
            .bind(store_id)
            .execute(c)
            .await?
        }
    };
    Ok(done.rows_affected() == 1)
}

/// A row of a store's own timeline (suspended, reinstated).
#[derive(Debug, Clone, FromRow)]
pub struct StoreEventRow {
    pub id: String,
    pub store_id: String,
    pub at: i64,
    pub actor_id: String,
    pub actor_role: String,
    pub action: String,
    pub reason: String,
}

pub async fn insert_store_event(c: &mut AnyConnection, e: &StoreEventRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO store_timeline (id, store_id, at, actor_id, actor_role, action, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&e.id)
    .bind(&e.store_id)
    .bind(e.at)
    .bind(&e.actor_id)
    .bind(&e.actor_role)
    .bind(&e.action)
    .bind(&e.reason)
    .execute(c)
    .await?;
    Ok(())
}

/// A store's timeline, newest first.
pub async fn store_events(c: &mut AnyConnection, store_id: &str) -> Result<Vec<StoreEventRow>> {
    Ok(sqlx::query_as(
        "SELECT id, store_id, at, actor_id, actor_role, action, reason
         FROM store_timeline WHERE store_id = $1 ORDER BY id DESC",
    )
    .bind(store_id)
    .fetch_all(c)
    .await?)
}
