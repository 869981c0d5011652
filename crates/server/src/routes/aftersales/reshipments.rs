//! Reshipments (补寄) a buyer asked for.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::aftersales::reshipments::ReshipmentQuery;
use marketdesk_service::records::Reshipment;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::extract::{Caller, JsonBody, QueryParams, whole_number};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

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

impl From<Reshipment> for ReshipmentView {
    fn from(r: Reshipment) -> Self {
        Self {
            id: r.id,
            store_id: r.store_id,
            order_id: r.order_id,
            state: r.state.as_str().into(),
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
pub(super) async fn request_reshipment(
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

/// The reshipment list's filters; unknown parameters are refused.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct ReshipmentListParams {
    /// Platform staff only; a seller's list is always its own store's.
    store_id: Option<String>,
    /// requested, approved or rejected
    state: Option<String>,
    order_id: Option<String>,
    cursor: Option<String>,
    /// 1 to 200, default 50.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReshipmentPageView {
    pub items: Vec<ReshipmentView>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reshipments", tag = "after-sales", params(ReshipmentListParams),
    responses((status = 200, body = ReshipmentPageView), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn list_reshipments(
    State(s): State<AppState>,
    Caller(a): Caller,
    QueryParams(p): QueryParams<ReshipmentListParams>,
) -> ApiResult<Json<ReshipmentPageView>> {
    let q = ReshipmentQuery {
        limit: whole_number("limit", p.limit.as_deref())?,
        store_id: p.store_id,
        state: p.state,
        order_id: p.order_id,
        cursor: p.cursor,
    };
    let (items, next_cursor) = s.service.reshipments(&a, q).await?;
    Ok(Json(ReshipmentPageView {
        items: items.into_iter().map(ReshipmentView::from).collect(),
        next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/reshipments/{id}", tag = "after-sales", params(("id" = String, Path)), responses((status = 200, body = ReshipmentView), (status = 404, body = Problem)))]
pub(super) async fn get_reshipment(
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
pub(super) async fn decide_reshipment(
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
