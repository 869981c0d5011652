//! The platform's side of seed 002: fully-managed applications to review within four
//! business days (the thread, what is missing, the decision, then the deposit that opens
//! the store) and deposit refund requests (approve with a deduction, refuse, pay out).

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::programs::deposit::RefundState;
use marketdesk_service::ServiceError;
use marketdesk_service::programs::deposit_refund::NewDeduction;

use crate::ConsoleState;
use crate::format::zone;
use crate::page::{Chrome, fixable, refusal, render};
use crate::programs_store::{ApplicationRow, RefundRow, application_row, refund_row};
use crate::session::{Signed, signed_form};
use crate::web::see_other;

pub struct RefundLine {
    pub id: String,
    pub store_id: String,
    pub reason: String,
    pub row: RefundRow,
    pub open: bool,
    pub approved: bool,
}

#[derive(Template)]
#[template(path = "admin_programs.html")]
struct ListPage {
    chrome: Chrome,
    applications: Vec<(ApplicationRow, String)>,
    refunds: Vec<RefundLine>,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin_application.html")]
struct ApplicationPage {
    chrome: Chrome,
    a: ApplicationRow,
    store_id: String,
    registration: String,
    email: String,
    documents: Vec<String>,
    awaiting_deposit: bool,
    errors: Vec<String>,
}

/// Staff read times in UTC: applications come from every site.
fn utc() -> jiff::tz::TimeZone {
    zone("UTC")
}

async fn list_page(
    st: &ConsoleState,
    s: &Signed,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let apps = st
            .service
            .fully_managed_applications(s.actor(), None, None)
            .await?;
        let refunds = st.service.deposit_refunds(s.actor(), None).await?;
        Ok::<_, ServiceError>((apps, refunds))
    };
    let (apps, refunds) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let tz = utc();
    let view = ListPage {
        applications: apps
            .into_iter()
            .map(|a| {
                let store = a.store_id.clone();
                (application_row(&chrome, a, &tz), store)
            })
            .collect(),
        refunds: refunds
            .into_iter()
            .map(|r| RefundLine {
                id: r.id.clone(),
                store_id: r.store_id.clone(),
                reason: r.reason.clone(),
                open: r.state == RefundState::UnderReview,
                approved: r.state == RefundState::Approved,
                row: refund_row(&chrome, r, &tz),
            })
            .collect(),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn list(State(st): State<ConsoleState>, s: Signed) -> Response {
    list_page(&st, &s, StatusCode::OK, vec![]).await
}

async fn application_page(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    let chrome = s.chrome.clone();
    let a = match st.service.fully_managed_application(s.actor(), id).await {
        Ok(a) => a,
        Err(e) => return refusal(chrome, e),
    };
    let awaiting_deposit = match &a.managed_store_id {
        Some(m) => st
            .service
            .store(s.actor(), m)
            .await
            .map(|x| {
                x.program_state
                    == Some(marketdesk_core::programs::fully_managed::ProgramState::AwaitingDeposit)
            })
            .unwrap_or(false),
        None => false,
    };
    let view = ApplicationPage {
        store_id: a.store_id.clone(),
        registration: a.registration_number.clone(),
        email: a.contact_email.clone(),
        documents: a.document_ids.clone(),
        a: application_row(&chrome, a, &utc()),
        awaiting_deposit,
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    application_page(&st, &s, &id, StatusCode::OK, vec![]).await
}

/// Runs one staff form about an application and shows the application again.
async fn on_application<T>(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    r: Result<T, ServiceError>,
) -> Response {
    match r.map_err(fixable) {
        Ok(_) => see_other(&format!("/admin/programs/applications/{id}")),
        Err(Ok((status, lines))) => application_page(st, s, id, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub async fn reply(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let missing: Vec<String> = f
        .get("missing")
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let r = st
        .service
        .application_message(
            s.actor(),
            &id,
            f.get("body").unwrap_or(""),
            &[],
            Some(missing),
        )
        .await;
    on_application(&st, &s, &id, r).await
}

pub async fn decide(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let approve = f.get("decision") == Some("approve");
    let r = st
        .service
        .decide_application(s.actor(), &id, approve, f.get("note"))
        .await;
    on_application(&st, &s, &id, r).await
}

pub async fn deposit_paid(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    // The store is the application's, whatever the form says.
    let r = async {
        let a = st.service.fully_managed_application(s.actor(), &id).await?;
        let store = a
            .managed_store_id
            .ok_or_else(|| ServiceError::conflict("the application has opened no store yet"))?;
        st.service
            .record_deposit_payment(
                s.actor(),
                &store,
                f.get("amount").unwrap_or(""),
                f.get("reference").unwrap_or(""),
            )
            .await
    }
    .await;
    on_application(&st, &s, &id, r).await
}

pub async fn refund_step(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = match f.get("step") {
        Some("approve") => {
            let amount = f.text("deduction_amount").filter(|a| !a.trim().is_empty());
            let deductions: Vec<NewDeduction> = match amount {
                Some(a) => vec![NewDeduction {
                    amount: Some(a),
                    reason: f.get("deduction_reason").unwrap_or("").into(),
                    ..NewDeduction::default()
                }],
                None => Vec::new(),
            };
            st.service
                .approve_deposit_refund(s.actor(), &id, &deductions, f.get("note"))
                .await
        }
        Some("reject") => {
            st.service
                .reject_deposit_refund(s.actor(), &id, f.get("note").unwrap_or(""))
                .await
        }
        Some("payout") => {
            st.service
                .pay_deposit_refund(s.actor(), &id, f.get("reference").unwrap_or(""))
                .await
        }
        _ => Err(marketdesk_core::Invalid::one("step", "approve, reject or payout").into()),
    };
    match r.map_err(fixable) {
        Ok(_) => see_other("/admin/programs"),
        Err(Ok((status, lines))) => list_page(&st, &s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
