//! The violation case (违规整改流程): takedown → rectification (72 h normal, 24 h
//! serious) → relist review (48 h) → closed; or appeal (within 7 calendar days) →
//! upheld (voided) or dismissed. One pure state machine; the service stores its result,
//! timeline rows and outbox events.

use std::fmt;
use std::str::FromStr;

use crate::calendar::Span;
use crate::role::Role;

names!(
    AppealState {
        Pending => "pending",
        Upheld => "upheld",
        Dismissed => "dismissed",
    }
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    Normal,
    Serious,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Normal => "normal",
            Severity::Serious => "serious",
        }
    }

    /// Time the seller has to submit a rectification.
    pub fn rectification_span(self) -> Span {
        match self {
            Severity::Normal => Span::Hours(72),
            Severity::Serious => Span::Hours(24),
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "normal" => Ok(Severity::Normal),
            "serious" => Ok(Severity::Serious),
            other => Err(format!(
                "unknown severity \"{other}\"; expected normal or serious"
            )),
        }
    }
}

/// The platform reviews a relist request within 48 hours.
pub const REVIEW_SPAN: Span = Span::Hours(48);
/// A seller may appeal within 7 calendar days of the takedown.
pub const APPEAL_SPAN: Span = Span::CalendarDays(7);

/// Where a case stands; these are also the violation center's progress filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Progress {
    AwaitingRectification,
    InReview,
    Overdue,
    Appealed,
    Closed,
}

impl Progress {
    pub const ALL: [Progress; 5] = [
        Progress::AwaitingRectification,
        Progress::InReview,
        Progress::Overdue,
        Progress::Appealed,
        Progress::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Progress::AwaitingRectification => "awaiting_rectification",
            Progress::InReview => "in_review",
            Progress::Overdue => "overdue",
            Progress::Appealed => "appealed",
            Progress::Closed => "closed",
        }
    }
}

impl FromStr for Progress {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Progress::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown progress \"{s}\"; expected one of: {}",
                    Progress::ALL.map(|p| p.as_str()).join(", ")
                )
            })
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The rectification was approved and the product relisted.
    Relisted,
    /// An appeal was upheld: the violation never stood.
    Voided,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Relisted => "relisted",
            Outcome::Voided => "voided",
        }
    }
}

impl FromStr for Outcome {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [Outcome::Relisted, Outcome::Voided]
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| format!("\"{s}\" is not one of relisted, voided"))
    }
}

/// A product carries one open violation case at a time: a second takedown while one is
/// open is refused, naming the open case (its rectification is what the seller works on).
pub fn may_open_case(open_case: Option<&str>) -> Result<(), String> {
    match open_case {
        Some(id) => Err(format!(
            "the product already has an open violation case ({id}); a product carries one case at a time"
        )),
        None => Ok(()),
    }
}

/// A case's status. Instants are microseconds since the epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    pub progress: Progress,
    pub outcome: Option<Outcome>,
    /// Where a dismissed appeal returns the case.
    pub resume: Option<Progress>,
    pub rectify_due: i64,
    /// A rectification is on file for the current round.
    pub rectified: bool,
    pub rectify_deadline_passed: bool,
    pub review_overdue: bool,
    pub appeal_due: i64,
    pub appealed_once: bool,
}

/// What can happen to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    SubmitRectification,
    RequestRelist,
    ApproveRelist,
    RejectRelist,
    Appeal,
    UpholdAppeal,
    DismissAppeal,
    RectificationDeadline,
    ReviewDeadline,
}

impl Step {
    /// Who takes the step: the store's side rectifies, asks for relisting and appeals;
    /// reviewers decide; the deadlines fire by themselves.
    pub fn taken_by(self, role: Role) -> bool {
        match self {
            Step::SubmitRectification | Step::RequestRelist | Step::Appeal => role.acts_for_store(),
            Step::ApproveRelist | Step::RejectRelist | Step::DismissAppeal | Step::UpholdAppeal => {
                role.reviews()
            }
            Step::RectificationDeadline | Step::ReviewDeadline => role == Role::System,
        }
    }

    /// A reviewer's decision: refused while another reviewer holds the case's claim.
    pub fn decides(self) -> bool {
        matches!(
            self,
            Step::ApproveRelist | Step::RejectRelist | Step::DismissAppeal | Step::UpholdAppeal
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Step::SubmitRectification => "rectification_submitted",
            Step::RequestRelist => "relist_review_requested",
            Step::ApproveRelist => "relist_review_approved",
            Step::RejectRelist => "relist_review_rejected",
            Step::Appeal => "appeal_submitted",
            Step::UpholdAppeal => "appeal_upheld",
            Step::DismissAppeal => "appeal_dismissed",
            Step::RectificationDeadline => "rectification_overdue",
            Step::ReviewDeadline => "relist_review_overdue",
        }
    }
}

impl Case {
    /// A new case at the takedown instant `now`.
    pub fn open(rectify_due: i64, appeal_due: i64) -> Case {
        Case {
            progress: Progress::AwaitingRectification,
            outcome: None,
            resume: None,
            rectify_due,
            rectified: false,
            rectify_deadline_passed: false,
            review_overdue: false,
            appeal_due,
            appealed_once: false,
        }
    }

    /// Applies `step` at `now`. `Err` says, in the seller's or reviewer's words, why not.
    /// Deadline steps never fail: a deadline that no longer matters changes nothing.
    pub fn apply(self, step: Step, now: i64) -> Result<Case, &'static str> {
        use Progress::*;
        let mut c = self;
        match (step, self.progress) {
            (_, Closed) if !matches!(step, Step::RectificationDeadline | Step::ReviewDeadline) => {
                return Err("the case is closed");
            }
            (Step::SubmitRectification, AwaitingRectification) => {
                if now >= self.rectify_due {
                    return Err("the rectification deadline has passed");
                }
                c.rectified = true;
            }
            (Step::SubmitRectification, _) => {
                return Err("a rectification is submitted while the case awaits one");
            }
            (Step::RequestRelist, AwaitingRectification) if self.rectified => c.progress = InReview,
            (Step::RequestRelist, AwaitingRectification) => {
                return Err("submit a rectification before requesting relisting");
            }
            (Step::RequestRelist, _) => {
                return Err(
                    "relisting is requested after a rectification, while the case awaits it",
                );
            }
            (Step::ApproveRelist, InReview) => {
                c.progress = Closed;
                c.outcome = Some(Outcome::Relisted);
            }
            (Step::RejectRelist, InReview) => {
                c.rectified = false;
                c.review_overdue = false;
                c.progress = if now >= self.rectify_due {
                    Overdue
                } else {
                    AwaitingRectification
                };
            }
            (Step::ApproveRelist | Step::RejectRelist, _) => {
                return Err("the case is not in relist review");
            }
            (Step::Appeal, AwaitingRectification | Overdue) => {
                if self.appealed_once {
                    return Err("a case can be appealed once");
                }
                if now >= self.appeal_due {
                    return Err("the 7-day appeal window has closed");
                }
                c.resume = Some(self.progress);
                c.progress = Appealed;
                c.appealed_once = true;
            }
            (Step::Appeal, _) => {
                return Err(
                    "an appeal is possible while the case awaits rectification or is overdue",
                );
            }
            (Step::UpholdAppeal, Appealed) => {
                c.progress = Closed;
                c.outcome = Some(Outcome::Voided);
                c.resume = None;
            }
            (Step::DismissAppeal, Appealed) => {
                let back = self.resume.unwrap_or(AwaitingRectification);
                c.progress = if back == AwaitingRectification
                    && self.rectify_deadline_passed
                    && !self.rectified
                {
                    Overdue
                } else {
                    back
                };
                c.resume = None;
            }
            (Step::UpholdAppeal | Step::DismissAppeal, _) => {
                return Err("the case has no pending appeal");
            }
            (Step::RectificationDeadline, _) => {
                c.rectify_deadline_passed = true;
                if self.progress == AwaitingRectification && !self.rectified {
                    c.progress = Overdue;
                }
            }
            (Step::ReviewDeadline, InReview) => c.review_overdue = true,
            (Step::ReviewDeadline, _) => {}
        }
        Ok(c)
    }

    /// The invariants every stored case keeps.
    pub fn is_valid(&self) -> bool {
        let closed_ok = (self.progress == Progress::Closed) == self.outcome.is_some();
        let resume_ok = (self.progress == Progress::Appealed) == self.resume.is_some();
        let review_ok = self.progress != Progress::InReview || self.rectified;
        let overdue_ok = !self.review_overdue
            || self.progress == Progress::InReview
            || self.progress == Progress::Closed;
        closed_ok && resume_ok && review_ok && overdue_ok
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn one_open_case_per_product() {
        assert!(super::may_open_case(None).is_ok());
        let refused = super::may_open_case(Some("01ABC")).unwrap_err();
        assert!(refused.contains("01ABC"), "{refused}");
    }
    use super::*;
    use proptest::prelude::*;

    const H: i64 = 3_600_000_000;

    fn fresh() -> Case {
        Case::open(72 * H, 168 * H)
    }

    #[test]
    fn rectify_then_relist_review_approved() {
        let c = fresh().apply(Step::SubmitRectification, H).unwrap();
        let c = c.apply(Step::RequestRelist, 2 * H).unwrap();
        assert_eq!(c.progress, Progress::InReview);
        let c = c.apply(Step::ApproveRelist, 3 * H).unwrap();
        assert_eq!(
            (c.progress, c.outcome),
            (Progress::Closed, Some(Outcome::Relisted))
        );
    }

    #[test]
    fn late_rectification_is_refused_and_the_deadline_escalates() {
        assert!(fresh().apply(Step::SubmitRectification, 72 * H).is_err());
        let c = fresh().apply(Step::RectificationDeadline, 72 * H).unwrap();
        assert_eq!(c.progress, Progress::Overdue);
        // A rectification on file in time keeps the case out of overdue.
        let c = fresh()
            .apply(Step::SubmitRectification, H)
            .unwrap()
            .apply(Step::RectificationDeadline, 72 * H)
            .unwrap();
        assert_eq!(c.progress, Progress::AwaitingRectification);
    }

    #[test]
    fn rejection_allows_another_round_only_while_time_is_left() {
        let review = fresh()
            .apply(Step::SubmitRectification, H)
            .unwrap()
            .apply(Step::RequestRelist, H)
            .unwrap();
        let again = review.apply(Step::RejectRelist, 10 * H).unwrap();
        assert_eq!(
            (again.progress, again.rectified),
            (Progress::AwaitingRectification, false)
        );
        let late = review.apply(Step::RejectRelist, 80 * H).unwrap();
        assert_eq!(late.progress, Progress::Overdue);
    }

    #[test]
    fn appeals_open_for_seven_days_once() {
        let a = fresh().apply(Step::Appeal, 100 * H).unwrap();
        assert_eq!(a.progress, Progress::Appealed);
        assert!(fresh().apply(Step::Appeal, 168 * H).is_err());
        let dismissed = a
            .apply(Step::RectificationDeadline, 72 * H)
            .unwrap()
            .apply(Step::DismissAppeal, 110 * H)
            .unwrap();
        assert_eq!(
            dismissed.progress,
            Progress::Overdue,
            "the deadline passed during the appeal"
        );
        assert!(dismissed.apply(Step::Appeal, 120 * H).is_err());
        let upheld = a.apply(Step::UpholdAppeal, 101 * H).unwrap();
        assert_eq!(upheld.outcome, Some(Outcome::Voided));
    }

    fn step() -> impl Strategy<Value = Step> {
        proptest::sample::select(vec![
            Step::SubmitRectification,
            Step::RequestRelist,
            Step::ApproveRelist,
            Step::RejectRelist,
            Step::Appeal,
            Step::UpholdAppeal,
            Step::DismissAppeal,
            Step::RectificationDeadline,
            Step::ReviewDeadline,
        ])
    }

    proptest! {
        /// Whatever happens in whatever order, a case keeps its invariants, a closed case
        /// stays closed with its outcome, and nothing is rectified after the deadline.
        #[test]
        fn cases_keep_their_invariants(steps in proptest::collection::vec((step(), 0i64..200), 0..40)) {
            let mut c = fresh();
            let mut now = 0;
            for (s, dt) in steps {
                now += dt * H / 10;
                let before = c;
                if let Ok(next) = c.apply(s, now) {
                    if s == Step::SubmitRectification {
                        prop_assert!(now < c.rectify_due);
                    }
                    if before.progress == Progress::Closed {
                        prop_assert_eq!(next.outcome, before.outcome);
                        prop_assert_eq!(next.progress, Progress::Closed);
                    }
                    c = next;
                }
                prop_assert!(c.is_valid(), "{:?}", c);
                if c.progress == Progress::Overdue {
                    prop_assert!(c.rectify_deadline_passed || now >= c.rectify_due);
                }
            }
        }
    }
}
