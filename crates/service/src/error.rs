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
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
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
        ServiceError::Internal(anyhow::Error::new(e))
    }
}
