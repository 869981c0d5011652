//! What a fully-managed store may list (seed 002): every category but the special ones
//! admins mark (特殊类目: closed, or open with a qualification document), and at most
//! 3,000 products on sale, under review or in draft, counted under the store's lock.

use marketdesk_core::programs::fully_managed::{self as rules, CategoryRule, MAX_NOTE};
use marketdesk_core::{Invalid, validation};
use marketdesk_store::catalog::{self, StoreRow};
use marketdesk_store::fully_managed::{self as fm, SpecialCategoryRow};
use serde_json::json;

use crate::{Actor, Service, ServiceError, ServiceResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialCategory {
    pub category: String,
    pub rule: CategoryRule,
    pub note: String,
    pub updated_at: i64,
}

impl Service {
    /// Admins mark a special category (特殊类目): closed to fully-managed stores, or open
    /// with a qualification document.
    pub async fn put_special_category(
        &self,
        actor: &Actor,
        category: &str,
        rule: &str,
        note: &str,
    ) -> ServiceResult<SpecialCategory> {
        crate::require_admin(actor)?;
        let mut errors = Invalid::default();
        let category =
            validation::required_text(&mut errors, "category", category, validation::MAX_NAME);
        let rule = rule
            .parse::<CategoryRule>()
            .map_err(|m| errors.push("rule", m))
            .ok();
        let note = if note.trim().is_empty() {
            String::new()
        } else {
            validation::required_text(&mut errors, "note", note, MAX_NOTE)
        };
        errors.into_result()?;
        let row = SpecialCategoryRow {
            category,
            rule: rule.expect("validated"),
            note,
            updated_at: self.now_us(),
            updated_by: actor.user_id.clone(),
        };
        let mut tx = self.db.begin().await?;
        fm::put_special_category(&mut tx, &row).await?;
        crate::audit::note(
            &row.category,
            "special_category.put",
            serde_json::Value::Null,
            json!({"rule": row.rule.as_str(), "note": row.note}),
        );
        self.commit(tx).await?;
        Ok(SpecialCategory {
            category: row.category,
            rule: row.rule,
            note: row.note,
            updated_at: row.updated_at,
        })
    }

    pub async fn delete_special_category(
        &self,
        actor: &Actor,
        category: &str,
    ) -> ServiceResult<()> {
        crate::require_admin(actor)?;
        let mut tx = self.db.begin().await?;
        if !fm::delete_special_category(&mut tx, category).await? {
            return Err(ServiceError::NotFound(format!(
                "{category} is not a special category"
            )));
        }
        crate::audit::note(
            category,
            "special_category.deleted",
            serde_json::Value::Null,
            serde_json::Value::Null,
        );
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn special_categories(&self) -> ServiceResult<Vec<SpecialCategory>> {
        let mut c = self.db.reader().await?;
        Ok(fm::special_categories(&mut c)
            .await?
            .into_iter()
            .map(|r| SpecialCategory {
                category: r.category,
                rule: r.rule,
                note: r.note,
                updated_at: r.updated_at,
            })
            .collect())
    }

    /// A fully-managed store's product rules at creation: the cap, and a special
    /// category's. Runs in the creating transaction, after the store's row is locked.
    pub(crate) async fn check_fully_managed_product(
        &self,
        tx: &mut sqlx::AnyConnection,
        store: &StoreRow,
        category: &str,
        qualifications: &[String],
    ) -> ServiceResult<()> {
        self.check_product_cap(tx, store).await?;
        let rule = fm::special_category(tx, category).await?;
        rules::check_category(rule, !qualifications.is_empty())
            .map_err(|m| Invalid::one("category", m))?;
        Ok(())
    }

    /// "1个店铺最多可以上3000个商品(包括正在销售和审核状态)": counted under the store's
    /// lock, so two requests never both take the last place.
    pub(crate) async fn check_product_cap(
        &self,
        tx: &mut sqlx::AnyConnection,
        store: &StoreRow,
    ) -> ServiceResult<()> {
        catalog::lock_store(tx, self.db.backend(), &store.id).await?;
        let counted = counted_products(tx, &store.id).await?;
        rules::check_cap(counted).map_err(|m| cap_refusal(m, counted))
    }

    /// After a bulk import's drafts were counted in: the store may not end above the cap.
    pub(crate) async fn check_cap_after_import(
        &self,
        tx: &mut sqlx::AnyConnection,
        store: &StoreRow,
    ) -> ServiceResult<()> {
        let counted = counted_products(tx, &store.id).await?;
        if counted > rules::PRODUCT_CAP {
            return Err(cap_refusal(
                format!(
                    "the import would leave {counted} products on sale, under review or in draft; a fully-managed store lists at most {}",
                    rules::PRODUCT_CAP
                ),
                counted,
            ));
        }
        Ok(())
    }
}

/// Products on sale, under review or in draft: what the cap counts.
pub(crate) async fn counted_products(
    tx: &mut sqlx::AnyConnection,
    store_id: &str,
) -> ServiceResult<i64> {
    Ok(marketdesk_store::products::counts(tx, store_id)
        .await?
        .into_iter()
        .filter(|(state, _, _)| {
            state
                .parse::<marketdesk_core::State>()
                .is_ok_and(rules::counts_against_cap)
        })
        .map(|(_, _, n)| n)
        .sum())
}

fn cap_refusal(detail: String, counted: i64) -> ServiceError {
    ServiceError::Conflict {
        detail,
        errors: vec![marketdesk_core::FieldError {
            field: "store_id".into(),
            message: format!("{counted} of {} products", rules::PRODUCT_CAP),
        }],
    }
}
