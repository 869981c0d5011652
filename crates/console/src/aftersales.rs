//! 售后: the store's after-sales queue with its due times in the site's zone, filtered by
//! state and type, oldest due first within the page the service returns.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use marketdesk_core::aftersales::{CaseState, CaseType};
use marketdesk_service::aftersales::cases::CaseQuery;

use crate::ConsoleState;
use crate::format::local;
use crate::page::{Chrome, refusal, render};
use crate::products::{Choice, store_zone};
use crate::session::Signed;
use crate::web::Fields;

pub struct Line {
    pub id: String,
    pub order_id: String,
    pub kind: &'static str,
    pub state: &'static str,
    pub reason: String,
    pub amount: String,
    pub due: String,
    pub opened: String,
}

#[derive(Template)]
#[template(path = "aftersales.html")]
struct QueuePage {
    chrome: Chrome,
    lines: Vec<Line>,
    states: Vec<Choice>,
    kinds: Vec<Choice>,
    next: Option<String>,
}

pub async fn queue(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    let chrome = s.chrome.clone();
    let (store_id, tz) = match store_zone(&s) {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let state = f.text("state");
    let kind = f.text("type");
    let q = CaseQuery {
        store_id: Some(store_id),
        state: state.clone(),
        case_type: kind.clone(),
        cursor: f.text("cursor"),
        limit: Some(50),
        ..Default::default()
    };
    let (cases, next) = match st.service.cases(s.actor(), q).await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let lines = cases
        .iter()
        .map(|c| Line {
            id: c.id.clone(),
            order_id: c.order_id.clone(),
            kind: chrome.t(&format!("case_type.{}", c.case_type.as_str())),
            state: chrome.t(&format!("case_state.{}", c.state.as_str())),
            reason: chrome.t_or(&format!("return_reason.{}", c.reason), &c.reason),
            amount: format!(
                "{} {}",
                c.refund_amount.as_deref().unwrap_or(&c.requested_amount),
                c.currency
            ),
            due: c.due_at.map(|d| local(d, &tz)).unwrap_or_default(),
            opened: local(c.created_at, &tz),
        })
        .collect();
    let states = CaseState::ALL
        .iter()
        .map(|v| Choice {
            value: v.as_str(),
            word: chrome.t(&format!("case_state.{}", v.as_str())),
            selected: state.as_deref() == Some(v.as_str()),
        })
        .collect();
    let kinds = CaseType::ALL
        .iter()
        .map(|v| Choice {
            value: v.as_str(),
            word: chrome.t(&format!("case_type.{}", v.as_str())),
            selected: kind.as_deref() == Some(v.as_str()),
        })
        .collect();
    let next = next.map(|c| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if let Some(v) = &state {
            s.append_pair("state", v);
        }
        if let Some(v) = &kind {
            s.append_pair("type", v);
        }
        s.append_pair("cursor", &c);
        format!("/aftersales?{}", s.finish())
    });
    render(
        StatusCode::OK,
        &QueuePage {
            chrome,
            lines,
            states,
            kinds,
            next,
        },
    )
}
