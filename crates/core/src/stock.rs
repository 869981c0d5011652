//! Stock rules (库存联动 / 库存预警): reservations that never oversell, the movement
//! ledger the figures are recomputed from, safety thresholds, restock suggestions and
//! pre-sale limits.

use rust_decimal::Decimal;

/// A new store's default safety threshold (the schema's column default says the same).
pub const DEFAULT_SAFETY_THRESHOLD: i64 = 5;

/// Pre-sale ship-by dates are at most 15 calendar days ahead.
pub const PRESALE_MAX_DAYS: i64 = 15;

/// A restock suggestion's assumptions: the lead time when a SKU has no supplier offer
/// (the best offer's lead time is used when there is one), the days of cover to buy, and
/// the window sales velocity is measured over.
pub const LEAD_DAYS: i64 = 7;
pub const COVER_DAYS: i64 = 14;
pub const VELOCITY_DAYS: i64 = 30;

/// What a stock movement sets off for its product, decided from its listing status and
/// what is left: a protective delist when nothing is available and no pre-sale runs, the
/// automatic relist of a protectively delisted product when stock (or a pre-sale) is
/// back, otherwise nothing. A violation or the seller's own delist is never undone here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUp {
    ProtectiveDelist,
    Relist,
    Nothing,
}

pub fn follow_up(status: crate::ListingStatus, available: i64, presale_running: bool) -> FollowUp {
    use crate::{DelistKind, State};
    match (status.state, status.delist_kind) {
        (State::OnSale, _) if available <= 0 && !presale_running => FollowUp::ProtectiveDelist,
        (State::Delisted, Some(DelistKind::Protective)) if available > 0 || presale_running => {
            FollowUp::Relist
        }
        _ => FollowUp::Nothing,
    }
}

/// Pre-sale caps: at least one unit, at most this many.
pub const PRESALE_MAX_CAP: i64 = 100_000;

/// Whether a pre-sale asked for at `now` may promise shipment by `ship_by`: in the future
/// and at most [`PRESALE_MAX_DAYS`] calendar days ahead (plain elapsed time, domain.md).
/// Compared as a duration, so no instant is ever computed past the end of time.
pub fn check_presale_ship_by(now: jiff::Timestamp, ship_by: jiff::Timestamp) -> Result<(), String> {
    if ship_by <= now {
        return Err("must be in the future".into());
    }
    if ship_by.duration_since(now) > jiff::SignedDuration::from_hours(24 * PRESALE_MAX_DAYS) {
        return Err(format!("must be at most {PRESALE_MAX_DAYS} days ahead"));
    }
    Ok(())
}

/// A pre-sale may start only on a SKU with nothing available: it sells goods not yet in.
pub fn check_presale_start(available: i64) -> Result<(), String> {
    if available > 0 {
        Err(format!(
            "has {available} available; pre-sale is for out-of-stock SKUs"
        ))
    } else {
        Ok(())
    }
}

/// A pre-sale runs until its ship-by instant passes or its cap is sold.
pub fn presale_active(cap: Option<i64>, ship_by_us: Option<i64>, sold: i64, now_us: i64) -> bool {
    matches!((cap, ship_by_us), (Some(cap), Some(by)) if by > now_us && sold < cap)
}

/// A SKU's stock figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stock {
    pub on_hand: i64,
    pub reserved: i64,
}

/// One ledger movement: how on-hand and reserved quantities change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// Goods received into stock.
    Receipt(i64),
    /// A counted correction, up or down, with a reason kept beside it.
    Adjustment(i64),
    /// An order line reserves units.
    Reservation(i64),
    /// A cancelled order line gives its reservation back.
    Release(i64),
    /// Reserved units leave the warehouse.
    Shipment(i64),
}

impl Movement {
    pub fn kind(self) -> &'static str {
        match self {
            Movement::Receipt(_) => "receipt",
            Movement::Adjustment(_) => "adjustment",
            Movement::Reservation(_) => "reservation",
            Movement::Release(_) => "release",
            Movement::Shipment(_) => "shipment",
        }
    }

    /// (on-hand delta, reserved delta).
    pub fn deltas(self) -> (i64, i64) {
        match self {
            Movement::Receipt(q) | Movement::Adjustment(q) => (q, 0),
            Movement::Reservation(q) => (0, q),
            Movement::Release(q) => (0, -q),
            Movement::Shipment(q) => (-q, -q),
        }
    }
}

impl Stock {
    pub fn available(self) -> i64 {
        self.on_hand - self.reserved
    }

    /// Applies a movement if it keeps every figure sane: nothing negative, nothing
    /// reserved beyond what is on hand, no release or shipment of more than is reserved.
    pub fn apply(self, m: Movement) -> Result<Stock, String> {
        let q = match m {
            Movement::Adjustment(q) => q,
            Movement::Receipt(q)
            | Movement::Reservation(q)
            | Movement::Release(q)
            | Movement::Shipment(q) => {
                if q <= 0 {
                    return Err("quantity must be positive".into());
                }
                q
            }
        };
        let (dh, dr) = m.deltas();
        let next = Stock {
            on_hand: self.on_hand + dh,
            reserved: self.reserved + dr,
        };
        match m {
            Movement::Reservation(_) if next.available() < 0 => Err(format!(
                "only {} available, {q} requested",
                self.available()
            )),
            Movement::Adjustment(_) if next.available() < 0 => Err(format!(
                "an adjustment of {q} would leave less on hand ({}) than is reserved ({})",
                next.on_hand, next.reserved
            )),
            Movement::Release(_) | Movement::Shipment(_) if next.reserved < 0 => Err(format!(
                "only {} reserved, {q} to release or ship",
                self.reserved
            )),
            _ if next.on_hand < 0 => Err("stock on hand cannot go below zero".into()),
            _ => Ok(next),
        }
    }
}

/// Recomputes the figures from the ledger: what the stored figures must equal.
pub fn replay(movements: impl IntoIterator<Item = (i64, i64)>) -> Stock {
    movements
        .into_iter()
        .fold(Stock::default(), |s, (dh, dr)| Stock {
            on_hand: s.on_hand + dh,
            reserved: s.reserved + dr,
        })
}

/// How many units to reorder: sales per day × (supplier lead time + days of cover) minus
/// what is available, rounded up — and never less than what brings the SKU back to its
/// safety threshold, so a SKU that sold nothing lately is not told to order nothing while
/// it sits below its threshold. Never negative.
pub fn restock_quantity(
    units_per_day: Decimal,
    lead_days: i64,
    cover_days: i64,
    available: i64,
    threshold: i64,
) -> i64 {
    let need = units_per_day * Decimal::from(lead_days + cover_days) - Decimal::from(available);
    let need = need.ceil();
    let by_sales = if need <= Decimal::ZERO {
        0
    } else {
        i64::try_from(need.mantissa() / 10i128.pow(need.scale())).unwrap_or(i64::MAX)
    };
    by_sales.max(threshold.saturating_sub(available)).max(0)
}

/// Low-stock alert state after a change: `Some(true)` raise, `Some(false)` clear, `None`
/// keep. An alert is raised once when available falls below the threshold and not
/// again until stock has recovered.
pub fn low_stock_signal(available: i64, threshold: i64, alerted: bool) -> Option<bool> {
    match (available < threshold, alerted) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Whether a stock change can have consequences beyond its own row: a low-stock alert to
/// raise or clear, or a product whose available stock reached zero. When it cannot, the
/// follow-up checks are skipped (they cost several queries on the order hot path).
pub fn needs_follow_up(available_after: i64, threshold: i64, alerted: bool) -> bool {
    available_after <= 0 || low_stock_signal(available_after, threshold, alerted).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn follow_ups_delist_at_zero_and_relist_only_protective_delists() {
        use crate::{DelistKind, ListingStatus, State};
        let on_sale = ListingStatus {
            state: State::OnSale,
            delist_kind: None,
            review_return: None,
        };
        let grey = |kind| ListingStatus {
            state: State::Delisted,
            delist_kind: Some(kind),
            review_return: None,
        };
        assert_eq!(follow_up(on_sale, 0, false), FollowUp::ProtectiveDelist);
        assert_eq!(
            follow_up(on_sale, 0, true),
            FollowUp::Nothing,
            "a running pre-sale keeps it on sale"
        );
        assert_eq!(follow_up(on_sale, 3, false), FollowUp::Nothing);
        assert_eq!(
            follow_up(grey(DelistKind::Protective), 1, false),
            FollowUp::Relist
        );
        assert_eq!(
            follow_up(grey(DelistKind::Protective), 0, true),
            FollowUp::Relist
        );
        assert_eq!(
            follow_up(grey(DelistKind::Protective), 0, false),
            FollowUp::Nothing
        );
        assert_eq!(
            follow_up(grey(DelistKind::Voluntary), 5, false),
            FollowUp::Nothing,
            "the seller's delist holds"
        );
        assert_eq!(
            follow_up(grey(DelistKind::Violation), 5, false),
            FollowUp::Nothing,
            "a violation holds"
        );
    }

    #[test]
    fn reservations_never_exceed_available() {
        let s = Stock {
            on_hand: 3,
            reserved: 1,
        };
        assert!(s.apply(Movement::Reservation(3)).is_err());
        let s = s.apply(Movement::Reservation(2)).unwrap();
        assert_eq!(s.available(), 0);
        let s = s.apply(Movement::Shipment(2)).unwrap();
        assert_eq!(
            s,
            Stock {
                on_hand: 1,
                reserved: 1
            }
        );
        assert!(
            s.apply(Movement::Adjustment(-1)).is_err(),
            "cannot count away reserved units"
        );
    }

    #[test]
    fn restock_suggestion_rounds_up() {
        assert_eq!(restock_quantity(Decimal::new(25, 1), 7, 14, 10, 5), 43); // 2.5 × 21 − 10 = 42.5
        assert_eq!(restock_quantity(Decimal::ONE, 7, 14, 100, 5), 0);
        assert_eq!(
            restock_quantity(Decimal::ZERO, 7, 14, 0, 5),
            5,
            "no sales lately: back to the threshold"
        );
    }

    proptest! {
        /// Ordering what is suggested leaves the SKU at or above its threshold, and covers
        /// the lead time and the cover days at the recent rate of sales.
        #[test]
        fn a_suggested_restock_is_enough(
            per_day_cents in 0i64..100_000,
            lead in 0i64..60,
            cover in 0i64..60,
            available in -50i64..10_000,
            threshold in 0i64..1_000,
        ) {
            let per_day = Decimal::new(per_day_cents, 2);
            let q = restock_quantity(per_day, lead, cover, available, threshold);
            prop_assert!(q >= 0);
            prop_assert!(available + q >= threshold);
            prop_assert!(Decimal::from(available + q) >= per_day * Decimal::from(lead + cover));
        }
    }

    #[test]
    fn follow_up_only_when_something_can_change() {
        assert!(
            !needs_follow_up(20, 5, false),
            "plenty left, no alert pending"
        );
        assert!(needs_follow_up(4, 5, false), "crosses the threshold");
        assert!(!needs_follow_up(3, 5, true), "already alerted");
        assert!(needs_follow_up(0, 0, false), "sold out: protective delist");
        assert!(needs_follow_up(9, 5, true), "recovered");
    }

    #[test]
    fn low_stock_alerts_once_until_recovered() {
        assert_eq!(low_stock_signal(4, 5, false), Some(true));
        assert_eq!(low_stock_signal(3, 5, true), None);
        assert_eq!(low_stock_signal(5, 5, true), Some(false));
    }

    fn movement() -> impl Strategy<Value = Movement> {
        prop_oneof![
            (1i64..50).prop_map(Movement::Receipt),
            (-20i64..20).prop_map(Movement::Adjustment),
            (1i64..20).prop_map(Movement::Reservation),
            (1i64..20).prop_map(Movement::Release),
            (1i64..20).prop_map(Movement::Shipment),
        ]
    }

    proptest! {
        /// Whatever is attempted, accepted movements keep available ≥ 0 and the ledger
        /// of accepted movements replays to exactly the running figures.
        #[test]
        fn ledger_replays_to_the_figures(ms in proptest::collection::vec(movement(), 0..200)) {
            let mut s = Stock::default();
            let mut ledger = Vec::new();
            for m in ms {
                if let Ok(next) = s.apply(m) {
                    ledger.push(m.deltas());
                    s = next;
                }
                prop_assert!(s.available() >= 0);
                prop_assert!(s.reserved >= 0 && s.on_hand >= 0);
            }
            prop_assert_eq!(replay(ledger), s);
        }
    }
}

/// A supplier's offer for one SKU, as the restock suggestion weighs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub supplier_id: String,
    pub lead_time_days: i64,
    pub unit_cost: Decimal,
    /// Share of past deliveries on time, 0 to 1.
    pub on_time_rate: Decimal,
}

/// Best first: shortest lead time (a low-stock SKU needs goods soon), then lowest unit
/// cost, then the better on-time record.
pub fn rank_offers(offers: &mut [Offer]) {
    offers.sort_by(|a, b| {
        a.lead_time_days
            .cmp(&b.lead_time_days)
            .then(a.unit_cost.cmp(&b.unit_cost))
            .then(b.on_time_rate.cmp(&a.on_time_rate))
    });
}

#[cfg(test)]
mod ranking_tests {
    use super::*;

    fn offer(id: &str, lead: i64, cost: i64, on_time: i64) -> Offer {
        Offer {
            supplier_id: id.into(),
            lead_time_days: lead,
            unit_cost: Decimal::new(cost, 2),
            on_time_rate: Decimal::new(on_time, 2),
        }
    }

    #[test]
    fn lead_time_then_price_then_punctuality() {
        let mut o = vec![
            offer("slow-cheap", 10, 100, 99),
            offer("fast-dear", 3, 500, 80),
            offer("fast-cheap-late", 3, 300, 60),
            offer("fast-cheap-punctual", 3, 300, 95),
        ];
        rank_offers(&mut o);
        let ids: Vec<&str> = o.iter().map(|x| x.supplier_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "fast-cheap-punctual",
                "fast-cheap-late",
                "fast-dear",
                "slow-cheap"
            ]
        );
    }
}
