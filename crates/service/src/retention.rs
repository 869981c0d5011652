//! How long the server keeps what only served a moment: dispatched events, finished
//! deliveries and their attempts, idempotency keys, lapsed console sessions. History
//! (the timeline, the stock ledger, the audit log, the inbox) is never pruned.

use std::time::Duration;

use marketdesk_store::retention;
use serde::Deserialize;

use crate::{Service, ServiceResult};

/// The settings' `[retention]`; ages in hours.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// Outbox events, counted from their dispatch (default 30 days). An event with a
    /// delivery still pending is kept whatever its age.
    pub events_hours: u32,
    /// Delivered, dead and cancelled deliveries with their attempts (default 30 days):
    /// the delivery log and replays reach back this far.
    pub deliveries_hours: u32,
    /// Idempotency keys (default 24 hours): a retry with the same key later than this
    /// runs again.
    pub idempotency_hours: u32,
    /// Console sessions since last seen, and sign-in failure counts (default 24 hours;
    /// a session lapses after 12 idle hours anyway).
    pub sessions_hours: u32,
    /// Rows per delete transaction.
    pub batch: u32,
}

impl Default for RetentionConfig {
    fn default() -> Self {
        RetentionConfig {
            events_hours: 30 * 24,
            deliveries_hours: 30 * 24,
            idempotency_hours: 24,
            sessions_hours: 24,
            batch: 1_000,
        }
    }
}

/// Rows removed by one pruning run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub events: u64,
    pub deliveries: u64,
    pub idempotency_keys: u64,
    pub sessions: u64,
}

const HOUR_US: i64 = 3_600_000_000;

impl Service {
    /// Prunes everything past its age, a batch per transaction, until nothing is left.
    /// Deliveries go before events, so an event whose last delivery finished long ago
    /// goes in the same run.
    pub async fn prune(&self, cfg: &RetentionConfig) -> ServiceResult<Pruned> {
        let now = self.now_us();
        let before = |hours: u32| now - i64::from(hours) * HOUR_US;
        let batch = i64::from(cfg.batch.max(1));
        let mut pruned = Pruned {
            deliveries: self
                .prune_kind(before(cfg.deliveries_hours), batch, Kind::Deliveries)
                .await?,
            ..Pruned::default()
        };
        pruned.events = self
            .prune_kind(before(cfg.events_hours), batch, Kind::Events)
            .await?;
        pruned.idempotency_keys = self
            .prune_kind(before(cfg.idempotency_hours), batch, Kind::Idempotency)
            .await?;
        pruned.sessions = self
            .prune_kind(before(cfg.sessions_hours), batch, Kind::Sessions)
            .await?;
        Ok(pruned)
    }

    async fn prune_kind(&self, before: i64, batch: i64, kind: Kind) -> ServiceResult<u64> {
        let mut total = 0;
        loop {
            let mut tx = self.db.begin().await?;
            let n = match kind {
                Kind::Events => retention::outbox(&mut tx, before, batch).await?,
                Kind::Deliveries => retention::deliveries(&mut tx, before, batch).await?,
                Kind::Idempotency => retention::idempotency(&mut tx, before, batch).await?,
                Kind::Sessions => retention::sessions(&mut tx, before, batch).await?,
            };
            tx.commit().await?;
            total += n;
            if n < batch as u64 {
                return Ok(total);
            }
            // Let writers in between batches.
            tokio::task::yield_now().await;
        }
    }

    /// Prunes every `every` until the process ends.
    pub async fn run_retention(self, cfg: RetentionConfig, every: Duration) {
        loop {
            match self.prune(&cfg).await {
                Ok(p) if p != Pruned::default() => tracing::info!(?p, "pruned old rows"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "pruning failed; trying again later"),
            }
            tokio::time::sleep(every).await;
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Events,
    Deliveries,
    Idempotency,
    Sessions,
}
