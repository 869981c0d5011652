//! The live stream every page listens to (Server-Sent Events): each new inbox message
//! of the signed-in person, so the unread badge counts up and a red alert pops up on
//! whatever page is open the moment it arrives (seed 000: "APP弹窗").

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use futures::StreamExt;

use crate::ConsoleState;
use crate::session::Signed;

pub async fn stream(
    State(st): State<ConsoleState>,
    s: Signed,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let events = st.service.inbox_stream(s.session.actor.user_id).map(|m| {
        let data = serde_json::json!({
            "id": m.id,
            "severity": m.severity,
            "title": m.title,
            "body": m.body,
            "href": crate::inbox::href(&m),
        });
        Ok(Event::default()
            .event("message")
            .id(m.id.clone())
            .data(data.to_string()))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
