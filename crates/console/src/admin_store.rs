//! One store for admins: its standing, suspending it (with the reason its sellers read)
//! or reinstating it, and the store's own timeline of both.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::store_standing::Standing;
use marketdesk_service::ServiceError;

use crate::ConsoleState;
use crate::format::{local, zone};
use crate::page::{Chrome, fixable, refusal, render};
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::web::see_other;

pub struct EventLine {
    pub at: String,
    pub who: String,
    pub action: &'static str,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "admin_store.html")]
struct StorePage {
    chrome: Chrome,
    id: String,
    name: String,
    site: String,
    mode: &'static str,
    opened: String,
    suspended: bool,
    since: String,
    why: String,
    events: Vec<EventLine>,
    reason: String,
    errors: Vec<String>,
}

async fn page(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    status: StatusCode,
    reason: String,
    errors: Vec<String>,
) -> Response {
    if let Some(r) = refused(s, Desk::Admin) {
        return r;
    }
    let chrome = s.chrome.clone();
    let a = s.actor();
    let loaded = async {
        let store = st.service.store(a, id).await?;
        let events = st.service.store_timeline(a, id).await?;
        let who: Vec<String> = events.iter().map(|e| e.actor_id.clone()).collect();
        let names = st.service.names(&who).await?;
        let sites = st.service.sites().await?;
        Ok::<_, ServiceError>((store, events, names, sites))
    };
    let (store, events, names, sites) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let tz = sites
        .iter()
        .find(|x| x.code == store.site_code)
        .map(|x| zone(&x.time_zone))
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let view = StorePage {
        id: store.id.clone(),
        mode: chrome.t(&format!("fulfilment.{}", store.fulfilment_mode)),
        opened: local(store.created_at, &tz),
        suspended: Standing::of(store.suspended_at) == Standing::Suspended,
        since: store
            .suspended_at
            .map(|t| local(t, &tz))
            .unwrap_or_default(),
        why: store.suspension_reason.clone().unwrap_or_default(),
        events: events
            .into_iter()
            .map(|e| EventLine {
                at: local(e.at, &tz),
                who: names.get(&e.actor_id).cloned().unwrap_or(e.actor_id),
                action: chrome.t(&format!("standing.did.{}", e.action)),
                reason: e.reason,
            })
            .collect(),
        name: store.name,
        site: store.site_code,
        reason,
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    page(&st, &s, &id, StatusCode::OK, String::new(), vec![]).await
}

/// Suspends (`suspend`) or reinstates the store, with the reason typed.
async fn standing(
    st: ConsoleState,
    s: Signed,
    id: String,
    req: Request,
    suspend: bool,
) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let reason = f.get("reason").unwrap_or_default().to_owned();
    let r = if suspend {
        st.service.suspend_store(s.actor(), &id, &reason).await
    } else {
        st.service.reinstate_store(s.actor(), &id, &reason).await
    };
    match r.map_err(fixable) {
        Ok(_) => see_other(&format!("/admin/stores/{id}")),
        Err(Ok((status, lines))) => page(&st, &s, &id, status, reason, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub async fn suspend(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    standing(st, s, id, req, true).await
}

pub async fn reinstate(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    standing(st, s, id, req, false).await
}
