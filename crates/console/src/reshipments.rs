//! 补寄: the store's reshipment requests from customer service, newest first, with their
//! decide-by times (7 calendar days) in the site's zone, and the decision on one still
//! open: approve with the site's carrier and a tracking number, or refuse.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::aftersales::{ReshipmentState, carriers};
use marketdesk_service::ServiceError;
use marketdesk_service::aftersales::reshipments::ReshipmentQuery;

use crate::ConsoleState;
use crate::format::local;
use crate::page::{Chrome, fixable, refusal, render};
use crate::products::store_zone;
use crate::session::{Signed, signed_form};
use crate::web::see_other;

pub struct ReshipmentLine {
    pub id: String,
    pub order_id: String,
    pub state: &'static str,
    pub open: bool,
    pub reason: String,
    pub due: String,
    pub shipped: String,
}

#[derive(Template)]
#[template(path = "reshipments.html")]
struct ListPage {
    chrome: Chrome,
    lines: Vec<ReshipmentLine>,
    carriers: Vec<&'static str>,
    errors: Vec<String>,
}

async fn page(st: &ConsoleState, s: &Signed, status: StatusCode, errors: Vec<String>) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let (store_id, tz) = store_zone(s)?;
        let (rows, _) = st
            .service
            .reshipments(
                s.actor(),
                ReshipmentQuery {
                    store_id: Some(store_id),
                    ..ReshipmentQuery::default()
                },
            )
            .await?;
        Ok::<_, ServiceError>((rows, tz))
    };
    let (rows, tz) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let site = s.session.site_code.clone().unwrap_or_default();
    let view = ListPage {
        lines: rows
            .into_iter()
            .map(|r| ReshipmentLine {
                state: chrome.t(&format!("reshipment_state.{}", r.state.as_str())),
                open: r.state == ReshipmentState::Requested,
                due: local(r.due_at, &tz),
                shipped: match (r.carrier, r.tracking_number) {
                    (Some(c), Some(t)) => format!("{c} {t}"),
                    _ => String::new(),
                },
                id: r.id,
                order_id: r.order_id,
                reason: r.reason,
            })
            .collect(),
        carriers: carriers(&site).to_vec(),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn list(State(st): State<ConsoleState>, s: Signed) -> Response {
    page(&st, &s, StatusCode::OK, vec![]).await
}

pub async fn decide(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let approve = match f.get("decision") {
        Some("approve") => true,
        Some("reject") => false,
        _ => {
            let m = "decision: approve or refuse".to_string();
            return page(&st, &s, StatusCode::UNPROCESSABLE_ENTITY, vec![m]).await;
        }
    };
    let carrier = f.text("carrier");
    let tracking = f.text("tracking_number");
    let r = st
        .service
        .decide_reshipment(
            s.actor(),
            &id,
            approve,
            carrier.as_deref(),
            tracking.as_deref(),
        )
        .await;
    match r.map_err(fixable) {
        Ok(_) => see_other("/aftersales/reshipments"),
        Err(Ok((status, lines))) => page(&st, &s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
