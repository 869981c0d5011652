//! The live stream every page listens to (Server-Sent Events): each new inbox message
//! of the signed-in person, so the unread badge counts up and a red alert pops up on
//! whatever page is open the moment it arrives (seed 000: "APP弹窗").

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

use crate::ConsoleState;
use crate::session::Signed;

pub async fn stream(
    State(st): State<ConsoleState>,
    s: Signed,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = st.service.subscribe();
    let user = s.session.actor.user_id.clone();
    let events = futures::stream::unfold(rx, move |mut rx| {
        let user = user.clone();
        async move {
            loop {
                match rx.recv().await {
                    Ok(m) if m.user_id == user => {
                        let data = serde_json::json!({
                            "id": m.id,
                            "severity": m.severity,
                            "title": m.title,
                            "body": m.body,
                            "href": crate::inbox::href(&m),
                        });
                        return Some((
                            Ok(Event::default()
                                .event("message")
                                .id(m.id.clone())
                                .data(data.to_string())),
                            rx,
                        ));
                    }
                    Ok(_) | Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
