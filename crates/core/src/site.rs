//! Sites are the country storefronts: each fixes the currency prices are in and the time
//! zone deadlines are counted in.

use iso_currency::Currency;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    pub code: String,
    pub name: String,
    pub currency: String,
    pub time_zone: String,
}

/// The sites every new installation starts with (architecture.md, "Time").
pub fn default_sites() -> Vec<Site> {
    [
        ("US", "United States", Currency::USD, "America/New_York"),
        ("UK", "United Kingdom", Currency::GBP, "Europe/London"),
        ("DE", "Germany", Currency::EUR, "Europe/Berlin"),
        ("FR", "France", Currency::EUR, "Europe/Paris"),
        ("ES", "Spain", Currency::EUR, "Europe/Madrid"),
        ("IT", "Italy", Currency::EUR, "Europe/Rome"),
        ("CN", "China", Currency::CNY, "Asia/Shanghai"),
    ]
    .into_iter()
    .map(|(code, name, currency, tz)| Site {
        code: code.into(),
        name: name.into(),
        currency: currency.code().into(),
        time_zone: tz.into(),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_time_zones_exist() {
        for site in default_sites() {
            assert!(
                jiff::tz::TimeZone::get(&site.time_zone).is_ok(),
                "{} has unknown zone {}",
                site.code,
                site.time_zone
            );
            assert!(Currency::from_code(&site.currency).is_some());
        }
    }
}
