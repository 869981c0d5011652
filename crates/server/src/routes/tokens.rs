//! An account's API tokens: list them (never the token or its hash), issue one more with
//! a name and an optional expiry, revoke one. Admins manage anyone's; every account its
//! own.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::api_tokens::{ApiToken, NewToken};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_tokens, issue_token))
        .routes(routes!(revoke_token))
}

#[derive(Serialize, ToSchema)]
pub struct ApiTokenView {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_at: String,
    /// Absent: it never expires.
    pub expires_at: Option<String>,
    /// To within a minute; absent while it has never been used.
    pub last_used_at: Option<String>,
}

impl From<ApiToken> for ApiTokenView {
    fn from(t: ApiToken) -> Self {
        ApiTokenView {
            id: t.id,
            user_id: t.user_id,
            name: t.name,
            created_at: instant(t.created_at),
            expires_at: t.expires_at.map(instant),
            last_used_at: t.last_used_at.map(instant),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenBody {
    /// Which integration holds it.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    /// RFC 3339, in the future; absent: it never expires.
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct IssuedTokenView {
    #[serde(flatten)]
    pub info: ApiTokenView,
    /// Shown once: only a hash of it is stored.
    pub token: String,
}

/// An account's tokens, newest first.
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", tag = "stores", params(("id" = String, Path)),
    responses((status = 200, description = "The account's tokens", body = Vec<ApiTokenView>), (status = 404, description = "No such account, or not the caller's", body = Problem)))]
async fn list_tokens(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ApiTokenView>>> {
    let tokens = s.service.tokens_of(&actor, &id).await?;
    Ok(Json(tokens.into_iter().map(ApiTokenView::from).collect()))
}

/// Issues one more token for an account; the others stay valid.
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", tag = "stores", params(("id" = String, Path)), request_body = NewTokenBody,
    responses((status = 201, description = "The token, shown once", body = IssuedTokenView), (status = 404, body = Problem),
        (status = 409, description = "The account is disabled or holds the most tokens", body = Problem), (status = 422, body = Problem)))]
async fn issue_token(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewTokenBody>,
) -> ApiResult<(StatusCode, Json<IssuedTokenView>)> {
    let new = NewToken {
        name: b.name,
        expires_at: b.expires_at,
    };
    let (info, token) = s.service.issue_token(&actor, &id, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedTokenView {
            info: info.into(),
            token,
        }),
    ))
}

/// Revokes one token: refused from the next request on, in every process.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "stores", params(("id" = String, Path)),
    responses((status = 204, description = "Revoked"), (status = 404, description = "No such token, or not the caller's", body = Problem)))]
async fn revoke_token(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.service.revoke_token(&actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
