//! The platform staff's own routes: the audit log, what admins do to an existing account
//! (disable it, set its password, replace its token), and reviewers' claims on cases.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::audit::AuditQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody, QueryParams, whole_number};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(audit_log))
        .routes(routes!(disable_user))
        .routes(routes!(reset_password))
        .routes(routes!(replace_token))
        .routes(routes!(claim, release))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct AuditParams {
    /// Only this account's requests.
    actor_id: Option<String>,
    /// Only requests that changed this subject (a product, case, user, `CN/2026-10-10`).
    subject_id: Option<String>,
    cursor: Option<String>,
    /// 1 to 200, default 50.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditChangeView {
    pub subject: String,
    pub what: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: String,
    pub at: String,
    pub actor_id: String,
    pub actor_role: String,
    pub method: String,
    pub path: String,
    pub status: i64,
    pub subject_id: Option<String>,
    pub changes: Vec<AuditChangeView>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPageView {
    pub items: Vec<AuditEntryView>,
    /// Rows matching the filters, on every page.
    pub total: i64,
    pub next_cursor: Option<String>,
}

/// The audit log (admins): every state-changing request of platform staff, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", params(AuditParams),
    responses((status = 200, body = AuditPageView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn audit_log(
    State(s): State<AppState>,
    Caller(actor): Caller,
    QueryParams(p): QueryParams<AuditParams>,
) -> ApiResult<Json<AuditPageView>> {
    let q = AuditQuery {
        actor_id: p.actor_id,
        subject_id: p.subject_id,
        cursor: p.cursor,
        limit: whole_number("limit", p.limit.as_deref())?,
    };
    let page = s.service.audit_log(&actor, &q).await?;
    Ok(Json(AuditPageView {
        items: page
            .items
            .into_iter()
            .map(|e| AuditEntryView {
                id: e.id,
                at: instant(e.at),
                actor_id: e.actor_id,
                actor_role: e.actor_role,
                method: e.method,
                path: e.path,
                status: e.status,
                subject_id: e.subject_id,
                changes: e
                    .changes
                    .into_iter()
                    .map(|c| AuditChangeView {
                        subject: c.subject,
                        what: c.what,
                        before: c.before,
                        after: c.after,
                    })
                    .collect(),
            })
            .collect(),
        total: page.total,
        next_cursor: page.next_cursor,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct DisabledView {
    pub id: String,
    pub disabled_at: Option<String>,
}

/// Disables an account (admins): its console sessions end and its tokens are refused.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "stores", params(("id" = String, Path)),
    responses((status = 200, body = DisabledView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn disable_user(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<DisabledView>> {
    let u = s.service.disable_user(&actor, &id).await?;
    Ok(Json(DisabledView {
        id: u.id,
        disabled_at: u.disabled_at.map(instant),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// At least 12 characters.
    pub password: String,
}

/// Sets an account's console password (admins); every console session of it ends.
#[utoipa::path(put, path = "/api/v1/users/{id}/password", tag = "stores", params(("id" = String, Path)), request_body = PasswordBody,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn reset_password(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<PasswordBody>,
) -> ApiResult<StatusCode> {
    s.service.reset_password(&actor, &id, &b.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    /// Shown once: only a hash of it is stored. Every earlier token of the account stops.
    pub token: String,
}

/// Revokes every API token of an account and issues one new token (admins).
#[utoipa::path(post, path = "/api/v1/users/{id}/token", tag = "stores", params(("id" = String, Path)),
    responses((status = 200, body = TokenView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn replace_token(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TokenView>> {
    let token = s.service.replace_token(&actor, &id).await?;
    Ok(Json(TokenView { token }))
}

#[derive(Serialize, ToSchema)]
pub struct ClaimView {
    pub violation_id: String,
    pub reviewer_id: String,
    pub reviewer_name: String,
    pub expires_at: String,
}

/// A reviewer claims a case for 30 minutes; 409 while another reviewer holds it.
#[utoipa::path(post, path = "/api/v1/violations/{id}/claim", tag = "violations", params(("id" = String, Path)),
    responses((status = 200, body = ClaimView), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn claim(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ClaimView>> {
    let c = s.service.claim_case(&actor, &id).await?;
    Ok(Json(ClaimView {
        violation_id: c.violation_id,
        reviewer_id: c.reviewer_id,
        reviewer_name: c.reviewer_name,
        expires_at: instant(c.expires_at),
    }))
}

/// Lets go of one's own claim.
#[utoipa::path(delete, path = "/api/v1/violations/{id}/claim", tag = "violations", params(("id" = String, Path)),
    responses((status = 204), (status = 409, body = Problem)))]
async fn release(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.service.release_case(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
