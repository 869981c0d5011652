//! The product list page over a large store: the use case beside its bare SELECT. Returns
//! the big store's id, whose pages the console section then serves over HTTP.

use std::time::Instant;

use marketdesk_service::products::ProductQuery;
use marketdesk_service::{Actor, Service};
use marketdesk_store::products::{self, ProductFilter};
use marketdesk_store::seed::{self, Seed, Spread};

use super::figures::{ms, percentile};

/// A filtered product page over a store of `products` products, `pages` requests a filter.
pub(super) async fn page_section(
    service: &Service,
    products: i64,
    pages: usize,
) -> anyhow::Result<String> {
    let admin = Actor::local_admin();
    let db = &service.db;
    let backend = db.backend();
    let now = jiff::Timestamp::now().as_microsecond();
    // --- product page over a big store --------------------------------------------------
    let big = service
        .create_store(
            &admin,
            marketdesk_service::accounts::NewStore {
                name: "Bench big store".into(),
                site: "US".into(),
                fulfilment_mode: "self_operated".into(),
            },
        )
        .await?;
    let start = Instant::now();
    {
        let mut tx = db.begin().await?;
        seed::products(
            &mut tx,
            backend,
            Seed {
                store_id: &big.id,
                currency: "USD",
                id_tag: "0b000002",
                n: products,
                spread: Spread::Mixed,
                now_us: now,
                stock_each: 10,
            },
        )
        .await?;
        tx.commit().await?;
        let mut c = db.reader().await?;
        seed::analyze(&mut c).await?;
    }
    println!(
        "seeded {} products (with SKUs, indexes, statistics) in {:.1} s",
        products,
        start.elapsed().as_secs_f64()
    );
    let filters: [(&str, ProductQuery); 7] = [
        ("no filter", ProductQuery::default()),
        (
            "state=on_sale",
            ProductQuery {
                state: Some("on_sale".into()),
                ..Default::default()
            },
        ),
        (
            "state=delisted&reason_code=counterfeit",
            ProductQuery {
                state: Some("delisted".into()),
                reason_code: Some("counterfeit".into()),
                ..Default::default()
            },
        ),
        (
            "label=red",
            ProductQuery {
                label: Some("red".into()),
                ..Default::default()
            },
        ),
        (
            "delist_kind=protective&category=toys",
            ProductQuery {
                delist_kind: Some("protective".into()),
                category: Some("toys".into()),
                ..Default::default()
            },
        ),
        (
            "state=pending_review",
            ProductQuery {
                state: Some("pending_review".into()),
                ..Default::default()
            },
        ),
        (
            "q=puzzle (title search)",
            ProductQuery {
                q: Some("puzzle".into()),
                ..Default::default()
            },
        ),
    ];
    println!(
        "product page (50 items) over {} products: p50 / p99 in ms",
        products
    );
    println!("  {:<42} {:>17} {:>17}", "filter", "use case", "raw SELECT");
    let mut rng_state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next_rand = move |bound: i64| {
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        (rng_state % bound as u64) as i64 + 1
    };
    for (label, query) in filters {
        let mut service_times = Vec::with_capacity(pages);
        let mut raw_times = Vec::with_capacity(pages);
        for _ in 0..pages {
            // Half first pages, half deep pages from a random cursor.
            let cursor = if next_rand(2) == 1 {
                None
            } else {
                Some(format!(
                    "0b000002-0000-7000-8000-{:012x}",
                    next_rand(products)
                ))
            };
            let q = ProductQuery {
                cursor: cursor.clone(),
                limit: Some(50),
                ..query.clone()
            };
            let start = Instant::now();
            service.products(&admin, &big.id, &q).await?;
            service_times.push(start.elapsed());
            let filter = raw_filter(&big.id, &q, cursor);
            let mut c = db.reader().await?;
            let start = Instant::now();
            products::page(&mut c, &filter).await?;
            raw_times.push(start.elapsed());
        }
        service_times.sort();
        raw_times.sort();
        println!(
            "  {:<42} {:>7.2} / {:>7.2} {:>7.2} / {:>7.2}",
            label,
            ms(percentile(&service_times, 0.5)),
            ms(percentile(&service_times, 0.99)),
            ms(percentile(&raw_times, 0.5)),
            ms(percentile(&raw_times, 0.99))
        );
    }
    Ok(big.id)
}

/// The bare page SELECT the use case issues for `q` (state / label resolved the same way).
pub(super) fn raw_filter(
    store_id: &str,
    q: &ProductQuery,
    cursor: Option<String>,
) -> ProductFilter {
    let (states, kinds) = match q.label.as_deref() {
        Some("red") => (
            Some(vec!["delisted".to_string()]),
            Some(vec!["violation".to_string()]),
        ),
        _ => (
            q.state.clone().map(|s| vec![s]),
            q.delist_kind.clone().map(|k| vec![k]),
        ),
    };
    ProductFilter {
        store_id: Some(store_id.into()),
        states,
        delist_kinds: kinds,
        reason_code: q.reason_code.clone(),
        category: q.category.clone(),
        title_contains: q.q.clone(),
        before_id: cursor,
        limit: 51,
        ..Default::default()
    }
}
