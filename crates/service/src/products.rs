//! Creating, reading and listing products.

use std::collections::{BTreeMap, HashSet};

use marketdesk_core::listing::content::Attributes;
use marketdesk_core::{
    Invalid, Label, ListingStatus, Money, State, id, money::parse_currency, validation,
};
use marketdesk_store::catalog::StoreRow;
use marketdesk_store::products::{self, ProductFilter, ProductRow, SkuRow};
use sqlx::AnyConnection;

pub use crate::product_query::ProductQuery;
use crate::{Actor, Service, ServiceError, ServiceResult};

/// A product with its SKUs, as stored: what the use cases work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    pub row: ProductRow,
    pub skus: Vec<SkuRow>,
}

/// The id to look up, once the actor may read products at all. A malformed id is "not
/// found", as another store's product is: ids leak nothing.
fn product_id_for(actor: &Actor, product_id: &str) -> ServiceResult<String> {
    actor.require_area(marketdesk_core::team::Area::Products)?;
    id::parse_id(product_id).ok_or_else(|| no_product(product_id))
}

/// The product read, if the actor may see its store.
fn seen_by(
    actor: &Actor,
    product_id: &str,
    found: Option<(ProductRow, Vec<SkuRow>)>,
) -> ServiceResult<Stored> {
    match found {
        Some((row, skus)) if actor.can_see_store(&row.store_id) => Ok(Stored { row, skus }),
        _ => Err(no_product(product_id)),
    }
}

fn no_product(product_id: &str) -> ServiceError {
    ServiceError::NotFound(format!("no product with id {product_id}"))
}

/// A product with its SKUs, as the interfaces see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: String,
    pub store_id: String,
    pub title: String,
    pub category: String,
    pub description: String,
    pub attributes: Attributes,
    pub main_image_id: Option<String>,
    pub gallery: Vec<String>,
    pub status: ListingStatus,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub currency: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    pub skus: Vec<Sku>,
    /// A fully-managed store's product: warehouse stock or JIT (its SKU prices are
    /// supply prices, 供货价; the platform sets the retail price).
    pub fulfilment: Option<marketdesk_core::programs::fully_managed::Fulfilment>,
    pub qualification_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sku {
    pub id: String,
    pub code: String,
    /// Decimal text in the product's currency.
    pub price: String,
    pub currency: String,
    pub stock: i64,
    pub reserved: i64,
    pub attributes: Attributes,
}

impl Product {
    pub fn label(&self) -> Option<Label> {
        self.status.label()
    }
}

impl From<Stored> for Product {
    fn from(Stored { row, skus }: Stored) -> Self {
        Product {
            id: row.id,
            store_id: row.store_id,
            title: row.title,
            category: row.category,
            description: row.description,
            attributes: row.attributes,
            main_image_id: row.main_image_id,
            gallery: row.gallery,
            status: row.status,
            reason_code: row.reason_code,
            reason_text: row.reason_text,
            currency: row.currency,
            created_at: row.created_at,
            updated_at: row.updated_at,
            version: row.version,
            fulfilment: row.fulfilment,
            qualification_ids: row.qualification_ids,
            skus: skus
                .into_iter()
                .map(|s| Sku {
                    id: s.id,
                    code: s.code,
                    price: s.price,
                    currency: s.currency,
                    stock: s.stock,
                    reserved: s.reserved,
                    attributes: s.attributes,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewSku {
    pub code: String,
    pub price: String,
    pub stock: i64,
}

#[derive(Debug, Clone)]
pub struct NewProduct {
    pub title: String,
    pub category: String,
    /// Plain text; may be empty.
    pub description: String,
    pub skus: Vec<NewSku>,
    /// A fully-managed store's product: "warehouse" (the default) or "jit".
    pub fulfilment: Option<String>,
    /// Qualification documents (evidence ids) a special category asks for.
    pub qualification_ids: Vec<String>,
}

pub use crate::paging::{DEFAULT_PAGE, MAX_PAGE};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub by_state: BTreeMap<String, i64>,
    pub by_delist_kind: BTreeMap<String, i64>,
    pub by_label: BTreeMap<String, i64>,
}

#[derive(Debug, Clone)]
pub struct ProductPage {
    pub items: Vec<Product>,
    pub next_cursor: Option<String>,
    pub counts: Counts,
}

impl Service {
    pub async fn create_product(
        &self,
        actor: &Actor,
        store_id: &str,
        new: NewProduct,
    ) -> ServiceResult<Product> {
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Products)?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller or an admin creates products".into(),
            ));
        }
        let currency = self.store_currency(&mut tx, &store).await?;
        let product = self
            .create_product_in(&mut tx, actor, &store, currency, new)
            .await?;
        products::bump_count(&mut tx, &store.id, State::Draft.as_str(), "", 1).await?;
        self.commit(tx).await?;
        Ok(product.into())
    }

    /// The body of [`Service::create_product`] inside a caller's transaction (the demo
    /// loader and the CSV import create thousands in one). The caller adds the new drafts
    /// to the store's tab counts once: on PostgreSQL, updating one count row thousands of
    /// times in a transaction slows every update after it (each walks the row's versions).
    pub(crate) async fn create_product_in(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        store: &StoreRow,
        currency: iso_currency::Currency,
        new: NewProduct,
    ) -> ServiceResult<Stored> {
        let mut errors = Invalid::default();
        let title =
            validation::required_text(&mut errors, "title", &new.title, validation::MAX_TITLE);
        let category = validation::required_text(
            &mut errors,
            "category",
            &new.category,
            validation::MAX_CATEGORY,
        );
        let description = new.description.trim().to_string();
        marketdesk_core::listing::content::check_description(&mut errors, &description);
        let fully_managed =
            store.fulfilment_mode == marketdesk_core::FulfilmentMode::FullyManaged.as_str();
        let fulfilment = marketdesk_core::programs::fully_managed::Fulfilment::chosen(
            fully_managed,
            new.fulfilment.as_deref(),
        )
        .map_err(|m| errors.push("fulfilment", m))
        .unwrap_or_default();
        let qualification_ids =
            crate::evidence::parse_evidence_ids(&mut errors, &new.qualification_ids);
        if new.skus.is_empty() {
            errors.push("skus", "at least one SKU is required");
        } else if new.skus.len() > validation::MAX_SKUS {
            errors.push(
                "skus",
                format!("at most {} SKUs per product", validation::MAX_SKUS),
            );
        }
        let now = self.now_us();
        let product_id = id::new_id();
        let mut seen = HashSet::new();
        let mut skus = Vec::with_capacity(new.skus.len());
        for (i, sku) in new.skus.iter().enumerate() {
            let code = validation::required_text(
                &mut errors,
                &format!("skus[{i}].code"),
                &sku.code,
                validation::MAX_SKU_CODE,
            );
            if !code.is_empty() && !seen.insert(code.clone()) {
                errors.push(format!("skus[{i}].code"), "appears twice in this product");
            }
            let price = Money::parse_price(&sku.price, currency)
                .map_err(|m| errors.push(format!("skus[{i}].price"), m))
                .ok();
            if !(0..=validation::MAX_STOCK).contains(&sku.stock) {
                errors.push(
                    format!("skus[{i}].stock"),
                    format!("must be between 0 and {}", validation::MAX_STOCK),
                );
            }
            if let Some(price) = price {
                skus.push(SkuRow {
                    id: id::new_id(),
                    product_id: product_id.clone(),
                    store_id: store.id.clone(),
                    code,
                    price: price.amount.to_string(),
                    currency: currency.code().into(),
                    stock: sku.stock,
                    position: i as i64,
                    reserved: 0,
                    attributes: Default::default(),
                });
            }
        }
        errors.into_result()?;
        self.check_evidence(
            tx,
            actor,
            &store.id,
            &qualification_ids,
            "qualification_ids",
        )
        .await?;
        if fully_managed {
            self.check_fully_managed_product(tx, store, &category, &qualification_ids)
                .await?;
        }
        let row = ProductRow {
            id: product_id,
            store_id: store.id.clone(),
            title,
            category,
            description,
            attributes: Default::default(),
            main_image_id: None,
            gallery: Vec::new(),
            status: ListingStatus::DRAFT,
            reason_code: None,
            reason_text: None,
            currency: currency.code().into(),
            created_at: now,
            updated_at: now,
            version: 1,
            fulfilment,
            qualification_ids,
        };
        products::insert_product(tx, &row, &skus)
            .await
            .map_err(|e| match e {
                marketdesk_store::StoreError::Duplicate(_) => ServiceError::Invalid(Invalid::one(
                    "skus",
                    "a SKU code is already used by another product of this store",
                )),
                other => other.into(),
            })?;
        // The opening stock is the ledger's first receipt, so the figures can always be
        // recomputed from the ledger alone.
        for sku in skus.iter().filter(|s| s.stock > 0) {
            self.opening_stock(tx, actor, sku, now).await?;
        }
        let change = crate::change::Change::in_store(&row.store_id)
            .timeline(crate::change::TimelineEntry {
                product_id: row.id.clone(),
                action: "create".into(),
                from_state: None,
                to_state: row.status.state,
                delist_kind: None,
                reason_code: None,
                reason_text: None,
                evidence_ids: "[]".into(),
                changes: Vec::new(),
            })
            .event(
                "product.created",
                &row.id,
                serde_json::json!({"product_id": row.id, "title": row.title}),
            );
        self.record(tx, actor, change).await?;
        Ok(Stored { row, skus })
    }

    /// The currency of the store's site: what its prices are in.
    pub(crate) async fn store_currency(
        &self,
        tx: &mut AnyConnection,
        store: &StoreRow,
    ) -> ServiceResult<iso_currency::Currency> {
        let site = marketdesk_store::catalog::site(tx, &store.site_code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("store {} has unknown site", store.id))?;
        Ok(parse_currency(&site.currency)
            .ok_or_else(|| anyhow::anyhow!("site {} has unknown currency", site.code))?)
    }

    /// A SKU's opening stock is the ledger's first receipt, so the figures can always
    /// be recomputed from the ledger alone.
    pub(crate) async fn opening_stock(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        sku: &SkuRow,
        now: i64,
    ) -> ServiceResult<()> {
        let m = marketdesk_store::stock::MovementRow {
            id: id::new_id(),
            store_id: sku.store_id.clone(),
            sku_id: sku.id.clone(),
            kind: marketdesk_core::stock::Movement::Receipt(sku.stock)
                .kind()
                .into(),
            on_hand_delta: sku.stock,
            reserved_delta: 0,
            on_hand_after: sku.stock,
            reserved_after: 0,
            reason: Some("opening stock".into()),
            order_id: None,
            actor_id: actor.user_id.clone(),
            at: now,
        };
        marketdesk_store::stock::insert_movement(tx, &m).await?;
        Ok(())
    }

    /// A product with its SKUs inside the caller's transaction, as [`Service::product`].
    pub(crate) async fn product_in(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        product_id: &str,
    ) -> ServiceResult<Stored> {
        let id = product_id_for(actor, product_id)?;
        let found = marketdesk_store::product_read::product_with_skus(tx, &id).await?;
        seen_by(actor, product_id, found)
    }

    /// A product the actor may see. Another store's product is "not found" for a seller,
    /// exactly as a product that does not exist: ids of other stores leak nothing.
    pub(crate) async fn visible_product(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        product_id: &str,
    ) -> ServiceResult<ProductRow> {
        let id = product_id_for(actor, product_id)?;
        match products::product(c, &id).await? {
            Some(p) if actor.can_see_store(&p.store_id) => Ok(p),
            _ => Err(no_product(product_id)),
        }
    }

    pub async fn product(&self, actor: &Actor, product_id: &str) -> ServiceResult<Product> {
        let id = product_id_for(actor, product_id)?;
        let found = self.product_read_together(id).await?;
        Ok(seen_by(actor, product_id, found)?.into())
    }

    pub async fn products(
        &self,
        actor: &Actor,
        store_id: &str,
        query: &ProductQuery,
    ) -> ServiceResult<ProductPage> {
        let mut c = self.db.reader().await?;
        actor.require_area(marketdesk_core::team::Area::Products)?;
        self.visible_store(&mut c, actor, store_id).await?;
        let filter = query.to_filter(Some(store_id))?;
        let rows = products::counts(&mut c, store_id).await?;
        let counts = tab_counts(rows)?;
        self.page_of(&mut c, filter, counts).await
    }

    /// A page of the filter's products with their SKUs; no page when the filters
    /// contradict each other.
    pub(crate) async fn page_of(
        &self,
        c: &mut AnyConnection,
        filter: Option<ProductFilter>,
        counts: Counts,
    ) -> ServiceResult<ProductPage> {
        let Some(mut filter) = filter else {
            return Ok(ProductPage {
                items: Vec::new(),
                next_cursor: None,
                counts,
            });
        };
        // One extra row tells whether another page exists without a count query.
        let limit = filter.limit;
        filter.limit += 1;
        let mut rows = products::page(c, &filter).await?;
        let next_cursor = crate::paging::next(&mut rows, limit, |r| &r.id);
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut skus = products::skus_of(c, &ids).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let mine: Vec<SkuRow> = skus.extract_if(.., |s| s.product_id == row.id).collect();
                Stored { row, skus: mine }.into()
            })
            .collect();
        Ok(ProductPage {
            items,
            next_cursor,
            counts,
        })
    }
}

/// The list page's tabs from count rows (state, delist kind, n): every tab present, zero
/// where nothing is.
pub(crate) fn tab_counts(rows: Vec<(String, String, i64)>) -> ServiceResult<Counts> {
    let mut counts = Counts::default();
    for s in State::ALL {
        counts.by_state.insert(s.as_str().into(), 0);
    }
    for k in ["voluntary", "violation", "protective"] {
        counts.by_delist_kind.insert(k.into(), 0);
    }
    for l in ["green", "grey", "red"] {
        counts.by_label.insert(l.into(), 0);
    }
    for (state, kind, n) in rows {
        *counts.by_state.entry(state.clone()).or_default() += n;
        if !kind.is_empty() {
            *counts.by_delist_kind.entry(kind.clone()).or_default() += n;
        }
        let status = ListingStatus {
            state: state.parse().map_err(|e: String| anyhow::anyhow!(e))?,
            delist_kind: if kind.is_empty() {
                None
            } else {
                Some(kind.parse().map_err(|e: String| anyhow::anyhow!(e))?)
            },
            review_return: None,
        };
        if let Some(label) = status.label() {
            *counts.by_label.entry(label.as_str().into()).or_default() += n;
        }
    }
    Ok(counts)
}
