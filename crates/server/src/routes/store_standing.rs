//! Suspending and reinstating a store, and the store's own timeline.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::{StoreView, instant};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(suspend_store))
        .routes(routes!(reinstate_store))
        .routes(routes!(store_timeline))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandingBody {
    /// Why (1–500 characters): it reaches the store's timeline and its sellers' inbox.
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// Suspends a store (admins): nothing of it can be ordered, and its sellers can read
/// but not change anything (their requests answer 403 `store-suspended`) until it is
/// reinstated. Listings keep their own states.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/suspension", tag = "stores",
    params(("store_id" = String, Path)), request_body = StandingBody,
    responses((status = 200, body = StoreView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Already suspended", body = Problem), (status = 422, body = Problem)))]
async fn suspend_store(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<StandingBody>,
) -> ApiResult<Json<StoreView>> {
    let store = s
        .service
        .suspend_store(&actor, &store_id, &b.reason)
        .await?;
    Ok(Json(store.into()))
}

/// Reinstates a suspended store (admins).
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/reinstatement", tag = "stores",
    params(("store_id" = String, Path)), request_body = StandingBody,
    responses((status = 200, body = StoreView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Not suspended", body = Problem), (status = 422, body = Problem)))]
async fn reinstate_store(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<StandingBody>,
) -> ApiResult<Json<StoreView>> {
    let store = s
        .service
        .reinstate_store(&actor, &store_id, &b.reason)
        .await?;
    Ok(Json(store.into()))
}

#[derive(Serialize, ToSchema)]
pub struct StoreEventView {
    pub id: String,
    pub at: String,
    pub actor_id: String,
    pub actor_role: String,
    /// suspend or reinstate.
    pub action: String,
    pub reason: String,
}

/// The store's own timeline, newest first (its sellers and platform staff).
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/timeline", tag = "stores",
    params(("store_id" = String, Path)),
    responses((status = 200, body = Vec<StoreEventView>), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn store_timeline(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<Vec<StoreEventView>>> {
    let rows = s.service.store_timeline(&actor, &store_id).await?;
    Ok(Json(
        rows.into_iter()
            .map(|e| StoreEventView {
                id: e.id,
                at: instant(e.at),
                actor_id: e.actor_id,
                actor_role: e.actor_role,
                action: e.action,
                reason: e.reason,
            })
            .collect(),
    ))
}
