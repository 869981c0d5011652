//! Deciding after-sales cases: the seller's decision and inspection, the return label
//! upload, the platform's steps (received, label invalid, cancel), the deadlines that
//! decide for the seller, and the seller's negotiated partial refund (协商部分退款).

use marketdesk_core::OrderState;
use marketdesk_core::aftersales::{
    self as rules, CaseState, CaseType, DecidedBy, PlatformOutcome, PlatformStep,
};
use marketdesk_core::{Invalid, validation};
use marketdesk_store::aftersales::{self, CaseRow};
use marketdesk_store::evidence;
use marketdesk_store::orders::{self, LineRow};
use sqlx::AnyConnection;

use super::cases::{CaseView, Decision, NegotiatedRefund, requested};
use super::{
    CASE_DECISION, LABEL_UPLOAD, currency, decimal, ids_json, require_platform, require_seller_side,
};
use crate::{Actor, Service, ServiceError, ServiceResult};

impl Service {
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
        rules::label_awaited(case.state).map_err(ServiceError::conflict)?;
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
        case.state = CaseState::AwaitingReturn;
        case.updated_at = self.now_us();
        // End the deadline before touching the subject: the deadline worker locks the
        // deadline row first and the subject second, so taking them in the same order here
        // means the two never wait on each other in a cycle (PostgreSQL would abort one).
        self.end_deadlines(&mut tx, &case.store_id, &case.id, &[LABEL_UPLOAD])
            .await?;
        if !aftersales::update_case(&mut tx, &case, CaseState::AwaitingLabel).await? {
            return Err(ServiceError::conflict(
                "the case changed meanwhile; reload it",
            ));
        }
        self.aftersales_event(
            &mut tx,
            &case.store_id,
            "aftersales.label_uploaded",
            &case.id,
            serde_json::json!({"case_id": case.id, "state": case.state.as_str(),
                "carrier": case.carrier, "tracking_number": case.tracking_number}),
        )
        .await?;
        self.commit(tx).await?;
        self.case(actor, &case.id).await
    }

    /// Platform steps on a return: the parcel arrived (`received`), the seller's label was
    /// found invalid (`label_invalid`: full refund without return), or the buyer withdrew
    /// (`cancel`).
    pub async fn case_platform_step(
        &self,
        actor: &Actor,
        case_id: &str,
        step: PlatformStep,
    ) -> ServiceResult<CaseView> {
        require_platform(actor)?;
        let mut tx = self.db.begin().await?;
        let mut case = self
            .visible_aftersales_case(&mut tx, actor, case_id)
            .await?;
        let from = case.state;
        let label = case.label_mode;
        let outcome = rules::platform_step(case.case_type, case.state, label, step)
            .map_err(ServiceError::conflict)?;
        let closes = match outcome {
            PlatformOutcome::MoveTo(to) => to.is_closed(),
            PlatformOutcome::RefundWithoutReturn => true,
        };
        if closes {
            // End the deadline before touching the subject: the deadline worker locks the
            // deadline row first and the subject second, so taking them in the same order here
            // means the two never wait on each other in a cycle (PostgreSQL would abort one).
            self.end_deadlines(
                &mut tx,
                &case.store_id,
                &case.id,
                &[LABEL_UPLOAD, CASE_DECISION],
            )
            .await?;
        }
        match outcome {
            PlatformOutcome::MoveTo(to) => case.state = to,
            PlatformOutcome::RefundWithoutReturn => {
                self.full_refund_without_return(&mut tx, &mut case, DecidedBy::InvalidLabel)
                    .await?;
            }
        }
        case.updated_at = self.now_us();
        if !aftersales::update_case(&mut tx, &case, from).await? {
            return Err(ServiceError::conflict(
                "the case changed meanwhile; reload it",
            ));
        }
        self.aftersales_event(
            &mut tx,
            &case.store_id,
            &format!("aftersales.{}", step.as_str()),
            &case.id,
            serde_json::json!({"case_id": case.id, "state": case.state.as_str()}),
        )
        .await?;
        self.commit(tx).await?;
        self.case(actor, &case.id).await
    }

    pub(super) async fn full_refund_without_return(
        &self,
        tx: &mut AnyConnection,
        case: &mut CaseRow,
        by: DecidedBy,
    ) -> ServiceResult<()> {
        let lines = self.case_lines(tx, case).await?;
        let total = self.refund_rest(tx, case, &lines).await?;
        case.state = CaseState::Refunded;
        case.decided_by = Some(by);
        case.refund_amount = Some(total.to_string());
        Ok(())
    }

    pub(super) async fn case_line(
        &self,
        c: &mut AnyConnection,
        case: &CaseRow,
    ) -> ServiceResult<LineRow> {
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
        self.require_aftersales_party(&mut tx, actor, &case.store_id)
            .await?;
        let kind = case.case_type;
        rules::seller_may_decide(kind, case.state).map_err(ServiceError::conflict)?;
        self.check_evidence(
            &mut tx,
            actor,
            &case.store_id,
            &d.evidence_ids,
            "evidence_ids",
        )
        .await?;
        // End the deadline before touching the subject: the deadline worker locks the
        // deadline row first and the subject second, so taking them in the same order here
        // means the two never wait on each other in a cycle (PostgreSQL would abort one).
        self.end_deadlines(&mut tx, &case.store_id, &case.id, &[CASE_DECISION])
            .await?;
        let from = case.state;
        if d.approve {
            self.approve(
                &mut tx,
                &mut case,
                d.quantity,
                d.amount.as_deref(),
                DecidedBy::Seller,
            )
            .await?;
        } else {
            rules::rejection_evidence(kind, !d.evidence_ids.is_empty())
                .map_err(|m| Invalid::one("evidence_ids", m))?;
            case.state = CaseState::Rejected;
            case.decided_by = Some(DecidedBy::Seller);
        }
        let mut ids: Vec<String> = serde_json::from_str(&case.evidence_ids).unwrap_or_default();
        ids.extend(d.evidence_ids);
        case.evidence_ids = ids_json(&ids);
        if !d.note.trim().is_empty() {
            case.note = d.note.trim().to_string();
        }
        case.updated_at = self.now_us();
        if !aftersales::update_case(&mut tx, &case, from).await? {
            return Err(ServiceError::conflict(
                "the case changed meanwhile; reload it",
            ));
        }
        self.aftersales_event(
            &mut tx,
            &case.store_id,
            "aftersales.decided",
            &case.id,
            serde_json::json!({
            "case_id": case.id, "state": case.state.as_str(), "refund": case.refund_amount}),
        )
        .await?;
        self.commit(tx).await?;
        self.case(actor, &case.id).await
    }

    /// Approves a case: a cancellation cancels the order (stock released) and refunds it
    /// in full; a line case refunds the requested amount or the partial one given.
    pub(super) async fn approve(
        &self,
        tx: &mut AnyConnection,
        case: &mut CaseRow,
        quantity: Option<i64>,
        amount: Option<&str>,
        by: DecidedBy,
    ) -> ServiceResult<()> {
        if (quantity.is_some() || amount.is_some())
            && !case
                .case_type
                .partial_refund_possible(case.order_line_id.is_some())
        {
            return Err(Invalid::one(
                if quantity.is_some() { "quantity" } else { "amount" },
                "this case is refunded in full: a cancellation refunds the whole order and a return of several lines each line whole; agree partial refunds line by line",
            )
            .into());
        }
        let order = orders::get(tx, &case.order_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no order"))?;
        let total = if case.case_type == CaseType::Cancellation {
            let lines = orders::lines(tx, &order.id).await?;
            self.step_order_in(tx, &crate::Actor::system(), order, OrderState::Cancelled)
                .await?;
            self.refund_rest(tx, case, &lines).await?
        } else if case.order_line_id.is_none() {
            // A return of several lines: each line back whole, within what it was paid.
            let lines = self.case_lines(tx, case).await?;
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
        case.state = CaseState::Refunded;
        case.decided_by = Some(by);
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
        if case.state != CaseState::AwaitingSeller {
            return Ok(());
        }
        self.approve(c, &mut case, None, None, DecidedBy::Timeout)
            .await?;
        self.settle_on_timeout(
            c,
            case,
            CaseState::AwaitingSeller,
            "aftersales.approved_on_timeout",
        )
        .await
    }

    /// Writes a case a deadline settled, guarded by the state the deadline found it in,
    /// and announces it. The deadline's own transaction read the case a moment ago; if it
    /// moved since (a person acting as the deadline fired), the deadline has nothing left
    /// to do and its refund must not stand: failing rolls the firing back, and the worker
    /// retries it alone, when the re-read finds nothing to do.
    async fn settle_on_timeout(
        &self,
        c: &mut AnyConnection,
        mut case: CaseRow,
        found: CaseState,
        event_type: &str,
    ) -> ServiceResult<()> {
        case.updated_at = self.now_us();
        if !aftersales::update_case(c, &case, found).await? {
            return Err(ServiceError::conflict(
                "the case moved while its deadline fired",
            ));
        }
        self.aftersales_event(
            c,
            &case.store_id,
            event_type,
            &case.id,
            serde_json::json!({"case_id": case.id, "refund": case.refund_amount}),
        )
        .await
    }

    pub(crate) async fn label_timed_out(
        &self,
        c: &mut AnyConnection,
        case_id: &str,
    ) -> ServiceResult<()> {
        let Some(mut case) = aftersales::case(c, case_id).await? else {
            return Ok(());
        };
        if case.state != CaseState::AwaitingLabel {
            return Ok(());
        }
        self.full_refund_without_return(c, &mut case, DecidedBy::LabelTimeout)
            .await?;
        self.settle_on_timeout(c, case, CaseState::AwaitingLabel, "aftersales.label_missed")
            .await
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
        actor.require_area(marketdesk_core::team::Area::Aftersales)?;
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
        self.check_evidence(&mut tx, actor, &store.id, &n.evidence_ids, "evidence_ids")
            .await?;
        if let Some(open) = self
            .open_cases(&mut tx, &order.id)
            .await?
            .into_iter()
            .find(|c| c.case_type == CaseType::ReturnRefund)
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
            CaseType::Negotiated,
            "agreed_with_buyer".into(),
            pays,
            &actor.user_id,
            now,
        );
        case.state = CaseState::Refunded;
        case.quantity = n.quantity;
        case.refund_amount = Some(pays.to_string());
        case.decided_by = Some(DecidedBy::Seller);
        case.evidence_ids = ids_json(&n.evidence_ids);
        case.note = note;
        if !n.confirm {
            case.id = String::new();
            return Ok((
                false,
                CaseView {
                    line_ids: vec![line.id.clone()],
                    case: case.into(),
                    refunds: Vec::new(),
                },
            ));
        }
        aftersales::insert_case(&mut tx, &case).await?;
        self.refund_line(&mut tx, &case, &line, pays, "amount")
            .await?;
        self.aftersales_event(&mut tx, &case.store_id, "aftersales.negotiated_refund", &case.id, serde_json::json!({
            "case_id": case.id, "order_id": case.order_id, "refund": pays.to_string(), "buyer_note": "Refund agreed with the buyer"})).await?;
        self.commit(tx).await?;
        Ok((true, self.case(actor, &case.id).await?))
    }
}
