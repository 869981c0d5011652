//! The affiliate program (精选联盟, seed 001): products enrolled with a commission, creators'
//! campaigns over a time range, and leaving the program — never in the middle of a
//! campaign ("合理选择下架时间"), with the affected buyers told at once ("提前通知买家") and
//! compensated as the store decides ("制定补偿政策"), the products delisted when it runs.

use rust_decimal::Decimal;
use std::str::FromStr;

/// The highest commission a store may offer creators, in percent of the sale.
pub const MAX_COMMISSION_PERCENT: Decimal = Decimal::from_parts(80, 0, 0, false, 0);
/// Buyers of attributed orders this far back are told of an exit, as are buyers of open
/// orders, and the preview shows the products' sales over the same window.
pub const AFFECTED_DAYS: i64 = 30;
/// How far ahead an exit may be scheduled: further than this is a plan, not an exit.
pub const MAX_EXIT_AHEAD_DAYS: i64 = 365;
/// The longest campaign a store may record.
pub const MAX_CAMPAIGN_DAYS: i64 = 366;
pub const MAX_NOTICE: usize = 1000;
pub const MAX_NAME: usize = 120;
pub const MAX_PRODUCTS: usize = 500;

names!(ExitState {
    Scheduled => "scheduled",
    Done => "done",
    Cancelled => "cancelled",
});

names!(CompensationKind {
    Coupon => "coupon",
    PriceHonour => "price_honour",
    None => "none",
});

/// A commission rate as typed: a decimal string, above 0 and at most 80, two decimals.
pub fn parse_commission(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let ok = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.');
    let d = ok
        .then(|| Decimal::from_str(t).ok())
        .flatten()
        .ok_or_else(|| format!("\"{t}\" is not a decimal percentage such as \"12.5\""))?;
    if d <= Decimal::ZERO || d > MAX_COMMISSION_PERCENT {
        return Err(format!(
            "must be above 0 and at most {MAX_COMMISSION_PERCENT}"
        ));
    }
    if d.normalize().scale() > 2 {
        return Err("at most 2 digits after the decimal point".into());
    }
    Ok(d.normalize())
}

/// A campaign's window, in microseconds: starts before it ends, and not absurdly long.
pub fn check_window(starts_at: i64, ends_at: i64) -> Result<(), String> {
    if ends_at <= starts_at {
        return Err("must be after starts_at".into());
    }
    if ends_at - starts_at > MAX_CAMPAIGN_DAYS * 86_400_000_000 {
        return Err(format!("a campaign lasts at most {MAX_CAMPAIGN_DAYS} days"));
    }
    Ok(())
}

/// A campaign as the exit rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub id: String,
    pub name: String,
    pub starts_at: i64,
    pub ends_at: i64,
}

impl Window {
    /// Inside means from its start up to (not including) its end: leaving at the very
    /// moment a campaign ends cuts nothing short.
    pub fn contains(&self, at: i64) -> bool {
        self.starts_at <= at && at < self.ends_at
    }

    /// Running or still to come at `now`: what the preview lists.
    pub fn active_or_coming(&self, now: i64) -> bool {
        self.ends_at > now
    }
}

/// The campaigns an exit at `exit_at` would cut short: the exit is refused while any is.
pub fn cut_short(campaigns: &[Window], exit_at: i64) -> Vec<&Window> {
    campaigns.iter().filter(|w| w.contains(exit_at)).collect()
}

/// When an exit may be scheduled: after now and within a year.
pub fn check_exit_at(exit_at: i64, now: i64) -> Result<(), String> {
    if exit_at <= now {
        return Err("must be in the future".into());
    }
    if exit_at - now > MAX_EXIT_AHEAD_DAYS * 86_400_000_000 {
        return Err(format!("at most {MAX_EXIT_AHEAD_DAYS} days ahead"));
    }
    Ok(())
}

/// The compensation as given: coupons and honoured prices need a positive amount (the
/// caller parses it in the store's currency); "none" takes none.
pub fn check_compensation(kind: CompensationKind, amount: Option<Decimal>) -> Result<(), String> {
    match (kind, amount) {
        (CompensationKind::None, None) => Ok(()),
        (CompensationKind::None, Some(_)) => Err("\"none\" takes no amount".into()),
        (_, Some(a)) if a > Decimal::ZERO => Ok(()),
        (_, _) => Err(format!("\"{}\" needs an amount above zero", kind.as_str())),
    }
}

/// Whether an order concerns the buyers of an exit: open, or attributed to the program
/// within the last [`AFFECTED_DAYS`].
pub fn affects(open: bool, attributed: bool, placed_at: i64, now: i64) -> bool {
    open || (attributed && placed_at >= now - AFFECTED_DAYS * 86_400_000_000)
}

impl ExitState {
    /// Only a scheduled exit may be cancelled; a finished or cancelled one stays so.
    pub fn cancel(self) -> Result<ExitState, &'static str> {
        match self {
            ExitState::Scheduled => Ok(ExitState::Cancelled),
            ExitState::Done => Err("the exit has already run"),
            ExitState::Cancelled => Err("the exit is already cancelled"),
        }
    }

    /// The deadline worker runs a scheduled exit once; a cancelled one is left alone.
    pub fn runs(self) -> bool {
        self == ExitState::Scheduled
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000_000;

    #[test]
    fn commission_is_a_bounded_decimal() {
        assert_eq!(parse_commission("12.5").unwrap().to_string(), "12.5");
        assert_eq!(parse_commission("80").unwrap().to_string(), "80");
        for bad in ["0", "80.01", "-3", "1e2", "12.345", "", "abc"] {
            assert!(parse_commission(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_exit_inside_a_campaign_is_cut_short_but_not_at_its_end() {
        let w = Window {
            id: "c".into(),
            name: "Double 11".into(),
            starts_at: 10 * H,
            ends_at: 20 * H,
        };
        let all = [w.clone()];
        assert!(cut_short(&all, 9 * H).is_empty());
        assert_eq!(cut_short(&all, 10 * H), vec![&w]);
        assert_eq!(cut_short(&all, 20 * H - 1), vec![&w]);
        assert!(cut_short(&all, 20 * H).is_empty());
    }

    #[test]
    fn compensation_amounts() {
        use CompensationKind::*;
        assert!(check_compensation(None, Option::None).is_ok());
        assert!(check_compensation(None, Some(Decimal::ONE)).is_err());
        assert!(check_compensation(Coupon, Some(Decimal::ONE)).is_ok());
        assert!(check_compensation(Coupon, Option::None).is_err());
        assert!(check_compensation(PriceHonour, Some(Decimal::ZERO)).is_err());
    }

    #[test]
    fn affected_orders_are_open_or_recent_and_attributed() {
        let now = 100 * 24 * H;
        assert!(affects(true, false, 0, now));
        assert!(affects(false, true, now - 30 * 24 * H, now));
        assert!(!affects(false, true, now - 30 * 24 * H - 1, now));
        assert!(!affects(false, false, now, now));
    }

    #[test]
    fn only_a_scheduled_exit_is_cancelled() {
        assert_eq!(ExitState::Scheduled.cancel(), Ok(ExitState::Cancelled));
        assert!(ExitState::Done.cancel().is_err());
        assert!(ExitState::Cancelled.cancel().is_err());
    }
}
