//! Console sign-in: what a login and a password must be, how long a session lives
//! without use, and how fast guessing is slowed. The service hashes and stores; these
//! rules decide.

use crate::Invalid;

pub const MIN_LOGIN: usize = 3;
pub const MAX_LOGIN: usize = 64;
/// Length beats composition rules (NIST SP 800-63B): at least 12 characters, any kind.
pub const MIN_PASSWORD: usize = 12;
/// Long enough for any passphrase, short enough that hashing stays cheap.
pub const MAX_PASSWORD: usize = 256;

/// A session not used for 12 hours ends (the idle expiry).
pub const SESSION_IDLE_US: i64 = 12 * 3600 * 1_000_000;

/// Failures allowed before each further try has to wait.
pub const FREE_FAILURES: i64 = 5;
/// The longest wait between tries, however many failures.
pub const MAX_WAIT_US: i64 = 15 * 60 * 1_000_000;

/// A login as typed: trimmed, 3–64 characters of letters, digits and `. _ - @`, so it
/// can be an e-mail address and never needs escaping in a URL or a log line. Logins
/// compare without case: `Ann` and `ann` are one person.
pub fn login(errors: &mut Invalid, field: &str, value: &str) -> Option<String> {
    let v = value.trim();
    let n = v.chars().count();
    if !(MIN_LOGIN..=MAX_LOGIN).contains(&n) {
        errors.push(
            field,
            format!("must be {MIN_LOGIN} to {MAX_LOGIN} characters (got {n})"),
        );
        return None;
    }
    if let Some(c) = v
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')))
    {
        errors.push(
            field,
            format!("may hold letters, digits and . _ - @ only (found {c:?})"),
        );
        return None;
    }
    Some(v.to_lowercase())
}

/// A new password: 12 to 256 characters, taken exactly as typed (spaces included).
pub fn password(errors: &mut Invalid, field: &str, value: &str) -> bool {
    let n = value.chars().count();
    if n < MIN_PASSWORD {
        errors.push(
            field,
            format!("must be at least {MIN_PASSWORD} characters (got {n})"),
        );
        false
    } else if n > MAX_PASSWORD {
        errors.push(field, format!("must be at most {MAX_PASSWORD} characters"));
        false
    } else {
        true
    }
}

/// Whether a session last used at `last_seen` has lapsed by `now` (microseconds).
pub fn session_lapsed(last_seen: i64, now: i64) -> bool {
    now.saturating_sub(last_seen) >= SESSION_IDLE_US
}

/// How long after the last failure the next try is refused: nothing for the first five
/// failures, then 1 s doubling per failure up to 15 minutes. A person who mistypes
/// twice never notices; a guesser gets a few hundred tries a day.
pub fn wait_after(failures: i64) -> i64 {
    if failures < FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(20) as u32;
    (1_000_000i64 << doublings).min(MAX_WAIT_US)
}

/// Microseconds still to wait before another try, if any.
pub fn must_wait(failures: i64, last_at: i64, now: i64) -> Option<i64> {
    let until = last_at.saturating_add(wait_after(failures));
    (now < until).then(|| until - now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn logins_are_checked_and_folded() {
        let mut e = Invalid::default();
        assert_eq!(
            login(&mut e, "login", " Ann.Lee@shop "),
            Some("ann.lee@shop".into())
        );
        assert_eq!(login(&mut e, "login", "ab"), None);
        assert_eq!(login(&mut e, "login", "has space"), None);
        assert_eq!(login(&mut e, "login", &"x".repeat(65)), None);
        assert_eq!(e.0.len(), 3);
    }

    #[test]
    fn passwords_need_twelve_characters() {
        let mut e = Invalid::default();
        assert!(!password(&mut e, "password", "elevenchars"));
        assert!(password(&mut e, "password", "twelve chars"));
        assert!(password(&mut e, "password", "十二个汉字的密码也可以用的吧"));
        assert_eq!(e.0.len(), 1);
    }

    #[test]
    fn sessions_lapse_after_twelve_idle_hours() {
        let h = 3600 * 1_000_000;
        assert!(!session_lapsed(0, 12 * h - 1));
        assert!(session_lapsed(0, 12 * h));
    }

    proptest! {
        /// More failures never mean a shorter wait, the first five cost nothing, and no
        /// wait exceeds the cap.
        #[test]
        fn waits_grow_and_are_capped(n in 0i64..1000) {
            prop_assert!(wait_after(n + 1) >= wait_after(n));
            prop_assert!(wait_after(n) <= MAX_WAIT_US);
            prop_assert_eq!(wait_after(n) == 0, n < FREE_FAILURES);
        }

        #[test]
        fn a_wait_ends(failures in 0i64..100, last in 0i64..1_000_000_000, later in 0i64..2_000_000_000) {
            let now = last + later;
            match must_wait(failures, last, now) {
                Some(w) => prop_assert!(w > 0 && now + w == last + wait_after(failures)),
                None => prop_assert!(now >= last + wait_after(failures)),
            }
        }
    }
}
