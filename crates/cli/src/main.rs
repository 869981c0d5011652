//! `marketdesk`: one binary for the HTTP API, the workers and the command line.
//!
//! Administrative commands (`stores`, `products`, …) work directly on the data directory
//! or database URL as the local platform admin: whoever can read the data can act on it,
//! exactly as with `sqlite3` or `psql`. Remote clients use the HTTP API with a token.

mod bench;
mod calendar;
mod classify;
mod commands;
mod exports;
mod product_csv;
mod serve;
mod settings;
mod stock;

use std::path::PathBuf;

/// mimalloc instead of glibc's malloc: a request allocates and frees many small buffers on
/// two threads at once, where glibc's arenas spent ~12 % of a product read (`malloc`,
/// `_int_free`, `malloc_consolidate` in the read section's profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "marketdesk",
    version,
    about = "Seller center: listings, delisting, violations and after-sales"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives; shared by every command that touches it.
#[derive(clap::Args, Clone, Debug)]
pub struct DataArgs {
    /// Folder for the embedded SQLite file and evidence blobs.
    #[arg(long, env = "MARKETDESK_DATA_DIR", default_value = "./marketdesk-data")]
    pub data_dir: PathBuf,
    /// postgres://… to use PostgreSQL instead of the embedded SQLite file.
    #[arg(long, env = "MARKETDESK_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve(serve::ServeArgs),
    /// Load the demo data set into an empty database, then exit.
    Demo {
        #[command(flatten)]
        data: DataArgs,
        /// Products per demo store.
        #[arg(long, default_value_t = 800)]
        products: usize,
    },
    /// Stores.
    #[command(subcommand)]
    Stores(commands::StoreCommand),
    /// Users and their API tokens.
    #[command(subcommand)]
    Users(commands::UserCommand),
    /// Products: list, show, delist, relist, timeline.
    #[command(subcommand)]
    Products(commands::ProductCommand),
    /// Stock levels: CSV import and ledger export.
    #[command(subcommand)]
    Stock(stock::StockCommand),
    /// Violations, after-sales cases, refunds or a product's timeline as CSV.
    #[command(subcommand)]
    Export(exports::ExportCommand),
    /// Site calendars and deadline arithmetic.
    #[command(subcommand)]
    Calendar(calendar::CalendarCommand),
    /// The sandbox clock of a `serve --clock manual` database.
    #[command(subcommand)]
    Clock(calendar::ClockCommand),
    /// Print the OpenAPI document.
    Openapi,
    /// Measure the hot paths beside the raw cost of their SQL.
    Bench(bench::BenchArgs),
    /// Reason texts (a TSV with a `text` column) to reason codes; `--train` rebuilds the model.
    Classify(classify::ClassifyArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    marketdesk_store::tls::install();
    // The bench seeds a million rows in one statement on purpose: sqlx's slow-statement
    // warnings would only bury its figures.
    let default_filter = match cli.command {
        Command::Bench(_) => "warn,sqlx=error",
        _ => "info,sqlx=warn,tower_http=warn",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| default_filter.into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Demo { data, products } => serve::demo(data, products).await,
            Command::Stores(c) => commands::stores(c).await,
            Command::Users(c) => commands::users(c).await,
            Command::Products(c) => commands::products(c).await,
            Command::Stock(c) => stock::run(c).await,
            Command::Export(c) => exports::run(c).await,
            Command::Calendar(c) => calendar::calendar(c).await,
            Command::Clock(c) => calendar::clock(c).await,
            Command::Openapi => {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&marketdesk_server::api_document::document())?
                );
                Ok(())
            }
            Command::Bench(args) => bench::run(args).await,
            Command::Classify(args) => classify::run(args),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the message and its causes, no backtrace.
            let chain: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}
