//! Listing moves: list, delist, relist, review decisions, batch delist.

use axum::Json;
use axum::extract::{Path, State};
use marketdesk_core::Action;
use marketdesk_service::listing::Why;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody, OptionalJsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::{BatchDelistBody, BatchDelistView, DelistBody, NoteBody, ProductView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(delist))
        .routes(routes!(relist))
        .routes(routes!(approve_review))
        .routes(routes!(reject_review))
        .routes(routes!(batch_delist))
}

async fn move_with_note(
    s: &AppState,
    actor: &marketdesk_service::Actor,
    id: &str,
    action: Action,
    b: NoteBody,
) -> ApiResult<Json<ProductView>> {
    let why = Why {
        reason_code: None,
        reason_text: b.reason_text,
        evidence_ids: b.evidence_ids,
    };
    Ok(Json(
        s.service.transition(actor, id, action, why).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/products/{id}/list", tag = "listing", operation_id = "list_product", params(("id" = String, Path)), request_body(content = Option<NoteBody>),
    responses((status = 200, description = "On sale, or pending review for fully-managed stores", body = ProductView), (status = 409, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    OptionalJsonBody(b): OptionalJsonBody<NoteBody>,
) -> ApiResult<Json<ProductView>> {
    move_with_note(&s, &a, &id, Action::List, b).await
}

#[utoipa::path(post, path = "/api/v1/products/{id}/delist", tag = "listing", params(("id" = String, Path)), request_body = DelistBody,
    responses((status = 200, description = "Delisted (voluntary, grey label); stock frozen", body = ProductView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn delist(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DelistBody>,
) -> ApiResult<Json<ProductView>> {
    let why = Why {
        reason_code: Some(b.reason_code),
        reason_text: Some(b.reason_text),
        evidence_ids: b.evidence_ids,
    };
    Ok(Json(
        s.service
            .transition(&a, &id, Action::Delist, why)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/products/{id}/relist", tag = "listing", params(("id" = String, Path)), request_body(content = Option<NoteBody>),
    responses((status = 200, body = ProductView), (status = 409, description = "Violation and protective delists do not lift this way", body = Problem)))]
async fn relist(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    OptionalJsonBody(b): OptionalJsonBody<NoteBody>,
) -> ApiResult<Json<ProductView>> {
    move_with_note(&s, &a, &id, Action::Relist, b).await
}

#[utoipa::path(post, path = "/api/v1/products/{id}/review/approve", tag = "listing", params(("id" = String, Path)), request_body(content = Option<NoteBody>),
    responses((status = 200, body = ProductView), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn approve_review(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    OptionalJsonBody(b): OptionalJsonBody<NoteBody>,
) -> ApiResult<Json<ProductView>> {
    move_with_note(&s, &a, &id, Action::ApproveReview, b).await
}

#[utoipa::path(post, path = "/api/v1/products/{id}/review/reject", tag = "listing", params(("id" = String, Path)), request_body = NoteBody,
    responses((status = 200, description = "Back where it was before the review", body = ProductView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn reject_review(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NoteBody>,
) -> ApiResult<Json<ProductView>> {
    move_with_note(&s, &a, &id, Action::RejectReview, b).await
}

#[utoipa::path(post, path = "/api/v1/stores/{store_id}/products/batch-delist", tag = "listing", params(("store_id" = String, Path)), request_body = BatchDelistBody,
    responses((status = 200, body = BatchDelistView), (status = 409, description = "Nothing changed; `errors` names each product at fault", body = Problem), (status = 422, body = Problem)))]
async fn batch_delist(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<BatchDelistBody>,
) -> ApiResult<Json<BatchDelistView>> {
    let why = Why {
        reason_code: Some(b.reason_code),
        reason_text: Some(b.reason_text),
        evidence_ids: b.evidence_ids,
    };
    let done = s
        .service
        .batch_delist(&a, &store_id, &b.product_ids, why)
        .await?;
    Ok(Json(BatchDelistView {
        delisted: done.len(),
        product_ids: done.into_iter().map(|p| p.id).collect(),
    }))
}
