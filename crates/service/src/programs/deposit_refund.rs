//! Refunding the deposit (seed 002's 退回保证金): the seller asks with a reason and an
//! amount; every unmet precondition is named at once; staff approve with any penalty
//! deductions, and the balance after them is paid back within five business days, a
//! deadline flagging a late payout. Paying out the whole balance closes the store.

use marketdesk_core::aftersales::CaseState;
use marketdesk_core::deadline::DeadlineKind;
use marketdesk_core::programs::deposit::{
    self as rules, MAX_DEDUCTIONS, MAX_REASON, MAX_REFERENCE, PAYOUT_SPAN, RefundState, Unsettled,
};
use marketdesk_core::programs::fully_managed::ProgramState;
use marketdesk_core::team::Area;
use marketdesk_core::{Invalid, Money, id, validation};
use marketdesk_store::catalog;
use marketdesk_store::deposit::{self, RefundRow};
use rust_decimal::Decimal;
use serde_json::json;

pub use super::deposit::Refund;
use super::deposit::{CURRENCY, StoreRowExt, balance_of, cny, positive_cny};
use crate::change::Change;
use crate::require_admin;
use crate::{Actor, Service, ServiceError, ServiceResult};

/// A deduction staff make when approving.
#[derive(Debug, Clone, Default)]
pub struct NewDeduction {
    pub amount: Option<String>,
    pub reason: String,
    pub penalty_id: Option<String>,
    pub violation_id: Option<String>,
}

fn payload(r: &RefundRow) -> serde_json::Value {
    json!({"refund_id": r.id, "store_id": r.store_id, "state": r.state.as_str(), "amount": cny(&r.amount),
        "refund_amount": r.refund_amount.as_deref().map(cny), "due_at": r.due_at.map(crate::instant)})
}

impl Service {
    /// The seller asks for the deposit back; refused (409) with every unmet
    /// precondition named: open cases, open disputes, unfinished orders, unpaid debts.
    pub async fn request_deposit_refund(
        &self,
        actor: &Actor,
        store_id: &str,
        reason: &str,
        amount: &str,
    ) -> ServiceResult<Refund> {
        actor.require_area(Area::Deposit)?;
        let mut errors = Invalid::default();
        let reason = validation::required_text(&mut errors, "reason", reason, MAX_REASON);
        let amount = positive_cny(&mut errors, "amount", amount);
        errors.into_result()?;
        let amount = amount.expect("validated");
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's seller asks for its deposit".into(),
            ));
        }
        catalog::lock_store(&mut tx, self.db.backend(), &store.id).await?;
        let balance = balance_of(&deposit::entries(&mut tx, &store.id).await?)?;
        if balance <= Decimal::ZERO {
            return Err(ServiceError::conflict("the store holds no deposit"));
        }
        if amount.amount > balance {
            return Err(Invalid::one(
                "amount",
                format!("the balance is {}", Money::new(balance, CURRENCY)),
            )
            .into());
        }
        self.require_settled(&mut tx, &store.id, true).await?;
        let row = RefundRow {
            id: id::new_id(),
            store_id: store.id.clone(),
            state: RefundState::UnderReview,
            reason,
            amount: amount.amount.to_string(),
            currency: CURRENCY.code().into(),
            requested_at: self.now_us(),
            requested_by: actor.user_id.clone(),
            decided_at: None,
            decided_by: None,
            decision_note: None,
            deducted: None,
            refund_amount: None,
            due_at: None,
            paid_at: None,
            payout_reference: None,
            late_at: None,
        };
        deposit::insert_refund(&mut tx, &row).await?;
        let change =
            Change::in_store(&store.id).event("deposit.refund_requested", &row.id, payload(&row));
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    /// "没有未解决的争议、纠纷、未完成的订单以及未清偿的欠款": checked when the seller asks
    /// and again when staff approve and pay (the store kept selling meanwhile), under the
    /// store's lock. Only the first check counts another request in progress.
    async fn require_settled(
        &self,
        tx: &mut sqlx::AnyConnection,
        store_id: &str,
        asking: bool,
    ) -> ServiceResult<()> {
        let open: Vec<&str> = CaseState::open().map(|s| s.as_str()).collect();
        let (cases, tickets, orders, penalties) = deposit::unsettled(tx, store_id, &open).await?;
        let unsettled = Unsettled {
            open_cases: cases,
            open_tickets: tickets,
            unfinished_orders: orders,
            unpaid_penalties: penalties,
            refund_in_progress: asking
                && deposit::refunds(tx, Some(store_id))
                    .await?
                    .iter()
                    .any(|r| r.state.in_progress()),
        };
        let unmet = unsettled.errors();
        if unmet.is_empty() {
            return Ok(());
        }
        Err(ServiceError::Conflict {
            detail: format!(
                "the deposit cannot be refunded yet: {} precondition(s) unmet",
                unmet.len()
            ),
            errors: unmet,
        })
    }

    /// Every store's refund requests (staff) or one store's.
    pub async fn deposit_refunds(
        &self,
        actor: &Actor,
        store_id: Option<String>,
    ) -> ServiceResult<Vec<Refund>> {
        actor.require_area(Area::Deposit)?;
        let scope = actor.store_scope(store_id)?;
        let mut c = self.db.reader().await?;
        Ok(deposit::refunds(&mut c, scope.as_deref())
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    pub async fn deposit_refund(&self, actor: &Actor, refund_id: &str) -> ServiceResult<Refund> {
        actor.require_area(Area::Deposit)?;
        let mut c = self.db.reader().await?;
        Ok(self.visible_refund(&mut c, actor, refund_id).await?.into())
    }

    async fn visible_refund(
        &self,
        c: &mut sqlx::AnyConnection,
        actor: &Actor,
        refund_id: &str,
    ) -> ServiceResult<RefundRow> {
        let not_found = || ServiceError::NotFound(format!("no deposit refund with id {refund_id}"));
        let Some(rid) = id::parse_id(refund_id) else {
            return Err(not_found());
        };
        match deposit::refund(c, &rid).await? {
            Some(r) if actor.can_see_store(&r.store_id) => Ok(r),
            _ => Err(not_found()),
        }
    }

    /// Staff approve, deducting what the store owes first; what is left of the asked
    /// amount is due to be paid out within five business days.
    pub async fn approve_deposit_refund(
        &self,
        actor: &Actor,
        refund_id: &str,
        deductions: &[NewDeduction],
        note: Option<&str>,
    ) -> ServiceResult<Refund> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        if deductions.len() > MAX_DEDUCTIONS {
            errors.push("deductions", format!("at most {MAX_DEDUCTIONS}"));
        }
        let mut parsed = Vec::new();
        for (i, d) in deductions.iter().enumerate() {
            let amount = d
                .amount
                .as_deref()
                .and_then(|a| positive_cny(&mut errors, &format!("deductions[{i}].amount"), a));
            let reason = validation::required_text(
                &mut errors,
                &format!("deductions[{i}].reason"),
                &d.reason,
                MAX_REASON,
            );
            if d.amount.is_none() && d.penalty_id.is_none() {
                errors.push(
                    format!("deductions[{i}].amount"),
                    "is required unless a penalty_id is settled",
                );
            }
            parsed.push((amount, reason, d.penalty_id.clone(), d.violation_id.clone()));
        }
        let note = note
            .filter(|n| !n.trim().is_empty())
            .map(|n| validation::required_text(&mut errors, "note", n, MAX_REASON));
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let mut row = self.visible_refund(&mut tx, actor, refund_id).await?;
        row.state.decide().map_err(ServiceError::conflict)?;
        let store = catalog::store(&mut tx, &row.store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no store {}", row.store_id))?;
        catalog::lock_store(&mut tx, self.db.backend(), &store.id).await?;
        let before = balance_of(&deposit::entries(&mut tx, &store.id).await?)?;

        let mut deducted = Vec::new();
        for (amount, reason, penalty, violation) in &parsed {
            let m = self
                .deduct_in(
                    &mut tx,
                    actor,
                    &store,
                    *amount,
                    reason,
                    penalty.as_deref(),
                    violation.as_deref(),
                    Some(&row.id),
                )
                .await?;
            deducted.push(m.amount);
        }
        // After its deductions (which may settle penalties) nothing may be left unsettled;
        // a refusal rolls the deductions back with the rest.
        self.require_settled(&mut tx, &store.id, false).await?;
        let refund = rules::refund_after(before, &deducted, cny(&row.amount).amount)
            .map_err(ServiceError::conflict)?;
        let was = row.state;
        row.state = RefundState::Approved;
        row.decided_at = Some(self.now_us());
        row.decided_by = Some(actor.user_id.clone());
        row.decision_note = note;
        row.deducted = Some(deducted.iter().sum::<Decimal>().to_string());
        row.refund_amount = Some(refund.to_string());
        let due = self.due_for_store(&mut tx, &store.id, PAYOUT_SPAN).await?;
        row.due_at = Some(due);
        if !deposit::update_refund(&mut tx, &row, was).await? {
            return Err(ServiceError::conflict(
                "the refund request was decided meanwhile",
            ));
        }
        let change = Change::in_store(&store.id)
            .event("deposit.refund_decided", &row.id, payload(&row))
            .deadline(DeadlineKind::RefundPayout, &row.id, due);
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    pub async fn reject_deposit_refund(
        &self,
        actor: &Actor,
        refund_id: &str,
        note: &str,
    ) -> ServiceResult<Refund> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let note = validation::required_text(&mut errors, "note", note, MAX_REASON);
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let mut row = self.visible_refund(&mut tx, actor, refund_id).await?;
        row.state.decide().map_err(ServiceError::conflict)?;
        let was = row.state;
        row.state = RefundState::Rejected;
        row.decided_at = Some(self.now_us());
        row.decided_by = Some(actor.user_id.clone());
        row.decision_note = Some(note);
        if !deposit::update_refund(&mut tx, &row, was).await? {
            return Err(ServiceError::conflict(
                "the refund request was decided meanwhile",
            ));
        }
        let change =
            Change::in_store(&row.store_id).event("deposit.refund_decided", &row.id, payload(&row));
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    /// Staff record the payout ("原路退回") with its reference; the ledger's refund entry
    /// is written now. A fully-managed store whose balance reaches zero closes.
    pub async fn pay_deposit_refund(
        &self,
        actor: &Actor,
        refund_id: &str,
        reference: &str,
    ) -> ServiceResult<Refund> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let reference =
            validation::required_text(&mut errors, "reference", reference, MAX_REFERENCE);
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let mut row = self.visible_refund(&mut tx, actor, refund_id).await?;
        row.state.pay().map_err(ServiceError::conflict)?;
        let store = catalog::store(&mut tx, &row.store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no store {}", row.store_id))?;
        catalog::lock_store(&mut tx, self.db.backend(), &store.id).await?;
        self.require_settled(&mut tx, &store.id, false).await?;
        let amount = cny(row.refund_amount.as_deref().unwrap_or("0"));
        let mut balance = balance_of(&deposit::entries(&mut tx, &store.id).await?)?;
        if amount.amount > Decimal::ZERO {
            let mut entry = self.entry(
                actor,
                &store.id,
                marketdesk_core::programs::deposit::EntryKind::Refund,
                amount,
                &row.reason,
            );
            entry.refund_request_id = Some(row.id.clone());
            entry.reference = Some(reference.clone());
            balance = self.write_entry(&mut tx, entry).await?;
        }
        let was = row.state;
        row.state = RefundState::Paid;
        row.paid_at = Some(self.now_us());
        row.payout_reference = Some(reference);
        if !deposit::update_refund(&mut tx, &row, was).await? {
            return Err(ServiceError::conflict("the refund changed meanwhile"));
        }
        if balance.is_zero()
            && store.fully_managed()
            && ProgramState::of(store.program_state) == ProgramState::Open
        {
            catalog::set_program_state(&mut tx, &store.id, None, Some(ProgramState::Closed))
                .await?;
        }
        let change = Change::in_store(&store.id)
            .event("deposit.refund_paid", &row.id, payload(&row))
            .end_deadline(DeadlineKind::RefundPayout, &row.id);
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    /// The payout ran past five business days: flagged, and staff are told.
    pub(crate) async fn refund_payout_late(
        &self,
        tx: &mut sqlx::AnyConnection,
        refund_id: &str,
    ) -> ServiceResult<()> {
        let Some(mut row) = deposit::refund(tx, refund_id).await? else {
            return Ok(());
        };
        if row.state != RefundState::Approved || row.late_at.is_some() {
            return Ok(());
        }
        row.late_at = Some(self.now_us());
        if deposit::update_refund(tx, &row, RefundState::Approved).await? {
            let change = Change::in_store(&row.store_id).event(
                "deposit.refund_overdue",
                &row.id,
                payload(&row),
            );
            self.record(tx, &Actor::system(), change).await?;
        }
        Ok(())
    }
}
