//! What a use case can answer besides success. Each variant maps to one HTTP status and
//! one CLI message; the unexpected is kept apart so its details are logged, not shown.

use marketdesk_core::{FieldError, Invalid, TransitionError};
use marketdesk_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The actor's store is suspended: its sellers may read but not change (403).
    #[error("{0}")]
    Suspended(String),
    #[error("invalid input: {0}")]
    Invalid(Invalid),
    /// The request is well-formed but the current state forbids it; `errors` names the
    /// items at fault when several were asked for at once (batch delist).
    #[error("{detail}")]
    Conflict {
        detail: String,
        errors: Vec<FieldError>,
    },
    /// Too many failed tries: the caller may try again after this many seconds.
    #[error("{detail}")]
    Throttled { detail: String, retry_after: u64 },
    /// The database cannot be reached or is shutting down: try again shortly (503).
    #[error("{detail}")]
    Unavailable { detail: String, retry_after: u64 },
    /// The disk under the database is full: nothing was written (507).
    #[error("{0}")]
    StorageFull(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What a database error means for the caller when it is the database's state, not the
/// request, that failed: PostgreSQL down or restarting, the pool unable to connect, the
/// disk full. `None` for everything else (a bug or a constraint, logged as internal).
pub fn storage_fault(e: &sqlx::Error) -> Option<ServiceError> {
    let unavailable = || ServiceError::Unavailable {
        detail: "the database is unavailable; nothing was changed, try again shortly".into(),
        retry_after: 2,
    };
    let full = || {
        ServiceError::StorageFull(
            "the database's disk is full; nothing was changed, try again once space is freed"
                .into(),
        )
    };
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Some(unavailable()),
        sqlx::Error::Database(d) => {
            let code = d.code()?;
            // SQLite answers extended codes: the primary code is the low byte.
            if let Ok(n) = code.parse::<u32>() {
                return match n & 0xff {
                    13 => Some(full()),
                    // SQLITE_IOERR_*: ENOSPC while writing the journal often lands here.
                    10 => Some(full()),
                    // SQLITE_BUSY, SQLITE_LOCKED: another process holds the file.
                    5 | 6 => Some(unavailable()),
                    _ => None,
                };
            }
            match code.as_ref() {
                // PostgreSQL disk_full.
                "53100" => Some(full()),
                // admin_shutdown, crash_shutdown, cannot_connect_now, connection errors.
                "57P01" | "57P02" | "57P03" => Some(unavailable()),
                c if c.starts_with("08") => Some(unavailable()),
                _ => None,
            }
        }
        _ => None,
    }
}

impl ServiceError {
    /// An internal error caused, somewhere down its chain, by the database's state.
    pub fn as_storage_fault(&self) -> Option<ServiceError> {
        let ServiceError::Internal(e) = self else {
            return None;
        };
        e.chain().find_map(|cause| {
            cause
                .downcast_ref::<sqlx::Error>()
                .and_then(storage_fault)
                .or_else(|| match cause.downcast_ref::<StoreError>() {
                    Some(StoreError::Sql(s)) => storage_fault(s),
                    _ => None,
                })
        })
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

impl ServiceError {
    pub fn conflict(detail: impl Into<String>) -> Self {
        ServiceError::Conflict {
            detail: detail.into(),
            errors: Vec::new(),
        }
    }
}

impl From<Invalid> for ServiceError {
    fn from(i: Invalid) -> Self {
        ServiceError::Invalid(i)
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate(what) => ServiceError::conflict(format!("{what} already exists")),
            StoreError::Sql(s) if storage_fault(&s).is_some() => {
                storage_fault(&s).expect("checked")
            }
            other => ServiceError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<marketdesk_core::calendar::OutOfRange> for ServiceError {
    fn from(e: marketdesk_core::calendar::OutOfRange) -> Self {
        ServiceError::Invalid(Invalid::one("deadline", e.to_string()))
    }
}

impl From<TransitionError> for ServiceError {
    fn from(e: TransitionError) -> Self {
        match e {
            TransitionError::NotAllowed { .. } => ServiceError::Forbidden(e.to_string()),
            TransitionError::Illegal { .. } => ServiceError::conflict(e.to_string()),
        }
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        storage_fault(&e).unwrap_or_else(|| ServiceError::Internal(anyhow::Error::new(e)))
    }
}
