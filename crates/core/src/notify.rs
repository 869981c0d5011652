//! Who hears of an event, how urgently, and in what words (多通道通知体系). Pure: the
//! dispatcher asks, then writes.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    /// Violation takedowns and overdue rectifications: escalated, never held back.
    Red,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Red => "red",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who receives an event in their inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audience {
    /// The sellers of the store the event is about.
    pub store_sellers: bool,
    /// The platform's reviewers.
    pub reviewers: bool,
}

/// The rule table: severity and audience per event type. Events not listed reach nobody
/// (they stay in the outbox for integrators).
pub fn route(event_type: &str) -> Option<(Severity, Audience)> {
    let sellers = Audience {
        store_sellers: true,
        reviewers: false,
    };
    let reviewers = Audience {
        store_sellers: false,
        reviewers: true,
    };
    let both = Audience {
        store_sellers: true,
        reviewers: true,
    };
    Some(match event_type {
        "product.violation_delisted" | "violation.opened" => (Severity::Red, sellers),
        "violation.overdue" => (Severity::Red, both),
        "violation.review_overdue" => (Severity::Warning, reviewers),
        "product.review_requested" => (Severity::Info, reviewers),
        "product.protective_delisted" | "stock.low" => (Severity::Warning, sellers),
        "product.review_approved"
        | "product.review_rejected"
        | "product.relisted"
        | "stock.recovered" => (Severity::Info, sellers),
        "violation.appealed" => (Severity::Info, reviewers),
        _ => return None,
    })
}

/// A short title for the inbox list; the body carries the details.
pub fn title(event_type: &str) -> &'static str {
    match event_type {
        "product.violation_delisted" => "Product taken down for a rule violation",
        "violation.opened" => "Violation report: rectify before the deadline",
        "violation.overdue" => "Rectification deadline passed",
        "violation.review_overdue" => "Relist review overdue",
        "product.review_requested" => "Relist review requested",
        "product.protective_delisted" => "Product delisted: out of stock",
        "stock.low" => "Stock below safety threshold",
        "stock.recovered" => "Stock recovered",
        "product.review_approved" => "Review approved: product on sale",
        "product.review_rejected" => "Review rejected",
        "product.relisted" => "Product back on sale",
        "violation.appealed" => "Appeal submitted",
        _ => "Notification",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takedowns_are_red_for_the_seller() {
        let (sev, who) = route("product.violation_delisted").unwrap();
        assert_eq!(sev, Severity::Red);
        assert!(who.store_sellers && !who.reviewers);
        assert_eq!(
            route("violation.overdue").unwrap().1,
            Audience {
                store_sellers: true,
                reviewers: true
            }
        );
        assert!(
            route("product.created").is_none(),
            "not every event is a notification"
        );
    }
}
