//! Bearer-token authentication for every `/api/v1` route but the OpenAPI document.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::task::{Context, Poll};

use axum::extract::{ConnectInfo, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::future::{BoxFuture, Either, Ready, ready};
use tower::{Layer, Service};

use marketdesk_core::store_standing::Scope;
use marketdesk_service::ServiceError;

use crate::AppState;
use crate::problem::{ApiError, Problem};
/// Wraps each API route in the token check.
#[derive(Clone)]
pub(crate) struct RequireTokenLayer(pub AppState);

impl<S> Layer<S> for RequireTokenLayer {
    type Service = RequireToken<S>;

    fn layer(&self, inner: S) -> RequireToken<S> {
        RequireToken {
            state: self.0.clone(),
            inner,
        }
    }
}

/// Every request names its caller with `Authorization: Bearer TOKEN`. Written as a
/// service rather than `from_fn`: a token this process resolved in the last minute (the
/// usual case) is checked without an `await`, and the request goes straight on to the
/// route; only a token read from the database clones the route's stack into a future.
#[derive(Clone)]
pub(crate) struct RequireToken<S> {
    state: AppState,
    inner: S,
}

type Answer = Result<Response, Infallible>;

impl<S> Service<Request> for RequireToken<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Either<S::Future, Ready<Answer>>, BoxFuture<'static, Answer>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request) -> Self::Future {
        let token = bearer(&req);
        let addr = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED));
        let answer = |res: Response| Either::Left(Either::Right(ready(Ok(res))));
        if let Some(wait) = self.state.auth_throttle.blocked_for(addr) {
            return answer(throttled(wait));
        }
        let Some(token) = token else {
            return answer(
                Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    "Not authenticated",
                    "send Authorization: Bearer TOKEN",
                )
                .into_response(),
            );
        };
        if let Some(known) = self.state.service.authenticate_remembered(&token) {
            return match refusal(&self.state, &mut req, addr, known) {
                None => Either::Left(Either::Left(self.inner.call(req))),
                Some(refused) => answer(refused),
            };
        }
        // The stack this service was made ready with goes into the future; a clone stays.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let state = self.state.clone();
        Either::Right(Box::pin(async move {
            let found = state.service.authenticate(&token).await;
            match refusal(&state, &mut req, addr, found) {
                None => inner.call(req).await,
                Some(refused) => Ok(refused),
            }
        }))
    }
}

/// The token of `Authorization: Bearer TOKEN`; the scheme is case-insensitive (RFC 9110
/// §11.1): `bearer` is `Bearer`.
fn bearer(req: &Request) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// Why the resolved caller may not go on, or None: then their actor is on the request.
fn refusal(
    state: &AppState,
    req: &mut Request,
    addr: IpAddr,
    found: Result<marketdesk_service::Actor, ServiceError>,
) -> Option<Response> {
    match found {
        Ok(actor) => {
            // Platform administration changes are the admins' alone: said before the body
            // is read, so a seller learns "not allowed", not what the body lacked.
            if req.uri().path().starts_with("/api/v1/admin/")
                && req.method() != axum::http::Method::GET
                && !actor.role.administers()
            {
                return Some(
                    ApiError::from(ServiceError::Forbidden(
                        "only an admin may change platform settings".into(),
                    ))
                    .into_response(),
                );
            }
            if crate::audit_edge::changes_state(req.method(), req.uri().path())
                && let Err(e) = actor.require_may_change(scope(req.uri().path()))
            {
                return Some(ApiError::from(e).into_response());
            }
            req.extensions_mut().insert(actor);
            None
        }
        Err(e @ ServiceError::Unauthorized(_)) => Some(match state.auth_throttle.failed(addr) {
            Some(wait) => throttled(wait),
            None => ApiError::from(e).into_response(),
        }),
        Err(e) => Some(ApiError::from(e).into_response()),
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
