//! Placing an order: its own checks, its lines reserved (all or none), pre-sale when a
//! SKU runs short, the stock follow-ups, and the rows an accepted order writes. The
//! rules are `marketdesk_core::order`'s and `marketdesk_core::stock`'s; group commit
//! (`order_batch`) runs the same steps for many orders in one transaction.

use sqlx::AnyConnection;
use std::collections::{BTreeSet, HashMap};

use iso_currency::Currency;
use marketdesk_core::deadline::{DeadlineKind, DeadlineState};
use marketdesk_core::order::{self as rules, MAX_LINES, MAX_QUANTITY, Shortfall};
use marketdesk_core::programs::fully_managed::{Fulfilment, ProgramState};
use marketdesk_core::stock::{Movement, needs_follow_up, presale_active};
use marketdesk_core::{FieldError, Invalid, Money, OrderState, id, money::parse_currency};
use marketdesk_store::audit::AuditRow;
use marketdesk_store::catalog::{self, StoreRow, StoreWithCurrency};
use marketdesk_store::deadlines::{self, DeadlineRow, StoredKind};
use marketdesk_store::orders::{self, LineRow, OrderRow};
use marketdesk_store::stock::{MovementRow, StockRow};
use marketdesk_store::{outbox, stock};
use rust_decimal::Decimal;

use crate::orders::{NewOrder, Order, check_buyer_id};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// A JIT order's goods are due at the warehouse 48 hours after it was placed.
const JIT_INBOUND_US: i64 = 48 * 3_600_000_000;

pub(crate) fn line_error(i: usize, field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: format!("lines[{i}].{field}"),
        message: message.into(),
    }
}

/// The refusal of an order some of whose lines cannot be reserved, naming each.
pub(crate) fn lines_refused(mut refused: Vec<FieldError>, lines: usize) -> ServiceError {
    refused.sort_by(|a, b| a.field.cmp(&b.field));
    ServiceError::Conflict {
        detail: format!(
            "{} of {lines} lines cannot be reserved; nothing was reserved",
            refused.len()
        ),
        errors: refused,
    }
}

/// What an order was found to be before its lines are read: its store, the store's
/// currency and each line's unit price in it.
pub(crate) struct Basics {
    pub store: StoreRow,
    pub currency: Currency,
    pub prices: Vec<Decimal>,
}

impl Basics {
    /// Line `i`'s row, its amount rounded in the order's currency.
    pub(crate) fn line_row(
        &self,
        order_id: &str,
        sku: &StockRow,
        i: usize,
        quantity: i64,
        presale: i64,
        ship_by: Option<i64>,
    ) -> LineRow {
        let price = self.prices[i];
        LineRow {
            id: id::new_id(),
            order_id: order_id.into(),
            store_id: self.store.id.clone(),
            sku_id: sku.id.clone(),
            product_id: sku.product_id.clone(),
            quantity,
            unit_price: price.to_string(),
            amount: Money::new(price * Decimal::from(quantity), self.currency)
                .round_for_payout()
                .amount
                .to_string(),
            presale,
            ship_by,
            shipped_late: 0,
            position: i as i64,
        }
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
    /// The audit rows of the requests that placed them (platform staff's).
    pub audits: Vec<AuditRow>,
}

impl OrderWrites {
    pub(crate) fn absorb(&mut self, other: OrderWrites) {
        self.movements.extend(other.movements);
        self.orders.extend(other.orders);
        self.lines.extend(other.lines);
        self.events.extend(other.events);
        self.deadlines.extend(other.deadlines);
        self.audits.extend(other.audits);
    }

    pub(crate) async fn write(&self, c: &mut AnyConnection) -> ServiceResult<()> {
        stock::insert_movements(c, &self.movements).await?;
        orders::insert_many(c, &self.orders, &self.lines).await?;
        outbox::insert_many(c, &self.events).await?;
        for d in &self.deadlines {
            deadlines::insert(c, d).await?;
        }
        marketdesk_store::audit::insert_many(c, &self.audits).await?;
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
        // The request's audit row commits with the order (201 Created is its answer).
        let audit = crate::audit::row_in_transaction(actor, 201, self.now_us());
        let placed = if self.group_commit {
            self.place_order_grouped(actor.clone(), new, audit).await
        } else {
            self.place_order_alone(actor, new, audit).await
        };
        if placed.is_ok() {
            crate::audit::written_in_transaction();
        }
        placed
    }

    /// One order in a transaction of its own.
    pub(crate) async fn place_order_alone(
        &self,
        actor: &Actor,
        new: NewOrder,
        audit: Option<AuditRow>,
    ) -> ServiceResult<Order> {
        let mut tx = self.db.begin().await?;
        match self
            .place_order_in(&mut tx, actor, new, &mut StoreCache::new())
            .await
        {
            Placement::Accepted(order, mut writes) => {
                writes.audits.extend(audited(&audit, &order));
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

    /// An order's own checks and its store's, before any of its lines is read: every
    /// answer here refuses it without writing anything.
    pub(crate) async fn order_basics(
        &self,
        tx: &mut AnyConnection,
        new: &NewOrder,
        stores: &mut StoreCache,
    ) -> ServiceResult<Basics> {
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
            if !seen.insert(l.sku_id.as_str()) {
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
        Ok(Basics {
            store,
            currency,
            prices,
        })
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
        let basics = self.order_basics(tx, &new, stores).await?;
        let store = &basics.store;
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
            lines.push(basics.line_row(&order_id, &sku, i, l.quantity, presale, ship_by));
        }
        if !refused.is_empty() {
            // The caller rolls back every reservation already made (the attempt is tainted
            // if one was).
            return Err(lines_refused(refused, new.lines.len()));
        }
        for product_id in &touched {
            self.after_stock_change(tx, product_id).await?;
        }
        Ok(self.finish_order(actor, &new, &basics, order_id, lines, jit, now, writes))
    }

    /// The order row, its JIT deadline and its event, added to `writes`: the end of every
    /// accepted order, alone or reserved with its batch.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn finish_order(
        &self,
        actor: &Actor,
        new: &NewOrder,
        basics: &Basics,
        order_id: String,
        mut lines: Vec<LineRow>,
        jit: bool,
        now: i64,
        writes: &mut OrderWrites,
    ) -> Order {
        lines.sort_by_key(|l| l.position);
        let total: Decimal = lines
            .iter()
            .map(|l| l.amount.parse::<Decimal>().unwrap_or_default())
            .sum();
        let store = &basics.store;
        let order = OrderRow {
            id: order_id.clone(),
            store_id: store.id.clone(),
            state: OrderState::Placed,
            currency: basics.currency.code().into(),
            total: Money::new(total, basics.currency)
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
                subject_id: order_id,
                due_at: due,
                state: DeadlineState::Pending,
                created_at: now,
                fired_at: None,
                fired_by: None,
            });
        }
        writes.orders.push(order.clone());
        writes.lines.extend(lines.iter().cloned());
        writes
            .events
            .push(self.order_event_row(&order, "order.placed"));
        Order::from_rows(order, lines)
    }
}

/// A placed order's audit row, naming the order.
pub(crate) fn audited(row: &Option<AuditRow>, order: &Order) -> Option<AuditRow> {
    row.clone().map(|mut r| {
        r.subject_id = Some(order.order.id.clone());
        r
    })
}
