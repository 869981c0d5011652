//! The change recorder: what a use case leaves behind besides its new state — the
//! product's timeline row, the outbox event that tells people, the deadlines it starts
//! and the ones it ends — written by one function inside the use case's transaction.
//! Every use case records through here, so a change can never tell people without
//! leaving its history, or start a deadline nobody hears about.

use marketdesk_core::deadline::{DeadlineKind, DeadlineState};
use marketdesk_core::id;
use marketdesk_core::listing::content::FieldChange;
use marketdesk_core::listing::{DelistKind, State};
use marketdesk_store::deadlines::{self, DeadlineRow, StoredKind};
use marketdesk_store::outbox::{self, OutboxRow};
use marketdesk_store::timeline::{self, TimelineRow};
use sqlx::AnyConnection;

use crate::{Actor, Service, ServiceResult};

/// One line of a product's timeline (操作时间轴): who did what, why, from → to.
pub(crate) struct TimelineEntry {
    pub product_id: String,
    pub action: String,
    pub from_state: Option<State>,
    pub to_state: State,
    pub delist_kind: Option<DelistKind>,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    /// A JSON array of evidence ids.
    pub evidence_ids: String,
    /// An edit's changes, field by field.
    pub changes: Vec<FieldChange>,
}

/// A change of one store's data, as the timeline, the outbox and the deadline table see it.
pub(crate) struct Change {
    store_id: String,
    timeline: Option<TimelineEntry>,
    events: Vec<(String, String, serde_json::Value)>,
    start: Vec<(DeadlineKind, String, i64)>,
    end: Vec<(DeadlineKind, String)>,
}

impl Change {
    pub fn in_store(store_id: impl Into<String>) -> Change {
        Change {
            store_id: store_id.into(),
            timeline: None,
            events: Vec::new(),
            start: Vec::new(),
            end: Vec::new(),
        }
    }

    /// The event people and subscribers hear about, about `subject_id`.
    pub fn event(
        mut self,
        event_type: impl Into<String>,
        subject_id: impl Into<String>,
        payload: serde_json::Value,
    ) -> Change {
        self.events
            .push((event_type.into(), subject_id.into(), payload));
        self
    }

    pub fn timeline(mut self, entry: TimelineEntry) -> Change {
        self.timeline = Some(entry);
        self
    }

    /// Starts a deadline that fires on its own at `due_at` (microseconds).
    pub fn deadline(
        mut self,
        kind: DeadlineKind,
        subject_id: impl Into<String>,
        due_at: i64,
    ) -> Change {
        self.start.push((kind, subject_id.into(), due_at));
        self
    }

    /// Ends the pending deadlines of `kind` about `subject_id`: the step they guarded is done.
    pub fn end_deadline(mut self, kind: DeadlineKind, subject_id: impl Into<String>) -> Change {
        self.end.push((kind, subject_id.into()));
        self
    }
}

/// What the request's audit row says of a change: the product's state before → after, or
/// the events it told people about.
fn note_for_audit(change: &Change) {
    if let Some(t) = &change.timeline {
        crate::audit::note(
            &t.product_id,
            &t.action,
            t.from_state
                .map(|s| serde_json::json!({"state": s.as_str()}))
                .unwrap_or(serde_json::Value::Null),
            serde_json::json!({"state": t.to_state.as_str(), "reason": t.reason_code,
                "fields": t.changes.iter().map(|c| c.field.as_str()).collect::<Vec<_>>()}),
        );
    } else {
        for (event_type, subject_id, payload) in &change.events {
            crate::audit::note(
                subject_id,
                event_type,
                serde_json::Value::Null,
                payload.clone(),
            );
        }
    }
}

impl Service {
    /// Writes everything `change` leaves behind, in the caller's transaction.
    pub(crate) async fn record(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        change: Change,
    ) -> ServiceResult<()> {
        let now = self.now_us();
        if crate::audit::audited(actor) {
            note_for_audit(&change);
        }
        if let Some(t) = change.timeline {
            let row = self.timeline_row(&change.store_id, actor, t, now);
            timeline::insert(tx, &row).await?;
        }
        for (kind, subject_id) in change.end {
            deadlines::cancel(tx, &subject_id, kind).await?;
        }
        for (kind, subject_id, due_at) in change.start {
            deadlines::insert(
                tx,
                &DeadlineRow {
                    id: id::new_id(),
                    store_id: change.store_id.clone(),
                    kind: StoredKind::Known(kind),
                    subject_id,
                    due_at,
                    state: DeadlineState::Pending,
                    created_at: now,
                    fired_at: None,
                    fired_by: None,
                },
            )
            .await?;
        }
        for (event_type, subject_id, payload) in change.events {
            let row = self.event_row(&change.store_id, &event_type, &subject_id, &payload);
            outbox::insert(tx, &row).await?;
        }
        Ok(())
    }

    /// Ends the pending deadlines of `kinds` about `subject_id`: the steps they guarded
    /// are done.
    pub(crate) async fn end_deadlines(
        &self,
        tx: &mut AnyConnection,
        store_id: &str,
        subject_id: &str,
        kinds: &[DeadlineKind],
    ) -> ServiceResult<()> {
        let change = kinds.iter().fold(Change::in_store(store_id), |c, k| {
            c.end_deadline(*k, subject_id)
        });
        self.record(tx, &Actor::system(), change).await
    }

    /// A timeline row as stored; the deadline worker writes a batch's rows in one statement.
    pub(crate) fn timeline_row(
        &self,
        store_id: &str,
        actor: &Actor,
        t: TimelineEntry,
        now: i64,
    ) -> TimelineRow {
        // Every stored reason text carries its classified code, so benchmarks read free
        // text too (a seller's `other` with "没货了" counts as a stock-out).
        let classified_code = t
            .reason_text
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| {
                crate::monitoring::classify(r)
                    .best
                    .code
                    .as_str()
                    .to_string()
            });
        TimelineRow {
            id: id::new_id(),
            store_id: store_id.into(),
            product_id: t.product_id,
            at: now,
            actor_id: actor.user_id.clone(),
            actor_role: actor.role.as_str().into(),
            action: t.action,
            from_state: t.from_state.map(|s| s.as_str().into()),
            to_state: t.to_state.as_str().into(),
            delist_kind: t.delist_kind.map(|k| k.as_str().into()),
            reason_code: t.reason_code,
            reason_text: t.reason_text,
            evidence_ids: t.evidence_ids,
            changes: t.changes,
            classified_code,
        }
    }

    /// An outbox event as stored; group commit writes a batch's events in one statement.
    pub(crate) fn event_row(
        &self,
        store_id: &str,
        event_type: &str,
        subject_id: &str,
        payload: &serde_json::Value,
    ) -> OutboxRow {
        OutboxRow {
            id: id::new_id(),
            store_id: store_id.into(),
            event_type: event_type.into(),
            subject_id: subject_id.into(),
            payload: payload.to_string(),
            created_at: self.now_us(),
            dispatched_at: None,
        }
    }
}
