//! Stores (店铺) for admins: every store with its site and fulfilment mode, whether the
//! platform has enabled negotiated partial refunds and label upload for it (seed 003:
//! merchant operations grant them, not the seller), its standing (each store's own page suspends and
//! reinstates it), and the form to open a store.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::FulfilmentMode;
use marketdesk_service::ServiceError;
use marketdesk_service::accounts::NewStore;
use marketdesk_service::aftersales::settings::SettingsInput;

use crate::ConsoleState;
use crate::format::{local, zone};
use crate::page::{Chrome, fixable, refusal, render};
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::web::see_other;

pub struct StoreLine {
    pub id: String,
    pub name: String,
    pub site: String,
    pub mode: &'static str,
    pub opened: String,
    pub negotiated: bool,
    pub uploads_labels: bool,
    pub suspended: bool,
}

#[derive(Template)]
#[template(path = "admin_stores.html")]
struct StoresPage {
    chrome: Chrome,
    stores: Vec<StoreLine>,
    sites: Vec<String>,
    modes: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
}

async fn page(st: &ConsoleState, s: &Signed, status: StatusCode, errors: Vec<String>) -> Response {
    if let Some(r) = refused(s, Desk::Admin) {
        return r;
    }
    let chrome = s.chrome.clone();
    let a = s.actor();
    let loaded = async {
        let stores = st.service.stores(a).await?;
        let sites = st.service.sites().await?;
        let mut lines = Vec::new();
        for x in stores {
            let settings = st.service.aftersales_settings(a, &x.id).await?;
            let tz = sites
                .iter()
                .find(|s| s.code == x.site_code)
                .map(|s| zone(&s.time_zone))
                .unwrap_or(jiff::tz::TimeZone::UTC);
            lines.push(StoreLine {
                mode: chrome.t(&format!("fulfilment.{}", x.fulfilment_mode)),
                opened: local(x.created_at, &tz),
                negotiated: settings.negotiated_enabled,
                uploads_labels: settings.uploads_labels,
                suspended: x.suspended_at.is_some(),
                site: x.site_code,
                name: x.name,
                id: x.id,
            });
        }
        Ok::<_, ServiceError>((lines, sites))
    };
    let (stores, sites) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let view = StoresPage {
        stores,
        sites: sites.into_iter().map(|x| x.code).collect(),
        modes: FulfilmentMode::ALL
            .iter()
            .map(|m| (m.as_str(), chrome.t(&format!("fulfilment.{}", m.as_str()))))
            .collect(),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn list(State(st): State<ConsoleState>, s: Signed) -> Response {
    page(&st, &s, StatusCode::OK, vec![]).await
}

async fn outcome<T>(st: &ConsoleState, s: &Signed, r: Result<T, ServiceError>) -> Response {
    match r.map_err(fixable) {
        Ok(_) => see_other("/admin/stores"),
        Err(Ok((status, lines))) => page(st, s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub async fn create(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let new = NewStore {
        name: f.get("name").unwrap_or_default().to_owned(),
        site: f.text("site").unwrap_or_default(),
        fulfilment_mode: f.text("fulfilment_mode").unwrap_or_default(),
    };
    let r = st.service.create_store(s.actor(), new).await;
    outcome(&st, &s, r).await
}

/// Turns negotiated partial refunds (协商退款) on or off for a store.
pub async fn negotiated(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    setting(st, s, id, req, Setting::Negotiated).await
}

/// Turns label upload (上传退货标签) on or off: on DE and IT only merchant operations may.
pub async fn label_upload(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    setting(st, s, id, req, Setting::LabelUpload).await
}

enum Setting {
    Negotiated,
    LabelUpload,
}

async fn setting(st: ConsoleState, s: Signed, id: String, req: Request, what: Setting) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let on = Some(f.get("enabled") == Some("true"));
    let input = match what {
        Setting::Negotiated => SettingsInput {
            negotiated_enabled: on,
            uploads_labels: None,
        },
        Setting::LabelUpload => SettingsInput {
            negotiated_enabled: None,
            uploads_labels: on,
        },
    };
    let r = st
        .service
        .set_aftersales_settings(s.actor(), &id, input)
        .await;
    outcome(&st, &s, r).await
}
