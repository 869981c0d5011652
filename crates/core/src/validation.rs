//! Field validation shared by every entry point: one list of field errors, so an API
//! client and a CLI user see the same message for the same mistake.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// One or more fields were wrong; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut i = Self::default();
        i.push(field, message);
        i
    }

    /// `Ok(())` when nothing was pushed: lets a validator collect every error first.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for Invalid {}

/// Checks a required text: trimmed, not empty, at most `max` characters (not bytes, so
/// Chinese text gets the same allowance as English). Line ends are kept as `\n`: a
/// browser sends a textarea's lines ended by CR LF, and those are a person's line breaks,
/// not control characters.
pub fn required_text(errors: &mut Invalid, field: &str, value: &str, max: usize) -> String {
    let lines = value.replace("\r\n", "\n");
    let trimmed = lines.trim();
    let chars = trimmed.chars().count();
    if chars == 0 {
        errors.push(field, "is required and must not be blank");
    } else if chars > max {
        errors.push(
            field,
            format!("must be at most {max} characters (got {chars})"),
        );
    } else if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        errors.push(field, "must not contain control characters");
    }
    trimmed.to_string()
}

pub const MAX_TITLE: usize = 200;
pub const MAX_REASON_TEXT: usize = 2000;
pub const MAX_NAME: usize = 100;
pub const MAX_CATEGORY: usize = 100;
pub const MAX_SKU_CODE: usize = 64;
pub const MAX_SKUS: usize = 100;
pub const MAX_STOCK: i64 = 1_000_000_000;
pub const MAX_BATCH: usize = 1000;
pub const MAX_EVIDENCE_PER_ACTION: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_oversized_text_is_refused() {
        let mut e = Invalid::default();
        required_text(&mut e, "a", "   ", 10);
        required_text(&mut e, "b", &"长".repeat(11), 10);
        required_text(&mut e, "c", &"长".repeat(10), 10);
        required_text(&mut e, "d", "bell\u{7}", 10);
        assert_eq!(
            required_text(&mut e, "e", "1 Lake St\r\nChicago\r\n", 20),
            "1 Lake St\nChicago",
            "a textarea's CR LF line ends are line breaks"
        );
        required_text(&mut e, "f", "bare\rreturn", 20);
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["a", "b", "d", "f"]);
    }
}
