//! A reviewer's claim on a violation case (认领): while it lasts, nobody else decides the
//! case, so two reviewers never work the same relist review or appeal at once. A claim
//! lapses on its own after 30 minutes, so a reviewer who walks away does not block it.

/// How long a claim holds, in minutes.
pub const CLAIM_MINUTES: i64 = 30;

const MINUTE_US: i64 = 60_000_000;

/// When a claim taken at `now` (microseconds) lapses.
pub fn expires_at(now: i64) -> i64 {
    now.saturating_add(CLAIM_MINUTES * MINUTE_US)
}

/// Who holds a case at `now`: the claim's reviewer while it has not lapsed.
pub fn holder(claim: Option<(&str, i64)>, now: i64) -> Option<&str> {
    claim.filter(|(_, until)| *until > now).map(|(who, _)| who)
}

/// Whether `who` may decide a case (or take its claim) at `now`: nobody else holds it.
pub fn may_act(claim: Option<(&str, i64)>, who: &str, now: i64) -> Result<(), String> {
    match holder(claim, now) {
        Some(other) if other != who => Err(format!(
            "another reviewer ({other}) has claimed this case; their claim lapses {CLAIM_MINUTES} minutes after it was taken"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// A live claim shuts out everyone but its holder; a lapsed one nobody.
        #[test]
        fn claims_shut_out_others_until_they_lapse(taken in 0i64..1_000_000_000_000, later in 0i64..(4 * CLAIM_MINUTES * MINUTE_US)) {
            let until = expires_at(taken);
            let now = taken + later;
            let claim = Some(("ann", until));
            prop_assert!(may_act(claim, "ann", now).is_ok());
            prop_assert_eq!(may_act(claim, "bob", now).is_ok(), later >= CLAIM_MINUTES * MINUTE_US);
            prop_assert!(may_act(None, "bob", now).is_ok());
        }
    }

    #[test]
    fn a_claim_lasts_thirty_minutes() {
        assert_eq!(expires_at(0), 30 * 60 * 1_000_000);
        assert_eq!(holder(Some(("ann", 10)), 9), Some("ann"));
        assert_eq!(holder(Some(("ann", 10)), 10), None);
    }
}
