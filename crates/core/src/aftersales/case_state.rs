//! The after-sales case state machine: which order states allow which case, how a return
//! gets its label, when the seller may decide, what the platform's steps do and what a
//! refusal must carry. Service asks these and writes what they answer; no state is
//! compared as a string above this module.

use super::{CaseType, ReturnMode};
use crate::order::OrderState;

names!(CaseState {
    AwaitingSeller => "awaiting_seller",
    AwaitingLabel => "awaiting_label",
    AwaitingReturn => "awaiting_return",
    Returned => "returned",
    Refunded => "refunded",
    Rejected => "rejected",
    Cancelled => "cancelled",
});

names!(LabelMode {
    Platform => "platform",
    Seller => "seller",
    Buyer => "buyer",
});

names!(PlatformStep {
    Received => "received",
    LabelInvalid => "label_invalid",
    Cancel => "cancel",
});

// Who or what settled a case (`decided_by`).
names!(DecidedBy {
    Seller => "seller",
    Policy => "policy",
    Timeout => "timeout",
    LabelTimeout => "label_timeout",
    InvalidLabel => "invalid_label",
    TicketTimeout => "ticket_timeout",
    Negotiated => "negotiated",
});

impl CaseState {
    /// A finished case: refunded, rejected or withdrawn. Nothing more happens to it.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            CaseState::Refunded | CaseState::Rejected | CaseState::Cancelled
        )
    }

    /// The states of cases still waiting on someone.
    pub fn open() -> impl Iterator<Item = CaseState> {
        CaseState::ALL.iter().copied().filter(|s| !s.is_closed())
    }
}

/// The order's side of a case: a cancellation is for orders not yet shipped; every other
/// case is about goods that left (or should have left) the warehouse.
pub fn order_allows(kind: CaseType, order: OrderState) -> Result<(), String> {
    let ok = match kind {
        CaseType::Cancellation => order == OrderState::Placed,
        _ => matches!(order, OrderState::Shipped | OrderState::Delivered),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "a {} case does not apply to a {} order",
            kind.as_str(),
            order.as_str()
        ))
    }
}

/// How a return without a matching policy starts: the platform buys the label where the
/// site lets it and the parcel is not oversize; else a seller who uploads labels has a
/// business day to upload one; else the buyer sends the parcel at their own cost.
pub fn choose_label(
    mode: ReturnMode,
    oversize: bool,
    seller_uploads: bool,
) -> (LabelMode, CaseState) {
    if mode.platform_buys_labels && !oversize {
        (LabelMode::Platform, CaseState::AwaitingReturn)
    } else if seller_uploads {
        (LabelMode::Seller, CaseState::AwaitingLabel)
    } else {
        (LabelMode::Buyer, CaseState::AwaitingReturn)
    }
}

/// The seller decides a return only once the goods are back and inspected; every other
/// kind while it awaits the seller.
pub fn seller_may_decide(kind: CaseType, state: CaseState) -> Result<(), String> {
    let decidable = match kind {
        CaseType::ReturnRefund => state == CaseState::Returned,
        _ => state == CaseState::AwaitingSeller,
    };
    if decidable {
        Ok(())
    } else {
        Err(format!(
            "the {} case is {}; the seller cannot decide it now",
            kind.as_str(),
            state.as_str()
        ))
    }
}

/// A refusal must carry evidence: missing-parts and not-received claims (seed 003: the
/// seller proves shipment), and returned goods refused after inspection.
pub fn rejection_evidence(kind: CaseType, evidence_given: bool) -> Result<(), String> {
    if evidence_given {
        return Ok(());
    }
    if kind.rejection_needs_evidence() {
        return Err(format!(
            "rejecting a {} claim needs evidence",
            kind.as_str()
        ));
    }
    if kind == CaseType::ReturnRefund {
        return Err("refusing returned goods needs inspection evidence".into());
    }
    Ok(())
}

/// What one of the platform's steps does to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformOutcome {
    /// Move to this state; nothing else.
    MoveTo(CaseState),
    /// The seller's label is false: refund the whole line without the goods coming back.
    RefundWithoutReturn,
}

/// The platform's steps on a case: the parcel arrived, the seller's label was found
/// invalid, or the buyer withdrew.
pub fn platform_step(
    kind: CaseType,
    state: CaseState,
    label: Option<LabelMode>,
    step: PlatformStep,
) -> Result<PlatformOutcome, String> {
    let allowed = match step {
        PlatformStep::Received => state == CaseState::AwaitingReturn,
        PlatformStep::LabelInvalid => {
            label == Some(LabelMode::Seller)
                && matches!(state, CaseState::AwaitingLabel | CaseState::AwaitingReturn)
        }
        PlatformStep::Cancel => !state.is_closed(),
    };
    if !allowed {
        return Err(format!(
            "a {} case that is {} cannot take this step",
            kind.as_str(),
            state.as_str()
        ));
    }
    Ok(match step {
        PlatformStep::Received => PlatformOutcome::MoveTo(CaseState::Returned),
        PlatformStep::LabelInvalid => PlatformOutcome::RefundWithoutReturn,
        PlatformStep::Cancel => PlatformOutcome::MoveTo(CaseState::Cancelled),
    })
}

/// A label upload is awaited only in `awaiting_label`.
pub fn label_awaited(state: CaseState) -> Result<(), String> {
    if state == CaseState::AwaitingLabel {
        Ok(())
    } else {
        Err(format!(
            "the case is {}; no label is awaited",
            state.as_str()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kinds() -> impl Strategy<Value = CaseType> {
        prop::sample::select(CaseType::ALL.to_vec())
    }
    fn states() -> impl Strategy<Value = CaseState> {
        prop::sample::select(CaseState::ALL.to_vec())
    }
    fn steps() -> impl Strategy<Value = PlatformStep> {
        prop::sample::select(PlatformStep::ALL.to_vec())
    }

    #[test]
    fn labels_follow_the_site_the_size_and_the_seller() {
        let us = super::super::return_mode("US");
        let de = super::super::return_mode("DE");
        assert_eq!(
            choose_label(us, false, false),
            (LabelMode::Platform, CaseState::AwaitingReturn)
        );
        assert_eq!(
            choose_label(us, true, true),
            (LabelMode::Seller, CaseState::AwaitingLabel)
        );
        assert_eq!(
            choose_label(us, true, false),
            (LabelMode::Buyer, CaseState::AwaitingReturn)
        );
        assert_eq!(
            choose_label(de, false, true),
            (LabelMode::Seller, CaseState::AwaitingLabel)
        );
        assert_eq!(
            choose_label(de, false, false),
            (LabelMode::Buyer, CaseState::AwaitingReturn)
        );
    }

    #[test]
    fn cancellations_only_before_shipment() {
        assert!(order_allows(CaseType::Cancellation, OrderState::Placed).is_ok());
        assert!(order_allows(CaseType::Cancellation, OrderState::Shipped).is_err());
        assert!(order_allows(CaseType::MissingParts, OrderState::Delivered).is_ok());
        assert!(order_allows(CaseType::ReturnRefund, OrderState::Placed).is_err());
        assert!(order_allows(CaseType::ReturnRefund, OrderState::Cancelled).is_err());
    }

    #[test]
    fn refusals_carry_evidence_where_the_seed_asks() {
        assert!(rejection_evidence(CaseType::MissingParts, false).is_err());
        assert!(rejection_evidence(CaseType::NotReceived, false).is_err());
        assert!(rejection_evidence(CaseType::ReturnRefund, false).is_err());
        assert!(rejection_evidence(CaseType::RefundOnly, false).is_ok());
        assert!(rejection_evidence(CaseType::MissingParts, true).is_ok());
    }

    proptest! {
        /// Closed cases take no step at all; no step lands a case anywhere but on a
        /// state the table allows.
        #[test]
        fn closed_cases_stay_closed(kind in kinds(), state in states(), step in steps(), seller_label in any::<bool>()) {
            let label = seller_label.then_some(LabelMode::Seller);
            let out = platform_step(kind, state, label, step);
            if state.is_closed() {
                prop_assert!(out.is_err());
                prop_assert!(seller_may_decide(kind, state).is_err());
            }
            if let Ok(PlatformOutcome::MoveTo(to)) = out {
                prop_assert!(matches!(to, CaseState::Returned | CaseState::Cancelled));
                prop_assert_ne!(to, state);
            }
            if out == Ok(PlatformOutcome::RefundWithoutReturn) {
                prop_assert_eq!(label, Some(LabelMode::Seller));
            }
        }

        #[test]
        fn the_seller_decides_returns_only_after_they_are_back(kind in kinds(), state in states()) {
            if seller_may_decide(kind, state).is_ok() {
                let expected = if kind == CaseType::ReturnRefund { CaseState::Returned } else { CaseState::AwaitingSeller };
                prop_assert_eq!(state, expected);
            }
        }
    }
}
