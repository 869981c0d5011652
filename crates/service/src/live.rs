//! What one process must tell the others when several `serve` share one PostgreSQL: a
//! token or account that stopped (their one-minute token memory must forget it now), and
//! inbox messages it delivered (their live streams' readers must hear them). Carried by
//! PostgreSQL's LISTEN/NOTIFY; on SQLite one process owns the data folder and everything
//! stays in it.
//!
//! And the live streams themselves: capped per person and per process, and resumable —
//! a reader that reconnects with the last id it saw gets exactly what it missed, from the
//! inbox, before anything new.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use marketdesk_store::inbox::{self, MessageRow};

use crate::records::InboxMessage;
use crate::{Service, ServiceError, ServiceResult};

const AUTH_CHANNEL: &str = "marketdesk_auth";
const INBOX_CHANNEL: &str = "marketdesk_inbox";
/// NOTIFY payloads must stay under 8,000 bytes; ids are 36.
const IDS_PER_NOTICE: usize = 150;

/// Live streams one person may hold open (tabs, devices) in one process.
pub const STREAMS_PER_USER: usize = 8;
/// Live streams one process holds open in all.
pub const STREAMS_PER_PROCESS: usize = 2_000;
/// Missed messages replayed in one round on reconnect (rounds repeat until caught up).
const REPLAY_PAGE: i64 = 200;

/// Open streams, per person and in all.
#[derive(Default)]
pub(crate) struct StreamCounts {
    per_user: Mutex<HashMap<String, usize>>,
}

/// Held by an open stream; closing the stream gives its place back.
pub struct StreamSlot {
    counts: Arc<StreamCounts>,
    user_id: String,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut m = self.counts.per_user.lock().expect("stream counts");
        if let Some(n) = m.get_mut(&self.user_id) {
            *n -= 1;
            if *n == 0 {
                m.remove(&self.user_id);
            }
        }
    }
}

impl StreamCounts {
    fn take(self: &Arc<Self>, user_id: &str) -> ServiceResult<StreamSlot> {
        let mut m = self.per_user.lock().expect("stream counts");
        let total: usize = m.values().sum();
        if total >= STREAMS_PER_PROCESS {
            return Err(ServiceError::Unavailable {
                detail: format!(
                    "this server holds {STREAMS_PER_PROCESS} live streams already; try again shortly"
                ),
                retry_after: 10,
            });
        }
        let n = m.entry(user_id.to_string()).or_default();
        if *n >= STREAMS_PER_USER {
            return Err(ServiceError::Throttled {
                detail: format!(
                    "at most {STREAMS_PER_USER} live streams per person; close one first"
                ),
                retry_after: 10,
            });
        }
        *n += 1;
        Ok(StreamSlot {
            counts: self.clone(),
            user_id: user_id.to_string(),
        })
    }
}

impl Service {
    /// Drops the remembered tokens of an account that may no longer act, here and (after
    /// the change committed) in every other process.
    pub(crate) async fn forget_tokens_of(&self, user_id: &str) {
        self.forget_locally(|a| a.user_id == user_id);
        self.tell_others(AUTH_CHANNEL, &format!("user:{user_id}"))
            .await;
    }

    /// The same for every account of a store (its standing changed).
    pub(crate) async fn forget_tokens_of_store(&self, store_id: &str) {
        self.forget_locally(|a| a.store_id.as_deref() == Some(store_id));
        self.tell_others(AUTH_CHANNEL, &format!("store:{store_id}"))
            .await;
    }

    fn forget_locally(&self, which: impl Fn(&crate::Actor) -> bool) {
        let mut cache = self.tokens.write().expect("token cache");
        self.token_epoch.fetch_add(1, Ordering::SeqCst);
        cache.retain(|_, (a, _, _)| !which(a));
    }

    /// A notice that cannot be sent is logged, not failed: the change has committed, and
    /// the other processes forget within their minute regardless.
    async fn tell_others(&self, channel: &str, payload: &str) {
        if let Err(e) = self.db.signal(channel, payload).await {
            tracing::warn!(error = %e, channel, "could not notify the other processes");
        }
    }

    /// Messages the dispatcher just committed: to this process's streams at once, and to
    /// the other processes' by id.
    pub(crate) async fn announce_delivered(&self, delivered: Vec<MessageRow>) {
        let ids: Vec<String> = delivered.iter().map(|m| m.id.clone()).collect();
        for m in delivered {
            // Nobody listening is fine: the inbox has the message.
            let _ = self.live.send(Arc::new(m.into()));
        }
        for chunk in ids.chunks(IDS_PER_NOTICE) {
            let payload = format!("{}|{}", self.instance, chunk.join(","));
            self.tell_others(INBOX_CHANNEL, &payload).await;
        }
    }

    /// Listens for the other processes' notices until the process ends (PostgreSQL;
    /// returns at once on SQLite). After the listener lost its connection, notices may
    /// have been missed: every remembered token is forgotten (streams need nothing —
    /// their readers resume with `Last-Event-ID`).
    pub async fn run_notice_listener(self) {
        loop {
            let mut listener = match self.db.listener(&[AUTH_CHANNEL, INBOX_CHANNEL]).await {
                Ok(Some(l)) => l,
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "notice listener cannot connect; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
            };
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) => self.on_notice(n.channel(), n.payload()).await,
                    Ok(None) => {
                        tracing::warn!("notice listener reconnected; forgetting remembered tokens");
                        self.forget_locally(|_| true);
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "notice listener failed; reconnecting");
                        self.forget_locally(|_| true);
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        break;
                    }
                }
            }
        }
    }

    async fn on_notice(&self, channel: &str, payload: &str) {
        match channel {
            AUTH_CHANNEL => match payload.split_once(':') {
                Some(("user", id)) => self.forget_locally(|a| a.user_id == id),
                Some(("store", id)) => self.forget_locally(|a| a.store_id.as_deref() == Some(id)),
                _ => self.forget_locally(|_| true),
            },
            INBOX_CHANNEL => {
                let Some((origin, ids)) = payload.split_once('|') else {
                    return;
                };
                if origin == self.instance || self.live.receiver_count() == 0 {
                    return;
                }
                let ids: Vec<String> = ids.split(',').map(str::to_string).collect();
                let rows = match self.db.reader().await {
                    Ok(mut c) => inbox::by_ids(&mut c, &ids).await,
                    Err(e) => Err(e),
                };
                match rows {
                    Ok(rows) => {
                        for m in rows {
                            let _ = self.live.send(Arc::new(m.into()));
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "could not read announced messages"),
                }
            }
            _ => {}
        }
    }

    /// One person's inbox messages as they are delivered, by any process: the API's and
    /// the console's live streams. With `last_seen` (the SSE `Last-Event-ID`), first
    /// every message after it, oldest first. Refused beyond [`STREAMS_PER_USER`] per
    /// person (429) or [`STREAMS_PER_PROCESS`] in all (503). A reader that falls behind
    /// the live channel skips ahead (the inbox keeps every message).
    pub async fn inbox_stream(
        &self,
        user_id: String,
        last_seen: Option<String>,
    ) -> ServiceResult<impl futures::Stream<Item = Arc<InboxMessage>> + Send + use<>> {
        use tokio::sync::broadcast::error::RecvError;
        let slot = self.streams.take(&user_id)?;
        // Subscribed before reading what was missed: nothing falls between the two.
        let rx = self.live.subscribe();
        let mut missed = Vec::new();
        if let Some(after) = last_seen.as_deref().and_then(marketdesk_core::id::parse_id) {
            let mut c = self.db.reader().await?;
            let mut from = after;
            loop {
                let page = inbox::after(&mut c, &user_id, &from, REPLAY_PAGE).await?;
                let full = page.len() as i64 == REPLAY_PAGE;
                if let Some(last) = page.last() {
                    from = last.id.clone();
                }
                missed.extend(page.into_iter().map(|m| Arc::new(InboxMessage::from(m))));
                if !full {
                    break;
                }
            }
        }
        let seen_up_to = missed.last().map(|m| m.id.clone());
        let replay = futures::stream::iter(missed);
        let live =
            futures::stream::unfold((rx, slot, seen_up_to), move |(mut rx, slot, seen_up_to)| {
                let user = user_id.clone();
                async move {
                    loop {
                        match rx.recv().await {
                            // Already replayed (delivered between subscribing and reading).
                            Ok(m) if seen_up_to.as_deref().is_some_and(|s| m.id.as_str() <= s) => {
                                continue;
                            }
                            Ok(m) if m.user_id == user => {
                                return Some((m, (rx, slot, seen_up_to)));
                            }
                            Ok(_) | Err(RecvError::Lagged(_)) => continue,
                            Err(RecvError::Closed) => return None,
                        }
                    }
                }
            });
        Ok(futures::StreamExt::chain(replay, live))
    }
}
