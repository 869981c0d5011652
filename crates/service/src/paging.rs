//! Keyset pages: every list takes `limit` and `cursor` the same way and answers the
//! cursor of the next page the same way.

use marketdesk_core::{Invalid, id};

/// Items per page when a list asks for none, and at most.
pub const DEFAULT_PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 200;

/// The page size asked for (default 50), or an error on `limit`.
pub(crate) fn limit(errors: &mut Invalid, asked: Option<i64>) -> i64 {
    let limit = asked.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        errors.push("limit", format!("must be between 1 and {MAX_PAGE}"));
    }
    limit
}

/// The id a cursor stands for, or an error on `cursor`.
pub(crate) fn cursor(errors: &mut Invalid, asked: Option<&str>) -> Option<String> {
    let c = asked?;
    let parsed = id::parse_id(c);
    if parsed.is_none() {
        errors.push("cursor", "is not a cursor returned by this list");
    }
    parsed
}

/// Cuts `rows` (fetched with `limit + 1`) to the page and names the next page's cursor.
pub(crate) fn next<T>(rows: &mut Vec<T>, limit: i64, id: impl Fn(&T) -> &str) -> Option<String> {
    if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| id(r).to_string())
    } else {
        None
    }
}
