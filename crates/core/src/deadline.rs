//! The kinds of durable deadline: one name per thing that happens on its own when time
//! runs out. Stored as text; the deadline worker dispatches on this enum in one place
//! (`service/src/deadlines.rs`), so a kind without a handler does not compile.

use std::fmt;
use std::str::FromStr;

// Where a durable deadline stands: waiting, fired by a worker, ended because the step it
// guarded was done, or failed (kept with its error for an operator).
names!(
    DeadlineState {
        Pending => "pending",
        Fired => "fired",
        Cancelled => "cancelled",
        Failed => "failed",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeadlineKind {
    /// A violation's rectification time (72 h normal, 24 h serious) ran out: overdue.
    Rectification,
    /// A relist review older than 48 h is flagged late.
    RelistReview,
    /// A ticket not answered within a business day: evidence waived.
    TicketAnswer,
    /// A case the seller did not decide in time is approved for the buyer.
    CaseDecision,
    /// A return label not uploaded in time: refund without return.
    LabelUpload,
    /// A buyer's reshipment not approved within 7 days is rejected.
    ReshipmentDecision,
    /// A scheduled affiliate exit runs: its products leave the program and are delisted.
    AffiliateExit,
    /// A fully-managed application not decided within 4 business days is flagged late.
    ApplicationReview,
    /// A JIT order whose goods are not at the warehouse 48 h after it was placed.
    JitInbound,
    /// An approved deposit refund not paid out within 5 business days is flagged late.
    RefundPayout,
    /// A store's daily inspection list (日巡检), each morning in its site's zone.
    DailyInspection,
    /// A store's weekly review (周复盘), every Monday in its site's zone.
    WeeklyReview,
}

impl DeadlineKind {
    pub const ALL: [DeadlineKind; 12] = [
        DeadlineKind::Rectification,
        DeadlineKind::RelistReview,
        DeadlineKind::TicketAnswer,
        DeadlineKind::CaseDecision,
        DeadlineKind::LabelUpload,
        DeadlineKind::ReshipmentDecision,
        DeadlineKind::AffiliateExit,
        DeadlineKind::ApplicationReview,
        DeadlineKind::JitInbound,
        DeadlineKind::RefundPayout,
        DeadlineKind::DailyInspection,
        DeadlineKind::WeeklyReview,
    ];

    /// The stored names; they predate this enum and stay as they are.
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Rectification => "rectification",
            DeadlineKind::RelistReview => "relist_review",
            DeadlineKind::TicketAnswer => "aftersales.ticket_answer",
            DeadlineKind::CaseDecision => "aftersales.case_decision",
            DeadlineKind::LabelUpload => "aftersales.label_upload",
            DeadlineKind::ReshipmentDecision => "aftersales.reshipment_decision",
            DeadlineKind::AffiliateExit => "affiliate.exit",
            DeadlineKind::ApplicationReview => "fully_managed.application_review",
            DeadlineKind::JitInbound => "fully_managed.jit_inbound",
            DeadlineKind::RefundPayout => "deposit.refund_payout",
            DeadlineKind::DailyInspection => "monitoring.daily_inspection",
            DeadlineKind::WeeklyReview => "monitoring.weekly_review",
        }
    }
}

impl FromStr for DeadlineKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DeadlineKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown deadline kind {s}"))
    }
}

impl TryFrom<String> for DeadlineKind {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl fmt::Display for DeadlineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_stored_name() {
        for k in DeadlineKind::ALL {
            assert_eq!(k.as_str().parse::<DeadlineKind>(), Ok(k));
        }
        assert!("aftersales.unknown".parse::<DeadlineKind>().is_err());
    }
}
