//! Return warehouses (退货仓) and the products routed to them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::aftersales::warehouses::WarehouseInput;
use marketdesk_service::records::Warehouse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};

#[derive(Serialize, ToSchema)]
pub struct WarehouseView {
    pub id: String,
    pub store_id: String,
    pub country: String,
    pub name: String,
    pub address: String,
    pub is_default: bool,
}

impl From<Warehouse> for WarehouseView {
    fn from(w: Warehouse) -> Self {
        Self {
            id: w.id,
            store_id: w.store_id,
            country: w.country,
            name: w.name,
            address: w.address,
            is_default: w.is_default,
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
pub(super) async fn list_warehouses(
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
pub(super) async fn create_warehouse(
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
pub(super) async fn update_warehouse(
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
pub(super) async fn delete_warehouse(
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
pub(super) async fn associate_products(
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
