//! Group commit for orders. A durable commit costs one disk flush; orders that arrive
//! together are placed in one transaction, each inside its own savepoint so it succeeds
//! or fails alone, and all are answered after the single commit. Nothing is acknowledged
//! before it is on disk, so durability is unchanged; throughput is no longer bounded by
//! one flush per order.

use tokio::sync::{mpsc, oneshot};

use crate::idempotency::IdempotencyKey;
use crate::orders::{NewOrder, Order, OrderWrites, Placement, StoreCache};
use crate::{Actor, Service, ServiceResult};

/// Orders per shared transaction at most.
pub const MAX_BATCH: usize = 64;
/// Concurrent batchers on PostgreSQL.
pub const PG_BATCHERS: usize = 8;

/// One order waiting for a batch, with the `Idempotency-Key` its request runs under (the
/// batch marks the key applied in the transaction that places the order).
pub(crate) type Job = (
    (Actor, Option<IdempotencyKey>),
    NewOrder,
    oneshot::Sender<ServiceResult<Order>>,
);

impl Service {
    pub(crate) async fn place_order_grouped(
        &self,
        actor: Actor,
        new: NewOrder,
    ) -> ServiceResult<Order> {
        let queue = self
            .order_queue
            .get_or_init(|| async {
                let (tx, rx) = mpsc::channel::<Job>(4 * MAX_BATCH);
                // SQLite has one writer: one batcher. PostgreSQL runs transactions in
                // parallel, so several batchers keep its cores busy while each still
                // shares one commit between many orders.
                let batchers = match self.db.backend() {
                    marketdesk_store::Backend::Sqlite => 1,
                    marketdesk_store::Backend::Postgres => PG_BATCHERS,
                };
                let rx = std::sync::Arc::new(tokio::sync::Mutex::new(rx));
                for _ in 0..batchers {
                    tokio::spawn(self.clone().run_order_batches(rx.clone()));
                }
                tx
            })
            .await;
        let (reply, answer) = oneshot::channel();
        queue
            .send(((actor, IdempotencyKey::current()), new, reply))
            .await
            .map_err(|_| anyhow::anyhow!("order queue closed"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("order batch dropped"))?
    }

    async fn run_order_batches(self, rx: std::sync::Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>) {
        loop {
            let jobs = {
                let mut rx = rx.lock().await;
                let Some(first) = rx.recv().await else {
                    return;
                };
                let mut jobs = vec![first];
                while jobs.len() < MAX_BATCH {
                    match rx.try_recv() {
                        Ok(job) => jobs.push(job),
                        Err(_) => break,
                    }
                }
                jobs
            };
            // A panic inside a batch must not take the batcher with it: its orders'
            // callers get an error (their reply senders are dropped), the next batch runs.
            use futures::FutureExt;
            if std::panic::AssertUnwindSafe(self.place_batch(jobs))
                .catch_unwind()
                .await
                .is_err()
            {
                tracing::error!("an order batch panicked; its orders were answered with an error");
            }
        }
    }

    async fn place_batch(&self, mut jobs: Vec<Job>) {
        // Batches run side by side on PostgreSQL and hold their row locks until they
        // commit: taking SKUs in ascending order in every batch (as each order does
        // within itself) means two batches never wait on each other in a cycle.
        jobs.sort_by(|a, b| {
            let first = |j: &Job| j.1.lines.iter().map(|l| l.sku_id.clone()).min();
            first(a).cmp(&first(b))
        });
        let mut tx = match self.db.begin().await {
            Ok(tx) => tx,
            Err(e) => {
                let msg = e.to_string();
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
        let mut jobs = jobs.into_iter();
        let mut keys = Vec::new();
        for ((actor, key), new, reply) in jobs.by_ref() {
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
                    placed.push(((actor, key), new, reply, Ok(order)));
                }
                Placement::Refused(e) => placed.push(((actor, key), new, reply, Err(e))),
                Placement::Tainted(_) if single => {
                    retry_alone.push(((actor, key), new, reply));
                    tainted = true;
                    break;
                }
                // Its savepoint was rolled back: the batch is clean. It is retried alone
                // after the batch (a deadlock victim, say) rather than failed.
                Placement::Tainted(_) => retry_alone.push(((actor, key), new, reply)),
            }
        }
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
        let ending = if tainted || !marked || writes.write(&mut tx).await.is_err() {
            let _ = tx.rollback().await;
            Ending::RolledBack
        } else {
            match tx.commit().await {
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
        for ((actor, key), new, reply) in retry_alone {
            let outcome = match key {
                Some(k) => k.scope(self.place_order_alone(&actor, new)).await,
                None => self.place_order_alone(&actor, new).await,
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
