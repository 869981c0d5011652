//! Order routes: orders arrive from the platform, then ship, arrive or are cancelled.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_core::OrderState;
use marketdesk_service::order_list::OrderQuery;
use marketdesk_service::orders::{NewLine, NewOrder, Order};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::IntoParams;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody, OptionalJsonBody, QueryParams, whole_number};
use crate::problem::{ApiResult, Problem};
use crate::views::{MoneyView, instant};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(place_order, list_orders))
        .routes(routes!(get_order))
        .routes(routes!(ship_order))
        .routes(routes!(deliver_order))
        .routes(routes!(cancel_order))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLineBody {
    pub sku_id: String,
    pub quantity: i64,
    /// The price the buyer paid per unit, a decimal string in the store's currency.
    pub unit_price: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderBody {
    pub store_id: String,
    pub lines: Vec<OrderLineBody>,
    /// The platform's reference of the buyer: 1 to 64 characters without spaces.
    pub buyer_id: Option<String>,
    /// The affiliate (creator) who brought the order: 1 to 64 characters without spaces.
    pub affiliate_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrderLineView {
    pub id: String,
    pub sku_id: String,
    pub product_id: String,
    pub quantity: i64,
    pub unit_price: MoneyView,
    /// What the buyer paid for the line: later refunds are capped by it.
    pub amount: MoneyView,
    pub presale: bool,
    pub ship_by: Option<String>,
    pub shipped_late: bool,
}

#[derive(Serialize, ToSchema)]
pub struct OrderView {
    pub id: String,
    pub store_id: String,
    /// placed, shipped, delivered or cancelled.
    pub state: String,
    pub total: MoneyView,
    pub lines: Vec<OrderLineView>,
    pub buyer_id: Option<String>,
    pub affiliate_id: Option<String>,
    /// JIT orders: when the goods are due at the platform warehouse (48 h after the order),
    /// when they arrived, and when the order was flagged overdue.
    pub jit_due_at: Option<String>,
    pub inbound_at: Option<String>,
    pub jit_overdue_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Order> for OrderView {
    fn from(o: Order) -> Self {
        let cur = o.order.currency.clone();
        let money = |a: String| MoneyView {
            amount: a,
            currency: cur.clone(),
        };
        OrderView {
            lines: o
                .lines
                .into_iter()
                .map(|l| OrderLineView {
                    id: l.id,
                    sku_id: l.sku_id,
                    product_id: l.product_id,
                    quantity: l.quantity,
                    unit_price: money(l.unit_price),
                    amount: money(l.amount),
                    presale: l.presale,
                    ship_by: l.ship_by.map(instant),
                    shipped_late: l.shipped_late,
                })
                .collect(),
            id: o.order.id,
            buyer_id: o.order.buyer_id,
            affiliate_id: o.order.affiliate_id,
            jit_due_at: o.order.jit_due_at.map(instant),
            inbound_at: o.order.inbound_at.map(instant),
            jit_overdue_at: o.order.jit_overdue_at.map(instant),
            store_id: o.order.store_id,
            state: o.order.state.as_str().into(),
            total: money(o.order.total),
            created_at: instant(o.order.created_at),
            updated_at: instant(o.order.updated_at),
        }
    }
}

/// The order list's filters; unknown parameters are refused.
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct OrderListParams {
    /// Platform staff only; a seller's list is always its own store's.
    store_id: Option<String>,
    /// placed, shipped, delivered or cancelled
    state: Option<String>,
    /// RFC 3339: placed at or after.
    placed_from: Option<String>,
    /// RFC 3339: placed before.
    placed_to: Option<String>,
    /// One buyer's orders, by the platform's buyer reference.
    buyer_id: Option<String>,
    cursor: Option<String>,
    /// 1 to 200, default 50.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrderPageView {
    pub items: Vec<OrderView>,
    pub next_cursor: Option<String>,
    /// Orders per state under the other filters (the list's tabs).
    pub counts: BTreeMap<String, i64>,
}

#[utoipa::path(get, path = "/api/v1/orders", tag = "orders", params(OrderListParams),
    responses((status = 200, body = OrderPageView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_orders(
    State(s): State<AppState>,
    Caller(a): Caller,
    QueryParams(p): QueryParams<OrderListParams>,
) -> ApiResult<Json<OrderPageView>> {
    let q = OrderQuery {
        limit: whole_number("limit", p.limit.as_deref())?,
        store_id: p.store_id,
        state: p.state,
        placed_from: p.placed_from,
        placed_to: p.placed_to,
        buyer_id: p.buyer_id,
        cursor: p.cursor,
    };
    let page = s.service.orders(&a, q).await?;
    Ok(Json(OrderPageView {
        items: page.items.into_iter().map(OrderView::from).collect(),
        next_cursor: page.next_cursor,
        counts: page.counts,
    }))
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = OrderBody,
    responses((status = 201, body = OrderView), (status = 409, description = "Not enough stock or frozen; nothing reserved; `errors` names the lines", body = Problem), (status = 422, body = Problem)))]
async fn place_order(
    State(s): State<AppState>,
    Caller(a): Caller,
    JsonBody(b): JsonBody<OrderBody>,
) -> ApiResult<(StatusCode, Json<OrderView>)> {
    let new = NewOrder {
        store_id: b.store_id,
        buyer_id: b.buyer_id,
        affiliate_id: b.affiliate_id,
        lines: b
            .lines
            .into_iter()
            .map(|l| NewLine {
                sku_id: l.sku_id,
                quantity: l.quantity,
                unit_price: l.unit_price,
            })
            .collect(),
    };
    Ok((
        StatusCode::CREATED,
        Json(s.service.place_order(&a, new).await?.into()),
    ))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", params(("id" = String, Path)), responses((status = 200, body = OrderView), (status = 404, body = Problem)))]
async fn get_order(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(s.service.order(&a, &id).await?.into()))
}

/// The body of a move that takes no input: absent, `null` or `{}`; anything in it is
/// refused rather than silently ignored.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NoBody {}

#[utoipa::path(post, path = "/api/v1/orders/{id}/ship", tag = "orders", params(("id" = String, Path)), request_body(content = Option<NoBody>), responses((status = 200, body = OrderView), (status = 409, body = Problem)))]
async fn ship_order(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    OptionalJsonBody(NoBody {}): OptionalJsonBody<NoBody>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        s.service
            .order_step(&a, &id, OrderState::Shipped)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/deliver", tag = "orders", params(("id" = String, Path)), request_body(content = Option<NoBody>), responses((status = 200, body = OrderView), (status = 409, body = Problem)))]
async fn deliver_order(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    OptionalJsonBody(NoBody {}): OptionalJsonBody<NoBody>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        s.service
            .order_step(&a, &id, OrderState::Delivered)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/cancel", tag = "orders", params(("id" = String, Path)), request_body(content = Option<NoBody>), responses((status = 200, body = OrderView), (status = 409, body = Problem)))]
async fn cancel_order(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    OptionalJsonBody(NoBody {}): OptionalJsonBody<NoBody>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(
        s.service
            .order_step(&a, &id, OrderState::Cancelled)
            .await?
            .into(),
    ))
}
