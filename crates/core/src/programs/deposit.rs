//! The security deposit (保证金, seed 002): frozen in CNY when a fully-managed store opens,
//! reduced by deductions that each settle a violation or a penalty, and refunded on
//! request once nothing is left unsettled ("没有未解决的争议、纠纷、未完成的订单以及未清偿
//! 的欠款") — after the platform deducts what is owed ("扣除相应部分罚款后,将余额部分原路
//! 退回"), within five business days ("3-5个工作日").

use rust_decimal::Decimal;

use crate::calendar::Span;
use crate::validation::FieldError;

pub const PAYOUT_SPAN: Span = Span::BusinessDays(5);
pub const MAX_REASON: usize = 500;
pub const MAX_REFERENCE: usize = 100;
pub const MAX_DEDUCTIONS: usize = 20;

names!(EntryKind {
    Freeze => "freeze",
    Deduction => "deduction",
    Refund => "refund",
});

names!(RefundState {
    UnderReview => "under_review",
    Approved => "approved",
    Paid => "paid",
    Rejected => "rejected",
});

// Where a store's deposit stands, as the seller's page shows it.
names!(DepositState {
    NotRequired => "not_required",
    AwaitingPayment => "awaiting_payment",
    Held => "held",
    RefundRequested => "refund_requested",
    RefundApproved => "refund_approved",
    Refunded => "refunded",
});

/// The balance after `entries`, or the first entry that would take it below zero: the
/// ledger never owes the seller a negative deposit.
pub fn balance(entries: &[(EntryKind, Decimal)]) -> Result<Decimal, String> {
    entries.iter().try_fold(Decimal::ZERO, |b, (kind, amount)| {
        if *amount <= Decimal::ZERO {
            return Err(format!("a {} must be above zero", kind.as_str()));
        }
        match kind {
            EntryKind::Freeze => Ok(b + amount),
            EntryKind::Deduction | EntryKind::Refund if *amount > b => Err(format!(
                "a {} of {amount} exceeds the balance of {b}",
                kind.as_str()
            )),
            EntryKind::Deduction | EntryKind::Refund => Ok(b - amount),
        }
    })
}

/// What an approved refund pays: what was asked, but never more than the balance left
/// after the approval's deductions.
pub fn refund_after(
    balance: Decimal,
    deductions: &[Decimal],
    asked: Decimal,
) -> Result<Decimal, String> {
    let deducted: Decimal = deductions.iter().sum();
    if deducted > balance {
        return Err(format!(
            "deductions of {deducted} exceed the balance of {balance}"
        ));
    }
    Ok(asked.min(balance - deducted))
}

/// What stands in the way of a refund, each counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unsettled {
    pub open_cases: i64,
    pub open_tickets: i64,
    pub unfinished_orders: i64,
    pub unpaid_penalties: i64,
    pub refund_in_progress: bool,
}

impl Unsettled {
    /// Every unmet precondition, so the seller sees all at once rather than one per try.
    pub fn errors(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        let mut push = |field: &str, message: String| {
            out.push(FieldError {
                field: field.into(),
                message,
            })
        };
        if self.open_cases > 0 {
            push(
                "open_cases",
                format!("{} after-sales cases are still open", self.open_cases),
            );
        }
        if self.open_tickets > 0 {
            push(
                "open_disputes",
                format!("{} disputes (tickets) are still open", self.open_tickets),
            );
        }
        if self.unfinished_orders > 0 {
            push(
                "unfinished_orders",
                format!(
                    "{} orders are neither delivered nor cancelled",
                    self.unfinished_orders
                ),
            );
        }
        if self.unpaid_penalties > 0 {
            push(
                "unpaid_debts",
                format!("{} penalties are unpaid", self.unpaid_penalties),
            );
        }
        if self.refund_in_progress {
            push("refund", "a refund request is already in progress".into());
        }
        out
    }
}

impl RefundState {
    pub fn decide(self) -> Result<(), &'static str> {
        match self {
            RefundState::UnderReview => Ok(()),
            _ => Err("the refund request is already decided"),
        }
    }

    pub fn pay(self) -> Result<(), &'static str> {
        match self {
            RefundState::Approved => Ok(()),
            RefundState::Paid => Err("the refund is already paid out"),
            _ => Err("only an approved refund is paid out"),
        }
    }

    /// A request still on its way: no second one meanwhile.
    pub fn in_progress(self) -> bool {
        matches!(self, RefundState::UnderReview | RefundState::Approved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(n: i64) -> Decimal {
        Decimal::new(n, 2)
    }

    #[test]
    fn the_seed_journey_sums_exactly() {
        let entries = [
            (EntryKind::Freeze, d(1_000_000)),
            (EntryKind::Deduction, d(50_050)),
            (EntryKind::Refund, d(949_950)),
        ];
        assert_eq!(balance(&entries).unwrap(), Decimal::ZERO);
        assert_eq!(
            refund_after(d(1_000_000), &[d(50_050)], d(1_000_000)).unwrap(),
            d(949_950)
        );
        assert!(refund_after(d(100), &[d(101)], d(1)).is_err());
    }

    #[test]
    fn unmet_preconditions_are_all_named() {
        let u = Unsettled {
            open_cases: 1,
            unfinished_orders: 2,
            unpaid_penalties: 1,
            ..Default::default()
        };
        let fields: Vec<String> = u.errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["open_cases", "unfinished_orders", "unpaid_debts"]);
        assert!(Unsettled::default().errors().is_empty());
    }

    proptest! {
        /// Whatever staff try to write, what the ledger accepts sums to frozen −
        /// deductions − refunds and never drops below zero.
        #[test]
        fn the_balance_is_frozen_minus_deductions_minus_refunds(
            steps in proptest::collection::vec((0u8..3, 1i64..2_000_000), 0..40)
        ) {
            let mut accepted: Vec<(EntryKind, Decimal)> = Vec::new();
            for (k, cents) in steps {
                let kind = [EntryKind::Freeze, EntryKind::Deduction, EntryKind::Refund][k as usize];
                let mut next = accepted.clone();
                next.push((kind, d(cents)));
                if let Ok(b) = balance(&next) {
                    prop_assert!(b >= Decimal::ZERO);
                    accepted = next;
                }
            }
            let sum = |want: EntryKind| -> Decimal {
                accepted.iter().filter(|(k, _)| *k == want).map(|(_, a)| *a).sum()
            };
            let b = balance(&accepted).unwrap();
            prop_assert_eq!(b, sum(EntryKind::Freeze) - sum(EntryKind::Deduction) - sum(EntryKind::Refund));
            prop_assert!(b >= Decimal::ZERO);
        }

        /// A refund never pays more than what was asked or what the deductions leave.
        #[test]
        fn a_refund_never_exceeds_the_balance(bal in 0i64..2_000_000, ded in proptest::collection::vec(0i64..500_000, 0..5), asked in 1i64..2_000_000) {
            let deds: Vec<Decimal> = ded.iter().map(|c| d(*c)).collect();
            match refund_after(d(bal), &deds, d(asked)) {
                Ok(r) => {
                    prop_assert!(r <= d(asked));
                    prop_assert!(r + deds.iter().sum::<Decimal>() <= d(bal));
                    prop_assert!(r >= Decimal::ZERO);
                }
                Err(_) => prop_assert!(deds.iter().sum::<Decimal>() > d(bal)),
            }
        }
    }
}
