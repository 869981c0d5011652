//! Sites, stores and users.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::accounts::{NewStore, NewUser, UserQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody, QueryParams, whole_number};
use crate::problem::{ApiResult, Problem};
use crate::views::{CreateStore, CreateUser, SiteView, StoreView, UserCreatedView, instant};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sites))
        .routes(routes!(create_store, list_stores))
        .routes(routes!(get_store))
        .routes(routes!(create_user, list_users))
        .routes(routes!(change_password))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current: String,
    /// At least 12 characters.
    pub new: String,
}

/// Changes the caller's console password; every console session of the account ends.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "stores", request_body = PasswordChange,
    responses((status = 204), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn change_password(
    State(s): State<AppState>,
    Caller(actor): Caller,
    JsonBody(b): JsonBody<PasswordChange>,
) -> ApiResult<StatusCode> {
    s.service
        .change_password(&actor, &b.current, &b.new, None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/sites", tag = "stores",
    responses((status = 200, body = Vec<SiteView>)))]
async fn list_sites(
    State(s): State<AppState>,
    Caller(_caller): Caller,
) -> ApiResult<Json<Vec<SiteView>>> {
    Ok(Json(
        s.service
            .sites()
            .await?
            .into_iter()
            .map(SiteView::from)
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/stores", tag = "stores", request_body = CreateStore,
    responses((status = 201, body = StoreView), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn create_store(
    State(s): State<AppState>,
    Caller(actor): Caller,
    JsonBody(b): JsonBody<CreateStore>,
) -> ApiResult<(StatusCode, Json<StoreView>)> {
    let store = s
        .service
        .create_store(
            &actor,
            NewStore {
                name: b.name,
                site: b.site,
                fulfilment_mode: b.fulfilment_mode,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(store.into())))
}

#[utoipa::path(get, path = "/api/v1/stores", tag = "stores",
    responses((status = 200, description = "Every store for platform roles; a seller's own store only", body = Vec<StoreView>)))]
async fn list_stores(
    State(s): State<AppState>,
    Caller(actor): Caller,
) -> ApiResult<Json<Vec<StoreView>>> {
    Ok(Json(
        s.service
            .stores(&actor)
            .await?
            .into_iter()
            .map(StoreView::from)
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/stores/{store_id}", tag = "stores",
    params(("store_id" = String, Path)),
    responses((status = 200, body = StoreView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_store(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<StoreView>> {
    Ok(Json(s.service.store(&actor, &store_id).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "stores", request_body = CreateUser,
    responses((status = 201, description = "The token is shown once", body = UserCreatedView), (status = 422, body = Problem)))]
async fn create_user(
    State(s): State<AppState>,
    Caller(actor): Caller,
    JsonBody(b): JsonBody<CreateUser>,
) -> ApiResult<(StatusCode, Json<UserCreatedView>)> {
    let created = s
        .service
        .create_user(
            &actor,
            NewUser {
                name: b.name,
                role: b.role,
                store_id: b.store_id,
                language: b.language,
                login: b.login,
                password: b.password,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(UserCreatedView {
            id: created.user.id,
            name: created.user.name,
            role: created.user.role,
            store_id: created.user.store_id,
            login: created.user.login,
            token: created.token,
        }),
    ))
}

/// The account list's filters; unknown parameters are refused.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct UserListParams {
    /// admin, reviewer, cs_agent or seller
    role: Option<String>,
    store_id: Option<String>,
    cursor: Option<String>,
    /// 1 to 200, default 50.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub store_id: Option<String>,
    pub login: Option<String>,
    pub created_at: String,
    /// Set once the account was disabled.
    pub disabled_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UserPageView {
    pub items: Vec<UserView>,
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "stores", params(UserListParams),
    responses((status = 200, description = "Accounts, newest first; never a token", body = UserPageView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_users(
    State(s): State<AppState>,
    Caller(actor): Caller,
    QueryParams(p): QueryParams<UserListParams>,
) -> ApiResult<Json<UserPageView>> {
    let q = UserQuery {
        limit: whole_number("limit", p.limit.as_deref())?,
        role: p.role,
        store_id: p.store_id,
        cursor: p.cursor,
    };
    let (users, next_cursor) = s.service.users(&actor, q).await?;
    Ok(Json(UserPageView {
        items: users
            .into_iter()
            .map(|u| UserView {
                id: u.id,
                name: u.name,
                role: u.role,
                store_id: u.store_id,
                login: u.login,
                created_at: instant(u.created_at),
                disabled_at: u.disabled_at.map(instant),
            })
            .collect(),
        next_cursor,
    }))
}
