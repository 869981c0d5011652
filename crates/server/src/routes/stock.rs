//! Orders from the platform and stock per SKU.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_core::stock::Movement;
use marketdesk_service::stock::StockView;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_stock))
        .routes(routes!(low_stock))
        .routes(routes!(get_ledger))
        .routes(routes!(receive))
        .routes(routes!(adjust))
        .routes(routes!(sku_threshold))
        .routes(routes!(store_threshold))
        .routes(routes!(presale))
        .routes(routes!(create_supplier, list_suppliers))
        .routes(routes!(update_supplier, delete_supplier))
        .routes(routes!(set_offer))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierBody {
    pub name: String,
    pub lead_time_days: i64,
    /// Share of deliveries on time, "0" to "1".
    pub on_time_rate: String,
}

#[derive(Serialize, ToSchema)]
pub struct SupplierView {
    pub id: String,
    pub store_id: String,
    pub name: String,
    pub lead_time_days: i64,
    pub on_time_rate: String,
}

impl From<marketdesk_service::records::Supplier> for SupplierView {
    fn from(r: marketdesk_service::records::Supplier) -> Self {
        SupplierView {
            id: r.id,
            store_id: r.store_id,
            name: r.name,
            lead_time_days: r.lead_time_days,
            on_time_rate: r.on_time_rate,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferBody {
    /// A decimal string in the store's currency.
    pub unit_cost: String,
}

fn supplier_input(b: SupplierBody) -> marketdesk_service::suppliers::SupplierInput {
    marketdesk_service::suppliers::SupplierInput {
        name: b.name,
        lead_time_days: b.lead_time_days,
        on_time_rate: b.on_time_rate,
    }
}

#[utoipa::path(post, path = "/api/v1/stores/{store_id}/suppliers", tag = "stock", params(("store_id" = String, Path)), request_body = SupplierBody,
    responses((status = 201, body = SupplierView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_supplier(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<SupplierBody>,
) -> ApiResult<(StatusCode, Json<SupplierView>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            s.service
                .create_supplier(&a, &store_id, supplier_input(b))
                .await?
                .into(),
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/stores/{store_id}/suppliers", tag = "stock", params(("store_id" = String, Path)), responses((status = 200, body = Vec<SupplierView>)))]
async fn list_suppliers(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<Vec<SupplierView>>> {
    Ok(Json(
        s.service
            .suppliers(&a, &store_id)
            .await?
            .into_iter()
            .map(SupplierView::from)
            .collect(),
    ))
}

#[utoipa::path(put, path = "/api/v1/suppliers/{id}", tag = "stock", params(("id" = String, Path)), request_body = SupplierBody,
    responses((status = 200, body = SupplierView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_supplier(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<SupplierBody>,
) -> ApiResult<Json<SupplierView>> {
    Ok(Json(
        s.service
            .update_supplier(&a, &id, supplier_input(b))
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/suppliers/{id}", tag = "stock", params(("id" = String, Path)), responses((status = 204), (status = 404, body = Problem)))]
async fn delete_supplier(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.service.delete_supplier(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/v1/suppliers/{id}/offers/{sku_id}", tag = "stock", params(("id" = String, Path), ("sku_id" = String, Path)), request_body = OfferBody,
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn set_offer(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path((id, sku_id)): Path<(String, String)>,
    JsonBody(b): JsonBody<OfferBody>,
) -> ApiResult<StatusCode> {
    s.service
        .set_supplier_offer(&a, &id, &sku_id, &b.unit_cost)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionView {
    pub quantity: i64,
    pub units_per_day: String,
    pub lead_days: i64,
    pub cover_days: i64,
    /// Best first: lead time, then price, then on-time record.
    pub suppliers: Vec<RankedSupplierView>,
}

#[derive(Serialize, ToSchema)]
pub struct RankedSupplierView {
    pub supplier_id: String,
    pub name: String,
    pub lead_time_days: i64,
    pub unit_cost: String,
    pub on_time_rate: String,
}

#[derive(Serialize, ToSchema)]
pub struct StockPresaleView {
    pub cap: i64,
    pub sold: i64,
    pub ship_by: String,
    pub active: bool,
}

#[derive(Serialize, ToSchema)]
pub struct StockFiguresView {
    pub sku_id: String,
    pub code: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
    pub safety_threshold: i64,
    pub low: bool,
    pub restock_suggestion: Option<SuggestionView>,
    pub presale: Option<StockPresaleView>,
}

impl From<StockView> for StockFiguresView {
    fn from(v: StockView) -> Self {
        StockFiguresView {
            presale: match (v.sku.presale_cap, v.sku.presale_ship_by) {
                (Some(cap), Some(by)) => Some(StockPresaleView {
                    cap,
                    sold: v.sku.presale_sold,
                    ship_by: instant(by),
                    active: v.presale_active,
                }),
                _ => None,
            },
            restock_suggestion: v.suggestion.map(|s| SuggestionView {
                quantity: s.quantity,
                units_per_day: s.units_per_day.to_string(),
                lead_days: s.lead_days,
                cover_days: s.cover_days,
                suppliers: s
                    .suppliers
                    .into_iter()
                    .map(|x| RankedSupplierView {
                        supplier_id: x.supplier_id,
                        name: x.name,
                        lead_time_days: x.lead_time_days,
                        unit_cost: x.unit_cost.to_string(),
                        on_time_rate: x.on_time_rate.to_string(),
                    })
                    .collect(),
            }),
            sku_id: v.sku.id,
            code: v.sku.code,
            on_hand: v.sku.stock,
            reserved: v.sku.reserved,
            available: v.available,
            safety_threshold: v.threshold,
            low: v.low,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MovementView {
    pub id: String,
    /// receipt, adjustment, reservation, release or shipment.
    pub kind: String,
    pub on_hand_delta: i64,
    pub reserved_delta: i64,
    pub on_hand_after: i64,
    pub reserved_after: i64,
    pub reason: Option<String>,
    pub order_id: Option<String>,
    pub actor: String,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct LedgerView {
    pub items: Vec<MovementView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    pub quantity: i64,
    pub reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentBody {
    /// Positive or negative, not zero.
    #[schema(minimum = -1_000_000_000, maximum = 1_000_000_000)]
    pub delta: i64,
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdBody {
    /// null: use the store's default.
    pub threshold: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresaleBody {
    /// RFC 3339; at most 15 days ahead.
    pub ship_by: String,
    pub cap: i64,
}

#[utoipa::path(get, path = "/api/v1/skus/{id}/stock", tag = "stock", params(("id" = String, Path)), responses((status = 200, body = StockFiguresView), (status = 404, body = Problem)))]
async fn get_stock(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<StockFiguresView>> {
    Ok(Json(s.service.stock(&a, &id).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct LowStockItem {
    pub product_id: String,
    pub title: String,
    pub stock: StockFiguresView,
}

#[derive(Serialize, ToSchema)]
pub struct LowStockView {
    /// Emptiest first, at most 100.
    pub items: Vec<LowStockItem>,
}

/// The store's SKUs below their safety threshold, each with its restock suggestion.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/low-stock", tag = "stock", params(("store_id" = String, Path)), responses((status = 200, body = LowStockView), (status = 404, body = Problem)))]
async fn low_stock(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<LowStockView>> {
    let lines = s.service.low_stock(&a, &store_id).await?;
    Ok(Json(LowStockView {
        items: lines
            .into_iter()
            .map(|l| LowStockItem {
                product_id: l.product_id,
                title: l.title,
                stock: l.stock.into(),
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/skus/{id}/ledger", tag = "stock", params(("id" = String, Path)), responses((status = 200, body = LedgerView), (status = 404, body = Problem)))]
async fn get_ledger(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<LedgerView>> {
    let items = s
        .service
        .ledger(&a, &id)
        .await?
        .into_iter()
        .map(|m| MovementView {
            id: m.id,
            kind: m.kind,
            on_hand_delta: m.on_hand_delta,
            reserved_delta: m.reserved_delta,
            on_hand_after: m.on_hand_after,
            reserved_after: m.reserved_after,
            reason: m.reason,
            order_id: m.order_id,
            actor: m.actor_id,
            at: instant(m.at),
        })
        .collect();
    Ok(Json(LedgerView { items }))
}

#[utoipa::path(post, path = "/api/v1/skus/{id}/receipts", tag = "stock", params(("id" = String, Path)), request_body = ReceiptBody, responses((status = 200, body = StockFiguresView), (status = 422, body = Problem)))]
async fn receive(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ReceiptBody>,
) -> ApiResult<Json<StockFiguresView>> {
    Ok(Json(
        s.service
            .change_stock(&a, &id, Movement::Receipt(b.quantity), b.reason)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/skus/{id}/adjustments", tag = "stock", params(("id" = String, Path)), request_body = AdjustmentBody, responses((status = 200, body = StockFiguresView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn adjust(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AdjustmentBody>,
) -> ApiResult<Json<StockFiguresView>> {
    Ok(Json(
        s.service
            .change_stock(&a, &id, Movement::Adjustment(b.delta), Some(b.reason))
            .await?
            .into(),
    ))
}

#[utoipa::path(put, path = "/api/v1/skus/{id}/safety-threshold", tag = "stock", params(("id" = String, Path)), request_body = ThresholdBody, responses((status = 200, body = StockFiguresView), (status = 422, body = Problem)))]
async fn sku_threshold(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ThresholdBody>,
) -> ApiResult<Json<StockFiguresView>> {
    Ok(Json(
        s.service
            .set_sku_threshold(&a, &id, b.threshold)
            .await?
            .into(),
    ))
}

#[utoipa::path(put, path = "/api/v1/stores/{store_id}/safety-threshold", tag = "stock", params(("store_id" = String, Path)), request_body = ThresholdBody, responses((status = 204), (status = 422, body = Problem)))]
async fn store_threshold(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ThresholdBody>,
) -> ApiResult<StatusCode> {
    let t = b.threshold.ok_or_else(|| {
        crate::problem::ApiError(Problem::validation(vec![marketdesk_core::FieldError {
            field: "threshold".into(),
            message: "a store needs a number".into(),
        }]))
    })?;
    s.service.set_store_threshold(&a, &id, t).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/skus/{id}/presale", tag = "stock", params(("id" = String, Path)), request_body = PresaleBody, responses((status = 200, body = StockFiguresView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn presale(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<PresaleBody>,
) -> ApiResult<Json<StockFiguresView>> {
    Ok(Json(
        s.service
            .start_presale(&a, &id, &b.ship_by, b.cap)
            .await?
            .into(),
    ))
}
