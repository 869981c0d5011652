//! Serving uploaded files — evidence, listing images, return labels — and pictures'
//! thumbnails, to the owning store's users and the platform's staff (404 for anyone else).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use marketdesk_service::records::File;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::Caller;
use crate::problem::{ApiResult, Problem};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_file))
        .routes(routes!(get_thumbnail))
}

/// `filename="…"` for old clients (ASCII, quotes and controls replaced) and `filename*`
/// (RFC 5987, UTF-8) for the real name, which may be Chinese.
fn disposition(kind: &str, name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The bytes with their type, name and validators. A file never changes under its id,
/// so its ETag is its content hash and caches may keep it (privately: it is not public).
fn serve(
    headers: &HeaderMap,
    etag: String,
    content_type: &str,
    disposition: String,
    body: Bytes,
) -> Response {
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\""));
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut out = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream")),
        );
        if let Ok(d) = HeaderValue::from_str(&disposition) {
            r.headers_mut().insert(header::CONTENT_DISPOSITION, d);
        }
        r
    };
    let h = out.headers_mut();
    h.insert(header::ETAG, etag_value);
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out
}

/// Pictures and PDFs open in the browser; the disposition still names the file.
fn kind_of(f: &File) -> &'static str {
    if f.content_type.starts_with("image/") || f.content_type == "application/pdf" {
        "inline"
    } else {
        "attachment"
    }
}

#[utoipa::path(get, path = "/api/v1/files/{id}", tag = "evidence",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "The file, with its content type, `Content-Disposition`, `ETag` (its SHA-256) and `Cache-Control`", content_type = "application/octet-stream"),
        (status = 304, description = "`If-None-Match` named the current ETag"),
        (status = 404, description = "No such file, or not this caller's to read", body = Problem)))]
async fn get_file(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (file, bytes) = s.service.file(&actor, &id).await?;
    let etag = format!("\"{}\"", file.sha256);
    let disposition = disposition(kind_of(&file), &file.filename);
    Ok(serve(
        &headers,
        etag,
        &file.content_type,
        disposition,
        bytes,
    ))
}

#[utoipa::path(get, path = "/api/v1/files/{id}/thumbnail", tag = "evidence",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "A PNG of at most 256 px a side", content_type = "image/png"),
        (status = 304, description = "`If-None-Match` named the current ETag"),
        (status = 404, description = "No such file, not this caller's to read, or a document (no thumbnail)", body = Problem)))]
async fn get_thumbnail(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (file, bytes) = s.service.file_thumbnail(&actor, &id).await?;
    let etag = format!("\"{}\"", file.thumbnail_sha256.unwrap_or_default());
    let stem = file
        .filename
        .rsplit_once('.')
        .map_or(file.filename.as_str(), |(stem, _)| stem);
    let disposition = disposition("inline", &format!("{stem}-thumbnail.png"));
    Ok(serve(&headers, etag, "image/png", disposition, bytes))
}
