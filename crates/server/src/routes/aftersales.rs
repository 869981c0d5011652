//! After-sales: tickets, cases, negotiated refunds, settings and refund-only policies,
//! return warehouses, reshipments.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use marketdesk_service::aftersales::cases::{
    CaseQuery, CaseView, Decision, NegotiatedRefund, NewCase,
};
use marketdesk_service::aftersales::settings::{NewPolicy, SettingsInput};
use marketdesk_service::aftersales::tickets::{NewTicket, Reply, TicketView};
use marketdesk_service::aftersales::warehouses::WarehouseInput;
use marketdesk_store::aftersales::{
    CaseRow, PolicyRow, ReshipmentRow, SettingsRow, TicketRow, WarehouseRow,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::{MoneyView, instant};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_ticket, list_tickets))
        .routes(routes!(get_ticket))
        .routes(routes!(reply_ticket))
        .routes(routes!(open_case, list_cases))
        .routes(routes!(get_case))
        .routes(routes!(decide_case))
        .routes(routes!(upload_label))
        .routes(routes!(case_received))
        .routes(routes!(case_label_invalid))
        .routes(routes!(case_cancel))
        .routes(routes!(negotiated_refund))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(list_policies, create_policy))
        .routes(routes!(delete_policy))
        .routes(routes!(list_warehouses, create_warehouse))
        .routes(routes!(update_warehouse, delete_warehouse))
        .routes(routes!(associate_products))
        .routes(routes!(request_reshipment))
        .routes(routes!(get_reshipment))
        .routes(routes!(decide_reshipment))
}

fn money(amount: &str, currency: &str) -> MoneyView {
    MoneyView {
        amount: amount.into(),
        currency: currency.into(),
    }
}

fn ids(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

// --- tickets ------------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct TicketMessageView {
    pub id: String,
    pub author_id: String,
    pub author_role: String,
    pub body: String,
    pub evidence_ids: Vec<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct TicketDetailView {
    pub id: String,
    pub store_id: String,
    pub order_id: String,
    pub order_line_id: Option<String>,
    /// wrong_item, urge_shipment, tracking_stalled, delivered_not_received, reshipment, product_question.
    pub kind: String,
    /// awaiting_seller, answered, or waived (not answered in time: evidence waived).
    pub state: String,
    /// What runs when the seller does not answer in time: none or full_refund.
    pub on_timeout: String,
    pub due_at: String,
    pub answered_at: Option<String>,
    /// Reshipment tickets: visible for 48 hours, then null.
    pub buyer_address: Option<String>,
    pub address_visible_until: Option<String>,
    pub reshipment_agreed: Option<bool>,
    pub tracking_number: Option<String>,
    pub created_at: String,
    pub messages: Vec<TicketMessageView>,
}

fn ticket_summary(t: &TicketRow) -> TicketDetailView {
    TicketDetailView {
        id: t.id.clone(),
        store_id: t.store_id.clone(),
        order_id: t.order_id.clone(),
        order_line_id: t.order_line_id.clone(),
        kind: t.kind.clone(),
        state: t.state.clone(),
        on_timeout: t.on_timeout.clone(),
        due_at: instant(t.due_at),
        answered_at: t.answered_at.map(instant),
        buyer_address: None,
        address_visible_until: t.address_visible_until.map(instant),
        reshipment_agreed: t.reshipment_agreed.map(|v| v != 0),
        tracking_number: t.tracking_number.clone(),
        created_at: instant(t.created_at),
        messages: Vec::new(),
    }
}

impl From<TicketView> for TicketDetailView {
    fn from(v: TicketView) -> Self {
        let mut out = ticket_summary(&v.ticket);
        out.buyer_address = v.buyer_address;
        out.messages = v
            .messages
            .into_iter()
            .map(|m| TicketMessageView {
                id: m.id,
                author_id: m.author_id,
                author_role: m.author_role,
                body: m.body,
                evidence_ids: ids(&m.evidence_ids),
                created_at: instant(m.created_at),
            })
            .collect();
        out
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketBody {
    pub order_id: String,
    pub order_line_id: Option<String>,
    pub kind: String,
    pub body: String,
    pub buyer_address: Option<String>,
    /// none or full_refund (the default when order_line_id is given).
    pub on_timeout: Option<String>,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/tickets", tag = "after-sales", request_body = TicketBody,
    responses((status = 201, body = TicketDetailView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn open_ticket(
    State(s): State<AppState>,
    Caller(a): Caller,
    JsonBody(b): JsonBody<TicketBody>,
) -> ApiResult<(StatusCode, Json<TicketDetailView>)> {
    let t = s
        .service
        .open_ticket(
            &a,
            NewTicket {
                order_id: b.order_id,
                order_line_id: b.order_line_id,
                kind: b.kind,
                body: b.body,
                buyer_address: b.buyer_address,
                on_timeout: b.on_timeout,
                evidence_ids: b.evidence_ids,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct TicketParams {
    store_id: Option<String>,
    state: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tickets", tag = "after-sales", params(TicketParams), responses((status = 200, body = Vec<TicketDetailView>), (status = 422, body = Problem)))]
async fn list_tickets(
    State(s): State<AppState>,
    Caller(a): Caller,
    q: Result<Query<TicketParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Vec<TicketDetailView>>> {
    let Query(q) = q?;
    let rows = s
        .service
        .tickets(&a, q.store_id.as_deref(), q.state.as_deref())
        .await?;
    Ok(Json(rows.iter().map(ticket_summary).collect()))
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "after-sales", params(("id" = String, Path)), responses((status = 200, body = TicketDetailView), (status = 404, body = Problem)))]
async fn get_ticket(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TicketDetailView>> {
    Ok(Json(s.service.ticket(&a, &id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    pub body: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
    pub reshipment_agreed: Option<bool>,
    pub tracking_number: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/tickets/{id}/messages", tag = "after-sales", params(("id" = String, Path)), request_body = ReplyBody,
    responses((status = 201, body = TicketDetailView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn reply_ticket(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ReplyBody>,
) -> ApiResult<(StatusCode, Json<TicketDetailView>)> {
    let t = s
        .service
        .reply_ticket(
            &a,
            &id,
            Reply {
                body: b.body,
                evidence_ids: b.evidence_ids,
                reshipment_agreed: b.reshipment_agreed,
                tracking_number: b.tracking_number,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

// --- cases --------------------------------------------------------------------------------

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

fn case_view(k: CaseRow, refunds: Vec<RefundView>) -> CaseDetailView {
    CaseDetailView {
        buyer_note: (k.case_type == "negotiated")
            .then(|| "Refund agreed with the buyer".to_string()),
        requested: money(&k.requested_amount, &k.currency),
        refunded: k.refund_amount.as_deref().map(|a| money(a, &k.currency)),
        id: k.id,
        store_id: k.store_id,
        order_id: k.order_id,
        order_line_id: k.order_line_id,
        case_type: k.case_type,
        state: k.state,
        reason: k.reason,
        quantity: k.quantity,
        policy_id: k.policy_id,
        decided_by: k.decided_by,
        due_at: k.due_at.map(instant),
        label_mode: k.label_mode,
        label_due_at: k.label_due_at.map(instant),
        carrier: k.carrier,
        tracking_number: k.tracking_number,
        label_file_id: k.label_file_id,
        warehouse_id: k.warehouse_id,
        evidence_ids: ids(&k.evidence_ids),
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
        case_view(v.case, refunds)
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseBody {
    pub order_id: String,
    #[serde(rename = "type")]
    pub case_type: String,
    pub order_line_id: Option<String>,
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
async fn open_case(
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
struct CaseParams {
    store_id: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    case_type: Option<String>,
    state: Option<String>,
    order_id: Option<String>,
    /// RFC 3339: cases whose decision or label deadline is before this instant.
    due_before: Option<String>,
    cursor: Option<String>,
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CasePageView {
    pub items: Vec<CaseDetailView>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/aftersales", tag = "after-sales", params(CaseParams), responses((status = 200, body = CasePageView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_cases(
    State(s): State<AppState>,
    Caller(a): Caller,
    q: Result<Query<CaseParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<CasePageView>> {
    let Query(q) = q?;
    let (rows, next_cursor) = s
        .service
        .cases(
            &a,
            CaseQuery {
                store_id: q.store_id,
                case_type: q.case_type,
                state: q.state,
                order_id: q.order_id,
                due_before: q.due_before,
                cursor: q.cursor,
                limit: q.limit,
            },
        )
        .await?;
    Ok(Json(CasePageView {
        items: rows.into_iter().map(|k| case_view(k, Vec::new())).collect(),
        next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/aftersales/{id}", tag = "after-sales", params(("id" = String, Path)), responses((status = 200, body = CaseDetailView), (status = 404, body = Problem)))]
async fn get_case(
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
async fn decide_case(
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
async fn upload_label(
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
async fn case_received(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetailView>> {
    Ok(Json(
        s.service
            .case_platform_step(&a, &id, "received")
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/aftersales/{id}/label-invalid", tag = "after-sales", params(("id" = String, Path)),
    responses((status = 200, body = CaseDetailView), (status = 409, body = Problem)))]
async fn case_label_invalid(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetailView>> {
    Ok(Json(
        s.service
            .case_platform_step(&a, &id, "label_invalid")
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/aftersales/{id}/cancel", tag = "after-sales", params(("id" = String, Path)),
    responses((status = 200, body = CaseDetailView), (status = 409, body = Problem)))]
async fn case_cancel(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetailView>> {
    Ok(Json(
        s.service
            .case_platform_step(&a, &id, "cancel")
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
async fn negotiated_refund(
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

// --- settings and policies ----------------------------------------------------------------

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// Admin only.
    pub negotiated_enabled: Option<bool>,
    /// The seller uploads its own return labels (fallback for oversize parcels; the only
    /// way on DE and IT; needed for cross-border returns in the EU).
    pub uploads_labels: Option<bool>,
}

fn settings_view(s: SettingsRow) -> SettingsBody {
    SettingsBody {
        negotiated_enabled: Some(s.negotiated_enabled != 0),
        uploads_labels: Some(s.uploads_labels != 0),
    }
}

#[utoipa::path(get, path = "/api/v1/stores/{store_id}/aftersales-settings", tag = "after-sales", params(("store_id" = String, Path)), responses((status = 200, body = SettingsBody)))]
async fn get_settings(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<SettingsBody>> {
    Ok(Json(settings_view(
        s.service.aftersales_settings(&a, &store_id).await?,
    )))
}

#[utoipa::path(put, path = "/api/v1/stores/{store_id}/aftersales-settings", tag = "after-sales", params(("store_id" = String, Path)), request_body = SettingsBody,
    responses((status = 200, body = SettingsBody), (status = 403, body = Problem)))]
async fn put_settings(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<SettingsBody>,
) -> ApiResult<Json<SettingsBody>> {
    let row = s
        .service
        .set_aftersales_settings(
            &a,
            &store_id,
            SettingsInput {
                negotiated_enabled: b.negotiated_enabled,
                uploads_labels: b.uploads_labels,
            },
        )
        .await?;
    Ok(Json(settings_view(row)))
}

#[derive(Serialize, ToSchema)]
pub struct PolicyView {
    pub id: String,
    pub reason: String,
    pub ceiling: String,
    pub ratio_percent: i64,
    pub created_at: String,
}

impl From<PolicyRow> for PolicyView {
    fn from(p: PolicyRow) -> Self {
        Self {
            id: p.id,
            reason: p.reason,
            ceiling: p.ceiling,
            ratio_percent: p.ratio,
            created_at: instant(p.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyBody {
    pub reason: String,
    /// Decimal string: requests up to this amount are settled by the policy.
    pub ceiling: String,
    /// 5–100.
    pub ratio_percent: i64,
}

#[utoipa::path(get, path = "/api/v1/stores/{store_id}/refund-policies", tag = "after-sales", params(("store_id" = String, Path)), responses((status = 200, body = Vec<PolicyView>)))]
async fn list_policies(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<Vec<PolicyView>>> {
    Ok(Json(
        s.service
            .refund_policies(&a, &store_id)
            .await?
            .into_iter()
            .map(PolicyView::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/stores/{store_id}/refund-policies", tag = "after-sales", params(("store_id" = String, Path)), request_body = PolicyBody,
    responses((status = 201, body = PolicyView), (status = 422, body = Problem)))]
async fn create_policy(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<PolicyBody>,
) -> ApiResult<(StatusCode, Json<PolicyView>)> {
    let p = s
        .service
        .create_refund_policy(
            &a,
            &store_id,
            NewPolicy {
                reason: b.reason,
                ceiling: b.ceiling,
                ratio_percent: b.ratio_percent,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

#[utoipa::path(delete, path = "/api/v1/stores/{store_id}/refund-policies/{id}", tag = "after-sales", params(("store_id" = String, Path), ("id" = String, Path)), responses((status = 204), (status = 404, body = Problem)))]
async fn delete_policy(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path((store_id, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    s.service.delete_refund_policy(&a, &store_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// --- warehouses ---------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct WarehouseView {
    pub id: String,
    pub store_id: String,
    pub country: String,
    pub name: String,
    pub address: String,
    pub is_default: bool,
}

impl From<WarehouseRow> for WarehouseView {
    fn from(w: WarehouseRow) -> Self {
        Self {
            id: w.id,
            store_id: w.store_id,
            country: w.country,
            name: w.name,
            address: w.address,
            is_default: w.is_default != 0,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarehouseBody {
    pub country: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    #[serde(default)]
    pub make_default: bool,
}

fn warehouse_input(b: WarehouseBody) -> WarehouseInput {
    WarehouseInput {
        country: b.country,
        name: b.name,
        address: b.address,
        make_default: b.make_default,
    }
}

#[utoipa::path(get, path = "/api/v1/stores/{store_id}/return-warehouses", tag = "after-sales", params(("store_id" = String, Path)), responses((status = 200, body = Vec<WarehouseView>)))]
async fn list_warehouses(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<Vec<WarehouseView>>> {
    Ok(Json(
        s.service
            .warehouses(&a, &store_id)
            .await?
            .into_iter()
            .map(WarehouseView::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/stores/{store_id}/return-warehouses", tag = "after-sales", params(("store_id" = String, Path)), request_body = WarehouseBody,
    responses((status = 201, body = WarehouseView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_warehouse(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<WarehouseBody>,
) -> ApiResult<(StatusCode, Json<WarehouseView>)> {
    let w = s
        .service
        .create_warehouse(&a, &store_id, warehouse_input(b))
        .await?;
    Ok((StatusCode::CREATED, Json(w.into())))
}

#[utoipa::path(put, path = "/api/v1/return-warehouses/{id}", tag = "after-sales", params(("id" = String, Path)), request_body = WarehouseBody,
    responses((status = 200, body = WarehouseView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn update_warehouse(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WarehouseBody>,
) -> ApiResult<Json<WarehouseView>> {
    Ok(Json(
        s.service
            .update_warehouse(&a, &id, warehouse_input(b))
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/return-warehouses/{id}", tag = "after-sales", params(("id" = String, Path)), responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_warehouse(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.service.delete_warehouse(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssociateBody {
    /// At most 500 per call.
    pub product_ids: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AssociatedView {
    /// Products now associated with the warehouse.
    pub products: i64,
}

#[utoipa::path(post, path = "/api/v1/return-warehouses/{id}/products", tag = "after-sales", params(("id" = String, Path)), request_body = AssociateBody,
    responses((status = 200, body = AssociatedView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn associate_products(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AssociateBody>,
) -> ApiResult<Json<AssociatedView>> {
    Ok(Json(AssociatedView {
        products: s
            .service
            .associate_products(&a, &id, &b.product_ids)
            .await?,
    }))
}

// --- reshipments --------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct ReshipmentView {
    pub id: String,
    pub store_id: String,
    pub order_id: String,
    /// requested, approved, rejected.
    pub state: String,
    pub reason: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub due_at: String,
    pub decided_at: Option<String>,
}

impl From<ReshipmentRow> for ReshipmentView {
    fn from(r: ReshipmentRow) -> Self {
        Self {
            id: r.id,
            store_id: r.store_id,
            order_id: r.order_id,
            state: r.state,
            reason: r.reason,
            carrier: r.carrier,
            tracking_number: r.tracking_number,
            due_at: instant(r.due_at),
            decided_at: r.decided_at.map(instant),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReshipmentBody {
    pub order_id: String,
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/reshipments", tag = "after-sales", request_body = ReshipmentBody,
    responses((status = 201, body = ReshipmentView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn request_reshipment(
    State(s): State<AppState>,
    Caller(a): Caller,
    JsonBody(b): JsonBody<ReshipmentBody>,
) -> ApiResult<(StatusCode, Json<ReshipmentView>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.service
                .request_reshipment(&a, &b.order_id, &b.reason)
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/reshipments/{id}", tag = "after-sales", params(("id" = String, Path)), responses((status = 200, body = ReshipmentView), (status = 404, body = Problem)))]
async fn get_reshipment(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ReshipmentView>> {
    Ok(Json(s.service.reshipment(&a, &id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReshipmentDecisionBody {
    pub approve: bool,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/reshipments/{id}/decision", tag = "after-sales", params(("id" = String, Path)), request_body = ReshipmentDecisionBody,
    responses((status = 200, body = ReshipmentView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn decide_reshipment(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ReshipmentDecisionBody>,
) -> ApiResult<Json<ReshipmentView>> {
    Ok(Json(
        s.service
            .decide_reshipment(
                &a,
                &id,
                b.approve,
                b.carrier.as_deref(),
                b.tracking_number.as_deref(),
            )
            .await?
            .into(),
    ))
}
