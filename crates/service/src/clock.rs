//! The one source of "now". Production reads the system clock; the sandbox
//! (`serve --clock manual`) has a clock that moves only when told to, so tests can travel
//! past deadlines without waiting.

use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
    /// The manual clock, when this is one; `None` refuses time travel.
    fn as_manual(&self) -> Option<&ManualClock> {
        None
    }
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until moved. It never moves backwards, so instants stored
/// in order stay in order.
pub struct ManualClock {
    now: Mutex<Timestamp>,
    /// False until the time stored in the database was adopted: until then `now` is only
    /// a starting guess that a stored sandbox time replaces, even if earlier.
    adopted: std::sync::atomic::AtomicBool,
}

impl ManualClock {
    pub fn new(start: Timestamp) -> Self {
        Self {
            now: Mutex::new(start),
            adopted: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Takes the stored sandbox time (the first time) or catches up with it (later).
    pub fn adopt(&self, stored: Timestamp) {
        let mut now = self.now.lock().expect("clock lock");
        if !self.adopted.swap(true, std::sync::atomic::Ordering::SeqCst) || stored > *now {
            *now = stored;
        }
    }

    pub fn advance(&self, by: SignedDuration) -> Result<Timestamp, String> {
        if by.is_negative() {
            return Err("the clock only moves forward".into());
        }
        let mut now = self.now.lock().expect("clock lock");
        *now = now
            .checked_add(by)
            .map_err(|_| "that would move the clock past the year 9999".to_string())?;
        Ok(*now)
    }

    pub fn set(&self, to: Timestamp) -> Result<Timestamp, String> {
        let mut now = self.now.lock().expect("clock lock");
        if to < *now {
            return Err(format!("the clock only moves forward; it is already {now}"));
        }
        *now = to;
        Ok(*now)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        *self.now.lock().expect("clock lock")
    }
    fn as_manual(&self) -> Option<&ManualClock> {
        Some(self)
    }
}
