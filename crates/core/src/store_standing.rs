//! A store's standing with the platform (店铺状态): active, or suspended by merchant
//! operations with a reason. A suspension does not rewrite any listing: each product keeps
//! its own state (and its own way back), so reinstatement returns the store exactly as it
//! was. While suspended, nothing of the store can be bought, and its sellers can read
//! everything but change nothing of the store's; their own sign-in, password, language and
//! inbox stay theirs.

use crate::role::Role;

names!(Standing {
    Active => "active",
    Suspended => "suspended",
});

names!(StandingStep {
    Suspend => "suspend",
    Reinstate => "reinstate",
});

/// The longest reason an admin may give; it reaches the sellers' inbox and the timeline.
pub const MAX_REASON: usize = 500;

impl Standing {
    pub fn of(suspended_at: Option<i64>) -> Standing {
        match suspended_at {
            Some(_) => Standing::Suspended,
            None => Standing::Active,
        }
    }

    /// Whether buyers may order the store's products.
    pub fn sells(self) -> bool {
        self == Standing::Active
    }

    /// Where a step leads; suspending a suspended store (or reinstating an active one)
    /// is refused rather than silently repeated, so the timeline never says it twice.
    pub fn after(self, step: StandingStep) -> Result<Standing, &'static str> {
        match (self, step) {
            (Standing::Active, StandingStep::Suspend) => Ok(Standing::Suspended),
            (Standing::Suspended, StandingStep::Reinstate) => Ok(Standing::Active),
            (Standing::Suspended, StandingStep::Suspend) => Err("the store is already suspended"),
            (Standing::Active, StandingStep::Reinstate) => Err("the store is not suspended"),
        }
    }
}

/// What a request changes: the store's data, or only the person's own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Store,
    Personal,
}

/// Whether someone of `role`, bound to a store in `standing`, may make a change of `scope`.
/// Platform staff are never held back: customer service still settles the buyers' cases
/// of a suspended store, and reviewers still take down what breaks the rules.
pub fn may_change(role: Role, standing: Standing, scope: Scope) -> Result<(), &'static str> {
    match (role.bound_to_store(), standing, scope) {
        (true, Standing::Suspended, Scope::Store) => Err(
            "the store is suspended: its sellers can read everything but change nothing until the platform reinstates it",
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn step() -> impl Strategy<Value = StandingStep> {
        prop_oneof![Just(StandingStep::Suspend), Just(StandingStep::Reinstate)]
    }

    proptest! {
        /// Over any sequence of steps, the store is suspended exactly when the last step
        /// that was accepted suspended it, and only then do sales and sellers' changes stop.
        #[test]
        fn standing_follows_the_last_accepted_step(steps in proptest::collection::vec(step(), 0..40)) {
            let mut standing = Standing::Active;
            let mut suspended = false;
            for s in steps {
                let accepted = (s == StandingStep::Suspend) != suspended;
                match standing.after(s) {
                    Ok(next) => { prop_assert!(accepted); standing = next; suspended = s == StandingStep::Suspend; }
                    Err(_) => prop_assert!(!accepted),
                }
            }
            prop_assert_eq!(standing == Standing::Suspended, suspended);
            prop_assert_eq!(standing.sells(), !suspended);
            prop_assert_eq!(may_change(Role::Seller, standing, Scope::Store).is_ok(), !suspended);
            prop_assert!(may_change(Role::Seller, standing, Scope::Personal).is_ok());
            prop_assert!(may_change(Role::Admin, standing, Scope::Store).is_ok());
            prop_assert!(may_change(Role::CsAgent, standing, Scope::Store).is_ok());
        }
    }

    #[test]
    fn repeating_a_step_is_refused() {
        assert!(Standing::Suspended.after(StandingStep::Suspend).is_err());
        assert!(Standing::Active.after(StandingStep::Reinstate).is_err());
        assert_eq!(Standing::of(Some(1)), Standing::Suspended);
        assert_eq!(Standing::of(None), Standing::Active);
    }
}
