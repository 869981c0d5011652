//! The channel sender: takes due deliveries (e-mail, SMS, escalation calls, webhooks),
//! sends each outside any transaction, and records what happened. At least once: a
//! delivery is claimed with a lease before sending and marked after, so a crash in
//! between sends it again — under the same message id, which receivers deduplicate on.
//! Failures are retried with exponential backoff and dead-lettered after
//! `max_attempts`, with the reason kept in the delivery log.

use std::time::Duration;

use futures::StreamExt;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use marketdesk_core::notify::backoff;
use marketdesk_core::notify::{DeliveryChannel, DeliveryState};
use marketdesk_core::{Language, id};
use marketdesk_store::deliveries::{self, AttemptRow, DeliveryRow};
use marketdesk_store::{notify_settings, outbox, webhooks};

use crate::channel_config::{SmtpConfig, TlsMode};
use crate::messages::{Content, content};
use crate::preferences::{contact_language, contact_zone};
use crate::{Service, ServiceResult};

/// Deliveries claimed per round.
const SEND_BATCH: i64 = 64;
/// How long a claim keeps other senders off a delivery; far longer than any send.
const LEASE: Duration = Duration::from_secs(300);

/// Why a send failed, and whether trying again could help.
#[derive(Debug)]
pub(crate) struct Failure {
    pub detail: String,
    /// An answer that will not change (an address the server refuses): dead at once.
    pub permanent: bool,
}

impl Failure {
    fn retry(detail: impl Into<String>) -> Self {
        Self {
            detail: detail.into(),
            permanent: false,
        }
    }
}

enum Outcome {
    Sent(String),
    /// Not sent and not needed any more (an escalation acknowledged in time).
    Cancelled(String),
    Failed(Failure),
}

pub(crate) fn smtp_transport(
    cfg: &SmtpConfig,
) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let mut b = match cfg.tls {
        TlsMode::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host),
        TlsMode::Starttls => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host)
            .tls(Tls::Required(TlsParameters::new(cfg.host.clone())?)),
        TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host)
            .tls(Tls::Wrapper(TlsParameters::new(cfg.host.clone())?)),
    }
    .port(cfg.port);
    if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
        b = b.credentials(Credentials::new(u.clone(), p.clone()));
    }
    Ok(b.build())
}

fn db(e: impl std::fmt::Display) -> Failure {
    Failure::retry(format!("database: {e}"))
}

/// The outbox event a delivery carries.
async fn event_of(
    c: &mut sqlx::AnyConnection,
    d: &DeliveryRow,
) -> Result<outbox::OutboxRow, Failure> {
    outbox::get(c, &d.event_id)
        .await
        .map_err(db)?
        .ok_or_else(|| Failure {
            detail: format!("event {} is gone", d.event_id),
            permanent: true,
        })
}

/// The first line of a far side's answer, bounded: enough to diagnose, never a page.
fn excerpt(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    line.chars().take(200).collect()
}

impl Service {
    /// Sends up to one batch of due deliveries; returns how many it handled.
    pub async fn send_due_deliveries(&self) -> ServiceResult<usize> {
        let now = self.now_us();
        if !deliveries::any_due(&mut *self.db.reader().await?, now).await? {
            return Ok(0);
        }
        let mut tx = self.db.begin().await?;
        let lease = now + LEASE.as_micros() as i64;
        let due = deliveries::claim_due(&mut tx, self.db.backend(), now, lease, SEND_BATCH).await?;
        self.commit(tx).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let results: Vec<(DeliveryRow, Outcome)> = futures::stream::iter(due)
            .map(|d| async move {
                let outcome = self.send_one(&d).await;
                (d, outcome)
            })
            .buffer_unordered(self.channels.send_concurrency.max(1))
            .collect()
            .await;
        let n = results.len();
        let done = self.now_us();
        let mut tx = self.db.begin().await?;
        for (d, outcome) in results {
            let (ok, detail, state, next) = match outcome {
                Outcome::Sent(detail) => (1, detail, DeliveryState::Delivered, d.next_attempt_at),
                Outcome::Cancelled(detail) => {
                    (1, detail, DeliveryState::Cancelled, d.next_attempt_at)
                }
                Outcome::Failed(f) => {
                    let dead = f.permanent || d.attempts >= i64::from(self.channels.max_attempts);
                    let wait = backoff(d.attempts.clamp(1, i64::from(u32::MAX)) as u32);
                    let state = if dead {
                        DeliveryState::Dead
                    } else {
                        DeliveryState::Pending
                    };
                    (0, f.detail, state, done + wait.as_micros() as i64)
                }
            };
            if ok == 0 {
                tracing::warn!(delivery = %d.id, channel = %d.channel, attempt = d.attempts, state = state.as_str(), error = %detail, "delivery failed");
            }
            let attempt = AttemptRow {
                id: id::new_id(),
                delivery_id: d.id.clone(),
                at: done,
                ok,
                detail,
            };
            deliveries::record(&mut tx, &attempt, state, next).await?;
        }
        self.commit(tx).await?;
        Ok(n)
    }

    /// Runs the sender until the process ends: everything due at once, then whenever
    /// the dispatcher queues something or `every` passes (retries come due by the clock).
    pub async fn run_channel_sender(self, every: Duration) {
        loop {
            loop {
                match self.send_due_deliveries().await {
                    Ok(0) => break,
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::error!(error = ?e, "channel sender failed; retrying");
                        break;
                    }
                }
            }
            let _ = tokio::time::timeout(every, self.send_wake.notified()).await;
        }
    }

    async fn send_one(&self, d: &DeliveryRow) -> Outcome {
        let sent = match d.channel {
            DeliveryChannel::Email => self.send_email(d).await,
            DeliveryChannel::Sms | DeliveryChannel::Voice => self.send_sms(d).await,
            DeliveryChannel::Webhook => self.send_webhook(d).await,
        };
        match sent {
            Ok(o) => o,
            Err(f) => Outcome::Failed(f),
        }
    }

    /// What a message to a person says: the event, what it refers to, worded for the
    /// recipient's zone — read on one connection.
    async fn words(&self, d: &DeliveryRow) -> Result<Content, Failure> {
        let mut c = self.db.reader().await.map_err(db)?;
        let event = event_of(&mut c, d).await?;
        let (zone, language) = match notify_settings::contact(&mut c, &d.recipient).await {
            Ok(Some(who)) => (contact_zone(&who), contact_language(&who)),
            _ => (jiff::tz::TimeZone::UTC, Language::En),
        };
        content(&mut c, &event, &d.severity, &zone, language)
            .await
            .map_err(|e| Failure::retry(format!("composing: {e}")))
    }

    async fn send_email(&self, d: &DeliveryRow) -> Result<Outcome, Failure> {
        let Some(cfg) = &self.channels.smtp else {
            return Err(Failure::retry("no SMTP server is configured"));
        };
        let letter = self
            .words(d)
            .await?
            .letter(&d.id)
            .map_err(|e| Failure::retry(format!("composing: {e}")))?;
        let from: Mailbox = cfg.from.parse().map_err(|e| Failure {
            detail: format!(
                "the configured From address \"{}\" is invalid: {e}",
                cfg.from
            ),
            permanent: false,
        })?;
        let to: Mailbox = d.target.parse().map_err(|e| Failure {
            detail: format!("invalid recipient address \"{}\": {e}", d.target),
            permanent: true,
        })?;
        let msg = Message::builder()
            .from(from)
            .to(to)
            .subject(letter.subject)
            .message_id(Some(format!("<{}@marketdesk>", d.id)))
            .multipart(MultiPart::alternative_plain_html(letter.text, letter.html))
            .map_err(|e| Failure::retry(format!("building the message: {e}")))?;
        let transport = self
            .smtp
            .get_or_try_init(|| async { smtp_transport(cfg) })
            .await;
        let transport = transport.map_err(|e| Failure::retry(format!("SMTP setup: {e}")))?;
        match tokio::time::timeout(self.channels.request_timeout, transport.send(msg)).await {
            Err(_) => Err(Failure::retry(format!(
                "SMTP server {}:{} did not answer within {:?}",
                cfg.host, cfg.port, self.channels.request_timeout
            ))),
            Ok(Ok(r)) => Ok(Outcome::Sent(format!("SMTP {}", r.code()))),
            Ok(Err(e)) => Err(Failure {
                permanent: e.is_permanent(),
                detail: format!(
                    "SMTP {}:{}: {}",
                    cfg.host,
                    cfg.port,
                    excerpt(&e.to_string())
                ),
            }),
        }
    }

    async fn send_sms(&self, d: &DeliveryRow) -> Result<Outcome, Failure> {
        let Some(cfg) = &self.channels.sms else {
            return Err(Failure::retry("no SMS provider is configured"));
        };
        let conditional = !self.channels.call_if_unread_after.is_zero();
        if d.channel == DeliveryChannel::Voice && conditional {
            let mut c = self.db.reader().await.map_err(db)?;
            let read = notify_settings::acknowledged(&mut c, &d.event_id, &d.recipient)
                .await
                .map_err(db)?;
            if read {
                return Ok(Outcome::Cancelled(
                    "acknowledged in the inbox before the escalation".into(),
                ));
            }
        }
        let words = self.words(d).await?;
        let text = match (d.channel, conditional) {
            (DeliveryChannel::Voice, true) => words
                .language
                .fill("call.script_unread", &[("text", &words.short())]),
            (DeliveryChannel::Voice, false) => words
                .language
                .fill("call.script", &[("text", &words.short())]),
            _ => words.short(),
        };
        let body = serde_json::json!({
            "message_id": d.id,
            "kind": d.channel.as_str(),
            "to": d.target,
            "text": text,
            "severity": d.severity,
            "event_type": d.event_type,
            "event_id": d.event_id,
        });
        let mut req = self.http.post(&cfg.url).json(&body);
        if let Some(t) = &cfg.token {
            req = req.bearer_auth(t);
        }
        self.post(req, &cfg.url).await
    }

    async fn send_webhook(&self, d: &DeliveryRow) -> Result<Outcome, Failure> {
        let mut c = self.db.reader().await.map_err(db)?;
        let sub = webhooks::get(&mut c, &d.recipient).await.map_err(db)?;
        let Some(sub) = sub.filter(|s| s.deleted_at.is_none()) else {
            return Ok(Outcome::Cancelled("the subscription was deleted".into()));
        };
        let event = event_of(&mut c, d).await?;
        drop(c);
        let data: serde_json::Value = serde_json::from_str(&event.payload).unwrap_or_default();
        let body = serde_json::json!({
            "type": event.event_type,
            "timestamp": crate::instant(event.created_at),
            "data": {"event_id": event.id, "store_id": event.store_id, "subject_id": event.subject_id, "details": data},
        })
        .to_string();
        // Signing time is transport freshness (receivers compare it with their own
        // clock), so it is the real time even in a sandbox.
        let ts = jiff::Timestamp::now().as_second();
        let secret = self
            .signing_secret(&sub.secret)
            .map_err(|e| Failure::retry(format!("signing secret: {e}")))?;
        let signature = crate::webhooks::sign(&secret, &d.id, ts, body.as_bytes())
            .map_err(|e| Failure::retry(format!("signing: {e}")))?;
        let req = self
            .webhook_http
            .post(&sub.url)
            .header("content-type", "application/json")
            .header("webhook-id", &d.id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", signature)
            .body(body);
        // A receiver whose name resolves (or redirects) only to private addresses will
        // not become reachable by retrying: dead at once, with the reason.
        self.post(req, &sub.url).await.map_err(|mut f| {
            if f.detail.contains(crate::outbound::REFUSED) {
                f.permanent = true;
            }
            f
        })
    }

    /// Sends one HTTP request: 2xx is delivered, anything else is retried.
    async fn post(&self, req: reqwest::RequestBuilder, url: &str) -> Result<Outcome, Failure> {
        match req.timeout(self.channels.request_timeout).send().await {
            Ok(res) if res.status().is_success() => {
                Ok(Outcome::Sent(format!("HTTP {}", res.status().as_u16())))
            }
            Ok(res) => {
                let status = res.status().as_u16();
                let text = res.text().await.unwrap_or_default();
                Err(Failure::retry(format!(
                    "{url} answered HTTP {status}: {}",
                    excerpt(&text)
                )))
            }
            Err(e) if e.is_timeout() => Err(Failure::retry(format!(
                "{url} did not answer within {:?}",
                self.channels.request_timeout
            ))),
            Err(e) => {
                // The whole chain: the innermost cause (refused, a DNS answer refused,
                // a TLS failure) is what the operator needs to read.
                let mut text = e.to_string();
                let mut cause = std::error::Error::source(&e);
                while let Some(c) = cause {
                    text.push_str(": ");
                    text.push_str(&c.to_string());
                    cause = c.source();
                }
                Err(Failure::retry(format!("{url}: {}", excerpt(&text))))
            }
        }
    }
}
