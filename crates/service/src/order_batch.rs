//! Group commit for orders. A durable commit costs one disk flush; orders that arrive
//! together are placed in one transaction, each inside its own savepoint so it succeeds
//! or fails alone, and all are answered after the single commit. Nothing is acknowledged
//! before it is on disk, so durability is unchanged; throughput is no longer bounded by
//! one flush per order.

use tokio::sync::{mpsc, oneshot};

use crate::orders::{NewOrder, Order};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// Orders per shared transaction at most.
pub const MAX_BATCH: usize = 64;
/// Concurrent batchers on PostgreSQL.
pub const PG_BATCHERS: usize = 8;

/// Rows a batch's one-line orders write at the end, one multi-row statement per table:
/// after the stock rows are locked and checked, nothing here can be refused.
#[derive(Default)]
pub(crate) struct Deferred {
    pub movements: Vec<marketdesk_store::stock::MovementRow>,
    pub orders: Vec<marketdesk_store::orders::OrderRow>,
    pub lines: Vec<marketdesk_store::orders::LineRow>,
    pub events: Vec<marketdesk_store::outbox::OutboxRow>,
    /// Stores already read in this batch's transaction.
    pub stores: std::collections::HashMap<String, marketdesk_store::catalog::StoreWithCurrency>,
}

impl Deferred {
    async fn write(&self, c: &mut sqlx::AnyConnection) -> ServiceResult<()> {
        marketdesk_store::stock::insert_movements(c, &self.movements).await?;
        marketdesk_store::orders::insert_many(c, &self.orders, &self.lines).await?;
        marketdesk_store::outbox::insert_many(c, &self.events).await?;
        Ok(())
    }
}

pub(crate) type Job = (Actor, NewOrder, oneshot::Sender<ServiceResult<Order>>);

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
            .send((actor, new, reply))
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
            self.place_batch(jobs).await;
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
        let mut poisoned = false;
        let mut deferred = Deferred::default();
        let mut jobs = jobs.into_iter();
        for (actor, new, reply) in jobs.by_ref() {
            // A one-line order writes nothing before it can be refused, so it needs no
            // savepoint of its own (two round trips fewer); an unexpected failure there
            // may leave writes behind, so the whole batch is then placed order by order.
            let single = new.lines.len() == 1;
            let outcome = if single {
                self.place_order_in(&mut tx, &actor, new.clone(), Some(&mut deferred))
                    .await
            } else {
                self.place_in_savepoint(&mut tx, &actor, new.clone()).await
            };
            match outcome {
                Err(ServiceError::Internal(_)) if single => {
                    retry_alone.push((actor, new, reply));
                    poisoned = true;
                    break;
                }
                // An unexpected failure (a deadlock victim, say) is retried on its own
                // after the batch rather than failing the order.
                Err(ServiceError::Internal(_)) => retry_alone.push((actor, new, reply)),
                outcome => placed.push((actor, new, reply, outcome)),
            }
        }
        retry_alone.extend(jobs);
        let committed = if poisoned || deferred.write(&mut tx).await.is_err() {
            let _ = tx.rollback().await;
            Err(())
        } else {
            tx.commit().await.map_err(|_| ())
        };
        match committed {
            Ok(()) => {
                for (_, _, reply, outcome) in placed {
                    let _ = reply.send(outcome);
                }
            }
            // Nothing of the batch is on disk: place each order alone instead.
            Err(()) => retry_alone.extend(placed.into_iter().map(|(a, n, r, _)| (a, n, r))),
        }
        for (actor, new, reply) in retry_alone {
            let outcome = self.place_order_alone(&actor, new).await;
            let _ = reply.send(outcome);
        }
    }

    async fn place_in_savepoint(
        &self,
        tx: &mut sqlx::AnyConnection,
        actor: &Actor,
        new: NewOrder,
    ) -> ServiceResult<Order> {
        use sqlx::Connection;
        let mut savepoint = tx.begin().await?;
        match self.place_order_in(&mut savepoint, actor, new, None).await {
            Ok(order) => {
                savepoint.commit().await?;
                Ok(order)
            }
            Err(e) => {
                savepoint.rollback().await?;
                Err(e)
            }
        }
    }

    async fn place_order_alone(&self, actor: &Actor, new: NewOrder) -> ServiceResult<Order> {
        let mut tx = self.db.begin().await?;
        let order = self.place_order_in(&mut tx, actor, new, None).await?;
        tx.commit().await?;
        Ok(order)
    }
}
