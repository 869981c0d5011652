//! What the monitoring counters count. Each timeline row and each violation opened adds
//! one to a counter named by a metric and a code, in the transaction that writes it, so
//! a week's report reads at most 168 hours of counters per metric instead of scanning a
//! week of events.

/// A UTC hour number: counters are kept per hour so that any site's local day or week is
/// a whole range of them (every site's zone is a whole number of hours from UTC).
pub const HOUR_US: i64 = 3_600_000_000;

pub fn hour_of(at_us: i64) -> i64 {
    at_us.div_euclid(HOUR_US)
}

pub const DELIST_VOLUNTARY: &str = "delist.voluntary";
pub const DELIST_VIOLATION: &str = "delist.violation";
pub const DELIST_PROTECTIVE: &str = "delist.protective";
pub const RELIST: &str = "relist";
pub const REVIEW_APPROVED: &str = "review.approved";
pub const VIOLATION: &str = "violation";

/// The metric a timeline action counts under; `None` for actions no report shows
/// (edits, review requests).
pub fn metric_of_action(action: &str) -> Option<&'static str> {
    Some(match action {
        "delist" => DELIST_VOLUNTARY,
        "violation_delist" => DELIST_VIOLATION,
        "protective_delist" => DELIST_PROTECTIVE,
        "relist" | "restock_relist" => RELIST,
        "approve_review" => REVIEW_APPROVED,
        _ => return None,
    })
}

/// The code a delist counts under: the code chosen, except that `other` (or none) with a
/// text the classifier placed elsewhere counts under the classified code, so benchmarks
/// see "没货了" filed as `other` as the stock-out it is.
pub fn counted_code<'a>(chosen: Option<&'a str>, classified: Option<&'a str>) -> &'a str {
    match (chosen, classified) {
        (Some("other") | None, Some(c)) => c,
        (Some(c), _) => c,
        (None, None) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_whole_utc_hours_also_before_1970() {
        assert_eq!(hour_of(0), 0);
        assert_eq!(hour_of(HOUR_US - 1), 0);
        assert_eq!(hour_of(HOUR_US), 1);
        assert_eq!(hour_of(-1), -1);
    }

    #[test]
    fn other_with_a_classified_text_counts_under_the_classified_code() {
        assert_eq!(
            counted_code(Some("other"), Some("out_of_stock")),
            "out_of_stock"
        );
        assert_eq!(
            counted_code(Some("seasonal"), Some("out_of_stock")),
            "seasonal"
        );
        assert_eq!(counted_code(None, None), "");
        assert_eq!(metric_of_action("edit"), None);
        assert_eq!(metric_of_action("restock_relist"), Some(RELIST));
    }
}
