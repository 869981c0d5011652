//! The review desk (违规管理 · 复审): the reviewer's home with what is due, oldest first;
//! the violation center over every store with the API's filters; the relist-review and
//! appeal queues. Each case line says who holds its claim.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::Uri;
use axum::response::Response;
use marketdesk_core::violation::{Progress, Severity};
use marketdesk_service::ServiceError;
use marketdesk_service::records::Violation;
use marketdesk_service::review_claims::Claim;
use marketdesk_service::violations::ViolationQuery;

use crate::ConsoleState;
use crate::format::{day_end, day_start, local, zone};
use crate::page::{Chrome, refusal, render};
use crate::products::Choice;
use crate::session::Signed;
use crate::staff::{Desk, refused};
use crate::web::Fields;

/// One case as a queue shows it.
pub struct CaseLine {
    pub id: String,
    pub store: String,
    pub site: String,
    pub rule: String,
    pub severity: &'static str,
    pub progress: &'static str,
    /// The time the queue is about: the review's, the appeal window's or the rectification's.
    pub due: String,
    pub overdue: bool,
    pub claimed_by: String,
}

/// What a case line needs beyond the case: store names, site zones, live claims.
pub struct Context {
    stores: HashMap<String, String>,
    store_sites: HashMap<String, String>,
    zones: HashMap<String, String>,
    claims: HashMap<String, Claim>,
    now: i64,
}

impl Context {
    pub async fn load(st: &ConsoleState, s: &Signed) -> Result<Context, ServiceError> {
        let a = s.actor();
        let stores = st.service.stores(a).await?;
        let sites = st.service.sites().await?;
        let claims = if a.role.reviews() {
            st.service.live_claims(a).await?
        } else {
            HashMap::new()
        };
        Ok(Context {
            store_sites: stores
                .iter()
                .map(|x| (x.id.clone(), x.site_code.clone()))
                .collect(),
            stores: stores.into_iter().map(|x| (x.id, x.name)).collect(),
            zones: sites.into_iter().map(|x| (x.code, x.time_zone)).collect(),
            claims,
            now: st.service.clock.now().as_microsecond(),
        })
    }

    /// Every store as (id, name), by name: the choices of a store select.
    pub fn stores(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .stores
            .iter()
            .map(|(k, n)| (k.clone(), n.clone()))
            .collect();
        v.sort_by(|a, b| a.1.cmp(&b.1));
        v
    }

    pub fn store_name(&self, id: &str) -> String {
        self.stores
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    }

    /// A site's zone (UTC for an unknown site).
    pub fn site_zone(&self, site: &str) -> jiff::tz::TimeZone {
        zone(self.zones.get(site).map(String::as_str).unwrap_or("UTC"))
    }

    /// A store's site code and zone: its deadlines are read in the site's time.
    pub fn store_zone(&self, store_id: &str) -> (String, jiff::tz::TimeZone) {
        let site = self.store_sites.get(store_id).cloned().unwrap_or_default();
        let tz = self.site_zone(&site);
        (site, tz)
    }

    pub fn line(&self, chrome: &Chrome, v: &Violation) -> CaseLine {
        let tz = self.site_zone(&v.site_code);
        let due_at = match v.state {
            Progress::InReview => v.review_due_at.unwrap_or(v.rectify_due_at),
            Progress::Appealed => v.appeal_due_at,
            _ => v.rectify_due_at,
        };
        CaseLine {
            id: v.id.clone(),
            store: self.store_name(&v.store_id),
            site: v.site_code.clone(),
            rule: v.rule_code.clone(),
            severity: chrome.t(&format!("severity.{}", v.severity.as_str())),
            progress: chrome.t(&format!("progress.{}", v.state.as_str())),
            due: local(due_at, &tz),
            overdue: v.review_overdue || (v.state == Progress::InReview && due_at < self.now),
            claimed_by: self
                .claims
                .get(&v.id)
                .map(|c| c.reviewer_name.clone())
                .unwrap_or_default(),
        }
    }
}

async fn queue(
    st: &ConsoleState,
    s: &Signed,
    progress: Progress,
) -> Result<Vec<Violation>, ServiceError> {
    // Oldest first: what has waited longest is worked first.
    let q = ViolationQuery {
        progress: Some(progress.as_str().into()),
        limit: Some(200),
        oldest_first: true,
        ..Default::default()
    };
    Ok(st.service.violations(s.actor(), &q).await?.items)
}

pub struct Count {
    pub word: &'static str,
    pub n: i64,
    pub href: String,
}

pub struct Section {
    pub id: &'static str,
    pub heading: &'static str,
    pub href: &'static str,
    /// All the queue's cases (the list shows the oldest 200).
    pub total: i64,
    pub lines: Vec<CaseLine>,
}

#[derive(Template)]
#[template(path = "review_home.html")]
struct HomePage {
    chrome: Chrome,
    counts: Vec<Count>,
    sections: Vec<Section>,
}

pub async fn home(State(st): State<ConsoleState>, s: Signed) -> Response {
    if let Some(r) = refused(&s, Desk::Review) {
        return r;
    }
    let chrome = s.chrome.clone();
    let loaded = async {
        let cx = Context::load(&st, &s).await?;
        let counts = st
            .service
            .violations(
                s.actor(),
                &ViolationQuery {
                    limit: Some(1),
                    ..Default::default()
                },
            )
            .await?
            .counts;
        let relist = queue(&st, &s, Progress::InReview).await?;
        let appeals = queue(&st, &s, Progress::Appealed).await?;
        let mut open = queue(&st, &s, Progress::Overdue).await?;
        open.extend(queue(&st, &s, Progress::AwaitingRectification).await?);
        Ok::<_, ServiceError>((cx, counts, relist, appeals, open))
    };
    let (cx, counts, relist, appeals, open) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let lines = |v: &[Violation]| v.iter().map(|x| cx.line(&chrome, x)).collect::<Vec<_>>();
    let n = |p: Progress| counts.get(p.as_str()).copied().unwrap_or(0);
    let view = HomePage {
        counts: Progress::ALL
            .iter()
            .map(|p| Count {
                word: chrome.t(&format!("progress.{}", p.as_str())),
                n: counts.get(p.as_str()).copied().unwrap_or(0),
                href: format!("/review/violations?progress={}", p.as_str()),
            })
            .collect(),
        sections: vec![
            Section {
                id: "relist",
                heading: chrome.t("review.relist_queue"),
                href: "/review/relist",
                total: n(Progress::InReview),
                lines: lines(&relist),
            },
            Section {
                id: "appeals",
                heading: chrome.t("review.appeal_queue"),
                href: "/review/appeals",
                total: n(Progress::Appealed),
                lines: lines(&appeals),
            },
            Section {
                id: "open",
                heading: chrome.t("review.open_cases"),
                href: "/review/violations",
                total: n(Progress::Overdue) + n(Progress::AwaitingRectification),
                lines: lines(&open),
            },
        ],
        chrome: chrome.clone(),
    };
    render(StatusCode::OK, &view)
}

#[derive(Template)]
#[template(path = "review_queue.html")]
struct QueuePage {
    chrome: Chrome,
    heading: &'static str,
    lines: Vec<CaseLine>,
}

async fn queue_page(st: &ConsoleState, s: &Signed, progress: Progress, heading: &str) -> Response {
    if let Some(r) = refused(s, Desk::Review) {
        return r;
    }
    let chrome = s.chrome.clone();
    let loaded = async {
        let cx = Context::load(st, s).await?;
        let items = queue(st, s, progress).await?;
        Ok::<_, ServiceError>((cx, items))
    };
    match loaded.await {
        Ok((cx, items)) => render(
            StatusCode::OK,
            &QueuePage {
                heading: chrome.t(heading),
                lines: items.iter().map(|v| cx.line(&chrome, v)).collect(),
                chrome,
            },
        ),
        Err(e) => refusal(chrome, e),
    }
}

pub async fn relist(State(st): State<ConsoleState>, s: Signed) -> Response {
    queue_page(&st, &s, Progress::InReview, "review.relist_queue").await
}

pub async fn appeals(State(st): State<ConsoleState>, s: Signed) -> Response {
    queue_page(&st, &s, Progress::Appealed, "review.appeal_queue").await
}

#[derive(Template)]
#[template(path = "review_violations.html")]
struct CenterPage {
    chrome: Chrome,
    counts: Vec<Count>,
    lines: Vec<CaseLine>,
    progress: Vec<Choice>,
    severity: Vec<Choice>,
    sites: Vec<(String, bool)>,
    stores: Vec<(String, String, bool)>,
    rule: String,
    due_from: String,
    due_to: String,
    next: Option<String>,
}

/// Every store's cases with `GET /api/v1/violations`'s filters; dates are the site's
/// days (CN's for a CN case), UTC's when no site is chosen.
pub async fn center(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    if let Some(r) = refused(&s, Desk::Review) {
        return r;
    }
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    let chrome = s.chrome.clone();
    let site = f.text("site");
    let store = f.text("store_id");
    let loaded = async {
        let cx = Context::load(&st, &s).await?;
        let sites = st.service.sites().await?;
        let tz = cx.site_zone(site.as_deref().unwrap_or("UTC"));
        let q = ViolationQuery {
            store_id: store.clone(),
            progress: f.text("progress"),
            severity: f.text("severity"),
            rule_code: f.text("rule"),
            site: site.clone(),
            due_from: f.text("due_from").map(|d| day_start(&d, &tz).unwrap_or(d)),
            due_to: f.text("due_to").map(|d| day_end(&d, &tz).unwrap_or(d)),
            cursor: f.text("cursor"),
            limit: Some(50),
            ..Default::default()
        };
        let page = st.service.violations(s.actor(), &q).await?;
        Ok::<_, ServiceError>((cx, sites, page))
    };
    let (cx, sites, page) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let chosen = |k: &str, v: &str| f.get(k) == Some(v);
    let mut stores: Vec<(String, String, bool)> = cx
        .stores
        .iter()
        .map(|(id, name)| (id.clone(), name.clone(), store.as_deref() == Some(id)))
        .collect();
    stores.sort_by(|a, b| a.1.cmp(&b.1));
    let next = page
        .next_cursor
        .as_deref()
        .map(|c| crate::web::next_page("/review/violations", &f, c));
    let view = CenterPage {
        counts: Progress::ALL
            .iter()
            .map(|p| Count {
                word: chrome.t(&format!("progress.{}", p.as_str())),
                n: page.counts.get(p.as_str()).copied().unwrap_or(0),
                href: format!("/review/violations?progress={}", p.as_str()),
            })
            .collect(),
        lines: page.items.iter().map(|v| cx.line(&chrome, v)).collect(),
        progress: Progress::ALL
            .iter()
            .map(|p| Choice {
                value: p.as_str(),
                word: chrome.t(&format!("progress.{}", p.as_str())),
                selected: chosen("progress", p.as_str()),
            })
            .collect(),
        severity: [Severity::Normal, Severity::Serious]
            .iter()
            .map(|v| Choice {
                value: v.as_str(),
                word: chrome.t(&format!("severity.{}", v.as_str())),
                selected: chosen("severity", v.as_str()),
            })
            .collect(),
        sites: sites
            .into_iter()
            .map(|x| {
                let on = site.as_deref() == Some(x.code.as_str());
                (x.code, on)
            })
            .collect(),
        stores,
        rule: f.text("rule").unwrap_or_default(),
        due_from: f.text("due_from").unwrap_or_default(),
        due_to: f.text("due_to").unwrap_or_default(),
        next,
        chrome,
    };
    render(StatusCode::OK, &view)
}
