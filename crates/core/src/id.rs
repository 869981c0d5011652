//! Identifiers are UUIDv7 strings: time-ordered, so a primary-key index doubles as a
//! creation-order index and keyset pagination on `id` lists newest first for free.

use uuid::Uuid;

/// A fresh time-ordered identifier.
pub fn new_id() -> String {
    Uuid::now_v7().to_string()
}

/// Accepts only the canonical hyphenated form, so that a cursor or path segment that is
/// not one of our ids is refused before it reaches a query.
pub fn parse_id(text: &str) -> Option<String> {
    let parsed = Uuid::try_parse(text).ok()?;
    let canonical = parsed.hyphenated().to_string();
    (canonical == text.to_ascii_lowercase()).then_some(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_sort_by_creation() {
        let a = new_id();
        let b = new_id();
        assert!(a < b, "{a} should sort before {b}");
    }

    #[test]
    fn parse_rejects_non_uuids() {
        assert!(parse_id("not-an-id").is_none());
        assert!(parse_id("").is_none());
        let id = new_id();
        assert_eq!(parse_id(&id.to_uppercase()), Some(id));
    }
}
