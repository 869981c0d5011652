use super::*;
use proptest::prelude::*;

const SELF: FulfilmentMode = FulfilmentMode::SelfOperated;
const FULL: FulfilmentMode = FulfilmentMode::FullyManaged;

fn status(state: State, kind: Option<DelistKind>) -> ListingStatus {
    ListingStatus {
        state,
        delist_kind: kind,
        review_return: None,
    }
}

#[test]
fn seller_lists_and_delists_with_grey_label() {
    let listed = ListingStatus::DRAFT
        .apply(Action::List, Role::Seller, SELF)
        .unwrap();
    assert_eq!(listed.state, State::OnSale);
    assert_eq!(listed.label(), Some(Label::Green));
    let down = listed.apply(Action::Delist, Role::Seller, SELF).unwrap();
    assert_eq!(down.delist_kind, Some(DelistKind::Voluntary));
    assert_eq!(down.label(), Some(Label::Grey));
    assert!(down.stock_frozen());
    let back = down.apply(Action::Relist, Role::Seller, SELF).unwrap();
    assert_eq!(back.state, State::OnSale);
}

#[test]
fn fully_managed_listing_waits_for_review_and_rejection_returns_it() {
    let pending = ListingStatus::DRAFT
        .apply(Action::List, Role::Seller, FULL)
        .unwrap();
    assert_eq!(pending.state, State::PendingReview);
    assert_eq!(pending.label(), None);
    let back = pending
        .apply(Action::RejectReview, Role::Reviewer, FULL)
        .unwrap();
    assert_eq!(back, ListingStatus::DRAFT);
    let approved = pending
        .apply(Action::ApproveReview, Role::Reviewer, FULL)
        .unwrap();
    assert_eq!(approved.state, State::OnSale);
}

#[test]
fn violation_is_red_and_cannot_be_relisted_by_the_seller() {
    let red = status(State::OnSale, None)
        .apply(Action::ViolationDelist, Role::Reviewer, SELF)
        .unwrap();
    assert_eq!(red.label(), Some(Label::Red));
    let err = red.apply(Action::Relist, Role::Seller, SELF).unwrap_err();
    assert!(err.to_string().contains("relist review"), "{err}");
    let review = red
        .apply(Action::RequestRelistReview, Role::Seller, SELF)
        .unwrap();
    let rejected = review
        .apply(Action::RejectReview, Role::Reviewer, SELF)
        .unwrap();
    assert_eq!(rejected, red);
}

#[test]
fn draft_cannot_be_delisted_and_sellers_cannot_police() {
    assert!(matches!(
        ListingStatus::DRAFT.apply(Action::Delist, Role::Seller, SELF),
        Err(TransitionError::Illegal { .. })
    ));
    assert!(matches!(
        status(State::OnSale, None).apply(Action::ViolationDelist, Role::Seller, SELF),
        Err(TransitionError::NotAllowed { .. })
    ));
    assert!(matches!(
        status(State::OnSale, None).apply(Action::ProtectiveDelist, Role::Admin, SELF),
        Err(TransitionError::NotAllowed { .. })
    ));
}

#[test]
fn voided_violation_restores_the_earlier_delist() {
    let voluntary = status(State::Delisted, Some(DelistKind::Voluntary));
    let red = voluntary
        .apply(Action::ViolationDelist, Role::Reviewer, SELF)
        .unwrap();
    assert_eq!(red.label(), Some(Label::Red));
    assert_eq!(
        red.apply(Action::VoidViolation, Role::Reviewer, SELF)
            .unwrap(),
        voluntary
    );
    let on_sale = status(State::OnSale, None);
    let red = on_sale
        .apply(Action::ViolationDelist, Role::Reviewer, SELF)
        .unwrap();
    assert_eq!(
        red.apply(Action::VoidViolation, Role::Reviewer, SELF)
            .unwrap(),
        on_sale
    );
}

#[test]
fn protective_delist_lifts_only_on_restock() {
    let grey = status(State::OnSale, None)
        .apply(Action::ProtectiveDelist, Role::System, SELF)
        .unwrap();
    assert_eq!(grey.label(), Some(Label::Grey));
    assert!(grey.apply(Action::Relist, Role::Seller, SELF).is_err());
    assert_eq!(
        grey.apply(Action::Restock, Role::System, SELF)
            .unwrap()
            .state,
        State::OnSale
    );
    // A seller who delists it on purpose keeps it down when stock returns.
    let held = grey.apply(Action::Delist, Role::Seller, SELF).unwrap();
    assert!(held.apply(Action::Restock, Role::System, SELF).is_err());
}

fn any_action() -> impl Strategy<Value = Action> {
    proptest::sample::select(Action::ALL.to_vec())
}

fn any_role() -> impl Strategy<Value = Role> {
    proptest::sample::select(vec![
        Role::Admin,
        Role::Reviewer,
        Role::CsAgent,
        Role::Seller,
        Role::System,
    ])
}

fn any_mode() -> impl Strategy<Value = FulfilmentMode> {
    proptest::sample::select(vec![
        FulfilmentMode::SelfOperated,
        FulfilmentMode::SemiManaged,
        FulfilmentMode::FullyManaged,
    ])
}

/// The edges of domain.md's table, written out independently of `apply`.
fn table_allows(from: ListingStatus, to: ListingStatus, action: Action) -> bool {
    use DelistKind::*;
    use State::*;
    match (from.state, from.delist_kind, to.state, to.delist_kind) {
        (Draft, _, OnSale, None) | (Draft, _, PendingReview, None) => action == Action::List,
        (PendingReview, _, OnSale, None) => action == Action::ApproveReview,
        (PendingReview, _, s, k) if action == Action::RejectReview => {
            from.review_return == Some((s, k))
        }
        (OnSale | PendingReview, _, Delisted, Some(Violation)) => action == Action::ViolationDelist,
        (OnSale, _, Delisted, Some(Voluntary)) => action == Action::Delist,
        (OnSale, _, Delisted, Some(Protective)) => action == Action::ProtectiveDelist,
        (Delisted, Some(Voluntary), OnSale | PendingReview, None) => action == Action::Relist,
        (Delisted, Some(Protective), OnSale, None) => action == Action::Restock,
        (Delisted, Some(Protective), Delisted, Some(Voluntary)) => action == Action::Delist,
        (Delisted, Some(k @ (Voluntary | Protective)), Delisted, Some(Violation)) => {
            action == Action::ViolationDelist && to.review_return == Some((Delisted, Some(k)))
        }
        (Delisted, Some(Violation), Delisted, Some(k @ (Voluntary | Protective))) => {
            action == Action::VoidViolation && from.review_return == Some((Delisted, Some(k)))
        }
        (Delisted, Some(Violation), PendingReview, None) => action == Action::RequestRelistReview,
        (Delisted, Some(Violation), OnSale, None) => {
            action == Action::VoidViolation && from.review_return.is_none()
        }
        _ => false,
    }
}

proptest! {
    /// A label filter selects exactly the products that carry the label.
    #[test]
    fn the_label_filter_matches_the_label(
        steps in proptest::collection::vec((any_action(), any_role()), 0..20),
        mode in any_mode(),
    ) {
        let mut s = ListingStatus::DRAFT;
        for (a, r) in steps {
            if let Ok(next) = s.apply(a, r, mode) {
                s = next;
            }
        }
        for label in [Label::Green, Label::Grey, Label::Red] {
            let (states, kinds) = ListingStatus::with_label(label);
            let selected = states.contains(&s.state)
                && kinds.as_ref().is_none_or(|k| s.delist_kind.is_some_and(|d| k.contains(&d)));
            prop_assert_eq!(selected, s.label() == Some(label), "{:?} {:?}", s, label);
        }
    }

    /// No sequence of requests, by anyone, reaches a status the table does not allow,
    /// and every accepted move is one of the table's edges.
    #[test]
    fn no_sequence_leaves_the_table(
        steps in proptest::collection::vec((any_action(), any_role()), 0..60),
        mode in any_mode(),
    ) {
        let mut current = ListingStatus::DRAFT;
        for (action, role) in steps {
            if let Ok(next) = current.apply(action, role, mode) {
                prop_assert!(next.is_valid(), "{:?} --{:?}--> {:?}", current, action, next);
                prop_assert!(table_allows(current, next, action),
                    "{:?} --{:?}--> {:?} is not in the table", current, action, next);
                prop_assert_ne!(current, next, "an accepted move must change the status");
                current = next;
            }
            // The label is a function of the status, never stored apart from it.
            let expect_label = match (current.state, current.delist_kind) {
                (State::OnSale, _) => Some(Label::Green),
                (State::Delisted, Some(DelistKind::Violation)) => Some(Label::Red),
                (State::Delisted, _) => Some(Label::Grey),
                _ => None,
            };
            prop_assert_eq!(current.label(), expect_label);
        }
    }

    /// Sellers can never lift a violation on their own, whatever they try.
    #[test]
    fn sellers_never_lift_a_violation(
        steps in proptest::collection::vec(any_action(), 0..30),
        mode in any_mode(),
    ) {
        let mut current = status(State::Delisted, Some(DelistKind::Violation));
        for action in steps {
            if let Ok(next) = current.apply(action, Role::Seller, mode) {
                current = next;
            }
            prop_assert_ne!(current.state, State::OnSale);
        }
    }
}

#[test]
fn delistings_need_a_code_and_words_rejections_need_words() {
    for a in Action::ALL {
        let r = a.reason_requirement();
        let delisting = matches!(a, Action::Delist | Action::ViolationDelist);
        assert_eq!(r.code, delisting, "{a:?}");
        assert_eq!(r.text, delisting || a == Action::RejectReview, "{a:?}");
    }
}
