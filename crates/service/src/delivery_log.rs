//! The delivery log: what was sent where, every attempt's answer, dead letters, replay.

use marketdesk_core::Invalid;
use marketdesk_core::notify::{DeliveryChannel, DeliveryState};
use marketdesk_store::deliveries::{self, DeliveryFilter, DeliveryRow};

use crate::paging;
use crate::records::{Delivery, DeliveryAttempt, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

pub struct DeliveryQuery {
    pub store_id: Option<String>,
    pub state: Option<String>,
    pub channel: Option<String>,
    pub event_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

pub struct DeliveryPage {
    pub items: Vec<Delivery>,
    pub next_cursor: Option<String>,
}

impl Service {
    /// Sellers see their store's deliveries only; platform staff any store's.
    pub async fn deliveries(&self, actor: &Actor, q: DeliveryQuery) -> ServiceResult<DeliveryPage> {
        let mut errors = Invalid::default();
        let limit = paging::limit(&mut errors, q.limit);
        let before = paging::cursor(&mut errors, q.cursor.as_deref());
        if let Some(s) = &q.state
            && let Err(m) = s.parse::<DeliveryState>()
        {
            errors.push("state", m);
        }
        if let Some(c) = &q.channel
            && let Err(m) = c.parse::<DeliveryChannel>()
        {
            errors.push("channel", m);
        }
        errors.into_result()?;
        let store_id = actor.store_scope(q.store_id)?;
        let filter = DeliveryFilter {
            store_id,
            state: q.state,
            channel: q.channel,
            event_id: q.event_id,
            before,
        };
        let mut c = self.db.reader().await?;
        let mut items = deliveries::page(&mut c, &filter, limit + 1).await?;
        let next_cursor = paging::next(&mut items, limit, |d| &d.id);
        Ok(DeliveryPage {
            items: records(items),
            next_cursor,
        })
    }

    pub async fn delivery(
        &self,
        actor: &Actor,
        delivery_id: &str,
    ) -> ServiceResult<(Delivery, Vec<DeliveryAttempt>)> {
        let mut c = self.db.reader().await?;
        let d = self.visible_delivery(&mut c, actor, delivery_id).await?;
        let attempts = deliveries::attempts(&mut c, &d.id).await?;
        Ok((d.into(), records(attempts)))
    }

    /// Sends a delivery again under the same message id, with a fresh attempt budget —
    /// a dead letter after the receiver is fixed, or a delivered one the receiver lost.
    pub async fn replay_delivery(
        &self,
        actor: &Actor,
        delivery_id: &str,
    ) -> ServiceResult<Delivery> {
        let mut tx = self.db.begin().await?;
        let d = self.visible_delivery(&mut tx, actor, delivery_id).await?;
        if d.state == DeliveryState::Pending {
            return Err(ServiceError::conflict(format!(
                "delivery {} is already waiting to be sent",
                d.id
            )));
        }
        if d.channel == DeliveryChannel::Voice {
            return Err(ServiceError::conflict(
                "an escalation call is not replayed: it was for a moment that has passed",
            ));
        }
        deliveries::replay(&mut tx, &d.id, self.now_us()).await?;
        let d = deliveries::get(&mut tx, &d.id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("delivery {} vanished while replayed", d.id))?;
        self.commit(tx).await?;
        self.send_wake.notify_one();
        Ok(d.into())
    }

    async fn visible_delivery(
        &self,
        c: &mut sqlx::AnyConnection,
        actor: &Actor,
        delivery_id: &str,
    ) -> ServiceResult<DeliveryRow> {
        match deliveries::get(c, delivery_id).await? {
            Some(d) if actor.can_see_store(&d.store_id) => Ok(d),
            _ => Err(ServiceError::NotFound(format!("no delivery {delivery_id}"))),
        }
    }
}
