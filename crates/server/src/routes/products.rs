//! Creating, reading and listing products.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use marketdesk_service::product_edits::{ProductPatch, SkuPatch};
use marketdesk_service::product_search::SearchScope;
use marketdesk_service::products::{NewProduct, NewSku, ProductQuery};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::csv_export;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::views::{
    CreateProduct, EditProduct, EventView, EventsView, ProductPageView, ProductView,
    TimelineItemView, TimelineView, instant,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_product, list_products))
        .routes(routes!(search_products))
        .routes(routes!(get_product, edit_product))
        .routes(routes!(get_timeline))
        .routes(routes!(get_events))
}

#[utoipa::path(post, path = "/api/v1/stores/{store_id}/products", tag = "products", request_body = CreateProduct,
    params(("store_id" = String, Path)),
    responses((status = 201, body = ProductView), (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn create_product(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<CreateProduct>,
) -> ApiResult<(StatusCode, Json<ProductView>)> {
    let new = NewProduct {
        fulfilment: b.fulfilment,
        qualification_ids: b.qualification_ids,
        title: b.title,
        category: b.category,
        description: b.description.unwrap_or_default(),
        skus: b
            .skus
            .into_iter()
            .map(|k| NewSku {
                code: k.code,
                price: k.price,
                stock: k.stock,
            })
            .collect(),
    };
    let p = s.service.create_product(&actor, &store_id, new).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// The list page's filters. Unknown parameters are refused, so a typo does not
/// silently return the unfiltered list.
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// draft, pending_review, on_sale or delisted
    state: Option<String>,
    /// voluntary, violation or protective
    delist_kind: Option<String>,
    /// green, grey or red
    label: Option<String>,
    reason_code: Option<String>,
    category: Option<String>,
    /// Text search in titles (case-insensitive substring).
    q: Option<String>,
    created_from: Option<String>,
    created_to: Option<String>,
    updated_from: Option<String>,
    updated_to: Option<String>,
    /// Products with a violation case in this progress: awaiting_rectification,
    /// in_review, overdue, appealed or closed.
    progress: Option<String>,
    /// Products of stores run this way: self_operated, semi_managed or fully_managed.
    fulfilment: Option<String>,
    /// Only in the search across stores (`/api/v1/products`).
    store_id: Option<String>,
    /// A site code; only in the search across stores.
    site: Option<String>,
    cursor: Option<String>,
    /// 1 to 200, default 50.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    limit: Option<String>,
}

/// The parameters as the use cases' query; `store_id` and `site` are the caller's to read.
fn product_query(
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<(ProductQuery, SearchScope)> {
    let Query(p) = query.map_err(|e| {
        ApiError(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Invalid query",
            e.body_text(),
        ))
    })?;
    let limit = match p.limit.as_deref().map(str::parse::<i64>) {
        None => None,
        Some(Ok(l)) => Some(l),
        Some(Err(_)) => {
            return Err(ApiError(Problem::validation(vec![
                marketdesk_core::FieldError {
                    field: "limit".into(),
                    message: "must be a whole number".into(),
                },
            ])));
        }
    };
    let q = ProductQuery {
        state: p.state,
        delist_kind: p.delist_kind,
        label: p.label,
        reason_code: p.reason_code,
        category: p.category,
        q: p.q,
        created_from: p.created_from,
        created_to: p.created_to,
        updated_from: p.updated_from,
        updated_to: p.updated_to,
        progress: p.progress,
        fulfilment: p.fulfilment,
        cursor: p.cursor,
        limit,
    };
    Ok((
        q,
        SearchScope {
            store_id: p.store_id,
            site: p.site,
        },
    ))
}

#[utoipa::path(get, path = "/api/v1/stores/{store_id}/products", tag = "products",
    params(("store_id" = String, Path), ListParams),
    responses((status = 200, description = "A page as JSON, or with `Accept: text/csv` every matching product as CSV (one row per SKU, streamed; `cursor` and `limit` ignored)",
        content((ProductPageView = "application/json"), (String = "text/csv"))),
        (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn list_products(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    headers: HeaderMap,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    let (q, scope) = product_query(query)?;
    if scope.store_id.is_some() || scope.site.is_some() {
        let field = if scope.store_id.is_some() {
            "store_id"
        } else {
            "site"
        };
        return Err(ApiError(Problem::validation(vec![marketdesk_core::FieldError {
            field: field.into(),
            message: "is a filter of the search across stores (/api/v1/products), not of one store's list".into(),
        }])));
    }
    if csv_export::wants_csv(&headers) {
        return super::product_csv::export((*s.service).clone(), actor, store_id, q).await;
    }
    let page: ProductPageView = s.service.products(&actor, &store_id, &q).await?.into();
    Ok(Json(page).into_response())
}

/// The search across stores: every store's products for the platform's staff (by
/// `store_id`, `site` and the list's filters), the caller's own store's for a seller.
#[utoipa::path(get, path = "/api/v1/products", tag = "products", params(ListParams),
    responses((status = 200, description = "Tab counts are those of the stores searched", body = ProductPageView),
        (status = 422, body = Problem), (status = 404, body = Problem)))]
async fn search_products(
    State(s): State<AppState>,
    Caller(actor): Caller,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<ProductPageView>> {
    let (q, scope) = product_query(query)?;
    Ok(Json(
        s.service.search_products(&actor, &scope, &q).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "products",
    params(("id" = String, Path)),
    responses((status = 200, body = ProductView), (status = 404, body = Problem)))]
async fn get_product(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProductView>> {
    Ok(Json(s.service.product(&actor, &id).await?.into()))
}

/// A JSON merge patch (RFC 7396) of the listing's content. Allowed in every state but
/// while a relist review is pending; editing a violation-delisted product is how it is
/// rectified. The timeline row it writes names each changed field, before → after.
#[utoipa::path(patch, path = "/api/v1/products/{id}", tag = "products", request_body = EditProduct,
    params(("id" = String, Path)),
    responses((status = 200, description = "The product as edited (unchanged when the patch changes nothing)", body = ProductView),
        (status = 404, body = Problem), (status = 409, description = "Under review, or changed since `version`", body = Problem),
        (status = 422, body = Problem), (status = 403, body = Problem)))]
async fn edit_product(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<EditProduct>,
) -> ApiResult<Json<ProductView>> {
    let mut refused = Vec::new();
    for (field, cleared) in [
        ("title", matches!(b.title, Some(None))),
        ("category", matches!(b.category, Some(None))),
    ] {
        if cleared {
            refused.push(marketdesk_core::FieldError {
                field: field.into(),
                message: "is required and cannot be removed".into(),
            });
        }
    }
    if !refused.is_empty() {
        return Err(ApiError(Problem::validation(refused)));
    }
    let patch = ProductPatch {
        title: b.title.flatten(),
        description: b.description,
        category: b.category.flatten(),
        attributes: b.attributes,
        main_image_id: b.main_image_id,
        gallery: b.gallery,
        skus: b
            .skus
            .into_iter()
            .map(|k| SkuPatch {
                code: k.code,
                price: k.price,
                stock: k.stock,
                attributes: k.attributes,
                remove: k.remove,
            })
            .collect(),
        version: b.version,
    };
    Ok(Json(
        s.service.edit_product(&actor, &id, patch).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/products/{id}/timeline", tag = "products",
    params(("id" = String, Path)),
    responses((status = 200, description = "Every state change, oldest first; never edited", body = TimelineView), (status = 404, body = Problem)))]
async fn get_timeline(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let items: Vec<TimelineItemView> = s
        .service
        .timeline(&actor, &id)
        .await?
        .into_iter()
        .map(TimelineItemView::from)
        .collect();
    if csv_export::wants_csv(&headers) {
        let body = csv_export::lines(
            Some(csv_export::TIMELINE_COLUMNS),
            &items,
            csv_export::timeline_row,
        );
        return Ok(csv_export::attachment(
            &format!("timeline-{id}.csv"),
            axum::body::Body::from(body),
        ));
    }
    Ok(Json(TimelineView { items }).into_response())
}

#[utoipa::path(get, path = "/api/v1/products/{id}/events", tag = "products",
    params(("id" = String, Path)),
    responses((status = 200, description = "Outbox events written with this product's changes", body = EventsView), (status = 404, body = Problem)))]
async fn get_events(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<EventsView>> {
    let items = s
        .service
        .product_events(&actor, &id)
        .await?
        .into_iter()
        .map(|e| EventView {
            id: e.id,
            event_type: e.event_type,
            created_at: instant(e.created_at),
            payload: e.payload,
        })
        .collect();
    Ok(Json(EventsView { items }))
}
