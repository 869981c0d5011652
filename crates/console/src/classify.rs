//! The reason suggestion under the delist dialog's and the take-down form's free text:
//! what the classifier makes of the words typed, fetched by htmx as the seller or
//! reviewer types, and shown again on the delist check step for pages read without
//! JavaScript.

use axum::extract::Request;
use axum::response::{Html, IntoResponse, Response};
use marketdesk_service::monitoring;

use crate::page::Chrome;
use crate::session::{Signed, signed_form};

/// "Suggested reason for this text: Out of stock (93 %)", or nothing for a blank text or
/// when the suggestion is `skip` (the code already chosen).
pub fn suggestion(chrome: &Chrome, text: &str, skip: Option<&str>) -> Option<String> {
    let c = monitoring::classify_checked(text).ok()?;
    let code = c.best.code.as_str();
    if skip == Some(code) {
        return None;
    }
    let percent = format!("{:.0}", c.best.confidence * 100.0);
    Some(chrome.fill(
        "delist.suggested",
        &[
            ("reason", chrome.word(&format!("reason.{code}"))),
            ("confidence", percent.as_str()),
        ],
    ))
}

/// The htmx fragment: the suggestion for `reason_text` (delist) or `details` (take-down),
/// as plain escaped text; empty when there is nothing to suggest.
pub async fn suggest(s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let text = f
        .text("reason_text")
        .or_else(|| f.text("details"))
        .unwrap_or_default();
    let shown = suggestion(&s.chrome, &text, None).unwrap_or_default();
    Html(escape(&shown)).into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
