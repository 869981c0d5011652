//! Orders from the platform: all lines reserved or none, stock frozen for delisted
//! products, shipping, delivery and cancellation.

use sqlx::AnyConnection;
use std::collections::BTreeSet;

use marketdesk_core::stock::{Movement, needs_follow_up};
use marketdesk_core::{FieldError, Invalid, Money, Role, State, id, money::parse_currency};
use marketdesk_store::orders::{self, LineRow, OrderRow};
use marketdesk_store::{catalog, outbox, stock};
use rust_decimal::Decimal;
use serde_json::json;

use crate::{Actor, Service, ServiceError, ServiceResult};

pub const MAX_LINES: usize = 100;
pub const MAX_QUANTITY: i64 = 10_000;

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
}

#[derive(Debug, Clone)]
pub struct Order {
    pub order: OrderRow,
    pub lines: Vec<LineRow>,
}

fn line_error(i: usize, field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: format!("lines[{i}].{field}"),
        message: message.into(),
    }
}

impl Service {
    /// Places an order: every line reserves its units, or the whole order is refused with
    /// the lines at fault and nothing reserved. With group commit (the default on SQLite), orders
    /// arriving together share one transaction and one disk flush; each still succeeds or
    /// fails alone in its own savepoint, and none is answered before the flush.
    pub async fn place_order(&self, actor: &Actor, new: NewOrder) -> ServiceResult<Order> {
        if actor.role != Role::Admin {
            return Err(ServiceError::Forbidden(
                "orders arrive from the platform (an admin token)".into(),
            ));
        }
        if self.group_commit {
            return self.place_order_grouped(actor.clone(), new).await;
        }
        let mut tx = self.db.begin().await?;
        let order = self.place_order_in(&mut tx, actor, new, None).await?;
        tx.commit().await?;
        Ok(order)
    }

    /// The body of [`Service::place_order`] inside a caller's transaction (or savepoint).
    pub(crate) async fn place_order_in(
        &self,
        tx: &mut sqlx::AnyConnection,
        actor: &Actor,
        new: NewOrder,
        mut defer: Option<&mut crate::order_batch::Deferred>,
    ) -> ServiceResult<Order> {
        let mut errors = Invalid::default();
        if new.lines.is_empty() || new.lines.len() > MAX_LINES {
            errors.push("lines", format!("between 1 and {MAX_LINES} lines"));
        }
        let mut seen = BTreeSet::new();
        for (i, l) in new.lines.iter().enumerate() {
            if !(1..=MAX_QUANTITY).contains(&l.quantity) {
                errors.0.push(line_error(
                    i,
                    "quantity",
                    format!("must be between 1 and {MAX_QUANTITY}"),
                ));
            }
            if !seen.insert(l.sku_id.clone()) {
                errors.0.push(line_error(
                    i,
                    "sku_id",
                    "appears twice; put the quantity on one line",
                ));
            }
        }
        // A batch reads each store once: its row is the same for all its orders.
        let cached = defer
            .as_deref()
            .and_then(|d| d.stores.get(&new.store_id).cloned());
        let found = match cached {
            Some(s) => Some(s),
            None => catalog::store_with_currency(tx, &new.store_id).await?,
        };
        if let (Some(d), Some(f)) = (defer.as_deref_mut(), &found) {
            d.stores.insert(new.store_id.clone(), f.clone());
        }
        let Some(found) = found else {
            errors.push("store_id", "no store with this id");
            return Err(errors.into());
        };
        let store = found.store;
        let currency = parse_currency(&found.site_currency)
            .ok_or_else(|| anyhow::anyhow!("unknown currency"))?;
        let mut prices = Vec::new();
        for (i, l) in new.lines.iter().enumerate() {
            match Money::parse_price(&l.unit_price, currency) {
                Ok(m) => prices.push(m.amount),
                Err(m) => {
                    errors.0.push(line_error(i, "unit_price", m));
                    prices.push(Decimal::ZERO);
                }
            }
        }
        errors.into_result()?;

        let now = self.now_us();
        let order_id = id::new_id();
        let mut refused = Vec::new();
        let mut lines = Vec::new();
        // Reserve in SKU-id order so concurrent orders lock rows in one order (no deadlock).
        let mut order_of_work: Vec<usize> = (0..new.lines.len()).collect();
        order_of_work.sort_by(|a, b| new.lines[*a].sku_id.cmp(&new.lines[*b].sku_id));
        let mut touched = BTreeSet::new();
        for i in order_of_work {
            let l = &new.lines[i];
            let found = match id::parse_id(&l.sku_id) {
                Some(sid) => stock::sku_for_sale(tx, &sid).await?,
                None => None,
            };
            let Some(found) = found.filter(|s| s.sku.store_id == store.id) else {
                refused.push(line_error(i, "sku_id", "no SKU with this id in this store"));
                continue;
            };
            let sku = found.sku;
            if found.product_state != State::OnSale.as_str() {
                let why = found
                    .product_delist_kind
                    .as_deref()
                    .map(|k| format!("delisted ({k})"))
                    .unwrap_or_else(|| found.product_state.replace('_', " "));
                refused.push(line_error(
                    i,
                    "sku_id",
                    format!("stock is frozen: the product is {why}"),
                ));
                continue;
            }
            let (presale, ship_by) = match self
                .move_stock_into(
                    tx,
                    actor,
                    &sku,
                    Movement::Reservation(l.quantity),
                    None,
                    Some(&order_id),
                    defer.as_deref_mut().map(|d| &mut d.movements),
                )
                .await
            {
                Ok((on_hand, reserved)) => {
                    let threshold = sku.safety_threshold.unwrap_or(store.safety_threshold);
                    if needs_follow_up(on_hand - reserved, threshold, sku.low_alerted != 0) {
                        touched.insert(sku.product_id.clone());
                    }
                    (0, None)
                }
                Err(ServiceError::Conflict { detail, .. }) => {
                    match stock::take_presale(tx, &sku.id, l.quantity, now).await? {
                        Some(_) => {
                            touched.insert(sku.product_id.clone());
                            (1, sku.presale_ship_by)
                        }
                        None => {
                            refused.push(line_error(i, "quantity", detail));
                            continue;
                        }
                    }
                }
                Err(e) => return Err(e),
            };
            lines.push(LineRow {
                id: id::new_id(),
                order_id: order_id.clone(),
                store_id: store.id.clone(),
                sku_id: sku.id.clone(),
                product_id: sku.product_id.clone(),
                quantity: l.quantity,
                unit_price: prices[i].to_string(),
                amount: Money::new(prices[i] * Decimal::from(l.quantity), currency)
                    .round_for_payout()
                    .amount
                    .to_string(),
                presale,
                ship_by,
                shipped_late: 0,
                position: i as i64,
            });
        }
        if !refused.is_empty() {
            refused.sort_by(|a, b| a.field.cmp(&b.field));
            // Dropping the transaction rolls back every reservation already made.
            return Err(ServiceError::Conflict {
                detail: format!(
                    "{} of {} lines cannot be reserved; nothing was reserved",
                    refused.len(),
                    new.lines.len()
                ),
                errors: refused,
            });
        }
        lines.sort_by_key(|l| l.position);
        let total: Decimal = lines
            .iter()
            .map(|l| l.amount.parse::<Decimal>().unwrap_or_default())
            .sum();
        let order = OrderRow {
            id: order_id.clone(),
            store_id: store.id.clone(),
            state: "placed".into(),
            currency: currency.code().into(),
            total: Money::new(total, currency)
                .round_for_payout()
                .amount
                .to_string(),
            placed_by: actor.user_id.clone(),
            created_at: now,
            updated_at: now,
        };
        match defer {
            Some(d) => {
                d.orders.push(order.clone());
                d.lines.extend(lines.iter().cloned());
                d.events.push(self.order_event_row(&order, "order.placed"));
                for product_id in &touched {
                    self.after_stock_change(tx, product_id).await?;
                }
            }
            None => {
                orders::insert(tx, &order, &lines).await?;
                for product_id in &touched {
                    self.after_stock_change(tx, product_id).await?;
                }
                self.order_event(tx, &order, "order.placed").await?;
            }
        }
        Ok(Order { order, lines })
    }

    async fn order_event(
        &self,
        tx: &mut sqlx::AnyConnection,
        o: &OrderRow,
        event_type: &str,
    ) -> ServiceResult<()> {
        outbox::insert(tx, &self.order_event_row(o, event_type)).await?;
        Ok(())
    }

    fn order_event_row(&self, o: &OrderRow, event_type: &str) -> outbox::OutboxRow {
        outbox::OutboxRow {
            id: id::new_id(),
            store_id: o.store_id.clone(),
            event_type: event_type.into(),
            subject_id: o.id.clone(),
            payload: json!({"order_id": o.id, "state": o.state, "total": o.total, "currency": o.currency}).to_string(),
            created_at: self.now_us(),
            dispatched_at: None,
        }
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
        Ok(Order { order, lines })
    }

    /// placed → shipped (reserved units leave), shipped → delivered, placed → cancelled
    /// (reservations released; a protectively delisted product may come back on sale).
    pub async fn order_step(&self, actor: &Actor, id: &str, to: &str) -> ServiceResult<Order> {
        if !matches!(actor.role, Role::Admin | Role::Seller) {
            return Err(ServiceError::Forbidden(format!(
                "a {} does not handle orders",
                actor.role.as_str()
            )));
        }
        let mut tx = self.db.begin().await?;
        let order = self.visible_order(&mut tx, actor, id).await?;
        let out = self.step_order_in(&mut tx, actor, order, to).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// One order step inside the caller's transaction (after-sales cancels orders too).
    pub(crate) async fn step_order_in(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        mut order: OrderRow,
        to: &str,
    ) -> ServiceResult<Order> {
        let from = match to {
            "shipped" | "cancelled" => "placed",
            "delivered" => "shipped",
            other => return Err(Invalid::one("state", format!("unknown step {other}")).into()),
        };
        if order.state != from {
            return Err(ServiceError::conflict(format!(
                "the order is {}; only a {from} order can become {to}",
                order.state
            )));
        }
        let lines = orders::lines(&mut *tx, &order.id).await?;
        let now = self.now_us();
        let mut touched = BTreeSet::new();
        if to != "delivered" {
            for l in &lines {
                let sku = stock::sku(&mut *tx, &l.sku_id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("line without SKU"))?;
                match (to, l.presale != 0) {
                    ("shipped", false) => {
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
                    ("shipped", true) => {
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
                        if l.ship_by.is_some_and(|by| now > by) {
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
        order.state = to.into();
        order.updated_at = now;
        for product_id in &touched {
            self.after_stock_change(&mut *tx, product_id).await?;
        }
        self.order_event(&mut *tx, &order, &format!("order.{to}"))
            .await?;
        let lines = orders::lines(&mut *tx, &order.id).await?;
        if lines.iter().any(|l| l.shipped_late != 0) && to == "shipped" {
            self.order_event(&mut *tx, &order, "order.presale_shipped_late")
                .await?;
        }
        Ok(Order { order, lines })
    }
}
