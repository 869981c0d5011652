//! `marketdesk bench`: the hot paths of the product lifecycle, each printed beside the
//! raw cost of the same SQL statements issued directly and beside the disk's fsync rate,
//! all measured in the same run on the same machine.
//!
//! What is compared:
//! - single delist: the use case (validation, visibility, state machine, one transaction
//!   writing state + counts + timeline + outbox) against the same store statements with
//!   no domain code around them, one transaction each, and against HTTP with one client;
//! - batch delist of 1,000: the use case against the same statements in one transaction;
//! - a filtered product page over a store of N products (default 1,000,000): the use case
//!   (store check, page, SKUs, tab counts) against the bare page SELECT.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use marketdesk_core::{Action, State};
use marketdesk_service::listing::Why;
use marketdesk_service::products::ProductQuery;
use marketdesk_service::{Actor, Service, SystemClock};
use marketdesk_store::products::{self, ProductFilter};
use marketdesk_store::seed::{self, Seed, Spread};
use marketdesk_store::{Db, blobs::Blobs, catalog, db::sqlite_url_in, outbox, testing, timeline};

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Products in the store whose list page is measured.
    #[arg(long, default_value_t = 1_000_000)]
    products: i64,
    /// Single delists to time (half through the use case, half raw).
    #[arg(long, default_value_t = 2000)]
    delists: usize,
    /// Products per batch delist.
    #[arg(long, default_value_t = 1000)]
    batch: usize,
    /// Open deadlines for the scheduler section (0 skips it).
    #[arg(long, default_value_t = 1_000_000)]
    deadlines: i64,
    /// How many of them are due.
    #[arg(long, default_value_t = 10_000)]
    due: i64,
    /// Orders per HTTP client in the reservation section (0 skips it).
    #[arg(long, default_value_t = 60)]
    orders_per_client: usize,
    /// Concurrent HTTP clients placing orders.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Delist events per second driven through HTTP in the notification section (0 skips).
    #[arg(long, default_value_t = 500)]
    notify_rate: u64,
    /// Seconds the notification section drives events for.
    #[arg(long, default_value_t = 30)]
    notify_seconds: u64,
    /// Page requests timed per filter.
    #[arg(long, default_value_t = 300)]
    pages: usize,
    /// A PostgreSQL server to measure as well; the bench makes its own database there and
    /// drops it afterwards.
    #[arg(long, env = "MARKETDESK_BENCH_POSTGRES_URL", hide_env_values = true)]
    postgres_url: Option<String>,
    /// Folder for the SQLite run (default: a new folder in the current directory, on the
    /// disk a real data directory would use; deleted afterwards).
    #[arg(long)]
    sqlite_dir: Option<PathBuf>,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let dir = match &args.sqlite_dir {
        Some(d) => d.clone(),
        None => std::env::current_dir()?.join(format!("marketdesk-bench-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir)?;
    let result = async {
        println!("marketdesk bench — {} cores; durability: SQLite WAL synchronous=FULL, PostgreSQL synchronous_commit=on", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
        println!("disk fsync limit ({}): {:.0} fsyncs/s", dir.display(), fsync_rate(&dir, 300)?);
        let url = sqlite_url_in(&dir.join("db"))?;
        run_backend("SQLite", &url, &dir, &args).await?;
        if let Some(server) = &args.postgres_url {
            let url = testing::fresh_postgres(server, "md_bench").await?;
            let outcome = run_backend("PostgreSQL", &url, &dir, &args).await;
            testing::drop_postgres(server, &url).await?;
            outcome?;
        }
        anyhow::Ok(())
    }
    .await;
    if args.sqlite_dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

/// The physical limit of a durable single-writer commit: how often this disk can make a
/// small write durable.
fn fsync_rate(dir: &std::path::Path, n: usize) -> anyhow::Result<f64> {
    let path = dir.join("fsync-probe");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(&path)?;
    let block = [7u8; 4096];
    let start = Instant::now();
    for _ in 0..n {
        f.write_all(&block)?;
        f.sync_data()?;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    drop(f);
    std::fs::remove_file(path)?;
    Ok(rate)
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn run_backend(
    name: &str,
    url: &str,
    dir: &std::path::Path,
    args: &BenchArgs,
) -> anyhow::Result<()> {
    println!("\n== {name} ==");
    let db = Db::connect(url).await.context("connect")?;
    let service = Service::new(
        db.clone(),
        Blobs::local(&dir.join("blobs"))?,
        Arc::new(SystemClock),
    );
    service
        .bootstrap(Some("bench-admin-token-0123456789"))
        .await?;
    let admin = Actor::local_admin();
    let backend = db.backend();
    let now = jiff::Timestamp::now().as_microsecond();

    // --- single delists ---------------------------------------------------------------
    let store = service
        .create_store(
            &admin,
            marketdesk_service::accounts::NewStore {
                name: "Bench delists".into(),
                site: "US".into(),
                fulfilment_mode: "self_operated".into(),
            },
        )
        .await?;
    let n_single = args.delists as i64;
    let n_batch = (args.batch * 2) as i64;
    {
        let mut tx = db.begin().await?;
        seed::products(
            &mut tx,
            backend,
            Seed {
                store_id: &store.id,
                currency: "USD",
                id_tag: "0a000001",
                n: n_single + n_batch,
                spread: Spread::AllOnSale,
                now_us: now,
                stock_each: 10,
            },
        )
        .await?;
        tx.commit().await?;
    }
    let id = |i: i64| format!("0a000001-0000-7000-8000-{i:012x}");
    let why = || Why {
        reason_code: Some("slow_selling".into()),
        reason_text: Some("bench".into()),
        evidence_ids: vec![],
    };
    let half = n_single / 2;
    if half > 0 {
        // Warm both paths (connections, statement caches) on products outside the timed sets.
        let warm = half / 10;
        for i in 1..=warm {
            service
                .transition(&admin, &id(i), Action::Delist, why())
                .await?;
            let mut tx = db.begin().await?;
            raw_delist(&mut tx, &id(half + i), now).await?;
            tx.commit().await?;
        }

        let start = Instant::now();
        for i in warm + 1..=half {
            service
                .transition(&admin, &id(i), Action::Delist, why())
                .await?;
        }
        let service_rate = (half - warm) as f64 / start.elapsed().as_secs_f64();

        let start = Instant::now();
        for i in half + warm + 1..=2 * half {
            let mut tx = db.begin().await?;
            raw_delist(&mut tx, &id(i), now).await?;
            tx.commit().await?;
        }
        let raw_rate = (half - warm) as f64 / start.elapsed().as_secs_f64();
        println!(
            "single delist, use case:        {service_rate:>8.0} /s   ({:.2} ms each)",
            1000.0 / service_rate
        );
        println!(
            "single delist, raw statements:  {raw_rate:>8.0} /s   ({:.2} ms each)   use case / raw = {:.2}",
            1000.0 / raw_rate,
            service_rate / raw_rate
        );

        // Through HTTP with one client, on the products that the use case relisted back.
        let http_rate =
            http_delists(&service, &(1..=half.min(500)).map(id).collect::<Vec<_>>()).await?;
        println!(
            "single delist, HTTP (1 client): {http_rate:>8.0} /s   (relist + delist pairs, per request)"
        );
    }
    // --- batch delist -----------------------------------------------------------------
    if args.batch > 0 {
        let batch = args.batch as i64;
        let ids: Vec<String> = (n_single + 1..=n_single + batch).map(id).collect();
        let start = Instant::now();
        service.batch_delist(&admin, &store.id, &ids, why()).await?;
        let service_batch = start.elapsed();
        let ids: Vec<String> = (n_single + batch + 1..=n_single + 2 * batch)
            .map(id)
            .collect();
        let start = Instant::now();
        let mut tx = db.begin().await?;
        raw_batch_delist(&mut tx, &store.id, &ids, now).await?;
        tx.commit().await?;
        let raw_batch = start.elapsed();
        println!(
            "batch delist of {batch}, use case:       {:>8.1} ms",
            ms(service_batch)
        );
        println!(
            "batch delist of {batch}, raw statements: {:>8.1} ms   use case / raw = {:.2}",
            ms(raw_batch),
            service_batch.as_secs_f64() / raw_batch.as_secs_f64()
        );
    }
    if args.products > 0 {
        page_section(&service, args).await?;
    }
    if args.notify_rate > 0 && args.notify_seconds > 0 {
        crate::bench_notify::notify_section(&service, args.notify_rate, args.notify_seconds)
            .await?;
    }
    if args.deadlines > 0 {
        deadline_section(&service, args.deadlines, args.due).await?;
    }
    if args.orders_per_client > 0 {
        order_section(&service, args.clients, args.orders_per_client).await?;
    }
    db.close().await;
    Ok(())
}

/// A filtered product page over a store of `args.products` products.
async fn page_section(service: &Service, args: &BenchArgs) -> anyhow::Result<()> {
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
                n: args.products,
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
        args.products,
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
        args.products
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
        let mut service_times = Vec::with_capacity(args.pages);
        let mut raw_times = Vec::with_capacity(args.pages);
        for _ in 0..args.pages {
            // Half first pages, half deep pages from a random cursor.
            let cursor = if next_rand(2) == 1 {
                None
            } else {
                Some(format!(
                    "0b000002-0000-7000-8000-{:012x}",
                    next_rand(args.products)
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
    Ok(())
}

/// The scheduler: find and fire `due` deadlines among `open` pending ones, through the
/// worker and through the same statements issued directly.
async fn deadline_section(service: &Service, open: i64, due: i64) -> anyhow::Result<()> {
    let db = &service.db;
    let admin = Actor::local_admin();
    let store = service
        .create_store(
            &admin,
            marketdesk_service::accounts::NewStore {
                name: "Bench deadlines".into(),
                site: "US".into(),
                fulfilment_mode: "self_operated".into(),
            },
        )
        .await?;
    let now = jiff::Timestamp::now().as_microsecond();
    let hour = 3_600_000_000;
    let start = Instant::now();
    {
        let mut tx = db.begin().await?;
        let backend = db.backend();
        seed::products(
            &mut tx,
            backend,
            Seed {
                store_id: &store.id,
                currency: "USD",
                id_tag: "0c000003",
                n: open,
                spread: Spread::AllOnSale,
                now_us: now,
                stock_each: 10,
            },
        )
        .await?;
        seed::cases(
            &mut tx,
            backend,
            seed::CaseSeed {
                store_id: &store.id,
                id_tag: "0c000003",
                n: open,
                due_a: due,
                due_a_at: now - hour,
                due_b: due,
                due_b_at: now + hour,
                now_us: now,
            },
        )
        .await?;
        tx.commit().await?;
        let mut c = db.reader().await?;
        seed::analyze(&mut c).await?;
    }
    println!(
        "seeded {open} open violation cases with pending deadlines in {:.1} s",
        start.elapsed().as_secs_f64()
    );

    // Finding alone: one claim query for a batch among all pending rows.
    let mut finds = Vec::new();
    for _ in 0..50 {
        let mut tx = db.begin().await?;
        let t = Instant::now();
        let rows = marketdesk_store::deadlines::claim_due(
            &mut tx,
            db.backend(),
            now,
            marketdesk_service::deadlines::FIRE_BATCH,
        )
        .await?;
        finds.push(t.elapsed());
        anyhow::ensure!(
            rows.len() as i64 == marketdesk_service::deadlines::FIRE_BATCH.min(due),
            "found {}",
            rows.len()
        );
        tx.rollback().await?;
    }
    finds.sort();
    println!(
        "find {} due among {open} pending: p50 {:.2} ms, p99 {:.2} ms",
        marketdesk_service::deadlines::FIRE_BATCH.min(due),
        ms(percentile(&finds, 0.5)),
        ms(percentile(&finds, 0.99))
    );

    let t = Instant::now();
    let fired = service.fire_all_due().await?;
    let worker = t.elapsed();
    anyhow::ensure!(fired as i64 == due, "worker fired {fired}, expected {due}");

    // The same statements for the second due set, with "now" two hours on.
    let later = now + 2 * hour;
    let t = Instant::now();
    let mut raw_fired = 0;
    loop {
        let mut tx = db.begin().await?;
        let rows = marketdesk_store::deadlines::claim_due(
            &mut tx,
            db.backend(),
            later,
            marketdesk_service::deadlines::FIRE_BATCH,
        )
        .await?;
        if rows.is_empty() {
            break;
        }
        for d in &rows {
            let mut case = marketdesk_store::violations::get(&mut tx, &d.subject_id)
                .await?
                .context("seeded case")?;
            marketdesk_store::violations::appeals(&mut tx, &case.id).await?;
            case.state = "overdue".into();
            case.rectify_deadline_passed = 1;
            case.updated_at = later;
            marketdesk_store::violations::update(&mut tx, &case).await?;
            let product = products::product(&mut tx, &case.product_id)
                .await?
                .context("seeded product")?;
            timeline::insert(
                &mut tx,
                &timeline::TimelineRow {
                    id: marketdesk_core::id::new_id(),
                    store_id: product.store_id.clone(),
                    product_id: product.id.clone(),
                    at: later,
                    actor_id: "system".into(),
                    actor_role: "system".into(),
                    action: "rectification_overdue".into(),
                    from_state: Some(product.state.clone()),
                    to_state: product.state.clone(),
                    delist_kind: None,
                    reason_code: None,
                    reason_text: None,
                    evidence_ids: "[]".into(),
                },
            )
            .await?;
            outbox::insert(
                &mut tx,
                &outbox::OutboxRow {
                    id: marketdesk_core::id::new_id(),
                    store_id: product.store_id.clone(),
                    event_type: "violation.overdue".into(),
                    subject_id: product.id.clone(),
                    payload: "{}".into(),
                    created_at: later,
                    dispatched_at: None,
                },
            )
            .await?;
        }
        let ids: Vec<String> = rows.iter().map(|d| d.id.clone()).collect();
        raw_fired += marketdesk_store::deadlines::mark_fired(&mut tx, &ids, later, "bench").await?;
        tx.commit().await?;
    }
    let raw = t.elapsed();
    anyhow::ensure!(raw_fired as i64 == due, "raw fired {raw_fired}");
    println!(
        "fire {due} due among {open} pending, worker:         {:>8.0} ms   ({:.0} deadlines/s)",
        ms(worker),
        due as f64 / worker.as_secs_f64()
    );
    println!(
        "fire {due} due among {open} pending, raw statements: {:>8.0} ms   ({:.0} deadlines/s)   worker / raw = {:.2}",
        ms(raw),
        due as f64 / raw.as_secs_f64(),
        worker.as_secs_f64() / raw.as_secs_f64()
    );
    Ok(())
}

/// The bare page SELECT the use case issues for `q` (state / label resolved the same way).
fn raw_filter(store_id: &str, q: &ProductQuery, cursor: Option<String>) -> ProductFilter {
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
        store_id: store_id.into(),
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

/// The statements of one delist, with no domain code: load product and store, write the
/// status, move the two tab counts, append timeline and outbox, read the SKUs back.
async fn raw_delist(
    tx: &mut marketdesk_store::Conn,
    product_id: &str,
    now: i64,
) -> anyhow::Result<()> {
    let row = products::product(tx, product_id)
        .await?
        .context("seeded product")?;
    catalog::store(tx, &row.store_id).await?;
    raw_write(tx, row.clone(), now).await?;
    products::bump_count(tx, &row.store_id, "on_sale", "", -1).await?;
    products::bump_count(tx, &row.store_id, "delisted", "voluntary", 1).await?;
    products::skus_of(tx, std::slice::from_ref(&row.id)).await?;
    Ok(())
}

/// The statements of a batch delist: load all, load the store, write each, move the
/// counts once.
async fn raw_batch_delist(
    tx: &mut marketdesk_store::Conn,
    store_id: &str,
    ids: &[String],
    now: i64,
) -> anyhow::Result<()> {
    let rows = products::products_by_ids(tx, ids).await?;
    catalog::store(tx, store_id).await?;
    let n = rows.len() as i64;
    for row in rows {
        raw_write(tx, row, now).await?;
    }
    products::bump_count(tx, store_id, "on_sale", "", -n).await?;
    products::bump_count(tx, store_id, "delisted", "voluntary", n).await?;
    Ok(())
}

/// Status, timeline row and outbox event of one delist.
async fn raw_write(
    tx: &mut marketdesk_store::Conn,
    mut row: products::ProductRow,
    now: i64,
) -> anyhow::Result<()> {
    let version = row.version;
    row.state = State::Delisted.as_str().into();
    row.delist_kind = Some("voluntary".into());
    row.reason_code = Some("slow_selling".into());
    row.reason_text = Some("bench".into());
    row.version += 1;
    row.updated_at = now;
    anyhow::ensure!(
        products::update_status(tx, &row, version).await?,
        "version moved"
    );
    timeline::insert(
        tx,
        &timeline::TimelineRow {
            id: marketdesk_core::id::new_id(),
            store_id: row.store_id.clone(),
            product_id: row.id.clone(),
            at: now,
            actor_id: "bench".into(),
            actor_role: "admin".into(),
            action: "delist".into(),
            from_state: Some("on_sale".into()),
            to_state: "delisted".into(),
            delist_kind: Some("voluntary".into()),
            reason_code: Some("slow_selling".into()),
            reason_text: Some("bench".into()),
            evidence_ids: "[]".into(),
        },
    )
    .await?;
    outbox::insert(
        tx,
        &outbox::OutboxRow {
            id: marketdesk_core::id::new_id(),
            store_id: row.store_id.clone(),
            event_type: "product.delisted".into(),
            subject_id: row.id.clone(),
            payload: "{}".into(),
            created_at: now,
            dispatched_at: None,
        },
    )
    .await?;
    Ok(())
}

/// Relists then delists each product over HTTP with one client; returns requests/s.
async fn http_delists(service: &Service, ids: &[String]) -> anyhow::Result<f64> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = marketdesk_server::app(service.clone());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::new();
    let token = "bench-admin-token-0123456789";
    let start = Instant::now();
    for id in ids {
        for (path, body) in [
            ("relist", serde_json::json!({})),
            (
                "delist",
                serde_json::json!({"reason_code": "slow_selling", "reason_text": "bench"}),
            ),
        ] {
            let res = client
                .post(format!("http://{addr}/api/v1/products/{id}/{path}"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await?;
            anyhow::ensure!(res.status().is_success(), "{path} {id}: {}", res.status());
        }
    }
    let rate = (ids.len() * 2) as f64 / start.elapsed().as_secs_f64();
    server.abort();
    Ok(rate)
}

/// Reservations: `clients` concurrent HTTP clients place one-line orders, with group
/// commit and with one transaction per order, beside the raw statements of a reservation
/// (guarded stock update, ledger row, order and line, outbox event) at one transaction
/// each from the same number of concurrent tasks.
async fn order_section(service: &Service, clients: usize, per_client: usize) -> anyhow::Result<()> {
    let admin = Actor::local_admin();
    let db = &service.db;
    let store = service
        .create_store(
            &admin,
            marketdesk_service::accounts::NewStore {
                name: "Bench orders".into(),
                site: "US".into(),
                fulfilment_mode: "self_operated".into(),
            },
        )
        .await?;
    let now = jiff::Timestamp::now().as_microsecond();
    let spread_n: i64 = 10_000;
    {
        let mut tx = db.begin().await?;
        // Deep stock, so the spread run measures reservations, not sell-outs.
        seed::products(
            &mut tx,
            db.backend(),
            Seed {
                store_id: &store.id,
                currency: "USD",
                id_tag: "0d000004",
                n: spread_n,
                spread: Spread::AllOnSale,
                now_us: now,
                stock_each: 1_000_000_000,
            },
        )
        .await?;
        tx.commit().await?;
    }
    let hot = service
        .create_product(
            &admin,
            &store.id,
            marketdesk_service::products::NewProduct {
                title: "Hot item".into(),
                category: "electronics".into(),
                skus: vec![marketdesk_service::products::NewSku {
                    code: "HOT-1".into(),
                    price: "9.99".into(),
                    stock: 1_000_000_000,
                }],
            },
        )
        .await?;
    service
        .transition(&admin, &hot.row.id, Action::List, Why::default())
        .await?;
    let hot_sku = hot.skus[0].id.clone();
    let spread_sku =
        |i: usize| format!("0d000004-0000-7000-9000-{:012x}", (i as i64 % spread_n) + 1);
    println!("order reservations, {clients} concurrent clients × {per_client} one-line orders:");
    println!(
        "  {:<34} {:>12} {:>12} {:>12} {:>12}",
        "", "orders/s", "p50 ms", "p99 ms", "vs raw"
    );
    for (label, pick) in [("hot SKU", None), ("spread over 10,000 SKUs", Some(()))] {
        let sku_for = |client: usize, k: usize| match pick {
            None => hot_sku.clone(),
            Some(()) => spread_sku(client * 7919 + k * 104_729),
        };
        let raw = raw_reservations(db, &store.id, clients, per_client, &sku_for).await?;
        let single = http_orders(
            &service.clone().with_group_commit(false),
            &store.id,
            clients,
            per_client,
            &sku_for,
        )
        .await?;
        let grouped = http_orders(
            &service.clone().with_group_commit(true),
            &store.id,
            clients,
            per_client,
            &sku_for,
        )
        .await?;
        println!(
            "  {:<34} {:>12.0} {:>12} {:>12} {:>12}",
            format!("{label}, raw statements"),
            raw,
            "",
            "",
            "1.00"
        );
        for (name, (rate, p50, p99)) in [
            ("HTTP, one transaction per order", single),
            ("HTTP, group commit", grouped),
        ] {
            println!(
                "  {:<34} {:>12.0} {:>12.2} {:>12.2} {:>12.2}",
                format!("{label}, {name}"),
                rate,
                p50,
                p99,
                rate / raw
            );
        }
    }
    Ok(())
}

async fn raw_reservations(
    db: &Db,
    store_id: &str,
    clients: usize,
    per_client: usize,
    sku_for: &(dyn Fn(usize, usize) -> String + Sync),
) -> anyhow::Result<f64> {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let skus: Vec<String> = (0..per_client).map(|k| sku_for(client, k)).collect();
        let db = db.clone();
        let store_id = store_id.to_string();
        tasks.push(tokio::spawn(async move {
            for sku in skus {
                let mut tx = db.begin().await?;
                let (on_hand, reserved) =
                    marketdesk_store::stock::apply_movement(&mut tx, &sku, 0, 1)
                        .await?
                        .context("stock")?;
                let now = jiff::Timestamp::now().as_microsecond();
                let order_id = marketdesk_core::id::new_id();
                marketdesk_store::stock::insert_movement(
                    &mut tx,
                    &marketdesk_store::stock::MovementRow {
                        id: marketdesk_core::id::new_id(),
                        store_id: store_id.clone(),
                        sku_id: sku.clone(),
                        kind: "reservation".into(),
                        on_hand_delta: 0,
                        reserved_delta: 1,
                        on_hand_after: on_hand,
                        reserved_after: reserved,
                        reason: None,
                        order_id: Some(order_id.clone()),
                        actor_id: "bench".into(),
                        at: now,
                    },
                )
                .await?;
                let product_id = marketdesk_store::stock::sku(&mut tx, &sku)
                    .await?
                    .context("sku")?
                    .product_id;
                marketdesk_store::orders::insert(
                    &mut tx,
                    &marketdesk_store::orders::OrderRow {
                        id: order_id.clone(),
                        store_id: store_id.clone(),
                        state: marketdesk_core::OrderState::Placed,
                        currency: "USD".into(),
                        total: "9.99".into(),
                        placed_by: "bench".into(),
                        created_at: now,
                        updated_at: now,
                    },
                    &[marketdesk_store::orders::LineRow {
                        id: marketdesk_core::id::new_id(),
                        order_id: order_id.clone(),
                        store_id: store_id.clone(),
                        sku_id: sku.clone(),
                        product_id,
                        quantity: 1,
                        unit_price: "9.99".into(),
                        amount: "9.99".into(),
                        presale: 0,
                        ship_by: None,
                        shipped_late: 0,
                        position: 0,
                    }],
                )
                .await?;
                outbox::insert(
                    &mut tx,
                    &outbox::OutboxRow {
                        id: marketdesk_core::id::new_id(),
                        store_id: store_id.clone(),
                        event_type: "order.placed".into(),
                        subject_id: order_id,
                        payload: "{}".into(),
                        created_at: now,
                        dispatched_at: None,
                    },
                )
                .await?;
                tx.commit().await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok((clients * per_client) as f64 / start.elapsed().as_secs_f64())
}

/// Serves `service` on a free port and has `clients` tasks place orders; returns
/// (orders/s, p50 ms, p99 ms).
async fn http_orders(
    service: &Service,
    store_id: &str,
    clients: usize,
    per_client: usize,
    sku_for: &(dyn Fn(usize, usize) -> String + Sync),
) -> anyhow::Result<(f64, f64, f64)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = marketdesk_server::app(service.clone());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let skus: Vec<String> = (0..per_client).map(|k| sku_for(c, k)).collect();
        let client = client.clone();
        let store_id = store_id.to_string();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(skus.len());
            for sku in skus {
                let body = serde_json::json!({"store_id": store_id, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.99"}]});
                let t = Instant::now();
                let res = client.post(format!("http://{addr}/api/v1/orders")).bearer_auth("bench-admin-token-0123456789").json(&body).send().await?;
                anyhow::ensure!(res.status().as_u16() == 201, "order: {}", res.text().await.unwrap_or_default());
                times.push(t.elapsed());
            }
            anyhow::Ok(times)
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    let rate = (clients * per_client) as f64 / start.elapsed().as_secs_f64();
    server.abort();
    times.sort();
    Ok((
        rate,
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
    ))
}
