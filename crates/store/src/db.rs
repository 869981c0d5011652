//! Connecting, durability settings and migrations.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, pool::PoolConnection};

use crate::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub type Tx = sqlx::Transaction<'static, Any>;

/// The database: a writer pool and a reader pool.
///
/// On SQLite the writer pool has a single connection. SQLite allows one writer at a time
/// anyway; funnelling writes through one connection turns lock contention into a queue
/// and lets write transactions start with `BEGIN IMMEDIATE`, so a transaction never
/// fails half-way when upgrading a read lock. Readers use WAL snapshots in parallel.
/// On PostgreSQL both are the same pool.
#[derive(Clone)]
pub struct Db {
    backend: Backend,
    write: AnyPool,
    read: AnyPool,
    /// PostgreSQL only: for the notification listener's own connection. Never printed.
    listen_url: Option<std::sync::Arc<str>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: it is deliberately not kept or printed.
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Db {
    /// Connects by URL: `sqlite://PATH` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(sqlx::Error::Configuration(
                "database URL must start with sqlite: or postgres:".into(),
            )
            .into());
        };
        let db = match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                let options = AnyConnectOptions::from_str(&url)?;
                let write = Self::pool(backend, 1).connect_with(options.clone()).await?;
                let read = Self::pool(backend, 4).connect_with(options).await?;
                Db {
                    backend,
                    write,
                    read,
                    listen_url: None,
                }
            }
            Backend::Postgres => {
                let options = AnyConnectOptions::from_str(url)?;
                let pool = Self::pool(backend, 16).connect_with(options).await?;
                Db {
                    backend,
                    write: pool.clone(),
                    read: pool,
                    listen_url: Some(url.into()),
                }
            }
        };
        db.migrate().await?;
        Ok(db)
    }

    fn pool(backend: Backend, max: u32) -> AnyPoolOptions {
        // No ping before each acquire: it is a round trip (on SQLite a hand-off to the
        // connection's thread and back) on every use case and every read. A connection
        // that broke meanwhile fails its first statement and is then closed by the pool;
        // the request answers an error and the next one gets a fresh connection.
        AnyPoolOptions::new()
            .max_connections(max)
            .test_before_acquire(false)
            // While the database is down, a request waits this long for a connection,
            // then answers 503: long enough for a restart's first seconds, short enough
            // that a client's retry is not stuck behind a dead one.
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    for statement in session_settings(backend) {
                        conn.execute(*statement).await?;
                    }
                    Ok(())
                })
            })
    }

    async fn migrate(&self) -> Result<()> {
        let mut conn = self.write.acquire().await?;
        sqlx::migrate!("./migrations").run(&mut *conn).await?;
        crate::dialect::apply(&mut conn, self.backend).await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Tells every process on this database `payload` on `channel` (PostgreSQL's
    /// NOTIFY; nothing on SQLite, where one process owns the data folder).
    pub async fn signal(&self, channel: &str, payload: &str) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(channel)
                .bind(payload)
                .execute(&self.write)
                .await?;
        }
        Ok(())
    }

    /// A listener on `channels` over a connection of its own (PostgreSQL only). sqlx's
    /// listener reconnects by itself after the server restarts.
    pub async fn listener(&self, channels: &[&str]) -> Result<Option<sqlx::postgres::PgListener>> {
        let Some(url) = &self.listen_url else {
            return Ok(None);
        };
        let mut listener = sqlx::postgres::PgListener::connect(url).await?;
        listener.listen_all(channels.iter().copied()).await?;
        Ok(Some(listener))
    }

    /// Starts a write transaction: one use case, one transaction.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => match self.write.begin_with("BEGIN IMMEDIATE").await {
                Ok(tx) => tx,
                // A COMMIT that failed (the disk full) can leave sqlx's connection inside
                // a transaction SQLite already rolled back, and every later BEGIN is
                // refused: the only writer would be wedged for good. Close it; the pool
                // opens a fresh one.
                Err(e) if e.to_string().contains("non-zero transaction depth") => {
                    tracing::warn!("closing the write connection left inside a failed transaction");
                    let mut wedged = self.write.acquire().await?;
                    wedged.close_on_drop();
                    drop(wedged);
                    self.write.begin_with("BEGIN IMMEDIATE").await?
                }
                Err(e) => return Err(e.into()),
            },
            Backend::Postgres => self.write.begin().await?,
        })
    }

    /// A PostgreSQL connection of the caller's own, outside the pools and with their
    /// session settings (None on SQLite, whose one writer is the pool's). The bench's raw
    /// baseline gives each client one, as pgbench does, so its clients never queue for
    /// the server's 16 pooled connections.
    pub async fn own_connection(&self) -> Result<Option<sqlx::AnyConnection>> {
        use sqlx::Connection;
        let Some(url) = &self.listen_url else {
            return Ok(None);
        };
        let mut conn = sqlx::AnyConnection::connect(url).await?;
        for statement in session_settings(self.backend) {
            conn.execute(*statement).await?;
        }
        Ok(Some(conn))
    }

    /// A connection for reads that need no transaction.
    pub async fn reader(&self) -> Result<PoolConnection<Any>> {
        Ok(self.read.acquire().await?)
    }

    /// The write pool, for benchmarks that issue raw statements beside the service.
    pub fn write_pool(&self) -> &AnyPool {
        &self.write
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Per-connection settings. A write is acknowledged only once it is on disk:
/// SQLite in WAL mode with `synchronous=FULL` fsyncs the WAL at every commit;
/// PostgreSQL waits for its WAL flush with `synchronous_commit=on`.
fn session_settings(backend: Backend) -> &'static [&'static str] {
    match backend {
        Backend::Sqlite => &[
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            "PRAGMA busy_timeout = 10000",
            "PRAGMA foreign_keys = ON",
        ],
        // Parallel workers cost milliseconds to launch; a keyset page reads a few hundred
        // index entries, so parallel plans only add latency (the title search's p99 went
        // from 43 ms to under 2 ms without them).
        Backend::Postgres => &[
            "SET synchronous_commit = on",
            "SET max_parallel_workers_per_gather = 0",
        ],
    }
}

/// Makes sure the folder for a SQLite file exists and returns its URL.
pub fn sqlite_url_in(dir: &std::path::Path) -> std::io::Result<String> {
    std::fs::create_dir_all(dir)?;
    Ok(format!(
        "sqlite://{}",
        dir.join("marketdesk.sqlite3").display()
    ))
}
