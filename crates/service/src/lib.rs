//! marketdesk use cases. Each loads what it needs, asks the domain (`marketdesk-core`)
//! what is allowed, and writes the new state, its timeline row and its outbox event in
//! one transaction. Nothing here formats HTTP or HTML.

pub mod account_admin;
pub mod accounts;
pub mod aftersales;
pub mod announcements;
pub mod api_tokens;
pub mod audit;
mod batch_reservation;
pub mod benchmarks;
pub mod calendars;
mod change;
pub mod channel_config;
pub mod clock;
pub mod deadlines;
pub mod delivery_log;
pub mod demo;
mod demo_programs;
pub mod error;
pub mod evidence;
pub mod files;
pub mod idempotency;
pub mod listing;
pub mod live;
pub mod low_stock;
mod messages;
pub mod monitoring;
pub mod monitoring_jobs;
pub mod notify;
pub mod order_batch;
pub mod order_list;
mod order_placement;
pub mod orders;
pub mod outbound;
mod paging;
pub mod preferences;
pub mod product_csv;
pub mod product_edits;
pub mod product_overview;
mod product_query;
mod product_reads;
pub mod product_search;
pub mod products;
pub mod programs;
pub mod records;
pub mod retention;
pub mod review_claims;
pub mod rules;
pub mod secret_box;
pub mod senders;
pub mod sessions;
pub mod stock;
pub mod store_standing;
pub mod suppliers;
pub mod team;
mod team_mail;
mod violation_deadlines;
pub mod violation_list;
pub mod violations;
pub mod webhooks;
pub mod weekly_review;

use std::sync::Arc;

use marketdesk_core::Role;
use marketdesk_core::store_standing::{Scope, Standing};
use marketdesk_core::team::{Area, TeamRole};
use marketdesk_store::{Db, blobs::Blobs};

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{ServiceError, ServiceResult};

/// Who is acting: resolved from an API token, or the CLI acting as the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub role: Role,
    /// Set for sellers only: the one store whose data they may see and change.
    pub store_id: Option<String>,
    /// A seller's place in the store's team (子账号); None for platform roles.
    pub team: Option<TeamRole>,
    /// Whether the seller's store is suspended (platform roles: always active).
    pub standing: Standing,
}

impl Actor {
    /// The platform itself (protective delists, automatic relists).
    pub fn system() -> Actor {
        Actor {
            user_id: "system".into(),
            role: Role::System,
            store_id: None,
            team: None,
            standing: Standing::Active,
        }
    }

    /// The local command line: whoever can read the data directory is its operator.
    pub fn local_admin() -> Actor {
        Actor {
            user_id: "cli".into(),
            role: Role::Admin,
            store_id: None,
            team: None,
            standing: Standing::Active,
        }
    }

    /// The store a list is limited to: a seller's own (asking for another is refused),
    /// or whichever one (or none) a platform user asked for.
    pub fn store_scope(&self, asked: Option<String>) -> ServiceResult<Option<String>> {
        match (&self.store_id, asked) {
            (Some(own), Some(asked)) if *own != asked => Err(ServiceError::Forbidden(
                "this token may only use its own store".into(),
            )),
            (Some(own), _) => Ok(Some(own.clone())),
            // A store's account without a store must never widen to every store.
            (None, _) if self.role.bound_to_store() => Err(ServiceError::Forbidden(
                "this account is bound to no store".into(),
            )),
            (None, asked) => Ok(asked),
        }
    }

    /// A store's member sees only the parts of the seller center their team role
    /// includes (core's table); platform roles are not team members and pass.
    pub fn require_area(&self, area: Area) -> ServiceResult<()> {
        match self.team {
            Some(t) if self.role == Role::Seller && !t.may(area) => {
                Err(ServiceError::Forbidden(format!(
                    "the team role {} does not include {}",
                    t.as_str(),
                    area_words(area)
                )))
            }
            _ => Ok(()),
        }
    }

    /// Whether this request may change something of `scope`: nothing of a suspended
    /// store's is changed by its own sellers (core's rule). The edges ask before any
    /// state-changing request, naming what the request touches.
    pub fn require_may_change(&self, scope: Scope) -> ServiceResult<()> {
        marketdesk_core::store_standing::may_change(self.role, self.standing, scope)
            .map_err(|m| ServiceError::Suspended(m.into()))
    }

    /// Sellers see only their own store; platform roles see every store.
    pub fn can_see_store(&self, store_id: &str) -> bool {
        self.role.is_platform() || self.store_id.as_deref() == Some(store_id)
    }
}

fn area_words(area: Area) -> &'static str {
    match area {
        Area::Products => "products and their violations",
        Area::Stock => "stock and suppliers",
        Area::Aftersales => "after-sales",
        Area::Deposit => "the security deposit",
        Area::Team => "managing the team",
    }
}

/// Everything a use case needs; cheap to clone.
#[derive(Clone)]
pub struct Service {
    pub db: Db,
    pub blobs: Blobs,
    pub clock: Arc<dyn Clock>,
    /// Wakes the deadline worker early (the sandbox clock moved).
    pub(crate) wake: Arc<tokio::sync::Notify>,
    /// Names this process in `deadlines.fired_by`.
    pub(crate) instance: String,
    /// Place concurrent orders in shared transactions (see `order_batch`).
    pub(crate) group_commit: bool,
    pub(crate) order_queue: Arc<tokio::sync::OnceCell<order_batch::Queues>>,
    pub(crate) batch_clock: Arc<order_batch::BatchClock>,
    /// Product reads waiting to share a statement (see `product_reads`).
    pub(crate) read_queue: Arc<tokio::sync::OnceCell<product_reads::ReadQueue>>,
    /// Inbox messages as this process delivers them, for live streams.
    pub(crate) live: tokio::sync::broadcast::Sender<Arc<records::InboxMessage>>,
    pub(crate) channels: Arc<channel_config::ChannelConfig>,
    /// Wakes the outbox dispatcher: something may have committed events.
    pub(crate) dispatch_wake: Arc<tokio::sync::Notify>,
    /// Wakes the channel sender when the dispatcher queued deliveries.
    pub(crate) send_wake: Arc<tokio::sync::Notify>,
    pub(crate) http: reqwest::Client,
    /// Calls stores' webhook receivers: public addresses only (see `outbound`).
    pub(crate) webhook_http: reqwest::Client,
    pub(crate) smtp: Arc<tokio::sync::OnceCell<lettre::AsyncSmtpTransport<lettre::Tokio1Executor>>>,
    /// Token hash → actor, see `authenticate`.
    pub(crate) tokens: TokenCache,
    /// Moves on whenever cached actors are forgotten, so a lookup that read the database
    /// before an account or store changed never caches what it read after the change.
    pub(crate) token_epoch: Arc<std::sync::atomic::AtomicU64>,
    /// The console's address as people reach it, for links in e-mails (invitations).
    pub(crate) public_url: Arc<str>,
    /// Seals webhook signing secrets at rest; None: stored as they are (see `secret_box`).
    pub(crate) secrets: Option<secret_box::SecretBox>,
    /// Live streams open in this process (see `live`).
    pub(crate) streams: Arc<live::StreamCounts>,
}

impl Service {
    pub fn new(db: Db, blobs: Blobs, clock: Arc<dyn Clock>) -> Self {
        marketdesk_store::tls::install();
        let instance = format!(
            "pid{}-{}",
            std::process::id(),
            &marketdesk_core::id::new_id()[24..]
        );
        // Concurrent orders share transactions on both backends: on SQLite (one writer)
        // it is the only way to share a flush; on PostgreSQL several batchers run side by
        // side and each writes its batch's rows in a few multi-row statements, which beats
        // even the raw statements at one transaction each (see `marketdesk bench`).
        let group_commit = true;
        Self {
            db,
            blobs,
            clock,
            wake: Arc::new(tokio::sync::Notify::new()),
            instance,
            group_commit,
            order_queue: Arc::new(tokio::sync::OnceCell::new()),
            batch_clock: Arc::default(),
            read_queue: Arc::new(tokio::sync::OnceCell::new()),
            live: tokio::sync::broadcast::channel(1024).0,
            channels: Arc::new(channel_config::ChannelConfig::default()),
            send_wake: Arc::new(tokio::sync::Notify::new()),
            dispatch_wake: Arc::new(tokio::sync::Notify::new()),
            http: reqwest::Client::new(),
            webhook_http: outbound::webhook_client(false, Vec::new()),
            smtp: Arc::new(tokio::sync::OnceCell::new()),
            tokens: Arc::default(),
            token_epoch: Arc::default(),
            public_url: Arc::from("http://127.0.0.1:8080"),
            streams: Arc::default(),
            secrets: None,
        }
    }

    /// The console's address as people reach it (behind a proxy, its public URL).
    pub fn with_public_url(mut self, url: &str) -> Self {
        self.public_url = Arc::from(url.trim_end_matches('/'));
        self
    }

    /// Where notifications go beyond the inbox (SMTP, SMS provider) and how hard to try.
    pub fn with_channels(mut self, cfg: channel_config::ChannelConfig) -> Self {
        self.webhook_http = outbound::webhook_client(
            cfg.allow_private_targets,
            cfg.webhook_hosts.clone().into_iter().collect(),
        );
        self.channels = Arc::new(cfg);
        self.smtp = Arc::new(tokio::sync::OnceCell::new());
        self
    }

    /// Files (evidence, images, labels) go here instead: the settings' S3 bucket.
    pub fn with_blobs(mut self, blobs: Blobs) -> Self {
        self.blobs = blobs;
        self
    }

    /// Seals webhook signing secrets with this key from now on.
    pub fn with_secret_box(mut self, secrets: secret_box::SecretBox) -> Self {
        self.secrets = Some(secrets);
        self
    }

    /// Turns group commit of orders on (the default) or off (one transaction per
    /// order; the bench compares both).
    pub fn with_group_commit(mut self, on: bool) -> Self {
        self.group_commit = on;
        self.order_queue = Arc::new(tokio::sync::OnceCell::new());
        self
    }

    /// Now, in microseconds since the epoch: the unit every stored instant uses.
    pub(crate) fn now_us(&self) -> i64 {
        self.clock.now().as_microsecond()
    }
}

/// An instant stored as microseconds, as RFC 3339 in UTC.
pub fn instant(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Token hash → (who, when resolved, the token's expiry).
type TokenCache = Arc<
    std::sync::RwLock<std::collections::HashMap<String, (Actor, std::time::Instant, Option<i64>)>>,
>;

/// Platform administration is the admins' alone: every use case of it asks here.
pub(crate) fn require_admin(actor: &Actor) -> ServiceResult<()> {
    if actor.role.administers() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden("only an admin may do this".into()))
    }
}
