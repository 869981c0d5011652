//! Return warehouses (退货仓): several per country; the first in a country is its default,
//! which can be edited or replaced but not deleted; names are unique per store across
//! countries; products are associated at most 500 per call; routing sends a return to the
//! warehouse all its products share, otherwise to the default.

use marketdesk_core::aftersales::{receives_returns_from, route, site_country};
use marketdesk_core::{Invalid, id, validation};
use marketdesk_store::aftersales::{self, WarehouseRow};
use marketdesk_store::products;
use sqlx::AnyConnection;

use super::cases::association_map;
use super::require_seller_side;
use crate::records::{Warehouse, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// Products per association call (the seed: 单次最多可选中500个商品).
pub const MAX_ASSOCIATE: usize = 500;

pub struct WarehouseInput {
    pub country: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub make_default: bool,
}

impl Service {
    pub async fn create_warehouse(
        &self,
        actor: &Actor,
        store_id: &str,
        w: WarehouseInput,
    ) -> ServiceResult<Warehouse> {
        require_seller_side(actor)?;
        let mut errors = Invalid::default();
        let country = w.country.unwrap_or_default().trim().to_string();
        if !(country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase())) {
            errors.push("country", "must be an ISO 3166-1 alpha-2 code such as DE");
        }
        let name =
            validation::required_text(&mut errors, "name", w.name.as_deref().unwrap_or(""), 100);
        let address = validation::required_text(
            &mut errors,
            "address",
            w.address.as_deref().unwrap_or(""),
            500,
        );
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        let existing = aftersales::warehouses(&mut tx, &store.id).await?;
        let first_in_country = !existing.iter().any(|x| x.country == country);
        if w.make_default && !first_in_country {
            aftersales::clear_default(&mut tx, &store.id, &country).await?;
        }
        let now = self.now_us();
        let row = WarehouseRow {
            id: id::new_id(),
            store_id: store.id,
            country,
            name,
            address,
            is_default: i64::from(first_in_country || w.make_default),
            created_at: now,
            updated_at: now,
        };
        aftersales::insert_warehouse(&mut tx, &row).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    pub async fn warehouses(&self, actor: &Actor, store_id: &str) -> ServiceResult<Vec<Warehouse>> {
        let mut c = self.db.reader().await?;
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        Ok(records(aftersales::warehouses(&mut c, &store.id).await?))
    }

    /// Edits name and address, or makes this warehouse its country's default (the old
    /// default stays as an ordinary warehouse). A default cannot be un-defaulted directly.
    pub async fn update_warehouse(
        &self,
        actor: &Actor,
        warehouse_id: &str,
        w: WarehouseInput,
    ) -> ServiceResult<Warehouse> {
        require_seller_side(actor)?;
        let mut tx = self.db.begin().await?;
        let mut row = self.visible_warehouse(&mut tx, actor, warehouse_id).await?;
        let mut errors = Invalid::default();
        if w.country.as_ref().is_some_and(|c| *c != row.country) {
            errors.push(
                "country",
                "a warehouse stays in its country; create a new one",
            );
        }
        if let Some(n) = &w.name {
            row.name = validation::required_text(&mut errors, "name", n, 100);
        }
        if let Some(a) = &w.address {
            row.address = validation::required_text(&mut errors, "address", a, 500);
        }
        errors.into_result()?;
        if w.make_default && row.is_default == 0 {
            aftersales::clear_default(&mut tx, &row.store_id, &row.country).await?;
            row.is_default = 1;
        }
        row.updated_at = self.now_us();
        aftersales::update_warehouse(&mut tx, &row).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    pub async fn delete_warehouse(&self, actor: &Actor, warehouse_id: &str) -> ServiceResult<()> {
        require_seller_side(actor)?;
        let mut tx = self.db.begin().await?;
        let row = self.visible_warehouse(&mut tx, actor, warehouse_id).await?;
        if row.is_default != 0 {
            return Err(ServiceError::conflict(
                "the default return warehouse cannot be deleted; edit it, or make another the default first",
            ));
        }
        aftersales::delete_warehouse(&mut tx, &row.id).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Associates products with a warehouse: at most 500 per call, all of the store.
    pub async fn associate_products(
        &self,
        actor: &Actor,
        warehouse_id: &str,
        product_ids: &[String],
    ) -> ServiceResult<i64> {
        require_seller_side(actor)?;
        if product_ids.is_empty() || product_ids.len() > MAX_ASSOCIATE {
            return Err(Invalid::one(
                "product_ids",
                format!("name between 1 and {MAX_ASSOCIATE} products per call"),
            )
            .into());
        }
        let mut tx = self.db.begin().await?;
        let w = self.visible_warehouse(&mut tx, actor, warehouse_id).await?;
        let found = products::products_by_ids(&mut tx, product_ids).await?;
        let mut errors = Invalid::default();
        for (i, p) in product_ids.iter().enumerate() {
            if !found.iter().any(|f| &f.id == p && f.store_id == w.store_id) {
                errors.push(
                    format!("product_ids[{i}]"),
                    "no product with this id in this store",
                );
            }
        }
        errors.into_result()?;
        let now = self.now_us();
        for p in product_ids {
            aftersales::associate(&mut tx, &w.id, &w.store_id, p, now).await?;
        }
        let n = aftersales::warehouse_product_count(&mut tx, &w.id).await?;
        self.commit(tx).await?;
        Ok(n)
    }

    /// Where a return of `products` on `site` goes: among the warehouses the site allows
    /// (its own country; other EU countries too where cross-border returns are allowed
    /// and the seller uploads labels), the one all products share, else the default.
    pub(crate) async fn route_return(
        &self,
        c: &mut AnyConnection,
        store_id: &str,
        site: &str,
        uploads_labels: bool,
        products: &[&str],
    ) -> ServiceResult<Option<String>> {
        let home = site_country(site);
        let allowed: Vec<WarehouseRow> = aftersales::warehouses(c, store_id)
            .await?
            .into_iter()
            .filter(|w| receives_returns_from(&w.country, site, uploads_labels))
            .collect();
        let default = allowed
            .iter()
            .find(|w| w.is_default != 0 && w.country == home)
            .or_else(|| allowed.iter().find(|w| w.is_default != 0));
        let Some(default) = default else {
            return Ok(None);
        };
        let pairs = aftersales::associations(c, store_id)
            .await?
            .into_iter()
            .filter(|(_, w)| allowed.iter().any(|a| &a.id == w))
            .collect();
        let map = association_map(pairs);
        Ok(Some(route(products, &map, &default.id).to_string()))
    }

    async fn visible_warehouse(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<WarehouseRow> {
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        match aftersales::warehouse(c, id).await? {
            Some(w) if actor.can_see_store(&w.store_id) => Ok(w),
            _ => Err(ServiceError::NotFound(format!("no return warehouse {id}"))),
        }
    }
}
