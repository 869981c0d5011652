//! An order as customer service sees it for a buyer (客服代客): its lines, the
//! after-sales cases and reshipment requests already on it, and the forms to open a case
//! (return and refund, refund only, cancellation, missing parts, not received) or to ask
//! the seller to reship (补寄). The same use cases as `POST /api/v1/aftersales` and
//! `POST /api/v1/reshipments`; the answers (refused order states, refund room, reasons)
//! are the service's.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use marketdesk_core::aftersales::{CaseType, RETURN_REASONS};
use marketdesk_service::ServiceError;
use marketdesk_service::aftersales::cases::{CaseQuery, NewCase};
use marketdesk_service::aftersales::reshipments::ReshipmentQuery;

use crate::ConsoleState;
use crate::format::local;
use crate::page::{Chrome, fixable, refusal, render};
use crate::products::Choice;
use crate::review::Context;
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::web::{Fields, see_other};

/// The case types customer service opens for a buyer (a negotiated refund is the seller's).
const OPENED_FOR_BUYERS: [CaseType; 5] = [
    CaseType::ReturnRefund,
    CaseType::RefundOnly,
    CaseType::Cancellation,
    CaseType::MissingParts,
    CaseType::NotReceived,
];

pub struct LineView {
    pub id: String,
    pub words: String,
}

pub struct CaseLine {
    pub kind: &'static str,
    pub state: &'static str,
    pub requested: String,
    pub due: String,
    pub opened: String,
}

pub struct ReshipmentLine {
    pub state: &'static str,
    pub reason: String,
    pub due: String,
    pub tracking: String,
}

#[derive(Template)]
#[template(path = "cs_order.html")]
struct OrderPage {
    chrome: Chrome,
    id: String,
    store: String,
    state: &'static str,
    total: String,
    placed: String,
    lines: Vec<LineView>,
    cases: Vec<CaseLine>,
    reshipments: Vec<ReshipmentLine>,
    types: Vec<Choice>,
    reasons: Vec<Choice>,
    errors: Vec<String>,
}

async fn page(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    if let Some(r) = refused(s, Desk::Service) {
        return r;
    }
    let chrome = s.chrome.clone();
    let a = s.actor();
    let loaded = async {
        let cx = Context::load(st, s).await?;
        let order = st.service.order(a, id).await?;
        let mut titles = Vec::new();
        for l in &order.lines {
            titles.push(st.service.product(a, &l.product_id).await?.title);
        }
        let by_order = CaseQuery {
            order_id: Some(id.to_owned()),
            ..CaseQuery::default()
        };
        let (cases, _) = st.service.cases(a, by_order).await?;
        let (reships, _) = st
            .service
            .reshipments(
                a,
                ReshipmentQuery {
                    order_id: Some(id.to_owned()),
                    ..ReshipmentQuery::default()
                },
            )
            .await?;
        Ok::<_, ServiceError>((cx, order, titles, cases, reships))
    };
    let (cx, order, titles, cases, reships) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let o = &order.order;
    let (site, tz) = cx.store_zone(&o.store_id);
    let choices = |all: Vec<&'static str>, prefix: &str| -> Vec<Choice> {
        all.into_iter()
            .map(|v| Choice {
                value: v,
                word: chrome.t(&format!("{prefix}.{v}")),
                selected: false,
            })
            .collect()
    };
    let view = OrderPage {
        id: o.id.clone(),
        store: format!("{} · {site}", cx.store_name(&o.store_id)),
        state: chrome.t(&format!("order_state.{}", o.state.as_str())),
        total: format!("{} {}", o.total, o.currency),
        placed: local(o.created_at, &tz),
        lines: order
            .lines
            .iter()
            .zip(titles)
            .map(|(l, title)| LineView {
                id: l.id.clone(),
                words: format!(
                    "{}. {title} × {} — {} {}",
                    l.position + 1,
                    l.quantity,
                    l.amount,
                    o.currency
                ),
            })
            .collect(),
        cases: cases
            .iter()
            .map(|c| CaseLine {
                kind: chrome.t(&format!("case_type.{}", c.case_type.as_str())),
                state: chrome.t(&format!("case_state.{}", c.state.as_str())),
                requested: format!("{} {}", c.requested_amount, c.currency),
                due: c.due_at.map(|t| local(t, &tz)).unwrap_or_default(),
                opened: local(c.created_at, &tz),
            })
            .collect(),
        reshipments: reships
            .iter()
            .map(|r| ReshipmentLine {
                state: chrome.t(&format!("reshipment_state.{}", r.state.as_str())),
                reason: r.reason.clone(),
                due: local(r.due_at, &tz),
                tracking: r.tracking_number.clone().unwrap_or_default(),
            })
            .collect(),
        types: choices(
            OPENED_FOR_BUYERS.iter().map(|t| t.as_str()).collect(),
            "case_type",
        ),
        reasons: choices(RETURN_REASONS.to_vec(), "return_reason"),
        errors,
        chrome: chrome.clone(),
    };
    render(status, &view)
}

/// `/cs/orders?order_id=…`: the order-lookup form's answer.
pub async fn find(s: Signed, uri: Uri) -> Response {
    if let Some(r) = refused(&s, Desk::Service) {
        return r;
    }
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    match f.text("order_id") {
        Some(id) => see_other(&format!(
            "/cs/orders/{}",
            form_urlencoded::byte_serialize(id.as_bytes()).collect::<String>()
        )),
        None => see_other("/cs/tickets"),
    }
}

pub async fn show(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    page(&st, &s, &id, StatusCode::OK, vec![]).await
}

/// A whole number typed in an optional field; text that is not one is named, not ignored.
fn optional_count(f: &Fields, field: &str, errors: &mut Vec<String>) -> Option<i64> {
    let raw = f.text(field)?;
    match raw.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(format!("{field}: a whole number of items"));
            None
        }
    }
}

pub async fn open_case(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match desk_form(&s, Desk::Service, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let mut errors = Vec::new();
    let quantity = optional_count(&f, "quantity", &mut errors);
    if !errors.is_empty() {
        return page(&st, &s, &id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    }
    // A return reason chosen from the list, else the buyer's words (the other kinds); the
    // service names what is missing or not allowed.
    let reason = f
        .text("reason")
        .or_else(|| f.text("reason_text"))
        .unwrap_or_default();
    let new = NewCase {
        order_id: id.clone(),
        case_type: f.text("type").unwrap_or_default(),
        order_line_id: f.text("order_line_id"),
        order_line_ids: vec![],
        reason,
        quantity,
        amount: f.text("amount"),
        oversize: f.get("oversize") == Some("true"),
        evidence_ids: vec![],
        note: f.get("note").unwrap_or_default().to_owned(),
    };
    let r = st.service.open_case(s.actor(), new).await;
    outcome(&st, &s, &id, r.map(|_| ())).await
}

pub async fn request_reshipment(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match desk_form(&s, Desk::Service, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let reason = f.get("reason").unwrap_or_default().to_owned();
    let r = st.service.request_reshipment(s.actor(), &id, &reason).await;
    outcome(&st, &s, &id, r.map(|_| ())).await
}

async fn outcome(st: &ConsoleState, s: &Signed, id: &str, r: Result<(), ServiceError>) -> Response {
    match r.map_err(fixable) {
        Ok(()) => see_other(&format!("/cs/orders/{id}")),
        Err(Ok((status, lines))) => page(st, s, id, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
