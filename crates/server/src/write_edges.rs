//! The middleware that only writes need (idempotency keys, the audit row, the dispatcher's
//! nudge), skipped by reads. Each `from_fn` layer clones the rest of the service stack
//! and boxes a future on every request; a `GET` that none of them would touch went
//! through all three anyway, on the hottest route of all (`GET /products/{id}`).

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use axum::response::Response;
use axum::routing::Route;
use futures::future::Either;
use tower::util::BoxCloneSyncService;
use tower::{Layer, Service, ServiceBuilder, ServiceExt};

use crate::{AppState, audit_edge, idempotency, nudge_dispatcher};

/// Wraps each route: reads go straight to it, writes through the write middleware.
#[derive(Clone)]
pub(crate) struct WriteEdges(pub AppState);

impl Layer<Route> for WriteEdges {
    type Service = ReadsOrWrites;

    fn layer(&self, route: Route) -> ReadsOrWrites {
        let writes = ServiceBuilder::new()
            .layer(from_fn_with_state(self.0.clone(), idempotency::idempotent))
            .layer(from_fn_with_state(self.0.clone(), nudge_dispatcher))
            .layer(from_fn_with_state(self.0.clone(), audit_edge::audit_api))
            .service(route.clone())
            .map_err(|e: Infallible| e);
        ReadsOrWrites {
            reads: route,
            writes: BoxCloneSyncService::new(writes),
        }
    }
}

#[derive(Clone)]
pub(crate) struct ReadsOrWrites {
    reads: Route,
    writes: BoxCloneSyncService<Request, Response, Infallible>,
}

impl Service<Request> for ReadsOrWrites {
    type Response = Response;
    type Error = Infallible;
    type Future = Either<
        <Route as Service<Request>>::Future,
        <BoxCloneSyncService<Request, Response, Infallible> as Service<Request>>::Future,
    >;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Both are always ready (a route, and `from_fn` layers over one); asked anyway.
        match (
            Service::<Request>::poll_ready(&mut self.reads, cx),
            self.writes.poll_ready(cx),
        ) {
            (Poll::Ready(Ok(())), Poll::Ready(Ok(()))) => Poll::Ready(Ok(())),
            _ => Poll::Pending,
        }
    }

    fn call(&mut self, req: Request) -> Self::Future {
        if req.method() == Method::GET || req.method() == Method::HEAD {
            Either::Left(self.reads.call(req))
        } else {
            Either::Right(self.writes.call(req))
        }
    }
}
