//! Orders from the platform: all lines reserved or none, stock frozen for delisted
//! products, shipping, delivery and cancellation. The rules (steps, limits, freeze,
//! pre-sale fallback, late pre-sale shipment) are `marketdesk_core::order`'s; this file
//! loads, asks and writes.

use sqlx::AnyConnection;
use std::collections::BTreeSet;

use marketdesk_core::order as rules;
use marketdesk_core::stock::Movement;
use marketdesk_core::{Invalid, OrderState, id};
use marketdesk_store::orders::{self, LineRow, OrderRow};
use marketdesk_store::{outbox, stock};
use serde_json::json;

use crate::change::Change;
use crate::records::{OrderHeader, OrderLine, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

#[derive(Debug, Clone)]
pub struct NewLine {
    pub sku_id: String,
    pub quantity: i64,
    pub unit_price: String,
}

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub store_id: String,
    pub lines: Vec<NewLine>,
    /// The platform's reference of the buyer (buyers never log in here).
    pub buyer_id: Option<String>,
    /// The affiliate (creator) who brought the order, as the platform refers to them.
    pub affiliate_id: Option<String>,
}

/// A buyer reference: 1 to 64 visible characters, no spaces.
const MAX_BUYER_ID: usize = 64;

pub(crate) fn check_buyer_id(errors: &mut Invalid, field: &str, id: &str) {
    let ok = (1..=MAX_BUYER_ID).contains(&id.chars().count())
        && id.chars().all(|c| !c.is_whitespace() && !c.is_control());
    if !ok {
        errors.push(
            field,
            format!("1 to {MAX_BUYER_ID} characters without spaces"),
        );
    }
}

#[derive(Debug, Clone)]
pub struct Order {
    pub order: OrderHeader,
    pub lines: Vec<OrderLine>,
}

impl Order {
    pub(crate) fn from_rows(order: OrderRow, lines: Vec<LineRow>) -> Order {
        Order {
            order: order.into(),
            lines: records(lines),
        }
    }
}

fn order_payload(o: &OrderRow) -> serde_json::Value {
    json!({"order_id": o.id, "state": o.state.as_str(), "total": o.total, "currency": o.currency})
}

impl Service {
    async fn order_event(
        &self,
        tx: &mut sqlx::AnyConnection,
        o: &OrderRow,
        event_type: &str,
    ) -> ServiceResult<()> {
        let change = Change::in_store(&o.store_id).event(event_type, &o.id, order_payload(o));
        self.record(tx, &Actor::system(), change).await
    }

    pub(crate) fn order_event_row(&self, o: &OrderRow, event_type: &str) -> outbox::OutboxRow {
        self.event_row(&o.store_id, event_type, &o.id, &order_payload(o))
    }

    pub(crate) async fn visible_order(
        &self,
        c: &mut sqlx::AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<OrderRow> {
        let not_found = || ServiceError::NotFound(format!("no order with id {id}"));
        let Some(oid) = id::parse_id(id) else {
            return Err(not_found());
        };
        match orders::get(c, &oid).await? {
            Some(o) if actor.can_see_store(&o.store_id) => Ok(o),
            _ => Err(not_found()),
        }
    }

    pub async fn order(&self, actor: &Actor, id: &str) -> ServiceResult<Order> {
        let mut c = self.db.reader().await?;
        let order = self.visible_order(&mut c, actor, id).await?;
        let lines = orders::lines(&mut c, &order.id).await?;
        Ok(Order::from_rows(order, lines))
    }

    /// placed → shipped (reserved units leave), shipped → delivered, placed → cancelled
    /// (reservations released; a protectively delisted product may come back on sale).
    pub async fn order_step(
        &self,
        actor: &Actor,
        id: &str,
        to: OrderState,
    ) -> ServiceResult<Order> {
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(format!(
                "a {} does not handle orders",
                actor.role.as_str()
            )));
        }
        let mut tx = self.db.begin().await?;
        let order = self.visible_order(&mut tx, actor, id).await?;
        let out = self.step_order_in(&mut tx, actor, order, to).await?;
        self.commit(tx).await?;
        Ok(out)
    }

    /// One order step inside the caller's transaction (after-sales cancels orders too).
    pub(crate) async fn step_order_in(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        mut order: OrderRow,
        to: OrderState,
    ) -> ServiceResult<Order> {
        let from = order.state;
        from.step(to).map_err(ServiceError::conflict)?;
        let lines = orders::lines(&mut *tx, &order.id).await?;
        let now = self.now_us();
        let mut touched = BTreeSet::new();
        if OrderState::moves_stock(to) {
            for l in &lines {
                let sku = stock::sku(&mut *tx, &l.sku_id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("line without SKU"))?;
                match (to == OrderState::Shipped, l.presale != 0) {
                    (true, false) => {
                        self.move_stock(
                            &mut *tx,
                            actor,
                            &sku,
                            Movement::Shipment(l.quantity),
                            None,
                            Some(&order.id),
                        )
                        .await?;
                    }
                    (true, true) => {
                        // Pre-sold goods ship from stock received since: on hand must cover them.
                        self.move_stock(
                            &mut *tx,
                            actor,
                            &sku,
                            Movement::Adjustment(-l.quantity),
                            Some("pre-sale shipment".into()),
                            Some(&order.id),
                        )
                        .await?;
                        if rules::shipped_late(true, l.ship_by, now) {
                            orders::mark_late(&mut *tx, &l.id).await?;
                        }
                    }
                    (_, false) => {
                        self.move_stock(
                            &mut *tx,
                            actor,
                            &sku,
                            Movement::Release(l.quantity),
                            None,
                            Some(&order.id),
                        )
                        .await?;
                    }
                    (_, true) => stock::give_back_presale(&mut *tx, &sku.id, l.quantity).await?,
                }
                touched.insert(l.product_id.clone());
            }
        }
        if !orders::set_state(&mut *tx, &order.id, from, to, now).await? {
            return Err(ServiceError::conflict(
                "the order changed meanwhile; reload and try again",
            ));
        }
        order.state = to;
        order.updated_at = now;
        for product_id in &touched {
            self.after_stock_change(&mut *tx, product_id).await?;
        }
        self.order_event(&mut *tx, &order, &format!("order.{to}"))
            .await?;
        let lines = orders::lines(&mut *tx, &order.id).await?;
        if to == OrderState::Shipped && lines.iter().any(|l| l.shipped_late != 0) {
            self.order_event(&mut *tx, &order, "order.presale_shipped_late")
                .await?;
        }
        Ok(Order::from_rows(order, lines))
    }
}
