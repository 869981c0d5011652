//! The security deposit (保证金, seed 002): its ledger, the payment that opens a
//! fully-managed store, penalties and deductions, and refund requests with their review
//! and payout.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::programs::deposit::Deposit;
use marketdesk_service::programs::deposit_refund::{NewDeduction, Refund};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::views::{MoneyView, instant};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_deposit))
        .routes(routes!(record_payment))
        .routes(routes!(record_penalty))
        .routes(routes!(deduct))
        .routes(routes!(request_refund))
        .routes(routes!(list_refunds))
        .routes(routes!(get_refund))
        .routes(routes!(approve_refund))
        .routes(routes!(reject_refund))
        .routes(routes!(pay_refund))
}

#[derive(Serialize, ToSchema)]
pub struct EntryView {
    pub id: String,
    pub at: String,
    /// freeze, deduction or refund.
    pub kind: String,
    pub amount: MoneyView,
    pub reason: String,
    /// The penalty or violation a deduction settles.
    pub settles: Option<String>,
    pub refund_request_id: Option<String>,
    pub reference: Option<String>,
    pub balance_after: MoneyView,
}

#[derive(Serialize, ToSchema)]
pub struct PenaltyView {
    pub id: String,
    pub amount: MoneyView,
    pub reason: String,
    pub violation_id: Option<String>,
    pub created_at: String,
    pub settled_at: Option<String>,
    pub settled_by_entry: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = DepositRefundView)]
pub struct RefundView {
    pub id: String,
    pub store_id: String,
    /// under_review, approved, paid or rejected.
    pub state: String,
    pub reason: String,
    /// What the seller asked for.
    pub amount: MoneyView,
    pub requested_at: String,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
    /// What the approval deducted first.
    pub deducted: Option<MoneyView>,
    /// What is paid back.
    pub refund_amount: Option<MoneyView>,
    /// 5 business days after approval, on the store's site calendar.
    pub due_at: Option<String>,
    pub paid_at: Option<String>,
    pub payout_reference: Option<String>,
    /// Set when the payout ran past its due time.
    pub late_at: Option<String>,
}

impl From<Refund> for RefundView {
    fn from(r: Refund) -> Self {
        RefundView {
            id: r.id,
            store_id: r.store_id,
            state: r.state.as_str().into(),
            reason: r.reason,
            amount: r.amount.into(),
            requested_at: instant(r.requested_at),
            decided_at: r.decided_at.map(instant),
            decision_note: r.decision_note,
            deducted: r.deducted.map(Into::into),
            refund_amount: r.refund_amount.map(Into::into),
            due_at: r.due_at.map(instant),
            paid_at: r.paid_at.map(instant),
            payout_reference: r.payout_reference,
            late_at: r.late_at.map(instant),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DepositView {
    pub store_id: String,
    /// not_required, awaiting_payment, held, refund_requested, refund_approved or refunded.
    pub state: String,
    /// 10,000 CNY for a fully-managed store.
    pub required: MoneyView,
    /// Frozen − deductions − refunds, never below zero.
    pub balance: MoneyView,
    /// Oldest first, each with the balance after it.
    pub ledger: Vec<EntryView>,
    /// What the store owes; unpaid ones stand in the way of a refund.
    pub penalties: Vec<PenaltyView>,
    pub refunds: Vec<RefundView>,
}

impl From<Deposit> for DepositView {
    fn from(d: Deposit) -> Self {
        DepositView {
            store_id: d.store_id,
            state: d.state.as_str().into(),
            required: d.required.into(),
            balance: d.balance.into(),
            ledger: d
                .ledger
                .into_iter()
                .map(|e| EntryView {
                    id: e.id,
                    at: instant(e.at),
                    kind: e.kind.as_str().into(),
                    amount: e.amount.into(),
                    reason: e.reason,
                    settles: e.settles,
                    refund_request_id: e.refund_request_id,
                    reference: e.reference,
                    balance_after: e.balance_after.into(),
                })
                .collect(),
            penalties: d
                .penalties
                .into_iter()
                .map(|p| PenaltyView {
                    id: p.id,
                    amount: p.amount.into(),
                    reason: p.reason,
                    violation_id: p.violation_id,
                    created_at: instant(p.created_at),
                    settled_at: p.settled_at.map(instant),
                    settled_by_entry: p.settled_by_entry,
                })
                .collect(),
            refunds: d.refunds.into_iter().map(Into::into).collect(),
        }
    }
}

/// The store's deposit: state, balance, ledger, penalties and refunds.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/deposit", tag = "programs",
    params(("store_id" = String, Path)),
    responses((status = 200, body = DepositView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_deposit(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<DepositView>> {
    Ok(Json(s.service.deposit(&actor, &store_id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentBody {
    /// Exactly "10000.00" (CNY).
    #[schema(example = "10000.00")]
    pub amount: String,
    /// The payment's reference (1–100 characters).
    pub reference: String,
}

/// Records the deposit as paid and frozen (admins): the store awaiting it opens.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/deposit/payments", tag = "programs",
    params(("store_id" = String, Path)), request_body = PaymentBody,
    responses((status = 201, body = DepositView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Not awaiting a deposit", body = Problem), (status = 422, body = Problem)))]
async fn record_payment(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<PaymentBody>,
) -> ApiResult<(StatusCode, Json<DepositView>)> {
    let d = s
        .service
        .record_deposit_payment(&actor, &store_id, &b.amount, &b.reference)
        .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PenaltyBody {
    /// CNY, above zero.
    pub amount: String,
    pub reason: String,
    pub violation_id: Option<String>,
}

/// Records a penalty the store owes (admins): it blocks a refund until settled.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/penalties", tag = "programs",
    params(("store_id" = String, Path)), request_body = PenaltyBody,
    responses((status = 201, body = DepositView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn record_penalty(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<PenaltyBody>,
) -> ApiResult<(StatusCode, Json<DepositView>)> {
    let d = s
        .service
        .record_penalty(
            &actor,
            &store_id,
            &b.amount,
            &b.reason,
            b.violation_id.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct DeductionBody {
    /// CNY, above zero; a settled penalty is deducted whole, so it may be left out.
    pub amount: Option<String>,
    pub reason: String,
    pub penalty_id: Option<String>,
    pub violation_id: Option<String>,
}

impl From<DeductionBody> for NewDeduction {
    fn from(d: DeductionBody) -> Self {
        NewDeduction {
            amount: d.amount,
            reason: d.reason,
            penalty_id: d.penalty_id,
            violation_id: d.violation_id,
        }
    }
}

/// Deducts from the deposit (admins), settling a penalty or a violation; never below zero.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/deposit/deductions", tag = "programs",
    params(("store_id" = String, Path)), request_body = DeductionBody,
    responses((status = 201, body = DepositView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "More than the balance, or the penalty is settled", body = Problem), (status = 422, body = Problem)))]
async fn deduct(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<DeductionBody>,
) -> ApiResult<(StatusCode, Json<DepositView>)> {
    let d = s
        .service
        .deduct_deposit(
            &actor,
            &store_id,
            b.amount.as_deref(),
            &b.reason,
            b.penalty_id.as_deref(),
            b.violation_id.as_deref(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundBody {
    pub reason: String,
    /// CNY, above zero and at most the balance.
    pub amount: String,
}

/// Asks for the deposit back. Refused (409) with `errors` naming every unmet
/// precondition: open_cases, open_disputes, unfinished_orders, unpaid_debts, refund.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/deposit/refund-requests", tag = "programs",
    params(("store_id" = String, Path)), request_body = RefundBody,
    responses((status = 201, body = RefundView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Preconditions unmet; `errors` names each", body = Problem), (status = 422, body = Problem)))]
async fn request_refund(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<RefundBody>,
) -> ApiResult<(StatusCode, Json<RefundView>)> {
    let r = s
        .service
        .request_deposit_refund(&actor, &store_id, &b.reason, &b.amount)
        .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct RefundParams {
    pub store_id: Option<String>,
}

/// Refund requests, newest first: every store's for staff, the seller's own store's.
#[utoipa::path(get, path = "/api/v1/deposit-refunds", tag = "programs", operation_id = "list_deposit_refunds", params(RefundParams),
    responses((status = 200, body = Vec<RefundView>), (status = 403, body = Problem)))]
async fn list_refunds(
    State(s): State<AppState>,
    Caller(actor): Caller,
    QueryParams(p): QueryParams<RefundParams>,
) -> ApiResult<Json<Vec<RefundView>>> {
    Ok(Json(
        s.service
            .deposit_refunds(&actor, p.store_id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/deposit-refunds/{refund_id}", tag = "programs",
    params(("refund_id" = String, Path)),
    responses((status = 200, body = RefundView), (status = 404, body = Problem)))]
async fn get_refund(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<RefundView>> {
    Ok(Json(s.service.deposit_refund(&actor, &id).await?.into()))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ApproveRefundBody {
    /// Penalty deductions made first (扣除相应部分罚款); at most 20.
    #[serde(default)]
    pub deductions: Vec<DeductionBody>,
    pub note: Option<String>,
}

/// Approves (admins): deductions first, the rest of the asked amount due within 5
/// business days.
#[utoipa::path(post, path = "/api/v1/deposit-refunds/{refund_id}/approval", tag = "programs",
    params(("refund_id" = String, Path)), request_body = ApproveRefundBody,
    responses((status = 200, body = RefundView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Already decided, or deductions exceed the balance", body = Problem), (status = 422, body = Problem)))]
async fn approve_refund(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ApproveRefundBody>,
) -> ApiResult<Json<RefundView>> {
    let deductions: Vec<NewDeduction> = b.deductions.into_iter().map(Into::into).collect();
    Ok(Json(
        s.service
            .approve_deposit_refund(&actor, &id, &deductions, b.note.as_deref())
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectRefundBody {
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/deposit-refunds/{refund_id}/rejection", tag = "programs",
    params(("refund_id" = String, Path)), request_body = RejectRefundBody,
    responses((status = 200, body = RefundView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn reject_refund(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RejectRefundBody>,
) -> ApiResult<Json<RefundView>> {
    Ok(Json(
        s.service
            .reject_deposit_refund(&actor, &id, &b.note)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutBody {
    /// The payout's reference (原路退回).
    pub reference: String,
}

/// Records the payout (admins); a fully-managed store whose balance reaches zero closes.
#[utoipa::path(post, path = "/api/v1/deposit-refunds/{refund_id}/payout", tag = "programs",
    params(("refund_id" = String, Path)), request_body = PayoutBody,
    responses((status = 200, body = RefundView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn pay_refund(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<PayoutBody>,
) -> ApiResult<Json<RefundView>> {
    Ok(Json(
        s.service
            .pay_deposit_refund(&actor, &id, &b.reference)
            .await?
            .into(),
    ))
}
