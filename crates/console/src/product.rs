//! A product's page: content, SKUs with stock, every violation case, the whole timeline
//! (when, who, what, why, from → to, evidence), the edit form and the moves allowed now.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::Action;
use marketdesk_service::ServiceError;
use marketdesk_service::listing::Why;
use marketdesk_service::product_edits::ProductPatch;
use marketdesk_service::products::Product;

use crate::ConsoleState;
use crate::format::local;
use crate::page::{Chrome, refusal, render};
use crate::products::{StatusWords, store_zone};
use crate::session::{Signed, signed_form};
use crate::web::see_other;

pub struct SkuLine {
    pub code: String,
    pub price: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
}

pub struct Event {
    pub at: String,
    pub who: String,
    pub what: String,
    pub from: &'static str,
    pub to: &'static str,
    pub reason: String,
    pub text: String,
    pub evidence: Vec<String>,
    pub changes: Vec<String>,
}

pub struct CaseLine {
    pub id: String,
    pub rule: String,
    pub progress: &'static str,
    pub due: String,
}

pub struct Move {
    pub action: &'static str,
    pub word: &'static str,
}

#[derive(Template)]
#[template(path = "product.html")]
struct ProductPageView {
    chrome: Chrome,
    p: Product,
    status: StatusWords,
    skus: Vec<SkuLine>,
    events: Vec<Event>,
    cases: Vec<CaseLine>,
    moves: Vec<Move>,
    can_delist: bool,
    errors: Vec<String>,
}

/// The moves offered as buttons here; delisting goes through its two-step dialog and a
/// violation's relist through its report.
const BUTTONS: [Action; 2] = [Action::List, Action::Relist];

async fn page(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    let chrome = s.chrome.clone();
    let a = s.actor();
    let loaded = async {
        let p = st.service.product(a, id).await?;
        let timeline = st.service.timeline(a, id).await?;
        let cases = st.service.product_violations(a, id).await?;
        let moves = st.service.moves_for(a, id).await?;
        let (_, tz) = store_zone(s)?;
        let names = st.service.team_names(a, &p.store_id).await?;
        Ok::<_, ServiceError>((p, timeline, cases, moves, tz, names))
    };
    let (p, timeline, cases, moves, tz, names) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let state = |s: &str| chrome.t(&format!("state.{s}"));
    let events = timeline
        .iter()
        .rev()
        .map(|t| Event {
            at: local(t.at, &tz),
            who: match names.get(&t.actor_id) {
                Some(name) => name.clone(),
                None => chrome.t(&format!("role.{}", t.actor_role)).to_string(),
            },
            what: chrome.t_or(&format!("action.{}", t.action), &t.action),
            from: t.from_state.as_deref().map_or("", state),
            to: state(&t.to_state),
            reason: t
                .reason_code
                .as_deref()
                .map(|c| chrome.word(&format!("reason.{c}")).to_owned())
                .unwrap_or_default(),
            text: t.reason_text.clone().unwrap_or_default(),
            evidence: t.evidence_ids.clone(),
            changes: t
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{}: {} → {}",
                        c.field,
                        c.before.as_deref().unwrap_or("—"),
                        c.after.as_deref().unwrap_or("—")
                    )
                })
                .collect(),
        })
        .collect();
    let cases = cases
        .iter()
        .map(|v| CaseLine {
            id: v.id.clone(),
            rule: v.rule_code.clone(),
            progress: chrome.t(&format!("progress.{}", v.state.as_str())),
            due: local(v.rectify_due_at, &tz),
        })
        .collect();
    let view = ProductPageView {
        status: StatusWords::of(&chrome, &p),
        skus: p
            .skus
            .iter()
            .map(|k| SkuLine {
                code: k.code.clone(),
                price: format!("{} {}", k.price, k.currency),
                on_hand: k.stock,
                reserved: k.reserved,
                available: (k.stock - k.reserved).max(0),
            })
            .collect(),
        events,
        cases,
        can_delist: moves.contains(&Action::Delist),
        moves: moves
            .iter()
            .filter(|m| BUTTONS.contains(m))
            .map(|m| Move {
                action: m.as_str(),
                word: chrome.t(&format!("move.{}", m.as_str())),
            })
            .collect(),
        chrome,
        p,
        errors,
    };
    render(status, &view)
}

pub async fn detail(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    page(&st, &s, &id, StatusCode::OK, vec![]).await
}

fn messages(e: ServiceError) -> Result<Vec<String>, ServiceError> {
    match e {
        ServiceError::Invalid(i) => Ok(i
            .0
            .into_iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect()),
        ServiceError::Conflict { detail, errors } => {
            let mut m = vec![detail];
            m.extend(
                errors
                    .into_iter()
                    .map(|f| format!("{}: {}", f.field, f.message)),
            );
            Ok(m)
        }
        other => Err(other),
    }
}

pub async fn move_product(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let action = match f.get("action") {
        Some("list") => Action::List,
        Some("relist") => Action::Relist,
        _ => {
            return page(
                &st,
                &s,
                &id,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec!["action: unknown move".into()],
            )
            .await;
        }
    };
    match st
        .service
        .transition(s.actor(), &id, action, Why::default())
        .await
    {
        Ok(_) => see_other(&format!("/products/{id}")),
        Err(e) => match messages(e) {
            Ok(m) => page(&st, &s, &id, StatusCode::CONFLICT, m).await,
            Err(e) => refusal(s.chrome.clone(), e),
        },
    }
}

pub async fn edit(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let patch = ProductPatch {
        title: f.get("title").map(str::to_owned),
        category: f.get("category").map(str::to_owned),
        description: f.get("description").map(|d| Some(d.to_owned())),
        version: f.text("version").and_then(|v| v.parse().ok()),
        ..Default::default()
    };
    match st.service.edit_product(s.actor(), &id, patch).await {
        Ok(_) => see_other(&format!("/products/{id}")),
        Err(e) => match messages(e) {
            Ok(m) => page(&st, &s, &id, StatusCode::UNPROCESSABLE_ENTITY, m).await,
            Err(e) => refusal(s.chrome.clone(), e),
        },
    }
}

/// Where a violation message leads: the product's latest case report, else the product.
pub async fn latest_violation(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
) -> Response {
    match st.service.product_violations(s.actor(), &id).await {
        Ok(cases) => match cases.first() {
            Some(c) => see_other(&format!("/violations/{}", c.id)),
            None => see_other(&format!("/products/{id}")),
        },
        Err(e) => refusal(s.chrome.clone(), e),
    }
}
