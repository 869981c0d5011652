//! `Idempotency-Key` for every state-changing POST: the first answer is saved with a
//! hash of the request; a retry with the same key and request gets that answer back and
//! changes nothing; the same key with a different request is refused. The write marks
//! the key applied in its own transaction, so a crash before the answer is saved leaves
//! a key that refuses to run again rather than one that applies the write twice.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use marketdesk_service::Actor;
use marketdesk_service::idempotency::{Claim, IdempotencyKey};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::problem::{ApiError, PROBLEM_JSON, Problem};

pub const HEADER: &str = "idempotency-key";
/// Bodies larger than this are refused anyway by the routes' limits.
const MAX_BODY: usize = 12 * 1024 * 1024;

pub async fn idempotent(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER).cloned() else {
        return next.run(req).await;
    };
    let key = match key.to_str() {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => {
            k.to_string()
        }
        _ => {
            return Problem::new(
                StatusCode::BAD_REQUEST,
                "idempotency-key",
                "Bad Idempotency-Key",
                "use 1 to 255 visible ASCII characters",
            )
            .into_response();
        }
    };
    let Some(actor) = req.extensions().get::<Actor>().cloned() else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Body too large",
                "the request body is too large",
            )
            .into_response();
        }
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str());
    hasher.update(b" ");
    hasher.update(parts.uri.path());
    hasher.update(b"\n");
    hasher.update(&bytes);
    let hash = hex::encode(hasher.finalize());
    match state.service.idempotency_claim(&actor, &key, &hash).await {
        Err(e) => return ApiError::from(e).into_response(),
        Ok(Claim::Replay { status, body }) => return replay(status, body),
        Ok(Claim::Mismatch) => {
            return Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
                "Idempotency-Key reused",
                "this key was already used for a different request",
            )
            .into_response();
        }
        Ok(Claim::InProgress) => {
            return Problem::new(
                StatusCode::CONFLICT,
                "idempotency-in-progress",
                "Request in progress",
                "a request with this key is still running; retry later",
            )
            .into_response();
        }
        Ok(Claim::AnswerLost) => {
            return Problem::new(
                StatusCode::CONFLICT,
                "idempotency-answer-lost",
                "Request already applied",
                "the first request with this key made its change, but its answer was lost; read the resource instead of retrying",
            )
            .into_response();
        }
        Ok(Claim::New) => {}
    }
    // The use case marks the claim applied inside its own transaction (see
    // `marketdesk_service::idempotency`).
    let scope = IdempotencyKey {
        user_id: actor.user_id.clone(),
        key: key.clone(),
    };
    let res = scope
        .scope(next.run(Request::from_parts(parts, Body::from(bytes))))
        .await;
    let (res_parts, res_body) = res.into_parts();
    let res_bytes = to_bytes(res_body, MAX_BODY).await.unwrap_or_default();
    let saved = if res_parts.status.is_server_error() {
        state.service.idempotency_release(&actor, &key).await
    } else {
        let text = String::from_utf8_lossy(&res_bytes);
        state
            .service
            .idempotency_complete(&actor, &key, res_parts.status.as_u16(), &text)
            .await
    };
    if let Err(e) = saved {
        tracing::error!(error = ?e, "could not save the idempotent answer");
    }
    Response::from_parts(res_parts, Body::from(res_bytes))
}

fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        PROBLEM_JSON
    };
    let mut res = (status, body).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    res
}
