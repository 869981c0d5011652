//! Tickets (工单): customer service opens them, the seller answers within a business day.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use marketdesk_service::aftersales::tickets::{NewTicket, Reply, TicketView};
use marketdesk_service::records::Ticket;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

#[derive(Serialize, ToSchema)]
pub struct TicketMessageView {
    pub id: String,
    pub author_id: String,
    pub author_role: String,
    pub body: String,
    pub evidence_ids: Vec<String>,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct TicketDetailView {
    pub id: String,
    pub store_id: String,
    pub order_id: String,
    pub order_line_id: Option<String>,
    /// wrong_item, urge_shipment, tracking_stalled, delivered_not_received, reshipment, product_question.
    pub kind: String,
    /// awaiting_seller, answered, or waived (not answered in time: evidence waived).
    pub state: String,
    /// What runs when the seller does not answer in time: none or full_refund.
    pub on_timeout: String,
    pub due_at: String,
    pub answered_at: Option<String>,
    /// Reshipment tickets: visible for 48 hours, then null.
    pub buyer_address: Option<String>,
    pub address_visible_until: Option<String>,
    pub reshipment_agreed: Option<bool>,
    pub tracking_number: Option<String>,
    pub created_at: String,
    pub messages: Vec<TicketMessageView>,
}

fn ticket_summary(t: &Ticket) -> TicketDetailView {
    TicketDetailView {
        id: t.id.clone(),
        store_id: t.store_id.clone(),
        order_id: t.order_id.clone(),
        order_line_id: t.order_line_id.clone(),
        kind: t.kind.as_str().into(),
        state: t.state.as_str().into(),
        on_timeout: t.on_timeout.as_str().into(),
        due_at: instant(t.due_at),
        answered_at: t.answered_at.map(instant),
        buyer_address: None,
        address_visible_until: t.address_visible_until.map(instant),
        reshipment_agreed: t.reshipment_agreed,
        tracking_number: t.tracking_number.clone(),
        created_at: instant(t.created_at),
        messages: Vec::new(),
    }
}

impl From<TicketView> for TicketDetailView {
    fn from(v: TicketView) -> Self {
        let mut out = ticket_summary(&v.ticket);
        out.buyer_address = v.buyer_address;
        out.messages = v
            .messages
            .into_iter()
            .map(|m| TicketMessageView {
                id: m.id,
                author_id: m.author_id,
                author_role: m.author_role,
                body: m.body,
                evidence_ids: m.evidence_ids,
                created_at: instant(m.created_at),
            })
            .collect();
        out
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketBody {
    pub order_id: String,
    pub order_line_id: Option<String>,
    pub kind: String,
    pub body: String,
    pub buyer_address: Option<String>,
    /// none or full_refund (the default when order_line_id is given).
    pub on_timeout: Option<String>,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/tickets", tag = "after-sales", request_body = TicketBody,
    responses((status = 201, body = TicketDetailView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn open_ticket(
    State(s): State<AppState>,
    Caller(a): Caller,
    JsonBody(b): JsonBody<TicketBody>,
) -> ApiResult<(StatusCode, Json<TicketDetailView>)> {
    let t = s
        .service
        .open_ticket(
            &a,
            NewTicket {
                order_id: b.order_id,
                order_line_id: b.order_line_id,
                kind: b.kind,
                body: b.body,
                buyer_address: b.buyer_address,
                on_timeout: b.on_timeout,
                evidence_ids: b.evidence_ids,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(super) struct TicketParams {
    store_id: Option<String>,
    state: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tickets", tag = "after-sales", params(TicketParams), responses((status = 200, body = Vec<TicketDetailView>), (status = 422, body = Problem)))]
pub(super) async fn list_tickets(
    State(s): State<AppState>,
    Caller(a): Caller,
    q: Result<Query<TicketParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Vec<TicketDetailView>>> {
    let Query(q) = q?;
    let rows = s
        .service
        .tickets(&a, q.store_id.as_deref(), q.state.as_deref())
        .await?;
    Ok(Json(rows.iter().map(ticket_summary).collect()))
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "after-sales", params(("id" = String, Path)), responses((status = 200, body = TicketDetailView), (status = 404, body = Problem)))]
pub(super) async fn get_ticket(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TicketDetailView>> {
    Ok(Json(s.service.ticket(&a, &id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyBody {
    pub body: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
    pub reshipment_agreed: Option<bool>,
    pub tracking_number: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/tickets/{id}/messages", tag = "after-sales", params(("id" = String, Path)), request_body = ReplyBody,
    responses((status = 201, body = TicketDetailView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn reply_ticket(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ReplyBody>,
) -> ApiResult<(StatusCode, Json<TicketDetailView>)> {
    let t = s
        .service
        .reply_ticket(
            &a,
            &id,
            Reply {
                body: b.body,
                evidence_ids: b.evidence_ids,
                reshipment_agreed: b.reshipment_agreed,
                tracking_number: b.tracking_number,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}
