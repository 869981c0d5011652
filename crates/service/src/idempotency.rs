//! `Idempotency-Key`: the interface asks here before running a write, and saves the
//! answer after, so a retried request returns the first answer and changes nothing.

pub use marketdesk_store::idempotency::Claim;

use crate::{Actor, Service, ServiceResult};

/// A claim older than this whose request never finished (the process died) may be
/// retried.
const STALE_AFTER_US: i64 = 60 * 1_000_000;

impl Service {
    pub async fn idempotency_claim(
        &self,
        actor: &Actor,
        key: &str,
        request_hash: &str,
    ) -> ServiceResult<Claim> {
        let mut tx = self.db.begin().await?;
        let now = jiff::Timestamp::now().as_microsecond();
        let claim = marketdesk_store::idempotency::claim(
            &mut tx,
            &actor.user_id,
            key,
            request_hash,
            now,
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
