//! Instants and amounts as people read them: local civil time in a named zone.

use jiff::Timestamp;
use jiff::tz::TimeZone;

pub fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// `2026-11-28 16:00 (Europe/Berlin)`.
pub fn local(us: i64, tz: &TimeZone) -> String {
    match Timestamp::from_microsecond(us) {
        Ok(t) => format!(
            "{} ({})",
            t.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M"),
            tz.iana_name().unwrap_or("UTC")
        ),
        Err(_) => String::new(),
    }
}

/// RFC 3339 in UTC, for `<time datetime>` (the script turns it into a countdown and the
/// viewer's own zone).
pub fn iso(us: i64) -> String {
    Timestamp::from_microsecond(us)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The start of a civil date (`2026-11-28`) in the zone, as RFC 3339: date filters are
/// the site's days, not UTC's. None when the text is not a date.
pub fn day_start(date: &str, tz: &TimeZone) -> Option<String> {
    let d: jiff::civil::Date = date.trim().parse().ok()?;
    let z = d.to_zoned(tz.clone()).ok()?;
    Some(z.timestamp().to_string())
}

/// The end of a civil date (start of the next day), as RFC 3339.
pub fn day_end(date: &str, tz: &TimeZone) -> Option<String> {
    let d: jiff::civil::Date = date.trim().parse().ok()?;
    let next = d.tomorrow().ok()?;
    let z = next.to_zoned(tz.clone()).ok()?;
    Some(z.timestamp().to_string())
}

/// A `datetime-local` field's value (`2026-11-29T15:00`), read as civil time in the zone:
/// RFC 3339 for the use case, or the text as typed (the use case names it) when unreadable.
pub fn from_local(text: &str, tz: &TimeZone) -> String {
    let parsed: Option<jiff::civil::DateTime> = text.trim().parse().ok();
    parsed
        .and_then(|d| d.to_zoned(tz.clone()).ok())
        .map(|z| z.timestamp().to_string())
        .unwrap_or_else(|| text.to_owned())
}

/// The `datetime-local` value of an instant in the zone.
pub fn to_local_input(us: i64, tz: &TimeZone) -> String {
    Timestamp::from_microsecond(us)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}
