//! Stock use cases: receipts, adjustments, thresholds and pre-sale, and the effects every
//! stock change has in its own transaction (low-stock alerts, protective delist and the
//! automatic relist when stock comes back).

use marketdesk_core::stock::{FollowUp, follow_up};
use marketdesk_core::stock::{
    Movement, Offer, PRESALE_MAX_CAP, Stock, check_presale_ship_by, check_presale_start,
    low_stock_signal, rank_offers, restock_quantity,
};
use marketdesk_core::{Action, Invalid, ListingStatus, ReasonCode, id, validation};
use marketdesk_store::products;
use marketdesk_store::stock::{self, MovementRow, StockRow};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::AnyConnection;

use crate::listing::Why;
use crate::records::{StockFigures, StockMovement, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

pub use marketdesk_core::stock::{COVER_DAYS, LEAD_DAYS, VELOCITY_DAYS};

#[derive(Debug, Clone)]
pub struct Suggestion {
    pub quantity: i64,
    pub units_per_day: Decimal,
    /// The best supplier's lead time, or [`LEAD_DAYS`] when the SKU has none.
    pub lead_days: i64,
    pub cover_days: i64,
    /// The SKU's suppliers, best first.
    pub suppliers: Vec<RankedSupplier>,
}

#[derive(Debug, Clone)]
pub struct RankedSupplier {
    pub supplier_id: String,
    pub name: String,
    pub lead_time_days: i64,
    pub unit_cost: Decimal,
    pub on_time_rate: Decimal,
}

#[derive(Debug, Clone)]
pub struct StockView {
    pub sku: StockFigures,
    pub available: i64,
    pub threshold: i64,
    pub low: bool,
    pub presale_active: bool,
    pub suggestion: Option<Suggestion>,
}

fn presale_active(s: &StockRow, now: i64) -> bool {
    marketdesk_core::stock::presale_active(s.presale_cap, s.presale_ship_by, s.presale_sold, now)
}

impl Service {
    pub(crate) async fn visible_sku(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        sku_id: &str,
    ) -> ServiceResult<StockRow> {
        actor.require_area(marketdesk_core::team::Area::Stock)?;
        let not_found = || ServiceError::NotFound(format!("no SKU with id {sku_id}"));
        let Some(sid) = id::parse_id(sku_id) else {
            return Err(not_found());
        };
        match stock::sku(c, &sid).await? {
            Some(s) if actor.can_see_store(&s.store_id) => Ok(s),
            _ => Err(not_found()),
        }
    }

    pub(crate) async fn stock_view(
        &self,
        c: &mut AnyConnection,
        s: StockRow,
    ) -> ServiceResult<StockView> {
        let threshold = match s.safety_threshold {
            Some(t) => t,
            None => stock::store_threshold(c, &s.store_id).await?,
        };
        let available = s.stock - s.reserved;
        let now = self.now_us();
        let suggestion = if available < threshold {
            let since = now - VELOCITY_DAYS * 24 * 3_600_000_000;
            let sold = stock::units_sold_since(c, &s.id, since).await?;
            let units_per_day = (Decimal::from(sold) / Decimal::from(VELOCITY_DAYS)).round_dp(2);
            let found = marketdesk_store::suppliers::offers_for_sku(c, &s.id).await?;
            let mut offers: Vec<Offer> = found
                .iter()
                .map(|(sup, cost)| Offer {
                    supplier_id: sup.id.clone(),
                    lead_time_days: sup.lead_time_days,
                    unit_cost: cost.parse().unwrap_or_default(),
                    on_time_rate: sup.on_time_rate.parse().unwrap_or_default(),
                })
                .collect();
            rank_offers(&mut offers);
            let lead_days = offers
                .first()
                .map(|o| o.lead_time_days)
                .unwrap_or(LEAD_DAYS);
            let suppliers = offers
                .into_iter()
                .map(|o| RankedSupplier {
                    name: found
                        .iter()
                        .find(|(sup, _)| sup.id == o.supplier_id)
                        .map(|(sup, _)| sup.name.clone())
                        .unwrap_or_default(),
                    supplier_id: o.supplier_id,
                    lead_time_days: o.lead_time_days,
                    unit_cost: o.unit_cost,
                    on_time_rate: o.on_time_rate,
                })
                .collect();
            Some(Suggestion {
                quantity: restock_quantity(
                    units_per_day,
                    lead_days,
                    COVER_DAYS,
                    available,
                    threshold,
                ),
                units_per_day,
                lead_days,
                cover_days: COVER_DAYS,
                suppliers,
            })
        } else {
            None
        };
        Ok(StockView {
            presale_active: presale_active(&s, now),
            available,
            threshold,
            low: available < threshold,
            suggestion,
            sku: s.into(),
        })
    }

    pub async fn stock(&self, actor: &Actor, sku_id: &str) -> ServiceResult<StockView> {
        let mut c = self.db.reader().await?;
        let s = self.visible_sku(&mut c, actor, sku_id).await?;
        self.stock_view(&mut c, s).await
    }

    pub async fn ledger(&self, actor: &Actor, sku_id: &str) -> ServiceResult<Vec<StockMovement>> {
        let mut c = self.db.reader().await?;
        let s = self.visible_sku(&mut c, actor, sku_id).await?;
        Ok(records(stock::movements(&mut c, &s.id).await?))
    }

    /// Records one movement, refused (409, in the domain's words) if it would oversell or
    /// release more than is reserved.
    pub(crate) async fn move_stock(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        sku: &StockRow,
        m: Movement,
        reason: Option<String>,
        order_id: Option<&str>,
    ) -> ServiceResult<(i64, i64)> {
        self.move_stock_into(tx, actor, sku, m, reason, order_id, None)
            .await
    }

    /// [`Service::move_stock`], with the ledger row handed to `sink` to be written later
    /// in the same transaction (group commit writes a batch's rows in one statement).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn move_stock_into(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        sku: &StockRow,
        m: Movement,
        reason: Option<String>,
        order_id: Option<&str>,
        sink: Option<&mut Vec<MovementRow>>,
    ) -> ServiceResult<(i64, i64)> {
        let (dh, dr) = m.deltas();
        let Some((on_hand, reserved)) = stock::apply_movement(tx, &sku.id, dh, dr).await? else {
            let now = stock::sku(tx, &sku.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("SKU vanished"))?;
            let current = Stock {
                on_hand: now.stock,
                reserved: now.reserved,
            };
            let why = current
                .apply(m)
                .err()
                .unwrap_or_else(|| "stock changed meanwhile; retry".into());
            return Err(ServiceError::conflict(format!("SKU {}: {why}", sku.code)));
        };
        let row = MovementRow {
            id: id::new_id(),
            store_id: sku.store_id.clone(),
            sku_id: sku.id.clone(),
            kind: m.kind().into(),
            on_hand_delta: dh,
            reserved_delta: dr,
            on_hand_after: on_hand,
            reserved_after: reserved,
            reason,
            order_id: order_id.map(str::to_string),
            actor_id: actor.user_id.clone(),
            at: self.now_us(),
        };
        match sink {
            Some(rows) => rows.push(row),
            None => stock::insert_movement(tx, &row).await?,
        }
        Ok((on_hand, reserved))
    }

    /// What a stock change sets off, in the same transaction: a low-stock alert (once,
    /// until recovered), a protective delist when the product's available stock reaches
    /// zero with no pre-sale running, an automatic relist when stock comes back.
    pub(crate) async fn after_stock_change(
        &self,
        tx: &mut AnyConnection,
        product_id: &str,
    ) -> ServiceResult<()> {
        let now = self.now_us();
        let skus = stock::skus_of_product(tx, product_id).await?;
        for s in &skus {
            let view = self.stock_view(tx, s.clone()).await?;
            if let Some(raised) =
                low_stock_signal(view.available, view.threshold, s.low_alerted != 0)
            {
                stock::set_low_alerted(tx, &s.id, raised).await?;
                let suggestion = view.suggestion.as_ref().map(|g| {
                        json!({"quantity": g.quantity, "units_per_day": g.units_per_day.to_string(), "lead_days": g.lead_days, "cover_days": g.cover_days,
                            "suppliers": g.suppliers.iter().map(|x| json!({"supplier_id": x.supplier_id, "name": x.name, "lead_time_days": x.lead_time_days, "unit_cost": x.unit_cost.to_string()})).collect::<Vec<_>>()})
                    });
                let (event_type, payload) = if raised {
                    (
                        "stock.low",
                        json!({"sku_id": s.id, "code": s.code, "available": view.available, "threshold": view.threshold, "restock_suggestion": suggestion}),
                    )
                } else {
                    (
                        "stock.recovered",
                        json!({"sku_id": s.id, "code": s.code, "available": view.available, "threshold": view.threshold}),
                    )
                };
                let change = crate::change::Change::in_store(&s.store_id)
                    .event(event_type, product_id, payload);
                self.record(tx, &Actor::system(), change).await?;
            }
        }
        let available: i64 = skus.iter().map(|s| s.stock - s.reserved).sum();
        let any_presale = skus.iter().any(|s| presale_active(s, now));
        let product = products::product(tx, product_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("missing product"))?;
        let status: ListingStatus = product.status;
        let system = Actor::system();
        match follow_up(status, available, any_presale) {
            FollowUp::ProtectiveDelist => {
                let why = Why {
                    reason_code: Some(ReasonCode::OutOfStock.as_str().into()),
                    reason_text: Some("Available stock reached zero".into()),
                    evidence_ids: vec![],
                };
                self.move_product(tx, &system, product, Action::ProtectiveDelist, why)
                    .await?;
            }
            FollowUp::Relist => {
                let why = Why {
                    reason_code: None,
                    reason_text: Some("Stock came back".into()),
                    evidence_ids: vec![],
                };
                self.move_product(tx, &system, product, Action::Restock, why)
                    .await?;
            }
            FollowUp::Nothing => {}
        }
        Ok(())
    }

    /// Ends a stock use case: its effects, the SKU's new figures, the commit.
    async fn settle(
        &self,
        mut tx: marketdesk_store::Tx,
        sku: &StockRow,
    ) -> ServiceResult<StockView> {
        self.after_stock_change(&mut tx, &sku.product_id).await?;
        let fresh = stock::sku(&mut tx, &sku.id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("SKU vanished"))?;
        let view = self.stock_view(&mut tx, fresh).await?;
        self.commit(tx).await?;
        Ok(view)
    }

    fn require_store_side(actor: &Actor) -> ServiceResult<()> {
        if actor.role.acts_for_store() {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(format!(
                "a {} does not manage stock",
                actor.role.as_str()
            )))
        }
    }

    /// Goods received (quantity > 0) or a counted correction (any sign, reason required).
    pub async fn change_stock(
        &self,
        actor: &Actor,
        sku_id: &str,
        movement: Movement,
        reason: Option<String>,
    ) -> ServiceResult<StockView> {
        Self::require_store_side(actor)?;
        let mut errors = Invalid::default();
        let reason = match (&movement, reason) {
            // Goods received need no reason: an empty one is none.
            (Movement::Receipt(_), Some(r)) if r.trim().is_empty() => None,
            (_, Some(r)) => Some(validation::required_text(
                &mut errors,
                "reason",
                &r,
                validation::MAX_REASON_TEXT,
            )),
            (Movement::Adjustment(_), None) => {
                errors.push("reason", "an adjustment needs a reason");
                None
            }
            (_, None) => None,
        };
        match movement {
            Movement::Receipt(q) if !(1..=validation::MAX_STOCK).contains(&q) => errors.push(
                "quantity",
                format!("must be between 1 and {}", validation::MAX_STOCK),
            ),
            // `unsigned_abs`: the most negative i64 has no positive twin (`abs` overflows).
            Movement::Adjustment(d)
                if d == 0 || d.unsigned_abs() > validation::MAX_STOCK.unsigned_abs() =>
            {
                errors.push(
                    "delta",
                    format!(
                        "must be a non-zero whole number between -{0} and {0}",
                        validation::MAX_STOCK
                    ),
                )
            }
            Movement::Receipt(_) | Movement::Adjustment(_) => {}
            _ => {
                return Err(ServiceError::Forbidden(
                    "reservations come from orders".into(),
                ));
            }
        }
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let sku = self.visible_sku(&mut tx, actor, sku_id).await?;
        self.move_stock(&mut tx, actor, &sku, movement, reason, None)
            .await?;
        self.settle(tx, &sku).await
    }

    pub async fn set_sku_threshold(
        &self,
        actor: &Actor,
        sku_id: &str,
        threshold: Option<i64>,
    ) -> ServiceResult<StockView> {
        Self::require_store_side(actor)?;
        if threshold.is_some_and(|t| !(0..=validation::MAX_STOCK).contains(&t)) {
            return Err(Invalid::one(
                "threshold",
                "must be zero or more (null: the store's default)",
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let sku = self.visible_sku(&mut tx, actor, sku_id).await?;
        stock::set_threshold(&mut tx, &sku.id, threshold).await?;
        self.settle(tx, &sku).await
    }

    pub async fn set_store_threshold(
        &self,
        actor: &Actor,
        store_id: &str,
        threshold: i64,
    ) -> ServiceResult<()> {
        Self::require_store_side(actor)?;
        if !(0..=validation::MAX_STOCK).contains(&threshold) {
            return Err(Invalid::one("threshold", "must be zero or more").into());
        }
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Stock)?;
        self.visible_store(&mut tx, actor, store_id).await?;
        stock::set_store_threshold(&mut tx, store_id, threshold).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Puts an out-of-stock SKU on pre-sale until `ship_by` (at most 15 days ahead), for
    /// at most `cap` units.
    pub async fn start_presale(
        &self,
        actor: &Actor,
        sku_id: &str,
        ship_by: &str,
        cap: i64,
    ) -> ServiceResult<StockView> {
        Self::require_store_side(actor)?;
        let now = self.clock.now();
        let mut errors = Invalid::default();
        let ship_by = match ship_by.parse::<jiff::Timestamp>() {
            Ok(t) => match check_presale_ship_by(now, t) {
                Ok(()) => Some(t),
                Err(m) => {
                    errors.push("ship_by", m);
                    None
                }
            },
            Err(_) => {
                errors.push("ship_by", "must be an RFC 3339 instant");
                None
            }
        };
        if !(1..=PRESALE_MAX_CAP).contains(&cap) {
            errors.push("cap", format!("must be between 1 and {PRESALE_MAX_CAP}"));
        }
        errors.into_result()?;
        let ship_by = ship_by.ok_or_else(|| anyhow::anyhow!("ship_by validated above"))?;
        let mut tx = self.db.begin().await?;
        let sku = self.visible_sku(&mut tx, actor, sku_id).await?;
        check_presale_start(sku.stock - sku.reserved)
            .map_err(|m| ServiceError::conflict(format!("SKU {} {m}", sku.code)))?;
        stock::start_presale(&mut tx, &sku.id, cap, ship_by.as_microsecond()).await?;
        self.settle(tx, &sku).await
    }
}

/// One row of a stock-level import: the counted quantity on hand of a SKU.
#[derive(Debug, Clone)]
pub struct LevelRow {
    /// The file's line number, for the error report.
    pub line: usize,
    pub code: String,
    pub on_hand: String,
}

impl Service {
    /// Sets counted stock levels: every row is checked first, and a file with any bad row
    /// is refused whole with one error per row; otherwise all rows apply in one
    /// transaction, each as an adjustment in the ledger. `progress` is told each row done.
    pub async fn import_stock_levels(
        &self,
        actor: &Actor,
        store_id: &str,
        rows: &[LevelRow],
        progress: &(dyn Fn(u64) + Sync),
    ) -> ServiceResult<usize> {
        Self::require_store_side(actor)?;
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Stock)?;
        self.visible_store(&mut tx, actor, store_id).await?;
        let mut errors = Invalid::default();
        let mut plan = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for r in rows {
            let field = format!("line {}", r.line);
            let Ok(level) = r.on_hand.trim().parse::<i64>() else {
                errors.push(
                    field,
                    format!("on_hand \"{}\" is not a whole number", r.on_hand),
                );
                continue;
            };
            if !(0..=validation::MAX_STOCK).contains(&level) {
                errors.push(field, "on_hand must be zero or more");
                continue;
            }
            if !seen.insert(r.code.clone()) {
                errors.push(field, format!("SKU {} appears twice", r.code));
                continue;
            }
            match stock::sku_by_code(&mut tx, store_id, r.code.trim()).await? {
                None => errors.push(field, format!("no SKU {} in this store", r.code)),
                Some(s) if level < s.reserved => errors.push(
                    field,
                    format!(
                        "SKU {}: {level} on hand is less than the {} reserved",
                        r.code, s.reserved
                    ),
                ),
                Some(s) => plan.push((s, level)),
            }
        }
        errors.into_result()?;
        let mut touched = std::collections::BTreeSet::new();
        let mut changed = 0;
        for (i, (sku, level)) in plan.iter().enumerate() {
            let delta = level - sku.stock;
            if delta != 0 {
                self.move_stock(
                    &mut tx,
                    actor,
                    sku,
                    Movement::Adjustment(delta),
                    Some("stock level import".into()),
                    None,
                )
                .await?;
                touched.insert(sku.product_id.clone());
                changed += 1;
            }
            progress(i as u64 + 1);
        }
        for product_id in &touched {
            self.after_stock_change(&mut tx, product_id).await?;
        }
        self.commit(tx).await?;
        Ok(changed)
    }

    pub async fn store_ledger(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<Vec<(String, StockMovement)>> {
        let mut c = self.db.reader().await?;
        actor.require_area(marketdesk_core::team::Area::Stock)?;
        self.visible_store(&mut c, actor, store_id).await?;
        Ok(stock::store_ledger(&mut c, store_id)
            .await?
            .into_iter()
            .map(|(code, m)| (code, m.into()))
            .collect())
    }
}
