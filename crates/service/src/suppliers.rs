//! A store's suppliers (store data, CRUD) and their per-SKU offers.

use marketdesk_core::{Invalid, Money, id, money::parse_currency, validation};
use marketdesk_store::catalog;
use marketdesk_store::suppliers::{self, SupplierRow};
use rust_decimal::Decimal;

use crate::records::{Supplier, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

#[derive(Debug, Clone)]
pub struct SupplierInput {
    pub name: String,
    pub lead_time_days: i64,
    /// Share of deliveries on time, a decimal string from 0 to 1.
    pub on_time_rate: String,
}

fn validate(input: &SupplierInput) -> Result<(String, String), Invalid> {
    let mut errors = Invalid::default();
    let name = validation::required_text(&mut errors, "name", &input.name, validation::MAX_NAME);
    if !(0..=365).contains(&input.lead_time_days) {
        errors.push("lead_time_days", "must be between 0 and 365");
    }
    let rate = match input.on_time_rate.trim().parse::<Decimal>() {
        Ok(r) if r >= Decimal::ZERO && r <= Decimal::ONE => r.normalize().to_string(),
        _ => {
            errors.push(
                "on_time_rate",
                "must be a decimal from 0 to 1, such as \"0.95\"",
            );
            String::new()
        }
    };
    errors.into_result()?;
    Ok((name, rate))
}

impl Service {
    async fn visible_supplier(
        &self,
        c: &mut sqlx::AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<SupplierRow> {
        actor.require_area(marketdesk_core::team::Area::Stock)?;
        let not_found = || ServiceError::NotFound(format!("no supplier with id {id}"));
        let Some(sid) = id::parse_id(id) else {
            return Err(not_found());
        };
        match suppliers::get(c, &sid).await? {
            Some(s) if actor.can_see_store(&s.store_id) => Ok(s),
            _ => Err(not_found()),
        }
    }

    pub async fn create_supplier(
        &self,
        actor: &Actor,
        store_id: &str,
        input: SupplierInput,
    ) -> ServiceResult<Supplier> {
        let (name, on_time_rate) = validate(&input)?;
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Stock)?;
        self.visible_store(&mut tx, actor, store_id).await?;
        let row = SupplierRow {
            id: id::new_id(),
            store_id: store_id.into(),
            name,
            lead_time_days: input.lead_time_days,
            on_time_rate,
            created_at: self.now_us(),
        };
        suppliers::insert(&mut tx, &row).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    pub async fn update_supplier(
        &self,
        actor: &Actor,
        id: &str,
        input: SupplierInput,
    ) -> ServiceResult<Supplier> {
        let (name, on_time_rate) = validate(&input)?;
        let mut tx = self.db.begin().await?;
        let mut row = self.visible_supplier(&mut tx, actor, id).await?;
        row.name = name;
        row.lead_time_days = input.lead_time_days;
        row.on_time_rate = on_time_rate;
        suppliers::update(&mut tx, &row).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    pub async fn delete_supplier(&self, actor: &Actor, id: &str) -> ServiceResult<()> {
        let mut tx = self.db.begin().await?;
        let row = self.visible_supplier(&mut tx, actor, id).await?;
        suppliers::delete(&mut tx, &row.id).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn suppliers(&self, actor: &Actor, store_id: &str) -> ServiceResult<Vec<Supplier>> {
        let mut c = self.db.reader().await?;
        actor.require_area(marketdesk_core::team::Area::Stock)?;
        self.visible_store(&mut c, actor, store_id).await?;
        Ok(records(suppliers::of_store(&mut c, store_id).await?))
    }

    /// Records what a supplier charges for one of the store's SKUs.
    pub async fn set_supplier_offer(
        &self,
        actor: &Actor,
        supplier_id: &str,
        sku_id: &str,
        unit_cost: &str,
    ) -> ServiceResult<()> {
        let mut tx = self.db.begin().await?;
        let supplier = self.visible_supplier(&mut tx, actor, supplier_id).await?;
        let sku = self.visible_sku(&mut tx, actor, sku_id).await?;
        if sku.store_id != supplier.store_id {
            return Err(Invalid::one("sku_id", "the SKU belongs to another store").into());
        }
        let store = catalog::store(&mut tx, &sku.store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no store"))?;
        let site = catalog::site(&mut tx, &store.site_code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no site"))?;
        let currency =
            parse_currency(&site.currency).ok_or_else(|| anyhow::anyhow!("no currency"))?;
        let cost =
            Money::parse_price(unit_cost, currency).map_err(|m| Invalid::one("unit_cost", m))?;
        suppliers::set_offer(&mut tx, &supplier.id, &sku.id, &cost.amount.to_string()).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
