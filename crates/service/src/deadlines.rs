//! The deadline worker: fires every due deadline exactly once, including those that
//! passed while nothing ran, and on PostgreSQL shares the work between processes.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use marketdesk_core::deadline::DeadlineKind;
use marketdesk_store::deadlines::{DeadlineRow, StoredKind};
use marketdesk_store::{deadlines, sandbox};

use crate::violation_deadlines::violation_step;
use crate::{Clock, Service, ServiceResult};

/// Due deadlines fired per transaction: large enough to amortise the commit and, for
/// violation deadlines, the batch's few statements; small enough that a transaction
/// stays short (tens of milliseconds) and other processes get their share.
pub const FIRE_BATCH: i64 = 1000;

impl Service {
    /// Claims and fires up to `limit` due deadlines in one transaction; returns how many
    /// fired. Zero means nothing is due now.
    pub async fn fire_due_deadlines(&self, limit: i64) -> ServiceResult<usize> {
        let now = self.now_us();
        if !deadlines::any_due(&mut *self.db.reader().await?, now).await? {
            return Ok(0);
        }
        let mut tx = self.db.begin().await?;
        let due = deadlines::claim_due(&mut tx, self.db.backend(), now, limit).await?;
        if due.is_empty() {
            return Ok(0);
        }
        // Violation deadlines together (a handful of statements for the lot), then the
        // rest one after another.
        let (violation, rest): (Vec<&DeadlineRow>, Vec<&DeadlineRow>) =
            due.iter().partition(|d| violation_step(&d.kind).is_some());
        let mut all_fired =
            violation.is_empty() || self.violation_deadlines(&mut tx, &violation).await.is_ok();
        for d in rest {
            if !all_fired {
                break;
            }
            all_fired = self.fire_deadline(&mut tx, d).await.is_ok();
        }
        if !all_fired {
            drop(tx);
            return self.fire_one_by_one(now, limit).await;
        }
        let ids: Vec<String> = due.iter().map(|d| d.id.clone()).collect();
        let fired = deadlines::mark_fired(&mut tx, &ids, now, &self.instance).await?;
        self.commit(tx).await?;
        self.nudge_dispatcher();
        Ok(fired as usize)
    }

    /// The slow path after a failure in a batch: each deadline in its own savepoint, so
    /// one whose action fails is set aside (`failed`, with the reason) and the others fire.
    async fn fire_one_by_one(&self, now: i64, limit: i64) -> ServiceResult<usize> {
        use sqlx::Connection;
        let mut tx = self.db.begin().await?;
        let due = deadlines::claim_due(&mut tx, self.db.backend(), now, limit).await?;
        let mut ids = Vec::new();
        for d in &due {
            let mut sp = tx.begin().await?;
            match self.fire_deadline(&mut sp, d).await {
                Ok(()) => {
                    sp.commit().await?;
                    ids.push(d.id.clone());
                }
                Err(e) => {
                    sp.rollback().await?;
                    tracing::error!(deadline = %d.id, kind = %d.kind, subject = %d.subject_id, error = ?e, "deadline action failed; set aside");
                    deadlines::mark_failed(&mut tx, &d.id, now, &self.instance, &e.to_string())
                        .await?;
                }
            }
        }
        let fired = deadlines::mark_fired(&mut tx, &ids, now, &self.instance).await?;
        self.commit(tx).await?;
        self.nudge_dispatcher();
        // Failed ones count as handled: the caller's loop must not stop early.
        Ok((fired as usize).max(due.len()))
    }

    /// Fires one deadline inside the worker's transaction: the one place where every
    /// kind meets its action.
    async fn fire_deadline(
        &self,
        tx: &mut sqlx::AnyConnection,
        d: &DeadlineRow,
    ) -> ServiceResult<()> {
        let subject = d.subject_id.as_str();
        let StoredKind::Known(kind) = &d.kind else {
            return Err(anyhow::anyhow!("unknown deadline kind {}", d.kind).into());
        };
        match kind {
            DeadlineKind::Rectification | DeadlineKind::RelistReview => {
                self.violation_deadlines(tx, &[d]).await
            }
            DeadlineKind::TicketAnswer => self.ticket_timed_out(tx, subject).await,
            DeadlineKind::CaseDecision => self.case_decision_timed_out(tx, subject).await,
            DeadlineKind::LabelUpload => self.label_timed_out(tx, subject).await,
            DeadlineKind::ReshipmentDecision => self.reshipment_timed_out(tx, subject).await,
            DeadlineKind::AffiliateExit => self.run_affiliate_exit(tx, subject).await,
            DeadlineKind::ApplicationReview => self.application_review_late(tx, subject).await,
            DeadlineKind::JitInbound => self.jit_inbound_missed(tx, subject).await,
            DeadlineKind::RefundPayout => self.refund_payout_late(tx, subject).await,
            DeadlineKind::DailyInspection => self.daily_inspection(tx, subject).await,
            DeadlineKind::WeeklyReview => self.weekly_review_run(tx, subject).await,
        }
    }

    /// Fires until nothing is due.
    pub async fn fire_all_due(&self) -> ServiceResult<usize> {
        let mut total = 0;
        loop {
            let n = self.fire_due_deadlines(FIRE_BATCH).await?;
            total += n;
            if n == 0 {
                return Ok(total);
            }
        }
    }

    /// With the sandbox clock: adopt the time stored in the database (set before a
    /// restart, or moved by another process), then store ours if it is later.
    pub async fn sync_sandbox_clock(&self) -> ServiceResult<()> {
        let Some(manual) = self.clock.as_manual() else {
            return Ok(());
        };
        let mut tx = self.db.begin().await?;
        if let Some(stored) = sandbox::now(&mut tx).await? {
            manual.adopt(Timestamp::from_microsecond(stored).map_err(|e| anyhow::anyhow!(e))?);
        }
        let stored = sandbox::advance_to(&mut tx, Clock::now(manual).as_microsecond()).await?;
        self.commit(tx).await?;
        manual.adopt(Timestamp::from_microsecond(stored).map_err(|e| anyhow::anyhow!(e))?);
        Ok(())
    }

    /// Moves the sandbox clock (forward only), shares it through the database and fires
    /// whatever fell due, before answering.
    pub async fn move_sandbox_clock(
        &self,
        actor: &crate::Actor,
        to: Option<Timestamp>,
        by: Option<SignedDuration>,
    ) -> ServiceResult<Timestamp> {
        if !actor.role.administers() {
            return Err(crate::ServiceError::Forbidden(
                "only an admin moves the clock".into(),
            ));
        }
        let manual = self.clock.as_manual().ok_or_else(|| {
            crate::ServiceError::conflict(
                "the clock is the system clock; start the server with --clock manual to move time",
            )
        })?;
        self.sync_sandbox_clock().await?;
        let before = manual.now();
        let moved = match (to, by) {
            (Some(t), None) => manual.set(t),
            (None, Some(d)) => manual.advance(d),
            _ => {
                return Err(marketdesk_core::Invalid::one(
                    "body",
                    "give exactly one of advance_by and set_to",
                )
                .into());
            }
        };
        let now = moved.map_err(crate::ServiceError::conflict)?;
        crate::audit::note(
            "sandbox_clock",
            "clock.moved",
            serde_json::json!({"now": before.to_string()}),
            serde_json::json!({"now": now.to_string()}),
        );
        self.sync_sandbox_clock().await?;
        self.fire_all_due().await?;
        self.wake.notify_waiters();
        Ok(now)
    }

    /// Runs the worker until the process ends: fires what is due at once (deadlines that
    /// passed while nothing ran), then every `every`, or sooner when woken.
    pub async fn run_deadline_worker(self, every: Duration) {
        loop {
            let round = async {
                self.sync_sandbox_clock().await?;
                self.fire_all_due().await
            };
            match round.await {
                Ok(0) => {}
                Ok(n) => tracing::info!(fired = n, "deadlines fired"),
                Err(e) => tracing::error!(error = ?e, "deadline worker round failed; retrying"),
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = self.wake.notified() => {}
            }
        }
    }
}
