//! What admins do to an existing account: disable it, set its console password, and
//! replace its API tokens. Each ends what the account could do before at once in this
//! process (other processes forget a token within their one-minute memory).

use marketdesk_core::{Invalid, credentials};
use marketdesk_store::catalog::{self, UserRow};
use marketdesk_store::sessions;

use crate::accounts::hash_token;
use crate::records::User;
use crate::require_admin;
use crate::{Actor, Service, ServiceError, ServiceResult};

impl Service {
    /// The account `user_id` names, for an admin; not found for anything else.
    async fn account(&self, c: &mut sqlx::AnyConnection, user_id: &str) -> ServiceResult<UserRow> {
        let not_found = || ServiceError::NotFound(format!("no user {user_id}"));
        let id = marketdesk_core::id::parse_id(user_id).ok_or_else(not_found)?;
        catalog::user(c, &id).await?.ok_or_else(not_found)
    }

    /// Disables an account (admins only): its console sessions end in the same
    /// transaction and its API tokens are refused from the next request on (this process
    /// forgets them at once; other processes within their one-minute token memory).
    pub async fn disable_user(&self, actor: &Actor, user_id: &str) -> ServiceResult<User> {
        require_admin(actor)?;
        let mut tx = self.db.begin().await?;
        let row = self.account(&mut tx, user_id).await?;
        if actor.user_id == row.id {
            return Err(ServiceError::conflict(
                "you cannot disable your own account",
            ));
        }
        if row.disabled_at.is_some() {
            return Err(ServiceError::conflict("this account is already disabled"));
        }
        let now = self.now_us();
        if !catalog::disable_user(&mut tx, &row.id, now).await? {
            return Err(ServiceError::conflict("this account is already disabled"));
        }
        self.commit(tx).await?;
        self.forget_tokens_of(&row.id).await;
        crate::audit::note(
            &row.id,
            "user.disabled",
            serde_json::json!({"disabled": false}),
            serde_json::json!({"disabled": true}),
        );
        Ok(User::from(UserRow {
            disabled_at: Some(now),
            store_suspended_at: None,
            store_suspension_reason: None,
            ..row
        }))
    }

    /// Sets an account's console password (its first, or a forgotten one); every
    /// console session of the account ends.
    pub async fn reset_password(
        &self,
        actor: &Actor,
        user_id: &str,
        new: &str,
    ) -> ServiceResult<()> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        credentials::password(&mut errors, "password", new);
        errors.into_result()?;
        let hash = crate::accounts::hash_password(new).await?;
        let mut tx = self.db.begin().await?;
        let row = self.account(&mut tx, user_id).await?;
        if row.login.is_none() {
            return Err(ServiceError::conflict(
                "this account has no console login; it uses the API only",
            ));
        }
        sessions::set_password_hash(&mut tx, &row.id, &hash).await?;
        sessions::delete_sessions_of(&mut tx, &row.id, None).await?;
        self.commit(tx).await?;
        crate::audit::note(
            &row.id,
            "user.password_reset",
            serde_json::Value::Null,
            serde_json::json!({"sessions_ended": true}),
        );
        Ok(())
    }

    /// Revokes every API token of an account and answers its one new token (shown once).
    pub async fn replace_token(&self, actor: &Actor, user_id: &str) -> ServiceResult<String> {
        require_admin(actor)?;
        let token = crate::accounts::new_token();
        let mut tx = self.db.begin().await?;
        let row = self.account(&mut tx, user_id).await?;
        catalog::replace_tokens(&mut tx, &row.id, &hash_token(&token), self.now_us()).await?;
        self.commit(tx).await?;
        self.forget_tokens_of(&row.id).await;
        crate::audit::note(
            &row.id,
            "user.tokens_replaced",
            serde_json::Value::Null,
            serde_json::json!({"tokens": 1}),
        );
        Ok(token)
    }
}
