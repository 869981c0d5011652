//! The violation report (违规单): the clause as it read when the product was taken down,
//! the reviewer's details and evidence, a live countdown to the rectification deadline,
//! and the seller's forms — rectification (整改) with evidence and the edits made,
//! relist request (复审), appeal (申诉) while its 7 days run.

use askama::Template;
use axum::extract::{Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::monitoring::advice::Outcome;
use marketdesk_core::violation::Step;
use marketdesk_service::ServiceError;
use marketdesk_service::violations::ViolationReport;

use crate::ConsoleState;
use crate::evidence_form::{Unsigned, signed_multipart, upload_all};
use crate::format::{iso, local, zone};
use crate::page::{Chrome, fixable, forged, refusal, render};
use crate::session::{Signed, signed_form};
use crate::web::see_other;

pub struct Entry {
    pub at: String,
    pub text: String,
    pub evidence: Vec<String>,
    pub state: &'static str,
}

pub struct EditChoice {
    pub id: String,
    pub at: String,
    pub summary: String,
}

/// What the seller's report and the reviewer's case page both show of a case.
pub struct CaseView {
    pub severity_word: &'static str,
    pub progress_word: &'static str,
    pub due_site: String,
    pub due_iso: String,
    pub appeal_due_site: String,
    pub created_site: String,
    pub rectifications: Vec<Entry>,
    pub appeals: Vec<Entry>,
}

impl CaseView {
    pub fn of(chrome: &Chrome, r: &ViolationReport) -> CaseView {
        let tz = zone(&r.time_zone);
        CaseView {
            severity_word: chrome.t(&format!("severity.{}", r.case.severity.as_str())),
            progress_word: chrome.t(&format!("progress.{}", r.case.state.as_str())),
            due_site: local(r.case.rectify_due_at, &tz),
            due_iso: iso(r.case.rectify_due_at),
            appeal_due_site: local(r.case.appeal_due_at, &tz),
            created_site: local(r.case.created_at, &tz),
            rectifications: r
                .rectifications
                .iter()
                .map(|x| Entry {
                    at: local(x.submitted_at, &tz),
                    text: x.plan.clone(),
                    evidence: x.evidence_ids.clone(),
                    state: "",
                })
                .collect(),
            appeals: r
                .appeals
                .iter()
                .map(|x| Entry {
                    at: local(x.submitted_at, &tz),
                    text: x.statement.clone(),
                    evidence: x.evidence_ids.clone(),
                    state: chrome.t(&format!("appeal.{}", x.state.as_str())),
                })
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "violation.html")]
struct ReportPage {
    chrome: Chrome,
    r: ViolationReport,
    v: CaseView,
    edits: Vec<EditChoice>,
    can_rectify: bool,
    can_request_relist: bool,
    can_appeal: bool,
    errors: Vec<String>,
    /// Rectification advice (整改建议): the clause's guidance and the listing's checks,
    /// failures first; none when the advice could not be read.
    advice: Option<Advice>,
}

pub struct Advice {
    pub guidance: String,
    /// (failed, what to do).
    pub checks: Vec<(bool, String)>,
}

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
        let r = st.service.report(a, id).await?;
        let steps = st.service.case_steps(a, id).await?;
        let timeline = st.service.timeline(a, &r.case.product_id).await?;
        Ok::<_, ServiceError>((r, steps, timeline))
    };
    let (r, steps, timeline) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let tz = zone(&r.time_zone);
    let cited: Vec<&String> = r.rectifications.iter().flat_map(|x| &x.edit_ids).collect();
    let edits = timeline
        .iter()
        .filter(|t| t.action == "edit" && t.at >= r.case.created_at && !cited.contains(&&t.id))
        .map(|t| EditChoice {
            id: t.id.clone(),
            at: local(t.at, &tz),
            summary: t
                .changes
                .iter()
                .map(|c| c.field.clone())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let advice = st
        .service
        .violation_advice(a, id, Some(chrome.lang))
        .await
        .ok()
        .map(|adv| Advice {
            guidance: adv.guidance,
            checks: adv
                .checks
                .into_iter()
                .map(|c| (c.outcome == Outcome::Fail, c.message))
                .collect(),
        });
    let view = ReportPage {
        advice,
        v: CaseView::of(&chrome, &r),
        edits,
        can_rectify: steps.contains(&Step::SubmitRectification),
        can_request_relist: steps.contains(&Step::RequestRelist),
        can_appeal: steps.contains(&Step::Appeal),
        chrome,
        r,
        errors,
    };
    render(status, &view)
}

pub async fn report(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    page(&st, &s, &id, StatusCode::OK, vec![]).await
}

/// A refusal the seller can fix shows on the report, beside the forms; others as pages.
async fn outcome(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    r: Result<ViolationReport, ServiceError>,
) -> Response {
    match r.map_err(fixable) {
        Ok(_) => see_other(&format!("/violations/{id}")),
        Err(Ok((status, lines))) => page(st, s, id, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

async fn with_evidence(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    m: Multipart,
    step: Step,
    text_field: &str,
) -> Response {
    let (f, files) = match signed_multipart(s, m).await {
        Ok(v) => v,
        Err(Unsigned::Unreadable(e)) => {
            return page(st, s, id, StatusCode::BAD_REQUEST, vec![e]).await;
        }
        Err(Unsigned::Forged) => return forged(s.chrome.clone()),
    };
    let evidence = match upload_all(st, s, files).await {
        Ok(ids) => ids,
        Err(e) => return outcome(st, s, id, Err(e)).await,
    };
    let r = st
        .service
        .case_step(
            s.actor(),
            id,
            step,
            f.text(text_field),
            evidence,
            f.all("edit_ids"),
        )
        .await;
    outcome(st, s, id, r).await
}

pub async fn rectify(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    m: Multipart,
) -> Response {
    with_evidence(&st, &s, &id, m, Step::SubmitRectification, "plan").await
}

pub async fn appeal(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    m: Multipart,
) -> Response {
    with_evidence(&st, &s, &id, m, Step::Appeal, "statement").await
}

pub async fn request_relist(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if let Err(r) = signed_form(&s, req).await {
        return r;
    }
    let r = st
        .service
        .case_step(s.actor(), &id, Step::RequestRelist, None, vec![], vec![])
        .await;
    outcome(&st, &s, &id, r).await
}
