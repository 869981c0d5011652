//! When the daily inspection and the weekly review run: in the store's site zone, each
//! morning at 08:00 (seed 003: check "一天至少一次", before the working day) and every
//! Monday at 09:00 (seed 000's 周复盘, over the week that just ended).

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

pub const DAILY_AT: Time = Time::constant(8, 0, 0, 0);
pub const WEEKLY_AT: Time = Time::constant(9, 0, 0, 0);

/// The first instant after `now` when the local time is `at` (a DST gap moves it later,
/// as the zone does).
pub fn next_daily(now: Timestamp, tz: &TimeZone, at: Time) -> Option<Timestamp> {
    let today = now.to_zoned(tz.clone()).date();
    for offset in 0..3 {
        let day = today.checked_add(offset.days()).ok()?;
        let t = day.to_datetime(at).to_zoned(tz.clone()).ok()?.timestamp();
        if t > now {
            return Some(t);
        }
    }
    None
}

/// The first Monday `at` after `now`.
pub fn next_weekly(now: Timestamp, tz: &TimeZone, at: Time) -> Option<Timestamp> {
    let today = now.to_zoned(tz.clone()).date();
    for offset in 0..9 {
        let day = today.checked_add(offset.days()).ok()?;
        if day.weekday() != Weekday::Monday {
            continue;
        }
        let t = day.to_datetime(at).to_zoned(tz.clone()).ok()?.timestamp();
        if t > now {
            return Some(t);
        }
    }
    None
}

/// The week a Monday's review covers: the seven local days before it, Monday to Sunday.
pub fn week_before(monday: Date) -> Option<(Date, Date)> {
    let start = monday.checked_sub(7.days()).ok()?;
    let end = monday.checked_sub(1.days()).ok()?;
    Some((start, end))
}

/// The ISO week of a date as `2026-W49`.
pub fn iso_week_name(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// The instant a local date begins in the zone.
pub fn start_of(d: Date, tz: &TimeZone) -> Option<Timestamp> {
    d.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(zone: &str, s: &str) -> Timestamp {
        s.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned(TimeZone::get(zone).unwrap())
            .unwrap()
            .timestamp()
    }

    #[test]
    fn the_daily_list_runs_at_eight_local_time() {
        let sh = TimeZone::get("Asia/Shanghai").unwrap();
        // 07:59 → today 08:00; 08:00 → tomorrow 08:00 (strictly after).
        assert_eq!(
            next_daily(at("Asia/Shanghai", "2026-12-07T07:59"), &sh, DAILY_AT),
            Some(at("Asia/Shanghai", "2026-12-07T08:00"))
        );
        assert_eq!(
            next_daily(at("Asia/Shanghai", "2026-12-07T08:00"), &sh, DAILY_AT),
            Some(at("Asia/Shanghai", "2026-12-08T08:00"))
        );
    }

    #[test]
    fn across_a_dst_change_eight_stays_eight_local() {
        let ny = TimeZone::get("America/New_York").unwrap();
        // DST ends on 2026-11-01: the day after is 08:00 EST, not 07:00.
        let t = next_daily(at("America/New_York", "2026-10-31T09:00"), &ny, DAILY_AT).unwrap();
        assert_eq!(t, at("America/New_York", "2026-11-01T08:00"));
        assert_eq!(t.to_zoned(ny).time(), DAILY_AT);
    }

    #[test]
    fn the_weekly_review_runs_on_monday_at_nine_and_covers_the_week_before() {
        let ber = TimeZone::get("Europe/Berlin").unwrap();
        // Sunday evening → the next morning.
        assert_eq!(
            next_weekly(at("Europe/Berlin", "2026-12-06T20:00"), &ber, WEEKLY_AT),
            Some(at("Europe/Berlin", "2026-12-07T09:00"))
        );
        // Monday 09:00 itself → a week later.
        assert_eq!(
            next_weekly(at("Europe/Berlin", "2026-12-07T09:00"), &ber, WEEKLY_AT),
            Some(at("Europe/Berlin", "2026-12-14T09:00"))
        );
        assert_eq!(
            week_before(date(2026, 12, 7)),
            Some((date(2026, 11, 30), date(2026, 12, 6)))
        );
        assert_eq!(iso_week_name(date(2026, 11, 30)), "2026-W49");
    }
}
