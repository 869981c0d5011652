//! One after-sales case (售后单): what the buyer asked for, the amounts, the due time in
//! the site's zone, the refunds made, and — while the seller may decide it — the decision
//! form: approve in full, approve part (by quantity or by amount), or refuse, with evidence.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::aftersales::{CaseType, seller_may_decide};
use marketdesk_service::ServiceError;
use marketdesk_service::aftersales::cases::{CaseView, Decision};

use crate::ConsoleState;
use crate::evidence_form::{Unsigned, signed_multipart, upload_all};
use crate::format::local;
use crate::page::{Chrome, fixable, forged, refusal, render};
use crate::products::store_zone;
use crate::session::Signed;
use crate::web::see_other;

pub struct RefundLine {
    pub at: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "aftersales_case.html")]
struct CasePage {
    chrome: Chrome,
    id: String,
    kind: &'static str,
    state: &'static str,
    order_id: String,
    reason: String,
    quantity: String,
    requested: String,
    refunded: String,
    due: String,
    opened: String,
    tracking: String,
    note: String,
    evidence: Vec<String>,
    refunds: Vec<RefundLine>,
    may_decide: bool,
    refusal_needs_evidence: bool,
    partial: bool,
    errors: Vec<String>,
}

async fn page(
    st: &ConsoleState,
    s: &Signed,
    id: &str,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let (_, tz) = store_zone(s)?;
        let v: CaseView = st.service.case(s.actor(), id).await?;
        Ok::<_, ServiceError>((v, tz))
    };
    let (v, tz) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let c = &v.case;
    let money = |a: &str| format!("{a} {}", c.currency);
    let view = CasePage {
        id: c.id.clone(),
        kind: chrome.t(&format!("case_type.{}", c.case_type.as_str())),
        state: chrome.t(&format!("case_state.{}", c.state.as_str())),
        order_id: c.order_id.clone(),
        reason: c.reason.clone(),
        quantity: c.quantity.map(|q| q.to_string()).unwrap_or_default(),
        requested: money(&c.requested_amount),
        refunded: c.refund_amount.as_deref().map(money).unwrap_or_default(),
        due: c.due_at.map(|d| local(d, &tz)).unwrap_or_default(),
        opened: local(c.created_at, &tz),
        tracking: match (&c.carrier, &c.tracking_number) {
            (Some(carrier), Some(n)) => format!("{carrier} {n}"),
            (None, Some(n)) => n.clone(),
            _ => String::new(),
        },
        note: c.note.clone(),
        evidence: c.evidence_ids.clone(),
        refunds: v
            .refunds
            .iter()
            .map(|r| RefundLine {
                at: local(r.created_at, &tz),
                amount: money(&r.amount),
            })
            .collect(),
        may_decide: s.chrome.is_seller() && seller_may_decide(c.case_type, c.state).is_ok(),
        refusal_needs_evidence: CaseType::rejection_needs_evidence(c.case_type),
        partial: c
            .case_type
            .partial_refund_possible(c.order_line_id.is_some()),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    page(&st, &s, &id, StatusCode::OK, vec![]).await
}

/// The decision form: multipart, for its evidence files.
pub async fn decide(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    m: Multipart,
) -> Response {
    let (f, files) = match signed_multipart(&s, m).await {
        Ok(v) => v,
        Err(Unsigned::Unreadable(e)) => {
            return page(&st, &s, &id, StatusCode::BAD_REQUEST, vec![e]).await;
        }
        Err(Unsigned::Forged) => return forged(s.chrome.clone()),
    };
    let approve = match f.get("decision") {
        Some("approve") => true,
        Some("reject") => false,
        _ => {
            let line = format!("decision: {}", s.chrome.t("case.choose_decision"));
            return page(&st, &s, &id, StatusCode::UNPROCESSABLE_ENTITY, vec![line]).await;
        }
    };
    let quantity = match f.text("quantity").map(|q| q.parse::<i64>()) {
        None => None,
        Some(Ok(q)) => Some(q),
        Some(Err(_)) => {
            let line = format!("quantity: {}", s.chrome.t("case.whole_number"));
            return page(&st, &s, &id, StatusCode::UNPROCESSABLE_ENTITY, vec![line]).await;
        }
    };
    let evidence_ids = match upload_all(&st, &s, files).await {
        Ok(ids) => ids,
        Err(e) => return outcome(&st, &s, &id, Err(e)).await,
    };
    let d = Decision {
        approve,
        quantity,
        amount: f.text("amount"),
        evidence_ids,
        note: f.text("note").unwrap_or_default(),
    };
    let r = st.service.decide_case(s.actor(), &id, d).await;
    outcome(&st, &s, &id, r.map(|_| ())).await
}

async fn outcome(st: &ConsoleState, s: &Signed, id: &str, r: Result<(), ServiceError>) -> Response {
    match r.map_err(fixable) {
        Ok(()) => see_other(&format!("/aftersales/cases/{id}")),
        Err(Ok((status, lines))) => page(st, s, id, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
