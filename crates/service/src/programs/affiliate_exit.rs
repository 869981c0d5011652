//! Leaving the affiliate program (seed 001's 下架精选联盟): a preview that changes nothing
//! ("确认之前核对商品信息和联盟设置"), a time outside every campaign of those products
//! ("合理选择下架时间"), every affected buyer told at once ("提前通知买家") by the
//! platform's buyer-notice event, a compensation recorded per affected order
//! ("制定补偿政策"), and at the exit's time the products leave the program and are
//! delisted ("对应的商品也需要进行下架处理") by the durable deadline worker.

use std::collections::{BTreeMap, BTreeSet};

use marketdesk_core::deadline::DeadlineKind;
use marketdesk_core::programs::affiliate::{
    self as rules, CompensationKind, ExitState, MAX_NOTICE, MAX_PRODUCTS,
};
use marketdesk_core::team::Area;
use marketdesk_core::{
    Action, FieldError, Invalid, Money, OrderState, Role, State, id, validation,
};
use marketdesk_store::affiliate::{self, CompensationRow, ExitRow, NoticeRow};
use marketdesk_store::catalog;
use rust_decimal::Decimal;
use serde_json::json;

use super::Campaign;
use super::{parse_product_ids, required_instant, store_products};
use crate::change::Change;
use crate::listing::Why;
use crate::{Actor, Service, ServiceError, ServiceResult};

#[derive(Debug, Clone, Default)]
pub struct NewExit {
    pub product_ids: Vec<String>,
    pub exit_at: String,
    pub buyer_notice: String,
    pub compensation_kind: String,
    pub compensation_amount: Option<String>,
    pub confirm: bool,
}

/// A product of an exit, with its sales over the last 30 days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitProduct {
    pub product_id: String,
    pub title: String,
    pub state: State,
    pub orders_30d: i64,
    pub units_30d: i64,
    pub sales_30d: Money,
}

/// What leaving would touch, shown before anything changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExitPreview {
    pub exit_at: i64,
    pub products: Vec<ExitProduct>,
    /// Campaigns of these products running or still to come.
    pub campaigns: Vec<Campaign>,
    pub open_orders: Vec<String>,
    /// Orders whose buyers are told: open, or attributed in the last 30 days.
    pub affected_orders: Vec<String>,
    pub buyers: Vec<String>,
    /// Affected orders that came without a buyer reference: nobody can be told.
    pub orders_without_buyer: i64,
    pub compensation_kind: CompensationKind,
    pub compensation_amount: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub buyer_id: String,
    pub order_ids: Vec<String>,
    pub sent_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compensation {
    pub order_id: String,
    pub buyer_id: Option<String>,
    pub kind: CompensationKind,
    pub amount: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    pub id: String,
    pub store_id: String,
    pub state: ExitState,
    pub exit_at: i64,
    pub product_ids: Vec<String>,
    pub buyer_notice: String,
    pub compensation_kind: CompensationKind,
    pub compensation_amount: Option<Money>,
    pub created_at: i64,
    pub created_by: String,
    pub cancelled_at: Option<i64>,
    pub ran_at: Option<i64>,
    pub notices: Vec<Notice>,
    pub compensations: Vec<Compensation>,
}

fn money(amount: Option<&str>, currency: &str) -> Option<Money> {
    let c = marketdesk_core::money::parse_currency(currency)?;
    Some(Money::new(amount?.parse().ok()?, c))
}

impl From<ExitRow> for Exit {
    fn from(r: ExitRow) -> Self {
        Exit {
            compensation_amount: money(r.compensation_amount.as_deref(), &r.currency),
            id: r.id,
            store_id: r.store_id,
            state: r.state,
            exit_at: r.exit_at,
            product_ids: r.product_ids,
            buyer_notice: r.buyer_notice,
            compensation_kind: r.compensation_kind,
            created_at: r.created_at,
            created_by: r.created_by,
            cancelled_at: r.cancelled_at,
            ran_at: r.ran_at,
            notices: Vec::new(),
            compensations: Vec::new(),
        }
    }
}

/// The answer to an exit request: a preview, or the scheduled exit with what it touched.
#[derive(Debug, Clone)]
pub enum ExitAnswer {
    Preview(ExitPreview),
    Scheduled(Box<Exit>, ExitPreview),
}

const DAY_US: i64 = 86_400_000_000;

impl Service {
    /// Previews (without `confirm`) or schedules leaving the program.
    pub async fn affiliate_exit(
        &self,
        actor: &Actor,
        store_id: &str,
        new: NewExit,
    ) -> ServiceResult<ExitAnswer> {
        actor.require_area(Area::Products)?;
        let now = self.now_us();
        let mut errors = Invalid::default();
        let ids = parse_product_ids(&mut errors, &new.product_ids, MAX_PRODUCTS);
        let exit_at = required_instant(&mut errors, "exit_at", &new.exit_at);
        if let Some(Err(m)) = exit_at.map(|at| rules::check_exit_at(at, now)) {
            errors.push("exit_at", m);
        }
        let notice =
            validation::required_text(&mut errors, "buyer_notice", &new.buyer_notice, MAX_NOTICE);
        let kind = new
            .compensation_kind
            .parse::<CompensationKind>()
            .map_err(|m| errors.push("compensation.kind", m))
            .ok();
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller or an admin takes products out of the program".into(),
            ));
        }
        let currency = self.store_currency(&mut tx, &store).await?;
        let mut errors = Invalid::default();
        let amount = match new.compensation_amount.as_deref() {
            Some(a) => Money::parse_price(a, currency)
                .map_err(|m| errors.push("compensation.amount", m))
                .ok(),
            None => None,
        };
        let kind = kind.expect("validated");
        if errors.0.is_empty()
            && let Err(m) = rules::check_compensation(kind, amount.map(|m| m.amount))
        {
            errors.push("compensation.amount", m);
        }
        errors.into_result()?;
        let exit_at = exit_at.expect("validated");
        let products = store_products(&mut tx, &store.id, &ids).await?;
        let enrolled: BTreeSet<String> = affiliate::enrolments(&mut tx, &store.id)
            .await?
            .into_iter()
            .map(|e| e.product_id)
            .collect();
        if new.confirm {
            // Two confirmations at once must not both schedule the same products.
            catalog::lock_store(&mut tx, self.db.backend(), &store.id).await?;
        }
        let pending = affiliate::scheduled_products(&mut tx, &store.id).await?;
        let mut errors = Invalid::default();
        for (i, p) in ids.iter().enumerate() {
            if !enrolled.contains(p) {
                errors.push(
                    format!("product_ids[{i}]"),
                    "is not in the affiliate program",
                );
            } else if let Some((exit, _)) = pending.iter().find(|(_, ps)| ps.contains(p)) {
                errors.push(
                    format!("product_ids[{i}]"),
                    format!("already leaves with exit {exit}"),
                );
            }
        }
        errors.into_result()?;
        let windows = self.campaign_windows(&mut tx, &store.id, &ids, now).await?;
        let all: Vec<rules::Window> = windows.iter().map(|(w, _)| w.clone()).collect();
        let cut = rules::cut_short(&all, exit_at);
        if !cut.is_empty() {
            return Err(ServiceError::Conflict {
                detail: format!(
                    "the exit time falls inside {} campaign(s) of these products; choose a time outside them",
                    cut.len()
                ),
                errors: cut
                    .iter()
                    .map(|w| FieldError {
                        field: "exit_at".into(),
                        message: format!(
                            "inside campaign \"{}\" ({}) running {} – {}",
                            w.name,
                            w.id,
                            crate::instant(w.starts_at),
                            crate::instant(w.ends_at)
                        ),
                    })
                    .collect(),
            });
        }
        let lines = affiliate::lines_of(
            &mut tx,
            &store.id,
            &ids,
            now - rules::AFFECTED_DAYS * DAY_US,
        )
        .await?;
        let mut preview = ExitPreview {
            exit_at,
            products: Vec::new(),
            campaigns: windows
                .into_iter()
                .map(|(w, product_ids)| Campaign {
                    active: w.starts_at <= now,
                    id: w.id,
                    name: w.name,
                    starts_at: w.starts_at,
                    ends_at: w.ends_at,
                    product_ids,
                })
                .collect(),
            open_orders: Vec::new(),
            affected_orders: Vec::new(),
            buyers: Vec::new(),
            orders_without_buyer: 0,
            compensation_kind: kind,
            compensation_amount: amount,
        };
        let mut by_buyer: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut affected: BTreeMap<String, Option<String>> = BTreeMap::new();
        let mut open = BTreeSet::new();
        for l in &lines {
            let is_open = matches!(l.state, OrderState::Placed | OrderState::Shipped);
            if is_open {
                open.insert(l.order_id.clone());
            }
            // A cancelled order lost nothing by the exit: no notice, no compensation.
            let attributed = l.affiliate_id.is_some() && l.state != OrderState::Cancelled;
            if rules::affects(is_open, attributed, l.placed_at, now) {
                affected.insert(l.order_id.clone(), l.buyer_id.clone());
                if let Some(b) = &l.buyer_id {
                    by_buyer
                        .entry(b.clone())
                        .or_default()
                        .insert(l.order_id.clone());
                }
            }
        }
        for p in &products {
            let recent: Vec<_> = lines
                .iter()
                .filter(|l| {
                    l.product_id == p.id
                        && l.placed_at >= now - rules::AFFECTED_DAYS * DAY_US
                        && l.state != OrderState::Cancelled
                })
                .collect();
            let orders: BTreeSet<&str> = recent.iter().map(|l| l.order_id.as_str()).collect();
            preview.products.push(ExitProduct {
                product_id: p.id.clone(),
                title: p.title.clone(),
                state: p.status.state,
                orders_30d: orders.len() as i64,
                units_30d: recent.iter().map(|l| l.quantity).sum(),
                sales_30d: Money::new(
                    recent
                        .iter()
                        .map(|l| l.amount.parse::<Decimal>().unwrap_or_default())
                        .sum(),
                    currency,
                )
                .round_for_payout(),
            });
        }
        preview.open_orders = open.into_iter().collect();
        preview.orders_without_buyer = affected.values().filter(|b| b.is_none()).count() as i64;
        preview.affected_orders = affected.keys().cloned().collect();
        preview.buyers = by_buyer.keys().cloned().collect();
        if !new.confirm {
            // Nothing was written: the transaction ends with the preview.
            return Ok(ExitAnswer::Preview(preview));
        }
        let row = ExitRow {
            id: id::new_id(),
            store_id: store.id.clone(),
            state: ExitState::Scheduled,
            exit_at,
            product_ids: ids.clone(),
            buyer_notice: notice.clone(),
            compensation_kind: kind,
            compensation_amount: amount.map(|m| m.amount.to_string()),
            currency: currency.code().into(),
            created_at: now,
            created_by: actor.user_id.clone(),
            cancelled_at: None,
            ran_at: None,
        };
        affiliate::insert_exit(&mut tx, &row).await?;
        let compensation = json!({"kind": kind.as_str(), "amount": amount});
        let mut change = Change::in_store(&store.id)
            .event("affiliate.exit_scheduled", &row.id, json!({"exit_id": row.id, "exit_at": crate::instant(exit_at),
                "product_ids": ids, "buyers": preview.buyers.len(), "orders": preview.affected_orders.len()}))
            .deadline(DeadlineKind::AffiliateExit, &row.id, exit_at);
        for (buyer, orders) in &by_buyer {
            let order_ids: Vec<String> = orders.iter().cloned().collect();
            affiliate::insert_notice(
                &mut tx,
                &NoticeRow {
                    id: id::new_id(),
                    exit_id: row.id.clone(),
                    buyer_id: buyer.clone(),
                    order_ids: order_ids.clone(),
                    sent_at: now,
                },
            )
            .await?;
            change = change.event("affiliate.buyer_notice", buyer, json!({"exit_id": row.id, "buyer_id": buyer,
                "order_ids": order_ids, "notice": notice, "exit_at": crate::instant(exit_at), "compensation": compensation}));
        }
        for (order_id, buyer) in &affected {
            affiliate::insert_compensation(
                &mut tx,
                &CompensationRow {
                    id: id::new_id(),
                    exit_id: row.id.clone(),
                    order_id: order_id.clone(),
                    buyer_id: buyer.clone(),
                    kind,
                    amount: row.compensation_amount.clone(),
                    currency: row.currency.clone(),
                },
            )
            .await?;
        }
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        let exit = self.affiliate_exit_by_id(actor, &row.id).await?;
        Ok(ExitAnswer::Scheduled(Box::new(exit), preview))
    }

    /// An exit with its notices and compensations.
    pub async fn affiliate_exit_by_id(&self, actor: &Actor, exit_id: &str) -> ServiceResult<Exit> {
        actor.require_area(Area::Products)?;
        let mut c = self.db.reader().await?;
        let row = self.visible_exit(&mut c, actor, exit_id).await?;
        let notices = affiliate::notices(&mut c, &row.id).await?;
        let compensations = affiliate::compensations(&mut c, &row.id).await?;
        let mut exit: Exit = row.into();
        exit.notices = notices
            .into_iter()
            .map(|n| Notice {
                buyer_id: n.buyer_id,
                order_ids: n.order_ids,
                sent_at: n.sent_at,
            })
            .collect();
        exit.compensations = compensations
            .into_iter()
            .map(|c| Compensation {
                amount: money(c.amount.as_deref(), &c.currency),
                order_id: c.order_id,
                buyer_id: c.buyer_id,
                kind: c.kind,
            })
            .collect();
        Ok(exit)
    }

    async fn visible_exit(
        &self,
        c: &mut sqlx::AnyConnection,
        actor: &Actor,
        exit_id: &str,
    ) -> ServiceResult<ExitRow> {
        let not_found = || ServiceError::NotFound(format!("no affiliate exit with id {exit_id}"));
        let Some(eid) = id::parse_id(exit_id) else {
            return Err(not_found());
        };
        match affiliate::exit(c, &eid).await? {
            Some(e) if actor.can_see_store(&e.store_id) => Ok(e),
            _ => Err(not_found()),
        }
    }

    /// Cancels an exit that has not run: its products stay in the program.
    pub async fn cancel_affiliate_exit(&self, actor: &Actor, exit_id: &str) -> ServiceResult<Exit> {
        actor.require_area(Area::Products)?;
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller or an admin cancels an exit".into(),
            ));
        }
        let mut tx = self.db.begin().await?;
        let row = self.visible_exit(&mut tx, actor, exit_id).await?;
        row.state.cancel().map_err(ServiceError::conflict)?;
        if !affiliate::set_exit_state(
            &mut tx,
            &row.id,
            ExitState::Scheduled,
            ExitState::Cancelled,
            self.now_us(),
        )
        .await?
        {
            return Err(ServiceError::conflict("the exit changed meanwhile"));
        }
        let change = Change::in_store(&row.store_id)
            .event("affiliate.exit_cancelled", &row.id, exit_payload(&row))
            .end_deadline(DeadlineKind::AffiliateExit, &row.id);
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        self.affiliate_exit_by_id(actor, &row.id).await
    }

    /// The deadline worker runs an exit at its time: the products leave the program and
    /// those on sale are delisted, each with a timeline row citing the exit.
    pub(crate) async fn run_affiliate_exit(
        &self,
        tx: &mut sqlx::AnyConnection,
        exit_id: &str,
    ) -> ServiceResult<()> {
        let Some(row) = affiliate::exit(tx, exit_id).await? else {
            return Ok(());
        };
        if !row.state.runs() {
            return Ok(());
        }
        let now = self.now_us();
        if !affiliate::set_exit_state(tx, &row.id, ExitState::Scheduled, ExitState::Done, now)
            .await?
        {
            return Ok(());
        }
        affiliate::leave(tx, &row.id, &row.product_ids, now).await?;
        // The seller who scheduled it delists: the delisting is theirs (主动下架), carried
        // out by the platform at the time they chose.
        let seller = Actor {
            user_id: row.created_by.clone(),
            role: Role::Seller,
            store_id: Some(row.store_id.clone()),
            team: None,
            standing: marketdesk_core::store_standing::Standing::Active,
        };
        let text = format!("Left the affiliate program (exit {})", row.id);
        for p in marketdesk_store::products::products_by_ids(tx, &row.product_ids).await? {
            let why = Why {
                reason_code: Some("other".into()),
                reason_text: Some(text.clone()),
                evidence_ids: Vec::new(),
            };
            if p.status.state == State::OnSale {
                self.move_product(tx, &seller, p, Action::Delist, why)
                    .await?;
            } else {
                let payload = json!({"product_id": p.id, "exit_id": row.id});
                self.note_step(
                    tx,
                    &Actor::system(),
                    &p,
                    "affiliate_exit",
                    &why,
                    ("affiliate.product_left", payload),
                )
                .await?;
            }
        }
        let change = Change::in_store(&row.store_id).event(
            "affiliate.exit_done",
            &row.id,
            exit_payload(&row),
        );
        self.record(tx, &Actor::system(), change).await
    }
}

/// An exit event's summary for people and subscribers.
fn exit_payload(e: &marketdesk_store::affiliate::ExitRow) -> serde_json::Value {
    json!({"exit_id": e.id, "exit_at": crate::instant(e.exit_at), "product_ids": e.product_ids,
        "state": e.state.as_str()})
}
