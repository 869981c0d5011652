//! After-sales use cases (seed 003): tickets, cases, refunds, refund-only policies, return
//! labels and warehouses, reshipments. Buyers never log in: their side arrives through
//! platform staff (`cs_agent`, `admin`); the seller answers for the store.

pub mod case_decisions;
pub mod cases;
pub mod reshipments;
pub mod settings;
pub mod tickets;
pub mod warehouses;

use std::str::FromStr;

use iso_currency::Currency;
use marketdesk_core::aftersales::{CaseState, CaseType, check_refund};
use marketdesk_core::calendar::Span;
use marketdesk_core::id;
use marketdesk_store::aftersales::{self, CaseRow, RefundRow};
use marketdesk_store::orders::{LineRow, OrderRow};
use marketdesk_store::{catalog, orders};
use rust_decimal::Decimal;
use sqlx::AnyConnection;

use marketdesk_core::deadline::DeadlineKind;

use crate::change::Change;
use crate::{Actor, Service, ServiceError, ServiceResult};

pub const TICKET_ANSWER: DeadlineKind = DeadlineKind::TicketAnswer;
pub const CASE_DECISION: DeadlineKind = DeadlineKind::CaseDecision;
pub const LABEL_UPLOAD: DeadlineKind = DeadlineKind::LabelUpload;
pub const RESHIPMENT_DECISION: DeadlineKind = DeadlineKind::ReshipmentDecision;

/// The buyer's side: platform customer service or an admin.
pub(crate) fn require_platform(actor: &Actor) -> ServiceResult<()> {
    if actor.role.speaks_for_buyers() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "only platform customer service opens this on the buyer's behalf".into(),
        ))
    }
}

/// The seller's side: the store's seller (or an admin acting for it).
pub(crate) fn require_seller_side(actor: &Actor) -> ServiceResult<()> {
    if actor.role.acts_for_store() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "a {} does not answer for the store",
            actor.role.as_str()
        )))
    }
}

pub(crate) fn decimal(text: &str) -> ServiceResult<Decimal> {
    Decimal::from_str(text).map_err(|e| anyhow::anyhow!("stored amount {text}: {e}").into())
}

pub(crate) fn currency(code: &str) -> ServiceResult<Currency> {
    marketdesk_core::money::parse_currency(code)
        .ok_or_else(|| anyhow::anyhow!("unknown currency {code}").into())
}

/// Evidence ids as stored: a JSON array.
pub(crate) fn ids_json(ids: &[String]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

/// A case on an order (and line) asking for `amount`, awaiting the seller, with nothing
/// else decided; callers fill in what their kind of case knows.
pub(crate) fn new_case(
    order: &OrderRow,
    line: Option<&LineRow>,
    case_type: CaseType,
    reason: String,
    amount: Decimal,
    created_by: &str,
    now: i64,
) -> CaseRow {
    CaseRow {
        id: id::new_id(),
        store_id: order.store_id.clone(),
        order_id: order.id.clone(),
        order_line_id: line.map(|l| l.id.clone()),
        case_type,
        state: CaseState::AwaitingSeller,
        reason,
        quantity: None,
        requested_amount: amount.to_string(),
        refund_amount: None,
        currency: order.currency.clone(),
        policy_id: None,
        decided_by: None,
        due_at: None,
        label_mode: None,
        label_due_at: None,
        carrier: None,
        tracking_number: None,
        label_file_id: None,
        warehouse_id: None,
        evidence_ids: "[]".into(),
        note: String::new(),
        created_by: created_by.into(),
        created_at: now,
        updated_at: now,
    }
}

impl Service {
    /// The cases of an order that are not finished yet.
    pub(crate) async fn open_cases(
        &self,
        c: &mut AnyConnection,
        order_id: &str,
    ) -> ServiceResult<Vec<CaseRow>> {
        let all = aftersales::cases(
            c,
            &aftersales::CaseFilter {
                order_id: Some(order_id.into()),
                limit: 1000,
                ..Default::default()
            },
        )
        .await?;
        Ok(all.into_iter().filter(|k| !k.state.is_closed()).collect())
    }

    /// Refuses `amount` if the line has less than that left to refund, naming the field
    /// the caller asked by.
    pub(crate) async fn check_room(
        &self,
        c: &mut AnyConnection,
        line: &LineRow,
        amount: Decimal,
        by_quantity: bool,
    ) -> ServiceResult<()> {
        let (paid, refunded) = self.refundable(c, line).await?;
        let field = if by_quantity { "quantity" } else { "amount" };
        check_refund(paid, refunded, amount)
            .map_err(|m| marketdesk_core::Invalid::one(field, m))?;
        Ok(())
    }

    pub(crate) async fn site_of_store(
        &self,
        c: &mut AnyConnection,
        store_id: &str,
    ) -> ServiceResult<String> {
        Ok(catalog::store(c, store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no store {store_id}"))?
            .site_code)
    }

    /// The deadline instant `span` after now, on the store's site calendar.
    pub(crate) async fn due_for_store(
        &self,
        c: &mut AnyConnection,
        store_id: &str,
        span: Span,
    ) -> ServiceResult<i64> {
        let site = self.site_of_store(c, store_id).await?;
        let calendar = self.site_calendar(c, &site).await?;
        Ok(calendar.due(self.clock.now(), span)?.as_microsecond())
    }

    pub(crate) async fn schedule_aftersales(
        &self,
        c: &mut AnyConnection,
        store_id: &str,
        kind: DeadlineKind,
        subject_id: &str,
        due_at: i64,
    ) -> ServiceResult<()> {
        let change = Change::in_store(store_id).deadline(kind, subject_id, due_at);
        self.record(c, &Actor::system(), change).await
    }

    pub(crate) async fn aftersales_event(
        &self,
        c: &mut AnyConnection,
        store_id: &str,
        event_type: &str,
        subject_id: &str,
        payload: serde_json::Value,
    ) -> ServiceResult<()> {
        // Told as the platform (no one person's preferences apply), but whoever asked for
        // it is on the request's audit row.
        crate::audit::note(
            subject_id,
            event_type,
            serde_json::Value::Null,
            payload.clone(),
        );
        let change = Change::in_store(store_id).event(event_type, subject_id, payload);
        self.record(c, &Actor::system(), change).await
    }

    /// The order and one of its lines (or none), if the actor may see the order.
    pub(crate) async fn order_and_line(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        order_id: &str,
        line_id: Option<&str>,
    ) -> ServiceResult<(OrderRow, Vec<LineRow>, Option<LineRow>)> {
        let order = self.visible_order(c, actor, order_id).await?;
        let lines = orders::lines(c, &order.id).await?;
        let line = match line_id {
            None => None,
            Some(l) => Some(lines.iter().find(|x| x.id == l).cloned().ok_or_else(|| {
                marketdesk_core::Invalid::one("order_line_id", "is not a line of this order")
            })?),
        };
        Ok((order, lines, line))
    }

    /// The order lines a case covers: its one line, the lines of a return of several, or
    /// (a cancellation) every line of the order.
    pub(crate) async fn case_lines(
        &self,
        c: &mut AnyConnection,
        case: &CaseRow,
    ) -> ServiceResult<Vec<LineRow>> {
        let lines = orders::lines(c, &case.order_id).await?;
        if let Some(id) = &case.order_line_id {
            return Ok(lines.into_iter().filter(|l| &l.id == id).collect());
        }
        if case.case_type == CaseType::Cancellation {
            return Ok(lines);
        }
        let ids = aftersales::case_line_ids(c, &case.id).await?;
        Ok(lines.into_iter().filter(|l| ids.contains(&l.id)).collect())
    }

    /// What is still refundable on a line: paid minus every refund so far.
    pub(crate) async fn refundable(
        &self,
        c: &mut AnyConnection,
        line: &LineRow,
    ) -> ServiceResult<(Decimal, Decimal)> {
        let paid = decimal(&line.amount)?;
        let mut refunded = Decimal::ZERO;
        for r in aftersales::refunds_of_order(c, &line.order_id).await? {
            if r.order_line_id == line.id {
                refunded += decimal(&r.amount)?;
            }
        }
        Ok((paid, refunded))
    }

    /// Pays `amount` back on a line for a case, never past what was paid: the order's
    /// row lock makes concurrent refunds on one order take turns.
    pub(crate) async fn refund_line(
        &self,
        c: &mut AnyConnection,
        case: &CaseRow,
        line: &LineRow,
        amount: Decimal,
        field: &str,
    ) -> ServiceResult<()> {
        aftersales::lock_order(c, &line.order_id, self.now_us()).await?;
        let (paid, refunded) = self.refundable(c, line).await?;
        check_refund(paid, refunded, amount)
            .map_err(|m| marketdesk_core::Invalid::one(field, m))?;
        aftersales::insert_refund(
            c,
            &RefundRow {
                id: id::new_id(),
                store_id: case.store_id.clone(),
                case_id: case.id.clone(),
                order_id: line.order_id.clone(),
                order_line_id: line.id.clone(),
                amount: amount.to_string(),
                currency: case.currency.clone(),
                created_at: self.now_us(),
            },
        )
        .await?;
        Ok(())
    }

    /// Refunds what is left on each of `lines`; returns the total paid back.
    pub(crate) async fn refund_rest(
        &self,
        c: &mut AnyConnection,
        case: &CaseRow,
        lines: &[LineRow],
    ) -> ServiceResult<Decimal> {
        let mut total = Decimal::ZERO;
        for line in lines {
            // Read under the order's lock, which the first refund_line below takes.
            aftersales::lock_order(c, &line.order_id, self.now_us()).await?;
            let (paid, refunded) = self.refundable(c, line).await?;
            let left = paid - refunded;
            if left > Decimal::ZERO {
                self.refund_line(c, case, line, left, "amount").await?;
                total += left;
            }
        }
        Ok(total)
    }
}
