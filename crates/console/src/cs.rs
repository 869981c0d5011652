//! The customer-service desk (客服 · 工单): every store's tickets by state with their
//! answer-by times in each store's site time, opening a ticket about an order for a buyer
//! (the kinds of seed 003), and a ticket's thread with customer service's reply.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::Uri;
use axum::response::Response;
use marketdesk_core::aftersales::{TicketKind, TicketState, TicketTimeout};
use marketdesk_service::ServiceError;
use marketdesk_service::aftersales::tickets::{NewTicket, Reply};

use crate::ConsoleState;
use crate::format::local;
use crate::page::{Chrome, fixable, refusal, render};
use crate::products::Choice;
use crate::review::Context;
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::web::{Fields, see_other};

pub struct Line {
    pub id: String,
    pub store: String,
    pub kind: &'static str,
    pub state: &'static str,
    pub order_id: String,
    pub due: String,
    pub opened: String,
}

#[derive(Template)]
#[template(path = "cs_tickets.html")]
struct ListPage {
    chrome: Chrome,
    lines: Vec<Line>,
    states: Vec<Choice>,
    kinds: Vec<Choice>,
    timeouts: Vec<Choice>,
    order_id: String,
    body: String,
    address: String,
    errors: Vec<String>,
}

#[derive(Default)]
struct Sent {
    order_id: String,
    kind: String,
    body: String,
    address: String,
    on_timeout: String,
}

async fn list_page(
    st: &ConsoleState,
    s: &Signed,
    state: Option<String>,
    status: StatusCode,
    sent: Sent,
    errors: Vec<String>,
) -> Response {
    if let Some(r) = refused(s, Desk::Service) {
        return r;
    }
    let chrome = s.chrome.clone();
    let loaded = async {
        let cx = Context::load(st, s).await?;
        let tickets = st
            .service
            .tickets(s.actor(), None, state.as_deref())
            .await?;
        Ok::<_, ServiceError>((cx, tickets))
    };
    let (cx, tickets) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let lines = tickets
        .iter()
        .map(|t| {
            let (site, tz) = cx.store_zone(&t.store_id);
            Line {
                id: t.id.clone(),
                store: format!("{} · {site}", cx.store_name(&t.store_id)),
                kind: chrome.t(&format!("ticket_kind.{}", t.kind.as_str())),
                state: chrome.t(&format!("ticket_state.{}", t.state.as_str())),
                order_id: t.order_id.clone(),
                due: local(t.due_at, &tz),
                opened: local(t.created_at, &tz),
            }
        })
        .collect();
    let choices = |all: &[&'static str], prefix: &str, chosen: &str| {
        all.iter()
            .map(|v| Choice {
                value: v,
                word: chrome.t(&format!("{prefix}.{v}")),
                selected: *v == chosen,
            })
            .collect::<Vec<_>>()
    };
    let states: Vec<&str> = TicketState::ALL.iter().map(|v| v.as_str()).collect();
    let kinds: Vec<&str> = TicketKind::ALL.iter().map(|v| v.as_str()).collect();
    let timeouts: Vec<&str> = TicketTimeout::ALL.iter().map(|v| v.as_str()).collect();
    let view = ListPage {
        lines,
        states: choices(
            &states,
            "ticket_state",
            state.as_deref().unwrap_or_default(),
        ),
        kinds: choices(&kinds, "ticket_kind", &sent.kind),
        timeouts: choices(&timeouts, "ticket_timeout", &sent.on_timeout),
        order_id: sent.order_id,
        body: sent.body,
        address: sent.address,
        errors,
        chrome: chrome.clone(),
    };
    render(status, &view)
}

pub async fn list(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    list_page(
        &st,
        &s,
        f.text("state"),
        StatusCode::OK,
        Sent::default(),
        vec![],
    )
    .await
}

pub async fn open(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match desk_form(&s, Desk::Service, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let sent = Sent {
        order_id: f.text("order_id").unwrap_or_default(),
        kind: f.text("kind").unwrap_or_default(),
        body: f.get("body").unwrap_or_default().to_owned(),
        address: f.text("buyer_address").unwrap_or_default(),
        on_timeout: f.text("on_timeout").unwrap_or_default(),
    };
    let new = NewTicket {
        order_id: sent.order_id.clone(),
        order_line_id: None,
        kind: sent.kind.clone(),
        body: sent.body.clone(),
        buyer_address: Some(sent.address.clone()).filter(|a| !a.is_empty()),
        on_timeout: Some(sent.on_timeout.clone()).filter(|a| !a.is_empty()),
        evidence_ids: vec![],
    };
    match st
        .service
        .open_ticket(s.actor(), new)
        .await
        .map_err(fixable)
    {
        Ok(v) => see_other(&format!("/cs/tickets/{}", v.ticket.id)),
        Err(Ok((status, lines))) => list_page(&st, &s, None, status, sent, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub struct Message {
    pub who: String,
    pub at: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "cs_ticket.html")]
struct TicketPage {
    chrome: Chrome,
    id: String,
    store: String,
    kind: &'static str,
    state: &'static str,
    order_id: String,
    due: String,
    on_timeout: &'static str,
    messages: Vec<Message>,
    errors: Vec<String>,
}

async fn ticket_page(
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
    let loaded = async {
        let cx = Context::load(st, s).await?;
        let v = st.service.ticket(s.actor(), id).await?;
        let authors: Vec<String> = v.messages.iter().map(|m| m.author_id.clone()).collect();
        let names = st.service.names(&authors).await?;
        Ok::<_, ServiceError>((cx, v, names))
    };
    let (cx, v, names) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let t = &v.ticket;
    let (site, tz) = cx.store_zone(&t.store_id);
    let view = TicketPage {
        id: t.id.clone(),
        store: format!("{} · {site}", cx.store_name(&t.store_id)),
        kind: chrome.t(&format!("ticket_kind.{}", t.kind.as_str())),
        state: chrome.t(&format!("ticket_state.{}", t.state.as_str())),
        order_id: t.order_id.clone(),
        due: local(t.due_at, &tz),
        on_timeout: chrome.t(&format!("ticket_timeout.{}", t.on_timeout.as_str())),
        messages: v
            .messages
            .iter()
            .map(|m| Message {
                who: names
                    .get(&m.author_id)
                    .cloned()
                    .unwrap_or_else(|| chrome.t(&format!("role.{}", m.author_role)).to_owned()),
                at: local(m.created_at, &tz),
                body: m.body.clone(),
            })
            .collect(),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    ticket_page(&st, &s, &id, StatusCode::OK, vec![]).await
}

pub async fn reply(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match desk_form(&s, Desk::Service, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = Reply {
        body: f.get("body").unwrap_or_default().to_owned(),
        evidence_ids: vec![],
        reshipment_agreed: None,
        tracking_number: None,
    };
    match st
        .service
        .reply_ticket(s.actor(), &id, r)
        .await
        .map_err(fixable)
    {
        Ok(_) => see_other(&format!("/cs/tickets/{id}")),
        Err(Ok((status, lines))) => ticket_page(&st, &s, &id, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
