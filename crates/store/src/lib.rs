//! marketdesk storage: one schema on SQLite and PostgreSQL, queries written once.
//!
//! Both backends are reached through sqlx's `Any` driver: both accept `$1` placeholders,
//! `RETURNING` and `ON CONFLICT … DO UPDATE`, so each statement — migrations included —
//! has one text. The few places where the dialects differ (a trigger, extended
//! statistics, pragmas, job claiming) branch on [`Backend`]. The price of
//! `Any` is one dynamic dispatch per statement and values limited to integers, text and
//! bytes, which is all this schema uses (instants are microseconds, money is text).
//!
//! Nothing here decides a business rule: functions store and fetch what the service
//! layer decided.

pub mod affiliate;
pub mod aftersales;
pub mod announcements;
pub mod api_tokens;
pub mod audit;
pub mod blobs;
pub mod calendars;
pub mod catalog;
pub mod claims;
pub mod compliance_inputs;
pub mod db;
pub mod deadlines;
mod decode;
pub mod deliveries;
pub mod deposit;
mod dialect;
pub mod evidence;
mod filter;
pub mod fully_managed;
pub mod idempotency;
pub mod inbox;
pub mod inspection;
pub mod monitoring;
pub mod notify_settings;
pub mod orders;
pub mod outbox;
pub mod product_read;
pub mod products;
pub mod reservations;
pub mod retention;
pub mod rules;
pub mod sandbox;
pub mod seed;
pub mod sessions;
pub mod stock;
pub mod suppliers;
pub mod team;
pub mod testing;
pub mod timeline;
pub mod tls;
pub mod violations;
pub mod webhooks;

pub use db::{Backend, Db, Tx};
/// A connection or transaction, as the query functions take it.
pub use sqlx::AnyConnection as Conn;

/// A storage failure. A unique-key clash is reported apart, because callers turn it
/// into a 409 or 422 naming the field instead of a 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("already exists: {0}")]
    Duplicate(String),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("blob storage: {0}")]
    Blob(#[from] object_store::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Maps a unique-constraint violation to [`StoreError::Duplicate`] with `what`.
pub(crate) fn duplicate_as(what: &str) -> impl FnOnce(sqlx::Error) -> StoreError + '_ {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate(what.into()),
        _ => StoreError::Sql(e),
    }
}
