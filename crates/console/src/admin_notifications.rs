//! Notification rules (通知规则) for admins: for each event people hear about, how loud it
//! is (info, warning, red), who hears it (the store's owner, its other members, the
//! platform's reviewers) and by which channels; a saved change overrides the built-in rule.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::notify::Channel;
use marketdesk_service::preferences::{EffectiveRule, RuleInput};

use crate::ConsoleState;
use crate::page::{Chrome, fixable, refusal, render};
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::web::see_other;

pub struct RuleRow {
    pub event_type: String,
    pub word: String,
    pub severity: &'static str,
    pub owner: bool,
    pub staff: bool,
    pub reviewers: bool,
    pub channels: Vec<(&'static str, &'static str, bool)>,
    pub overridden: bool,
}

#[derive(Template)]
#[template(path = "admin_notifications.html")]
struct RulesPage {
    chrome: Chrome,
    rows: Vec<RuleRow>,
    severities: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
}

fn row(chrome: &Chrome, e: EffectiveRule) -> RuleRow {
    let word = if chrome.lang.has(&format!("event.{}", e.event_type)) {
        chrome.word(&format!("event.{}", e.event_type)).to_owned()
    } else {
        e.event_type.clone()
    };
    RuleRow {
        word,
        severity: e.rule.severity.as_str(),
        owner: e.rule.owner,
        staff: e.rule.staff,
        reviewers: e.rule.reviewers,
        channels: Channel::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str(),
                    chrome.t(&format!("notify.channel.{}", c.as_str())),
                    e.rule.channels.contains(c),
                )
            })
            .collect(),
        overridden: e.overridden,
        event_type: e.event_type,
    }
}

async fn page(st: &ConsoleState, s: &Signed, status: StatusCode, errors: Vec<String>) -> Response {
    if let Some(r) = refused(s, Desk::Admin) {
        return r;
    }
    let chrome = s.chrome.clone();
    let rules = match st.service.notification_rules(s.actor()).await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let view = RulesPage {
        rows: rules.into_iter().map(|e| row(&chrome, e)).collect(),
        severities: ["info", "warning", "red"]
            .into_iter()
            .map(|v| (v, chrome.t(&format!("notify.severity.{v}"))))
            .collect(),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn list(State(st): State<ConsoleState>, s: Signed) -> Response {
    page(&st, &s, StatusCode::OK, vec![]).await
}

pub async fn save(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(event_type): Path<String>,
    req: Request,
) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let input = RuleInput {
        severity: f.text("severity").unwrap_or_default(),
        to_owner: f.get("owner").is_some(),
        to_staff: f.get("staff").is_some(),
        to_reviewers: f.get("reviewers").is_some(),
        channels: f.all("channels"),
    };
    match st
        .service
        .set_notification_rule(s.actor(), &event_type, input)
        .await
        .map_err(fixable)
    {
        Ok(_) => see_other("/admin/notification-rules"),
        Err(Ok((status, lines))) => page(&st, &s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
