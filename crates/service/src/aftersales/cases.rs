//! After-sales cases (售后单): return-and-refund, refund-only, cancellation before
//! shipment, missing parts, not received, and the seller's negotiated partial refund.

use std::collections::HashMap;

use marketdesk_core::aftersales::{
    self as rules, CaseState, CaseType, DecidedBy, LABEL_UPLOAD as LABEL_SPAN, LabelMode,
    RefundPolicy, refund_for_quantity, return_mode, settle_by_policy,
};
use marketdesk_core::money::Money;
use marketdesk_core::{Invalid, validation};
use marketdesk_store::aftersales::{self, CaseFilter, CaseRow};
use marketdesk_store::orders::{LineRow, OrderRow};
use rust_decimal::Decimal;
use sqlx::AnyConnection;

use super::{CASE_DECISION, LABEL_UPLOAD, currency, decimal, ids_json, require_platform};
use crate::records::{AftersalesCase, Refund, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// A buyer's request, brought by customer service.
pub struct NewCase {
    pub order_id: String,
    pub case_type: String,
    pub order_line_id: Option<String>,
    /// A return of several lines of the order, each taken back whole (instead of
    /// `order_line_id`).
    pub order_line_ids: Vec<String>,
    pub reason: String,
    pub quantity: Option<i64>,
    pub amount: Option<String>,
    /// Return-and-refund of a parcel the platform cannot buy a label for.
    pub oversize: bool,
    pub evidence_ids: Vec<String>,
    pub note: String,
}

/// The seller's decision on a case awaiting it, or on returned goods after inspection.
pub struct Decision {
    pub approve: bool,
    /// A partial refund: by quantity or by amount (at most one).
    pub quantity: Option<i64>,
    pub amount: Option<String>,
    pub evidence_ids: Vec<String>,
    pub note: String,
}

pub struct NegotiatedRefund {
    pub order_id: String,
    pub order_line_id: String,
    pub quantity: Option<i64>,
    pub amount: Option<String>,
    pub evidence_ids: Vec<String>,
    pub note: String,
    /// The second confirmation: without it nothing is stored and the answer is a preview.
    pub confirm: bool,
}

pub struct CaseView {
    pub case: AftersalesCase,
    /// The order lines the case covers (none for a cancellation: the whole order).
    pub line_ids: Vec<String>,
    pub refunds: Vec<Refund>,
}

/// Lines one return may cover: an order has at most this many.
const MAX_CASE_LINES: usize = 50;

#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    pub store_id: Option<String>,
    pub case_type: Option<String>,
    pub state: Option<String>,
    pub order_id: Option<String>,
    pub due_before: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// The amount a request or decision names: a quantity of the line or an amount, not both.
pub(super) fn requested(
    errors: &mut Invalid,
    line: &LineRow,
    quantity: Option<i64>,
    amount: Option<&str>,
    cur: iso_currency::Currency,
) -> Option<Decimal> {
    let paid = Decimal::from_str_exact(&line.amount).ok()?;
    match (quantity, amount) {
        (Some(_), Some(_)) => {
            errors.push("amount", "give a quantity or an amount, not both");
            None
        }
        (Some(q), None) => refund_for_quantity(paid, line.quantity, q, cur)
            .map_err(|m| errors.push("quantity", m))
            .ok(),
        (None, Some(a)) => match Money::parse_price(a, cur) {
            Ok(m) if m.amount > Decimal::ZERO => Some(m.amount),
            Ok(_) => {
                errors.push("amount", "must be more than zero");
                None
            }
            Err(m) => {
                errors.push("amount", m);
                None
            }
        },
        (None, None) => Some(paid),
    }
}

impl Service {
    pub async fn open_case(&self, actor: &Actor, new: NewCase) -> ServiceResult<CaseView> {
        require_platform(actor)?;
        let mut errors = Invalid::default();
        let kind = match new.case_type.parse::<CaseType>() {
            Ok(CaseType::Negotiated) => {
                errors.push("case_type", "negotiated refunds are started by the seller");
                None
            }
            Ok(k) => Some(k),
            Err(m) => {
                errors.push("case_type", m);
                None
            }
        };
        let reason = validation::required_text(&mut errors, "reason", &new.reason, 200);
        if matches!(kind, Some(CaseType::ReturnRefund | CaseType::RefundOnly))
            && !rules::RETURN_REASONS.contains(&reason.as_str())
        {
            errors.push(
                "reason",
                format!("must be one of {}", rules::RETURN_REASONS.join(", ")),
            );
        }
        let several = !new.order_line_ids.is_empty();
        if several {
            if kind.is_some_and(|k| k != CaseType::ReturnRefund) {
                errors.push(
                    "order_line_ids",
                    "only a return-and-refund covers several lines",
                );
            }
            if new.order_line_id.is_some() {
                errors.push(
                    "order_line_id",
                    "give order_line_id or order_line_ids, not both",
                );
            }
            if new.quantity.is_some() || new.amount.is_some() {
                errors.push(
                    "quantity",
                    "a return of several lines takes each line back whole",
                );
            }
            if new.order_line_ids.len() > MAX_CASE_LINES {
                errors.push("order_line_ids", format!("at most {MAX_CASE_LINES} lines"));
            }
            for (i, id) in new.order_line_ids.iter().enumerate() {
                if new.order_line_ids[..i].contains(id) {
                    errors.push(format!("order_line_ids[{i}]"), "appears twice");
                }
            }
        } else if kind.is_some_and(|k| k != CaseType::Cancellation) && new.order_line_id.is_none() {
            errors.push("order_line_id", "this case is about one order line");
        }
        errors.into_result()?;
        let kind = kind.expect("validated");
        let mut tx = self.db.begin().await?;
        // Cases on one order are opened one at a time (PostgreSQL; SQLite has one writer),
        // the lock taken before the order is read: its state, the open-case check and the
        // refunds below see what a concurrent request just wrote, and no row referring to
        // the order is written before its lock. Taken later, sixteen concurrent refunds on
        // one line made PostgreSQL 15 fail one with "new multixact has more than one
        // updating member" (key-share locks from the inserts' foreign keys, then each
        // transaction's update of the order). The id as stored (ids are read in any case).
        if let Some(order_id) = marketdesk_core::id::parse_id(&new.order_id) {
            aftersales::lock_order(&mut tx, &order_id, self.now_us()).await?;
        }
        let (order, lines, line) = self
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
        let cur = currency(&order.currency)?;
        rules::order_allows(kind, order.state).map_err(ServiceError::conflict)?;
        let mut errors = Invalid::default();
        let mut covered: Vec<LineRow> = Vec::new();
        for (i, id) in new.order_line_ids.iter().enumerate() {
            match lines.iter().find(|l| &l.id == id) {
                Some(l) => covered.push(l.clone()),
                None => errors.push(
                    format!("order_line_ids[{i}]"),
                    "is not a line of this order",
                ),
            }
        }
        errors.into_result()?;
        let mine: Vec<String> = match &line {
            Some(l) => vec![l.id.clone()],
            None => covered.iter().map(|l| l.id.clone()).collect(),
        };
        for open in self.open_cases(&mut tx, &order.id).await? {
            let theirs = self.case_lines(&mut tx, &open).await?;
            let overlaps = match (mine.is_empty(), open.case_type == CaseType::Cancellation) {
                (true, _) | (_, true) => open.case_type == kind,
                _ => open.case_type == kind && theirs.iter().any(|t| mine.contains(&t.id)),
            };
            if overlaps {
                return Err(ServiceError::conflict(format!(
                    "case {} for this is still open",
                    open.id
                )));
            }
        }
        let mut errors = Invalid::default();
        let amount = match &line {
            Some(l) => requested(&mut errors, l, new.quantity, new.amount.as_deref(), cur),
            None if several => {
                // Each line back whole: what is still refundable on it.
                let mut total = Decimal::ZERO;
                for (i, l) in covered.iter().enumerate() {
                    let (paid, refunded) = self.refundable(&mut tx, l).await?;
                    if paid <= refunded {
                        errors.push(
                            format!("order_line_ids[{i}]"),
                            "was refunded in full already",
                        );
                    }
                    total += paid - refunded;
                }
                Some(total)
            }
            None => {
                let mut total = Decimal::ZERO;
                for l in &lines {
                    total += decimal(&l.amount)?;
                }
                Some(total)
            }
        };
        errors.into_result()?;
        let amount = amount.expect("validated");
        if let Some(l) = &line {
            self.check_room(&mut tx, l, amount, new.quantity.is_some())
                .await?;
        }
        let now = self.now_us();
        let mut case = super::new_case(
            &order,
            line.as_ref(),
            kind,
            reason,
            amount,
            &actor.user_id,
            now,
        );
        case.quantity = new.quantity;
        case.evidence_ids = ids_json(&new.evidence_ids);
        case.note = new.note.trim().to_string();
        // A matching refund-only policy settles a refund-only or return request at once,
        // without the goods coming back.
        let policies: Vec<RefundPolicy> = aftersales::policies(&mut tx, &order.store_id)
            .await?
            .into_iter()
            .filter_map(|p| {
                Some(RefundPolicy {
                    id: p.id,
                    reason: p.reason,
                    ceiling: decimal(&p.ceiling).ok()?,
                    ratio_percent: p.ratio,
                })
            })
            .collect();
        let settled = match kind {
            // A policy settles one line's request; several lines go to the seller.
            CaseType::ReturnRefund | CaseType::RefundOnly if !several => {
                settle_by_policy(&policies, &case.reason, amount, cur)
                    .map(|(p, pays)| (p.id.clone(), pays))
            }
            _ => None,
        };
        aftersales::insert_case(&mut tx, &case).await?;
        aftersales::insert_case_lines(&mut tx, &case.id, &case.store_id, &new.order_line_ids)
            .await?;
        let from = case.state;
        if let Some((policy_id, pays)) = settled {
            let line = line.clone().expect("validated");
            self.refund_line(&mut tx, &case, &line, pays, "amount")
                .await?;
            case.state = CaseState::Refunded;
            case.policy_id = Some(policy_id);
            case.decided_by = Some(DecidedBy::Policy);
            case.refund_amount = Some(pays.to_string());
        } else if let Some(span) = kind.decision_span() {
            let due = self.due_for_store(&mut tx, &order.store_id, span).await?;
            case.due_at = Some(due);
            self.schedule_aftersales(&mut tx, &order.store_id, CASE_DECISION, &case.id, due)
                .await?;
        } else if kind == CaseType::ReturnRefund {
            self.start_return(&mut tx, &order, &mut case, new.oversize)
                .await?;
        }
        case.updated_at = now;
        if !aftersales::update_case(&mut tx, &case, from).await? {
            return Err(
                anyhow::anyhow!("a case changed inside its own opening transaction").into(),
            );
        }
        self.aftersales_event(&mut tx, &case.store_id, "aftersales.opened", &case.id, serde_json::json!({
            "case_id": case.id, "order_id": case.order_id, "case_type": case.case_type.as_str(), "state": case.state.as_str(),
            "respond_by": case.due_at.or(case.label_due_at).map(crate::instant)})).await?;
        self.commit(tx).await?;
        self.case(actor, &case.id).await
    }

    /// Label and warehouse for a return: the platform buys the label where it can (not
    /// for oversize parcels); otherwise the seller uploads one within a business day if it
    /// can, or the buyer sends the parcel back at their own cost.
    async fn start_return(
        &self,
        tx: &mut AnyConnection,
        order: &OrderRow,
        case: &mut CaseRow,
        oversize: bool,
    ) -> ServiceResult<()> {
        let site = self.site_of_store(tx, &order.store_id).await?;
        let mode = return_mode(&site);
        let uploads = aftersales::settings(tx, &order.store_id)
            .await?
            .is_some_and(|s| s.uploads_labels != 0);
        let (label, state) = rules::choose_label(mode, oversize, uploads);
        case.label_mode = Some(label);
        case.state = state;
        if label == LabelMode::Seller {
            let due = self.due_for_store(tx, &order.store_id, LABEL_SPAN).await?;
            case.label_due_at = Some(due);
            self.schedule_aftersales(tx, &order.store_id, LABEL_UPLOAD, &case.id, due)
                .await?;
        }
        // Routed as a whole: to the warehouse every product of the return is associated
        // with, else everything to the default one (seed 003).
        let covered = self.case_lines(tx, case).await?;
        let products: Vec<&str> = covered.iter().map(|l| l.product_id.as_str()).collect();
        case.warehouse_id = self
            .route_return(tx, &order.store_id, &site, uploads, &products)
            .await?;
        Ok(())
    }

    pub async fn case(&self, actor: &Actor, case_id: &str) -> ServiceResult<CaseView> {
        let mut c = self.db.reader().await?;
        let case = self.visible_aftersales_case(&mut c, actor, case_id).await?;
        let refunds = aftersales::refunds_of_order(&mut c, &case.order_id)
            .await?
            .into_iter()
            .filter(|r| r.case_id == case.id)
            .collect();
        let line_ids = match case.case_type {
            CaseType::Cancellation => Vec::new(),
            _ => self
                .case_lines(&mut c, &case)
                .await?
                .into_iter()
                .map(|l| l.id)
                .collect(),
        };
        Ok(CaseView {
            case: case.into(),
            line_ids,
            refunds: records(refunds),
        })
    }

    pub async fn cases(
        &self,
        actor: &Actor,
        q: CaseQuery,
    ) -> ServiceResult<(Vec<AftersalesCase>, Option<String>)> {
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let mut errors = Invalid::default();
        let limit = crate::paging::limit(&mut errors, q.limit);
        let before = crate::paging::cursor(&mut errors, q.cursor.as_deref());
        if let Some(t) = &q.case_type
            && t.parse::<CaseType>().is_err()
        {
            errors.push("type", t.parse::<CaseType>().err().unwrap_or_default());
        }
        if let Some(s) = &q.state
            && let Err(m) = s.parse::<CaseState>()
        {
            errors.push("state", m);
        }
        let due_before = match &q.due_before {
            Some(t) => match t.parse::<jiff::Timestamp>() {
                Ok(t) => Some(t.as_microsecond()),
                Err(_) => {
                    errors.push("due_before", "must be an RFC 3339 instant");
                    None
                }
            },
            None => None,
        };
        errors.into_result()?;
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store_id = actor.store_scope(q.store_id)?;
        if !actor.role.handles_aftersales() {
            return Err(ServiceError::Forbidden(
                "after-sales is customer service's and the store's".into(),
            ));
        }
        let mut c = self.db.reader().await?;
        let mut rows = aftersales::cases(
            &mut c,
            &CaseFilter {
                store_id,
                case_type: q.case_type,
                state: q.state,
                order_id: q.order_id,
                due_before,
                before,
                limit: limit + 1,
            },
        )
        .await?;
        let next = crate::paging::next(&mut rows, limit, |r| &r.id);
        Ok((records(rows), next))
    }

    pub(super) async fn visible_aftersales_case(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<CaseRow> {
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        match aftersales::case(c, id).await? {
            Some(k) if actor.can_see_store(&k.store_id) && actor.role.handles_aftersales() => Ok(k),
            _ => Err(ServiceError::NotFound(format!("no after-sales case {id}"))),
        }
    }
}

/// Helper for routing: product → warehouses, in association order.
pub(crate) fn association_map(pairs: Vec<(String, String)>) -> HashMap<String, Vec<String>> {
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    for (p, w) in pairs {
        m.entry(p).or_default().push(w);
    }
    m
}

#[derive(Debug, Clone, Default)]
pub struct RefundQuery {
    pub store_id: Option<String>,
    pub order_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

impl Service {
    /// Refunds newest first: a store's for its seller, any store's for customer service.
    pub async fn refunds(
        &self,
        actor: &Actor,
        q: RefundQuery,
    ) -> ServiceResult<(Vec<Refund>, Option<String>)> {
        let mut errors = Invalid::default();
        let limit = crate::paging::limit(&mut errors, q.limit);
        let before = crate::paging::cursor(&mut errors, q.cursor.as_deref());
        errors.into_result()?;
        if !actor.role.handles_aftersales() {
            return Err(ServiceError::Forbidden(
                "after-sales is customer service's and the store's".into(),
            ));
        }
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
        let store_id = actor.store_scope(q.store_id)?;
        let mut c = self.db.reader().await?;
        let mut rows = aftersales::refunds_page(
            &mut c,
            store_id.as_deref(),
            q.order_id.as_deref(),
            before.as_deref(),
            limit + 1,
        )
        .await?;
        let next = crate::paging::next(&mut rows, limit, |r| &r.id);
        Ok((records(rows), next))
    }
}
