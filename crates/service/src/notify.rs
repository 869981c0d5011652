//! The outbox dispatcher and the in-app inbox (站内信). Every committed change already
//! wrote its event to the outbox; the dispatcher turns the events that concern people into
//! inbox messages — one per event and recipient, so a redelivered event changes nothing —
//! marks them dispatched in the same transaction, and pushes them to open live streams.

use std::sync::Arc;
use std::time::Duration;

use marketdesk_core::notify::{route, title};
use marketdesk_core::{Invalid, id};
use marketdesk_store::inbox::{self, MessageRow};
use tokio::sync::broadcast;

use crate::{Actor, Service, ServiceError, ServiceResult};

/// Events handled per dispatcher transaction.
pub const DISPATCH_BATCH: i64 = 200;

/// The details worth a line in a message body, in a fixed order.
const DETAIL_KEYS: &[(&str, &str)] = &[
    ("product_id", "Product"),
    ("violation_id", "Violation case"),
    ("rule_code", "Rule clause"),
    ("reason_code", "Reason"),
    ("severity", "Severity"),
    ("rectify_due_at", "Rectify before"),
    ("due_at", "Was due"),
    ("code", "SKU"),
    ("available", "Available"),
    ("threshold", "Safety threshold"),
];

fn body(payload: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(payload).unwrap_or_default();
    DETAIL_KEYS
        .iter()
        .filter_map(|(k, label)| match v.get(*k) {
            Some(serde_json::Value::String(s)) => Some(format!("{label}: {s}")),
            Some(serde_json::Value::Number(n)) => Some(format!("{label}: {n}")),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub struct InboxPage {
    pub items: Vec<MessageRow>,
    pub unread_count: i64,
    pub next_cursor: Option<String>,
}

impl Service {
    /// Messages delivered by this process, for live streams.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<MessageRow>> {
        self.live.subscribe()
    }

    /// Turns up to `limit` undispatched events into inbox messages in one transaction;
    /// returns how many events it handled (0: nothing pending).
    pub async fn dispatch_events(&self, limit: i64) -> ServiceResult<usize> {
        if !inbox::any_pending(&mut *self.db.reader().await?).await? {
            return Ok(0);
        }
        let mut tx = self.db.begin().await?;
        let events = inbox::claim_events(&mut tx, self.db.backend(), limit).await?;
        let now = self.now_us();
        let mut delivered = Vec::new();
        for e in &events {
            if let Some((severity, audience)) = route(&e.event_type) {
                let users = inbox::recipients(
                    &mut tx,
                    &e.store_id,
                    audience.store_sellers,
                    audience.reviewers,
                )
                .await?;
                for user_id in users {
                    let m = MessageRow {
                        id: id::new_id(),
                        user_id,
                        store_id: e.store_id.clone(),
                        event_id: e.id.clone(),
                        event_type: e.event_type.clone(),
                        severity: severity.as_str().into(),
                        title: title(&e.event_type).into(),
                        body: body(&e.payload),
                        subject_id: e.subject_id.clone(),
                        created_at: now,
                        read_at: None,
                    };
                    if inbox::deliver(&mut tx, &m).await? {
                        delivered.push(m);
                    }
                }
            }
            inbox::mark_dispatched(&mut tx, &e.id, now).await?;
        }
        tx.commit().await?;
        for m in delivered {
            // Nobody listening is fine: the inbox has the message.
            let _ = self.live.send(Arc::new(m));
        }
        Ok(events.len())
    }

    /// Runs the dispatcher until the process ends: everything pending at once (events
    /// written while nothing ran), then every `every`.
    pub async fn run_outbox_dispatcher(self, every: Duration) {
        loop {
            loop {
                match self.dispatch_events(DISPATCH_BATCH).await {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::error!(error = ?e, "outbox dispatch failed; retrying");
                        break;
                    }
                }
            }
            tokio::time::sleep(every).await;
        }
    }

    pub async fn inbox(
        &self,
        actor: &Actor,
        unread_only: bool,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ServiceResult<InboxPage> {
        let limit = limit.unwrap_or(crate::products::DEFAULT_PAGE);
        if !(1..=crate::products::MAX_PAGE).contains(&limit) {
            return Err(Invalid::one(
                "limit",
                format!("must be between 1 and {}", crate::products::MAX_PAGE),
            )
            .into());
        }
        let before =
            match cursor {
                Some(c) => Some(id::parse_id(c).ok_or_else(|| {
                    Invalid::one("cursor", "is not a cursor returned by this list")
                })?),
                None => None,
            };
        let mut c = self.db.reader().await?;
        let mut items = inbox::page(
            &mut c,
            &actor.user_id,
            unread_only,
            before.as_deref(),
            limit + 1,
        )
        .await?;
        let next_cursor = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|m| m.id.clone())
        } else {
            None
        };
        let unread_count = inbox::unread_count(&mut c, &actor.user_id).await?;
        Ok(InboxPage {
            items,
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
        tx.commit().await?;
        Ok(())
    }
}
