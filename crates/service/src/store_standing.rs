//! Suspending and reinstating a store (merchant operations, seed 003's 商家运营): the
//! standing changes with a line on the store's timeline and an event that reaches the
//! store's inbox, in one transaction. Listings are left as they are (core's
//! `store_standing` says why); orders stop because order placement asks the standing.

use marketdesk_core::store_standing::{MAX_REASON, Standing, StandingStep};
use marketdesk_core::{Invalid, id, validation};
use marketdesk_store::catalog::{self, StoreEventRow};
use serde_json::json;

use crate::change::Change;
use crate::records::{Store, StoreEvent, records};
use crate::require_admin;
use crate::{Actor, Service, ServiceError, ServiceResult};

pub const SUSPENDED_EVENT: &str = "store.suspended";
pub const REINSTATED_EVENT: &str = "store.reinstated";

impl Service {
    /// Suspends a store (admins only): nothing of it can be bought, and its sellers can
    /// read but not change anything, from their next request on (in this process at
    /// once; other processes within their one-minute token memory).
    pub async fn suspend_store(
        &self,
        actor: &Actor,
        store_id: &str,
        reason: &str,
    ) -> ServiceResult<Store> {
        self.change_standing(actor, store_id, StandingStep::Suspend, reason)
            .await
    }

    /// Reinstates a suspended store: its products are for sale again as each stood, and
    /// its sellers may change things again.
    pub async fn reinstate_store(
        &self,
        actor: &Actor,
        store_id: &str,
        reason: &str,
    ) -> ServiceResult<Store> {
        self.change_standing(actor, store_id, StandingStep::Reinstate, reason)
            .await
    }

    async fn change_standing(
        &self,
        actor: &Actor,
        store_id: &str,
        step: StandingStep,
        reason: &str,
    ) -> ServiceResult<Store> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let reason = validation::required_text(&mut errors, "reason", reason, MAX_REASON);
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let mut store = self.visible_store(&mut tx, actor, store_id).await?;
        let was = Standing::of(store.suspended_at);
        let now_standing = was.after(step).map_err(ServiceError::conflict)?;
        let now = self.now_us();
        let suspended = (now_standing == Standing::Suspended).then_some((now, reason.as_str()));
        if !catalog::set_standing(&mut tx, &store.id, suspended).await? {
            // Another admin moved it first; the caller sees the store as it now stands.
            return Err(ServiceError::conflict(
                was.after(step)
                    .err()
                    .unwrap_or("the store's standing just changed"),
            ));
        }
        catalog::insert_store_event(
            &mut tx,
            &StoreEventRow {
                id: id::new_id(),
                store_id: store.id.clone(),
                at: now,
                actor_id: actor.user_id.clone(),
                actor_role: actor.role.as_str().into(),
                action: step.as_str().into(),
                reason: reason.clone(),
            },
        )
        .await?;
        let event = match step {
            StandingStep::Suspend => SUSPENDED_EVENT,
            StandingStep::Reinstate => REINSTATED_EVENT,
        };
        let change = Change::in_store(&store.id).event(
            event,
            &store.id,
            json!({"store_id": store.id, "store": store.name, "reason": reason,
                "was": was.as_str(), "standing": now_standing.as_str()}),
        );
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        self.forget_tokens_of_store(&store.id).await;
        store.suspended_at = suspended.map(|(at, _)| at);
        store.suspension_reason = suspended.map(|(_, r)| r.to_owned());
        Ok(store.into())
    }

    /// A store's own timeline, newest first: its sellers' and the platform's to read.
    pub async fn store_timeline(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<Vec<StoreEvent>> {
        let mut c = self.db.reader().await?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        Ok(records(catalog::store_events(&mut c, &store.id).await?))
    }
}
