//! Group commit for orders. A durable commit costs one disk flush; orders that arrive
//! together are placed in one transaction, each inside its own savepoint so it succeeds
//! or fails alone, and all are answered after the single commit. Nothing is acknowledged
//! before it is on disk, so durability is unchanged; throughput is no longer bounded by
//! one flush per order.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use crate::batch_reservation::Together;
use crate::idempotency::IdempotencyKey;
use crate::order_placement::{OrderWrites, Placement, StoreCache, audited};
use crate::orders::{NewOrder, Order};
use crate::{Actor, Service, ServiceResult};
use marketdesk_store::audit::AuditRow;

/// Orders per shared transaction at most.
pub const MAX_BATCH: usize = 128;
/// Concurrent batchers on PostgreSQL: one per core (2 to 8). More batchers than cores
/// split the waiting orders into smaller batches, each paying its own commit, and gain
/// nothing: a batcher mostly waits on PostgreSQL, which needs the same cores.
pub fn pg_batchers() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 8)
}

/// One order waiting for a batch, with the `Idempotency-Key` its request runs under and
/// its request's audit row (the batch marks the key applied and writes the row in the
/// transaction that places the order).
pub(crate) type Job = (
    (Actor, Option<IdempotencyKey>, Option<AuditRow>),
    NewOrder,
    oneshot::Sender<ServiceResult<Order>>,
);

/// A batch's transaction, being begun.
type Begun = tokio::task::JoinHandle<Result<marketdesk_store::Tx, String>>;

/// The batchers' queues. An order goes to the batcher its first SKU hashes to, so a hot
/// SKU's orders meet in one batcher's transaction (one lock, one statement for all of
/// them) instead of queueing on its row lock from eight.
pub(crate) type Queues = Vec<mpsc::Sender<Job>>;

/// Where group commit's time goes, summed since the last [`Service::take_order_batch_figures`]:
/// what `marketdesk bench` prints beside the throughput.
#[derive(Debug, Default)]
pub(crate) struct BatchClock {
    batches: AtomicU64,
    orders: AtomicU64,
    together: AtomicU64,
    largest: AtomicU64,
    begin_us: AtomicU64,
    reserve_us: AtomicU64,
    alone_us: AtomicU64,
    write_us: AtomicU64,
    commit_us: AtomicU64,
}

/// A snapshot of [`BatchClock`].
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchFigures {
    pub batches: u64,
    pub orders: u64,
    /// Orders reserved with their batch's two statements (the rest were placed alone).
    pub together: u64,
    pub largest: u64,
    /// Microseconds, summed over batches: waiting for a connection and `BEGIN` (on
    /// PostgreSQL under load, begun while the batch before ran); reading,
    /// locking and reserving the one-line orders' SKUs (lock waits included); placing the
    /// other orders one by one; the batch's inserts; `COMMIT` (the disk flush).
    pub begin_us: u64,
    pub reserve_us: u64,
    pub alone_us: u64,
    pub write_us: u64,
    pub commit_us: u64,
}

/// The next batch: waits for one item, then takes whatever else is already waiting, up to
/// `max`. A batch never waits on a timer for company: alone, an item goes at once. None
/// once every sender is gone.
pub(crate) async fn next_batch<T>(rx: &mut mpsc::Receiver<T>, max: usize) -> Option<Vec<T>> {
    let first = rx.recv().await?;
    let mut batch = vec![first];
    while batch.len() < max {
        match rx.try_recv() {
            Ok(item) => batch.push(item),
            Err(_) => break,
        }
    }
    Some(batch)
}

fn since(t: Instant) -> u64 {
    t.elapsed().as_micros() as u64
}

impl Service {
    /// What group commit did since the last call, and its clock reset.
    pub fn take_order_batch_figures(&self) -> BatchFigures {
        let c = &self.batch_clock;
        BatchFigures {
            batches: c.batches.swap(0, Relaxed),
            orders: c.orders.swap(0, Relaxed),
            together: c.together.swap(0, Relaxed),
            largest: c.largest.swap(0, Relaxed),
            begin_us: c.begin_us.swap(0, Relaxed),
            reserve_us: c.reserve_us.swap(0, Relaxed),
            alone_us: c.alone_us.swap(0, Relaxed),
            write_us: c.write_us.swap(0, Relaxed),
            commit_us: c.commit_us.swap(0, Relaxed),
        }
    }

    pub(crate) async fn place_order_grouped(
        &self,
        actor: Actor,
        new: NewOrder,
        audit: Option<AuditRow>,
    ) -> ServiceResult<Order> {
        let queues = self
            .order_queue
            .get_or_init(|| async {
                // SQLite has one writer: one batcher. PostgreSQL runs transactions in
                // parallel, so several batchers keep its cores busy while each still
                // shares one commit between many orders.
                let batchers = match self.db.backend() {
                    marketdesk_store::Backend::Sqlite => 1,
                    marketdesk_store::Backend::Postgres => pg_batchers(),
                };
                (0..batchers)
                    .map(|_| {
                        let (tx, rx) = mpsc::channel::<Job>(4 * MAX_BATCH);
                        tokio::spawn(self.clone().run_order_batches(rx));
                        tx
                    })
                    .collect()
            })
            .await;
        let queue = &queues[batcher_of(&new, queues.len())];
        let (reply, answer) = oneshot::channel();
        queue
            .send(((actor, IdempotencyKey::current(), audit), new, reply))
            .await
            .map_err(|_| anyhow::anyhow!("order queue closed"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("order batch dropped"))?
    }

    /// A batch closes when it is full or when nothing more is waiting: under light load
    /// an order is placed at once, under heavy load it joins the orders that came while
    /// the previous batch was committing.
    async fn run_order_batches(self, mut rx: mpsc::Receiver<Job>) {
        // On PostgreSQL, while a batch of several orders is placed (a sign of load), the
        // next batch's transaction is begun beside it: a hot SKU's batches follow each
        // other without a BEGIN round trip between them. Not on SQLite, whose BEGIN
        // IMMEDIATE takes the one writer's lock. A transaction begun for orders that do
        // not come is rolled back after a second, not left idle in its connection.
        let early = self.db.backend() == marketdesk_store::Backend::Postgres;
        let mut begun: Option<Begun> = None;
        loop {
            let jobs = match begun.take() {
                None => next_batch(&mut rx, MAX_BATCH).await,
                Some(tx) => match tokio::time::timeout(
                    std::time::Duration::from_secs(1),
                    next_batch(&mut rx, MAX_BATCH),
                )
                .await
                {
                    Ok(jobs) => {
                        begun = Some(tx);
                        jobs
                    }
                    // Rolled back aside: its BEGIN may still be waiting for a connection,
                    // and orders that come meanwhile must not wait for it.
                    Err(_) => {
                        tokio::spawn(async move {
                            if let Ok(Ok(tx)) = tx.await {
                                let _ = tx.rollback().await;
                            }
                        });
                        continue;
                    }
                },
            };
            let Some(jobs) = jobs else {
                return;
            };
            let tx = begun.take().unwrap_or_else(|| self.begin_batch());
            if early && jobs.len() > 1 && self.pool_has_room() {
                begun = Some(self.begin_batch());
            }
            // A panic inside a batch must not take the batcher with it: its orders'
            // callers get an error (their reply senders are dropped), the next batch runs.
            use futures::FutureExt;
            if std::panic::AssertUnwindSafe(self.place_batch(jobs, tx))
                .catch_unwind()
                .await
                .is_err()
            {
                tracing::error!("an order batch panicked; its orders were answered with an error");
            }
        }
    }

    /// Whether a transaction begun ahead would leave connections free for everything
    /// else the pool serves (reads, token lookups, orders placed alone): with eight
    /// batchers, two transactions each would be the whole pool of sixteen.
    fn pool_has_room(&self) -> bool {
        let pool = self.db.write_pool();
        let max = pool.options().get_max_connections();
        let free = pool.num_idle() as u32 + max.saturating_sub(pool.size());
        free > max / 2
    }

    fn begin_batch(&self) -> Begun {
        let db = self.db.clone();
        tokio::spawn(async move { db.begin().await.map_err(|e| e.to_string()) })
    }

    async fn place_batch(&self, mut jobs: Vec<Job>, begun: Begun) {
        // Batches run side by side on PostgreSQL and hold their row locks until they
        // commit: taking SKUs in ascending order in every batch (as each order does
        // within itself, and as the one-line orders' SKUs are locked together) means two
        // batches rarely wait on each other in a cycle; PostgreSQL breaks the rare cycle
        // a multi-line order can still make, and its orders are placed alone.
        jobs.sort_by(|a, b| {
            let first = |j: &Job| j.1.lines.iter().map(|l| l.sku_id.clone()).min();
            first(a).cmp(&first(b))
        });
        let clock = &self.batch_clock;
        clock.batches.fetch_add(1, Relaxed);
        clock.orders.fetch_add(jobs.len() as u64, Relaxed);
        clock.largest.fetch_max(jobs.len() as u64, Relaxed);
        let t = Instant::now();
        let begun = begun
            .await
            .unwrap_or_else(|e| Err(format!("the task beginning it failed: {e}")));
        // A transaction begun ahead may have failed long before these orders came (a pool
        // wait during a burst, a connection broken since): it is tried once more for them.
        let begun = match begun {
            Ok(tx) => Ok(tx),
            Err(_) => self.db.begin().await.map_err(|e| e.to_string()),
        };
        clock.begin_us.fetch_add(since(t), Relaxed);
        let mut tx = match begun {
            Ok(tx) => tx,
            Err(msg) => {
                for (_, _, reply) in jobs {
                    let _ = reply.send(Err(
                        anyhow::anyhow!("cannot start a transaction: {msg}").into()
                    ));
                }
                return;
            }
        };
        let mut placed = Vec::with_capacity(jobs.len());
        let mut retry_alone = Vec::new();
        let mut tainted = false;
        let mut writes = OrderWrites::default();
        let mut stores = StoreCache::new();
        let mut keys = Vec::new();

        // One-line orders first, together; what they leave (more lines, or more units
        // than were there) one by one after them.
        let (ones, mut rest): (Vec<Job>, Vec<Job>) =
            jobs.into_iter().partition(|j| j.1.lines.len() == 1);
        let t = Instant::now();
        let together = {
            let orders: Vec<(&Actor, &NewOrder)> =
                ones.iter().map(|((a, _, _), n, _)| (a, n)).collect();
            self.reserve_together(&mut tx, &orders, &mut stores).await
        };
        clock.reserve_us.fetch_add(since(t), Relaxed);
        let mut alone = Vec::new();
        match together {
            Ok(outcomes) => {
                for (job, outcome) in ones.into_iter().zip(outcomes) {
                    let ((actor, key, audit), new, reply) = job;
                    match outcome {
                        Together::Placed(order, rows) => {
                            clock.together.fetch_add(1, Relaxed);
                            writes.absorb(rows);
                            keys.extend(key.clone());
                            writes.audits.extend(audited(&audit, &order));
                            placed.push(((actor, key, audit), new, reply, Ok(order)));
                        }
                        Together::Refused(e) => {
                            placed.push(((actor, key, audit), new, reply, Err(e)))
                        }
                        Together::Alone => alone.push(((actor, key, audit), new, reply)),
                    }
                }
            }
            // The statements may have left writes behind: nothing of this transaction
            // commits, and every order is placed alone.
            Err(_) => {
                tainted = true;
                retry_alone.extend(ones);
            }
        }
        alone.append(&mut rest);
        let t = Instant::now();
        let mut jobs = alone.into_iter();
        for ((actor, key, audit), new, reply) in jobs.by_ref() {
            if tainted {
                retry_alone.push(((actor, key, audit), new, reply));
                break;
            }
            // A one-line order writes nothing before it can be refused, so it needs no
            // savepoint of its own (two round trips fewer). If it fails after writing (a
            // follow-up refused, an unexpected error), the transaction holds writes of an
            // order that will not be placed: the whole batch is then placed order by order.
            let single = new.lines.len() == 1;
            let outcome = if single {
                self.place_order_in(&mut tx, &actor, new.clone(), &mut stores)
                    .await
            } else {
                self.place_in_savepoint(&mut tx, &actor, new.clone(), &mut stores)
                    .await
            };
            match outcome {
                Placement::Accepted(order, rows) => {
                    writes.absorb(rows);
                    keys.extend(key.clone());
                    writes.audits.extend(audited(&audit, &order));
                    placed.push(((actor, key, audit), new, reply, Ok(order)));
                }
                Placement::Refused(e) => placed.push(((actor, key, audit), new, reply, Err(e))),
                Placement::Tainted(_) if single => {
                    retry_alone.push(((actor, key, audit), new, reply));
                    tainted = true;
                    break;
                }
                // Its savepoint was rolled back: the batch is clean. It is retried alone
                // after the batch (a deadlock victim, say) rather than failed.
                Placement::Tainted(_) => retry_alone.push(((actor, key, audit), new, reply)),
            }
        }
        clock.alone_us.fetch_add(since(t), Relaxed);
        retry_alone.extend(jobs);
        let mut marked = true;
        for k in &keys {
            marked &= self.mark_applied(&mut tx, k).await.is_ok();
        }
        enum Ending {
            Committed,
            /// We rolled back: nothing of the batch is on disk.
            RolledBack,
            /// COMMIT itself failed: the batch may or may not be on disk (a connection lost
            /// after the server committed). Placing the orders again could place them twice.
            Unknown(String),
        }
        let t = Instant::now();
        let written = !tainted && marked && writes.write(&mut tx).await.is_ok();
        clock.write_us.fetch_add(since(t), Relaxed);
        let ending = if !written {
            let _ = tx.rollback().await;
            Ending::RolledBack
        } else {
            let t = Instant::now();
            let committed = tx.commit().await;
            clock.commit_us.fetch_add(since(t), Relaxed);
            match committed {
                Ok(()) => Ending::Committed,
                Err(e) => Ending::Unknown(e.to_string()),
            }
        };
        match ending {
            Ending::Committed => {
                for (_, _, reply, outcome) in placed {
                    let _ = reply.send(outcome);
                }
            }
            // Place each order alone instead.
            Ending::RolledBack => {
                retry_alone.extend(placed.into_iter().map(|(a, n, r, _)| (a, n, r)))
            }
            // An error the client may retry: the middleware keeps a key whose write did
            // commit (it answers "already applied") and frees one whose write did not.
            Ending::Unknown(why) => {
                for (_, _, reply, _) in placed {
                    let _ = reply.send(Err(anyhow::anyhow!(
                        "the order batch's commit failed and may not have been applied: {why}"
                    )
                    .into()));
                }
            }
        }
        for ((actor, key, audit), new, reply) in retry_alone {
            let outcome = match key {
                Some(k) => k.scope(self.place_order_alone(&actor, new, audit)).await,
                None => self.place_order_alone(&actor, new, audit).await,
            };
            let _ = reply.send(outcome);
        }
    }

    /// A multi-line order in a savepoint of its own: refused or failed, it leaves the
    /// shared transaction as it found it.
    async fn place_in_savepoint(
        &self,
        tx: &mut sqlx::AnyConnection,
        actor: &Actor,
        new: NewOrder,
        stores: &mut StoreCache,
    ) -> Placement {
        use sqlx::Connection;
        let mut savepoint = match tx.begin().await {
            Ok(sp) => sp,
            Err(e) => return Placement::Tainted(e.into()),
        };
        match self
            .place_order_in(&mut savepoint, actor, new, stores)
            .await
        {
            Placement::Accepted(order, writes) => match savepoint.commit().await {
                Ok(()) => Placement::Accepted(order, writes),
                Err(e) => Placement::Tainted(e.into()),
            },
            Placement::Refused(e) | Placement::Tainted(e) => match savepoint.rollback().await {
                Ok(()) => match e {
                    crate::ServiceError::Internal(_) => Placement::Tainted(e),
                    e => Placement::Refused(e),
                },
                Err(sql) => Placement::Tainted(sql.into()),
            },
        }
    }
}

/// The batcher an order goes to: by its first line's SKU, so that a SKU's orders meet.
fn batcher_of(new: &NewOrder, batchers: usize) -> usize {
    use std::hash::{Hash, Hasher};
    let Some(line) = new.lines.first() else {
        return 0;
    };
    let mut h = std::collections::hash_map::DefaultHasher::new();
    line.sku_id.to_ascii_lowercase().hash(&mut h);
    (h.finish() % batchers.max(1) as u64) as usize
}
