//! Finding listings across stores and taking one down (违规下架): the platform-wide
//! product search, and the take-down form on a product — the clause with its text, the
//! severity with the rectification deadline each would set (shown before confirming),
//! details and evidence.

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::http::Uri;
use axum::response::Response;
use marketdesk_core::violation::Severity;
use marketdesk_service::ServiceError;
use marketdesk_service::product_search::SearchScope;
use marketdesk_service::products::{Product, ProductQuery};
use marketdesk_service::records::Rule;
use marketdesk_service::violations::NewViolation;

use crate::ConsoleState;
use crate::evidence_form::{Unsigned, signed_multipart, upload_all};
use crate::format::{local, zone};
use crate::page::{Chrome, fixable, forged, refusal, render};
use crate::products::StatusWords;
use crate::review::Context;
use crate::session::Signed;
use crate::staff::{Desk, refused};
use crate::web::{Fields, see_other};

pub struct Found {
    pub id: String,
    pub title: String,
    pub store: String,
    pub status: StatusWords,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "review_products.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    sites: Vec<(String, bool)>,
    found: Vec<Found>,
    next: Option<String>,
}

pub async fn search(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    if let Some(r) = refused(&s, Desk::Review) {
        return r;
    }
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    let chrome = s.chrome.clone();
    let q = f.text("q");
    let site = f.text("site");
    let loaded = async {
        let cx = Context::load(&st, &s).await?;
        let sites = st.service.sites().await?;
        let scope = SearchScope {
            store_id: f.text("store_id"),
            site: site.clone(),
        };
        let query = ProductQuery {
            q: q.clone(),
            cursor: f.text("cursor"),
            limit: Some(50),
            ..Default::default()
        };
        let page = st
            .service
            .search_products(s.actor(), &scope, &query)
            .await?;
        Ok::<_, ServiceError>((cx, sites, page))
    };
    let (cx, sites, page) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let next = page
        .next_cursor
        .as_deref()
        .map(|c| crate::web::next_page("/review/products", &f, c));
    let view = SearchPage {
        found: page
            .items
            .iter()
            .map(|p| Found {
                id: p.id.clone(),
                title: p.title.clone(),
                store: cx.store_name(&p.store_id),
                status: StatusWords::of(&chrome, p),
                updated: local(p.updated_at, &jiff::tz::TimeZone::UTC),
            })
            .collect(),
        sites: sites
            .into_iter()
            .map(|x| {
                let on = site.as_deref() == Some(x.code.as_str());
                (x.code, on)
            })
            .collect(),
        q: q.unwrap_or_default(),
        next,
        chrome,
    };
    render(StatusCode::OK, &view)
}

pub struct SeverityChoice {
    pub value: &'static str,
    pub word: &'static str,
    pub due: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "takedown.html")]
struct TakedownPage {
    chrome: Chrome,
    p: Product,
    status: StatusWords,
    store: String,
    site: String,
    open_case: Option<String>,
    rules: Vec<Rule>,
    rule_chosen: String,
    severities: Vec<SeverityChoice>,
    details: String,
    errors: Vec<String>,
}

/// What the form had, shown again beside its errors.
#[derive(Default)]
struct Sent {
    rule: String,
    severity: String,
    details: String,
}

async fn form_page(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    status: StatusCode,
    sent: Sent,
    errors: Vec<String>,
) -> Response {
    if let Some(r) = refused(s, Desk::Review) {
        return r;
    }
    let chrome = s.chrome.clone();
    let a = s.actor();
    let loaded = async {
        let p = st.service.product(a, id).await?;
        let store = st.service.store(a, &p.store_id).await?;
        let site = st
            .service
            .sites()
            .await?
            .into_iter()
            .find(|x| x.code == store.site_code)
            .ok_or_else(|| ServiceError::NotFound(format!("no site {}", store.site_code)))?;
        let cases = st.service.product_violations(a, id).await?;
        let rules = st.service.rules().await?;
        let now = st.service.clock.now();
        let severities = [Severity::Normal, Severity::Serious];
        let spans = severities.map(|sev| sev.rectification_span());
        let at = st.service.dues(&site.code, now, &spans).await?;
        let dues: Vec<(Severity, i64)> = severities
            .into_iter()
            .zip(at.iter().map(|t| t.as_microsecond()))
            .collect();
        Ok::<_, ServiceError>((p, store, site, cases, rules, dues))
    };
    let (p, store, site, cases, rules, dues) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let tz = zone(&site.time_zone);
    let rules: Vec<Rule> = rules
        .into_iter()
        .filter(|r| r.retired_at.is_none() && (r.sites.is_empty() || r.sites.contains(&site.code)))
        .collect();
    let view = TakedownPage {
        status: StatusWords::of(&chrome, &p),
        store: store.name,
        site: site.code,
        open_case: cases
            .iter()
            .find(|c| c.state != marketdesk_core::violation::Progress::Closed)
            .map(|c| c.id.clone()),
        severities: dues
            .into_iter()
            .map(|(sev, due)| SeverityChoice {
                value: sev.as_str(),
                word: chrome.t(&format!("severity.{}", sev.as_str())),
                due: local(due, &tz),
                chosen: sent.severity == sev.as_str()
                    || (sent.severity.is_empty() && sev == Severity::Normal),
            })
            .collect(),
        rule_chosen: sent.rule,
        details: sent.details,
        rules,
        errors,
        chrome,
        p,
    };
    render(status, &view)
}

pub async fn form(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    form_page(&st, &s, &id, StatusCode::OK, Sent::default(), vec![]).await
}

pub async fn take_down(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    // Who may post is settled before the body is read as a form.
    if let Some(r) = refused(&s, Desk::Review) {
        return r;
    }
    let m = match Multipart::from_request(req, &st).await {
        Ok(m) => m,
        Err(e) => {
            let line = e.body_text();
            return form_page(
                &st,
                &s,
                &id,
                StatusCode::BAD_REQUEST,
                Sent::default(),
                vec![line],
            )
            .await;
        }
    };
    let (f, files) = match signed_multipart(&s, m).await {
        Ok(v) => v,
        Err(Unsigned::Unreadable(e)) => {
            return form_page(
                &st,
                &s,
                &id,
                StatusCode::BAD_REQUEST,
                Sent::default(),
                vec![e],
            )
            .await;
        }
        Err(Unsigned::Forged) => return forged(s.chrome.clone()),
    };
    let sent = Sent {
        rule: f.text("rule_code").unwrap_or_default(),
        severity: f.text("severity").unwrap_or_default(),
        details: f.get("details").unwrap_or_default().to_owned(),
    };
    let opened = async {
        let evidence_ids = upload_all(&st, &s, files).await?;
        let new = NewViolation {
            rule_code: sent.rule.clone(),
            severity: Some(sent.severity.clone()).filter(|v| !v.is_empty()),
            details: sent.details.clone(),
            evidence_ids,
        };
        st.service.open_violation(s.actor(), &id, new).await
    };
    match opened.await.map_err(fixable) {
        Ok(r) => see_other(&format!("/review/violations/{}", r.case.id)),
        Err(Ok((status, lines))) => form_page(&st, &s, &id, status, sent, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
