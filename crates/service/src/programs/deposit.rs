//! The security deposit's ledger (保证金, seed 002): frozen when the fully-managed store
//! opens, deductions that settle penalties or violations, refunds; and the penalties a
//! store owes until a deduction settles them. Every change locks the store's row so two
//! staff members never both spend the same balance.

use marketdesk_core::programs::deposit::{
    self as rules, DepositState, EntryKind, MAX_REASON, MAX_REFERENCE, RefundState,
};
use marketdesk_core::programs::fully_managed::{DEPOSIT_CNY, ProgramState};
use marketdesk_core::team::Area;
use marketdesk_core::{FulfilmentMode, Invalid, Money, id, validation};
use marketdesk_store::catalog::{self, StoreRow};
use marketdesk_store::deposit::{self, EntryRow, PenaltyRow, RefundRow};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::AnyConnection;

use crate::change::Change;
use crate::require_admin;
use crate::{Actor, Service, ServiceError, ServiceResult};

/// The deposit's currency: "缴纳1万元人民币保证金", whatever the store's site.
pub const CURRENCY: iso_currency::Currency = iso_currency::Currency::CNY;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub at: i64,
    pub kind: EntryKind,
    pub amount: Money,
    pub reason: String,
    pub settles: Option<String>,
    pub refund_request_id: Option<String>,
    pub reference: Option<String>,
    /// The balance after this entry.
    pub balance_after: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Penalty {
    pub id: String,
    pub amount: Money,
    pub reason: String,
    pub violation_id: Option<String>,
    pub created_at: i64,
    pub settled_at: Option<i64>,
    pub settled_by_entry: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub id: String,
    pub store_id: String,
    pub state: RefundState,
    pub reason: String,
    pub amount: Money,
    pub requested_at: i64,
    pub decided_at: Option<i64>,
    pub decision_note: Option<String>,
    pub deducted: Option<Money>,
    pub refund_amount: Option<Money>,
    pub due_at: Option<i64>,
    pub paid_at: Option<i64>,
    pub payout_reference: Option<String>,
    pub late_at: Option<i64>,
}

impl From<RefundRow> for Refund {
    fn from(r: RefundRow) -> Self {
        Refund {
            amount: cny(&r.amount),
            deducted: r.deducted.as_deref().map(cny),
            refund_amount: r.refund_amount.as_deref().map(cny),
            id: r.id,
            store_id: r.store_id,
            state: r.state,
            reason: r.reason,
            requested_at: r.requested_at,
            decided_at: r.decided_at,
            decision_note: r.decision_note,
            due_at: r.due_at,
            paid_at: r.paid_at,
            payout_reference: r.payout_reference,
            late_at: r.late_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Deposit {
    pub store_id: String,
    pub state: DepositState,
    pub required: Money,
    pub balance: Money,
    pub ledger: Vec<Entry>,
    pub penalties: Vec<Penalty>,
    pub refunds: Vec<Refund>,
}

pub(crate) fn cny(amount: &str) -> Money {
    Money::new(amount.parse().unwrap_or_default(), CURRENCY)
}

/// An amount typed by staff or a seller: a positive CNY amount.
pub(crate) fn positive_cny(errors: &mut Invalid, field: &str, text: &str) -> Option<Money> {
    match Money::parse_price(text, CURRENCY) {
        Ok(m) if m.amount > Decimal::ZERO => Some(m),
        Ok(_) => {
            errors.push(field, "must be above zero");
            None
        }
        Err(m) => {
            errors.push(field, m);
            None
        }
    }
}

/// The ledger's balance, from its rows.
pub(crate) fn balance_of(rows: &[EntryRow]) -> ServiceResult<Decimal> {
    let entries: Vec<(EntryKind, Decimal)> = rows
        .iter()
        .map(|r| (r.kind, cny(&r.amount).amount))
        .collect();
    Ok(rules::balance(&entries).map_err(|m| anyhow::anyhow!("stored ledger: {m}"))?)
}

impl Service {
    /// The store's deposit: its state, balance and ledger, what it owes, its refunds.
    pub async fn deposit(&self, actor: &Actor, store_id: &str) -> ServiceResult<Deposit> {
        actor.require_area(Area::Deposit)?;
        let mut c = self.db.reader().await?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        self.deposit_of(&mut c, &store).await
    }

    pub(crate) async fn deposit_of(
        &self,
        c: &mut AnyConnection,
        store: &StoreRow,
    ) -> ServiceResult<Deposit> {
        let rows = deposit::entries(c, &store.id).await?;
        let refunds: Vec<Refund> = deposit::refunds(c, Some(&store.id))
            .await?
            .into_iter()
            .map(Into::into)
            .collect();
        let mut running = Vec::new();
        let mut ledger = Vec::new();
        for r in &rows {
            running.push((r.kind, cny(&r.amount).amount));
            let after =
                rules::balance(&running).map_err(|m| anyhow::anyhow!("stored ledger: {m}"))?;
            ledger.push(Entry {
                id: r.id.clone(),
                at: r.at,
                kind: r.kind,
                amount: cny(&r.amount),
                reason: r.reason.clone(),
                settles: r.settles.clone(),
                refund_request_id: r.refund_request_id.clone(),
                reference: r.reference.clone(),
                balance_after: Money::new(after, CURRENCY),
            });
        }
        // The running balance after the last entry is the balance.
        let balance = ledger
            .last()
            .map_or(Decimal::ZERO, |e: &Entry| e.balance_after.amount);
        let fully_managed = store.fully_managed();
        let state = if refunds
            .iter()
            .any(|r| r.state == rules::RefundState::UnderReview)
        {
            DepositState::RefundRequested
        } else if refunds
            .iter()
            .any(|r| r.state == rules::RefundState::Approved)
        {
            DepositState::RefundApproved
        } else if balance > Decimal::ZERO {
            DepositState::Held
        } else if refunds.iter().any(|r| r.state == rules::RefundState::Paid) {
            DepositState::Refunded
        } else if fully_managed && rows.is_empty() {
            // Awaiting it at opening, or a store migrated into the program before any
            // deposit was recorded for it.
            DepositState::AwaitingPayment
        } else {
            DepositState::NotRequired
        };
        let penalties = deposit::penalties(c, &store.id)
            .await?
            .into_iter()
            .map(|p| Penalty {
                amount: cny(&p.amount),
                id: p.id,
                reason: p.reason,
                violation_id: p.violation_id,
                created_at: p.created_at,
                settled_at: p.settled_at,
                settled_by_entry: p.settled_by_entry,
            })
            .collect();
        Ok(Deposit {
            store_id: store.id.clone(),
            state,
            required: Money::new(
                Decimal::from(if fully_managed { DEPOSIT_CNY } else { 0 }),
                CURRENCY,
            )
            .round_for_payout(),
            balance: Money::new(balance, CURRENCY).round_for_payout(),
            ledger,
            penalties,
            refunds,
        })
    }

    /// Writes one ledger entry after checking the balance stays at or above zero; the
    /// caller holds the store's lock.
    pub(crate) async fn write_entry(
        &self,
        tx: &mut AnyConnection,
        entry: EntryRow,
    ) -> ServiceResult<Decimal> {
        let mut rows = deposit::entries(tx, &entry.store_id).await?;
        rows.push(entry.clone());
        let entries: Vec<(EntryKind, Decimal)> = rows
            .iter()
            .map(|r| (r.kind, cny(&r.amount).amount))
            .collect();
        let balance = rules::balance(&entries).map_err(ServiceError::conflict)?;
        deposit::insert_entry(tx, &entry).await?;
        Ok(balance)
    }

    pub(crate) fn entry(
        &self,
        actor: &Actor,
        store_id: &str,
        kind: EntryKind,
        amount: Money,
        reason: &str,
    ) -> EntryRow {
        EntryRow {
            id: id::new_id(),
            store_id: store_id.into(),
            at: self.now_us(),
            kind,
            amount: amount.amount.to_string(),
            currency: CURRENCY.code().into(),
            reason: reason.into(),
            settles: None,
            refund_request_id: None,
            reference: None,
            actor_id: actor.user_id.clone(),
        }
    }

    /// Admins record the deposit as paid ("冻结店铺保证金1万元"): exactly 10,000 CNY, and
    /// the store awaiting it opens ("保证金缴纳完毕,开店成功").
    pub async fn record_deposit_payment(
        &self,
        actor: &Actor,
        store_id: &str,
        amount: &str,
        reference: &str,
    ) -> ServiceResult<Deposit> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let amount = positive_cny(&mut errors, "amount", amount);
        let reference =
            validation::required_text(&mut errors, "reference", reference, MAX_REFERENCE);
        if amount.is_some_and(|a| a.amount != Decimal::from(DEPOSIT_CNY)) {
            errors.push("amount", format!("the deposit is {DEPOSIT_CNY}.00 CNY"));
        }
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        catalog::lock_store(&mut tx, self.db.backend(), &store.id).await?;
        // A store opened through the program awaits it; a store an operator migrated into
        // the program owes it until its first freeze.
        let awaiting = store.program_state == Some(ProgramState::AwaitingDeposit)
            || (store.fully_managed() && deposit::entries(&mut tx, &store.id).await?.is_empty());
        if !awaiting {
            return Err(ServiceError::conflict(
                "the store is not awaiting its deposit",
            ));
        }
        let mut entry = self.entry(
            actor,
            &store.id,
            EntryKind::Freeze,
            amount.expect("validated"),
            "deposit frozen at opening",
        );
        entry.reference = Some(reference);
        self.write_entry(&mut tx, entry).await?;
        if store.program_state == Some(ProgramState::AwaitingDeposit)
            && !catalog::set_program_state(
                &mut tx,
                &store.id,
                Some(ProgramState::AwaitingDeposit),
                None,
            )
            .await?
        {
            return Err(ServiceError::conflict(
                "the store's state changed meanwhile",
            ));
        }
        let target = store
            .parent_store_id
            .clone()
            .unwrap_or_else(|| store.id.clone());
        let change = Change::in_store(&store.id).event(
            "fully_managed.store_opened",
            &store.id,
            json!({"store_id": store.id, "store": store.name, "parent_store_id": target}),
        );
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        self.deposit(actor, &store.id).await
    }

    /// Admins record a penalty the store owes (欠款); it stands in the way of a refund
    /// until a deduction settles it.
    pub async fn record_penalty(
        &self,
        actor: &Actor,
        store_id: &str,
        amount: &str,
        reason: &str,
        violation_id: Option<&str>,
    ) -> ServiceResult<Deposit> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let amount = positive_cny(&mut errors, "amount", amount);
        let reason = validation::required_text(&mut errors, "reason", reason, MAX_REASON);
        let violation = violation_id.map(|v| {
            id::parse_id(v).ok_or_else(|| errors.push("violation_id", "is not a violation id"))
        });
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        catalog::lock_store(&mut tx, self.db.backend(), &store.id).await?;
        let violation = violation.transpose().ok().flatten();
        if let Some(v) = &violation {
            self.check_store_violation(&mut tx, &store.id, v, "violation_id")
                .await?;
        }
        deposit::insert_penalty(
            &mut tx,
            &PenaltyRow {
                id: id::new_id(),
                store_id: store.id.clone(),
                amount: amount.expect("validated").amount.to_string(),
                currency: CURRENCY.code().into(),
                reason,
                violation_id: violation,
                created_at: self.now_us(),
                created_by: actor.user_id.clone(),
                settled_at: None,
                settled_by_entry: None,
            },
        )
        .await?;
        self.commit(tx).await?;
        self.deposit(actor, &store.id).await
    }

    /// Admins deduct from the deposit ("扣除相应部分罚款"), settling a penalty (its whole
    /// amount) or a violation; never below zero.
    pub async fn deduct_deposit(
        &self,
        actor: &Actor,
        store_id: &str,
        amount: Option<&str>,
        reason: &str,
        penalty_id: Option<&str>,
        violation_id: Option<&str>,
    ) -> ServiceResult<Deposit> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let amount = amount.and_then(|a| positive_cny(&mut errors, "amount", a));
        let reason = validation::required_text(&mut errors, "reason", reason, MAX_REASON);
        if penalty_id.is_none() && amount.is_none() && errors.0.is_empty() {
            errors.push("amount", "is required unless a penalty_id is settled");
        }
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        catalog::lock_store(&mut tx, self.db.backend(), &store.id).await?;
        self.deduct_in(
            &mut tx,
            actor,
            &store,
            amount,
            &reason,
            penalty_id,
            violation_id,
            None,
        )
        .await?;
        self.commit(tx).await?;
        self.deposit(actor, &store.id).await
    }

    /// One deduction in the caller's transaction (the store is locked).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn deduct_in(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        store: &StoreRow,
        amount: Option<Money>,
        reason: &str,
        penalty_id: Option<&str>,
        violation_id: Option<&str>,
        refund_id: Option<&str>,
    ) -> ServiceResult<Money> {
        let penalty = match penalty_id {
            Some(p) => {
                let all = deposit::penalties(tx, &store.id).await?;
                let found = all.into_iter().find(|r| r.id == p).ok_or_else(|| {
                    Invalid::one("penalty_id", "no penalty with this id for this store")
                })?;
                if found.settled_at.is_some() {
                    return Err(ServiceError::conflict(format!(
                        "penalty {p} is already settled"
                    )));
                }
                Some(found)
            }
            None => None,
        };
        let amount = match (&penalty, amount) {
            (Some(p), Some(a)) if a != cny(&p.amount) => {
                return Err(Invalid::one(
                    "amount",
                    format!("a penalty is settled whole: {}", cny(&p.amount)),
                )
                .into());
            }
            (Some(p), _) => cny(&p.amount),
            (None, Some(a)) => a,
            (None, None) => return Err(Invalid::one("amount", "is required").into()),
        };
        if refund_id.is_none()
            && deposit::refunds(tx, Some(&store.id))
                .await?
                .iter()
                .any(|r| r.state == rules::RefundState::Approved)
        {
            return Err(ServiceError::conflict(
                "a refund of this deposit is approved and awaiting its payout; deduct before approving",
            ));
        }
        let violation_id = match violation_id {
            Some(v) => {
                let vid = id::parse_id(v)
                    .ok_or_else(|| Invalid::one("violation_id", "is not a violation id"))?;
                self.check_store_violation(tx, &store.id, &vid, "violation_id")
                    .await?;
                Some(vid)
            }
            None => None,
        };
        let mut entry = self.entry(actor, &store.id, EntryKind::Deduction, amount, reason);
        entry.settles = penalty.as_ref().map(|p| p.id.clone()).or(violation_id);
        entry.refund_request_id = refund_id.map(str::to_owned);
        let entry_id = entry.id.clone();
        let balance = self.write_entry(tx, entry).await?;
        if let Some(p) = penalty {
            deposit::settle_penalty(tx, &p.id, &entry_id, self.now_us()).await?;
        }
        let change = Change::in_store(&store.id).event("deposit.deducted", &entry_id,
            json!({"store_id": store.id, "amount": amount, "reason": reason, "balance": Money::new(balance, CURRENCY)}));
        self.record(tx, actor, change).await?;
        Ok(amount)
    }
}

impl Service {
    /// A violation a penalty or deduction settles must be one of this store's.
    pub(crate) async fn check_store_violation(
        &self,
        tx: &mut AnyConnection,
        store_id: &str,
        violation_id: &str,
        field: &str,
    ) -> ServiceResult<()> {
        match marketdesk_store::violations::get(tx, violation_id).await? {
            Some(v) if v.store_id == store_id => Ok(()),
            _ => Err(Invalid::one(field, "no violation with this id in this store").into()),
        }
    }
}

impl StoreRowExt for StoreRow {
    fn fully_managed(&self) -> bool {
        self.fulfilment_mode == FulfilmentMode::FullyManaged.as_str()
    }
}

pub(crate) trait StoreRowExt {
    fn fully_managed(&self) -> bool;
}
