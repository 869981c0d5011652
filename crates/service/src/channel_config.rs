//! Where notifications leave the building: the SMTP server, the SMS/voice provider, and
//! how hard to try. Read by the CLI from defaults → TOML file → `MARKETDESK_*` environment.

use std::time::Duration;

use serde::Deserialize;

/// Unknown keys are refused: a misspelt or retired setting (such as `escalate_after`,
/// now `call_if_unread_after`) must not be silently ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChannelConfig {
    /// E-mail goes out only when a server is configured.
    pub smtp: Option<SmtpConfig>,
    /// Texts and voice calls go out only when a provider is configured.
    pub sms: Option<SmsConfig>,
    /// A red alert places a phone call too. Zero (the default): at once, beside the text.
    /// Otherwise the call waits this long and is placed only if the inbox message is still
    /// unread by then.
    #[serde(with = "seconds")]
    pub call_if_unread_after: Duration,
    /// Failed attempts before a delivery is dead-lettered.
    pub max_attempts: u32,
    /// Per request to an SMTP server, provider or webhook receiver.
    #[serde(with = "seconds")]
    pub request_timeout: Duration,
    /// Events turned into messages per dispatcher transaction.
    pub dispatch_batch: i64,
    /// Deliveries sent at once: a slow receiver holds one slot, not the queue.
    pub send_concurrency: usize,
    /// Accept webhook URLs on loopback, private and link-local addresses. Off by default:
    /// a store must not make the server call into the operator's own network.
    pub allow_private_targets: bool,
    /// Fixed answers for webhook hosts' names (like curl's `--resolve`): for split-horizon
    /// DNS, and for tests. Still subject to the public-address check.
    pub webhook_hosts: std::collections::BTreeMap<String, std::net::IpAddr>,
}

impl Default for ChannelConfig {
    fn default() -> Self {
        Self {
            smtp: None,
            sms: None,
            call_if_unread_after: Duration::ZERO,
            max_attempts: 10,
            request_timeout: Duration::from_secs(10),
            dispatch_batch: 200,
            send_concurrency: 16,
            allow_private_targets: false,
            webhook_hosts: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain SMTP: only for a relay on the same host or network.
    None,
    /// Upgrade with STARTTLS (port 587), required.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Clone, Deserialize)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    #[serde(default)]
    pub tls: TlsMode,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The From header, e.g. `marketdesk <noreply@example.com>`.
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password.
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// The generic SMS/voice provider adapter: one JSON POST per message (see README,
/// "SMS and voice provider").
#[derive(Clone, Deserialize)]
pub struct SmsConfig {
    pub url: String,
    /// Sent as `Authorization: Bearer …` when set.
    pub token: Option<String>,
}

impl std::fmt::Debug for SmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsConfig")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer};

    /// Whole seconds, as a number or a numeric string (environment variables are text).
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Secs {
            N(u64),
            S(String),
        }
        match Secs::deserialize(d)? {
            Secs::N(n) => Ok(Duration::from_secs(n)),
            Secs::S(s) => s.trim().parse().map(Duration::from_secs).map_err(|_| {
                serde::de::Error::custom(format!("\"{s}\" is not a number of seconds"))
            }),
        }
    }
}
