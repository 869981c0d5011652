//! 站内信: the person's messages, an unread filter, marking read (also from the red-alert
//! pop-up, which cancels the phone-call escalation), and where each message leads.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use marketdesk_service::records::InboxMessage;

use crate::ConsoleState;
use crate::format::local;
use crate::page::{Chrome, refusal, render};
use crate::session::{Signed, signed_form};
use crate::web::{Fields, see_other};

pub struct Item {
    pub id: String,
    pub severity: String,
    pub severity_word: &'static str,
    pub title: String,
    pub body: String,
    pub at: String,
    pub unread: bool,
    pub href: String,
}

/// Where a message leads: a violation's messages to its report (via the product, which
/// knows its latest case), the rest to the product they are about.
pub fn href(m: &InboxMessage) -> String {
    if m.event_type.starts_with("violation.") || m.event_type == "product.violation_delisted" {
        format!("/products/{}/violation", m.subject_id)
    } else if m.event_type.starts_with("product.") || m.event_type.starts_with("stock.") {
        format!("/products/{}", m.subject_id)
    } else if m.event_type.starts_with("aftersales.") {
        format!("/aftersales/cases/{}", m.subject_id)
    } else if m.event_type.starts_with("ticket.") {
        format!("/aftersales/tickets/{}", m.subject_id)
    } else if m.event_type.starts_with("reshipment.") {
        "/aftersales".into()
    } else {
        "/inbox".into()
    }
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPageView {
    chrome: Chrome,
    items: Vec<Item>,
    unread_only: bool,
    unread_count: i64,
    next: Option<String>,
}

pub async fn list(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    let unread_only = f.get("unread") == Some("1");
    let chrome = s.chrome.clone();
    let page = match st
        .service
        .inbox(
            s.actor(),
            unread_only,
            f.text("cursor").as_deref(),
            Some(50),
        )
        .await
    {
        Ok(p) => p,
        Err(e) => return refusal(chrome, e),
    };
    let tz = match &s.session.site_code {
        Some(code) => st
            .service
            .sites()
            .await
            .ok()
            .and_then(|sites| sites.into_iter().find(|x| &x.code == code))
            .map(|x| crate::format::zone(&x.time_zone))
            .unwrap_or(jiff::tz::TimeZone::UTC),
        None => jiff::tz::TimeZone::UTC,
    };
    let items = page
        .items
        .iter()
        .map(|m| Item {
            id: m.id.clone(),
            severity_word: chrome.word(&format!("severity.{}", m.severity)),
            severity: m.severity.clone(),
            title: m.title.clone(),
            body: m.body.clone(),
            at: local(m.created_at, &tz),
            unread: m.read_at.is_none(),
            href: href(m),
        })
        .collect();
    let next = page.next_cursor.map(|c| {
        format!(
            "/inbox?{}cursor={c}",
            if unread_only { "unread=1&" } else { "" }
        )
    });
    render(
        StatusCode::OK,
        &InboxPageView {
            chrome,
            items,
            unread_only,
            unread_count: page.unread_count,
            next,
        },
    )
}

/// Marks a message read. htmx gets the words that replace the button, the pop-up's
/// script 204; a plain form goes back to the inbox.
pub async fn mark_read(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let htmx = req.headers().contains_key("hx-request");
    let scripted = req.headers().contains_key("x-csrf-token");
    if let Err(r) = signed_form(&s, req).await {
        return r;
    }
    match st.service.mark_read(s.actor(), &id).await {
        Ok(()) if htmx => axum::response::Html(format!(
            "<p class=\"read-done\" role=\"status\">{}</p>",
            s.chrome.t("inbox.marked_read")
        ))
        .into_response(),
        Ok(()) if scripted => StatusCode::NO_CONTENT.into_response(),
        Ok(()) => see_other("/inbox"),
        Err(e) => refusal(s.chrome.clone(), e),
    }
}
