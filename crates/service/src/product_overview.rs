//! What a person deciding about products needs to see before acting: which moves each
//! product allows them now, what a delist would do (units frozen, orders still to ship)
//! and a product's violation cases. The console shows these; the decisions are core's.

use std::collections::HashMap;

use marketdesk_core::{Action, id};
use marketdesk_store::products::{self, ProductRow};
use marketdesk_store::{catalog, orders, violations};

use crate::records::{Violation, records};
use crate::{Actor, Service, ServiceResult};

/// One product of a delist check: what happens to it, or why it cannot be delisted.
#[derive(Debug, Clone)]
pub struct DelistLine {
    pub product_id: String,
    pub title: String,
    /// Why this product cannot be delisted; None: it can.
    pub refusal: Option<String>,
    /// Available units (on hand less reserved) that stop selling.
    pub units_frozen: i64,
    /// Orders placed and not shipped: they must still ship.
    pub orders_to_ship: i64,
    pub units_to_ship: i64,
}

impl Service {
    /// The moves `actor` may make on a product now, in `Action::ALL` order: what the
    /// console offers as buttons. The move itself is still checked when made.
    pub async fn moves_for(&self, actor: &Actor, product_id: &str) -> ServiceResult<Vec<Action>> {
        let mut c = self.db.reader().await?;
        let row = self.visible_product(&mut c, actor, product_id).await?;
        let store = catalog::store(&mut c, &row.store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("product {} has no store", row.id))?;
        let mode = store
            .fulfilment_mode
            .parse()
            .map_err(|e: String| anyhow::anyhow!("store {}: {e}", store.id))?;
        Ok(Action::ALL
            .into_iter()
            .filter(|a| row.status.apply(*a, actor.role, mode).is_ok())
            .collect())
    }

    /// What delisting these products of one store would do, without doing it: the second
    /// step of the console's two-step delist. Unknown ids and other stores' products are
    /// listed as refused, as `batch_delist` would refuse them.
    pub async fn delist_check(
        &self,
        actor: &Actor,
        store_id: &str,
        product_ids: &[String],
    ) -> ServiceResult<Vec<DelistLine>> {
        let mut c = self.db.reader().await?;
        actor.require_area(marketdesk_core::team::Area::Products)?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        let mode = store
            .fulfilment_mode
            .parse()
            .map_err(|e: String| anyhow::anyhow!("store {}: {e}", store.id))?;
        let ids: Vec<String> = product_ids.iter().filter_map(|p| id::parse_id(p)).collect();
        let found: HashMap<String, ProductRow> = products::products_by_ids(&mut c, &ids)
            .await?
            .into_iter()
            .filter(|p| p.store_id == store.id)
            .map(|p| (p.id.clone(), p))
            .collect();
        let known: Vec<String> = found.keys().cloned().collect();
        let mut free: HashMap<String, i64> = HashMap::new();
        for s in products::skus_of(&mut c, &known).await? {
            *free.entry(s.product_id.clone()).or_default() += (s.stock - s.reserved).max(0);
        }
        let to_ship: HashMap<String, (i64, i64)> = orders::unshipped_by_product(&mut c, &known)
            .await?
            .into_iter()
            .map(|(p, o, u)| (p, (o, u)))
            .collect();
        Ok(product_ids
            .iter()
            .map(|raw| match found.get(raw.as_str()) {
                Some(row) => {
                    let (orders_to_ship, units_to_ship) =
                        to_ship.get(&row.id).copied().unwrap_or_default();
                    DelistLine {
                        product_id: row.id.clone(),
                        title: row.title.clone(),
                        refusal: row
                            .status
                            .apply(Action::Delist, actor.role, mode)
                            .err()
                            .map(|e| e.to_string()),
                        units_frozen: free.get(&row.id).copied().unwrap_or_default(),
                        orders_to_ship,
                        units_to_ship,
                    }
                }
                None => DelistLine {
                    product_id: raw.clone(),
                    title: String::new(),
                    refusal: Some("no product with this id in this store".into()),
                    units_frozen: 0,
                    orders_to_ship: 0,
                    units_to_ship: 0,
                },
            })
            .collect())
    }

    /// The names of a store's own accounts, to say who did what on its timeline. The
    /// platform's staff are shown by their role alone, so a seller learns no reviewer's name.
    pub async fn team_names(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<HashMap<String, String>> {
        let mut c = self.db.reader().await?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        Ok(catalog::users(&mut c, None, Some(&store.id), None, 10_000)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// A product's violation cases, newest first.
    pub async fn product_violations(
        &self,
        actor: &Actor,
        product_id: &str,
    ) -> ServiceResult<Vec<Violation>> {
        let mut c = self.db.reader().await?;
        let row = self.visible_product(&mut c, actor, product_id).await?;
        Ok(records(violations::of_product(&mut c, &row.id).await?))
    }
}

impl Service {
    /// The steps `actor` may take on a violation case now, of those a person takes (not
    /// the deadlines): what the report page offers as forms.
    pub async fn case_steps(
        &self,
        actor: &Actor,
        violation_id: &str,
    ) -> ServiceResult<Vec<marketdesk_core::violation::Step>> {
        use marketdesk_core::violation::Step;
        let mut c = self.db.reader().await?;
        let case = self.visible_case(&mut c, actor, violation_id).await?;
        let appealed_once = !violations::appeals(&mut c, &case.id).await?.is_empty();
        let now = self.now_us();
        let state = crate::violations::case_of(&case, appealed_once);
        Ok([
            Step::SubmitRectification,
            Step::RequestRelist,
            Step::Appeal,
            Step::ApproveRelist,
            Step::RejectRelist,
            Step::UpholdAppeal,
            Step::DismissAppeal,
        ]
        .into_iter()
        .filter(|s| s.taken_by(actor.role) && state.apply(*s, now).is_ok())
        .collect())
    }
}
