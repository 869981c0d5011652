//! The monitoring sections: the weekly review of a store with a million listings and
//! 100,000 timeline events in the week, beside the counter SELECT it is built on and the
//! timeline scan the counters avoid; and the reason classifier's throughput beside jieba's
//! segmentation of the same texts.

use std::time::{Duration, Instant};

use marketdesk_classify::{Classifier, Featurizer, Model};
use marketdesk_core::ReasonCode;
use marketdesk_core::monitoring::counters::hour_of;
use marketdesk_core::monitoring::schedule::{iso_week_name, start_of};
use marketdesk_service::{Actor, Service};
use marketdesk_store::monitoring as counters;
use marketdesk_store::timeline::{self, TimelineRow};

use super::figures::{ms, percentile};

/// The project's held-out texts, the classifier section's input.
const HELDOUT: &str = include_str!("../../../../data/classifier/heldout.tsv");

const ACTIONS: [(&str, &str, Option<&str>); 4] = [
    ("delist", "delisted", Some("voluntary")),
    ("violation_delist", "delisted", Some("violation")),
    ("relist", "on_sale", None),
    ("protective_delist", "delisted", Some("protective")),
];

fn median(xs: &mut [Duration]) -> Duration {
    xs.sort();
    percentile(xs, 0.5)
}

pub(super) async fn weekly_section(
    service: &Service,
    store_id: &str,
    products: i64,
    events: i64,
) -> anyhow::Result<()> {
    let db = &service.db;
    let tz = jiff::tz::TimeZone::get("America/New_York")?;
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let this_monday = today
        .checked_sub(jiff::Span::new().days(today.weekday().to_monday_zero_offset() as i64))?;
    let monday = this_monday.checked_sub(jiff::Span::new().days(7))?;
    let from = start_of(monday, &tz)
        .ok_or_else(|| anyhow::anyhow!("week"))?
        .as_microsecond();
    let to = start_of(this_monday, &tz)
        .ok_or_else(|| anyhow::anyhow!("week"))?
        .as_microsecond();
    let week = iso_week_name(monday);
    let id = |i: i64| format!("0b000002-0000-7000-8000-{:012x}", 1 + i % products.max(1));
    let start = Instant::now();
    let step = (to - from) / events.max(1);
    let mut written = 0;
    while written < events {
        let n = (events - written).min(1000);
        let rows: Vec<TimelineRow> = (written..written + n)
            .map(|i| {
                let (action, to_state, kind) = ACTIONS[(i % 4) as usize];
                let code = ReasonCode::ALL[(i % 14) as usize].as_str();
                TimelineRow {
                    id: format!("0c000003-0000-7000-8000-{i:012x}"),
                    store_id: store_id.into(),
                    product_id: id(i),
                    at: from + i * step,
                    actor_id: "bench".into(),
                    actor_role: "seller".into(),
                    action: action.into(),
                    from_state: None,
                    to_state: to_state.into(),
                    delist_kind: kind.map(str::to_string),
                    reason_code: kind.map(|_| code.to_string()),
                    reason_text: None,
                    evidence_ids: "[]".into(),
                    changes: Vec::new(),
                    classified_code: None,
                }
            })
            .collect();
        let mut tx = db.begin().await?;
        timeline::insert_many(&mut tx, &rows).await?;
        tx.commit().await?;
        written += n;
    }
    println!(
        "weekly review: {events} timeline events written in {week} (counters raised in the same transactions) in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let admin = Actor::local_admin();
    // Warm the statements once.
    service.weekly_review(&admin, store_id, Some(&week)).await?;
    let mut use_case = Vec::new();
    let mut report = None;
    for _ in 0..20 {
        let t = Instant::now();
        report = Some(service.weekly_review(&admin, store_id, Some(&week)).await?);
        use_case.push(t.elapsed());
    }
    let mut raw = Vec::new();
    for _ in 0..20 {
        let mut c = db.reader().await?;
        let t = Instant::now();
        counters::store_counts(&mut c, store_id, hour_of(from), hour_of(to)).await?;
        raw.push(t.elapsed());
    }
    let mut scan = Vec::new();
    for _ in 0..3 {
        let mut c = db.reader().await?;
        let t = Instant::now();
        let _: Vec<(String, i64)> = sqlx::query_as(
            "SELECT action, COUNT(*) FROM timeline WHERE store_id = $1 AND at >= $2 AND at < $3 GROUP BY action",
        )
        .bind(store_id)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *c)
        .await?;
        scan.push(t.elapsed());
    }
    let r = report.ok_or_else(|| anyhow::anyhow!("no report"))?;
    let p50 = median(&mut use_case);
    println!(
        "weekly review of {products} listings, {week} ({} violation delists): use case p50 {:.1} ms, p95 {:.1} ms",
        r.violation_delists,
        ms(p50),
        ms(percentile(&use_case, 0.95)),
    );
    println!(
        "  the week's counter SELECT alone: p50 {:.2} ms; the same week counted by scanning the timeline: p50 {:.1} ms",
        ms(median(&mut raw)),
        ms(median(&mut scan)),
    );
    rendered(service, store_id, &week).await
}

/// The review as its readers get it over HTTP: the console page with its plotters SVG
/// charts (a seller's session) and the CSV download (a seller's token), from the
/// request's start to its last byte.
async fn rendered(service: &Service, store_id: &str, week: &str) -> anyhow::Result<()> {
    let (token, cookie) =
        super::figures::seller_with_session(service, store_id, "bench-weekly").await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = marketdesk_server::app(service.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();
    let page = format!("{base}/reports/weekly?store_id={store_id}&week={week}");
    let csv = format!("{base}/api/v1/stores/{store_id}/weekly-review?week={week}&format=csv");
    let (mut page_times, mut page_server, mut csv_times) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..11 {
        let t = Instant::now();
        let res = client.get(&page).header("cookie", &cookie).send().await?;
        anyhow::ensure!(res.status().is_success(), "{page}: {}", res.status());
        let server_time = super::console_page::server_time(&res)?;
        let body = res.text().await?;
        anyhow::ensure!(body.contains("<svg"), "the page has no chart");
        let page_time = t.elapsed();
        let t = Instant::now();
        let res = client.get(&csv).bearer_auth(&token).send().await?;
        anyhow::ensure!(res.status().is_success(), "{csv}: {}", res.status());
        res.bytes().await?;
        // The first round warms the statements and the connection.
        if round > 0 {
            page_times.push(page_time);
            page_server.push(server_time);
            csv_times.push(t.elapsed());
        }
    }
    server.abort();
    println!(
        "  rendered: console page with SVG charts p50 {:.1} ms, slowest {:.1} ms (server time p50 {:.1} ms); CSV download p50 {:.1} ms (goal: under 1 s)",
        ms(median(&mut page_times)),
        ms(*page_times.iter().max().unwrap_or(&Duration::ZERO)),
        ms(median(&mut page_server)),
        ms(median(&mut csv_times)),
    );
    Ok(())
}

pub(super) fn classify_section() -> anyhow::Result<()> {
    let texts: Vec<String> = marketdesk_classify::read_tsv(HELDOUT)
        .map_err(|e| anyhow::anyhow!(e))?
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    let t = Instant::now();
    let model =
        Model::parse(marketdesk_classify::committed_model()).map_err(|e| anyhow::anyhow!(e))?;
    let classifier = Classifier::new(model);
    let load = t.elapsed();
    let rounds = (20_000 / texts.len().max(1)).max(1);
    let n = rounds * texts.len();
    let t = Instant::now();
    let mut seen = 0usize;
    for _ in 0..rounds {
        for text in &texts {
            seen += classifier.classify(text).alternatives.len();
        }
    }
    let classify = n as f64 / t.elapsed().as_secs_f64();
    let featurizer = Featurizer::new();
    let t = Instant::now();
    for _ in 0..rounds {
        for text in &texts {
            seen += featurizer.features(text).len();
        }
    }
    let segment = n as f64 / t.elapsed().as_secs_f64();
    println!(
        "classify: model parsed and segmenter built in {:.1} ms ({} features)",
        ms(load),
        classifier.model().index.len()
    );
    println!(
        "classify: {classify:>9.0} texts/s over {n} texts ({} per round); segmentation and features alone: {segment:>9.0} texts/s   classify / features = {:.2}  [{seen}]",
        texts.len(),
        classify / segment
    );
    Ok(())
}
