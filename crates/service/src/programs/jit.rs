//! A fully-managed store's fulfilment (seed 002's 备仓 or JIT): each product's mode, the
//! JIT order's 48 hours to reach the platform warehouse, and the store's standing in
//! the program (its cap, its overdue JIT orders).

use marketdesk_core::Invalid;
use marketdesk_core::deadline::DeadlineKind;
use marketdesk_core::programs::fully_managed::{
    self as rules, Fulfilment, PRODUCT_CAP, ProgramState,
};
use marketdesk_core::team::Area;
use marketdesk_store::fully_managed as fm;
use marketdesk_store::{orders, products};
use serde_json::json;

use super::deposit::StoreRowExt;
use crate::change::Change;
use crate::listing::Why;
use crate::orders::Order;
use crate::{Actor, Service, ServiceError, ServiceResult};

/// A fully-managed store as the program sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramStanding {
    pub store_id: String,
    pub program_state: ProgramState,
    pub parent_store_id: Option<String>,
    /// Products on sale, under review or in draft: what the cap counts.
    pub products_counted: i64,
    pub product_cap: i64,
    pub jit_overdue_orders: i64,
}

impl Service {
    /// The platform warehouse received a JIT order's goods.
    pub async fn record_inbound(&self, actor: &Actor, order_id: &str) -> ServiceResult<Order> {
        if !actor.role.places_orders() {
            return Err(ServiceError::Forbidden(
                "the platform's warehouse records inbound goods (an admin token)".into(),
            ));
        }
        let mut tx = self.db.begin().await?;
        let order = self.visible_order(&mut tx, actor, order_id).await?;
        if order.jit_due_at.is_none() {
            return Err(ServiceError::conflict(
                "the order has no JIT lines: its goods ship from the warehouse stock",
            ));
        }
        if order.state == marketdesk_core::OrderState::Cancelled {
            return Err(ServiceError::conflict(
                "the order is cancelled: nothing is coming to the warehouse",
            ));
        }
        if order.inbound_at.is_some() {
            return Err(ServiceError::conflict(
                "the order's goods were already received",
            ));
        }
        if !fm::record_inbound(&mut tx, &order.id, self.now_us()).await? {
            return Err(ServiceError::conflict("the order changed meanwhile"));
        }
        let change = Change::in_store(&order.store_id)
            .event(
                "fully_managed.jit_received",
                &order.id,
                json!({"order_id": order.id, "late": order.jit_overdue_at.is_some()}),
            )
            .end_deadline(DeadlineKind::JitInbound, &order.id);
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        self.order(actor, &order.id).await
    }

    /// 48 hours passed without the goods: the order is flagged overdue, with an event and
    /// a line on each JIT product's timeline, and it counts against the store.
    pub(crate) async fn jit_inbound_missed(
        &self,
        tx: &mut sqlx::AnyConnection,
        order_id: &str,
    ) -> ServiceResult<()> {
        let Some(order) = orders::get(tx, order_id).await? else {
            return Ok(());
        };
        if order.state == marketdesk_core::OrderState::Cancelled {
            return Ok(());
        }
        let due = order.jit_due_at.unwrap_or(i64::MAX);
        if !rules::jit_overdue(due, order.inbound_at, self.now_us())
            || !fm::flag_jit_overdue(tx, &order.id, self.now_us()).await?
        {
            return Ok(());
        }
        let lines = orders::lines(tx, &order.id).await?;
        let ids: Vec<String> = lines.iter().map(|l| l.product_id.clone()).collect();
        let why = Why {
            reason_code: None,
            reason_text: Some(format!(
                "JIT order {} not at the warehouse within 48 hours",
                order.id
            )),
            evidence_ids: Vec::new(),
        };
        for p in products::products_by_ids(tx, &ids).await? {
            if p.fulfilment == Some(Fulfilment::Jit) {
                let payload = json!({"order_id": order.id, "product_id": p.id});
                self.note_step(
                    tx,
                    &Actor::system(),
                    &p,
                    "jit_overdue",
                    &why,
                    ("fully_managed.jit_line_overdue", payload),
                )
                .await?;
            }
        }
        let change = Change::in_store(&order.store_id).event(
            "fully_managed.jit_overdue",
            &order.id,
            json!({"order_id": order.id, "due_at": crate::instant(due)}),
        );
        self.record(tx, &Actor::system(), change).await
    }

    /// Sets a fully-managed store's product to warehouse stock or JIT; orders placed
    /// from then on follow it.
    pub async fn set_fulfilment(
        &self,
        actor: &Actor,
        product_id: &str,
        fulfilment: &str,
    ) -> ServiceResult<Fulfilment> {
        actor.require_area(Area::Products)?;
        let f = fulfilment
            .parse::<Fulfilment>()
            .map_err(|m| Invalid::one("fulfilment", m))?;
        let mut tx = self.db.begin().await?;
        let product = self.visible_product(&mut tx, actor, product_id).await?;
        let store = self
            .visible_store(&mut tx, actor, &product.store_id)
            .await?;
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller or an admin sets fulfilment".into(),
            ));
        }
        if !store.fully_managed() {
            return Err(ServiceError::conflict(
                "only a fully-managed store's products choose warehouse stock or JIT",
            ));
        }
        products::set_fulfilment(&mut tx, &product.id, f, self.now_us()).await?;
        crate::audit::note(
            &product.id,
            "product.fulfilment",
            json!({"fulfilment": product.fulfilment.map(|x| x.as_str())}),
            json!({"fulfilment": f.as_str()}),
        );
        self.commit(tx).await?;
        Ok(f)
    }

    /// "速卖通则负责前台销售、物流、营销、售后": a fully-managed store's after-sales are the
    /// platform's to settle, not its seller's. True when the platform settles them.
    pub(crate) async fn require_aftersales_party(
        &self,
        c: &mut sqlx::AnyConnection,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<bool> {
        let store = self.visible_store(c, actor, store_id).await?;
        if store.fully_managed() && actor.role.bound_to_store() {
            return Err(ServiceError::Forbidden(
                "the platform settles the after-sales of fully-managed stores".into(),
            ));
        }
        Ok(store.fully_managed())
    }

    /// "在下架商品前,请提前通知客户": before a fully-managed store's products are delisted,
    /// each buyer with an open order of them gets one `product.buyer_notice`, in the
    /// delisting's transaction and ahead of its events.
    pub(crate) async fn tell_buyers_before_delist(
        &self,
        tx: &mut sqlx::AnyConnection,
        actor: &Actor,
        store_id: &str,
        product_ids: &[String],
    ) -> ServiceResult<usize> {
        // Placed "after the end of time": only the orders still open.
        let lines =
            marketdesk_store::affiliate::lines_of(tx, store_id, product_ids, i64::MAX).await?;
        let mut by_buyer: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
            Default::default();
        for l in lines {
            if let Some(b) = l.buyer_id {
                by_buyer.entry(b).or_default().insert(l.order_id);
            }
        }
        let told = by_buyer.len();
        let mut change = Change::in_store(store_id);
        for (buyer, orders) in by_buyer {
            change = change.event(
                "product.buyer_notice",
                &buyer,
                json!({"buyer_id": buyer, "order_ids": orders, "product_ids": product_ids}),
            );
        }
        self.record(tx, actor, change).await?;
        Ok(told)
    }

    /// A store's place in the fully-managed program.
    pub async fn program_standing(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<ProgramStanding> {
        // The products' team reads the cap, the finance team the program state: either may.
        actor
            .require_area(Area::Products)
            .or_else(|_| actor.require_area(Area::Deposit))?;
        let mut c = self.db.reader().await?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        if !store.fully_managed() {
            return Err(ServiceError::NotFound(format!(
                "store {store_id} is not a fully-managed store"
            )));
        }
        let counted = super::fully_managed_listing::counted_products(&mut c, &store.id).await?;
        Ok(ProgramStanding {
            program_state: ProgramState::of(store.program_state),
            parent_store_id: store.parent_store_id.clone(),
            products_counted: counted,
            product_cap: PRODUCT_CAP,
            jit_overdue_orders: fm::jit_overdue_count(&mut c, &store.id).await?,
            store_id: store.id,
        })
    }
}
