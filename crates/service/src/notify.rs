//! The outbox dispatcher and the in-app inbox (站内信). Every committed change already
//! wrote its event to the outbox; the dispatcher turns the events that concern people into
//! inbox messages — one per event and recipient, so a redelivered event changes nothing —
//! marks them dispatched in the same transaction, and pushes them to open live streams.

use std::time::Duration;

use std::collections::HashMap;

use marketdesk_core::notify::QuietHours;
use marketdesk_core::notify::{DeliveryChannel, DeliveryState};
use marketdesk_core::notify::{Reachable, Severity, plan, title};
use marketdesk_core::{Invalid, Language, Role, id};
use marketdesk_store::deliveries::{self, DeliveryRow};
use marketdesk_store::inbox::{self, MessageRow};
use marketdesk_store::notify_settings::{self, ContactRow};
use marketdesk_store::outbox::OutboxRow;
use marketdesk_store::webhooks::{self, SubscriptionRow};

use crate::channel_config::ChannelConfig;
use crate::messages::{DETAIL_KEYS, detail, label};
use crate::paging;
use crate::preferences::{contact_language, contact_zone, effective_rules};

use crate::{Actor, Service, ServiceError, ServiceResult};

/// An inbox message's lines, labelled in the reader's language.
fn body(payload: &str, language: Language) -> String {
    let v: serde_json::Value = serde_json::from_str(payload).unwrap_or_default();
    DETAIL_KEYS
        .iter()
        .filter_map(|k| {
            detail(&v, k).map(|value| {
                language.fill(
                    "value.line",
                    &[("label", &label(language, k)), ("value", &value)],
                )
            })
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// How long a nudged dispatcher waits for more events before its round.
const NUDGE_COALESCE: Duration = Duration::from_millis(15);

/// Whether a store member's team role includes what the event is about (core's table).
fn told(who: &ContactRow, event_type: &str) -> bool {
    match marketdesk_core::team::TeamRole::from_column(who.team_role.as_deref()) {
        Ok(role) => marketdesk_core::team::Area::of_event(event_type).is_none_or(|a| role.may(a)),
        Err(_) => true,
    }
}

/// What a contact can receive, given what is configured and what they chose.
fn reachable(who: &ContactRow, cfg: &ChannelConfig) -> Reachable {
    let phone = who.phone.is_some() && cfg.sms.is_some();
    Reachable {
        email: who.email.is_some() && cfg.smtp.is_some() && who.email_enabled.unwrap_or(1) != 0,
        sms: phone && who.sms_enabled.unwrap_or(1) != 0,
        voice: phone,
        quiet: match (&who.quiet_start, &who.quiet_end) {
            (Some(s), Some(e)) => QuietHours::parse(s, e).ok(),
            _ => None,
        },
        time_zone: contact_zone(who),
    }
}

fn delivery(
    e: &OutboxRow,
    channel: DeliveryChannel,
    recipient: &str,
    target: &str,
    severity: Severity,
    at: jiff::Timestamp,
    now: i64,
) -> DeliveryRow {
    DeliveryRow {
        id: id::new_id(),
        store_id: e.store_id.clone(),
        event_id: e.id.clone(),
        event_type: e.event_type.clone(),
        channel,
        recipient: recipient.into(),
        target: target.into(),
        severity: severity.as_str().into(),
        state: DeliveryState::Pending,
        attempts: 0,
        next_attempt_at: at.as_microsecond(),
        last_error: None,
        created_at: now,
        delivered_at: None,
    }
}

pub struct InboxPage {
    pub items: Vec<crate::records::InboxMessage>,
    pub unread_count: i64,
    pub next_cursor: Option<String>,
}

impl Service {
    /// Turns up to `limit` undispatched events into inbox messages and pending deliveries
    /// (e-mail, SMS, escalation calls, webhooks) in one transaction; returns how many
    /// events it handled (0: nothing pending). Both are keyed by event and recipient, so
    /// an event dispatched twice (a crash between commit and acknowledgement cannot
    /// happen here, but a replayed outbox could) writes nothing new.
    pub async fn dispatch_events(&self, limit: i64) -> ServiceResult<usize> {
        if !inbox::any_pending(&mut *self.db.reader().await?).await? {
            return Ok(0);
        }
        let mut tx = self.db.begin().await?;
        let events = inbox::claim_events(&mut tx, self.db.backend(), limit).await?;
        if events.is_empty() {
            return Ok(0);
        }
        let rules = effective_rules(&mut tx).await?;
        let now_ts = self.clock.now();
        let now = now_ts.as_microsecond();
        let cfg = &self.channels;
        let mut delivered = Vec::new();
        let mut subscriptions: HashMap<String, Vec<SubscriptionRow>> = HashMap::new();
        let mut contacts: HashMap<(String, bool, bool), Vec<ContactRow>> = HashMap::new();
        let mut queued = 0usize;
        for e in &events {
            if let Some(rule) = rules.get(&e.event_type) {
                let key = (e.store_id.clone(), rule.owner || rule.staff, rule.reviewers);
                if !contacts.contains_key(&key) {
                    let found =
                        notify_settings::contacts(&mut tx, &e.store_id, key.1, key.2).await?;
                    contacts.insert(key.clone(), found);
                }
                for who in &contacts[&key] {
                    let wanted = match who.role.parse::<Role>() {
                        Ok(Role::Seller) if who.is_owner != 0 => rule.owner,
                        Ok(Role::Seller) => rule.staff,
                        _ => rule.reviewers,
                    };
                    if !wanted || !told(who, &e.event_type) {
                        continue;
                    }
                    let plan = plan(rule, &reachable(who, cfg), now_ts, cfg.call_if_unread_after);
                    if plan.inbox {
                        let language = contact_language(who);
                        let m = MessageRow {
                            id: id::new_id(),
                            user_id: who.id.clone(),
                            store_id: e.store_id.clone(),
                            event_id: e.id.clone(),
                            event_type: e.event_type.clone(),
                            severity: rule.severity.as_str().into(),
                            title: title(&e.event_type, language).into(),
                            body: body(&e.payload, language),
                            subject_id: e.subject_id.clone(),
                            created_at: now,
                            read_at: None,
                        };
                        if inbox::deliver(&mut tx, &m).await? {
                            delivered.push(m);
                        }
                    }
                    let channels = [
                        (DeliveryChannel::Email, plan.email_at, who.email.as_deref()),
                        (DeliveryChannel::Sms, plan.sms_at, who.phone.as_deref()),
                        (
                            DeliveryChannel::Voice,
                            plan.escalate_at,
                            who.phone.as_deref(),
                        ),
                    ];
                    for (channel, at, target) in channels {
                        if let (Some(at), Some(target)) = (at, target) {
                            let d = delivery(e, channel, &who.id, target, rule.severity, at, now);
                            queued += usize::from(deliveries::insert(&mut tx, &d).await?);
                        }
                    }
                }
            }
            if !subscriptions.contains_key(&e.store_id) {
                let subs = webhooks::for_store(&mut tx, &e.store_id).await?;
                subscriptions.insert(e.store_id.clone(), subs);
            }
            for sub in &subscriptions[&e.store_id] {
                if crate::webhooks::subscribed(&sub.event_types, &e.event_type) {
                    let severity = rules
                        .get(&e.event_type)
                        .map_or(Severity::Info, |r| r.severity);
                    let d = delivery(
                        e,
                        DeliveryChannel::Webhook,
                        &sub.id,
                        &sub.url,
                        severity,
                        now_ts,
                        now,
                    );
                    queued += usize::from(deliveries::insert(&mut tx, &d).await?);
                }
            }
            inbox::mark_dispatched(&mut tx, &e.id, now).await?;
        }
        self.commit(tx).await?;
        if queued > 0 {
            self.send_wake.notify_one();
        }
        self.announce_delivered(delivered).await;
        Ok(events.len())
    }

    /// Runs the dispatcher until the process ends: everything pending at once (events
    /// written while nothing ran), then when nudged after a write in this process, or
    /// every `every` (events written by other processes).
    pub async fn run_outbox_dispatcher(self, every: Duration) {
        loop {
            loop {
                match self.dispatch_events(self.channels.dispatch_batch).await {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::error!(error = ?e, "outbox dispatch failed; retrying");
                        break;
                    }
                }
            }
            if tokio::time::timeout(every, self.dispatch_wake.notified())
                .await
                .is_ok()
            {
                // Let the writes of the next few milliseconds join this round: one
                // dispatcher transaction for many events, not one each.
                tokio::time::sleep(NUDGE_COALESCE).await;
            }
        }
    }

    /// Tells this process's dispatcher that events may be waiting (called after writes).
    pub fn nudge_dispatcher(&self) {
        self.dispatch_wake.notify_one();
    }

    pub async fn inbox(
        &self,
        actor: &Actor,
        unread_only: bool,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ServiceResult<InboxPage> {
        let mut errors = Invalid::default();
        let limit = paging::limit(&mut errors, limit);
        let before = paging::cursor(&mut errors, cursor);
        errors.into_result()?;
        let mut c = self.db.reader().await?;
        let mut items = inbox::page(
            &mut c,
            &actor.user_id,
            unread_only,
            before.as_deref(),
            limit + 1,
        )
        .await?;
        let next_cursor = paging::next(&mut items, limit, |m| &m.id);
        let unread_count = inbox::unread_count(&mut c, &actor.user_id).await?;
        Ok(InboxPage {
            items: crate::records::records(items),
            unread_count,
            next_cursor,
        })
    }

    pub async fn mark_read(&self, actor: &Actor, message_id: &str) -> ServiceResult<()> {
        let mut tx = self.db.begin().await?;
        if !inbox::mark_read(&mut tx, &actor.user_id, message_id, self.now_us()).await? {
            return Err(ServiceError::NotFound(format!(
                "no message {message_id} in your inbox"
            )));
        }
        self.commit(tx).await?;
        Ok(())
    }
}
