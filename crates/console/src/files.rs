//! Evidence and labels, viewed from a page: the same access rule as the API (a store's
//! users read their own uploads and the platform's files their records cite).

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::ConsoleState;
use crate::page::refusal;
use crate::session::Signed;

pub async fn show(State(st): State<ConsoleState>, s: Signed, Path(id): Path<String>) -> Response {
    match st.service.file(s.actor(), &id).await {
        Ok((file, bytes)) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&file.content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            // Shown, never run: an uploaded file gets no script and no same-origin rights.
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
                ),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline"),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            res
        }
        Err(e) => refusal(s.chrome.clone(), e),
    }
}
