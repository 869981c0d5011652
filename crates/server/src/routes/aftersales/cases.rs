//! After-sales cases (售后单): open, list, decide, labels, the platform's steps, negotiated refunds.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use marketdesk_core::aftersales::{CaseType, PlatformStep};
use marketdesk_service::aftersales::cases::{
    CaseQuery, CaseView, Decision, NegotiatedRefund, NewCase, RefundQuery,
};
use marketdesk_service::records::AftersalesCase;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::money;
use crate::AppState;
use crate::csv_export;
use crate::extract::{Caller, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::views::{MoneyView, instant};

#[derive(Serialize, ToSchema)]
pub struct RefundView {
    pub id: String,
    pub order_line_id: String,
    pub amount: MoneyView,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseDetailView {
    pub id: String,
    pub store_id: String,
    pub order_id: String,
    pub order_line_id: Option<String>,
    /// Every order line the case covers (several for a return of several lines; none for
    /// a cancellation, which covers the order). In a case's own view, not in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_line_ids: Option<Vec<String>>,
    /// return_refund, refund_only, cancellation, missing_parts, not_received, negotiated.
    #[serde(rename = "type")]
    pub case_type: String,
    /// awaiting_seller, awaiting_label, awaiting_return, returned, refunded, rejected, cancelled.
    pub state: String,
    pub reason: String,
    pub quantity: Option<i64>,
    pub requested: MoneyView,
    pub refunded: Option<MoneyView>,
    /// The refund-only policy that settled it, if one did.
    pub policy_id: Option<String>,
    /// seller, timeout, policy, label_timeout, invalid_label, ticket_timeout.
    pub decided_by: Option<String>,
    /// What the buyer side is told about a negotiated refund.
    pub buyer_note: Option<String>,
    pub due_at: Option<String>,
    /// platform (label bought by the platform), seller (uploaded by the seller), buyer.
    pub label_mode: Option<String>,
    pub label_due_at: Option<String>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub label_file_id: Option<String>,
    pub warehouse_id: Option<String>,
    pub evidence_ids: Vec<String>,
    pub note: String,
    pub created_at: String,
    pub updated_at: String,
    pub refunds: Vec<RefundView>,
}

fn case_view(k: AftersalesCase, refunds: Vec<RefundView>) -> CaseDetailView {
    CaseDetailView {
        buyer_note: (k.case_type == CaseType::Negotiated)
            .then(|| "Refund agreed with the buyer".to_string()),
        requested: money(&k.requested_amount, &k.currency),
        refunded: k.refund_amount.as_deref().map(|a| money(a, &k.currency)),
        id: k.id,
        store_id: k.store_id,
        order_id: k.order_id,
        order_line_id: k.order_line_id,
        order_line_ids: None,
        case_type: k.case_type.as_str().into(),
        state: k.state.as_str().into(),
        reason: k.reason,
        quantity: k.quantity,
        policy_id: k.policy_id,
        decided_by: k.decided_by.map(|d| d.as_str().into()),
        due_at: k.due_at.map(instant),
        label_mode: k.label_mode.map(|m| m.as_str().into()),
        label_due_at: k.label_due_at.map(instant),
        carrier: k.carrier,
        tracking_number: k.tracking_number,
        label_file_id: k.label_file_id,
        warehouse_id: k.warehouse_id,
        evidence_ids: k.evidence_ids,
        note: k.note,
        created_at: instant(k.created_at),
        updated_at: instant(k.updated_at),
        refunds,
    }
}

impl From<CaseView> for CaseDetailView {
    fn from(v: CaseView) -> Self {
        let refunds = v
            .refunds
            .into_iter()
            .map(|r| RefundView {
                id: r.id,
                order_line_id: r.order_line_id,
                amount: money(&r.amount, &r.currency),
                created_at: instant(r.created_at),
            })
            .collect();
        let mut view = case_view(v.case, refunds);
        view.order_line_ids = Some(v.line_ids);
        view
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseBody {
    pub order_id: String,
    #[serde(rename = "type")]
    pub case_type: String,
    pub order_line_id: Option<String>,
    /// A return of several lines of the order, each taken back whole and routed together
    /// (instead of `order_line_id`; `type` return_refund only).
    #[serde(default)]
    pub order_line_ids: Vec<String>,
    pub reason: String,
    pub quantity: Option<i64>,
    /// Decimal string in the order's currency.
    pub amount: Option<String>,
    #[serde(default)]
    pub oversize: bool,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/aftersales", tag = "after-sales", request_body = CaseBody,
    responses((status = 201, body = CaseDetailView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn open_case(
    State(s): State<AppState>,
    Caller(a): Caller,
    JsonBody(b): JsonBody<CaseBody>,
) -> ApiResult<(StatusCode, Json<CaseDetailView>)> {
    let v = s
        .service
        .open_case(
            &a,
            NewCase {
                order_id: b.order_id,
                case_type: b.case_type,
                order_line_id: b.order_line_id,
                order_line_ids: b.order_line_ids,
                reason: b.reason,
                quantity: b.quantity,
                amount: b.amount,
                oversize: b.oversize,
                evidence_ids: b.evidence_ids,
                note: b.note,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct CaseParams {
    store_id: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    case_type: Option<String>,
    state: Option<String>,
    order_id: Option<String>,
    /// RFC 3339: cases whose decision or label deadline is before this instant.
    due_before: Option<String>,
    cursor: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CasePageView {
    pub items: Vec<CaseDetailView>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/aftersales", tag = "after-sales", params(CaseParams), responses((status = 200, body = CasePageView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn list_cases(
    State(s): State<AppState>,
    Caller(a): Caller,
    headers: axum::http::HeaderMap,
    q: Result<Query<CaseParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::response::Response> {
    let Query(q) = q?;
    let query = CaseQuery {
        store_id: q.store_id,
        case_type: q.case_type,
        state: q.state,
        order_id: q.order_id,
        due_before: q.due_before,
        cursor: q.cursor,
        limit: q.limit,
    };
    if csv_export::wants_csv(&headers) {
        let service = s.service.clone();
        return csv_export::paged(
            "aftersales.csv",
            csv_export::CASE_COLUMNS,
            csv_export::case_row,
            move |cursor| {
                let (service, a) = (service.clone(), a.clone());
                let q = CaseQuery {
                    cursor,
                    limit: Some(200),
                    ..query.clone()
                };
                async move { service.cases(&a, q).await }
            },
        )
        .await;
    }
    let (rows, next_cursor) = s.service.cases(&a, query).await?;
    Ok(Json(CasePageView {
        items: rows.into_iter().map(|k| case_view(k, Vec::new())).collect(),
        next_cursor,
    })
    .into_response())
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct RefundParams {
    /// Platform staff only; a seller's list is its own store's.
    store_id: Option<String>,
    order_id: Option<String>,
    cursor: Option<String>,
    /// 1 to 200, default 50.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RefundPageView {
    pub items: Vec<RefundView>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/refunds", tag = "after-sales", params(RefundParams),
    responses((status = 200, description = "Newest first, as JSON or (`Accept: text/csv`) as CSV, streamed",
        content((RefundPageView = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn list_refunds(
    State(s): State<AppState>,
    Caller(a): Caller,
    headers: axum::http::HeaderMap,
    QueryParams(p): QueryParams<RefundParams>,
) -> ApiResult<axum::response::Response> {
    let query = RefundQuery {
        store_id: p.store_id,
        order_id: p.order_id,
        cursor: p.cursor,
        limit: crate::extract::whole_number("limit", p.limit.as_deref())?,
    };
    if csv_export::wants_csv(&headers) {
        let service = s.service.clone();
        return csv_export::paged(
            "refunds.csv",
            csv_export::REFUND_COLUMNS,
            csv_export::refund_row,
            move |cursor| {
                let (service, a) = (service.clone(), a.clone());
                let q = RefundQuery {
                    cursor,
                    limit: Some(200),
                    ..query.clone()
                };
                async move { service.refunds(&a, q).await }
            },
        )
        .await;
    }
    let (rows, next_cursor) = s.service.refunds(&a, query).await?;
    Ok(Json(RefundPageView {
        items: rows
            .into_iter()
            .map(|r| RefundView {
                id: r.id,
                order_line_id: r.order_line_id,
                amount: money(&r.amount, &r.currency),
                created_at: instant(r.created_at),
            })
            .collect(),
        next_cursor,
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/v1/aftersales/{id}", tag = "after-sales", params(("id" = String, Path)), responses((status = 200, body = CaseDetailView), (status = 404, body = Problem)))]
pub(super) async fn get_case(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetailView>> {
    Ok(Json(s.service.case(&a, &id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub approve: bool,
    /// Approve part of the line: a quantity, or an amount (decimal string).
    pub quantity: Option<i64>,
    pub amount: Option<String>,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/aftersales/{id}/decision", tag = "after-sales", params(("id" = String, Path)), request_body = DecisionBody,
    responses((status = 200, body = CaseDetailView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn decide_case(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DecisionBody>,
) -> ApiResult<Json<CaseDetailView>> {
    let v = s
        .service
        .decide_case(
            &a,
            &id,
            Decision {
                approve: b.approve,
                quantity: b.quantity,
                amount: b.amount,
                evidence_ids: b.evidence_ids,
                note: b.note,
            },
        )
        .await?;
    Ok(Json(v.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelBody {
    pub carrier: String,
    pub tracking_number: String,
    /// An uploaded PDF (POST /api/v1/evidence).
    pub file_id: String,
}

#[utoipa::path(post, path = "/api/v1/aftersales/{id}/label", tag = "after-sales", params(("id" = String, Path)), request_body = LabelBody,
    responses((status = 200, body = CaseDetailView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn upload_label(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<LabelBody>,
) -> ApiResult<Json<CaseDetailView>> {
    Ok(Json(
        s.service
            .upload_label(&a, &id, &b.carrier, &b.tracking_number, &b.file_id)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/aftersales/{id}/received", tag = "after-sales", params(("id" = String, Path)),
    responses((status = 200, body = CaseDetailView), (status = 409, body = Problem)))]
pub(super) async fn case_received(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetailView>> {
    Ok(Json(
        s.service
            .case_platform_step(&a, &id, PlatformStep::Received)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/aftersales/{id}/label-invalid", tag = "after-sales", params(("id" = String, Path)),
    responses((status = 200, body = CaseDetailView), (status = 409, body = Problem)))]
pub(super) async fn case_label_invalid(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetailView>> {
    Ok(Json(
        s.service
            .case_platform_step(&a, &id, PlatformStep::LabelInvalid)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/aftersales/{id}/cancel", tag = "after-sales", params(("id" = String, Path)),
    responses((status = 200, body = CaseDetailView), (status = 409, body = Problem)))]
pub(super) async fn case_cancel(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetailView>> {
    Ok(Json(
        s.service
            .case_platform_step(&a, &id, PlatformStep::Cancel)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NegotiatedBody {
    pub order_id: String,
    pub order_line_id: String,
    pub quantity: Option<i64>,
    pub amount: Option<String>,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
    #[serde(default)]
    pub note: String,
    /// false (default): answer the preview, change nothing; true: refund.
    #[serde(default)]
    pub confirm: bool,
}

#[utoipa::path(post, path = "/api/v1/stores/{store_id}/negotiated-refunds", tag = "after-sales", params(("store_id" = String, Path)), request_body = NegotiatedBody,
    responses((status = 200, description = "Preview: confirm to refund", body = CaseDetailView), (status = 201, body = CaseDetailView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn negotiated_refund(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<NegotiatedBody>,
) -> ApiResult<(StatusCode, Json<CaseDetailView>)> {
    let (done, v) = s
        .service
        .negotiated_refund(
            &a,
            &store_id,
            NegotiatedRefund {
                order_id: b.order_id,
                order_line_id: b.order_line_id,
                quantity: b.quantity,
                amount: b.amount,
                evidence_ids: b.evidence_ids,
                note: b.note,
                confirm: b.confirm,
            },
        )
        .await?;
    let status = if done {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(v.into())))
}
