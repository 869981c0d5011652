//! Category benchmarks (竞品对比): a store's delist and violation rates beside the same
//! site and category's distribution, so "3 violations this month" reads as better or
//! worse than the stores a seller competes with.
//!
//! Rates are per 100 listings and exact decimals (two stores with the same counts get the
//! same rate, digit for digit); quartiles interpolate linearly between the sorted rates
//! (the method spreadsheets call QUARTILE.INC), so a median of an even count is the mean
//! of the middle two.

use rust_decimal::Decimal;
use serde::Serialize;

/// The windows benchmarks are computed over, in days.
pub const WINDOWS: [i64; 2] = [30, 90];

/// Events per 100 listings, to four decimal places (half-even).
pub fn rate_per_100(events: i64, listings: i64) -> Decimal {
    if listings <= 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(events.max(0)) * Decimal::ONE_HUNDRED / Decimal::from(listings))
        .round_dp(4)
        .normalize()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Spread {
    /// How many stores the distribution is over.
    pub stores: usize,
    #[serde(with = "rust_decimal::serde::str")]
    pub q1: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub median: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub q3: Decimal,
}

/// The quartiles of the rates; `None` when there are none.
pub fn spread(rates: &[Decimal]) -> Option<Spread> {
    if rates.is_empty() {
        return None;
    }
    let mut sorted = rates.to_vec();
    sorted.sort();
    let at = |p: Decimal| -> Decimal {
        // Position p × (n − 1) in the sorted list, interpolated.
        let pos = p * Decimal::from(sorted.len() - 1);
        let lo = pos.floor();
        let i = usize::try_from(lo.mantissa()).unwrap_or(0) / 10usize.pow(lo.scale());
        let frac = pos - lo;
        let a = sorted[i];
        let b = sorted.get(i + 1).copied().unwrap_or(a);
        (a + (b - a) * frac).round_dp(4).normalize()
    };
    Some(Spread {
        stores: sorted.len(),
        q1: at(Decimal::new(25, 2)),
        median: at(Decimal::new(5, 1)),
        q3: at(Decimal::new(75, 2)),
    })
}

/// Where a store's rate falls against the category: a lower rate is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// At or below the first quartile.
    BetterThanMost,
    /// Between the quartiles.
    Typical,
    /// At or above the third quartile, and above the median.
    WorseThanMost,
}

pub fn standing(rate: Decimal, s: &Spread) -> Standing {
    if rate <= s.q1 {
        Standing::BetterThanMost
    } else if rate >= s.q3 && rate > s.median {
        Standing::WorseThanMost
    } else {
        Standing::Typical
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rates_are_exact_per_hundred_listings() {
        assert_eq!(rate_per_100(1, 3), d("33.3333"));
        assert_eq!(rate_per_100(2, 8), d("25"));
        assert_eq!(rate_per_100(5, 0), Decimal::ZERO);
    }

    #[test]
    fn quartiles_interpolate_like_a_spreadsheet() {
        // QUARTILE.INC({1,2,3,4}) = 1.75, 2.5, 3.25
        let s = spread(&[d("4"), d("1"), d("3"), d("2")]).unwrap();
        assert_eq!((s.q1, s.median, s.q3), (d("1.75"), d("2.5"), d("3.25")));
        let one = spread(&[d("7")]).unwrap();
        assert_eq!(
            (one.q1, one.median, one.q3, one.stores),
            (d("7"), d("7"), d("7"), 1)
        );
        assert!(spread(&[]).is_none());
    }

    #[test]
    fn standing_against_the_category() {
        let s = spread(&[d("0"), d("1"), d("2"), d("3"), d("4")]).unwrap();
        assert_eq!(standing(d("0.5"), &s), Standing::BetterThanMost);
        assert_eq!(standing(d("2"), &s), Standing::Typical);
        assert_eq!(standing(d("3"), &s), Standing::WorseThanMost);
        // Everyone at zero: zero is better than most, not worse.
        let z = spread(&[d("0"), d("0")]).unwrap();
        assert_eq!(standing(d("0"), &z), Standing::BetterThanMost);
    }

    proptest! {
        #[test]
        fn quartiles_are_ordered_and_within_the_rates(xs in prop::collection::vec(0i64..100_000, 1..60)) {
            let rates: Vec<Decimal> = xs.iter().map(|x| Decimal::new(*x, 2)).collect();
            let s = spread(&rates).unwrap();
            let min = *rates.iter().min().unwrap();
            let max = *rates.iter().max().unwrap();
            prop_assert!(min <= s.q1 && s.q1 <= s.median && s.median <= s.q3 && s.q3 <= max, "{s:?}");
        }
    }
}
