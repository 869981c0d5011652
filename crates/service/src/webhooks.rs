//! Webhook subscriptions, and signing per the Standard Webhooks convention
//! (<https://www.standardwebhooks.com>): `webhook-id` is the delivery's stable id,
//! `webhook-timestamp` the sending second, `webhook-signature` `v1,` + base64 of
//! HMAC-SHA256 over `id.timestamp.body` keyed with the secret's bytes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use marketdesk_core::{Invalid, id};
use marketdesk_store::webhooks::{self, SubscriptionRow};
use rand::RngCore;
use sha2::Sha256;

use crate::records::{WebhookSubscription, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// Event types a store may subscribe to by name; `*` takes everything.
pub const SUBSCRIBABLE: &[&str] = &[
    "product.created",
    "product.listed",
    "product.delisted",
    "product.violation_delisted",
    "product.protective_delisted",
    "product.relisted",
    "product.review_requested",
    "product.review_approved",
    "product.review_rejected",
    "violation.opened",
    "violation.overdue",
    "violation.review_overdue",
    "violation.appealed",
    "stock.low",
    "stock.recovered",
    "order.placed",
    "order.shipped",
    "order.delivered",
    "order.cancelled",
    "ticket.opened",
    "ticket.answered",
    "ticket.waived",
    "aftersales.opened",
    "aftersales.decided",
    "aftersales.received",
    "aftersales.label_invalid",
    "aftersales.cancel",
    "aftersales.approved_on_timeout",
    "aftersales.label_missed",
    "aftersales.negotiated_refund",
    "reshipment.requested",
    "reshipment.rejected_on_timeout",
    "announcement.published",
    "store.suspended",
    "store.reinstated",
    "affiliate.exit_scheduled",
    "affiliate.exit_cancelled",
    "affiliate.exit_done",
    "affiliate.product_left",
    "affiliate.buyer_notice",
    "product.buyer_notice",
    "fully_managed.application_submitted",
    "fully_managed.application_message",
    "fully_managed.application_decided",
    "fully_managed.application_overdue",
    "fully_managed.store_opened",
    "fully_managed.jit_received",
    "fully_managed.jit_overdue",
    "deposit.deducted",
    "deposit.refund_requested",
    "deposit.refund_decided",
    "deposit.refund_paid",
    "deposit.refund_overdue",
];

/// Subscriptions per store: enough for every integrator a store plausibly has.
const MAX_PER_STORE: usize = 20;

/// Whether a subscription's comma list covers an event type.
pub(crate) fn subscribed(list: &str, event_type: &str) -> bool {
    list.split(',').any(|t| t == "*" || t == event_type)
}

/// `v1,<base64>`; `secret` is `whsec_` + base64 key bytes.
pub fn sign(secret: &str, msg_id: &str, timestamp: i64, body: &[u8]) -> anyhow::Result<String> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap_or(secret))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| anyhow::anyhow!("{e}"))?;
    mac.update(format!("{msg_id}.{timestamp}.").as_bytes());
    mac.update(body);
    Ok(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

fn new_secret() -> String {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    format!("whsec_{}", STANDARD.encode(key))
}

/// A URL a webhook may be sent to: http or https with a host, nothing else. The host is
/// also read as the sender will read it (WHATWG URL, IDNA for names in other scripts): a
/// name that cannot be sent to is refused when saved, not dead-lettered at every send.
fn valid_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let shaped = rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !r.chars().any(char::is_whitespace) && s.len() <= 2000
    });
    shaped
        && reqwest::Url::parse(s)
            .ok()
            .and_then(|u| u.host_str().map(|h| !h.is_empty()))
            .unwrap_or(false)
}

/// Whether a URL's host is this machine or a private network, by name or address literal.
/// (A public name that resolves to a private address is caught at send time: `outbound`.)
fn private_host(url: &str) -> bool {
    use std::net::IpAddr;
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    let Some(host) = u.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let Ok(ip) = bare.parse::<IpAddr>() else {
        let d = host.trim_end_matches('.').to_ascii_lowercase();
        return d == "localhost" || d.ends_with(".localhost") || d.ends_with(".internal");
    };
    crate::outbound::not_public(ip)
}

pub struct NewSubscription {
    pub url: String,
    pub event_types: Vec<String>,
}

impl Service {
    /// The new subscription and, this once, its signing secret.
    pub async fn create_webhook(
        &self,
        actor: &Actor,
        store_id: &str,
        new: NewSubscription,
    ) -> ServiceResult<(WebhookSubscription, String)> {
        let mut errors = Invalid::default();
        if !valid_url(&new.url) {
            errors.push("url", "must be an http:// or https:// URL with a host");
        } else if !self.channels.allow_private_targets && private_host(&new.url) {
            errors.push(
                "url",
                "points to a loopback, private or reserved address; webhooks go to public hosts",
            );
        }
        if new.event_types.is_empty() {
            errors.push("event_types", "name at least one event type, or \"*\"");
        }
        for (i, t) in new.event_types.iter().enumerate() {
            if t != "*" && !SUBSCRIBABLE.contains(&t.as_str()) {
                errors.push(
                    format!("event_types[{i}]"),
                    format!(
                        "\"{t}\" is not an event type; one of: * {}",
                        SUBSCRIBABLE.join(" ")
                    ),
                );
            }
        }
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Team)?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        if webhooks::for_store(&mut tx, &store.id).await?.len() >= MAX_PER_STORE {
            return Err(ServiceError::conflict(format!(
                "a store may have at most {MAX_PER_STORE} webhook subscriptions; delete one first"
            )));
        }
        let mut types = new.event_types.clone();
        types.sort();
        types.dedup();
        let secret = new_secret();
        let row = SubscriptionRow {
            id: id::new_id(),
            store_id: store.id,
            url: new.url,
            event_types: types.join(","),
            secret: self.seal_secret(&secret),
            created_at: self.now_us(),
            deleted_at: None,
        };
        webhooks::insert(&mut tx, &row).await?;
        self.commit(tx).await?;
        Ok((row.into(), secret))
    }

    pub async fn webhooks(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<Vec<WebhookSubscription>> {
        let mut c = self.db.reader().await?;
        actor.require_area(marketdesk_core::team::Area::Team)?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        Ok(records(webhooks::for_store(&mut c, &store.id).await?))
    }

    fn seal_secret(&self, plain: &str) -> String {
        match &self.secrets {
            Some(b) => b.seal(plain),
            None => plain.to_string(),
        }
    }

    /// A subscription's signing secret as it was issued.
    pub(crate) fn signing_secret(&self, stored: &str) -> anyhow::Result<String> {
        match &self.secrets {
            Some(b) => b.open(stored),
            None if crate::secret_box::SecretBox::is_sealed(stored) => {
                anyhow::bail!("the signing secret is sealed and no secret_key is configured")
            }
            None => Ok(stored.to_string()),
        }
    }

    /// Seals the signing secrets stored before a key was configured; answers how many.
    pub async fn seal_stored_secrets(&self) -> ServiceResult<usize> {
        let Some(b) = &self.secrets else {
            return Ok(0);
        };
        let mut tx = self.db.begin().await?;
        let plain = webhooks::unsealed(&mut tx, "enc1:").await?;
        for (id, secret) in &plain {
            webhooks::set_secret(&mut tx, id, &b.seal(secret)).await?;
        }
        self.commit(tx).await?;
        Ok(plain.len())
    }

    pub async fn delete_webhook(&self, actor: &Actor, subscription_id: &str) -> ServiceResult<()> {
        let mut tx = self.db.begin().await?;
        match webhooks::get(&mut tx, subscription_id).await? {
            Some(s) if s.deleted_at.is_none() && actor.can_see_store(&s.store_id) => {
                webhooks::delete(&mut tx, &s.id, self.now_us()).await?;
            }
            _ => {
                return Err(ServiceError::NotFound(format!(
                    "no webhook subscription {subscription_id}"
                )));
            }
        }
        self.commit(tx).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_standard_webhooks_test_vector() {
        // From the Standard Webhooks specification's reference implementations.
        let sig = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn urls_and_lists() {
        assert!(valid_url("https://hooks.example.com/md?x=1"));
        assert!(valid_url("http://127.0.0.1:9000/in"));
        // Names in other scripts are theirs to use; one IDNA cannot encode is not.
        assert!(valid_url("https://例え.テスト/hook"));
        assert!(valid_url("https://bücher.example/in"));
        for bad in [
            "ftp://x",
            "https://",
            "example.com",
            "https://a b",
            "https://i\u{e8}\u{2026}\u{c7}",
            "https://xn--a.example/",
            "https://exa%mple.com/",
            "http://[::1/",
        ] {
            assert!(!valid_url(bad), "{bad}");
        }
        assert!(subscribed("product.delisted,stock.low", "stock.low"));
        assert!(subscribed("*", "anything"));
        assert!(!subscribed("product.delisted", "product.delisted_x"));
    }

    #[test]
    fn private_hosts() {
        for private in [
            "http://127.0.0.1:9000/x",
            "http://localhost/x",
            "http://api.localhost/x",
            "http://10.1.2.3/",
            "http://192.168.0.10/",
            "http://172.16.5.5/",
            "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1/",
            "http://[::1]/",
            "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://224.0.0.1/",
            "http://239.255.255.250:1900/",
            "http://198.18.0.1/",
            "http://198.19.255.254/",
            "http://240.0.0.1/",
            "http://192.0.2.7/",
            "http://[ff02::1]/",
            "http://[::ffff:10.0.0.1]/",
            "http://[::ffff:224.0.0.1]/",
        ] {
            assert!(private_host(private), "{private}");
        }
        for public in [
            "https://hooks.example.com/x",
            "http://93.184.216.34/",
            "http://198.20.0.1/",
            "http://223.255.255.1/",
            "http://[2606:4700::1111]/",
        ] {
            assert!(!private_host(public), "{public}");
        }
    }
}
