//! The affiliate program page (联盟详情页面): enrolling products with a commission,
//! recording creators' campaigns, and what the program brought per product.

use std::collections::{BTreeMap, BTreeSet};

use marketdesk_core::programs::affiliate::{self as rules, MAX_NAME, MAX_PRODUCTS};
use marketdesk_core::team::Area;
use marketdesk_core::{Invalid, Money, State, id, validation};
use marketdesk_store::affiliate::{self, CampaignRow, EnrolmentRow};
use rust_decimal::Decimal;
use serde_json::json;

pub use super::Campaign;
use super::{parse_product_ids, required_instant, store_products};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// An enrolled product with what the program brought it: orders attributed to an
/// affiliate since it was enrolled, their units and sales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub product_id: String,
    pub title: String,
    pub state: State,
    pub commission_percent: Decimal,
    pub enrolled_at: i64,
    pub attributed_orders: i64,
    pub attributed_units: i64,
    pub attributed_sales: Money,
}

#[derive(Debug, Clone)]
pub struct Program {
    pub store_id: String,
    pub enrolments: Vec<Enrolment>,
    /// Campaigns running or still to come, soonest first.
    pub campaigns: Vec<Campaign>,
    pub exits: Vec<super::affiliate_exit::Exit>,
}

#[derive(Debug, Clone, Default)]
pub struct NewCampaign {
    pub name: String,
    pub product_ids: Vec<String>,
    pub starts_at: String,
    pub ends_at: String,
}

impl Service {
    /// Enrols products in the program at a commission, or changes the commission of
    /// enrolled ones. Only products on sale are promoted.
    pub async fn enrol_products(
        &self,
        actor: &Actor,
        store_id: &str,
        product_ids: &[String],
        commission_percent: &str,
    ) -> ServiceResult<Vec<Enrolment>> {
        actor.require_area(Area::Products)?;
        let mut errors = Invalid::default();
        let ids = parse_product_ids(&mut errors, product_ids, MAX_PRODUCTS);
        let commission = rules::parse_commission(commission_percent)
            .map_err(|m| errors.push("commission_percent", m))
            .ok();
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller or an admin enrols products".into(),
            ));
        }
        let rows = store_products(&mut tx, &store.id, &ids).await?;
        let mut errors = Invalid::default();
        for (i, p) in rows.iter().enumerate() {
            if p.status.state != State::OnSale {
                errors.push(
                    format!("product_ids[{i}]"),
                    format!(
                        "is {}; only products on sale join the program",
                        p.status.state.as_str()
                    ),
                );
            }
        }
        errors.into_result()?;
        let commission = commission.expect("validated").to_string();
        let now = self.now_us();
        for p in &rows {
            affiliate::enrol(
                &mut tx,
                &EnrolmentRow {
                    product_id: p.id.clone(),
                    store_id: store.id.clone(),
                    commission_percent: commission.clone(),
                    enrolled_at: now,
                    enrolled_by: actor.user_id.clone(),
                    left_at: None,
                    exit_id: None,
                },
            )
            .await?;
        }
        crate::audit::note(
            &store.id,
            "affiliate.enrolled",
            serde_json::Value::Null,
            json!({"product_ids": ids, "commission_percent": commission}),
        );
        self.commit(tx).await?;
        let program = self.affiliate_program(actor, &store.id).await?;
        Ok(program
            .enrolments
            .into_iter()
            .filter(|e| ids.contains(&e.product_id))
            .collect())
    }

    /// Records a creators' campaign (活动) over a time range on enrolled products.
    pub async fn create_campaign(
        &self,
        actor: &Actor,
        store_id: &str,
        new: NewCampaign,
    ) -> ServiceResult<Campaign> {
        actor.require_area(Area::Products)?;
        let mut errors = Invalid::default();
        let name = validation::required_text(&mut errors, "name", &new.name, MAX_NAME);
        let ids = parse_product_ids(&mut errors, &new.product_ids, MAX_PRODUCTS);
        let starts = required_instant(&mut errors, "starts_at", &new.starts_at);
        let ends = required_instant(&mut errors, "ends_at", &new.ends_at);
        if let (Some(s), Some(e)) = (starts, ends) {
            if let Err(m) = rules::check_window(s, e) {
                errors.push("ends_at", m);
            } else if e <= self.now_us() {
                errors.push("ends_at", "the campaign has already ended");
            }
        }
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller or an admin records campaigns".into(),
            ));
        }
        store_products(&mut tx, &store.id, &ids).await?;
        let enrolled: BTreeSet<String> = affiliate::enrolments(&mut tx, &store.id)
            .await?
            .into_iter()
            .map(|e| e.product_id)
            .collect();
        let mut errors = Invalid::default();
        for (i, p) in ids.iter().enumerate() {
            if !enrolled.contains(p) {
                errors.push(
                    format!("product_ids[{i}]"),
                    "is not enrolled in the affiliate program",
                );
            }
        }
        errors.into_result()?;
        let (starts_at, ends_at) = (starts.expect("validated"), ends.expect("validated"));
        for exit in affiliate::exits(&mut tx, &store.id).await? {
            let window = rules::Window {
                id: String::new(),
                name: name.clone(),
                starts_at,
                ends_at,
            };
            if exit.state.runs()
                && window.contains(exit.exit_at)
                && exit.product_ids.iter().any(|p| ids.contains(p))
            {
                return Err(ServiceError::Conflict {
                    detail: "the campaign would run over a scheduled exit of its products".into(),
                    errors: vec![marketdesk_core::FieldError {
                        field: "starts_at".into(),
                        message: format!(
                            "exit {} takes these products out at {}",
                            exit.id,
                            crate::instant(exit.exit_at)
                        ),
                    }],
                });
            }
        }
        let row = CampaignRow {
            id: id::new_id(),
            store_id: store.id.clone(),
            name: name.clone(),
            starts_at,
            ends_at,
            created_at: self.now_us(),
            created_by: actor.user_id.clone(),
            product_ids: ids,
        };
        affiliate::insert_campaign(&mut tx, &row).await?;
        crate::audit::note(
            &row.id,
            "affiliate.campaign_created",
            serde_json::Value::Null,
            json!({"name": name, "product_ids": row.product_ids}),
        );
        self.commit(tx).await?;
        let now = self.now_us();
        let mut c: Campaign = row.into();
        c.active = c.starts_at <= now;
        Ok(c)
    }

    /// The program page: enrolled products with what the program brought each, the
    /// campaigns running or coming, and the store's exits.
    pub async fn affiliate_program(&self, actor: &Actor, store_id: &str) -> ServiceResult<Program> {
        actor.require_area(Area::Products)?;
        let mut c = self.db.reader().await?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        let currency = self.store_currency(&mut c, &store).await?;
        let now = self.now_us();
        let enrolled = affiliate::enrolments(&mut c, &store.id).await?;
        let ids: Vec<String> = enrolled.iter().map(|e| e.product_id.clone()).collect();
        let products = marketdesk_store::products::products_by_ids(&mut c, &ids).await?;
        let since = enrolled.iter().map(|e| e.enrolled_at).min().unwrap_or(now);
        let lines = affiliate::lines_of(&mut c, &store.id, &ids, since).await?;
        let mut per: BTreeMap<&str, (BTreeSet<&str>, i64, Decimal)> = BTreeMap::new();
        for l in &lines {
            let Some(e) = enrolled.iter().find(|e| e.product_id == l.product_id) else {
                continue;
            };
            if l.affiliate_id.is_none()
                || l.placed_at < e.enrolled_at
                || l.state == marketdesk_core::OrderState::Cancelled
            {
                continue;
            }
            let entry = per.entry(l.product_id.as_str()).or_default();
            entry.0.insert(l.order_id.as_str());
            entry.1 += l.quantity;
            entry.2 += l.amount.parse::<Decimal>().unwrap_or_default();
        }
        let enrolments = enrolled
            .iter()
            .filter_map(|e| {
                let p = products.iter().find(|p| p.id == e.product_id)?;
                let (orders, units, sales) =
                    per.get(e.product_id.as_str()).cloned().unwrap_or_default();
                Some(Enrolment {
                    product_id: e.product_id.clone(),
                    title: p.title.clone(),
                    state: p.status.state,
                    commission_percent: e.commission_percent.parse().unwrap_or_default(),
                    enrolled_at: e.enrolled_at,
                    attributed_orders: orders.len() as i64,
                    attributed_units: units,
                    attributed_sales: Money::new(sales, currency).round_for_payout(),
                })
            })
            .collect();
        let campaigns = affiliate::campaigns(&mut c, &store.id, now)
            .await?
            .into_iter()
            .map(|r| {
                let mut k: Campaign = r.into();
                k.active = k.starts_at <= now;
                k
            })
            .collect();
        let exits = affiliate::exits(&mut c, &store.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        Ok(Program {
            store_id: store.id,
            enrolments,
            campaigns,
            exits,
        })
    }

    /// A campaign the store recorded is told apart from an exit's products by the
    /// exit rule; this is the list it reads.
    pub(crate) async fn campaign_windows(
        &self,
        c: &mut sqlx::AnyConnection,
        store_id: &str,
        product_ids: &[String],
        now: i64,
    ) -> ServiceResult<Vec<(rules::Window, Vec<String>)>> {
        Ok(affiliate::campaigns(c, store_id, now)
            .await?
            .into_iter()
            .filter(|k| k.product_ids.iter().any(|p| product_ids.contains(p)))
            .map(|k| {
                (
                    rules::Window {
                        id: k.id,
                        name: k.name,
                        starts_at: k.starts_at,
                        ends_at: k.ends_at,
                    },
                    k.product_ids,
                )
            })
            .collect())
    }
}
