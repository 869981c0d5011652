//! 工单: customer service's tickets to the store, by state with their answer-by times in the
//! site's zone, and one ticket's thread with the reply form. A reshipment ticket's first
//! answer says whether the seller reships and under which tracking number.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use marketdesk_core::aftersales::{TicketKind, TicketState};
use marketdesk_service::ServiceError;
use marketdesk_service::aftersales::tickets::Reply;

use crate::ConsoleState;
use crate::evidence_form::{Unsigned, signed_multipart, upload_all};
use crate::format::local;
use crate::page::{Chrome, fixable, forged, refusal, render};
use crate::products::{Choice, store_zone};
use crate::session::Signed;
use crate::web::{Fields, see_other};

pub struct TicketLine {
    pub id: String,
    pub kind: &'static str,
    pub state: &'static str,
    pub order_id: String,
    pub due: String,
    pub opened: String,
}

#[derive(Template)]
#[template(path = "tickets.html")]
struct ListPage {
    chrome: Chrome,
    lines: Vec<TicketLine>,
    states: Vec<Choice>,
}

pub async fn list(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    let chrome = s.chrome.clone();
    let state = f.text("state");
    let loaded = async {
        let (store_id, tz) = store_zone(&s)?;
        let tickets = st
            .service
            .tickets(s.actor(), Some(&store_id), state.as_deref())
            .await?;
        Ok::<_, ServiceError>((tickets, tz))
    };
    let (tickets, tz) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let lines = tickets
        .iter()
        .map(|t| TicketLine {
            id: t.id.clone(),
            kind: chrome.t(&format!("ticket_kind.{}", t.kind.as_str())),
            state: chrome.t(&format!("ticket_state.{}", t.state.as_str())),
            order_id: t.order_id.clone(),
            due: local(t.due_at, &tz),
            opened: local(t.created_at, &tz),
        })
        .collect();
    let states = TicketState::ALL
        .iter()
        .map(|v| Choice {
            value: v.as_str(),
            word: chrome.t(&format!("ticket_state.{}", v.as_str())),
            selected: state.as_deref() == Some(v.as_str()),
        })
        .collect();
    render(
        StatusCode::OK,
        &ListPage {
            chrome,
            lines,
            states,
        },
    )
}

pub struct Message {
    pub who: String,
    pub at: String,
    pub body: String,
    pub evidence: Vec<String>,
}

#[derive(Template)]
#[template(path = "ticket.html")]
struct TicketPage {
    chrome: Chrome,
    id: String,
    kind: &'static str,
    state: &'static str,
    order_id: String,
    due: String,
    on_timeout: &'static str,
    address: String,
    tracking: String,
    messages: Vec<Message>,
    asks_reshipment: bool,
    errors: Vec<String>,
}

async fn page(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let (store_id, tz) = store_zone(s)?;
        let v = st.service.ticket(s.actor(), id).await?;
        let names = st.service.team_names(s.actor(), &store_id).await?;
        Ok::<_, ServiceError>((v, tz, names))
    };
    let (v, tz, names) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let t = &v.ticket;
    let view = TicketPage {
        id: t.id.clone(),
        kind: chrome.t(&format!("ticket_kind.{}", t.kind.as_str())),
        state: chrome.t(&format!("ticket_state.{}", t.state.as_str())),
        order_id: t.order_id.clone(),
        due: local(t.due_at, &tz),
        on_timeout: chrome.t(&format!("ticket_timeout.{}", t.on_timeout.as_str())),
        address: v.buyer_address.clone().unwrap_or_default(),
        tracking: t.tracking_number.clone().unwrap_or_default(),
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
                evidence: m.evidence_ids.clone(),
            })
            .collect(),
        asks_reshipment: t.kind == TicketKind::Reshipment && t.state == TicketState::AwaitingSeller,
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    page(&st, &s, &id, StatusCode::OK, vec![]).await
}

pub async fn reply(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    m: Multipart,
) -> Response {
    let (f, files) = match signed_multipart(&s, m).await {
        Ok(v) => v,
        Err(Unsigned::Unreadable(e)) => {
            return page(&st, &s, &id, StatusCode::BAD_REQUEST, vec![e]).await;
        }
        Err(Unsigned::Forged) => return forged(s.chrome.clone()),
    };
    let evidence_ids = match upload_all(&st, &s, files).await {
        Ok(ids) => ids,
        Err(e) => return outcome(&st, &s, &id, Err(e)).await,
    };
    let r = Reply {
        body: f.get("body").unwrap_or_default().to_owned(),
        evidence_ids,
        reshipment_agreed: match f.get("reshipment") {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        },
        tracking_number: f.text("tracking_number"),
    };
    let r = st.service.reply_ticket(s.actor(), &id, r).await;
    outcome(&st, &s, &id, r.map(|_| ())).await
}

async fn outcome(st: &ConsoleState, s: &Signed, id: &str, r: Result<(), ServiceError>) -> Response {
    match r.map_err(fixable) {
        Ok(()) => see_other(&format!("/aftersales/tickets/{id}")),
        Err(Ok((status, lines))) => page(st, s, id, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
