//! A seller's side of seed 002: applying for a fully-managed store and asking the
//! platform on the application's thread ("查询审核进度 … 咨询解决方案"), a fully-managed
//! store's place in the program, and the security deposit with its refund request.

use askama::Template;
use axum::extract::{Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::FulfilmentMode;
use marketdesk_service::ServiceError;
use marketdesk_service::programs::fully_managed::{Application, NewApplication};

use crate::ConsoleState;
use crate::evidence_form::{Unsigned, signed_multipart, upload_all};
use crate::format::local;
use crate::page::{Chrome, fixable, forged, refusal, render};
use crate::products::store_zone;
use crate::session::{Signed, signed_form};
use crate::web::see_other;

pub struct ApplicationRow {
    pub id: String,
    pub company: String,
    pub state: &'static str,
    pub under_review: bool,
    pub due: String,
    pub late: bool,
    pub missing: Vec<String>,
    pub note: String,
    pub managed_store_id: String,
    pub messages: Vec<(String, &'static str, String, usize)>,
}

pub struct Standing {
    pub state: &'static str,
    pub counted: i64,
    pub cap: i64,
    pub jit_overdue: i64,
}

#[derive(Template)]
#[template(path = "programs_fully_managed.html")]
struct FullyManagedPage {
    chrome: Chrome,
    self_operated: bool,
    applications: Vec<ApplicationRow>,
    may_apply: bool,
    standing: Option<Standing>,
    errors: Vec<String>,
}

pub(crate) fn application_row(
    chrome: &Chrome,
    a: Application,
    tz: &jiff::tz::TimeZone,
) -> ApplicationRow {
    ApplicationRow {
        state: chrome.t(&format!("fm.state.{}", a.state.as_str())),
        under_review: a.state
            == marketdesk_core::programs::fully_managed::ApplicationState::UnderReview,
        due: local(a.review_due_at, tz),
        late: a.review_late_at.is_some(),
        missing: a.missing,
        note: a.decision_note.unwrap_or_default(),
        managed_store_id: a.managed_store_id.unwrap_or_default(),
        messages: a
            .messages
            .into_iter()
            .map(|m| {
                let who = if m.author_role == "seller" {
                    chrome.t("fm.from_seller")
                } else {
                    chrome.t("fm.from_platform")
                };
                (local(m.at, tz), who, m.body, m.evidence_ids.len())
            })
            .collect(),
        company: a.company_name,
        id: a.id,
    }
}

async fn fm_page(
    st: &ConsoleState,
    s: &Signed,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let (store_id, tz) = store_zone(s)?;
        let store = st.service.store(s.actor(), &store_id).await?;
        let self_operated = store.fulfilment_mode == FulfilmentMode::SelfOperated.as_str();
        let mut applications = Vec::new();
        let mut standing = None;
        if self_operated {
            for a in st
                .service
                .fully_managed_applications(s.actor(), Some(store_id.clone()), None)
                .await?
            {
                applications.push(
                    st.service
                        .fully_managed_application(s.actor(), &a.id)
                        .await?,
                );
            }
        } else if store.fulfilment_mode == FulfilmentMode::FullyManaged.as_str() {
            standing = Some(st.service.program_standing(s.actor(), &store_id).await?);
        }
        Ok::<_, ServiceError>((self_operated, applications, standing, tz))
    };
    let (self_operated, applications, standing, tz) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let may_apply = self_operated && !applications.iter().any(|a| a.state.blocks_another());
    let view = FullyManagedPage {
        standing: standing.map(|p| Standing {
            state: chrome.t(&format!("fm.program.{}", p.program_state.as_str())),
            counted: p.products_counted,
            cap: p.product_cap,
            jit_overdue: p.jit_overdue_orders,
        }),
        applications: applications
            .into_iter()
            .map(|a| application_row(&chrome, a, &tz))
            .collect(),
        self_operated,
        may_apply,
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn fully_managed(State(st): State<ConsoleState>, s: Signed) -> Response {
    fm_page(&st, &s, StatusCode::OK, vec![]).await
}

/// The application form: multipart, for its documents.
pub async fn apply(State(st): State<ConsoleState>, s: Signed, m: Multipart) -> Response {
    let (f, files) = match signed_multipart(&s, m).await {
        Ok(v) => v,
        Err(Unsigned::Unreadable(e)) => {
            return fm_page(&st, &s, StatusCode::BAD_REQUEST, vec![e]).await;
        }
        Err(Unsigned::Forged) => return forged(s.chrome.clone()),
    };
    let store_id = s.actor().store_id.clone().unwrap_or_default();
    let r = async {
        let document_ids = upload_all(&st, &s, files).await?;
        let new = NewApplication {
            company_name: f.get("company_name").unwrap_or("").into(),
            registration_number: f.get("registration_number").unwrap_or("").into(),
            entity: f.get("entity").unwrap_or("").into(),
            contact_email: f.get("contact_email").unwrap_or("").into(),
            document_ids,
        };
        st.service
            .apply_fully_managed(s.actor(), &store_id, new)
            .await
    };
    match r.await.map_err(fixable) {
        Ok(_) => see_other("/programs/fully-managed"),
        Err(Ok((status, lines))) => fm_page(&st, &s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

/// A message on the application's thread, with attachments.
pub async fn message(
    State(st): State<ConsoleState>,
    s: Signed,
    axum::extract::Path(id): axum::extract::Path<String>,
    m: Multipart,
) -> Response {
    let (f, files) = match signed_multipart(&s, m).await {
        Ok(v) => v,
        Err(Unsigned::Unreadable(e)) => {
            return fm_page(&st, &s, StatusCode::BAD_REQUEST, vec![e]).await;
        }
        Err(Unsigned::Forged) => return forged(s.chrome.clone()),
    };
    let r = async {
        let ids = upload_all(&st, &s, files).await?;
        st.service
            .application_message(s.actor(), &id, f.get("body").unwrap_or(""), &ids, None)
            .await
    };
    match r.await.map_err(fixable) {
        Ok(_) => see_other("/programs/fully-managed"),
        Err(Ok((status, lines))) => fm_page(&st, &s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub struct LedgerRow {
    pub at: String,
    pub kind: &'static str,
    pub amount: String,
    pub reason: String,
    pub balance: String,
}

pub struct RefundRow {
    pub asked: String,
    pub state: &'static str,
    pub deducted: String,
    pub refund: String,
    pub due: String,
    pub late: bool,
    pub reference: String,
}

#[derive(Template)]
#[template(path = "programs_deposit.html")]
struct DepositPage {
    chrome: Chrome,
    state: &'static str,
    required: String,
    balance: String,
    held: bool,
    ledger: Vec<LedgerRow>,
    penalties: Vec<(String, String, bool)>,
    refunds: Vec<RefundRow>,
    errors: Vec<String>,
}

pub(crate) fn refund_row(
    chrome: &Chrome,
    r: marketdesk_service::programs::deposit_refund::Refund,
    tz: &jiff::tz::TimeZone,
) -> RefundRow {
    RefundRow {
        asked: r.amount.to_string(),
        state: chrome.t(&format!("deposit.refund_state.{}", r.state.as_str())),
        deducted: r.deducted.map(|m| m.to_string()).unwrap_or_default(),
        refund: r.refund_amount.map(|m| m.to_string()).unwrap_or_default(),
        due: r.due_at.map(|d| local(d, tz)).unwrap_or_default(),
        late: r.late_at.is_some(),
        reference: r.payout_reference.unwrap_or_default(),
    }
}

async fn deposit_page(
    st: &ConsoleState,
    s: &Signed,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let (store_id, tz) = store_zone(s)?;
        Ok::<_, ServiceError>((st.service.deposit(s.actor(), &store_id).await?, tz))
    };
    let (d, tz) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let view = DepositPage {
        state: chrome.t(&format!("deposit.state.{}", d.state.as_str())),
        required: d.required.to_string(),
        held: d.state == marketdesk_core::programs::deposit::DepositState::Held,
        balance: d.balance.to_string(),
        ledger: d
            .ledger
            .into_iter()
            .map(|e| LedgerRow {
                at: local(e.at, &tz),
                kind: chrome.t(&format!("deposit.kind.{}", e.kind.as_str())),
                amount: e.amount.to_string(),
                reason: e.reason,
                balance: e.balance_after.to_string(),
            })
            .collect(),
        penalties: d
            .penalties
            .into_iter()
            .map(|p| (p.reason, p.amount.to_string(), p.settled_at.is_some()))
            .collect(),
        refunds: d
            .refunds
            .into_iter()
            .map(|r| refund_row(&chrome, r, &tz))
            .collect(),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn deposit(State(st): State<ConsoleState>, s: Signed) -> Response {
    deposit_page(&st, &s, StatusCode::OK, vec![]).await
}

pub async fn refund(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let store_id = s.actor().store_id.clone().unwrap_or_default();
    let r = st
        .service
        .request_deposit_refund(
            s.actor(),
            &store_id,
            f.get("reason").unwrap_or(""),
            f.get("amount").unwrap_or(""),
        )
        .await;
    match r.map_err(fixable) {
        Ok(_) => see_other("/programs/deposit"),
        Err(Ok((status, lines))) => deposit_page(&st, &s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
