//! The live stream every page listens to (Server-Sent Events): each new inbox message
//! of the signed-in person, so the unread badge counts up and a red alert pops up on
//! whatever page is open the moment it arrives (seed 000: "APP弹窗").

use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use crate::ConsoleState;
use crate::session::Signed;

/// The browser's EventSource reconnects by itself with `Last-Event-ID`: what arrived
/// in between is sent first. Over the caps (see `marketdesk_service::live`) the stream is
/// refused with its status; the page keeps working without live updates.
pub async fn stream(
    State(st): State<ConsoleState>,
    s: Signed,
    headers: axum::http::HeaderMap,
) -> Response {
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let events = match st
        .service
        .inbox_stream(s.session.actor.user_id.clone(), last_seen)
        .await
    {
        Ok(events) => events,
        Err(e) => return crate::page::refusal(s.chrome.clone(), e),
    };
    let events = events.map(|m| {
        let data = serde_json::json!({
            "id": m.id,
            "severity": m.severity,
            "title": m.title,
            "body": m.body,
            "href": crate::inbox::href(&m),
        });
        Ok::<_, std::convert::Infallible>(
            Event::default()
                .event("message")
                .id(m.id.clone())
                .data(data.to_string()),
        )
    });
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}
