//! `marketdesk serve` and `marketdesk demo`.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use marketdesk_service::{Clock, ManualClock, Service, SystemClock};
use marketdesk_store::{Db, blobs::Blobs, db::sqlite_url_in};

use crate::DataArgs;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockMode {
    System,
    Manual,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Address to listen on.
    #[arg(long, env = "MARKETDESK_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// `manual` starts a sandbox whose clock moves only through POST /api/v1/admin/clock.
    #[arg(long, value_enum, default_value = "system")]
    pub clock: ClockMode,
    /// Load the demo data set first if the database is empty.
    #[arg(long)]
    pub demo: bool,
    /// Served over HTTPS (behind a TLS proxy): console session cookies get `Secure`.
    #[arg(long, env = "MARKETDESK_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// The console's address as people reach it (behind a proxy: its public https URL),
    /// for links in e-mails such as team invitations. Default: the address listened on.
    #[arg(long, env = "MARKETDESK_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Settings file (TOML); defaults to DATA_DIR/marketdesk.toml when that exists.
    #[arg(long, env = "MARKETDESK_CONFIG")]
    pub config: Option<std::path::PathBuf>,
}

/// Opens the database and blob folder named by `data`, ready for use cases.
pub async fn open(data: &DataArgs, clock: Arc<dyn Clock>) -> anyhow::Result<Service> {
    let url = match &data.database_url {
        Some(url) => url.clone(),
        None => sqlite_url_in(&data.data_dir)
            .with_context(|| format!("cannot create data dir {}", data.data_dir.display()))?,
    };
    let db = Db::connect(&url)
        .await
        .context("cannot open the database")?;
    let blobs =
        Blobs::local(&data.data_dir.join("blobs")).context("cannot open the blob folder")?;
    Ok(Service::new(db, blobs, clock))
}

/// Where to show a generated admin token: `serve` prints it with its other start-up
/// lines; the admin commands keep stdout for their JSON and use stderr.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Announce {
    Stdout,
    Stderr,
}

/// Opens and bootstraps: default sites, and the first admin on an empty database.
pub async fn open_bootstrapped(
    data: &DataArgs,
    clock: Arc<dyn Clock>,
    announce: Announce,
) -> anyhow::Result<Service> {
    let service = open(data, clock).await?;
    let admin_token = std::env::var("MARKETDESK_ADMIN_TOKEN").ok();
    if let Some(token) = service.bootstrap(admin_token.as_deref()).await? {
        // Shown once; only its hash is stored, so it cannot be shown again.
        let line = format!("admin API token (shown once): {token}");
        match announce {
            Announce::Stdout => println!("{line}"),
            Announce::Stderr => eprintln!("{line}"),
        }
    }
    Ok(service)
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let clock: Arc<dyn Clock> = match args.clock {
        ClockMode::System => Arc::new(SystemClock),
        ClockMode::Manual => {
            if std::env::var("MARKETDESK_ENV").is_ok_and(|v| v == "production") {
                bail!("--clock manual is refused when MARKETDESK_ENV=production");
            }
            Arc::new(ManualClock::new(jiff::Timestamp::now()))
        }
    };
    let settings = crate::settings::load(args.config.as_deref(), &args.data.data_dir)?;
    let secrets = marketdesk_service::secret_box::SecretBox::from_base64(
        &crate::settings::secret_key(&settings, &args.data.data_dir)?,
    )
    .context("invalid secret_key")?;
    let auth_failure_burst = settings.auth_failure_burst;
    let retention = settings.retention;
    let settings_s3 = settings.s3.clone();
    let channels = settings.notify;
    tracing::info!(smtp = ?channels.smtp, sms = ?channels.sms, "notification channels");
    let service = open_bootstrapped(&args.data, clock, Announce::Stdout)
        .await?
        .with_channels(channels)
        .with_secret_box(secrets);
    let service = match &settings_s3 {
        Some(s3) => {
            tracing::info!(bucket = %s3.bucket, endpoint = ?s3.endpoint, "files in S3");
            service.with_blobs(Blobs::s3(s3).context("invalid [s3] settings")?)
        }
        None => service,
    };
    let sealed = service.seal_stored_secrets().await?;
    if sealed > 0 {
        tracing::info!(sealed, "sealed webhook secrets stored before a key was set");
    }
    if args.demo {
        load_demo(&service, 800).await?;
    }
    // Deadlines that passed while nothing ran fire in the worker's first round, at once.
    service.sync_sandbox_clock().await?;
    // Each store's next daily inspection and weekly review (stores created before this
    // version, or by another process's import).
    service.ensure_monitoring_schedules().await?;
    tokio::spawn(
        service
            .clone()
            .run_deadline_worker(std::time::Duration::from_secs(1)),
    );
    // Writes in this process nudge it; polling every 200 ms catches other processes' events.
    tokio::spawn(
        service
            .clone()
            .run_outbox_dispatcher(std::time::Duration::from_millis(200)),
    );
    // Old events, deliveries, idempotency keys and sessions, hourly, in small batches.
    tokio::spawn(
        service
            .clone()
            .run_retention(retention, std::time::Duration::from_secs(3600)),
    );
    // PostgreSQL: the other processes' revoked tokens and delivered messages.
    tokio::spawn(service.clone().run_notice_listener());
    // Woken by the dispatcher; the period only matters for retries coming due.
    tokio::spawn(
        service
            .clone()
            .run_channel_sender(std::time::Duration::from_millis(500)),
    );
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(listen = %args.listen, clock = ?args.clock, "marketdesk is serving");
    println!("console: http://{}/", listener.local_addr()?);
    let public_url = match args.public_url {
        Some(u) if u.starts_with("http://") || u.starts_with("https://") => u,
        Some(u) => bail!("--public-url must start with http:// or https://, not {u:?}"),
        None => format!("http://{}", listener.local_addr()?),
    };
    let app = marketdesk_server::app_with(
        service.clone().with_public_url(&public_url),
        marketdesk_server::ApiOptions {
            secure_cookies: args.secure_cookies,
            auth_failure_burst: auth_failure_burst
                .unwrap_or(marketdesk_server::auth_throttle::FAILURE_BURST),
        },
    )
    .into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    service.db.close().await;
    Ok(())
}

pub async fn demo(data: DataArgs, products: usize) -> anyhow::Result<()> {
    let service = open_bootstrapped(&data, Arc::new(SystemClock), Announce::Stdout).await?;
    load_demo(&service, products).await
}

async fn load_demo(service: &Service, products: usize) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    match service.load_demo(products).await? {
        None => tracing::info!("demo data not loaded: the database already has stores"),
        Some(summary) => {
            println!(
                "demo data: {} products in {} stores ({:.1} s)",
                summary.products,
                summary.stores.len(),
                started.elapsed().as_secs_f64()
            );
            for (store, token) in summary.stores {
                println!(
                    "  store {} {:<22} site {} {:<14} seller token: {token}",
                    store.id, store.name, store.site_code, store.fulfilment_mode
                );
            }
            println!("console logins (passwords shown once):");
            for l in summary.logins {
                let store = l.store.map(|s| format!(" of {s}")).unwrap_or_default();
                let role = match l.team {
                    Some(t) => format!("{} ({})", l.role.as_str(), t.as_str()),
                    None => l.role.as_str().to_owned(),
                };
                println!(
                    "  {:<10} login {:<12} password {}{store}",
                    role, l.login, l.password
                );
            }
        }
    }
    Ok(())
}
