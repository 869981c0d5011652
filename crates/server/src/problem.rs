//! RFC 9457 problem details: the one error shape of the API. Internal errors are logged
//! with their cause chain and answered with a bare 500, never with their details.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use futures::future::{BoxFuture, Either, Ready, Then, ready};
use marketdesk_core::FieldError;
use marketdesk_service::ServiceError;
use serde::Serialize;
use tower::{Layer, Service};
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// Sent as the `Retry-After` header (429, 503), not in the body.
    #[serde(skip)]
    #[schema(ignore)]
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, slug: &str, title: &str, detail: impl Into<String>) -> Self {
        Problem {
            kind: format!("/problems/{slug}"),
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors
            .into_iter()
            .map(|e| FieldProblem {
                field: e.field,
                message: e.message,
            })
            .collect();
        self
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Invalid input",
            detail,
        )
        .with_errors(errors)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).expect("problem serializes");
        let mut res = (status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// The error type of every handler.
#[derive(Debug)]
pub struct ApiError(pub Problem);

impl From<Problem> for ApiError {
    fn from(p: Problem) -> Self {
        ApiError(p)
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        ApiError(match e {
            ServiceError::Unauthorized(m) => Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Not authenticated",
                m,
            ),
            ServiceError::Forbidden(m) => {
                Problem::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", m)
            }
            ServiceError::NotFound(m) => {
                Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", m)
            }
            ServiceError::Suspended(m) => Problem::new(
                StatusCode::FORBIDDEN,
                "store-suspended",
                "Store suspended",
                m,
            ),
            ServiceError::Invalid(i) => Problem::validation(i.0),
            ServiceError::Conflict { detail, errors } => Problem::new(
                StatusCode::CONFLICT,
                "conflict",
                "Not possible in the current state",
                detail,
            )
            .with_errors(errors),
            ServiceError::Throttled {
                detail,
                retry_after,
            } => Problem {
                retry_after: Some(retry_after),
                ..Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "throttled",
                    "Too many tries",
                    detail,
                )
            },
            ServiceError::Unavailable {
                detail,
                retry_after,
            } => Problem {
                retry_after: Some(retry_after),
                ..Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Service unavailable",
                    detail,
                )
            },
            ServiceError::StorageFull(detail) => Problem::new(
                StatusCode::INSUFFICIENT_STORAGE,
                "storage-full",
                "Insufficient storage",
                detail,
            ),
            e @ ServiceError::Internal(_) if e.as_storage_fault().is_some() => {
                return ApiError::from(e.as_storage_fault().expect("checked"));
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                    "something went wrong on our side; it was logged",
                )
            }
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    /// A query string that does not parse names itself as the field at fault.
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        ApiError(Problem::validation(vec![marketdesk_core::FieldError {
            field: "query".into(),
            message: e.body_text(),
        }]))
    }
}

/// Wraps each API route so that axum's own refusals (a path segment that is not UTF-8, a
/// body over the size limit, a missing or wrong header), which answer `text/plain`, are
/// rewritten as problem+json with their status and text kept: the API's one error shape.
/// A service rather than `from_fn`, which would clone the route's stack for every request
/// to look at a handful of answers.
#[derive(Clone)]
pub(crate) struct PlainRejectionsLayer;

impl<S> Layer<S> for PlainRejectionsLayer {
    type Service = PlainRejections<S>;

    fn layer(&self, inner: S) -> PlainRejections<S> {
        PlainRejections(inner)
    }
}

#[derive(Clone)]
pub(crate) struct PlainRejections<S>(S);

type Answer = Result<Response, Infallible>;
type Rewritten = Either<Ready<Answer>, BoxFuture<'static, Answer>>;

impl<S> Service<axum::extract::Request> for PlainRejections<S>
where
    S: Service<axum::extract::Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Then<S::Future, Rewritten, fn(Answer) -> Rewritten>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: axum::extract::Request) -> Self::Future {
        self.0.call(req).then(as_problem)
    }
}

fn as_problem(answer: Answer) -> Rewritten {
    let Ok(res) = answer;
    let status = res.status();
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if !(plain && (status.is_client_error() || status.is_server_error())) {
        return Either::Left(ready(Ok(res)));
    }
    Either::Right(Box::pin(async move {
        let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024)
            .await
            .unwrap_or_default();
        let detail = String::from_utf8_lossy(&bytes).trim().to_string();
        let title = status.canonical_reason().unwrap_or("Error");
        let slug = title.to_ascii_lowercase().replace(' ', "-");
        Ok(Problem::new(status, &slug, title, detail).into_response())
    }))
}
