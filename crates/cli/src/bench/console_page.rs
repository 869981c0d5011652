//! The console's product list (商品管理) over a large store, beside the same page from the
//! JSON API and the bare SELECT under both, in one run. The server's time is read from the
//! `Server-Timing` header each answer carries, over real HTTP on loopback, so it holds
//! routing, the session or token check, the use case and the rendering, and not the
//! client's share.

use std::time::{Duration, Instant};

use anyhow::Context;
use marketdesk_service::Service;
use marketdesk_service::products::ProductQuery;
use marketdesk_store::products;

use super::figures::{ms, percentile};
use super::page::raw_filter;

/// `pages` requests per filter to the console page and as many to the API, alternating.
pub(super) async fn console_section(
    service: &Service,
    store_id: &str,
    products: i64,
    pages: usize,
) -> anyhow::Result<()> {
    let (token, cookie) =
        super::figures::seller_with_session(service, store_id, "bench-seller").await?;
    let bearer = format!("Bearer {token}");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = marketdesk_server::app(service.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()?;

    let filters: [(&str, &str, ProductQuery); 4] = [
        ("no filter", "", ProductQuery::default()),
        (
            "state=on_sale",
            "state=on_sale",
            ProductQuery {
                state: Some("on_sale".into()),
                ..Default::default()
            },
        ),
        (
            "state=delisted&reason_code=counterfeit",
            "state=delisted&reason_code=counterfeit",
            ProductQuery {
                state: Some("delisted".into()),
                reason_code: Some("counterfeit".into()),
                ..Default::default()
            },
        ),
        (
            "q=puzzle (title search)",
            "q=puzzle",
            ProductQuery {
                q: Some("puzzle".into()),
                ..Default::default()
            },
        ),
    ];
    println!(
        "console /products (50 rows, tabs with counts) over {products} products: server time p50 / p99 in ms, from Server-Timing"
    );
    println!(
        "  {:<42} {:>17} {:>17} {:>17} {:>9}",
        "filter", "console page", "JSON API", "raw SELECT", "HTML KiB"
    );
    let mut rng: u64 = 0x2545_F491_4F6C_DD1D;
    let mut worst_p99 = Duration::ZERO;
    for (label, query, q) in filters {
        let mut page_times = Vec::with_capacity(pages);
        let mut api_times = Vec::with_capacity(pages);
        let mut raw_times = Vec::with_capacity(pages);
        let mut html_bytes = 0usize;
        for i in 0..pages {
            // Half first pages, half deep pages from a random cursor.
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let cursor = (i % 2 == 1)
                .then(|| format!("0b000002-0000-7000-8000-{:012x}", rng % products as u64 + 1));
            let mut params = query.to_string();
            if let Some(c) = &cursor {
                if !params.is_empty() {
                    params.push('&');
                }
                params.push_str(&format!("cursor={c}"));
            }
            let res = client
                .get(format!("{base}/products?{params}"))
                .header("cookie", &cookie)
                .send()
                .await?;
            anyhow::ensure!(
                res.status() == 200,
                "console page answered {}",
                res.status()
            );
            page_times.push(server_time(&res)?);
            html_bytes = html_bytes.max(res.bytes().await?.len());
            let res = client
                .get(format!(
                    "{base}/api/v1/stores/{store_id}/products?{params}&limit=50"
                ))
                .header("authorization", &bearer)
                .send()
                .await?;
            anyhow::ensure!(res.status() == 200, "API page answered {}", res.status());
            api_times.push(server_time(&res)?);
            res.bytes().await?;
            let filter = raw_filter(
                store_id,
                &ProductQuery {
                    limit: Some(50),
                    ..q.clone()
                },
                cursor,
            );
            let mut c = service.db.reader().await?;
            let start = Instant::now();
            products::page(&mut c, &filter).await?;
            raw_times.push(start.elapsed());
        }
        for t in [&mut page_times, &mut api_times, &mut raw_times] {
            t.sort();
        }
        worst_p99 = worst_p99.max(percentile(&page_times, 0.99));
        println!(
            "  {:<42} {:>7.2} / {:>7.2} {:>7.2} / {:>7.2} {:>7.2} / {:>7.2} {:>9.1}",
            label,
            ms(percentile(&page_times, 0.5)),
            ms(percentile(&page_times, 0.99)),
            ms(percentile(&api_times, 0.5)),
            ms(percentile(&api_times, 0.99)),
            ms(percentile(&raw_times, 0.5)),
            ms(percentile(&raw_times, 0.99)),
            html_bytes as f64 / 1024.0
        );
    }
    println!(
        "  worst console p99: {:.2} ms (goal: under 20 ms)",
        ms(worst_p99)
    );
    server.abort();
    Ok(())
}

/// The `app;dur=` figure of a `Server-Timing` header.
pub(super) fn server_time(res: &reqwest::Response) -> anyhow::Result<Duration> {
    let v = res
        .headers()
        .get("server-timing")
        .context("no Server-Timing header")?
        .to_str()?;
    let ms: f64 = v
        .split(';')
        .find_map(|p| p.trim().strip_prefix("dur="))
        .context("no dur= in Server-Timing")?
        .parse()?;
    Ok(Duration::from_secs_f64(ms / 1000.0))
}
