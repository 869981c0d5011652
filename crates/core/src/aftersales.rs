//! After-sales rules (seed 003, Temu semi-managed): tickets, after-sales cases and their
//! decision deadlines, refunds that never exceed what was paid, refund-only policies,
//! return labels per site, return-warehouse routing and reshipment. Pure.

use std::collections::HashMap;

use iso_currency::Currency;
use rust_decimal::Decimal;

use crate::calendar::Span;
use crate::money::Money;

names!(TicketKind {
    WrongItem => "wrong_item",
    UrgeShipment => "urge_shipment",
    TrackingStalled => "tracking_stalled",
    DeliveredNotReceived => "delivered_not_received",
    Reshipment => "reshipment",
    ProductQuestion => "product_question",
});

names!(TicketState {
    AwaitingSeller => "awaiting_seller",
    Answered => "answered",
    Waived => "waived",
});

// What customer service chose to happen when a ticket is not answered in time.
names!(TicketTimeout {
    Nothing => "none",
    FullRefund => "full_refund",
});

names!(ReshipmentState {
    Requested => "requested",
    Approved => "approved",
    Rejected => "rejected",
});

names!(CaseType {
    ReturnRefund => "return_refund",
    RefundOnly => "refund_only",
    Cancellation => "cancellation",
    MissingParts => "missing_parts",
    NotReceived => "not_received",
    Negotiated => "negotiated",
});

mod case_state;
pub use case_state::{
    CaseState, DecidedBy, LabelMode, PlatformOutcome, PlatformStep, choose_label, label_awaited,
    order_allows, platform_step, rejection_evidence, seller_may_decide,
};

/// A ticket must be answered within one business day of the site (工单 1 个工作日).
pub const TICKET_ANSWER: Span = Span::BusinessDays(1);
/// The buyer's address on a reshipment ticket is visible for 48 hours.
pub const ADDRESS_VISIBLE: Span = Span::Hours(48);
/// A buyer-started reshipment must be approved with tracking within 7 calendar days.
pub const RESHIPMENT_DECISION: Span = Span::CalendarDays(7);
/// A seller who must upload a return label has one business day to do it.
pub const LABEL_UPLOAD: Span = Span::BusinessDays(1);

impl CaseType {
    /// How long the seller has to decide before the case is approved for the buyer.
    /// Cancellation before shipment: 24 h; missing parts and not received: 1 business day.
    pub fn decision_span(self) -> Option<Span> {
        match self {
            CaseType::Cancellation => Some(Span::Hours(24)),
            CaseType::MissingParts | CaseType::NotReceived => Some(Span::BusinessDays(1)),
            _ => None,
        }
    }

    /// Whether a decision may refund only part of the request (部分退款): a claim on one
    /// order line may; a cancellation refunds the whole order, and a return of several
    /// lines refunds each line whole (partial refunds are agreed line by line).
    pub fn partial_refund_possible(self, single_line: bool) -> bool {
        self != CaseType::Cancellation && single_line
    }

    /// What a seller must attach to refuse this kind of claim.
    pub fn rejection_needs_evidence(self) -> bool {
        matches!(self, CaseType::MissingParts | CaseType::NotReceived)
    }
}

/// Rounds half-even to the currency's minor unit (money paid out).
pub fn payout(amount: Decimal, currency: Currency) -> Decimal {
    Money::new(amount, currency).round_for_payout().amount
}

/// The refund for `quantity` of a line's `line_quantity` units that cost `paid` in total.
pub fn refund_for_quantity(
    paid: Decimal,
    line_quantity: i64,
    quantity: i64,
    currency: Currency,
) -> Result<Decimal, String> {
    if quantity < 1 || quantity > line_quantity {
        return Err(format!("must be between 1 and {line_quantity}"));
    }
    Ok(payout(
        paid * Decimal::from(quantity) / Decimal::from(line_quantity),
        currency,
    ))
}

/// Whether `amount` can be refunded on a line that cost `paid` and already refunded
/// `refunded`: positive, and the total stays within what was paid.
pub fn check_refund(paid: Decimal, refunded: Decimal, amount: Decimal) -> Result<(), String> {
    if amount <= Decimal::ZERO {
        return Err("must be more than zero".into());
    }
    let left = paid - refunded;
    if amount > left {
        return Err(format!(
            "at most {left} can still be refunded on this order line (paid {paid}, refunded {refunded})"
        ));
    }
    Ok(())
}

/// A partial-refund ratio in whole percent, 5–100.
pub fn check_ratio(percent: i64) -> Result<(), String> {
    if (5..=100).contains(&percent) {
        Ok(())
    } else {
        Err("must be a whole percentage between 5 and 100".into())
    }
}

/// A refund-only rule: a request for `reason` of at most `ceiling` is refunded at
/// `ratio_percent` without the goods coming back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundPolicy {
    pub id: String,
    pub reason: String,
    pub ceiling: Decimal,
    pub ratio_percent: i64,
}

/// The first policy (in the seller's order) matching a request, and what it pays.
pub fn settle_by_policy<'a>(
    policies: &'a [RefundPolicy],
    reason: &str,
    requested: Decimal,
    currency: Currency,
) -> Option<(&'a RefundPolicy, Decimal)> {
    policies
        .iter()
        .find(|p| p.reason == reason && requested <= p.ceiling)
        .map(|p| {
            (
                p,
                payout(
                    requested * Decimal::from(p.ratio_percent) / Decimal::ONE_HUNDRED,
                    currency,
                ),
            )
        })
}

/// Return reasons a buyer can give (and a refund-only policy can name).
pub const RETURN_REASONS: &[&str] = &[
    "damaged",
    "not_as_described",
    "wrong_item",
    "missing_parts",
    "quality",
    "changed_mind",
    "size_fit",
];

/// How returns work on a site. The platform buys labels where its system can; sellers
/// upload their own as the fallback for oversize and overweight parcels, and as the only
/// way where the platform buys none (DE, IT). EU sites except the UK let sellers who
/// upload labels take returns across borders; US sites do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnMode {
    pub platform_buys_labels: bool,
    pub cross_border: bool,
}

pub fn return_mode(site: &str) -> ReturnMode {
    match site {
        "US" | "UK" => ReturnMode {
            platform_buys_labels: true,
            cross_border: false,
        },
        "ES" | "FR" => ReturnMode {
            platform_buys_labels: true,
            cross_border: true,
        },
        "DE" | "IT" => ReturnMode {
            platform_buys_labels: false,
            cross_border: true,
        },
        _ => ReturnMode {
            platform_buys_labels: true,
            cross_border: false,
        },
    }
}

/// Whether only the platform may turn on label upload for a store of `site`: where the
/// platform buys no labels (DE, IT), merchant operations enable it (seed 003: 需要联系
/// 对接招商运营开通); elsewhere the seller sets it as the fallback for oversize parcels.
pub fn label_upload_granted_by_platform(site: &str) -> bool {
    !return_mode(site).platform_buys_labels
}

/// Carriers a seller may name on an uploaded label, per site.
pub fn carriers(site: &str) -> &'static [&'static str] {
    match site {
        "US" => &["usps", "ups", "fedex"],
        "UK" => &["royal_mail", "evri", "dpd", "parcelforce"],
        "DE" => &["dhl", "dpd", "hermes", "gls", "ups"],
        "FR" => &[
            "la_poste",
            "colissimo",
            "chronopost",
            "dpd",
            "mondial_relay",
        ],
        "ES" => &["correos", "seur", "gls", "mrw"],
        "IT" => &["poste_italiane", "brt", "gls", "sda"],
        // Domestic express on the CN site (reshipments and returns within China).
        "CN" => &[
            "sf_express",
            "jd_logistics",
            "zto",
            "yto",
            "sto",
            "yunda",
            "ems",
        ],
        _ => &[],
    }
}

/// The country a site's shoppers live in (ISO 3166-1), for cross-border checks.
pub fn site_country(site: &str) -> &str {
    match site {
        "UK" => "GB",
        other => other,
    }
}

/// Countries that take returns across borders within the EU region.
pub const EU: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Whether a warehouse in `country` may receive a return from `site`'s shoppers: one in
/// their own country always; one elsewhere in the EU where the site allows cross-border
/// returns, the shoppers live in the EU, and the seller uploads the labels.
pub fn receives_returns_from(country: &str, site: &str, uploads_labels: bool) -> bool {
    let home = site_country(site);
    country == home
        || (return_mode(site).cross_border
            && uploads_labels
            && EU.contains(&home)
            && EU.contains(&country))
}

/// What an unanswered ticket does when its opener chose nothing: a ticket about one line
/// refunds it in full, a ticket about the whole order does nothing. A full refund needs
/// the line it refunds.
pub fn ticket_timeout(
    chosen: Option<TicketTimeout>,
    names_a_line: bool,
) -> Result<TicketTimeout, &'static str> {
    match chosen {
        None if names_a_line => Ok(TicketTimeout::FullRefund),
        None => Ok(TicketTimeout::Nothing),
        Some(TicketTimeout::FullRefund) if !names_a_line => {
            Err("a full refund needs order_line_id")
        }
        Some(t) => Ok(t),
    }
}

/// Where a return goes: to the warehouse every returned product is associated with if
/// they all share one, otherwise to the default.
pub fn route<'a>(
    products: &[&str],
    associations: &'a HashMap<String, Vec<String>>,
    default: &'a str,
) -> &'a str {
    let mut candidates: Vec<&'a str> = Vec::new();
    for (i, p) in products.iter().enumerate() {
        let Some(ws) = associations.get(*p) else {
            return default;
        };
        if i == 0 {
            candidates = ws.iter().map(String::as_str).collect();
        } else {
            candidates.retain(|w| ws.iter().any(|x| x == w));
        }
    }
    match candidates.as_slice() {
        [one] => one,
        // Shared by several: the first in the order associations were made.
        [first, ..] => first,
        [] => default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros_free::dec;

    mod rust_decimal_macros_free {
        macro_rules! dec {
            ($s:literal) => {
                <rust_decimal::Decimal as std::str::FromStr>::from_str(stringify!($s)).unwrap()
            };
        }
        pub(crate) use dec;
    }

    fn usd() -> Currency {
        Currency::USD
    }

    #[test]
    fn only_a_claim_on_one_line_is_refunded_in_part() {
        assert!(CaseType::MissingParts.partial_refund_possible(true));
        assert!(CaseType::ReturnRefund.partial_refund_possible(true));
        assert!(!CaseType::ReturnRefund.partial_refund_possible(false));
        assert!(!CaseType::Cancellation.partial_refund_possible(true));
        assert!(!CaseType::Cancellation.partial_refund_possible(false));
    }

    #[test]
    fn quantity_refunds_round_half_even_to_cents() {
        // 3 units for 10.00: one unit is 3.333… → 3.33.
        assert_eq!(
            refund_for_quantity(dec!(10.00), 3, 1, usd()).unwrap(),
            dec!(3.33)
        );
        assert_eq!(
            refund_for_quantity(dec!(10.00), 3, 3, usd()).unwrap(),
            dec!(10.00)
        );
        // 0.125 → 0.12 (half to even), 0.375 → 0.38.
        assert_eq!(payout(dec!(0.125), usd()), dec!(0.12));
        assert_eq!(payout(dec!(0.375), usd()), dec!(0.38));
        assert_eq!(payout(dec!(1.5), Currency::JPY), dec!(2));
        assert!(refund_for_quantity(dec!(10.00), 3, 4, usd()).is_err());
        assert!(refund_for_quantity(dec!(10.00), 3, 0, usd()).is_err());
    }

    #[test]
    fn ratios_and_policies() {
        assert!(check_ratio(4).is_err() && check_ratio(101).is_err());
        assert!(check_ratio(5).is_ok() && check_ratio(100).is_ok());
        let policies = vec![
            RefundPolicy {
                id: "a".into(),
                reason: "damaged".into(),
                ceiling: dec!(20.00),
                ratio_percent: 50,
            },
            RefundPolicy {
                id: "b".into(),
                reason: "damaged".into(),
                ceiling: dec!(100.00),
                ratio_percent: 100,
            },
        ];
        let (p, pays) = settle_by_policy(&policies, "damaged", dec!(15.55), usd()).unwrap();
        assert_eq!((p.id.as_str(), pays), ("a", dec!(7.78)), "7.775 → 7.78");
        let (p, pays) = settle_by_policy(&policies, "damaged", dec!(50.00), usd()).unwrap();
        assert_eq!((p.id.as_str(), pays), ("b", dec!(50.00)));
        assert!(settle_by_policy(&policies, "damaged", dec!(100.01), usd()).is_none());
        assert!(settle_by_policy(&policies, "quality", dec!(1.00), usd()).is_none());
    }

    #[test]
    fn return_modes_per_site() {
        assert!(!return_mode("US").cross_border && return_mode("US").platform_buys_labels);
        assert!(
            !return_mode("UK").cross_border,
            "the UK is the EU-region exception"
        );
        assert!(return_mode("DE").cross_border && !return_mode("DE").platform_buys_labels);
        assert!(carriers("DE").contains(&"dhl") && !carriers("US").contains(&"dhl"));
        assert!(carriers("CN").contains(&"sf_express") && carriers("XX").is_empty());
    }

    #[test]
    fn routing_examples_from_the_seed() {
        let mut assoc: HashMap<String, Vec<String>> = HashMap::new();
        assoc.insert("p1".into(), vec!["berlin".into()]);
        assoc.insert("p2".into(), vec!["berlin".into(), "hamburg".into()]);
        assoc.insert("p3".into(), vec!["hamburg".into()]);
        assert_eq!(route(&["p1", "p2"], &assoc, "default"), "berlin");
        assert_eq!(
            route(&["p1", "p3"], &assoc, "default"),
            "default",
            "different warehouses"
        );
        assert_eq!(
            route(&["p1", "p4"], &assoc, "default"),
            "default",
            "one not associated"
        );
        assert_eq!(route(&["p3"], &assoc, "default"), "hamburg");
    }

    #[derive(Debug, Clone)]
    enum Ask {
        Quantity(i64),
        Amount(i64),
        Policy(i64),
    }

    proptest! {
        /// Whatever refunds are asked for, in any order and form, the accepted ones never
        /// add up to more than the line cost, and each is a whole number of cents.
        #[test]
        fn refunds_never_exceed_what_was_paid(
            cents in 1i64..1_000_000,
            qty in 1i64..20,
            asks in prop::collection::vec(prop_oneof![
                (0i64..25).prop_map(Ask::Quantity),
                (-100i64..1_000_000).prop_map(Ask::Amount),
                (0i64..120).prop_map(Ask::Policy),
            ], 1..12),
        ) {
            let paid = Decimal::new(cents, 2);
            let mut refunded = Decimal::ZERO;
            for ask in asks {
                let amount = match ask {
                    Ask::Quantity(q) => match refund_for_quantity(paid, qty, q, usd()) {
                        Ok(a) => a,
                        Err(_) => continue,
                    },
                    Ask::Amount(c) => Decimal::new(c, 2),
                    Ask::Policy(p) => {
                        if check_ratio(p).is_err() { continue; }
                        payout(paid * Decimal::from(p) / Decimal::ONE_HUNDRED, usd())
                    }
                };
                if check_refund(paid, refunded, amount).is_ok() {
                    prop_assert!(amount.scale() <= 2 || amount.normalize().scale() <= 2);
                    refunded += amount;
                }
                prop_assert!(refunded <= paid);
            }
        }

        /// Routing: the chosen warehouse is the default, or one every returned product is
        /// associated with; and it is the default exactly when they share none.
        #[test]
        fn routing_picks_a_shared_warehouse_or_the_default(
            assoc in prop::collection::hash_map(0u8..8, prop::collection::vec(0u8..4, 1..3), 0..8),
            items in prop::collection::vec(0u8..8, 1..5),
        ) {
            let assoc: HashMap<String, Vec<String>> = assoc
                .into_iter()
                .map(|(p, ws)| (format!("p{p}"), ws.into_iter().map(|w| format!("w{w}")).collect()))
                .collect();
            let names: Vec<String> = items.iter().map(|i| format!("p{i}")).collect();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let chosen = route(&refs, &assoc, "default");
            let shared: Vec<&String> = match assoc.get(refs[0]) {
                None => vec![],
                Some(first) => first.iter().filter(|w| refs.iter().all(|p| assoc.get(*p).is_some_and(|ws| ws.contains(w)))).collect(),
            };
            if shared.is_empty() {
                prop_assert_eq!(chosen, "default");
            } else {
                prop_assert!(shared.iter().any(|w| w.as_str() == chosen));
            }
        }
    }

    #[test]
    fn returns_cross_borders_only_inside_the_eu_and_only_with_the_seller_s_labels() {
        assert!(receives_returns_from("GB", "UK", false), "its own country");
        assert!(
            !receives_returns_from("FR", "UK", true),
            "the UK is not in the EU"
        );
        assert!(receives_returns_from("FR", "DE", true));
        assert!(
            !receives_returns_from("FR", "DE", false),
            "the platform's labels stay home"
        );
        assert!(!receives_returns_from("US", "DE", true), "outside the EU");
        assert!(
            !receives_returns_from("DE", "US", true),
            "no cross-border returns in the US"
        );
    }

    #[test]
    fn an_unanswered_ticket_refunds_its_line_unless_told_otherwise() {
        assert_eq!(ticket_timeout(None, true), Ok(TicketTimeout::FullRefund));
        assert_eq!(ticket_timeout(None, false), Ok(TicketTimeout::Nothing));
        assert_eq!(
            ticket_timeout(Some(TicketTimeout::Nothing), true),
            Ok(TicketTimeout::Nothing)
        );
        assert!(ticket_timeout(Some(TicketTimeout::FullRefund), false).is_err());
    }
}
