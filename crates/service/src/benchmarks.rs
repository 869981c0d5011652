//! Category benchmarks (竞品对比): for each category a store sells in, its delist rates
//! by reason and violation rates by clause over 30 and 90 days, beside the quartiles of
//! every store of the same site in that category. Counts come from the monitoring
//! counters (one indexed range per category and window), listings from the products.

use std::collections::{BTreeMap, BTreeSet};

use jiff::SignedDuration;
use marketdesk_core::monitoring::benchmark::{self, Spread, Standing, WINDOWS};
use marketdesk_core::monitoring::counters::{self, hour_of};
use marketdesk_store::monitoring as store_counts;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::{Actor, Service, ServiceResult};

/// Categories benchmarked per store: its largest.
const MAX_CATEGORIES: i64 = 20;

#[derive(Debug, Clone, Serialize)]
pub struct BenchmarkView {
    pub store_id: String,
    pub site_code: String,
    pub windows: Vec<WindowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WindowView {
    pub days: i64,
    pub categories: Vec<CategoryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    pub category: String,
    /// The store's listings in the category.
    pub listings: i64,
    /// Stores of the site with listings in the category (the store included).
    pub stores: usize,
    /// Delists per 100 listings, by reason code.
    pub delists: Vec<RateView>,
    /// Violations per 100 listings, by rule clause.
    pub violations: Vec<RateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RateView {
    pub code: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub store_rate: Decimal,
    pub category: Spread,
    pub standing: Standing,
}

fn is_delist(metric: &str) -> bool {
    matches!(
        metric,
        counters::DELIST_VOLUNTARY | counters::DELIST_VIOLATION | counters::DELIST_PROTECTIVE
    )
}

/// Rates of every store in the category for each code, the store's beside the spread.
fn rates(
    store_id: &str,
    listings: &BTreeMap<String, i64>,
    events: &BTreeMap<(String, String), i64>,
) -> Vec<RateView> {
    let codes: BTreeSet<&String> = events.keys().map(|(_, code)| code).collect();
    let mut out = Vec::new();
    for code in codes {
        let all: Vec<Decimal> = listings
            .iter()
            .map(|(s, n)| {
                let events = events.get(&(s.clone(), code.clone())).copied().unwrap_or(0);
                benchmark::rate_per_100(events, *n)
            })
            .collect();
        let Some(spread) = benchmark::spread(&all) else {
            continue;
        };
        let own_events = events
            .get(&(store_id.to_string(), code.clone()))
            .copied()
            .unwrap_or(0);
        let own = benchmark::rate_per_100(own_events, listings.get(store_id).copied().unwrap_or(0));
        out.push(RateView {
            code: code.clone(),
            store_rate: own,
            standing: benchmark::standing(own, &spread),
            category: spread,
        });
    }
    out
}

impl Service {
    pub async fn store_benchmark(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<BenchmarkView> {
        let mut c = self.db.reader().await?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        let now = self.clock.now();
        let categories = store_counts::store_categories(&mut c, &store.id, MAX_CATEGORIES).await?;
        let mut listings_of: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
        for (category, _) in &categories {
            let l = store_counts::category_listings(&mut c, &store.site_code, category).await?;
            listings_of.insert(category.clone(), l.into_iter().collect());
        }
        let mut windows = Vec::new();
        for days in WINDOWS {
            let since = now
                .checked_sub(SignedDuration::from_hours(24 * days))
                .map_err(|e| anyhow::anyhow!(e))?;
            let from_hour = hour_of(since.as_microsecond());
            let mut views = Vec::new();
            for (category, own_listings) in &categories {
                let counts =
                    store_counts::category_counts(&mut c, &store.site_code, category, from_hour)
                        .await?;
                let mut delists: BTreeMap<(String, String), i64> = BTreeMap::new();
                let mut violations: BTreeMap<(String, String), i64> = BTreeMap::new();
                for k in counts {
                    let target = if is_delist(&k.metric) {
                        &mut delists
                    } else if k.metric == counters::VIOLATION {
                        &mut violations
                    } else {
                        continue;
                    };
                    *target.entry((k.store_id, k.code)).or_default() += k.n;
                }
                let listings = &listings_of[category];
                views.push(CategoryView {
                    category: category.clone(),
                    listings: *own_listings,
                    stores: listings.len(),
                    delists: rates(&store.id, listings, &delists),
                    violations: rates(&store.id, listings, &violations),
                });
            }
            windows.push(WindowView {
                days,
                categories: views,
            });
        }
        Ok(BenchmarkView {
            store_id: store.id,
            site_code: store.site_code,
            windows,
        })
    }
}
