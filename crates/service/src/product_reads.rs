//! Product reads that arrive together share one statement. Under load, `GET /products/{id}`
//! costs mostly round trips: to PostgreSQL over its socket, to SQLite's connection thread
//! and back. A reader takes every read waiting when it is free and answers them with one
//! `WHERE id IN (…)`, so a round trip is paid per batch, not per read.
//!
//! Nothing is served from memory: each read is answered by a statement that started after
//! it arrived, so a read sees every write committed before it was asked, as a read of its
//! own would. A batch closes when nothing more is waiting (never on a timer), so a lone
//! read waits for nobody.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{Mutex, mpsc, oneshot};

use crate::Service;
use marketdesk_store::products::{ProductRow, SkuRow};

/// Reads per shared statement at most.
const MAX_BATCH: usize = 64;

pub(crate) type Found = Option<(ProductRow, Vec<SkuRow>)>;
/// `None`: the batch's statement failed; the read is made alone, so it gets its own error.
type Reply = oneshot::Sender<Option<Found>>;
pub(crate) type ReadQueue = mpsc::Sender<(String, Reply)>;

impl Service {
    /// The product `id` with its SKUs, read together with whatever other reads are waiting.
    pub(crate) async fn product_read_together(&self, id: String) -> crate::ServiceResult<Found> {
        let queue = self
            .read_queue
            .get_or_init(|| async {
                let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
                let rx = Arc::new(Mutex::new(rx));
                // Two readers: while one waits on its statement, the other gathers the
                // next batch. One to four measured alike on this 2-core machine (within
                // the runs' noise); more only split the waiting reads into smaller batches.
                for _ in 0..2 {
                    tokio::spawn(self.clone().run_read_batches(rx.clone()));
                }
                tx
            })
            .await;
        let (reply, answer) = oneshot::channel();
        if queue.send((id.clone(), reply)).await.is_ok()
            && let Ok(Some(found)) = answer.await
        {
            return Ok(found);
        }
        let mut c = self.db.reader().await?;
        Ok(marketdesk_store::product_read::product_with_skus(&mut c, &id).await?)
    }

    async fn run_read_batches(self, rx: Arc<Mutex<mpsc::Receiver<(String, Reply)>>>) {
        loop {
            let batch = crate::order_batch::next_batch(&mut *rx.lock().await, MAX_BATCH).await;
            let Some(batch) = batch else {
                return;
            };
            self.answer_reads(batch).await;
        }
    }

    async fn answer_reads(&self, batch: Vec<(String, Reply)>) {
        // Waiters by id: the same product asked twice is read once.
        let mut waiting: HashMap<String, Vec<Reply>> = HashMap::with_capacity(batch.len());
        for (id, reply) in batch {
            waiting.entry(id).or_default().push(reply);
        }
        let ids: Vec<&str> = waiting.keys().map(String::as_str).collect();
        let read = async {
            let mut c = self.db.reader().await?;
            marketdesk_store::product_read::products_with_skus(&mut c, &ids).await
        };
        let rows = match read.await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, reads = waiting.len(), "a batch of product reads failed; each is read alone");
                for reply in waiting.into_values().flatten() {
                    let _ = reply.send(None);
                }
                return;
            }
        };
        for found in rows {
            if let Some(mut replies) = waiting.remove(&found.0.id) {
                let last = replies.pop();
                for reply in replies {
                    let _ = reply.send(Some(Some(found.clone())));
                }
                if let Some(reply) = last {
                    let _ = reply.send(Some(Some(found)));
                }
            }
        }
        // Not found (or not a product at all).
        for reply in waiting.into_values().flatten() {
            let _ = reply.send(Some(None));
        }
    }
}
