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
//!   (store check, page, SKUs, tab counts) against the bare page SELECT, then the
//!   console's `/products` page and the JSON API's page over real HTTP, by the server time
//!   each answer reports in `Server-Timing`;
//! - the CSV product import of N rows (default 100,000): rows/s against a raw multi-row
//!   INSERT of the same products and SKUs;
//! - one product read over HTTP at 64 clients beside a hello route of the same binary;
//! - one-line orders at 16 and 64 clients beside the raw statements at 1 and 100 orders
//!   per transaction;
//! - the weekly review of the big store with 100,000 events in the week, beside the
//!   counter SELECT it reads and the timeline scan it avoids;
//! - the reason classifier's texts per second beside segmentation alone.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use marketdesk_core::Action;
use marketdesk_service::listing::Why;
use marketdesk_service::{Actor, Service, SystemClock};
use marketdesk_store::seed::{self, Seed, Spread};
use marketdesk_store::{Db, blobs::Blobs, db::sqlite_url_in, testing};

mod console_page;
mod deadlines;
mod delists;
mod figures;
mod import;
mod mixed_load;
mod monitoring;
mod notify;
mod orders;
mod page;
mod product_read;

use deadlines::*;
use delists::*;
use figures::*;
use orders::*;
use page::*;

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
    /// One-line orders per measurement in the reservation section, shared among the
    /// clients (0 skips it).
    #[arg(long, default_value_t = 6400)]
    orders: usize,
    /// Concurrent HTTP clients placing orders: each count is measured in turn.
    #[arg(long, value_delimiter = ',', default_values_t = [16, 64])]
    clients: Vec<usize>,
    /// Delist events per second driven through HTTP in the notification section (0 skips).
    #[arg(long, default_value_t = 500)]
    notify_rate: u64,
    /// Seconds the notification section drives events for.
    #[arg(long, default_value_t = 30)]
    notify_seconds: u64,
    /// Product reads over HTTP in the read section, beside as many hello requests (0
    /// skips it).
    #[arg(long, default_value_t = 40_000)]
    reads: usize,
    /// Concurrent HTTP clients in the read section.
    #[arg(long, default_value_t = 64)]
    read_clients: usize,
    /// Seconds of the mixed load section (reads, orders, delists, after-sales; 0 skips).
    #[arg(long, default_value_t = 60)]
    mixed_seconds: u64,
    /// Concurrent HTTP connections in the mixed load section.
    #[arg(long, default_value_t = 64)]
    mixed_clients: usize,
    /// Timeline events written in last week for the weekly review section (needs
    /// --products; 0 skips it).
    #[arg(long, default_value_t = 100_000)]
    week_events: i64,
    /// Skip the classifier's throughput section.
    #[arg(long)]
    no_classify: bool,
    /// Rows of the CSV product import section (0 skips it).
    #[arg(long, default_value_t = 100_000)]
    import_rows: usize,
    /// Page requests timed per filter.
    #[arg(long, default_value_t = 300)]
    pages: usize,
    /// A PostgreSQL server to measure as well; the bench makes its own database there and
    /// drops it afterwards.
    #[arg(long, env = "MARKETDESK_BENCH_POSTGRES_URL", hide_env_values = true)]
    postgres_url: Option<String>,
    /// Measure PostgreSQL alone (needs --postgres-url).
    #[arg(long, requires = "postgres_url")]
    no_sqlite: bool,
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
        if !args.no_classify {
            monitoring::classify_section()?;
        }
        let url = sqlite_url_in(&dir.join("db"))?;
        if !args.no_sqlite {
            run_backend("SQLite", &url, &dir, &args).await?;
        }
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
    if args.import_rows > 0 {
        import::import_section(&service, args.import_rows).await?;
    }
    if args.products > 0 {
        let big = page_section(&service, args.products, args.pages).await?;
        console_page::console_section(&service, &big, args.products, args.pages).await?;
        if args.week_events > 0 {
            monitoring::weekly_section(&service, &big, args.products, args.week_events).await?;
        }
    }
    if args.notify_rate > 0 && args.notify_seconds > 0 {
        notify::notify_section(&service, args.notify_rate, args.notify_seconds).await?;
    }
    if args.deadlines > 0 {
        deadline_section(&service, args.deadlines, args.due).await?;
    }
    if args.reads > 0 {
        product_read::read_section(&service, args.read_clients, args.reads).await?;
    }
    if args.orders > 0 {
        order_section(&service, &args.clients, args.orders).await?;
    }
    if args.mixed_seconds > 0 {
        mixed_load::mixed_section(&service, args.mixed_clients, args.mixed_seconds).await?;
    }
    db.close().await;
    Ok(())
}
