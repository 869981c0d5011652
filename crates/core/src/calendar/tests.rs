use super::*;
use jiff::civil::date;
use proptest::prelude::*;

fn site(code: &str, zone: &str) -> SiteCalendar {
    SiteCalendar::default_for(code, TimeZone::get(zone).unwrap())
}

fn at(zone: &str, dt: &str) -> Timestamp {
    dt.parse::<DateTime>()
        .unwrap()
        .to_zoned(TimeZone::get(zone).unwrap())
        .unwrap()
        .timestamp()
}

const NY: &str = "America/New_York";

#[test]
fn domain_examples_on_the_us_site() {
    let us = site("US", NY);
    // Thanksgiving (Thu 2026-11-26) is skipped, the time of day kept.
    assert_eq!(
        us.due(at(NY, "2026-11-25T10:00"), Span::BusinessDays(1))
            .unwrap(),
        at(NY, "2026-11-27T10:00")
    );
    // A Saturday start moves to Monday 00:00 first, then one business day on.
    assert_eq!(
        us.due(at(NY, "2026-11-28T10:00"), Span::BusinessDays(1))
            .unwrap(),
        at(NY, "2026-12-01T00:00")
    );
    // Friday before a holiday weekend (Christmas Friday 2026-12-25 → observed that day).
    assert_eq!(
        us.due(at(NY, "2026-12-24T16:30"), Span::BusinessDays(1))
            .unwrap(),
        at(NY, "2026-12-28T16:30")
    );
}

#[test]
fn year_end_and_leap_day() {
    let us = site("US", NY);
    // Thu 2026-12-31 → New Year's Day Fri → Mon 2027-01-04.
    assert_eq!(
        us.due(at(NY, "2026-12-31T09:00"), Span::BusinessDays(1))
            .unwrap(),
        at(NY, "2027-01-04T09:00")
    );
    // 2028 is a leap year: Mon 2028-02-28 + 1 business day is Tue 2028-02-29.
    assert_eq!(
        us.due(at(NY, "2028-02-28T11:00"), Span::BusinessDays(1))
            .unwrap(),
        at(NY, "2028-02-29T11:00")
    );
}

#[test]
fn china_make_up_workdays_count() {
    let cn = site("CN", "Asia/Shanghai");
    // Sat 2026-02-14 is a make-up working day before the Spring Festival.
    assert!(cn.is_business_day(date(2026, 2, 14)));
    let fri = at("Asia/Shanghai", "2026-02-13T10:00");
    assert_eq!(
        cn.due(fri, Span::BusinessDays(1)).unwrap(),
        at("Asia/Shanghai", "2026-02-14T10:00")
    );
    // And the festival days themselves are not.
    assert!(!cn.is_business_day(date(2026, 2, 17)));
}

#[test]
fn hours_and_calendar_days_are_elapsed_time_across_dst() {
    let de = site("DE", "Europe/Berlin");
    // Across the 2026-03-29 spring-forward, 72 h is 72 elapsed hours (local 03:00 → 04:00).
    let start = at("Europe/Berlin", "2026-03-27T03:00");
    assert_eq!(
        de.due(start, Span::Hours(72)).unwrap(),
        at("Europe/Berlin", "2026-03-30T04:00")
    );
    assert_eq!(
        de.due(start, Span::CalendarDays(7)).unwrap(),
        start + SignedDuration::from_hours(168)
    );
}

#[test]
fn dst_gap_moves_to_the_first_existing_time() {
    // Every day a business day, so the gap day itself is reached.
    let mut cal = SiteCalendar::new(TimeZone::get(NY).unwrap(), []);
    cal.weekend.clear();
    let start = at(NY, "2026-03-07T02:30");
    // 2026-03-08 02:30 does not exist in New York; 03:00 EDT is the first time that does.
    assert_eq!(
        cal.due(start, Span::BusinessDays(1)).unwrap(),
        at(NY, "2026-03-08T03:00")
    );
    assert_eq!(
        cal.due(start, Span::BusinessDays(1)).unwrap().to_string(),
        "2026-03-08T07:00:00Z"
    );
    // In the fall-back fold 01:30 happens twice; the earlier (EDT) is taken.
    let fold = cal
        .due(at(NY, "2026-10-31T01:30"), Span::BusinessDays(1))
        .unwrap();
    assert_eq!(fold.to_string(), "2026-11-01T05:30:00Z");
}

#[test]
fn generated_data_covers_every_default_site_and_year() {
    let days = default_days();
    for code in ["US", "UK", "DE", "FR", "ES", "IT", "CN"] {
        for year in 2025..=2028 {
            let n = days
                .iter()
                .filter(|d| d.site == code && d.date.year() == year && d.kind == DayKind::Holiday)
                .count();
            assert!(n >= 4, "{code} {year} has only {n} holidays");
        }
    }
    assert!(
        days.iter()
            .any(|d| d.site == "US" && d.date == date(2026, 11, 26))
    );
}

fn zones() -> impl Strategy<Value = (&'static str, &'static str)> {
    prop_oneof![
        Just(("US", NY)),
        Just(("UK", "Europe/London")),
        Just(("DE", "Europe/Berlin")),
        Just(("CN", "Asia/Shanghai")),
    ]
}

/// Instants from 2025-01-01 to 2028-12-01.
fn instants() -> impl Strategy<Value = Timestamp> {
    (1_735_689_600i64..1_859_155_200).prop_map(|s| Timestamp::from_second(s).unwrap())
}

proptest! {
    #[test]
    fn business_day_deadlines_land_on_business_days((code, zone) in zones(), start in instants(), n in 1u32..6) {
        let cal = site(code, zone);
        let due = cal.due(start, Span::BusinessDays(n)).unwrap();
        let tz = TimeZone::get(zone).unwrap();
        let local_start = start.to_zoned(tz.clone());
        let local_due = due.to_zoned(tz);
        prop_assert!(due > start);
        prop_assert!(cal.is_business_day(local_due.date()), "{} is not a business day", local_due);
        // Exactly n business days after the (adjusted) start date, none skipped.
        let counted = {
            let mut d = local_start.date();
            let mut k = 0;
            while d < local_due.date() {
                d = d.tomorrow().unwrap();
                if cal.is_business_day(d) { k += 1; }
            }
            k
        };
        let started_on_business_day = cal.is_business_day(local_start.date());
        prop_assert_eq!(counted, if started_on_business_day { n } else { n + 1 });
        // The local time of day is kept from a business-day start, midnight otherwise.
        // (The default sites change clocks on Sundays, so no gap is hit here.)
        if started_on_business_day {
            prop_assert_eq!(local_due.time(), local_start.time());
        } else {
            prop_assert_eq!(local_due.time(), Time::midnight());
        }
    }

    #[test]
    fn later_starts_never_fall_due_earlier((code, zone) in zones(), a in instants(), b in instants(), n in 0u32..4) {
        let cal = site(code, zone);
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(cal.due(early, Span::BusinessDays(n)).unwrap() <= cal.due(late, Span::BusinessDays(n)).unwrap());
    }

    #[test]
    fn hour_deadlines_are_exact_elapsed_time((code, zone) in zones(), start in instants(), h in 0i64..500) {
        let cal = site(code, zone);
        prop_assert_eq!(cal.due(start, Span::Hours(h)).unwrap().duration_since(start), SignedDuration::from_hours(h));
        prop_assert_eq!(cal.due(start, Span::CalendarDays(h)).unwrap().duration_since(start), SignedDuration::from_hours(24 * h));
    }
}

#[test]
fn spans_past_the_end_of_time_are_refused_not_panics() {
    let us = site("US", NY);
    let late: Timestamp = "9999-12-30T15:00:00Z".parse().unwrap();
    assert_eq!(us.due(late, Span::Hours(100)), Err(OutOfRange));
    assert_eq!(us.due(late, Span::CalendarDays(3)), Err(OutOfRange));
    assert_eq!(us.due(late, Span::BusinessDays(5)), Err(OutOfRange));
    assert_eq!(us.due(late, Span::Hours(i64::MAX)), Err(OutOfRange));
    assert_eq!(us.due(late, Span::CalendarDays(i64::MAX)), Err(OutOfRange));
    let start: Timestamp = "2026-11-25T15:00:00Z".parse().unwrap();
    // A long but bounded span still answers (the loop is capped, not the arithmetic).
    assert!(us.due(start, Span::BusinessDays(MAX_BUSINESS_DAYS)).is_ok());
}

#[test]
fn span_parse_bounds_each_kind() {
    assert_eq!(Span::parse(Some(1), None, None), Ok(Span::BusinessDays(1)));
    assert_eq!(Span::parse(None, Some(72), None), Ok(Span::Hours(72)));
    assert_eq!(Span::parse(None, None, Some(7)), Ok(Span::CalendarDays(7)));
    assert!(Span::parse(Some(4_000_000_000), None, None).is_err());
    assert!(Span::parse(None, Some(MAX_HOURS + 1), None).is_err());
    assert!(Span::parse(None, Some(-1), None).is_err());
    assert!(Span::parse(None, None, Some(MAX_CALENDAR_DAYS + 1)).is_err());
    assert!(Span::parse(Some(1), Some(1), None).is_err());
    assert!(Span::parse(None, None, None).is_err());
}

#[test]
fn working_days_between_count_business_days_after_the_start_date() {
    let us = site("US", NY);
    // Wed 25 Nov → Mon 30 Nov: Thanksgiving (Thu) and the weekend do not count: Fri, Mon.
    assert_eq!(
        us.working_days_between(at(NY, "2026-11-25T18:00"), at(NY, "2026-11-30T09:00")),
        2
    );
    // Same local day: zero; the end before the start: zero.
    assert_eq!(
        us.working_days_between(at(NY, "2026-12-01T08:00"), at(NY, "2026-12-01T20:00")),
        0
    );
    assert_eq!(
        us.working_days_between(at(NY, "2026-12-03T08:00"), at(NY, "2026-12-01T20:00")),
        0
    );
}

proptest! {
    #[test]
    fn working_days_never_exceed_calendar_days(start in 0i64..2_000_000, len in 0i64..2_000_000) {
        let us = site("US", NY);
        let from = Timestamp::from_second(1_780_000_000 + start * 60).unwrap();
        let to = Timestamp::from_second(1_780_000_000 + (start + len) * 60).unwrap();
        let days = us.working_days_between(from, to);
        let calendar_days = len / (24 * 60) + 1;
        prop_assert!(days >= 0 && days <= calendar_days, "{days} > {calendar_days}");
    }
}
