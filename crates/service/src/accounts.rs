//! Sites, stores, users and API tokens.

use std::sync::atomic::Ordering;

use marketdesk_core::store_standing::Standing;
use marketdesk_core::team::TeamRole;
use marketdesk_core::{
    FulfilmentMode, Invalid, Language, Role, credentials, id::new_id, site::default_sites,
    validation,
};
use marketdesk_store::catalog::{self, SiteRow, StoreRow, UserRow};
use marketdesk_store::{api_tokens, notify_settings, sessions};

use crate::records::{Site, Store, User, records};
use argon2::password_hash::PasswordHasher;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::require_admin;
use crate::{Actor, Service, ServiceError, ServiceResult};

/// Tokens carry 256 random bits, so a fast hash is enough to store them: unlike a
/// password there is nothing to guess, and lookups stay one indexed read per request.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("mdk_{}", hex::encode(bytes))
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub role: String,
    pub store_id: Option<String>,
    /// zh-CN or en; None: the site's default.
    pub language: Option<String>,
    /// A console login and its password, given together (API-only accounts have none).
    pub login: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CreatedUser {
    pub user: User,
    /// Shown once; only its hash is kept.
    pub token: String,
}

#[derive(Debug, Clone)]
pub struct NewStore {
    pub name: String,
    pub site: String,
    pub fulfilment_mode: String,
}

/// How long a resolved token is trusted without asking the database again.
const TOKEN_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(60);
/// Tokens remembered at most; the cache starts over when full.
const TOKEN_CACHE_MAX: usize = 10_000;

fn expired() -> ServiceError {
    ServiceError::Unauthorized("the API token has expired".into())
}

/// Who a stored account acts as: its platform role and, for a seller, its team role.
pub(crate) fn actor_of(user: UserRow) -> ServiceResult<Actor> {
    let role = user
        .role
        .parse::<Role>()
        .map_err(|e| anyhow::anyhow!("stored role: {e}"))?;
    let team = match role {
        Role::Seller => Some(
            TeamRole::from_column(user.team_role.as_deref())
                .map_err(|e| anyhow::anyhow!("stored team role: {e}"))?,
        ),
        _ => None,
    };
    Ok(Actor {
        user_id: user.id,
        role,
        store_id: user.store_id,
        team,
        standing: Standing::of(user.store_suspended_at),
    })
}

impl Service {
    /// Makes an empty database usable: default sites, and on first start an admin whose
    /// token is `admin_token` or a generated one. Returns the generated token, if any,
    /// so the caller can print it once.
    pub async fn bootstrap(&self, admin_token: Option<&str>) -> ServiceResult<Option<String>> {
        let mut tx = self.db.begin().await?;
        for site in default_sites() {
            let row = SiteRow {
                code: site.code,
                name: site.name,
                currency: site.currency,
                time_zone: site.time_zone,
            };
            catalog::upsert_site(&mut tx, &row).await?;
        }
        self.seed_calendars(&mut tx).await?;
        self.seed_rules(&mut tx).await?;
        let mut generated = None;
        if catalog::count_users(&mut tx).await? == 0 {
            let token = match admin_token {
                Some(t) if !t.trim().is_empty() => {
                    // The operator chose it (architecture.md: created "with this value"),
                    // so a short one is accepted, with a warning.
                    if t.trim().len() < 16 {
                        tracing::warn!(
                            "MARKETDESK_ADMIN_TOKEN is shorter than 16 characters; anyone who guesses it is admin"
                        );
                    }
                    t.trim().to_string()
                }
                _ => {
                    let t = new_token();
                    generated = Some(t.clone());
                    t
                }
            };
            let admin = UserRow {
                id: new_id(),
                name: "admin".into(),
                role: Role::Admin.as_str().into(),
                store_id: None,
                created_at: self.now_us(),
                login: None,
                team_role: None,
                disabled_at: None,
                store_suspended_at: None,
                store_suspension_reason: None,
            };
            catalog::insert_user(&mut tx, &admin, &hash_token(&token)).await?;
        }
        self.commit(tx).await?;
        Ok(generated)
    }

    /// The actor of a token this process resolved in the last minute, without waiting
    /// on anything: None when it must be read from the database. The API's token check
    /// answers most requests from here without an `await`, so it need not clone the
    /// route's service stack to carry it across one.
    pub fn authenticate_remembered(&self, token: &str) -> Option<ServiceResult<Actor>> {
        let hash = hash_token(token);
        let cache = self.tokens.read().expect("token cache");
        let (actor, at, expires_at) = cache.get(&hash)?;
        if at.elapsed() >= TOKEN_CACHE_TTL {
            return None;
        }
        if expires_at.is_some_and(|e| e <= self.now_us()) {
            return Some(Err(expired()));
        }
        Some(Ok(actor.clone()))
    }

    /// Resolves a token. Valid tokens are remembered for a minute (by hash, never the
    /// token itself): a lookup per request is a database round trip on the hottest path,
    /// and revoking a token or disabling a user forgets them in every process at once (the
    /// epoch below guards a read racing such a change). Unknown tokens are not remembered.
    pub async fn authenticate(&self, token: &str) -> ServiceResult<Actor> {
        if let Some(known) = self.authenticate_remembered(token) {
            return known;
        }
        let hash = hash_token(token);
        let now = self.now_us();
        let epoch = self.token_epoch.load(Ordering::SeqCst);
        let mut c = self.db.reader().await?;
        let (user, expires_at) = catalog::user_by_token_hash(&mut c, &hash)
            .await?
            .ok_or_else(|| ServiceError::Unauthorized("the API token is not valid".into()))?;
        drop(c);
        if expires_at.is_some_and(|e| e <= now) {
            return Err(expired());
        }
        let actor = actor_of(user)?;
        // Last used, to within the minute the token is remembered; off the request's path.
        let db = self.db.clone();
        let touched = hash.clone();
        tokio::spawn(async move {
            let Ok(mut tx) = db.begin().await else { return };
            if api_tokens::touch(&mut tx, &touched, now).await.is_ok() {
                let _ = tx.commit().await;
            }
        });
        let mut cache = self.tokens.write().expect("token cache");
        // Something was forgotten while we read: what we read may be from before it.
        if self.token_epoch.load(Ordering::SeqCst) != epoch {
            return Ok(actor);
        }
        if cache.len() >= TOKEN_CACHE_MAX {
            cache.clear();
        }
        cache.insert(hash, (actor.clone(), std::time::Instant::now(), expires_at));
        Ok(actor)
    }

    pub async fn create_user(&self, actor: &Actor, new: NewUser) -> ServiceResult<CreatedUser> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let name = validation::required_text(&mut errors, "name", &new.name, validation::MAX_NAME);
        let role = new
            .role
            .parse::<Role>()
            .map_err(|m| errors.push("role", m))
            .ok();
        match (role, &new.store_id) {
            (Some(r), None) if r.bound_to_store() => {
                errors.push("store_id", "a seller must be bound to a store")
            }
            (Some(r), Some(_)) if !r.bound_to_store() => {
                errors.push("store_id", "only sellers are bound to a store")
            }
            _ => {}
        }
        let language = match new.language.as_deref().map(str::parse::<Language>) {
            Some(Err(m)) => {
                errors.push("language", m);
                None
            }
            Some(Ok(l)) => Some(l),
            None => None,
        };
        let login = match (&new.login, &new.password) {
            (Some(l), Some(p)) => {
                let login = credentials::login(&mut errors, "login", l);
                credentials::password(&mut errors, "password", p);
                login
            }
            (Some(_), None) => {
                errors.push("password", "is required with a login");
                None
            }
            (None, Some(_)) => {
                errors.push("login", "is required with a password");
                None
            }
            (None, None) => None,
        };
        errors.into_result()?;
        let password_hash = match &new.password {
            Some(p) => Some(hash_password(p).await?),
            None => None,
        };
        let mut tx = self.db.begin().await?;
        if let Some(store_id) = &new.store_id
            && catalog::store(&mut tx, store_id).await?.is_none()
        {
            return Err(Invalid::one("store_id", "no store with this id").into());
        }
        let token = new_token();
        let user = UserRow {
            id: new_id(),
            name,
            role: role.expect("validated").as_str().into(),
            store_id: new.store_id,
            created_at: self.now_us(),
            login: login.clone(),
            team_role: None,
            disabled_at: None,
            store_suspended_at: None,
            store_suspension_reason: None,
        };
        catalog::insert_user(&mut tx, &user, &hash_token(&token)).await?;
        if let (Some(login), Some(hash)) = (&login, &password_hash) {
            sessions::set_credentials(&mut tx, &user.id, login, hash).await?;
        }
        if let Some(l) = language {
            notify_settings::set_language(&mut tx, &user.id, l.as_str()).await?;
        }
        self.commit(tx).await?;
        crate::audit::note(
            &user.id,
            "user.created",
            serde_json::Value::Null,
            serde_json::json!({"name": user.name, "role": user.role, "store_id": user.store_id, "login": user.login}),
        );
        Ok(CreatedUser {
            user: user.into(),
            token,
        })
    }

    pub async fn create_store(&self, actor: &Actor, new: NewStore) -> ServiceResult<Store> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let name = validation::required_text(&mut errors, "name", &new.name, validation::MAX_NAME);
        let mode = new
            .fulfilment_mode
            .parse::<FulfilmentMode>()
            .map_err(|m| errors.push("fulfilment_mode", m))
            .ok();
        let mut tx = self.db.begin().await?;
        if catalog::site(&mut tx, &new.site).await?.is_none() {
            let known: Vec<String> = catalog::sites(&mut tx)
                .await?
                .into_iter()
                .map(|s| s.code)
                .collect();
            errors.push(
                "site",
                format!("unknown site \"{}\"; known: {}", new.site, known.join(", ")),
            );
        }
        errors.into_result()?;
        let store = StoreRow {
            id: new_id(),
            name,
            site_code: new.site,
            fulfilment_mode: mode.expect("validated").as_str().into(),
            created_at: self.now_us(),
            safety_threshold: marketdesk_core::stock::DEFAULT_SAFETY_THRESHOLD,
            suspended_at: None,
            suspension_reason: None,
            parent_store_id: None,
            program_state: None,
        };
        catalog::insert_store(&mut tx, &store).await?;
        self.commit(tx).await?;
        self.ensure_monitoring_schedules().await?;
        crate::audit::note(
            &store.id,
            "store.created",
            serde_json::Value::Null,
            serde_json::json!({"name": store.name, "site": store.site_code, "fulfilment_mode": store.fulfilment_mode}),
        );
        Ok(store.into())
    }

    pub async fn store(&self, actor: &Actor, store_id: &str) -> ServiceResult<Store> {
        let mut c = self.db.reader().await?;
        Ok(self.visible_store(&mut c, actor, store_id).await?.into())
    }

    /// The store, if the actor may see it. Another store's id answers 403 for a seller:
    /// the seller learns nothing about it but that it is not theirs.
    pub(crate) async fn visible_store(
        &self,
        c: &mut sqlx::AnyConnection,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<StoreRow> {
        if !actor.can_see_store(store_id) {
            return Err(ServiceError::Forbidden(
                "this token may only use its own store".into(),
            ));
        }
        catalog::store(c, store_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no store with id {store_id}")))
    }

    pub async fn stores(&self, actor: &Actor) -> ServiceResult<Vec<Store>> {
        let mut c = self.db.reader().await?;
        let only = if actor.role.is_platform() {
            None
        } else {
            Some(actor.store_id.as_deref().unwrap_or("-"))
        };
        Ok(records(catalog::stores(&mut c, only).await?))
    }

    pub async fn sites(&self) -> ServiceResult<Vec<Site>> {
        let mut c = self.db.reader().await?;
        Ok(records(catalog::sites(&mut c).await?))
    }
}

#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    pub role: Option<String>,
    pub store_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

impl Service {
    /// Every account, newest first, for admins: no token or hash is ever part of it.
    pub async fn users(
        &self,
        actor: &Actor,
        q: UserQuery,
    ) -> ServiceResult<(Vec<User>, Option<String>)> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let limit = crate::paging::limit(&mut errors, q.limit);
        let before = crate::paging::cursor(&mut errors, q.cursor.as_deref());
        if let Some(r) = &q.role
            && let Err(m) = r.parse::<Role>()
        {
            errors.push("role", m);
        }
        errors.into_result()?;
        let mut c = self.db.reader().await?;
        let mut rows = catalog::users(
            &mut c,
            q.role.as_deref(),
            q.store_id.as_deref(),
            before.as_deref(),
            limit + 1,
        )
        .await?;
        let next = crate::paging::next(&mut rows, limit, |u| &u.id);
        Ok((records(rows), next))
    }
}

/// Hashing takes tens of milliseconds of CPU on purpose: off the async workers.
pub(crate) async fn hash_password(password: &str) -> ServiceResult<String> {
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || {
        argon2::Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| anyhow::anyhow!("password hashing task: {e}"))?
    .map_err(|e| anyhow::anyhow!("password hashing: {e}"))?;
    Ok(hash)
}
