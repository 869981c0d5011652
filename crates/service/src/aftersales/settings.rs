//! Per-store after-sales settings (an admin enables negotiated refunds; the seller says
//! whether it uploads its own return labels) and refund-only policies.

use marketdesk_core::aftersales::{RETURN_REASONS, check_ratio};
use marketdesk_core::money::Money;
use marketdesk_core::{Invalid, id};
use marketdesk_store::aftersales::{self, PolicyRow, SettingsRow};

use super::{currency, require_seller_side};
use crate::records::{AftersalesSettings, RefundPolicy, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

pub struct SettingsInput {
    pub negotiated_enabled: Option<bool>,
    pub uploads_labels: Option<bool>,
}

pub struct NewPolicy {
    pub reason: String,
    pub ceiling: String,
    pub ratio_percent: i64,
}

impl Service {
    pub async fn aftersales_settings(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<AftersalesSettings> {
        let mut c = self.db.reader().await?;
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        Ok(aftersales::settings(&mut c, &store.id)
            .await?
            .unwrap_or(SettingsRow {
                store_id: store.id,
                negotiated_enabled: 0,
                uploads_labels: 0,
                updated_at: 0,
            })
            .into())
    }

    /// Only an admin turns negotiated refunds on or off (the seed: by application to the
    /// platform); the store's seller sets its label capability.
    pub async fn set_aftersales_settings(
        &self,
        actor: &Actor,
        store_id: &str,
        input: SettingsInput,
    ) -> ServiceResult<AftersalesSettings> {
        require_seller_side(actor)?;
        if input.negotiated_enabled.is_some() && !actor.role.administers() {
            return Err(ServiceError::Forbidden(
                "negotiated partial refunds are enabled by the platform".into(),
            ));
        }
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        if input.uploads_labels.is_some()
            && marketdesk_core::aftersales::label_upload_granted_by_platform(&store.site_code)
            && !actor.role.administers()
        {
            return Err(ServiceError::Forbidden(format!(
                "on {} the platform's merchant operations enable label upload; ask them",
                store.site_code
            )));
        }
        let mut s = aftersales::settings(&mut tx, &store.id)
            .await?
            .unwrap_or(SettingsRow {
                store_id: store.id.clone(),
                negotiated_enabled: 0,
                uploads_labels: 0,
                updated_at: 0,
            });
        if let Some(v) = input.negotiated_enabled {
            s.negotiated_enabled = v.into();
        }
        if let Some(v) = input.uploads_labels {
            s.uploads_labels = v.into();
        }
        s.updated_at = self.now_us();
        aftersales::put_settings(&mut tx, &s).await?;
        self.commit(tx).await?;
        crate::audit::note(
            &store.id,
            "aftersales.settings_set",
            serde_json::Value::Null,
            serde_json::json!({"negotiated_enabled": s.negotiated_enabled != 0, "uploads_labels": s.uploads_labels != 0}),
        );
        Ok(s.into())
    }

    pub async fn refund_policies(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<Vec<RefundPolicy>> {
        let mut c = self.db.reader().await?;
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        Ok(records(aftersales::policies(&mut c, &store.id).await?))
    }

    pub async fn create_refund_policy(
        &self,
        actor: &Actor,
        store_id: &str,
        new: NewPolicy,
    ) -> ServiceResult<RefundPolicy> {
        require_seller_side(actor)?;
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        let site = marketdesk_store::catalog::site(&mut tx, &store.site_code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no site"))?;
        let cur = currency(&site.currency)?;
        let mut errors = Invalid::default();
        if !RETURN_REASONS.contains(&new.reason.as_str()) {
            errors.push(
                "reason",
                format!("must be one of {}", RETURN_REASONS.join(", ")),
            );
        }
        let ceiling = match Money::parse_price(&new.ceiling, cur) {
            Ok(m) if m.amount > rust_decimal::Decimal::ZERO => Some(m),
            Ok(_) => {
                errors.push("ceiling", "must be more than zero");
                None
            }
            Err(m) => {
                errors.push("ceiling", m);
                None
            }
        };
        if let Err(m) = check_ratio(new.ratio_percent) {
            errors.push("ratio_percent", m);
        }
        errors.into_result()?;
        let row = PolicyRow {
            id: id::new_id(),
            store_id: store.id,
            reason: new.reason,
            ceiling: ceiling.expect("validated").amount.to_string(),
            ratio: new.ratio_percent,
            created_at: self.now_us(),
        };
        aftersales::insert_policy(&mut tx, &row).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    pub async fn delete_refund_policy(
        &self,
        actor: &Actor,
        store_id: &str,
        policy_id: &str,
    ) -> ServiceResult<()> {
        require_seller_side(actor)?;
        let mut tx = self.db.begin().await?;
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        if !aftersales::delete_policy(&mut tx, &store.id, policy_id).await? {
            return Err(ServiceError::NotFound(format!(
                "no refund policy {policy_id}"
            )));
        }
        self.commit(tx).await?;
        Ok(())
    }
}
