//! Delisting with a second confirmation (二级确认): choose products → give a reason, a
//! text and evidence → see what will happen (units frozen, orders still to ship, any
//! product that cannot be delisted) → confirm. Nothing changes before the last step, and
//! the batch moves all-or-nothing.

use askama::Template;
use axum::extract::{Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::{Action, FieldError, ReasonCode};
use marketdesk_service::ServiceError;
use marketdesk_service::listing::{Why, check_why};
use marketdesk_service::product_overview::DelistLine;

use crate::ConsoleState;
use crate::evidence_form::{Unsigned, signed_multipart, upload_all};
use crate::page::{Chrome, forged, refusal, render};
use crate::products::{Choice, Filter, store_zone};
use crate::session::{Signed, signed_form};
use crate::web::{Fields, see_other};

/// A batch holds at most this many products (the service's limit too).
const MAX_BATCH: usize = 1000;

#[derive(Template)]
#[template(path = "delist_reason.html")]
struct ReasonStep {
    chrome: Chrome,
    ids: Vec<String>,
    reasons: Vec<Choice>,
    reason_text: String,
    errors: Vec<FieldError>,
}

#[derive(Template)]
#[template(path = "delist_check.html")]
struct CheckStep {
    chrome: Chrome,
    lines: Vec<DelistLine>,
    refused: usize,
    units_frozen: i64,
    orders_to_ship: i64,
    reason_code: String,
    reason_word: &'static str,
    reason_text: String,
    evidence_ids: Vec<String>,
    problem: Option<String>,
    /// The classifier's code for the text, when it differs from the one chosen.
    suggestion: Option<String>,
}

fn reasons(chrome: &Chrome, selected: &str) -> Vec<Choice> {
    ReasonCode::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str(),
            word: chrome.word(&format!("reason.{}", r.as_str())),
            selected: r.as_str() == selected,
        })
        .collect()
}

fn reason_form(
    chrome: Chrome,
    status: StatusCode,
    ids: Vec<String>,
    code: &str,
    text: String,
    errors: Vec<FieldError>,
) -> Response {
    let reasons = reasons(&chrome, code);
    render(
        status,
        &ReasonStep {
            chrome,
            ids,
            reasons,
            reason_text: text,
            errors,
        },
    )
}

fn problem(chrome: Chrome, status: StatusCode, message: String) -> Response {
    render(
        status,
        &crate::page::ErrorPage {
            heading: chrome.t("delist.cannot"),
            chrome,
            status: status.as_u16(),
            messages: vec![message],
        },
    )
}

/// Step one: the products chosen on the list (or every product matching its filter, at
/// most 1,000) and the reason form.
async fn chosen_products(st: &ConsoleState, s: &Signed, f: &Fields) -> Response {
    let chrome = s.chrome.clone();
    let mut ids = f.all("product_ids");
    if f.get("all_matching") == Some("1") {
        let filter = Filter::from_fields(&Fields(
            f.0.iter()
                .filter_map(|(k, v)| k.strip_prefix("filter_").map(|k| (k.to_owned(), v.clone())))
                .collect(),
        ));
        let (store_id, tz) = match store_zone(s) {
            Ok(v) => v,
            Err(e) => return refusal(chrome, e),
        };
        ids.clear();
        let mut cursor = None;
        loop {
            let q = filter.query(&tz, cursor, 200);
            let page = match st.service.products(s.actor(), &store_id, &q).await {
                Ok(p) => p,
                Err(e) => return refusal(chrome, e),
            };
            ids.extend(page.items.into_iter().map(|p| p.id));
            if ids.len() > MAX_BATCH {
                let m = chrome.fill("delist.too_many", &[("max", &MAX_BATCH.to_string())]);
                return problem(chrome, StatusCode::UNPROCESSABLE_ENTITY, m);
            }
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
    }
    if ids.is_empty() {
        let m = chrome.t("delist.none_selected").to_owned();
        return problem(chrome, StatusCode::UNPROCESSABLE_ENTITY, m);
    }
    if ids.len() > MAX_BATCH {
        let m = chrome.fill("delist.too_many", &[("max", &MAX_BATCH.to_string())]);
        return problem(chrome, StatusCode::UNPROCESSABLE_ENTITY, m);
    }
    reason_form(chrome, StatusCode::OK, ids, "", String::new(), vec![])
}

pub async fn reason_step(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    match signed_form(&s, req).await {
        Ok(f) => chosen_products(&st, &s, &f).await,
        Err(r) => r,
    }
}

async fn check_page(
    st: &ConsoleState,
    s: &Signed,
    ids: &[String],
    why: &Why,
    problem: Option<String>,
) -> Response {
    let chrome = s.chrome.clone();
    let store_id = s.actor().store_id.clone().unwrap_or_default();
    let lines = match st.service.delist_check(s.actor(), &store_id, ids).await {
        Ok(l) => l,
        Err(e) => return refusal(chrome, e),
    };
    let code = why.reason_code.clone().unwrap_or_default();
    let status = if problem.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    render(
        status,
        &CheckStep {
            refused: lines.iter().filter(|l| l.refusal.is_some()).count(),
            units_frozen: lines.iter().map(|l| l.units_frozen).sum(),
            orders_to_ship: lines.iter().map(|l| l.orders_to_ship).sum(),
            reason_word: chrome.word(&format!("reason.{code}")),
            suggestion: why
                .reason_text
                .as_deref()
                .and_then(|t| crate::classify::suggestion(&chrome, t, Some(&code))),
            chrome,
            lines,
            reason_code: code,
            reason_text: why.reason_text.clone().unwrap_or_default(),
            evidence_ids: why.evidence_ids.clone(),
            problem,
        },
    )
}

/// Step two: the reason is checked and the evidence stored; the page shows what the
/// delist will do. Nothing about the products has changed yet.
pub async fn check_step(State(st): State<ConsoleState>, s: Signed, m: Multipart) -> Response {
    let (f, files) = match signed_multipart(&s, m).await {
        Ok(v) => v,
        Err(Unsigned::Unreadable(e)) => {
            return problem(s.chrome.clone(), StatusCode::BAD_REQUEST, e);
        }
        Err(Unsigned::Forged) => return forged(s.chrome.clone()),
    };
    let ids = f.all("product_ids");
    let mut why = Why {
        reason_code: f.text("reason_code"),
        reason_text: f.text("reason_text"),
        evidence_ids: vec![],
    };
    let refuse = |errors: Vec<FieldError>| {
        reason_form(
            s.chrome.clone(),
            StatusCode::UNPROCESSABLE_ENTITY,
            ids.clone(),
            why.reason_code.as_deref().unwrap_or_default(),
            why.reason_text.clone().unwrap_or_default(),
            errors,
        )
    };
    if let Err(i) = check_why(Action::Delist, &why) {
        return refuse(i.0);
    }
    match upload_all(&st, &s, files).await {
        Ok(ev) => why.evidence_ids = ev,
        Err(ServiceError::Invalid(i)) => return refuse(i.0),
        Err(e) => return refusal(s.chrome.clone(), e),
    }
    check_page(&st, &s, &ids, &why, None).await
}

/// Step three: the delist itself, all-or-nothing. A refusal shows the check again with
/// each product's reason.
pub async fn confirm(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let ids = f.all("product_ids");
    let why = Why {
        reason_code: f.text("reason_code"),
        reason_text: f.text("reason_text"),
        evidence_ids: f.all("evidence_ids"),
    };
    let store_id = s.actor().store_id.clone().unwrap_or_default();
    match st
        .service
        .batch_delist(s.actor(), &store_id, &ids, why.clone())
        .await
    {
        Ok(done) => see_other(&format!("/products?state=delisted&delisted={}", done.len())),
        Err(ServiceError::Conflict { detail, .. }) => {
            check_page(&st, &s, &ids, &why, Some(detail)).await
        }
        Err(e) => refusal(s.chrome.clone(), e),
    }
}
