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
                tokio::spawn(self.clone().run_order_batches(rx));
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

    async fn run_order_batches(self, mut rx: mpsc::Receiver<Job>) {
        while let Some(first) = rx.recv().await {
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            self.place_batch(jobs).await;
        }
    }

    async fn place_batch(&self, jobs: Vec<Job>) {
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
        for (actor, new, reply) in jobs {
            match self.place_in_savepoint(&mut tx, &actor, new.clone()).await {
                // An unexpected failure (a deadlock victim, say) is retried on its own
                // after the batch rather than failing the order.
                Err(ServiceError::Internal(_)) => retry_alone.push((actor, new, reply)),
                outcome => placed.push((actor, new, reply, outcome)),
            }
        }
        match tx.commit().await {
            Ok(()) => {
                for (_, _, reply, outcome) in placed {
                    let _ = reply.send(outcome);
                }
            }
            // Nothing of the batch is on disk: place each order alone instead.
            Err(_) => retry_alone.extend(placed.into_iter().map(|(a, n, r, _)| (a, n, r))),
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
        match self.place_order_in(&mut savepoint, actor, new).await {
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
        let order = self.place_order_in(&mut tx, actor, new).await?;
        tx.commit().await?;
        Ok(order)
    }
}
