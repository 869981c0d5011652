//! marketdesk's HTTP interface: `/api/v1` routes, problem+json errors and the OpenAPI
//! document. Handlers parse, call one use case and format; they hold no business rule.

mod api_constraints;
pub mod api_document;
mod audit_edge;
pub mod auth;
pub mod auth_throttle;
pub mod csv_export;
pub mod extract;
pub mod idempotency;
pub mod problem;
pub mod routes;
pub mod views;
mod write_edges;

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use marketdesk_service::Service;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::problem::Problem;

#[derive(Clone)]
pub struct AppState {
    /// Shared, not copied: every middleware layer and extractor clones the state, and a
    /// `Service` is a score of `Arc`s.
    pub service: std::sync::Arc<Service>,
    pub auth_throttle: std::sync::Arc<auth_throttle::AuthThrottle>,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "marketdesk", description = "Seller center: listings, delisting, violations and after-sales."),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole application: `/healthz`, `/api/v1/openapi.json` and the authenticated API.
/// After a successful write, the events it committed should reach people now, not at the
/// dispatcher's next poll.
async fn nudge_dispatcher(
    axum::extract::State(s): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    // Only writes come here (see `write_edges`).
    let res = next.run(req).await;
    if res.status().is_success() {
        s.service.nudge_dispatcher();
    }
    res
}

pub fn app(service: Service) -> Router {
    app_with(service, ApiOptions::default())
}

/// How the application is served.
#[derive(Debug, Clone, Copy)]
pub struct ApiOptions {
    /// Served over HTTPS: the console's session cookie then carries `Secure`.
    pub secure_cookies: bool,
    /// Failed authentications one address may make in a burst (see `auth_throttle`).
    pub auth_failure_burst: u32,
}

impl Default for ApiOptions {
    fn default() -> Self {
        ApiOptions {
            secure_cookies: false,
            auth_failure_burst: auth_throttle::FAILURE_BURST,
        }
    }
}

pub fn app_with(service: Service, options: ApiOptions) -> Router {
    let console = marketdesk_console::router(service.clone(), options.secure_cookies);
    let state = AppState {
        service: std::sync::Arc::new(service),
        auth_throttle: std::sync::Arc::new(auth_throttle::AuthThrottle::new(
            options.auth_failure_burst,
        )),
    };
    let (api, _) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::router())
        .split_for_parts();
    let doc_json =
        serde_json::to_string_pretty(&api_document::document()).expect("document serializes");
    let api = api
        .layer(write_edges::WriteEdges(state.clone()))
        .layer(auth::RequireTokenLayer(state.clone()))
        .layer(problem::PlainRejectionsLayer)
        .with_state(state);
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = doc_json.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        doc,
                    )
                }
            }),
        )
        .merge(api)
        .merge(console)
        .fallback(|| async {
            Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                "no such route",
            )
            .into_response()
        })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
                "this route does not take that method",
            )
            .into_response()
        })
        .layer(axum::middleware::from_fn(server_timing))
        .layer(TraceLayer::new_for_http());
    catch_panics(app)
}

/// `Server-Timing: app;dur=…` on every answer: the time from routing to a finished
/// response (pages and JSON are rendered before they are sent), so an operator's browser
/// tools and `marketdesk bench` read the server's share apart from the network's.
async fn server_timing(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let started = std::time::Instant::now();
    let mut res = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = axum::http::HeaderValue::from_str(&format!("app;dur={ms:.3}")) {
        res.headers_mut().insert("server-timing", v);
    }
    res
}

/// Wraps a router so that a panic anywhere below answers a 500 problem.
pub fn catch_panics<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(tower_http::catch_panic::CatchPanicLayer::custom(
        panic_answer,
    ))
}

/// A panic left anywhere answers a logged 500 problem, never a dropped connection: the
/// client learns the request failed, the log keeps what happened (the panic hook has
/// already printed where).
fn panic_answer(err: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = what, "request handler panicked");
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Internal server error",
        "the server failed to answer this request; it has been logged",
    )
    .into_response()
}

/// utoipa's document, before [`api_document::document`] adds the answers all operations share.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, doc) = OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
        .merge(routes::router())
        .split_for_parts();
    doc
}
