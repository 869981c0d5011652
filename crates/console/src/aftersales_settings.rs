//! 售后设置: what a store says about its returns — whether it uploads its own return
//! labels, its return warehouses (退货仓, several per country, one default) and its
//! refund-only policies (仅退款策略: a claim for a reason, up to a ceiling, refunded at a
//! share without the goods coming back). Negotiated partial refunds are the platform's to
//! enable (on application), so the page says whether they are and offers no switch.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::aftersales::RETURN_REASONS;
use marketdesk_service::ServiceError;
use marketdesk_service::aftersales::settings::{NewPolicy, SettingsInput};
use marketdesk_service::aftersales::warehouses::WarehouseInput;

use crate::ConsoleState;
use crate::page::{Chrome, fixable, refusal, render};
use crate::products::{Choice, store_zone};
use crate::session::{Signed, signed_form};
use crate::web::{Fields, see_other};

const HERE: &str = "/aftersales/settings";

pub struct WarehouseLine {
    pub id: String,
    pub country: String,
    pub name: String,
    pub address: String,
    pub is_default: bool,
}

pub struct PolicyLine {
    pub id: String,
    pub reason: String,
    pub ceiling: String,
    pub ratio: i64,
}

/// What was typed into a refused form, shown again so nothing has to be retyped.
#[derive(Default)]
struct Typed {
    country: String,
    name: String,
    address: String,
    make_default: bool,
    ceiling: String,
    ratio: String,
}

impl Typed {
    fn from(f: &Fields) -> Typed {
        let v = |k: &str| f.get(k).unwrap_or_default().to_owned();
        Typed {
            country: v("country"),
            name: v("name"),
            address: v("address"),
            make_default: f.get("make_default") == Some("yes"),
            ceiling: v("ceiling"),
            ratio: v("ratio_percent"),
        }
    }
}

#[derive(Template)]
#[template(path = "aftersales_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    uploads_labels: bool,
    /// DE, IT: merchant operations turn label upload on, not the seller.
    labels_by_platform: bool,
    negotiated_enabled: bool,
    warehouses: Vec<WarehouseLine>,
    policies: Vec<PolicyLine>,
    reasons: Vec<Choice>,
    currency: String,
    saved: bool,
    errors: Vec<String>,
    typed: Typed,
}

fn reason_word(chrome: &Chrome, reason: &str) -> String {
    chrome.t_or(&format!("return_reason.{reason}"), reason)
}

async fn page(
    st: &ConsoleState,
    s: &Signed,
    status: StatusCode,
    errors: Vec<String>,
    typed: Typed,
    reason: Option<&str>,
) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let (store_id, _) = store_zone(s)?;
        let settings = st.service.aftersales_settings(s.actor(), &store_id).await?;
        let warehouses = st.service.warehouses(s.actor(), &store_id).await?;
        let policies = st.service.refund_policies(s.actor(), &store_id).await?;
        Ok::<_, ServiceError>((settings, warehouses, policies))
    };
    let (settings, warehouses, policies) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let reasons = RETURN_REASONS
        .iter()
        .map(|r| Choice {
            value: r,
            word: chrome.t(&format!("return_reason.{r}")),
            selected: reason == Some(*r),
        })
        .collect();
    let view = SettingsPage {
        uploads_labels: settings.uploads_labels,
        labels_by_platform: marketdesk_core::aftersales::label_upload_granted_by_platform(
            s.session.site_code.as_deref().unwrap_or_default(),
        ),
        negotiated_enabled: settings.negotiated_enabled,
        warehouses: warehouses
            .into_iter()
            .map(|w| WarehouseLine {
                id: w.id,
                country: w.country,
                name: w.name,
                address: w.address,
                is_default: w.is_default,
            })
            .collect(),
        policies: policies
            .into_iter()
            .map(|p| PolicyLine {
                reason: reason_word(&chrome, &p.reason),
                id: p.id,
                ceiling: p.ceiling,
                ratio: p.ratio,
            })
            .collect(),
        reasons,
        currency: s.session.site_currency.clone().unwrap_or_default(),
        saved: status == StatusCode::OK && s.chrome.query.as_deref() == Some("saved=1"),
        errors,
        typed,
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed) -> Response {
    page(&st, &s, StatusCode::OK, vec![], Typed::default(), None).await
}

/// After a change: back to the page (GET), or the page again with the refusal beside
/// the form and what was typed still in it.
async fn outcome(
    st: &ConsoleState,
    s: &Signed,
    f: &Fields,
    r: Result<(), ServiceError>,
) -> Response {
    match r.map_err(fixable) {
        Ok(()) => see_other(&format!("{HERE}?saved=1")),
        Err(Ok((status, lines))) => {
            page(st, s, status, lines, Typed::from(f), f.get("reason")).await
        }
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub async fn labels(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = async {
        let (store_id, _) = store_zone(&s)?;
        let input = SettingsInput {
            negotiated_enabled: None,
            uploads_labels: Some(f.get("uploads_labels") == Some("yes")),
        };
        st.service
            .set_aftersales_settings(s.actor(), &store_id, input)
            .await
            .map(|_| ())
    };
    let r = r.await;
    outcome(&st, &s, &f, r).await
}

pub async fn add_warehouse(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = async {
        let (store_id, _) = store_zone(&s)?;
        let input = WarehouseInput {
            // Country codes are written in capitals; a person may type them in either.
            country: f.text("country").map(|c| c.to_uppercase()),
            name: f.get("name").map(str::to_owned),
            address: f.get("address").map(str::to_owned),
            make_default: f.get("make_default") == Some("yes"),
        };
        st.service
            .create_warehouse(s.actor(), &store_id, input)
            .await
            .map(|_| ())
    };
    let r = r.await;
    outcome(&st, &s, &f, r).await
}

pub async fn make_default(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let input = WarehouseInput {
        country: None,
        name: None,
        address: None,
        make_default: true,
    };
    let r = st
        .service
        .update_warehouse(s.actor(), &id, input)
        .await
        .map(|_| ());
    outcome(&st, &s, &f, r).await
}

pub async fn delete_warehouse(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = st.service.delete_warehouse(s.actor(), &id).await;
    outcome(&st, &s, &f, r).await
}

pub async fn add_policy(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let ratio = f.text("ratio_percent").unwrap_or_default();
    let Ok(ratio_percent) = ratio.parse::<i64>() else {
        let line = format!("ratio_percent: {}", s.chrome.t("settings.whole_percent"));
        return page(
            &st,
            &s,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![line],
            Typed::from(&f),
            f.get("reason"),
        )
        .await;
    };
    let r = async {
        let (store_id, _) = store_zone(&s)?;
        let new = NewPolicy {
            reason: f.get("reason").unwrap_or_default().to_owned(),
            ceiling: f.get("ceiling").unwrap_or_default().trim().to_owned(),
            ratio_percent,
        };
        st.service
            .create_refund_policy(s.actor(), &store_id, new)
            .await
            .map(|_| ())
    };
    let r = r.await;
    outcome(&st, &s, &f, r).await
}

pub async fn delete_policy(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = async {
        let (store_id, _) = store_zone(&s)?;
        st.service
            .delete_refund_policy(s.actor(), &store_id, &id)
            .await
    };
    let r = r.await;
    outcome(&st, &s, &f, r).await
}
