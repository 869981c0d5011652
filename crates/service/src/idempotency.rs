//! `Idempotency-Key`: the interface claims the key before running a write and saves the
//! answer after. The write itself marks the claim as applied inside its own transaction
//! ([`Service::commit`]), so however a process dies between the commit and the saved
//! answer, a retry never applies the write a second time: it gets the saved answer, or,
//! if the answer was lost, a refusal saying the change was made.

use marketdesk_store::Tx;
pub use marketdesk_store::idempotency::Claim;

use crate::{Actor, Service, ServiceResult};

/// A claim older than this (on the service's clock) whose request never finished and
/// whose write never committed — the process died first — may be retried.
const STALE_AFTER_US: i64 = 60 * 1_000_000;

/// The key a request runs under: set by the interface around the use case it calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub user_id: String,
    pub key: String,
}

tokio::task_local! {
    static CURRENT: IdempotencyKey;
}

impl IdempotencyKey {
    /// Runs `f` (a use case) under this key: every transaction it commits through
    /// [`Service::commit`] marks the key's claim as applied.
    pub async fn scope<F: std::future::Future>(self, f: F) -> F::Output {
        CURRENT.scope(self, f).await
    }

    /// The key of the request being served, if it has one.
    pub fn current() -> Option<IdempotencyKey> {
        CURRENT.try_with(Clone::clone).ok()
    }
}

impl Service {
    /// Commits a use case's transaction; under an `Idempotency-Key`, the claim is marked
    /// applied in the same transaction first.
    pub(crate) async fn commit(&self, tx: Tx) -> ServiceResult<()> {
        self.commit_for(tx, IdempotencyKey::current().as_ref())
            .await
    }

    /// [`Service::commit`] for a key carried explicitly (group commit runs orders on
    /// another task than the request's).
    pub(crate) async fn commit_for(
        &self,
        mut tx: Tx,
        key: Option<&IdempotencyKey>,
    ) -> ServiceResult<()> {
        if let Some(k) = key {
            self.mark_applied(&mut tx, k).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(crate) async fn mark_applied(
        &self,
        c: &mut sqlx::AnyConnection,
        k: &IdempotencyKey,
    ) -> ServiceResult<()> {
        marketdesk_store::idempotency::mark_applied(c, &k.user_id, &k.key, self.now_us()).await?;
        Ok(())
    }

    pub async fn idempotency_claim(
        &self,
        actor: &Actor,
        key: &str,
        request_hash: &str,
    ) -> ServiceResult<Claim> {
        let mut tx = self.db.begin().await?;
        let claim = marketdesk_store::idempotency::claim(
            &mut tx,
            &actor.user_id,
            key,
            request_hash,
            self.now_us(),
            STALE_AFTER_US,
        )
        .await?;
        tx.commit().await?;
        Ok(claim)
    }

    pub async fn idempotency_complete(
        &self,
        actor: &Actor,
        key: &str,
        status: u16,
        body: &str,
    ) -> ServiceResult<()> {
        let mut tx = self.db.begin().await?;
        marketdesk_store::idempotency::complete(&mut tx, &actor.user_id, key, status, body).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn idempotency_release(&self, actor: &Actor, key: &str) -> ServiceResult<()> {
        let mut tx = self.db.begin().await?;
        marketdesk_store::idempotency::release(&mut tx, &actor.user_id, key).await?;
        tx.commit().await?;
        Ok(())
    }
}
