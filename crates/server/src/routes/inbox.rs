//! The in-app inbox (站内信): list, unread count, mark read, and a live stream (SSE).

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use marketdesk_service::records::InboxMessage;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::Caller;
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(read))
        .routes(routes!(stream))
}

#[derive(Serialize, ToSchema)]
pub struct MessageView {
    pub id: String,
    pub event_type: String,
    /// info, warning or red.
    pub severity: String,
    pub title: String,
    pub body: String,
    /// The product (or order) the message is about.
    pub subject_id: String,
    pub created_at: String,
    pub read_at: Option<String>,
}

impl From<&InboxMessage> for MessageView {
    fn from(m: &InboxMessage) -> Self {
        MessageView {
            id: m.id.clone(),
            event_type: m.event_type.clone(),
            severity: m.severity.clone(),
            title: m.title.clone(),
            body: m.body.clone(),
            subject_id: m.subject_id.clone(),
            created_at: instant(m.created_at),
            read_at: m.read_at.map(instant),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InboxView {
    pub items: Vec<MessageView>,
    pub unread_count: i64,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct InboxParams {
    /// true: only unread messages.
    unread: Option<bool>,
    cursor: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/inbox", tag = "inbox", operation_id = "list_inbox", params(InboxParams), responses((status = 200, body = InboxView), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    Caller(a): Caller,
    q: Result<Query<InboxParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<InboxView>> {
    let Query(q) = q?;
    let page = s
        .service
        .inbox(&a, q.unread.unwrap_or(false), q.cursor.as_deref(), q.limit)
        .await?;
    Ok(Json(InboxView {
        items: page.items.iter().map(MessageView::from).collect(),
        unread_count: page.unread_count,
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(post, path = "/api/v1/inbox/{id}/read", tag = "inbox", params(("id" = String, Path)), responses((status = 204), (status = 404, body = Problem)))]
async fn read(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.service.mark_read(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/inbox/stream", tag = "inbox",
    params(("Last-Event-ID" = Option<String>, Header, description = "The id of the last message received: every message after it is sent first, oldest first")),
    responses((status = 200, description = "Server-Sent Events: one `message` event per new inbox message for this user, its `id` the message's", content_type = "text/event-stream"),
        (status = 429, description = "This person has the most live streams open already", body = Problem),
        (status = 503, description = "This server has the most live streams open already", body = Problem)))]
async fn stream(
    State(s): State<AppState>,
    Caller(a): Caller,
    headers: axum::http::HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    use futures::StreamExt;
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let events = s
        .service
        .inbox_stream(a.user_id, last_seen)
        .await?
        .map(|m| {
            let data = serde_json::to_string(&MessageView::from(m.as_ref())).unwrap_or_default();
            Ok(Event::default()
                .event("message")
                .id(m.id.clone())
                .data(data))
        });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
