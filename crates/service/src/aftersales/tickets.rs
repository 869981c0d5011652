//! Tickets (工单): customer service asks the store about an order; the seller answers
//! within one business day of the site, or is deemed to have waived evidence and the
//! platform's action for the ticket runs (a full refund of the order line by default).

use marketdesk_core::aftersales::{
    ADDRESS_VISIBLE, TICKET_ANSWER, TicketKind, TicketState, TicketTimeout, ticket_timeout,
};
use marketdesk_core::{Invalid, id, validation};
use marketdesk_store::aftersales::{self, MessageRow, TicketRow};
use marketdesk_store::orders;
use sqlx::AnyConnection;

use super::{TICKET_ANSWER as TICKET_DEADLINE, ids_json, require_platform};
use crate::records::{Ticket, TicketMessage, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

pub struct NewTicket {
    pub order_id: String,
    pub order_line_id: Option<String>,
    pub kind: String,
    pub body: String,
    pub buyer_address: Option<String>,
    pub on_timeout: Option<String>,
    pub evidence_ids: Vec<String>,
}

pub struct Reply {
    pub body: String,
    pub evidence_ids: Vec<String>,
    /// Reshipment tickets: can the seller reship, and under which tracking number.
    pub reshipment_agreed: Option<bool>,
    pub tracking_number: Option<String>,
}

pub struct TicketView {
    pub ticket: Ticket,
    pub messages: Vec<TicketMessage>,
    /// The buyer's address, only while it may be seen (48 h).
    pub buyer_address: Option<String>,
}

impl Service {
    pub async fn open_ticket(&self, actor: &Actor, new: NewTicket) -> ServiceResult<TicketView> {
        require_platform(actor)?;
        let mut errors = Invalid::default();
        let kind = new
            .kind
            .parse::<TicketKind>()
            .map_err(|m| errors.push("kind", m))
            .ok();
        let body = validation::required_text(&mut errors, "body", &new.body, 4000);
        if kind == Some(TicketKind::Reshipment)
            && new
                .buyer_address
                .as_deref()
                .is_none_or(|a| a.trim().is_empty())
        {
            errors.push(
                "buyer_address",
                "a reshipment ticket carries the buyer's address",
            );
        }
        let chosen = match new.on_timeout.as_deref().map(str::parse::<TicketTimeout>) {
            None => Ok(None),
            Some(Ok(t)) => Ok(Some(t)),
            Some(Err(_)) => Err("must be none or full_refund"),
        };
        let on_timeout = chosen
            .and_then(|c| ticket_timeout(c, new.order_line_id.is_some()))
            .unwrap_or_else(|m| {
                errors.push("on_timeout", m);
                TicketTimeout::Nothing
            });
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let (order, _, line) = self
            .order_and_line(&mut tx, actor, &new.order_id, new.order_line_id.as_deref())
            .await?;
        self.check_evidence(
            &mut tx,
            actor,
            &order.store_id,
            &new.evidence_ids,
            "evidence_ids",
        )
        .await?;
        let now = self.now_us();
        let due_at = self
            .due_for_store(&mut tx, &order.store_id, TICKET_ANSWER)
            .await?;
        let reshipment = kind == Some(TicketKind::Reshipment);
        let visible_until = if reshipment {
            Some(
                self.due_for_store(&mut tx, &order.store_id, ADDRESS_VISIBLE)
                    .await?,
            )
        } else {
            None
        };
        let t = TicketRow {
            id: id::new_id(),
            store_id: order.store_id.clone(),
            order_id: order.id.clone(),
            order_line_id: line.map(|l| l.id),
            kind: kind.ok_or_else(|| anyhow::anyhow!("kind validated above"))?,
            state: TicketState::AwaitingSeller,
            on_timeout,
            buyer_address: new.buyer_address.filter(|_| reshipment),
            address_visible_until: visible_until,
            reshipment_agreed: None,
            tracking_number: None,
            due_at,
            answered_at: None,
            created_by: actor.user_id.clone(),
            created_at: now,
            updated_at: now,
        };
        aftersales::insert_ticket(&mut tx, &t).await?;
        aftersales::insert_message(
            &mut tx,
            &MessageRow {
                id: id::new_id(),
                ticket_id: t.id.clone(),
                author_id: actor.user_id.clone(),
                author_role: actor.role.as_str().into(),
                body,
                evidence_ids: ids_json(&new.evidence_ids),
                created_at: now,
            },
        )
        .await?;
        self.schedule_aftersales(&mut tx, &t.store_id, TICKET_DEADLINE, &t.id, due_at)
            .await?;
        self.aftersales_event(&mut tx, &t.store_id, "ticket.opened", &t.id,
            serde_json::json!({"ticket_id": t.id, "order_id": t.order_id, "kind": t.kind.as_str(), "respond_by": crate::instant(due_at)})).await?;
        self.commit(tx).await?;
        self.ticket(actor, &t.id).await
    }

    pub async fn ticket(&self, actor: &Actor, ticket_id: &str) -> ServiceResult<TicketView> {
        let mut c = self.db.reader().await?;
        let t = self.visible_ticket(&mut c, actor, ticket_id).await?;
        let messages = aftersales::messages(&mut c, &t.id).await?;
        let now = self.now_us();
        let buyer_address = t
            .buyer_address
            .clone()
            .filter(|_| t.address_visible_until.is_some_and(|until| now < until));
        Ok(TicketView {
            ticket: t.into(),
            messages: records(messages),
            buyer_address,
        })
    }

    pub async fn tickets(
        &self,
        actor: &Actor,
        store_id: Option<&str>,
        state: Option<&str>,
    ) -> ServiceResult<Vec<Ticket>> {
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store = actor.store_scope(store_id.map(str::to_string))?;
        if let Some(s) = state
            && let Err(m) = s.parse::<TicketState>()
        {
            return Err(Invalid::one("state", m).into());
        }
        let mut c = self.db.reader().await?;
        Ok(records(
            aftersales::tickets(&mut c, store.as_deref(), state, 200).await?,
        ))
    }

    /// Adds a message. The seller's first message answers the ticket (a reshipment ticket
    /// needs the yes/no and, for yes, the tracking number); after the deadline the seller
    /// can still write, but the ticket stays waived.
    pub async fn reply_ticket(
        &self,
        actor: &Actor,
        ticket_id: &str,
        reply: Reply,
    ) -> ServiceResult<TicketView> {
        let mut errors = Invalid::default();
        let body = validation::required_text(&mut errors, "body", &reply.body, 4000);
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let mut t = self.visible_ticket(&mut tx, actor, ticket_id).await?;
        let platform_settles = self
            .require_aftersales_party(&mut tx, actor, &t.store_id)
            .await?;
        self.check_evidence(
            &mut tx,
            actor,
            &t.store_id,
            &reply.evidence_ids,
            "evidence_ids",
        )
        .await?;
        // A fully-managed store's tickets are answered by the platform's staff instead.
        let seller = actor.role.bound_to_store() || platform_settles;
        if !actor.role.writes_in_tickets() {
            return Err(ServiceError::Forbidden(
                "reviewers do not take part in tickets".into(),
            ));
        }
        let now = self.now_us();
        if seller && t.state == TicketState::AwaitingSeller {
            if t.kind == TicketKind::Reshipment {
                let mut errors = Invalid::default();
                match (
                    reply.reshipment_agreed,
                    reply.tracking_number.as_deref().map(str::trim),
                ) {
                    (None, _) => errors.push(
                        "reshipment_agreed",
                        "a reshipment ticket is answered yes or no",
                    ),
                    (Some(true), None | Some("")) => {
                        errors.push("tracking_number", "a reshipment needs its tracking number")
                    }
                    _ => {}
                }
                errors.into_result()?;
                t.reshipment_agreed = reply.reshipment_agreed.map(i64::from);
                t.tracking_number = reply
                    .tracking_number
                    .clone()
                    .filter(|_| reply.reshipment_agreed == Some(true));
            }
            t.state = TicketState::Answered;
            t.answered_at = Some(now);
            t.updated_at = now;
            // End the deadline before touching the subject: the deadline worker locks the
            // deadline row first and the subject second, so taking them in the same order here
            // means the two never wait on each other in a cycle (PostgreSQL would abort one).
            self.end_deadlines(&mut tx, &t.store_id, &t.id, &[TICKET_DEADLINE])
                .await?;
            if !aftersales::update_ticket(&mut tx, &t, TicketState::AwaitingSeller).await? {
                return Err(ServiceError::conflict(
                    "the ticket changed meanwhile; reload it",
                ));
            }
            self.aftersales_event(
                &mut tx,
                &t.store_id,
                "ticket.answered",
                &t.id,
                serde_json::json!({"ticket_id": t.id}),
            )
            .await?;
        }
        aftersales::insert_message(
            &mut tx,
            &MessageRow {
                id: id::new_id(),
                ticket_id: t.id.clone(),
                author_id: actor.user_id.clone(),
                author_role: actor.role.as_str().into(),
                body,
                evidence_ids: ids_json(&reply.evidence_ids),
                created_at: now,
            },
        )
        .await?;
        self.commit(tx).await?;
        self.ticket(actor, &t.id).await
    }

    pub(crate) async fn ticket_timed_out(
        &self,
        c: &mut AnyConnection,
        ticket_id: &str,
    ) -> ServiceResult<()> {
        let Some(mut t) = aftersales::ticket(c, ticket_id).await? else {
            return Ok(());
        };
        if t.state != TicketState::AwaitingSeller {
            return Ok(());
        }
        t.state = TicketState::Waived;
        t.updated_at = self.now_us();
        if !aftersales::update_ticket(c, &t, TicketState::AwaitingSeller).await? {
            return Err(ServiceError::conflict(
                "the ticket was answered while its deadline fired",
            ));
        }
        let mut refunded = None;
        if t.on_timeout == TicketTimeout::FullRefund
            && let Some(line_id) = &t.order_line_id
        {
            let order = orders::get(c, &t.order_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no order"))?;
            let line = orders::lines(c, &order.id)
                .await?
                .into_iter()
                .find(|l| &l.id == line_id)
                .ok_or_else(|| anyhow::anyhow!("no line"))?;
            let mut case = super::new_case(
                &order,
                Some(&line),
                marketdesk_core::aftersales::CaseType::RefundOnly,
                format!("ticket {} not answered in time: evidence waived", t.id),
                super::decimal(&line.amount)?,
                "system",
                self.now_us(),
            );
            case.state = marketdesk_core::aftersales::CaseState::Refunded;
            case.decided_by = Some(marketdesk_core::aftersales::DecidedBy::TicketTimeout);
            aftersales::insert_case(c, &case).await?;
            let total = self
                .refund_rest(c, &case, std::slice::from_ref(&line))
                .await?;
            let mut done = case.clone();
            done.refund_amount = Some(total.to_string());
            if !aftersales::update_case(c, &done, marketdesk_core::aftersales::CaseState::Refunded)
                .await?
            {
                return Err(
                    anyhow::anyhow!("the refund case vanished inside its own transaction").into(),
                );
            }
            refunded = Some((case.id, total));
        }
        self.aftersales_event(
            c,
            &t.store_id,
            "ticket.waived",
            &t.id,
            serde_json::json!({
            "ticket_id": t.id, "refund_case_id": refunded.as_ref().map(|r| r.0.clone()),
            "refunded": refunded.as_ref().map(|r| r.1.to_string())}),
        )
        .await?;
        Ok(())
    }

    async fn visible_ticket(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<TicketRow> {
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        match aftersales::ticket(c, id).await? {
            Some(t) if actor.can_see_store(&t.store_id) && actor.role.handles_aftersales() => Ok(t),
            _ => Err(ServiceError::NotFound(format!("no ticket {id}"))),
        }
    }
}
