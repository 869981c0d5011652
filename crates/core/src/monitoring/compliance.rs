//! The store compliance score (合规指数), 0–100: seed 000 promises sellers an index
//! above 90, so the formula is public (README, "Compliance score") and every part of it
//! is a plain ratio a seller can recompute from their own records.
//!
//! Six components, each worth a fixed number of points; a component earns its points in
//! proportion to how well the store did over the window (90 days):
//!
//! | component            | points | full marks                         | zero                        |
//! |----------------------|-------:|------------------------------------|-----------------------------|
//! | violations           | 35     | no violation points                | 10 points per 100 listings  |
//! | overdue rectifications | 20   | none overdue                       | 5 per 100 listings          |
//! | relist cycle         | 15     | mean ≤ 3 working days              | mean ≥ 10 working days      |
//! | tickets on time      | 10     | every ticket answered by its due   | none                        |
//! | after-sales on time  | 10     | every case decided by its due      | none                        |
//! | JIT and pre-sale     | 10     | every JIT/pre-sale line on time    | none                        |
//!
//! A violation weighs 1 point (normal) or 3 (serious). A component with nothing to judge
//! (no tickets in the window) earns full marks: a store is not punished for being quiet.
//! Arithmetic is in integer thousandths, rounded half-up once at the end, so the same
//! records always give the same score on every machine.

use serde::Serialize;

/// The window the score looks back over.
pub const WINDOW_DAYS: i64 = 90;
/// The score at or above which a store is healthy (seed 000: "合规指数 > 90").
pub const HEALTHY_FROM: u32 = 90;
/// The relist cycle seed 000 promises: back on sale within 3 working days.
pub const RELIST_GOAL_WORKING_DAYS: i64 = 3;
const RELIST_ZERO_WORKING_DAYS: i64 = 10;
/// Violation points per 100 listings at which the violations component reaches zero.
const VIOLATION_POINTS_ZERO_PER_100: i64 = 10;
/// Overdue rectifications per 100 listings at which that component reaches zero. A rate,
/// not a share of violations: a share would improve with every extra violation.
const OVERDUE_ZERO_PER_100: i64 = 5;

/// What the score is computed from: counts over the window, read by the service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplianceInputs {
    /// Listings the store has (any state): the denominator of the violation rate.
    pub listings: i64,
    pub normal_violations: i64,
    pub serious_violations: i64,
    /// Violations whose rectification deadline passed without a rectification.
    pub overdue_rectifications: i64,
    /// Relists after a violation delist, and their cycles summed in working days.
    pub relists: i64,
    pub relist_working_days: i64,
    pub tickets_due: i64,
    pub tickets_on_time: i64,
    pub cases_due: i64,
    pub cases_on_time: i64,
    /// JIT orders and pre-sale lines that had a date to meet, and those that met it.
    pub punctual_due: i64,
    pub punctual_on_time: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// A stable name (`violations`, `overdue_rectifications`, …); the console translates it.
    pub name: &'static str,
    /// The points the component is worth.
    pub weight: u32,
    /// The points earned, in thousandths of a point.
    pub earned_milli: u32,
    /// The figure the component judged, as the seller would read it (`3/120`, `2.5`).
    pub measured: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComplianceScore {
    pub score: u32,
    pub healthy: bool,
    pub components: Vec<Component>,
}

/// A share in thousandths: `good` of `total`, full marks when there is nothing to judge.
fn share_milli(good: i64, total: i64) -> i64 {
    if total <= 0 {
        return 1000;
    }
    (good.clamp(0, total) * 1000) / total
}

/// Thousandths earned on a scale that is full at `full` or below and empty at `zero` or
/// above, linear between (`value`, `full`, `zero` in the same unit, scaled by `denom`).
fn falling_milli(value_num: i64, value_den: i64, full: i64, zero: i64) -> i64 {
    if value_den <= 0 {
        return 1000;
    }
    // value = num/den; earned = (zero - value) / (zero - full), clamped to [0, 1].
    let span = (zero - full) * value_den;
    let left = zero * value_den - value_num;
    if left >= span {
        1000
    } else if left <= 0 {
        0
    } else {
        left * 1000 / span
    }
}

pub fn score(i: &ComplianceInputs) -> ComplianceScore {
    let points = i.normal_violations.max(0) + 3 * i.serious_violations.max(0);
    let listings = i.listings.max(1);
    let violations_total = i.normal_violations.max(0) + i.serious_violations.max(0);
    let parts: [(&'static str, u32, i64, String); 6] = [
        (
            "violations",
            35,
            // points per 100 listings: full at 0, empty at VIOLATION_POINTS_ZERO_PER_100.
            falling_milli(points * 100, listings, 0, VIOLATION_POINTS_ZERO_PER_100),
            format!("{points}/{}", i.listings.max(0)),
        ),
        (
            "overdue_rectifications",
            20,
            falling_milli(
                i.overdue_rectifications.max(0) * 100,
                listings,
                0,
                OVERDUE_ZERO_PER_100,
            ),
            format!("{}/{violations_total}", i.overdue_rectifications.max(0)),
        ),
        (
            "relist_cycle",
            15,
            falling_milli(
                i.relist_working_days.max(0),
                i.relists.max(0),
                RELIST_GOAL_WORKING_DAYS,
                RELIST_ZERO_WORKING_DAYS,
            ),
            mean_text(i.relist_working_days, i.relists),
        ),
        (
            "tickets_on_time",
            10,
            share_milli(i.tickets_on_time, i.tickets_due),
            format!("{}/{}", i.tickets_on_time.max(0), i.tickets_due.max(0)),
        ),
        (
            "aftersales_on_time",
            10,
            share_milli(i.cases_on_time, i.cases_due),
            format!("{}/{}", i.cases_on_time.max(0), i.cases_due.max(0)),
        ),
        (
            "fulfilment_on_time",
            10,
            share_milli(i.punctual_on_time, i.punctual_due),
            format!("{}/{}", i.punctual_on_time.max(0), i.punctual_due.max(0)),
        ),
    ];
    let components: Vec<Component> = parts
        .into_iter()
        .map(|(name, weight, milli, measured)| Component {
            name,
            weight,
            earned_milli: (milli as u32) * weight,
            measured,
        })
        .collect();
    let total_milli: u32 = components.iter().map(|c| c.earned_milli).sum();
    let score = (total_milli + 500) / 1000;
    ComplianceScore {
        score,
        healthy: score >= HEALTHY_FROM,
        components,
    }
}

/// A mean to one decimal, as text (`-` when there is nothing to average).
fn mean_text(sum: i64, n: i64) -> String {
    if n <= 0 {
        return "-".into();
    }
    let tenths = (sum.max(0) * 10 + n / 2) / n;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_quiet_store_scores_full_marks() {
        let s = score(&ComplianceInputs {
            listings: 40,
            ..Default::default()
        });
        assert_eq!(s.score, 100);
        assert!(s.healthy);
        assert_eq!(s.components.len(), 6);
        let weights: u32 = s.components.iter().map(|c| c.weight).sum();
        assert_eq!(weights, 100);
    }

    #[test]
    fn worked_example_from_the_readme() {
        // 200 listings, 2 normal + 1 serious violation = 5 points = 2.5 per 100:
        // violations earn 35 × (10 − 2.5)/10 = 26.25; one overdue = 0.5 per 100 listings:
        // 20 × (5 − 0.5)/5 = 18; relists 2 taking 4 + 6 working days (mean 5):
        // 15 × 0.714 = 10.71 (shares are cut to thousandths); tickets 9/10 → 9;
        // cases 4/4 → 10; JIT 3/4 → 7.5. Sum 81.46 → 81.
        let s = score(&ComplianceInputs {
            listings: 200,
            normal_violations: 2,
            serious_violations: 1,
            overdue_rectifications: 1,
            relists: 2,
            relist_working_days: 10,
            tickets_due: 10,
            tickets_on_time: 9,
            cases_due: 4,
            cases_on_time: 4,
            punctual_due: 4,
            punctual_on_time: 3,
        });
        let earned: Vec<u32> = s.components.iter().map(|c| c.earned_milli).collect();
        assert_eq!(earned, vec![26_250, 18_000, 10_710, 9_000, 10_000, 7_500]);
        assert_eq!(s.score, 81);
        assert!(!s.healthy);
        assert_eq!(s.components[2].measured, "5.0");
        assert_eq!(s.components[0].measured, "5/200");
    }

    #[test]
    fn relist_within_three_working_days_earns_the_full_cycle_points() {
        let base = ComplianceInputs {
            listings: 10,
            relists: 3,
            relist_working_days: 9,
            ..Default::default()
        };
        assert_eq!(score(&base).components[2].earned_milli, 15_000);
        let slow = ComplianceInputs {
            relist_working_days: 30,
            ..base
        };
        assert_eq!(score(&slow).components[2].earned_milli, 0);
    }

    #[test]
    fn ninety_is_healthy_and_eighty_nine_is_not() {
        // Tickets 0/10 cost exactly 10 points: 90, healthy.
        let s = score(&ComplianceInputs {
            listings: 10,
            tickets_due: 10,
            ..Default::default()
        });
        assert_eq!((s.score, s.healthy), (90, true));
        let s = score(&ComplianceInputs {
            listings: 10,
            tickets_due: 10,
            cases_due: 10,
            cases_on_time: 9,
            ..Default::default()
        });
        assert_eq!((s.score, s.healthy), (89, false));
    }

    fn inputs() -> impl Strategy<Value = ComplianceInputs> {
        (
            (0i64..5000, 0i64..200, 0i64..200, 0i64..400),
            (0i64..100, 0i64..2000),
            (0i64..100, 0i64..100, 0i64..100, 0i64..100),
            (0i64..100, 0i64..100),
        )
            .prop_map(|((l, n, s, o), (r, rd), (td, tt, cd, ct), (pd, pt))| {
                ComplianceInputs {
                    listings: l,
                    normal_violations: n,
                    serious_violations: s,
                    overdue_rectifications: o,
                    relists: r,
                    relist_working_days: rd,
                    tickets_due: td,
                    tickets_on_time: tt,
                    cases_due: cd,
                    cases_on_time: ct,
                    punctual_due: pd,
                    punctual_on_time: pt,
                }
            })
    }

    proptest! {
        #[test]
        fn the_score_stays_within_0_and_100_and_each_part_within_its_weight(i in inputs()) {
            let s = score(&i);
            prop_assert!(s.score <= 100);
            for c in &s.components {
                prop_assert!(c.earned_milli <= c.weight * 1000, "{c:?}");
            }
            prop_assert_eq!(s.healthy, s.score >= HEALTHY_FROM);
        }

        #[test]
        fn one_more_violation_never_raises_the_score(i in inputs(), serious in any::<bool>()) {
            let mut worse = i.clone();
            if serious { worse.serious_violations += 1 } else { worse.normal_violations += 1 }
            prop_assert!(score(&worse).score <= score(&i).score);
        }

        #[test]
        fn one_more_overdue_rectification_never_raises_the_score(i in inputs()) {
            let mut worse = i.clone();
            worse.overdue_rectifications += 1;
            prop_assert!(score(&worse).score <= score(&i).score);
        }

        #[test]
        fn answering_one_more_ticket_on_time_never_lowers_the_score(i in inputs()) {
            prop_assume!(i.tickets_on_time < i.tickets_due);
            let mut better = i.clone();
            better.tickets_on_time += 1;
            prop_assert!(score(&better).score >= score(&i).score);
        }
    }
}
