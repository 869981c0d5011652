//! A batch's one-line orders reserved together: their SKUs read and locked in one
//! statement, which orders fit decided in memory by core's stock rule, every SKU's units
//! raised in one statement. A hot SKU's 64 waiting orders cost two statements instead of
//! 128, and its row lock is taken once per batch. An order that does not fit the units
//! read (its pre-sale or its refusal to decide) is placed alone after the others, by the
//! same path as any order.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use marketdesk_core::id;
use marketdesk_core::order as rules;
use marketdesk_core::stock::{Movement, Stock, needs_follow_up};
use marketdesk_store::reservations;
use marketdesk_store::stock::{MovementRow, SkuForSale};
use sqlx::AnyConnection;

use crate::order_placement::{OrderWrites, StoreCache, line_error, lines_refused};
use crate::orders::{NewOrder, Order};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// How a one-line order fared among the batch's. It lives for one batch, beside its
/// order: boxing the placed rows would cost an allocation per order on the hottest path.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Together {
    /// Reserved; its rows are written with the batch's.
    Placed(Order, OrderWrites),
    /// Refused before anything was written for it.
    Refused(ServiceError),
    /// More units than the SKU had left: placed alone after the others.
    Alone,
}

impl Service {
    /// Reserves `orders` (each of one line) in the caller's transaction. An error means
    /// the transaction may hold some of their writes: the caller must roll it back.
    pub(crate) async fn reserve_together(
        &self,
        tx: &mut AnyConnection,
        orders: &[(&Actor, &NewOrder)],
        stores: &mut StoreCache,
    ) -> ServiceResult<Vec<Together>> {
        let mut ids: Vec<String> = orders
            .iter()
            .filter_map(|(_, n)| n.lines.first().and_then(|l| id::parse_id(&l.sku_id)))
            .collect();
        ids.sort();
        ids.dedup();
        let skus: HashMap<String, SkuForSale> =
            reservations::lock_skus_for_sale(tx, self.db.backend(), &ids)
                .await?
                .into_iter()
                .map(|s| (s.sku.id.clone(), s))
                .collect();
        let mut figures: HashMap<&str, Stock> = skus
            .iter()
            .map(|(id, s)| {
                (
                    id.as_str(),
                    Stock {
                        on_hand: s.sku.stock,
                        reserved: s.sku.reserved,
                    },
                )
            })
            .collect();
        let mut units: BTreeMap<&str, i64> = BTreeMap::new();
        let mut touched = BTreeSet::new();
        let mut out = Vec::with_capacity(orders.len());
        for (actor, new) in orders {
            let basics = match self.order_basics(tx, new, stores).await {
                Ok(b) => b,
                Err(e @ ServiceError::Internal(_)) => return Err(e),
                Err(e) => {
                    out.push(Together::Refused(e));
                    continue;
                }
            };
            let line = &new.lines[0];
            let found = id::parse_id(&line.sku_id)
                .and_then(|sid| skus.get(&sid))
                .filter(|s| s.sku.store_id == basics.store.id);
            let Some(found) = found else {
                out.push(Together::Refused(lines_refused(
                    vec![line_error(0, "sku_id", "no SKU with this id in this store")],
                    1,
                )));
                continue;
            };
            if let Some(why) = rules::frozen(found.product_state, found.product_delist_kind) {
                out.push(Together::Refused(lines_refused(
                    vec![line_error(0, "sku_id", why)],
                    1,
                )));
                continue;
            }
            let sku = &found.sku;
            let movement = Movement::Reservation(line.quantity);
            let Some(before) = figures.get_mut(sku.id.as_str()) else {
                return Err(anyhow::anyhow!("SKU read but not counted").into());
            };
            let Ok(after) = before.apply(movement) else {
                out.push(Together::Alone);
                continue;
            };
            *before = after;
            *units.entry(sku.id.as_str()).or_default() += line.quantity;
            let threshold = sku
                .safety_threshold
                .unwrap_or(basics.store.safety_threshold);
            if needs_follow_up(after.available(), threshold, sku.low_alerted != 0) {
                touched.insert(sku.product_id.clone());
            }
            let now = self.now_us();
            let order_id = id::new_id();
            let (dh, dr) = movement.deltas();
            let mut writes = OrderWrites::default();
            writes.movements.push(MovementRow {
                id: id::new_id(),
                store_id: sku.store_id.clone(),
                sku_id: sku.id.clone(),
                kind: movement.kind().into(),
                on_hand_delta: dh,
                reserved_delta: dr,
                on_hand_after: after.on_hand,
                reserved_after: after.reserved,
                reason: None,
                order_id: Some(order_id.clone()),
                actor_id: actor.user_id.clone(),
                at: now,
            });
            let lines = vec![basics.line_row(&order_id, sku, 0, line.quantity, 0, None)];
            let jit = found.product_fulfilment
                == Some(marketdesk_core::programs::fully_managed::Fulfilment::Jit);
            let order =
                self.finish_order(actor, new, &basics, order_id, lines, jit, now, &mut writes);
            out.push(Together::Placed(order, writes));
        }
        let units: Vec<(String, i64)> = units
            .into_iter()
            .map(|(id, q)| (id.to_string(), q))
            .collect();
        let changed = reservations::reserve_many(tx, &units).await?;
        if changed != units.len() {
            return Err(anyhow::anyhow!(
                "{} of {} SKUs refused units counted as available under their lock",
                units.len() - changed,
                units.len()
            )
            .into());
        }
        for product_id in &touched {
            self.after_stock_change(tx, product_id).await?;
        }
        Ok(out)
    }
}
