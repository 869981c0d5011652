//! One case on the review desk: the clause, details and evidence as the seller sees
//! them; the seller's rectification plan and the listing's edits since the take-down as
//! before → after; the claim (认领); and the reviewer's decisions — approve or reject a
//! relist review, uphold or dismiss an appeal.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::violation::Step;
use marketdesk_service::ServiceError;
use marketdesk_service::violations::ViolationReport;

use crate::ConsoleState;
use crate::format::{local, zone};
use crate::page::{Chrome, fixable, refusal, render};
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::violation::CaseView;
use crate::web::see_other;

/// One field an edit changed.
pub struct FieldDiff {
    pub at: String,
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "review_case.html")]
struct CasePage {
    chrome: Chrome,
    r: ViolationReport,
    v: CaseView,
    diffs: Vec<FieldDiff>,
    claimed_by: String,
    claim_until: String,
    mine: bool,
    can_claim: bool,
    decides_relist: bool,
    decides_appeal: bool,
    errors: Vec<String>,
}

async fn page(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    if let Some(r) = refused(s, Desk::Review) {
        return r;
    }
    let chrome = s.chrome.clone();
    let a = s.actor();
    let loaded = async {
        let r = st.service.report(a, id).await?;
        let steps = st.service.case_steps(a, id).await?;
        let timeline = st.service.timeline(a, &r.case.product_id).await?;
        let claims = st.service.live_claims(a).await?;
        Ok::<_, ServiceError>((r, steps, timeline, claims))
    };
    let (r, steps, timeline, claims) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let tz = zone(&r.time_zone);
    let diffs = timeline
        .iter()
        .filter(|t| t.action == "edit" && t.at >= r.case.created_at)
        .flat_map(|t| {
            let at = local(t.at, &tz);
            t.changes.iter().map(move |c| FieldDiff {
                at: at.clone(),
                field: c.field.clone(),
                before: c.before.clone().unwrap_or_default(),
                after: c.after.clone().unwrap_or_default(),
            })
        })
        .collect();
    let claim = claims.get(&r.case.id);
    let open = r.case.state != marketdesk_core::violation::Progress::Closed;
    let view = CasePage {
        v: CaseView::of(&chrome, &r),
        diffs,
        claimed_by: claim.map(|c| c.reviewer_name.clone()).unwrap_or_default(),
        claim_until: claim.map(|c| local(c.expires_at, &tz)).unwrap_or_default(),
        mine: claim.is_some_and(|c| c.reviewer_id == a.user_id),
        can_claim: open && claim.is_none_or(|c| c.reviewer_id == a.user_id),
        decides_relist: steps.contains(&Step::ApproveRelist),
        decides_appeal: steps.contains(&Step::UpholdAppeal),
        errors,
        chrome,
        r,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    page(&st, &s, &id, StatusCode::OK, vec![]).await
}

async fn outcome<T>(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    r: Result<T, ServiceError>,
) -> Response {
    match r.map_err(fixable) {
        Ok(_) => see_other(&format!("/review/violations/{id}")),
        Err(Ok((status, lines))) => page(st, s, id, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub async fn claim(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if let Err(r) = desk_form(&s, Desk::Review, req).await {
        return r;
    }
    let r = st.service.claim_case(s.actor(), &id).await;
    outcome(&st, &s, &id, r).await
}

pub async fn release(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if let Err(r) = desk_form(&s, Desk::Review, req).await {
        return r;
    }
    let r = st.service.release_case(s.actor(), &id).await;
    outcome(&st, &s, &id, r).await
}

/// approve / reject a relist review, uphold / dismiss an appeal; the note goes to the
/// seller (required for a rejection or a dismissal, as the API requires it).
pub async fn decide(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match desk_form(&s, Desk::Review, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let step = match f.get("decision") {
        Some("approve") => Step::ApproveRelist,
        Some("reject") => Step::RejectRelist,
        Some("uphold") => Step::UpholdAppeal,
        Some("dismiss") => Step::DismissAppeal,
        _ => {
            let line = "decision: must be approve, reject, uphold or dismiss".to_string();
            return page(&st, &s, &id, StatusCode::UNPROCESSABLE_ENTITY, vec![line]).await;
        }
    };
    let r = st
        .service
        .case_step(s.actor(), &id, step, f.text("note"), vec![], vec![])
        .await;
    outcome(&st, &s, &id, r).await
}
