//! Failed authentications are counted per client address: a caller that keeps sending
//! bad tokens is answered 429 with `Retry-After` — and its later tries, right or wrong,
//! are not even looked up — until its budget refills. Counted in this process only: a
//! guesser spread over N processes gets N budgets, which at 256-bit tokens is still no
//! chance at all; what this stops is one client burning the database with lookups.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Failed tries an address may make in a burst, and how fast the budget refills.
pub const FAILURE_BURST: u32 = 20;
pub const REFILL_EVERY: Duration = Duration::from_secs(3);

pub struct AuthThrottle {
    failures: DefaultKeyedRateLimiter<IpAddr>,
    /// Addresses that ran out, until when: checked before any token is looked up.
    blocked: Mutex<HashMap<IpAddr, Instant>>,
}

impl Default for AuthThrottle {
    fn default() -> Self {
        AuthThrottle::new(FAILURE_BURST)
    }
}

impl AuthThrottle {
    /// `burst` failed tries per address before it waits (at least 1).
    pub fn new(burst: u32) -> Self {
        let quota = Quota::with_period(REFILL_EVERY)
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(burst.max(1)).expect("non-zero"));
        AuthThrottle {
            failures: RateLimiter::keyed(quota),
            blocked: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds to wait, while `addr` is blocked.
    pub fn blocked_for(&self, addr: IpAddr) -> Option<u64> {
        let mut blocked = self.blocked.lock().expect("auth throttle");
        let until = *blocked.get(&addr)?;
        let now = Instant::now();
        if until <= now {
            blocked.remove(&addr);
            return None;
        }
        Some(seconds(until - now))
    }

    /// Counts a failure; answers the seconds to wait when it was one too many.
    pub fn failed(&self, addr: IpAddr) -> Option<u64> {
        let Err(not_until) = self.failures.check_key(&addr) else {
            return None;
        };
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        let mut blocked = self.blocked.lock().expect("auth throttle");
        if blocked.len() >= 100_000 {
            let now = Instant::now();
            blocked.retain(|_, until| *until > now);
            self.failures.retain_recent();
        }
        blocked.insert(addr, Instant::now() + wait);
        Some(seconds(wait))
    }
}

fn seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_blocked_after_its_burst_and_others_are_not() {
        let t = AuthThrottle::default();
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..FAILURE_BURST {
            assert_eq!(t.failed(a), None);
        }
        let wait = t.failed(a).expect("one failure too many");
        assert!((1..=REFILL_EVERY.as_secs()).contains(&wait), "{wait}");
        assert!(t.blocked_for(a).is_some());
        assert_eq!(t.blocked_for(b), None);
        assert_eq!(t.failed(b), None);
    }
}
