//! Rule clauses (平台规则条款) for admins: every clause with its version, severity and
//! sites; add one; edit one (a new version — cases keep the version they cite — announced
//! to the sellers of its sites); retire one with a note.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::ReasonCode;
use marketdesk_service::ServiceError;
use marketdesk_service::records::Rule;
use marketdesk_service::rules::{NewRule, RuleEdit};

use crate::ConsoleState;
use crate::page::{Chrome, fixable, refusal, render};
use crate::products::Choice;
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::web::see_other;

pub struct RuleLine {
    pub r: Rule,
    pub severity: &'static str,
    pub sites: String,
}

#[derive(Template)]
#[template(path = "admin_rules.html")]
struct RulesPage {
    chrome: Chrome,
    rules: Vec<RuleLine>,
    reasons: Vec<Choice>,
    sites: Vec<String>,
    errors: Vec<String>,
}

async fn page(st: &ConsoleState, s: &Signed, status: StatusCode, errors: Vec<String>) -> Response {
    if let Some(r) = refused(s, Desk::Admin) {
        return r;
    }
    let chrome = s.chrome.clone();
    let loaded = async {
        let rules = st.service.rules().await?;
        let sites = st.service.sites().await?;
        Ok::<_, ServiceError>((rules, sites))
    };
    let (rules, sites) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let view = RulesPage {
        rules: rules
            .into_iter()
            .map(|r| RuleLine {
                severity: chrome.t(&format!("severity.{}", r.severity)),
                sites: if r.sites.is_empty() {
                    chrome.t("rules.every_site").to_owned()
                } else {
                    r.sites.join(", ")
                },
                r,
            })
            .collect(),
        reasons: ReasonCode::ALL
            .iter()
            .map(|c| Choice {
                value: c.as_str(),
                word: chrome.word(&format!("reason.{}", c.as_str())),
                selected: false,
            })
            .collect(),
        sites: sites.into_iter().map(|x| x.code).collect(),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn list(State(st): State<ConsoleState>, s: Signed) -> Response {
    page(&st, &s, StatusCode::OK, vec![]).await
}

async fn outcome(st: &ConsoleState, s: &Signed, r: Result<Rule, ServiceError>) -> Response {
    match r.map_err(fixable) {
        Ok(_) => see_other("/admin/rules"),
        Err(Ok((status, lines))) => page(st, s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub async fn create(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let new = NewRule {
        code: f.text("code").unwrap_or_default(),
        title: f.get("title").unwrap_or_default().to_owned(),
        text: f.get("text").unwrap_or_default().to_owned(),
        severity: f.text("severity").unwrap_or_default(),
        reason_code: f.text("reason_code"),
        sites: f.all("sites"),
    };
    let r = st.service.create_rule(s.actor(), new).await;
    outcome(&st, &s, r).await
}

pub async fn edit(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let edit = RuleEdit {
        title: f.get("title").map(str::to_owned),
        text: f.get("text").map(str::to_owned),
        severity: f.text("severity"),
        note: f.text("note"),
        ..Default::default()
    };
    let r = st.service.edit_rule(s.actor(), &code, edit).await;
    outcome(&st, &s, r).await
}

pub async fn retire(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(code): Path<String>,
    req: Request,
) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = st
        .service
        .retire_rule(s.actor(), &code, f.get("note").unwrap_or_default())
        .await;
    outcome(&st, &s, r).await
}
