//! Orders from the platform: all lines reserved or none, stock frozen for delisted
//! products, shipping, delivery and cancellation. The rules (steps, limits, freeze,
//! pre-sale fallback, late pre-sale shipment) are `marketdesk_core::order`'s; this file
//! loads, asks and writes.

use sqlx::AnyConnection;
use std::collections::{BTreeSet, HashMap};

use marketdesk_core::deadline::{DeadlineKind, DeadlineState};
use marketdesk_core::order::{self as rules, MAX_LINES, MAX_QUANTITY, Shortfall};
use marketdesk_core::programs::fully_managed::{Fulfilment, ProgramState};
use marketdesk_core::stock::{Movement, needs_follow_up, presale_active};
use marketdesk_core::{FieldError, Invalid, Money, OrderState, id, money::parse_currency};
use marketdesk_store::catalog::{self, StoreWithCurrency};
use marketdesk_store::deadlines::{self, DeadlineRow, StoredKind};
use marketdesk_store::orders::{self, LineRow, OrderRow};
use marketdesk_store::stock::MovementRow;
use marketdesk_store::{outbox, stock};

/// A JIT order's goods are due at the warehouse 48 hours after it was placed.
const JIT_INBOUND_US: i64 = 48 * 3_600_000_000;
use rust_decimal::Decimal;
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

fn line_error(i: usize, field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: format!("lines[{i}].{field}"),
        message: message.into(),
    }
}

/// The rows one order writes once it is accepted: a ledger row per reservation, the
/// order, its lines and its event. Placing an order alone writes them at its end; group
/// commit gathers many orders' rows and writes each table in one multi-row statement.
#[derive(Default)]
pub(crate) struct OrderWrites {
    pub movements: Vec<MovementRow>,
    pub orders: Vec<OrderRow>,
    pub lines: Vec<LineRow>,
    pub events: Vec<outbox::OutboxRow>,
    /// JIT orders' inbound deadlines.
    pub deadlines: Vec<DeadlineRow>,
}

impl OrderWrites {
    pub(crate) fn absorb(&mut self, other: OrderWrites) {
        self.movements.extend(other.movements);
        self.orders.extend(other.orders);
        self.lines.extend(other.lines);
        self.events.extend(other.events);
        self.deadlines.extend(other.deadlines);
    }

    pub(crate) async fn write(&self, c: &mut AnyConnection) -> ServiceResult<()> {
        stock::insert_movements(c, &self.movements).await?;
        orders::insert_many(c, &self.orders, &self.lines).await?;
        outbox::insert_many(c, &self.events).await?;
        for d in &self.deadlines {
            deadlines::insert(c, d).await?;
        }
        Ok(())
    }
}

/// Stores already read in a transaction: a batch reads each store once.
pub(crate) type StoreCache = HashMap<String, StoreWithCurrency>;

/// How an order attempt ended inside a shared transaction. It lives for one attempt, on
/// the stack of the batch that made it: boxing the accepted rows would cost an allocation
/// per order on the hottest path for no gain.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Placement {
    /// Accepted: its rows, to be written before the commit.
    Accepted(Order, OrderWrites),
    /// Refused before anything was written: the transaction is as it was.
    Refused(ServiceError),
    /// Failed after it changed rows in the transaction (a stock row, a follow-up):
    /// the transaction must not commit as it is.
    Tainted(ServiceError),
}

impl Service {
    /// Places an order: every line reserves its units, or the whole order is refused with
    /// the lines at fault and nothing reserved. With group commit (the default on both
    /// backends), orders arriving together share one transaction and one disk flush; each
    /// still succeeds or fails alone, and none is answered before the flush.
    pub async fn place_order(&self, actor: &Actor, new: NewOrder) -> ServiceResult<Order> {
        if !actor.role.places_orders() {
            return Err(ServiceError::Forbidden(
                "orders arrive from the platform (an admin token)".into(),
            ));
        }
        if self.group_commit {
            return self.place_order_grouped(actor.clone(), new).await;
        }
        self.place_order_alone(actor, new).await
    }

    /// One order in a transaction of its own.
    pub(crate) async fn place_order_alone(
        &self,
        actor: &Actor,
        new: NewOrder,
    ) -> ServiceResult<Order> {
        let mut tx = self.db.begin().await?;
        match self
            .place_order_in(&mut tx, actor, new, &mut StoreCache::new())
            .await
        {
            Placement::Accepted(order, writes) => {
                writes.write(&mut tx).await?;
                self.commit(tx).await?;
                Ok(order)
            }
            // Dropping the transaction rolls back whatever the attempt wrote.
            Placement::Refused(e) | Placement::Tainted(e) => Err(e),
        }
    }

    /// The body of [`Service::place_order`] inside a caller's transaction (or savepoint).
    /// Everything the order's transaction must do — reservations, pre-sale, the stock
    /// follow-ups — runs here, before the caller adds its rows to a batch; the answer says
    /// whether a failure left writes behind.
    pub(crate) async fn place_order_in(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        new: NewOrder,
        stores: &mut StoreCache,
    ) -> Placement {
        let mut writes = OrderWrites::default();
        let mut tainted = false;
        match self
            .try_place(tx, actor, new, stores, &mut writes, &mut tainted)
            .await
        {
            Ok(order) => Placement::Accepted(order, writes),
            // An unexpected failure may have aborted the shared transaction (PostgreSQL
            // refuses every later statement): it is never answered from the batch.
            Err(e @ ServiceError::Internal(_)) => Placement::Tainted(e),
            Err(e) if tainted => Placement::Tainted(e),
            Err(e) => Placement::Refused(e),
        }
    }

    async fn try_place(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        new: NewOrder,
        stores: &mut StoreCache,
        writes: &mut OrderWrites,
        tainted: &mut bool,
    ) -> ServiceResult<Order> {
        let mut errors = Invalid::default();
        if let Some(b) = &new.buyer_id {
            check_buyer_id(&mut errors, "buyer_id", b);
        }
        if let Some(a) = &new.affiliate_id {
            check_buyer_id(&mut errors, "affiliate_id", a);
        }
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
        let found = match stores.get(&new.store_id) {
            Some(s) => Some(s.clone()),
            None => catalog::store_with_currency(tx, &new.store_id).await?,
        };
        let Some(found) = found else {
            errors.push("store_id", "no store with this id");
            return Err(errors.into());
        };
        stores.insert(new.store_id.clone(), found.clone());
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
        if !marketdesk_core::store_standing::Standing::of(store.suspended_at).sells() {
            return Err(ServiceError::conflict(
                "the store is suspended: none of its products is on sale until it is reinstated",
            ));
        }
        let program = ProgramState::of(store.program_state);
        if !program.sells() {
            return Err(ServiceError::conflict(format!(
                "the store is {}: it sells nothing",
                program.as_str()
            )));
        }

        let now = self.now_us();
        let order_id = id::new_id();
        let mut refused = Vec::new();
        let mut lines = Vec::new();
        // Reserve in SKU-id order so concurrent orders lock rows in one order (no deadlock).
        let mut order_of_work: Vec<usize> = (0..new.lines.len()).collect();
        order_of_work.sort_by(|a, b| new.lines[*a].sku_id.cmp(&new.lines[*b].sku_id));
        let mut touched = BTreeSet::new();
        let mut jit = false;
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
            jit |= found.product_fulfilment == Some(Fulfilment::Jit);
            if let Some(why) = rules::frozen(found.product_state, found.product_delist_kind) {
                refused.push(line_error(i, "sku_id", why));
                continue;
            }
            let mut reservation = Vec::new();
            let (presale, ship_by) = match self
                .move_stock_into(
                    tx,
                    actor,
                    &sku,
                    Movement::Reservation(l.quantity),
                    None,
                    Some(&order_id),
                    Some(&mut reservation),
                )
                .await
            {
                Ok((on_hand, reserved)) => {
                    *tainted = true;
                    writes.movements.append(&mut reservation);
                    let threshold = sku.safety_threshold.unwrap_or(store.safety_threshold);
                    if needs_follow_up(on_hand - reserved, threshold, sku.low_alerted != 0) {
                        touched.insert(sku.product_id.clone());
                    }
                    (0, None)
                }
                Err(ServiceError::Conflict { detail, .. }) => {
                    let running =
                        presale_active(sku.presale_cap, sku.presale_ship_by, sku.presale_sold, now);
                    let room = sku.presale_cap.unwrap_or(0) - sku.presale_sold;
                    match rules::on_shortfall(running, room, l.quantity) {
                        // The guarded UPDATE repeats the cap check for buyers racing for the
                        // last pre-sale units; core decided that a pre-sale applies.
                        Shortfall::Presale
                            if stock::take_presale(tx, &sku.id, l.quantity, now)
                                .await?
                                .is_some() =>
                        {
                            *tainted = true;
                            touched.insert(sku.product_id.clone());
                            (1, sku.presale_ship_by)
                        }
                        _ => {
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
            // The caller rolls back every reservation already made (the attempt is tainted
            // if one was).
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
            state: OrderState::Placed,
            currency: currency.code().into(),
            total: Money::new(total, currency)
                .round_for_payout()
                .amount
                .to_string(),
            placed_by: actor.user_id.clone(),
            created_at: now,
            updated_at: now,
            buyer_id: new.buyer_id.clone(),
            affiliate_id: new.affiliate_id.clone(),
            // "收到订单后的48小时内": 48 hours of elapsed time, whatever the calendar says.
            jit_due_at: jit.then(|| now + JIT_INBOUND_US),
            inbound_at: None,
            jit_overdue_at: None,
        };
        if let Some(due) = order.jit_due_at {
            writes.deadlines.push(DeadlineRow {
                id: id::new_id(),
                store_id: store.id.clone(),
                kind: StoredKind::Known(DeadlineKind::JitInbound),
                subject_id: order_id.clone(),
                due_at: due,
                state: DeadlineState::Pending,
                created_at: now,
                fired_at: None,
                fired_by: None,
            });
        }
        for product_id in &touched {
            self.after_stock_change(tx, product_id).await?;
        }
        writes.orders.push(order.clone());
        writes.lines.extend(lines.iter().cloned());
        writes
            .events
            .push(self.order_event_row(&order, "order.placed"));
        Ok(Order::from_rows(order, lines))
    }

    async fn order_event(
        &self,
        tx: &mut sqlx::AnyConnection,
        o: &OrderRow,
        event_type: &str,
    ) -> ServiceResult<()> {
        let change = Change::in_store(&o.store_id).event(event_type, &o.id, order_payload(o));
        self.record(tx, &Actor::system(), change).await
    }

    fn order_event_row(&self, o: &OrderRow, event_type: &str) -> outbox::OutboxRow {
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
