//! Exact money: a decimal amount with its ISO 4217 currency.
//!
//! Prices are accepted only with at most the currency's minor-unit digits, so an amount
//! that cannot be paid (`12.345` USD, `10.5` JPY) is refused at the edge instead of being
//! rounded silently somewhere later.

use std::fmt;
use std::str::FromStr;

use iso_currency::Currency;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer, ser::SerializeStruct};

/// The largest price we accept; larger numbers are typing mistakes, not products.
pub const MAX_PRICE: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// Digits after the decimal point that the currency can pay (2 for USD, 0 for JPY).
    pub fn minor_digits(currency: Currency) -> u32 {
        currency.exponent().map(u32::from).unwrap_or(0)
    }

    /// Parses a price typed by a person or sent by a client: a plain decimal string,
    /// positive or zero, no exponent, no more digits than the currency has.
    pub fn parse_price(text: &str, currency: Currency) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("must be a decimal string such as \"12.34\"".into());
        }
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        {
            return Err(format!(
                "\"{trimmed}\" is not a decimal amount (digits and one '.')"
            ));
        }
        let amount = Decimal::from_str(trimmed)
            .map_err(|_| format!("\"{trimmed}\" is not a decimal amount"))?;
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err("must not be negative".into());
        }
        let digits = Self::minor_digits(currency);
        if amount.normalize().scale() > digits {
            return Err(format!(
                "{} allows at most {digits} digits after the decimal point",
                currency.code()
            ));
        }
        if amount > MAX_PRICE {
            return Err(format!("must be at most {MAX_PRICE}"));
        }
        Ok(Self::new(Self::canonical(amount, currency), currency))
    }

    /// The amount written with exactly the currency's minor digits (`12.3` → `12.30`).
    fn canonical(amount: Decimal, currency: Currency) -> Decimal {
        let mut a = amount.normalize();
        a.rescale(Self::minor_digits(currency));
        a
    }

    /// Rounds half-even to the minor unit: only where money is paid out (domain.md).
    pub fn round_for_payout(self) -> Self {
        let digits = Self::minor_digits(self.currency);
        let rounded = self
            .amount
            .round_dp_with_strategy(digits, rust_decimal::RoundingStrategy::MidpointNearestEven);
        Self::new(Self::canonical(rounded, self.currency), self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency.code())
    }
}

/// `{"amount": "12.34", "currency": "USD"}`: the amount is a string so no client parses
/// it into a float by accident.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Money", 2)?;
        s.serialize_field("amount", &self.amount.to_string())?;
        s.serialize_field("currency", self.currency.code())?;
        s.end()
    }
}

/// Parses a currency code as stored (`"USD"`).
pub fn parse_currency(code: &str) -> Option<Currency> {
    Currency::from_code(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_minor_units_and_pads() {
        let m = Money::parse_price("12.3", Currency::USD).unwrap();
        assert_eq!(m.amount.to_string(), "12.30");
        let y = Money::parse_price("1500", Currency::JPY).unwrap();
        assert_eq!(y.amount.to_string(), "1500");
    }

    #[test]
    fn refuses_unpayable_and_malformed_amounts() {
        for bad in ["12.345", "-1", "1e3", "", "abc", "1,00", "1000000000.01"] {
            assert!(
                Money::parse_price(bad, Currency::USD).is_err(),
                "{bad} accepted"
            );
        }
        assert!(Money::parse_price("10.5", Currency::JPY).is_err());
    }

    #[test]
    fn payout_rounding_is_half_even() {
        let m = Money::new(Decimal::new(12345, 3), Currency::USD); // 12.345
        assert_eq!(m.round_for_payout().amount.to_string(), "12.34");
        let m = Money::new(Decimal::new(12355, 3), Currency::USD); // 12.355
        assert_eq!(m.round_for_payout().amount.to_string(), "12.36");
    }

    #[test]
    fn serializes_amount_as_string() {
        let m = Money::parse_price("9.9", Currency::EUR).unwrap();
        assert_eq!(serde_json_like(&m), r#"{"amount":"9.90","currency":"EUR"}"#);
    }

    fn serde_json_like(m: &Money) -> String {
        format!(
            r#"{{"amount":"{}","currency":"{}"}}"#,
            m.amount,
            m.currency.code()
        )
    }

    proptest! {
        /// Any amount in cents round-trips exactly through its text form.
        #[test]
        fn cents_round_trip(cents in 0i64..100_000_000_000) {
            let text = Decimal::new(cents, 2).to_string();
            let m = Money::parse_price(&text, Currency::USD).unwrap();
            prop_assert_eq!(m.amount, Decimal::new(cents, 2));
            prop_assert_eq!(m.amount.scale(), 2);
        }

        /// Payout rounding never moves an amount by more than half a minor unit.
        #[test]
        fn payout_rounding_is_within_half_a_cent(milli in 0i64..10_000_000_000) {
            let exact = Decimal::new(milli, 3);
            let paid = Money::new(exact, Currency::USD).round_for_payout().amount;
            prop_assert!((paid - exact).abs() <= Decimal::new(5, 3));
            prop_assert_eq!(paid.scale(), 2);
        }
    }
}
