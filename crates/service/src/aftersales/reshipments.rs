//! Reshipments (补寄) started by the buyer: the seller approves and uploads tracking within
//! 7 calendar days, or the request is rejected automatically. (Reshipment through a ticket
//! is a ticket of kind `reshipment`.)

use marketdesk_core::aftersales::{RESHIPMENT_DECISION as SPAN, ReshipmentState, carriers};
use marketdesk_core::{Invalid, id, validation};
use marketdesk_store::aftersales::{self, ReshipmentRow};
use sqlx::AnyConnection;

use super::{RESHIPMENT_DECISION, require_platform, require_seller_side};
use crate::records::Reshipment;
use crate::{Actor, Service, ServiceError, ServiceResult};

#[derive(Debug, Clone, Default)]
pub struct ReshipmentQuery {
    pub store_id: Option<String>,
    pub state: Option<String>,
    pub order_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

impl Service {
    pub async fn request_reshipment(
        &self,
        actor: &Actor,
        order_id: &str,
        reason: &str,
    ) -> ServiceResult<Reshipment> {
        require_platform(actor)?;
        let mut errors = Invalid::default();
        let reason = validation::required_text(&mut errors, "reason", reason, 500);
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let order = self.visible_order(&mut tx, actor, order_id).await?;
        if !matches!(
            order.state,
            marketdesk_core::OrderState::Shipped | marketdesk_core::OrderState::Delivered
        ) {
            return Err(ServiceError::conflict(format!(
                "a {} order has nothing to reship",
                order.state
            )));
        }
        let due_at = self.due_for_store(&mut tx, &order.store_id, SPAN).await?;
        let r = ReshipmentRow {
            id: id::new_id(),
            store_id: order.store_id.clone(),
            order_id: order.id.clone(),
            state: ReshipmentState::Requested,
            reason,
            carrier: None,
            tracking_number: None,
            due_at,
            created_by: actor.user_id.clone(),
            created_at: self.now_us(),
            decided_at: None,
        };
        aftersales::insert_reshipment(&mut tx, &r).await?;
        self.schedule_aftersales(&mut tx, &r.store_id, RESHIPMENT_DECISION, &r.id, due_at)
            .await?;
        self.aftersales_event(
            &mut tx,
            &r.store_id,
            "reshipment.requested",
            &r.id,
            serde_json::json!({
            "reshipment_id": r.id, "order_id": r.order_id, "respond_by": crate::instant(due_at)}),
        )
        .await?;
        self.commit(tx).await?;
        Ok(r.into())
    }

    pub async fn decide_reshipment(
        &self,
        actor: &Actor,
        id: &str,
        approve: bool,
        carrier: Option<&str>,
        tracking_number: Option<&str>,
    ) -> ServiceResult<Reshipment> {
        require_seller_side(actor)?;
        let mut tx = self.db.begin().await?;
        let mut r = self.visible_reshipment(&mut tx, actor, id).await?;
        if r.state != ReshipmentState::Requested {
            return Err(ServiceError::conflict(format!(
                "the reshipment is already {}",
                r.state
            )));
        }
        if approve {
            let site = self.site_of_store(&mut tx, &r.store_id).await?;
            let mut errors = Invalid::default();
            match carrier {
                Some(c) if carriers(&site).contains(&c) => r.carrier = Some(c.into()),
                _ => errors.push(
                    "carrier",
                    format!(
                        "must be one of the {site} site's carriers: {}",
                        carriers(&site).join(", ")
                    ),
                ),
            }
            let t = validation::required_text(
                &mut errors,
                "tracking_number",
                tracking_number.unwrap_or(""),
                64,
            );
            errors.into_result()?;
            r.tracking_number = Some(t);
            r.state = ReshipmentState::Approved;
        } else {
            r.state = ReshipmentState::Rejected;
        }
        r.decided_at = Some(self.now_us());
        // End the deadline before touching the subject: the deadline worker locks the
        // deadline row first and the subject second, so taking them in the same order here
        // means the two never wait on each other in a cycle (PostgreSQL would abort one).
        self.end_deadlines(&mut tx, &r.store_id, &r.id, &[RESHIPMENT_DECISION])
            .await?;
        if !aftersales::decide_reshipment(&mut tx, &r).await? {
            return Err(ServiceError::conflict(
                "the reshipment changed meanwhile; reload it",
            ));
        }
        self.commit(tx).await?;
        Ok(r.into())
    }

    /// Reshipment requests, newest first: a seller's own store's, any store's for the
    /// platform's customer service and admins.
    pub async fn reshipments(
        &self,
        actor: &Actor,
        q: ReshipmentQuery,
    ) -> ServiceResult<(Vec<Reshipment>, Option<String>)> {
        if !actor.role.handles_aftersales() {
            return Err(ServiceError::Forbidden(
                "after-sales is customer service's and the store's".into(),
            ));
        }
        let mut errors = Invalid::default();
        let limit = crate::paging::limit(&mut errors, q.limit);
        let before = crate::paging::cursor(&mut errors, q.cursor.as_deref());
        if let Some(s) = &q.state
            && let Err(m) = s.parse::<ReshipmentState>()
        {
            errors.push("state", m);
        }
        errors.into_result()?;
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store_id = actor.store_scope(q.store_id)?;
        let mut c = self.db.reader().await?;
        let mut rows = aftersales::reshipments(
            &mut c,
            store_id.as_deref(),
            q.state.as_deref(),
            q.order_id.as_deref(),
            before.as_deref(),
            limit + 1,
        )
        .await?;
        let next = crate::paging::next(&mut rows, limit, |r| &r.id);
        Ok((crate::records::records(rows), next))
    }

    pub async fn reshipment(&self, actor: &Actor, id: &str) -> ServiceResult<Reshipment> {
        let mut c = self.db.reader().await?;
        Ok(self.visible_reshipment(&mut c, actor, id).await?.into())
    }

    pub(crate) async fn reshipment_timed_out(
        &self,
        c: &mut AnyConnection,
        id: &str,
    ) -> ServiceResult<()> {
        let Some(mut r) = aftersales::reshipment(c, id).await? else {
            return Ok(());
        };
        if r.state != ReshipmentState::Requested {
            return Ok(());
        }
        r.state = ReshipmentState::Rejected;
        r.decided_at = Some(self.now_us());
        if !aftersales::decide_reshipment(c, &r).await? {
            return Err(ServiceError::conflict(
                "the reshipment was decided while its deadline fired",
            ));
        }
        self.aftersales_event(
            c,
            &r.store_id,
            "reshipment.rejected_on_timeout",
            &r.id,
            serde_json::json!({"reshipment_id": r.id}),
        )
        .await?;
        Ok(())
    }

    async fn visible_reshipment(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<ReshipmentRow> {
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        match aftersales::reshipment(c, id).await? {
            Some(r) if actor.can_see_store(&r.store_id) => Ok(r),
            _ => Err(ServiceError::NotFound(format!("no reshipment {id}"))),
        }
    }
}
