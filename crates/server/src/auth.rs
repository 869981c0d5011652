//! Bearer-token authentication for every `/api/v1` route but the OpenAPI document.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use marketdesk_core::store_standing::Scope;
use marketdesk_service::ServiceError;

use crate::AppState;
use crate::problem::{ApiError, Problem};

pub async fn require_token(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        // The scheme is case-insensitive (RFC 9110 §11.1): `bearer` is `Bearer`.
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let addr = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
    if let Some(wait) = state.auth_throttle.blocked_for(addr) {
        return throttled(wait);
    }
    let Some(token) = token else {
        return Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Not authenticated",
            "send Authorization: Bearer TOKEN",
        )
        .into_response();
    };
    match state.service.authenticate(&token).await {
        Ok(actor) => {
            // Platform administration changes are the admins' alone: said before the body
            // is read, so a seller learns "not allowed", not what the body lacked.
            if req.uri().path().starts_with("/api/v1/admin/")
                && req.method() != axum::http::Method::GET
                && !actor.role.administers()
            {
                return ApiError::from(ServiceError::Forbidden(
                    "only an admin may change platform settings".into(),
                ))
                .into_response();
            }
            if crate::audit_edge::changes_state(req.method(), req.uri().path())
                && let Err(e) = actor.require_may_change(scope(req.uri().path()))
            {
                return ApiError::from(e).into_response();
            }
            req.extensions_mut().insert(actor);
            next.run(req).await
        }
        Err(e @ ServiceError::Unauthorized(_)) => match state.auth_throttle.failed(addr) {
            Some(wait) => throttled(wait),
            None => ApiError::from(e).into_response(),
        },
        Err(e) => ApiError::from(e).into_response(),
    }
}

fn throttled(wait: u64) -> Response {
    ApiError::from(ServiceError::Throttled {
        detail: format!("too many failed authentications from this address; try again in {wait} s"),
        retry_after: wait,
    })
    .into_response()
}

/// What a state-changing request touches: the caller's own account (`/me`: password and
/// notification settings; marking their inbox read; their API tokens), or the store's data
/// (everything else).
fn scope(path: &str) -> Scope {
    let personal = path.starts_with("/api/v1/me/")
        || (path.starts_with("/api/v1/inbox/") && path.ends_with("/read"))
        || path.starts_with("/api/v1/tokens/")
        || (path.starts_with("/api/v1/users/") && path.ends_with("/tokens"));
    if personal {
        Scope::Personal
    } else {
        Scope::Store
    }
}
