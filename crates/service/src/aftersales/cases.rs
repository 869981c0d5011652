//! After-sales cases (售后单): return-and-refund, refund-only, cancellation before
//! shipment, missing parts, not received, and the seller's negotiated partial refund.

use std::collections::HashMap;

use marketdesk_core::aftersales::{
    self as rules, CaseType, LABEL_UPLOAD as LABEL_SPAN, RefundPolicy, refund_for_quantity,
    return_mode, settle_by_policy,
};
use marketdesk_core::money::Money;
use marketdesk_core::{Invalid, Role, validation};
use marketdesk_store::aftersales::{self, CaseFilter, CaseRow, RefundRow};
use marketdesk_store::orders::{self, LineRow, OrderRow};
use marketdesk_store::{deadlines, evidence};
use rust_decimal::Decimal;
use sqlx::AnyConnection;

use super::{
    CASE_DECISION, LABEL_UPLOAD, currency, decimal, ids_json, require_platform, require_seller_side,
};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// States in which a case is finished.
pub const CLOSED: &[&str] = &["refunded", "rejected", "cancelled"];
pub const STATES: &[&str] = &[
    "awaiting_seller",
    "awaiting_label",
    "awaiting_return",
    "returned",
    "refunded",
    "rejected",
    "cancelled",
];

/// A buyer's request, brought by customer service.
pub struct NewCase {
    pub order_id: String,
    pub case_type: String,
    pub order_line_id: Option<String>,
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
    pub case: CaseRow,
    pub refunds: Vec<RefundRow>,
}

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
fn requested(
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
        if kind.is_some_and(|k| k != CaseType::Cancellation) && new.order_line_id.is_none() {
            errors.push("order_line_id", "this case is about one order line");
        }
        errors.into_result()?;
        let kind = kind.expect("validated");
        let mut tx = self.db.begin().await?;
        let (order, lines, line) = self
            .order_and_line(&mut tx, actor, &new.order_id, new.order_line_id.as_deref())
            .await?;
        self.check_evidence(&mut tx, &order.store_id, &new.evidence_ids, "evidence_ids")
            .await?;
        let cur = currency(&order.currency)?;
        let state_ok = match kind {
            CaseType::Cancellation => order.state == "placed",
            _ => matches!(order.state.as_str(), "shipped" | "delivered"),
        };
        if !state_ok {
            return Err(ServiceError::conflict(format!(
                "a {} case does not apply to a {} order",
                kind.as_str(),
                order.state
            )));
        }
        if let Some(open) = self
            .open_cases(&mut tx, &order.id)
            .await?
            .into_iter()
            .find(|c| {
                c.order_line_id == line.as_ref().map(|l| l.id.clone())
                    && c.case_type == kind.as_str()
            })
        {
            return Err(ServiceError::conflict(format!(
                "case {} for this is still open",
                open.id
            )));
        }
        let mut errors = Invalid::default();
        let amount = match &line {
            Some(l) => requested(&mut errors, l, new.quantity, new.amount.as_deref(), cur),
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
            kind.as_str(),
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
            CaseType::ReturnRefund | CaseType::RefundOnly => {
                settle_by_policy(&policies, &case.reason, amount, cur)
                    .map(|(p, pays)| (p.id.clone(), pays))
            }
            _ => None,
        };
        aftersales::insert_case(&mut tx, &case).await?;
        let from = case.state.clone();
        if let Some((policy_id, pays)) = settled {
            let line = line.clone().expect("validated");
            self.refund_line(&mut tx, &case, &line, pays, "amount")
                .await?;
            case.state = "refunded".into();
            case.policy_id = Some(policy_id);
            case.decided_by = Some("policy".into());
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
        aftersales::update_case(&mut tx, &case, &from).await?;
        self.aftersales_event(&mut tx, &case.store_id, "aftersales.opened", &case.id, serde_json::json!({
            "case_id": case.id, "order_id": case.order_id, "case_type": case.case_type, "state": case.state,
            "respond_by": case.due_at.or(case.label_due_at).map(crate::instant)})).await?;
        tx.commit().await?;
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
        if mode.platform_buys_labels && !oversize {
            case.label_mode = Some("platform".into());
            case.state = "awaiting_return".into();
        } else if uploads {
            case.label_mode = Some("seller".into());
            case.state = "awaiting_label".into();
            let due = self.due_for_store(tx, &order.store_id, LABEL_SPAN).await?;
            case.label_due_at = Some(due);
            self.schedule_aftersales(tx, &order.store_id, LABEL_UPLOAD, &case.id, due)
                .await?;
        } else {
            case.label_mode = Some("buyer".into());
            case.state = "awaiting_return".into();
        }
        let line = orders::lines(tx, &order.id).await?;
        let products: Vec<&str> = line
            .iter()
            .filter(|l| Some(&l.id) == case.order_line_id.as_ref())
            .map(|l| l.product_id.as_str())
            .collect();
        case.warehouse_id = self
            .route_return(tx, &order.store_id, &site, uploads, &products)
            .await?;
        Ok(())
    }

    /// The seller uploads the return label: a carrier the site supports, the tracking
    /// number, and the label itself as an uploaded PDF.
    pub async fn upload_label(
        &self,
        actor: &Actor,
        case_id: &str,
        carrier: &str,
        tracking_number: &str,
        file_id: &str,
    ) -> ServiceResult<CaseView> {
        require_seller_side(actor)?;
        let mut tx = self.db.begin().await?;
        let mut case = self
            .visible_aftersales_case(&mut tx, actor, case_id)
            .await?;
        if case.state != "awaiting_label" {
            return Err(ServiceError::conflict(format!(
                "the case is {}; no label is awaited",
                case.state
            )));
        }
        let site = self.site_of_store(&mut tx, &case.store_id).await?;
        let mut errors = Invalid::default();
        if !rules::carriers(&site).contains(&carrier) {
            errors.push(
                "carrier",
                format!(
                    "must be one of the {site} site's carriers: {}",
                    rules::carriers(&site).join(", ")
                ),
            );
        }
        let tracking =
            validation::required_text(&mut errors, "tracking_number", tracking_number, 64);
        let file = evidence::by_ids(&mut tx, &[file_id.to_string()]).await?;
        match file.first() {
            Some(f) if f.store_id.as_deref().is_none_or(|s| s == case.store_id) => {
                if f.content_type != "application/pdf" {
                    errors.push(
                        "file_id",
                        format!("a label is a PDF, not {}", f.content_type),
                    );
                }
            }
            _ => errors.push("file_id", "no uploaded file with this id for this store"),
        }
        errors.into_result()?;
        case.carrier = Some(carrier.into());
        case.tracking_number = Some(tracking);
        case.label_file_id = Some(file_id.into());
        case.state = "awaiting_return".into();
        case.updated_at = self.now_us();
        if !aftersales::update_case(&mut tx, &case, "awaiting_label").await? {
            return Err(ServiceError::conflict(
                "the case changed meanwhile; reload it",
            ));
        }
        deadlines::cancel(&mut tx, &case.id, LABEL_UPLOAD).await?;
        tx.commit().await?;
        self.case(actor, &case.id).await
    }

    /// Platform steps on a return: the parcel arrived (`received`), the seller's label was
    /// found invalid (`label_invalid`: full refund without return), or the buyer withdrew
    /// (`cancel`).
    pub async fn case_platform_step(
        &self,
        actor: &Actor,
        case_id: &str,
        step: &str,
    ) -> ServiceResult<CaseView> {
        require_platform(actor)?;
        let mut tx = self.db.begin().await?;
        let mut case = self
            .visible_aftersales_case(&mut tx, actor, case_id)
            .await?;
        let from = case.state.clone();
        match step {
            "received" if case.state == "awaiting_return" => case.state = "returned".into(),
            "label_invalid"
                if case.label_mode.as_deref() == Some("seller")
                    && matches!(case.state.as_str(), "awaiting_label" | "awaiting_return") =>
            {
                self.full_refund_without_return(&mut tx, &mut case, "invalid_label")
                    .await?;
            }
            "cancel" if !CLOSED.contains(&case.state.as_str()) => case.state = "cancelled".into(),
            "received" | "label_invalid" | "cancel" => {
                return Err(ServiceError::conflict(format!(
                    "a {} case that is {} cannot take this step",
                    case.case_type, case.state
                )));
            }
            other => return Err(Invalid::one("step", format!("unknown step {other}")).into()),
        }
        case.updated_at = self.now_us();
        if !aftersales::update_case(&mut tx, &case, &from).await? {
            return Err(ServiceError::conflict(
                "the case changed meanwhile; reload it",
            ));
        }
        if CLOSED.contains(&case.state.as_str()) {
            deadlines::cancel(&mut tx, &case.id, LABEL_UPLOAD).await?;
            deadlines::cancel(&mut tx, &case.id, CASE_DECISION).await?;
        }
        self.aftersales_event(
            &mut tx,
            &case.store_id,
            &format!("aftersales.{step}"),
            &case.id,
            serde_json::json!({"case_id": case.id, "state": case.state}),
        )
        .await?;
        tx.commit().await?;
        self.case(actor, &case.id).await
    }

    async fn full_refund_without_return(
        &self,
        tx: &mut AnyConnection,
        case: &mut CaseRow,
        by: &str,
    ) -> ServiceResult<()> {
        let line = self.case_line(tx, case).await?;
        let total = self
            .refund_rest(tx, case, std::slice::from_ref(&line))
            .await?;
        case.state = "refunded".into();
        case.decided_by = Some(by.into());
        case.refund_amount = Some(total.to_string());
        Ok(())
    }

    async fn case_line(&self, c: &mut AnyConnection, case: &CaseRow) -> ServiceResult<LineRow> {
        let line_id = case
            .order_line_id
            .clone()
            .ok_or_else(|| anyhow::anyhow!("case without line"))?;
        orders::lines(c, &case.order_id)
            .await?
            .into_iter()
            .find(|l| l.id == line_id)
            .ok_or_else(|| anyhow::anyhow!("line {line_id} is gone").into())
    }

    /// The seller decides a case awaiting it, or inspects returned goods: approve (in full,
    /// or partly by quantity or amount) or reject (with the evidence the type requires).
    pub async fn decide_case(
        &self,
        actor: &Actor,
        case_id: &str,
        d: Decision,
    ) -> ServiceResult<CaseView> {
        require_seller_side(actor)?;
        let mut tx = self.db.begin().await?;
        let mut case = self
            .visible_aftersales_case(&mut tx, actor, case_id)
            .await?;
        let kind: CaseType = case
            .case_type
            .parse()
            .map_err(|m: String| anyhow::anyhow!(m))?;
        let decidable = match kind {
            CaseType::ReturnRefund => case.state == "returned",
            _ => case.state == "awaiting_seller",
        };
        if !decidable {
            return Err(ServiceError::conflict(format!(
                "the {} case is {}; the seller cannot decide it now",
                kind.as_str(),
                case.state
            )));
        }
        self.check_evidence(&mut tx, &case.store_id, &d.evidence_ids, "evidence_ids")
            .await?;
        let from = case.state.clone();
        if d.approve {
            self.approve(
                &mut tx,
                &mut case,
                d.quantity,
                d.amount.as_deref(),
                "seller",
            )
            .await?;
        } else {
            if kind.rejection_needs_evidence() && d.evidence_ids.is_empty() {
                return Err(Invalid::one(
                    "evidence_ids",
                    format!("rejecting a {} claim needs evidence", kind.as_str()),
                )
                .into());
            }
            if kind == CaseType::ReturnRefund && d.evidence_ids.is_empty() {
                return Err(Invalid::one(
                    "evidence_ids",
                    "refusing returned goods needs inspection evidence",
                )
                .into());
            }
            case.state = "rejected".into();
            case.decided_by = Some("seller".into());
        }
        let mut ids: Vec<String> = serde_json::from_str(&case.evidence_ids).unwrap_or_default();
        ids.extend(d.evidence_ids);
        case.evidence_ids = ids_json(&ids);
        if !d.note.trim().is_empty() {
            case.note = d.note.trim().to_string();
        }
        case.updated_at = self.now_us();
        if !aftersales::update_case(&mut tx, &case, &from).await? {
            return Err(ServiceError::conflict(
                "the case changed meanwhile; reload it",
            ));
        }
        deadlines::cancel(&mut tx, &case.id, CASE_DECISION).await?;
        self.aftersales_event(
            &mut tx,
            &case.store_id,
            "aftersales.decided",
            &case.id,
            serde_json::json!({
            "case_id": case.id, "state": case.state, "refund": case.refund_amount}),
        )
        .await?;
        tx.commit().await?;
        self.case(actor, &case.id).await
    }

    /// Approves a case: a cancellation cancels the order (stock released) and refunds it
    /// in full; a line case refunds the requested amount or the partial one given.
    async fn approve(
        &self,
        tx: &mut AnyConnection,
        case: &mut CaseRow,
        quantity: Option<i64>,
        amount: Option<&str>,
        by: &str,
    ) -> ServiceResult<()> {
        let order = orders::get(tx, &case.order_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no order"))?;
        let total = if case.case_type == CaseType::Cancellation.as_str() {
            let lines = orders::lines(tx, &order.id).await?;
            self.step_order_in(tx, &crate::Actor::system(), order, "cancelled")
                .await?;
            self.refund_rest(tx, case, &lines).await?
        } else {
            let line = self.case_line(tx, case).await?;
            let cur = currency(&case.currency)?;
            let mut errors = Invalid::default();
            let pays = if quantity.is_none() && amount.is_none() {
                Some(decimal(&case.requested_amount)?)
            } else {
                requested(&mut errors, &line, quantity, amount, cur)
            };
            errors.into_result()?;
            let pays = pays.expect("validated");
            let field = if quantity.is_some() {
                "quantity"
            } else {
                "amount"
            };
            self.refund_line(tx, case, &line, pays, field).await?;
            pays
        };
        case.state = "refunded".into();
        case.decided_by = Some(by.into());
        case.refund_amount = Some(total.to_string());
        Ok(())
    }

    pub(crate) async fn case_decision_timed_out(
        &self,
        c: &mut AnyConnection,
        case_id: &str,
    ) -> ServiceResult<()> {
        let Some(mut case) = aftersales::case(c, case_id).await? else {
            return Ok(());
        };
        if case.state != "awaiting_seller" {
            return Ok(());
        }
        self.approve(c, &mut case, None, None, "timeout").await?;
        case.updated_at = self.now_us();
        aftersales::update_case(c, &case, "awaiting_seller").await?;
        self.aftersales_event(
            c,
            &case.store_id,
            "aftersales.approved_on_timeout",
            &case.id,
            serde_json::json!({
            "case_id": case.id, "refund": case.refund_amount}),
        )
        .await?;
        Ok(())
    }

    pub(crate) async fn label_timed_out(
        &self,
        c: &mut AnyConnection,
        case_id: &str,
    ) -> ServiceResult<()> {
        let Some(mut case) = aftersales::case(c, case_id).await? else {
            return Ok(());
        };
        if case.state != "awaiting_label" {
            return Ok(());
        }
        self.full_refund_without_return(c, &mut case, "label_timeout")
            .await?;
        case.updated_at = self.now_us();
        aftersales::update_case(c, &case, "awaiting_label").await?;
        self.aftersales_event(
            c,
            &case.store_id,
            "aftersales.label_missed",
            &case.id,
            serde_json::json!({
            "case_id": case.id, "refund": case.refund_amount}),
        )
        .await?;
        Ok(())
    }

    /// 协商部分退款: the seller refunds part of a line as agreed with the buyer. Without
    /// `confirm` the answer is the preview and nothing is stored.
    pub async fn negotiated_refund(
        &self,
        actor: &Actor,
        store_id: &str,
        n: NegotiatedRefund,
    ) -> ServiceResult<(bool, CaseView)> {
        require_seller_side(actor)?;
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        let enabled = aftersales::settings(&mut tx, &store.id)
            .await?
            .is_some_and(|s| s.negotiated_enabled != 0);
        if !enabled {
            return Err(ServiceError::Forbidden("negotiated partial refunds are not enabled for this store; the platform enables them on request".into()));
        }
        let (order, _, line) = self
            .order_and_line(&mut tx, actor, &n.order_id, Some(&n.order_line_id))
            .await?;
        if order.store_id != store.id {
            return Err(Invalid::one("order_id", "is not an order of this store").into());
        }
        let line = line.expect("asked for");
        let cur = currency(&order.currency)?;
        let mut errors = Invalid::default();
        if n.quantity.is_none() && n.amount.is_none() {
            errors.push("amount", "name the quantity or the amount agreed");
        }
        let pays = requested(&mut errors, &line, n.quantity, n.amount.as_deref(), cur);
        if n.evidence_ids.is_empty() {
            errors.push(
                "evidence_ids",
                "attach the agreement with the buyer (e.g. the chat)",
            );
        }
        let note = validation::required_text(&mut errors, "note", &n.note, 1000);
        errors.into_result()?;
        self.check_evidence(&mut tx, &store.id, &n.evidence_ids, "evidence_ids")
            .await?;
        if let Some(open) = self
            .open_cases(&mut tx, &order.id)
            .await?
            .into_iter()
            .find(|c| c.case_type == "return_refund")
        {
            return Err(ServiceError::conflict(format!(
                "return case {} is open on this order; it must be cancelled before a negotiated refund",
                open.id
            )));
        }
        let pays = pays.expect("validated");
        self.check_room(&mut tx, &line, pays, n.quantity.is_some())
            .await?;
        let now = self.now_us();
        let mut case = super::new_case(
            &order,
            Some(&line),
            CaseType::Negotiated.as_str(),
            "agreed_with_buyer".into(),
            pays,
            &actor.user_id,
            now,
        );
        case.state = "refunded".into();
        case.quantity = n.quantity;
        case.refund_amount = Some(pays.to_string());
        case.decided_by = Some("seller".into());
        case.evidence_ids = ids_json(&n.evidence_ids);
        case.note = note;
        if !n.confirm {
            case.id = String::new();
            return Ok((
                false,
                CaseView {
                    case,
                    refunds: Vec::new(),
                },
            ));
        }
        aftersales::insert_case(&mut tx, &case).await?;
        self.refund_line(&mut tx, &case, &line, pays, "amount")
            .await?;
        self.aftersales_event(&mut tx, &case.store_id, "aftersales.negotiated_refund", &case.id, serde_json::json!({
            "case_id": case.id, "order_id": case.order_id, "refund": pays.to_string(), "buyer_note": "Refund agreed with the buyer"})).await?;
        tx.commit().await?;
        Ok((true, self.case(actor, &case.id).await?))
    }

    pub async fn case(&self, actor: &Actor, case_id: &str) -> ServiceResult<CaseView> {
        let mut c = self.db.reader().await?;
        let case = self.visible_aftersales_case(&mut c, actor, case_id).await?;
        let refunds = aftersales::refunds_of_order(&mut c, &case.order_id)
            .await?
            .into_iter()
            .filter(|r| r.case_id == case.id)
            .collect();
        Ok(CaseView { case, refunds })
    }

    pub async fn cases(
        &self,
        actor: &Actor,
        q: CaseQuery,
    ) -> ServiceResult<(Vec<CaseRow>, Option<String>)> {
        let mut errors = Invalid::default();
        let limit = crate::paging::limit(&mut errors, q.limit);
        let before = crate::paging::cursor(&mut errors, q.cursor.as_deref());
        if let Some(t) = &q.case_type
            && t.parse::<CaseType>().is_err()
        {
            errors.push("type", t.parse::<CaseType>().err().unwrap_or_default());
        }
        if let Some(s) = &q.state
            && !STATES.contains(&s.as_str())
        {
            errors.push("state", format!("must be one of {}", STATES.join(", ")));
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
        let store_id = actor.store_scope(q.store_id)?;
        if actor.role == Role::Reviewer {
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
        Ok((rows, next))
    }

    async fn visible_aftersales_case(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<CaseRow> {
        match aftersales::case(c, id).await? {
            Some(k) if actor.can_see_store(&k.store_id) && actor.role != Role::Reviewer => Ok(k),
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
