//! Orders from the platform: their states and steps, the limits on lines and quantities,
//! the stock freeze (a line of a product not on sale is refused) and the pre-sale
//! fallback when a SKU has run out. Pure; service asks and writes what this answers.

use std::fmt;
use std::str::FromStr;

use crate::listing::{DelistKind, ListingStatus, State};

/// Lines per order and units per line, at most.
pub const MAX_LINES: usize = 100;
pub const MAX_QUANTITY: i64 = 10_000;

/// `placed → shipped → delivered`, `placed → cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderState {
    Placed,
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderState {
    pub const ALL: [OrderState; 4] = [
        OrderState::Placed,
        OrderState::Shipped,
        OrderState::Delivered,
        OrderState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Placed => "placed",
            OrderState::Shipped => "shipped",
            OrderState::Delivered => "delivered",
            OrderState::Cancelled => "cancelled",
        }
    }

    /// The one state an order must be in to take the step to `to`; `None` for `placed`,
    /// which no step reaches.
    pub fn step_from(to: OrderState) -> Option<OrderState> {
        match to {
            OrderState::Shipped | OrderState::Cancelled => Some(OrderState::Placed),
            OrderState::Delivered => Some(OrderState::Shipped),
            OrderState::Placed => None,
        }
    }

    /// Checks the step `self → to`, in the words the seller reads.
    pub fn step(self, to: OrderState) -> Result<OrderState, String> {
        match OrderState::step_from(to) {
            Some(from) if from == self => Ok(to),
            Some(from) => Err(format!(
                "the order is {}; only a {} order can become {}",
                self.as_str(),
                from.as_str(),
                to.as_str()
            )),
            None => Err("an order is placed only once".into()),
        }
    }

    /// What the step does to each line's stock: shipping takes reserved units out,
    /// cancelling gives them back, delivery touches no stock.
    pub fn moves_stock(to: OrderState) -> bool {
        to != OrderState::Delivered
    }
}

impl FromStr for OrderState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        OrderState::ALL
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| format!("\"{s}\" is not one of placed, shipped, delivered, cancelled"))
    }
}

/// Rows carry the state as text; the store parses it once, when read.
impl TryFrom<String> for OrderState {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl fmt::Display for OrderState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 库存冻结: a line of a product that is not on sale takes no new reservation. The answer
/// says why, as the seller's list shows it.
pub fn frozen(state: State, delist_kind: Option<DelistKind>) -> Option<String> {
    let status = ListingStatus {
        state,
        delist_kind,
        review_return: None,
    };
    if !status.stock_frozen() {
        return None;
    }
    let why = match delist_kind {
        Some(kind) => format!("delisted ({})", kind.as_str()),
        None => state.as_str().replace('_', " "),
    };
    Some(format!("stock is frozen: the product is {why}"))
}

/// What a line does when its SKU cannot reserve the units: sell them on pre-sale when
/// one is running with room under its cap, else refuse the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortfall {
    /// Take the units from the running pre-sale (ship by its date).
    Presale,
    Refuse,
}

pub fn on_shortfall(presale_running: bool, presale_room: i64, quantity: i64) -> Shortfall {
    if presale_running && presale_room >= quantity {
        Shortfall::Presale
    } else {
        Shortfall::Refuse
    }
}

/// A pre-sale line shipped after its ship-by instant is late (flagged for the buyer).
pub fn shipped_late(presale: bool, ship_by_us: Option<i64>, shipped_at_us: i64) -> bool {
    presale && ship_by_us.is_some_and(|by| shipped_at_us > by)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_four_steps_and_no_others() {
        use OrderState::*;
        assert_eq!(Placed.step(Shipped), Ok(Shipped));
        assert_eq!(Placed.step(Cancelled), Ok(Cancelled));
        assert_eq!(Shipped.step(Delivered), Ok(Delivered));
        assert!(Shipped.step(Cancelled).is_err());
        assert!(Placed.step(Delivered).is_err());
        assert!(Delivered.step(Shipped).is_err());
        assert!(Cancelled.step(Shipped).is_err());
        assert!(Placed.step(Placed).is_err());
        assert_eq!(
            Shipped.step(Cancelled).unwrap_err(),
            "the order is shipped; only a placed order can become cancelled"
        );
    }

    #[test]
    fn frozen_unless_on_sale() {
        assert_eq!(frozen(State::OnSale, None), None);
        assert_eq!(
            frozen(State::Delisted, Some(DelistKind::Protective)).unwrap(),
            "stock is frozen: the product is delisted (protective)"
        );
        assert_eq!(
            frozen(State::PendingReview, None).unwrap(),
            "stock is frozen: the product is pending review"
        );
    }

    #[test]
    fn presale_takes_what_fits_under_its_cap() {
        assert_eq!(on_shortfall(true, 3, 3), Shortfall::Presale);
        assert_eq!(on_shortfall(true, 2, 3), Shortfall::Refuse);
        assert_eq!(on_shortfall(false, 10, 1), Shortfall::Refuse);
        assert!(shipped_late(true, Some(10), 11));
        assert!(!shipped_late(true, Some(10), 10));
        assert!(!shipped_late(false, Some(10), 11));
    }

    proptest! {
        /// Any sequence of steps from `placed` ends in a state reachable by the table, and
        /// delivered and cancelled are final.
        #[test]
        fn steps_only_follow_the_table(steps in prop::collection::vec(prop::sample::select(OrderState::ALL.to_vec()), 0..8)) {
            let mut at = OrderState::Placed;
            for to in steps {
                match at.step(to) {
                    Ok(next) => {
                        prop_assert!(matches!((at, next), (OrderState::Placed, OrderState::Shipped) | (OrderState::Placed, OrderState::Cancelled) | (OrderState::Shipped, OrderState::Delivered)));
                        at = next;
                    }
                    Err(_) => prop_assert!(!matches!((at, to), (OrderState::Placed, OrderState::Shipped) | (OrderState::Placed, OrderState::Cancelled) | (OrderState::Shipped, OrderState::Delivered))),
                }
            }
        }
    }
}
