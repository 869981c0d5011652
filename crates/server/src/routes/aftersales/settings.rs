//! A store's after-sales settings and its refund-only policies.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::aftersales::settings::{NewPolicy, SettingsInput};
use marketdesk_service::records::{AftersalesSettings, RefundPolicy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// Admin only.
    pub negotiated_enabled: Option<bool>,
    /// The seller uploads its own return labels (fallback for oversize parcels; the only
    /// way on DE and IT; needed for cross-border returns in the EU).
    pub uploads_labels: Option<bool>,
}

fn settings_view(s: AftersalesSettings) -> SettingsBody {
    SettingsBody {
        negotiated_enabled: Some(s.negotiated_enabled),
        uploads_labels: Some(s.uploads_labels),
    }
}

#[utoipa::path(get, path = "/api/v1/stores/{store_id}/aftersales-settings", tag = "after-sales", params(("store_id" = String, Path)), responses((status = 200, body = SettingsBody)))]
pub(super) async fn get_settings(
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
pub(super) async fn put_settings(
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

impl From<RefundPolicy> for PolicyView {
    fn from(p: RefundPolicy) -> Self {
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
pub(super) async fn list_policies(
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
pub(super) async fn create_policy(
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
pub(super) async fn delete_policy(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path((store_id, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    s.service.delete_refund_policy(&a, &store_id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
