//! Console sign-in: passwords (argon2), sessions kept in the database (revocable from
//! any process, 12 hours idle expiry) and guessing slowed per login and per address.
//! The rules are `marketdesk_core::credentials`; this module hashes, stores and asks.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use marketdesk_core::{Invalid, Language, credentials};
use marketdesk_store::sessions;
use rand::RngCore;

use crate::accounts::{hash_password, hash_token};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// Who is signed in to the console, as each page needs it.
#[derive(Debug, Clone)]
pub struct ConsoleSession {
    pub actor: Actor,
    pub name: String,
    pub login: String,
    /// Every form of this session carries it; a POST without it is refused.
    pub csrf_token: String,
    /// The reader's own choice, if they made one.
    pub language: Option<Language>,
    /// The site of the seller's store (its default language and zone).
    pub site_code: Option<String>,
    /// That site's time zone (IANA name).
    pub site_time_zone: Option<String>,
    /// That site's currency (ISO 4217).
    pub site_currency: Option<String>,
    /// For a seller of a suspended store: since when (microseconds) and why.
    pub suspension: Option<(i64, String)>,
}

pub struct LoggedIn {
    /// The cookie's value, shown to the browser once; only its hash is stored.
    pub cookie: String,
    pub session: ConsoleSession,
}

/// A session's last use is written at most this often, so browsing is not a write per
/// page; the idle expiry is 12 hours, so a minute's slack changes nothing.
const TOUCH_EVERY_US: i64 = 60 * 1_000_000;

pub(crate) fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// Whether `password` matches `stored`. An account without a password (or none at all)
/// is checked against a fixed hash, so a wrong login takes as long as a wrong password
/// and timing tells nobody which logins exist.
async fn verify_password(password: &str, stored: Option<String>) -> ServiceResult<bool> {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s,
        None => DUMMY
            .get_or_init(|| {
                Argon2::default()
                    .hash_password(b"not a password of anyone")
                    .map(|h| h.to_string())
                    .unwrap_or_default()
            })
            .clone(),
    };
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .map_err(|e| anyhow::anyhow!("password check task: {e}"))?;
    Ok(ok && known)
}

fn wrong() -> ServiceError {
    ServiceError::Unauthorized("the login or the password is wrong".into())
}

impl Service {
    /// Signs in with a login and password from `address`. Refused while either the login
    /// or the address has failed too often (see `credentials::wait_after`); a failure
    /// counts against both, a success clears the login's count.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        address: &str,
    ) -> ServiceResult<LoggedIn> {
        let login = login.trim().to_lowercase();
        if login.is_empty() || password.is_empty() {
            let mut errors = Invalid::default();
            if login.is_empty() {
                errors.push("login", "is required");
            }
            if password.is_empty() {
                errors.push("password", "is required");
            }
            return Err(errors.into());
        }
        let keys = [format!("login:{login}"), format!("addr:{address}")];
        let now = self.now_us();
        {
            let mut c = self.db.reader().await?;
            for key in &keys {
                if let Some((failures, last)) = sessions::failures(&mut c, key).await?
                    && let Some(wait) = credentials::must_wait(failures, last, now)
                {
                    let secs = (wait + 999_999) / 1_000_000;
                    return Err(ServiceError::Throttled {
                        detail: format!("too many failed sign-ins; try again in {secs} s"),
                        retry_after: secs as u64,
                    });
                }
            }
        }
        let row = {
            let mut c = self.db.reader().await?;
            sessions::by_login(&mut c, &login).await?
        };
        let usable = row.as_ref().filter(|r| r.disabled_at.is_none());
        let ok = verify_password(password, usable.and_then(|r| r.password_hash.clone())).await?;
        let mut tx = self.db.begin().await?;
        let Some(row) = row.filter(|_| ok) else {
            for key in &keys {
                sessions::record_failure(&mut tx, key, now).await?;
            }
            self.commit(tx).await?;
            return Err(wrong());
        };
        sessions::clear_failures(&mut tx, &keys[0]).await?;
        let cookie = random_token("mds_");
        let csrf = random_token("");
        sessions::insert_session(&mut tx, &hash_token(&cookie), &row.user.id, &csrf, now).await?;
        self.commit(tx).await?;
        let session = self.console_session(&cookie).await?;
        Ok(LoggedIn { cookie, session })
    }

    /// The session a cookie names, if it is live: not ended, not idle for 12 hours, its
    /// account not disabled.
    pub async fn console_session(&self, cookie: &str) -> ServiceResult<ConsoleSession> {
        let id_hash = hash_token(cookie);
        let now = self.now_us();
        let mut c = self.db.reader().await?;
        let row = sessions::session(&mut c, &id_hash)
            .await?
            .filter(|s| s.disabled_at.is_none())
            .ok_or_else(|| ServiceError::Unauthorized("not signed in".into()))?;
        drop(c);
        if credentials::session_lapsed(row.last_seen_at, now) {
            let mut tx = self.db.begin().await?;
            sessions::delete_session(&mut tx, &id_hash).await?;
            self.commit(tx).await?;
            return Err(ServiceError::Unauthorized("the session has expired".into()));
        }
        if now - row.last_seen_at >= TOUCH_EVERY_US {
            let mut tx = self.db.begin().await?;
            sessions::touch_session(&mut tx, &id_hash, now).await?;
            self.commit(tx).await?;
        }
        let name = row.user.name.clone();
        let login = row.user.login.clone().unwrap_or_default();
        let suspension = row.user.store_suspended_at.map(|at| {
            (
                at,
                row.user.store_suspension_reason.clone().unwrap_or_default(),
            )
        });
        Ok(ConsoleSession {
            actor: crate::accounts::actor_of(row.user)?,
            name,
            login,
            csrf_token: row.csrf_token,
            language: row.language.and_then(|l| l.parse().ok()),
            site_code: row.site_code,
            site_time_zone: row.site_time_zone,
            site_currency: row.site_currency,
            suspension,
        })
    }

    /// Ends a session on the server: the cookie stops working everywhere at once.
    pub async fn logout(&self, cookie: &str) -> ServiceResult<()> {
        let mut tx = self.db.begin().await?;
        sessions::delete_session(&mut tx, &hash_token(cookie)).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Changes the actor's password after checking the current one; every other session
    /// of the account ends (`keep_cookie`: the console session that asked stays).
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        keep_cookie: Option<&str>,
    ) -> ServiceResult<()> {
        let mut errors = Invalid::default();
        credentials::password(&mut errors, "new", new);
        errors.into_result()?;
        let row = {
            let mut c = self.db.reader().await?;
            sessions::by_id(&mut c, &actor.user_id).await?
        };
        let stored = row.and_then(|r| r.password_hash);
        if stored.is_none() {
            return Err(ServiceError::conflict(
                "this account has no console password; an admin sets the first one",
            ));
        }
        if !verify_password(current, stored).await? {
            return Err(Invalid::one("current", "is not the current password").into());
        }
        let hash = hash_password(new).await?;
        let mut tx = self.db.begin().await?;
        sessions::set_password_hash(&mut tx, &actor.user_id, &hash).await?;
        let keep = keep_cookie.map(hash_token);
        sessions::delete_sessions_of(&mut tx, &actor.user_id, keep.as_deref()).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
