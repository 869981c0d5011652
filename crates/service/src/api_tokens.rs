//! An account's API tokens as things of their own: several per account, each with a
//! name (which integration holds it), an optional expiry, and when it was last used, so
//! an admin — or the account itself — can see which are live and revoke one without
//! stopping the others.

use marketdesk_core::{Invalid, id, validation};
use marketdesk_store::api_tokens::{self, TokenRow};
use marketdesk_store::catalog;

use crate::accounts::{hash_token, new_token};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// A token as listed: never the token, never its hash.
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    /// To within a minute (a resolved token is remembered that long).
    pub last_used_at: Option<i64>,
}

impl From<TokenRow> for ApiToken {
    fn from(r: TokenRow) -> Self {
        ApiToken {
            id: r.id,
            user_id: r.user_id,
            name: r.name,
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct NewToken {
    pub name: String,
    /// RFC 3339; None: it never expires.
    pub expires_at: Option<String>,
}

/// Tokens one account may hold at once: enough for every integration, few enough that a
/// leaked admin token cannot mint an unbounded number of others.
pub const MAX_TOKENS_PER_USER: usize = 20;

/// Admins manage anyone's tokens; everyone else only their own.
fn may_manage(actor: &Actor, user_id: &str) -> ServiceResult<()> {
    if actor.role.administers() || actor.user_id == user_id {
        Ok(())
    } else {
        Err(ServiceError::NotFound(format!("no user {user_id}")))
    }
}

impl Service {
    /// An account's tokens, newest first.
    pub async fn tokens_of(&self, actor: &Actor, user_id: &str) -> ServiceResult<Vec<ApiToken>> {
        let user_id = id::parse_id(user_id)
            .ok_or_else(|| ServiceError::NotFound(format!("no user {user_id}")))?;
        may_manage(actor, &user_id)?;
        let mut c = self.db.reader().await?;
        catalog::user(&mut c, &user_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no user {user_id}")))?;
        Ok(api_tokens::of_user(&mut c, &user_id)
            .await?
            .into_iter()
            .map(ApiToken::from)
            .collect())
    }

    /// Issues one more token for an account; answers it with the token (shown once).
    pub async fn issue_token(
        &self,
        actor: &Actor,
        user_id: &str,
        new: NewToken,
    ) -> ServiceResult<(ApiToken, String)> {
        let user_id = id::parse_id(user_id)
            .ok_or_else(|| ServiceError::NotFound(format!("no user {user_id}")))?;
        may_manage(actor, &user_id)?;
        let now = self.now_us();
        let mut errors = Invalid::default();
        let name = validation::required_text(&mut errors, "name", &new.name, validation::MAX_NAME);
        let expires_at =
            crate::product_query::parse_instant(&mut errors, "expires_at", &new.expires_at);
        if expires_at.is_some_and(|e| e <= now) {
            errors.push("expires_at", "must be in the future");
        }
        errors.into_result()?;
        let token = new_token();
        let row = TokenRow {
            id: id::new_id(),
            user_id: user_id.clone(),
            name,
            created_at: now,
            expires_at,
            last_used_at: None,
        };
        let mut tx = self.db.begin().await?;
        let user = catalog::user(&mut tx, &user_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no user {user_id}")))?;
        if user.disabled_at.is_some() {
            return Err(ServiceError::conflict("this account is disabled"));
        }
        if api_tokens::of_user(&mut tx, &user_id).await?.len() >= MAX_TOKENS_PER_USER {
            return Err(ServiceError::conflict(format!(
                "an account holds at most {MAX_TOKENS_PER_USER} tokens; revoke one first"
            )));
        }
        api_tokens::insert(&mut tx, &row, &hash_token(&token)).await?;
        self.commit(tx).await?;
        crate::audit::note(
            &user_id,
            "token.issued",
            serde_json::Value::Null,
            serde_json::json!({"token_id": row.id, "name": row.name}),
        );
        Ok((row.into(), token))
    }

    /// Revokes one token. It stops at once in this process and, through the database's
    /// notification channel, in every other process.
    pub async fn revoke_token(&self, actor: &Actor, token_id: &str) -> ServiceResult<()> {
        let not_found = || ServiceError::NotFound(format!("no token {token_id}"));
        let id = id::parse_id(token_id).ok_or_else(not_found)?;
        let mut tx = self.db.begin().await?;
        let row = api_tokens::by_id(&mut tx, &id)
            .await?
            .ok_or_else(not_found)?;
        may_manage(actor, &row.user_id).map_err(|_| not_found())?;
        api_tokens::delete(&mut tx, &id).await?;
        self.commit(tx).await?;
        self.forget_tokens_of(&row.user_id).await;
        crate::audit::note(
            &row.user_id,
            "token.revoked",
            serde_json::json!({"token_id": row.id, "name": row.name}),
            serde_json::Value::Null,
        );
        Ok(())
    }
}
