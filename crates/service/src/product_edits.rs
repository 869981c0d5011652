//! Editing a listing's content (商品编辑): the way a seller rectifies (整改) what a
//! reviewer took down. One edit is one transaction: content, SKUs, one timeline row
//! naming each changed field before → after, and the `product.edited` event.

use std::collections::{BTreeMap, HashSet};

use marketdesk_core::listing::content::{self, Attributes, Content, IMAGE_TYPES, SkuContent};
use marketdesk_core::{Action, Invalid, Money, id, money::parse_currency, validation};
use marketdesk_store::products::{self, SkuRow};
use marketdesk_store::violations::ViolationRow;
use marketdesk_store::{evidence, timeline};
use serde_json::json;
use sqlx::AnyConnection;

use crate::change::{Change, TimelineEntry};
use crate::products::{Product, Stored};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// The timeline action of an edit; rectifications cite rows with it.
pub const EDIT_ACTION: &str = "edit";

/// A JSON merge patch of a product: absent fields stay, `Some(None)` clears a nullable
/// one, attribute maps merge key by key (null removes a key).
#[derive(Debug, Clone, Default)]
pub struct ProductPatch {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub category: Option<String>,
    pub attributes: Option<BTreeMap<String, Option<String>>>,
    pub main_image_id: Option<Option<String>>,
    pub gallery: Option<Vec<String>>,
    pub skus: Vec<SkuPatch>,
    /// The version the seller edited; a newer one stored means someone else changed it.
    pub version: Option<i64>,
}

/// One SKU by code: an unknown code is added (price required), `remove` takes it off.
#[derive(Debug, Clone, Default)]
pub struct SkuPatch {
    pub code: String,
    pub price: Option<String>,
    pub stock: Option<i64>,
    pub attributes: Option<BTreeMap<String, Option<String>>>,
    pub remove: bool,
}

fn content_of(p: &Stored) -> Content {
    Content {
        title: p.row.title.clone(),
        description: p.row.description.clone(),
        category: p.row.category.clone(),
        attributes: p.row.attributes.clone(),
        main_image_id: p.row.main_image_id.clone(),
        gallery: p.row.gallery.clone(),
    }
}

fn sku_content(s: &SkuRow) -> SkuContent {
    SkuContent {
        code: s.code.clone(),
        price: s.price.clone(),
        attributes: s.attributes.clone(),
    }
}

impl Service {
    pub async fn edit_product(
        &self,
        actor: &Actor,
        product_id: &str,
        patch: ProductPatch,
    ) -> ServiceResult<Product> {
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller or an admin edits a listing".into(),
            ));
        }
        let mut tx = self.db.begin().await?;
        let before = self.product_in(&mut tx, actor, product_id).await?;
        let (after, changed) = self.edit_loaded(&mut tx, actor, before, patch).await?;
        if changed {
            self.commit(tx).await?;
        }
        Ok(after.into())
    }

    /// The body of [`Service::edit_product`] inside a caller's transaction, on a product
    /// the caller loaded and may see (the CSV import edits thousands in one). Refuses
    /// before writing anything; answers the product as it now is and whether it changed.
    pub(crate) async fn edit_loaded(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        before: Stored,
        patch: ProductPatch,
    ) -> ServiceResult<(Stored, bool)> {
        content::may_edit(before.row.status).map_err(ServiceError::conflict)?;
        if patch.version.is_some_and(|v| v != before.row.version) {
            return Err(ServiceError::conflict(
                "the product changed since you loaded it; reload and edit again",
            ));
        }
        let currency = parse_currency(&before.row.currency)
            .ok_or_else(|| anyhow::anyhow!("product with unknown currency"))?;
        let mut errors = Invalid::default();
        let mut after = content_of(&before);
        if let Some(t) = patch.title {
            after.title = t.trim().to_string();
        }
        if let Some(d) = patch.description {
            after.description = d.unwrap_or_default().trim().to_string();
        }
        if let Some(c) = patch.category {
            after.category = c.trim().to_string();
        }
        if let Some(a) = patch.attributes {
            content::merge_attributes(&mut after.attributes, a);
        }
        if let Some(m) = patch.main_image_id {
            after.main_image_id = m;
        }
        if let Some(g) = patch.gallery {
            after.gallery = g;
        }
        content::check(&mut errors, &after);
        let now = self.now_us();
        let mut skus = before.skus.clone();
        let (added, removed) =
            self.patch_skus(&mut errors, &mut skus, &before, patch.skus, currency);
        errors.into_result()?;
        self.check_images(tx, &before.row.store_id, &after).await?;
        let changes = content::diff(
            &content_of(&before),
            &after,
            &before.skus.iter().map(sku_content).collect::<Vec<_>>(),
            &skus.iter().map(sku_content).collect::<Vec<_>>(),
        );
        if changes.is_empty() {
            return Ok((before, false));
        }
        let mut row = before.row.clone();
        row.title = after.title;
        row.description = after.description;
        row.category = after.category;
        row.attributes = after.attributes;
        row.main_image_id = after.main_image_id;
        row.gallery = after.gallery;
        row.updated_at = now.max(before.row.updated_at);
        row.version = before.row.version + 1;
        if !products::update_content(tx, &row, before.row.version).await? {
            return Err(ServiceError::conflict(
                "the product changed meanwhile; reload and try again",
            ));
        }
        self.write_skus(tx, actor, &before, &skus, &added, &removed, now)
            .await?;
        let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
        let payload = json!({"product_id": row.id, "fields": fields, "version": row.version});
        let change = Change::in_store(&row.store_id)
            .timeline(TimelineEntry {
                product_id: row.id.clone(),
                action: EDIT_ACTION.into(),
                from_state: Some(row.status.state),
                to_state: row.status.state,
                delist_kind: row.status.delist_kind,
                reason_code: None,
                reason_text: None,
                evidence_ids: "[]".into(),
                changes,
            })
            .event("product.edited", &row.id, payload);
        self.record(tx, actor, change).await?;
        let skus = products::skus_of(tx, std::slice::from_ref(&row.id)).await?;
        Ok((Stored { row, skus }, true))
    }

    /// Applies the SKU patches to `skus`; returns the codes added and removed.
    fn patch_skus(
        &self,
        errors: &mut Invalid,
        skus: &mut Vec<SkuRow>,
        before: &Stored,
        patches: Vec<SkuPatch>,
        currency: iso_currency::Currency,
    ) -> (HashSet<String>, HashSet<String>) {
        let (mut added, mut removed) = (HashSet::new(), HashSet::new());
        let mut seen = HashSet::new();
        for (i, p) in patches.into_iter().enumerate() {
            let field = |f: &str| format!("skus[{i}].{f}");
            let code = validation::required_text(
                errors,
                &field("code"),
                &p.code,
                validation::MAX_SKU_CODE,
            );
            if !seen.insert(code.clone()) {
                errors.push(field("code"), "appears twice in this edit");
                continue;
            }
            let price = p.price.as_deref().map(|t| {
                Money::parse_price(t, currency)
                    .map(|m| m.amount.to_string())
                    .map_err(|m| errors.push(field("price"), m))
            });
            let existing = skus.iter().position(|s| s.code == code);
            match (existing, p.remove) {
                (Some(at), true) => {
                    skus.remove(at);
                    removed.insert(code);
                }
                (None, true) => errors.push(field("code"), "no SKU with this code to remove"),
                (Some(at), false) => {
                    if p.stock.is_some() {
                        errors.push(
                            field("stock"),
                            "stock of an existing SKU moves through the stock ledger (receipts and adjustments)",
                        );
                    }
                    if let Some(Ok(price)) = price {
                        skus[at].price = price;
                    }
                    if let Some(a) = p.attributes {
                        content::merge_attributes(&mut skus[at].attributes, a);
                        content::check_attributes(
                            errors,
                            &field("attributes"),
                            &skus[at].attributes,
                        );
                    }
                }
                (None, false) => {
                    let stock = p.stock.unwrap_or(0);
                    if !(0..=validation::MAX_STOCK).contains(&stock) {
                        errors.push(
                            field("stock"),
                            format!("must be between 0 and {}", validation::MAX_STOCK),
                        );
                    }
                    let mut attributes = Attributes::new();
                    if let Some(a) = p.attributes {
                        content::merge_attributes(&mut attributes, a);
                        content::check_attributes(errors, &field("attributes"), &attributes);
                    }
                    match price {
                        Some(Ok(price)) => {
                            skus.push(SkuRow {
                                id: id::new_id(),
                                product_id: before.row.id.clone(),
                                store_id: before.row.store_id.clone(),
                                code: code.clone(),
                                price,
                                currency: before.row.currency.clone(),
                                stock,
                                position: 0,
                                reserved: 0,
                                attributes,
                            });
                            added.insert(code);
                        }
                        Some(Err(())) => {}
                        None => errors.push(field("price"), "a new SKU needs a price"),
                    }
                }
            }
        }
        if skus.is_empty() {
            errors.push("skus", "a product keeps at least one SKU");
        } else if skus.len() > validation::MAX_SKUS {
            errors.push(
                "skus",
                format!("at most {} SKUs per product", validation::MAX_SKUS),
            );
        }
        (added, removed)
    }

    /// Writes the SKU side of an edit; a new SKU's opening stock is its first receipt.
    #[allow(clippy::too_many_arguments)]
    async fn write_skus(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        before: &Stored,
        skus: &[SkuRow],
        added: &HashSet<String>,
        removed: &HashSet<String>,
        now: i64,
    ) -> ServiceResult<()> {
        for old in before.skus.iter().filter(|s| removed.contains(&s.code)) {
            if !products::remove_sku(tx, &old.id, now).await? {
                return Err(ServiceError::conflict(format!(
                    "SKU {} has units reserved by open orders; it can be removed once they ship or are cancelled",
                    old.code
                )));
            }
        }
        let next_position = products::next_sku_position(tx, &before.row.id).await?;
        for (n, sku) in skus.iter().filter(|s| added.contains(&s.code)).enumerate() {
            let sku = SkuRow {
                position: next_position + n as i64,
                ..sku.clone()
            };
            products::insert_sku(tx, &sku).await.map_err(|e| match e {
                marketdesk_store::StoreError::Duplicate(_) => ServiceError::Invalid(Invalid::one(
                    "skus",
                    format!("SKU code {} is already used in this store", sku.code),
                )),
                other => other.into(),
            })?;
            if sku.stock > 0 {
                self.opening_stock(tx, actor, &sku, now).await?;
            }
        }
        for sku in skus.iter().filter(|s| !added.contains(&s.code)) {
            if before.skus.iter().any(|b| b.id == sku.id && b != sku) {
                products::update_sku(tx, sku).await?;
            }
        }
        Ok(())
    }

    /// Listing images are the store's own uploads, and pictures (judged at upload).
    async fn check_images(
        &self,
        tx: &mut AnyConnection,
        store_id: &str,
        c: &Content,
    ) -> ServiceResult<()> {
        let ids: Vec<String> = c.main_image_id.iter().chain(&c.gallery).cloned().collect();
        if ids.is_empty() {
            return Ok(());
        }
        let found = evidence::by_ids(tx, &ids).await?;
        let mut errors = Invalid::default();
        for (i, image) in ids.iter().enumerate() {
            let field = if c.main_image_id.as_ref() == Some(image) && i == 0 {
                "main_image_id".to_string()
            } else {
                "gallery".to_string()
            };
            match found.iter().find(|e| &e.id == image) {
                Some(e) if e.store_id.as_deref() == Some(store_id) => {
                    if !IMAGE_TYPES.contains(&e.content_type.as_str()) {
                        errors.push(field, format!("{image} is not a JPEG, PNG or WebP image"));
                    }
                }
                _ => errors.push(field, format!("no uploaded file {image} in this store")),
            }
        }
        Ok(errors.into_result()?)
    }

    /// The edits a rectification cites: this product's edit rows made since the takedown.
    pub(crate) async fn check_cited_edits(
        &self,
        tx: &mut AnyConnection,
        case: &ViolationRow,
        edit_ids: Vec<String>,
    ) -> ServiceResult<Vec<String>> {
        if edit_ids.is_empty() {
            return Ok(edit_ids);
        }
        let history = timeline::of_product(tx, &case.product_id).await?;
        // History is in order; the case's own takedown is its last violation delist
        // (the clock alone cannot tell apart rows of the same microsecond).
        let takedown = Action::ViolationDelist.as_str();
        let since = history
            .iter()
            .rposition(|t| t.action == takedown && t.at >= case.created_at)
            .unwrap_or(history.len());
        let mut errors = Invalid::default();
        for (i, e) in edit_ids.iter().enumerate() {
            let cited = history[since..]
                .iter()
                .find(|t| &t.id == e && t.action == EDIT_ACTION);
            if cited.is_none() {
                errors.push(
                    format!("edit_ids[{i}]"),
                    "not an edit of this product made since it was taken down",
                );
            }
        }
        errors.into_result()?;
        Ok(edit_ids)
    }
}
