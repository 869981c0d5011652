//! marketdesk's web console: the pages sellers and platform staff work in.
//! Server-rendered HTML (askama) readable without JavaScript; htmx and one small script
//! add partial updates, the live unread badge and the red-alert pop-up. Every page calls
//! the same service use cases as the API; nothing here decides a business rule.

mod admin_audit;
mod admin_calendars;
mod admin_clock;
mod admin_notifications;
mod admin_programs;
mod admin_rules;
mod admin_store;
mod admin_stores;
mod admin_users;
mod aftersales;
mod aftersales_case;
mod aftersales_settings;
mod assets;
mod audit_edge;
mod charts;
mod classify;
mod cs;
mod cs_order;
mod delist;
mod events;
mod evidence_form;
mod files;
mod format;
mod inbox;
mod join;
mod locale;
mod login;
mod page;
mod product;
mod products;
mod programs_affiliate;
mod programs_store;
mod reports;
mod reshipments;
mod review;
mod review_case;
mod session;
mod staff;
mod stock;
mod takedown;
mod team;
mod tickets;
mod violation;
mod web;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use marketdesk_service::Service;

#[derive(Clone)]
pub struct ConsoleState {
    pub service: Service,
    /// Served over HTTPS (behind a proxy): session cookies get `Secure`.
    pub secure_cookies: bool,
}

/// The console's routes, at the root of the site beside `/api/v1`.
pub fn router(service: Service, secure_cookies: bool) -> Router {
    let state = ConsoleState {
        service,
        secure_cookies,
    };
    Router::new()
        .route("/", get(login::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/products", get(products::list))
        .route("/products/delist", post(delist::reason_step))
        .route("/products/delist/check", post(delist::check_step))
        .route("/products/delist/confirm", post(delist::confirm))
        .route("/products/{id}", get(product::detail))
        .route("/products/{id}/move", post(product::move_product))
        .route("/products/{id}/violation", get(product::latest_violation))
        .route("/products/{id}/edit", post(product::edit))
        .route("/violations/{id}", get(violation::report))
        .route("/violations/{id}/rectify", post(violation::rectify))
        .route("/violations/{id}/relist", post(violation::request_relist))
        .route("/violations/{id}/appeal", post(violation::appeal))
        .route("/stock", get(stock::list))
        .route("/stock/{sku_id}/presale", post(stock::presale))
        .route("/team", get(team::show))
        .route("/team/invitations", post(team::invite))
        .route("/team/invitations/{id}/revoke", post(team::revoke))
        .route("/team/members/{id}/disable", post(team::disable))
        .route("/join/{token}", get(join::form).post(join::submit))
        .route(
            "/programs",
            get(|| async { web::see_other("/programs/affiliate") }),
        )
        .route("/programs/affiliate", get(programs_affiliate::show))
        .route(
            "/programs/affiliate/enrolments",
            post(programs_affiliate::enrol),
        )
        .route(
            "/programs/affiliate/campaigns",
            post(programs_affiliate::campaign),
        )
        .route("/programs/affiliate/exits", post(programs_affiliate::exit))
        .route(
            "/programs/affiliate/exits/{id}",
            get(programs_affiliate::exit_detail),
        )
        .route(
            "/programs/affiliate/exits/{id}/cancel",
            post(programs_affiliate::cancel),
        )
        .route(
            "/programs/fully-managed",
            get(programs_store::fully_managed),
        )
        .route(
            "/programs/fully-managed/applications",
            post(programs_store::apply),
        )
        .route(
            "/programs/fully-managed/applications/{id}/messages",
            post(programs_store::message),
        )
        .route("/programs/deposit", get(programs_store::deposit))
        .route(
            "/programs/deposit/refund-requests",
            post(programs_store::refund),
        )
        .route("/admin/programs", get(admin_programs::list))
        .route(
            "/admin/programs/applications/{id}",
            get(admin_programs::show),
        )
        .route(
            "/admin/programs/applications/{id}/reply",
            post(admin_programs::reply),
        )
        .route(
            "/admin/programs/applications/{id}/decide",
            post(admin_programs::decide),
        )
        .route(
            "/admin/programs/applications/{id}/deposit",
            post(admin_programs::deposit_paid),
        )
        .route(
            "/admin/programs/refunds/{id}",
            post(admin_programs::refund_step),
        )
        .route("/inbox", get(inbox::list))
        .route("/reports/weekly", get(reports::weekly))
        .route("/classify", post(classify::suggest))
        .route("/reports/weekly.csv", get(reports::weekly_csv))
        .route("/inbox/{id}/read", post(inbox::mark_read))
        .route("/aftersales", get(aftersales::queue))
        .route("/aftersales/cases/{id}", get(aftersales_case::show))
        .route(
            "/aftersales/cases/{id}/decide",
            post(aftersales_case::decide),
        )
        .route("/aftersales/tickets", get(tickets::list))
        .route("/aftersales/tickets/{id}", get(tickets::show))
        .route("/aftersales/tickets/{id}/reply", post(tickets::reply))
        .route("/aftersales/reshipments", get(reshipments::list))
        .route(
            "/aftersales/reshipments/{id}/decide",
            post(reshipments::decide),
        )
        .route("/aftersales/settings", get(aftersales_settings::show))
        .route(
            "/aftersales/settings/labels",
            post(aftersales_settings::labels),
        )
        .route(
            "/aftersales/settings/warehouses",
            post(aftersales_settings::add_warehouse),
        )
        .route(
            "/aftersales/settings/warehouses/{id}/default",
            post(aftersales_settings::make_default),
        )
        .route(
            "/aftersales/settings/warehouses/{id}/delete",
            post(aftersales_settings::delete_warehouse),
        )
        .route(
            "/aftersales/settings/policies",
            post(aftersales_settings::add_policy),
        )
        .route(
            "/aftersales/settings/policies/{id}/delete",
            post(aftersales_settings::delete_policy),
        )
        .route("/review", get(review::home))
        .route("/review/violations", get(review::center))
        .route("/review/relist", get(review::relist))
        .route("/review/appeals", get(review::appeals))
        .route("/review/violations/{id}", get(review_case::show))
        .route("/review/violations/{id}/claim", post(review_case::claim))
        .route(
            "/review/violations/{id}/release",
            post(review_case::release),
        )
        .route("/review/violations/{id}/decide", post(review_case::decide))
        .route("/review/products", get(takedown::search))
        .route("/review/products/{id}", get(takedown::form))
        .route("/review/products/{id}/takedown", post(takedown::take_down))
        .route("/cs/tickets", get(cs::list).post(cs::open))
        .route("/cs/tickets/{id}", get(cs::show))
        .route("/cs/orders", get(cs_order::find))
        .route("/cs/orders/{id}", get(cs_order::show))
        .route("/cs/orders/{id}/cases", post(cs_order::open_case))
        .route(
            "/cs/orders/{id}/reshipments",
            post(cs_order::request_reshipment),
        )
        .route("/cs/tickets/{id}/reply", post(cs::reply))
        .route(
            "/admin/stores",
            get(admin_stores::list).post(admin_stores::create),
        )
        .route(
            "/admin/clock",
            get(admin_clock::show).post(admin_clock::move_clock),
        )
        .route("/admin/stores/{id}", get(admin_store::show))
        .route("/admin/stores/{id}/suspend", post(admin_store::suspend))
        .route("/admin/stores/{id}/reinstate", post(admin_store::reinstate))
        .route(
            "/admin/stores/{id}/negotiated-refunds",
            post(admin_stores::negotiated),
        )
        .route(
            "/admin/stores/{id}/label-upload",
            post(admin_stores::label_upload),
        )
        .route(
            "/admin/users",
            get(admin_users::list).post(admin_users::create),
        )
        .route("/admin/users/{id}/disable", post(admin_users::disable))
        .route(
            "/admin/users/{id}/password",
            post(admin_users::set_password),
        )
        .route("/admin/users/{id}/token", post(admin_users::replace_token))
        .route("/admin/calendars", get(admin_calendars::show))
        .route(
            "/admin/calendars/{site}/days",
            post(admin_calendars::set_day),
        )
        .route(
            "/admin/calendars/{site}/days/{date}/remove",
            post(admin_calendars::remove_day),
        )
        .route(
            "/admin/rules",
            get(admin_rules::list).post(admin_rules::create),
        )
        .route("/admin/rules/{code}/edit", post(admin_rules::edit))
        .route("/admin/rules/{code}/retire", post(admin_rules::retire))
        .route("/admin/notification-rules", get(admin_notifications::list))
        .route(
            "/admin/notification-rules/{event_type}",
            post(admin_notifications::save),
        )
        .route("/admin/audit", get(admin_audit::show))
        .route("/events", get(events::stream))
        .route("/files/{id}", get(files::show))
        .route("/assets/{name}", get(assets::serve))
        .layer(from_fn_with_state(state.clone(), audit_edge::audit_console))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024))
        .layer(from_fn(locale::remember))
        .layer(from_fn(security_headers))
        .with_state(state)
}

/// No inline script or style anywhere, so the policy can forbid both: an injected
/// `<script>` never runs. Pages are never cached (they show a person's data) and never
/// framed (no click-jacking of the delist button).
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
