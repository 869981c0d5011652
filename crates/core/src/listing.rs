//! The listing state machine of domain.md ("Listing states"), as one pure function.
//!
//! A product is in exactly one state. `pending_review` remembers where it came from, so a
//! rejection sends it back there (domain.md: "rejected → back where it was"). Who may ask
//! for which move is decided here as well, so no handler or query carries a rule of its
//! own.

use std::fmt;
use std::str::FromStr;

use crate::role::{FulfilmentMode, Role};

pub mod content;
pub mod description;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Draft,
    PendingReview,
    OnSale,
    Delisted,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DelistKind {
    Voluntary,
    Violation,
    Protective,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Green,
    Grey,
    Red,
}

/// Where a product stands: its state, why it is delisted, and where it returns to: for a
/// product under review, the status a rejection restores; for a violation delist of a
/// product that was already delisted (voluntarily or at zero stock), that earlier delist,
/// which a voided violation restores instead of putting the product on sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListingStatus {
    pub state: State,
    pub delist_kind: Option<DelistKind>,
    pub review_return: Option<(State, Option<DelistKind>)>,
}

/// A requested move. Reasons and evidence travel beside it; the machine only needs to
/// know which move it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Seller puts a draft on sale (fully-managed: into review).
    List,
    /// Seller takes an on-sale product down (主动下架).
    Delist,
    /// Reviewer takes a product down for a rule violation (违规下架).
    ViolationDelist,
    /// The platform delists at zero available stock (保护性下架).
    ProtectiveDelist,
    /// Seller brings a voluntarily delisted product back.
    Relist,
    /// Stock came back to a protectively delisted product.
    Restock,
    /// Seller asks for relist review of a violation after rectifying (复审).
    RequestRelistReview,
    /// Reviewer approves a pending review.
    ApproveReview,
    /// Reviewer rejects a pending review.
    RejectReview,
    /// A violation was voided (appeal upheld): back on sale, or back to the delist that
    /// held the product before the takedown.
    VoidViolation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// The actor's role may not ask for this move at all.
    NotAllowed { action: Action, role: Role },
    /// The move does not exist from the product's current status.
    Illegal {
        action: Action,
        from: ListingStatus,
        why: &'static str,
    },
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::NotAllowed { action, role } => write!(
                f,
                "a {} may not {}",
                role.as_str(),
                action.as_str().replace('_', " ")
            ),
            TransitionError::Illegal { action, from, why } => write!(
                f,
                "cannot {} a product that is {}: {why}",
                action.as_str().replace('_', " "),
                from.describe()
            ),
        }
    }
}

impl std::error::Error for TransitionError {}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::List,
        Action::Delist,
        Action::ViolationDelist,
        Action::ProtectiveDelist,
        Action::Relist,
        Action::Restock,
        Action::RequestRelistReview,
        Action::ApproveReview,
        Action::RejectReview,
        Action::VoidViolation,
    ];

    /// The timeline's `action` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::List => "list",
            Action::Delist => "delist",
            Action::ViolationDelist => "violation_delist",
            Action::ProtectiveDelist => "protective_delist",
            Action::Relist => "relist",
            Action::Restock => "restock_relist",
            Action::RequestRelistReview => "request_relist_review",
            Action::ApproveReview => "approve_review",
            Action::RejectReview => "reject_review",
            Action::VoidViolation => "void_violation",
        }
    }

    fn allowed_for(self, role: Role) -> bool {
        use Role::*;
        match self {
            Action::List | Action::Delist | Action::Relist | Action::RequestRelistReview => {
                matches!(role, Seller | Admin)
            }
            Action::ViolationDelist
            | Action::ApproveReview
            | Action::RejectReview
            | Action::VoidViolation => matches!(role, Reviewer | Admin),
            Action::ProtectiveDelist | Action::Restock => matches!(role, System),
        }
    }
}

/// What an action must carry: a delisting (the seller's or a reviewer's) names a reason
/// code from the closed list and says why in words; rejecting a relist review says why.
/// Every other move may carry either, and neither is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonRequirement {
    pub code: bool,
    pub text: bool,
}

impl Action {
    pub fn reason_requirement(self) -> ReasonRequirement {
        let code = matches!(self, Action::Delist | Action::ViolationDelist);
        ReasonRequirement {
            code,
            text: code || self == Action::RejectReview,
        }
    }
}

impl ListingStatus {
    pub const DRAFT: ListingStatus = ListingStatus {
        state: State::Draft,
        delist_kind: None,
        review_return: None,
    };

    fn on_sale() -> Self {
        Self {
            state: State::OnSale,
            delist_kind: None,
            review_return: None,
        }
    }

    fn delisted(kind: DelistKind) -> Self {
        Self {
            state: State::Delisted,
            delist_kind: Some(kind),
            review_return: None,
        }
    }

    fn pending(from: ListingStatus) -> Self {
        Self {
            state: State::PendingReview,
            delist_kind: None,
            review_return: Some((from.state, from.delist_kind)),
        }
    }

    /// The label the seller center shows: green on sale, red for a violation, grey for
    /// any other delisting, none for drafts and reviews.
    pub fn label(&self) -> Option<Label> {
        match (self.state, self.delist_kind) {
            (State::OnSale, _) => Some(Label::Green),
            (State::Delisted, Some(DelistKind::Violation)) => Some(Label::Red),
            (State::Delisted, _) => Some(Label::Grey),
            _ => None,
        }
    }

    /// The states and delist kinds (None: any) whose products carry `label`: the same
    /// rule as [`ListingStatus::label`], in the form a list filter needs.
    pub fn with_label(label: Label) -> (Vec<State>, Option<Vec<DelistKind>>) {
        match label {
            Label::Green => (vec![State::OnSale], None),
            Label::Red => (vec![State::Delisted], Some(vec![DelistKind::Violation])),
            Label::Grey => (
                vec![State::Delisted],
                Some(vec![DelistKind::Voluntary, DelistKind::Protective]),
            ),
        }
    }

    /// Stock of a product that is not on sale accepts no new reservation (库存冻结).
    pub fn stock_frozen(&self) -> bool {
        self.state != State::OnSale
    }

    /// True for every status domain.md's table allows; used by property tests and as a
    /// guard when loading rows written by older versions.
    pub fn is_valid(&self) -> bool {
        match self.state {
            State::Draft | State::OnSale => {
                self.delist_kind.is_none() && self.review_return.is_none()
            }
            State::Delisted => match (self.delist_kind, self.review_return) {
                (Some(_), None) => true,
                (Some(DelistKind::Violation), Some((State::Delisted, Some(k)))) => {
                    k != DelistKind::Violation
                }
                _ => false,
            },
            State::PendingReview => {
                self.delist_kind.is_none()
                    && matches!(
                        self.review_return,
                        Some((State::Draft, None))
                            | Some((State::Delisted, Some(DelistKind::Voluntary)))
                            | Some((State::Delisted, Some(DelistKind::Violation)))
                    )
            }
        }
    }

    fn describe(&self) -> String {
        match (self.state, self.delist_kind) {
            (State::Delisted, Some(k)) => format!("delisted ({})", k.as_str()),
            (s, _) => s.as_str().replace('_', " "),
        }
    }

    /// Applies `action` asked by `role` for a store of fulfilment `mode`.
    pub fn apply(
        self,
        action: Action,
        role: Role,
        mode: FulfilmentMode,
    ) -> Result<ListingStatus, TransitionError> {
        if !action.allowed_for(role) {
            return Err(TransitionError::NotAllowed { action, role });
        }
        let illegal = |why: &'static str| TransitionError::Illegal {
            action,
            from: self,
            why,
        };
        let reviewed = mode == FulfilmentMode::FullyManaged;
        use DelistKind::*;
        use State::*;
        match (action, self.state, self.delist_kind) {
            (Action::List, Draft, _) if reviewed => Ok(Self::pending(self)),
            (Action::List, Draft, _) => Ok(Self::on_sale()),
            (Action::List, _, _) => Err(illegal("only a draft can be listed; use relist")),

            (Action::Delist, OnSale, _) => Ok(Self::delisted(Voluntary)),
            // A seller may take over a protective delist, so that returning stock does not
            // put the product back on sale against their wish.
            (Action::Delist, Delisted, Some(Protective)) => Ok(Self::delisted(Voluntary)),
            (Action::Delist, Draft, _) => Err(illegal("a draft was never listed")),
            (Action::Delist, _, _) => Err(illegal("only a product on sale can be delisted")),

            (Action::ViolationDelist, OnSale | PendingReview, _) => Ok(Self::delisted(Violation)),
            (Action::ViolationDelist, Delisted, Some(held @ (Voluntary | Protective))) => {
                Ok(Self {
                    review_return: Some((Delisted, Some(held))),
                    ..Self::delisted(Violation)
                })
            }
            (Action::ViolationDelist, Delisted, _) => {
                Err(illegal("it is already delisted for a violation"))
            }
            (Action::ViolationDelist, Draft, _) => Err(illegal("a draft is not for sale")),

            (Action::ProtectiveDelist, OnSale, _) => Ok(Self::delisted(Protective)),
            (Action::ProtectiveDelist, _, _) => Err(illegal("only a product on sale is protected")),

            (Action::Relist, Delisted, Some(Voluntary)) if reviewed => Ok(Self::pending(self)),
            (Action::Relist, Delisted, Some(Voluntary)) => Ok(Self::on_sale()),
            (Action::Relist, Delisted, Some(Violation)) => Err(illegal(
                "a violation is lifted only by an approved relist review or an upheld appeal",
            )),
            (Action::Relist, Delisted, Some(Protective)) => Err(illegal(
                "it returns on sale by itself when stock comes back",
            )),
            (Action::Relist, _, _) => Err(illegal("only a delisted product can be relisted")),

            (Action::Restock, Delisted, Some(Protective)) => Ok(Self::on_sale()),
            (Action::Restock, _, _) => Err(illegal("only a protective delist lifts on restock")),

            (Action::RequestRelistReview, Delisted, Some(Violation)) => Ok(Self::pending(self)),
            (Action::RequestRelistReview, _, _) => Err(illegal(
                "relist review is for products delisted for a violation",
            )),

            (Action::ApproveReview, PendingReview, _) => Ok(Self::on_sale()),
            (Action::RejectReview, PendingReview, _) => {
                let (state, delist_kind) = self
                    .review_return
                    .ok_or_else(|| illegal("the review does not record where it came from"))?;
                Ok(Self {
                    state,
                    delist_kind,
                    review_return: None,
                })
            }
            (Action::ApproveReview | Action::RejectReview, _, _) => {
                Err(illegal("it is not awaiting review"))
            }

            (Action::VoidViolation, Delisted, Some(Violation)) => match self.review_return {
                Some((Delisted, Some(held))) => Ok(Self::delisted(held)),
                _ => Ok(Self::on_sale()),
            },
            (Action::VoidViolation, _, _) => Err(illegal("it is not delisted for a violation")),
        }
    }
}

macro_rules! text_enum {
    ($ty:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }
        }
        impl FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($ty::$variant),)*
                    other => Err(format!(
                        "unknown value \"{other}\"; expected one of: {}",
                        [$($text),*].join(", ")
                    )),
                }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(State { Draft => "draft", PendingReview => "pending_review", OnSale => "on_sale", Delisted => "delisted" });
text_enum!(DelistKind { Voluntary => "voluntary", Violation => "violation", Protective => "protective" });
text_enum!(Label { Green => "green", Grey => "grey", Red => "red" });

impl State {
    pub const ALL: [State; 4] = [
        State::Draft,
        State::PendingReview,
        State::OnSale,
        State::Delisted,
    ];
}

#[cfg(test)]
mod tests;
