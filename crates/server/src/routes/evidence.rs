//! Evidence uploads (multipart, one file).

use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use marketdesk_core::FieldError;
use marketdesk_service::evidence::MAX_EVIDENCE_BYTES;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::Caller;
use crate::problem::{ApiError, ApiResult, Problem};
use crate::views::EvidenceView;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        // Room for the file plus multipart framing; the service checks the file's size.
        .layer(DefaultBodyLimit::max(MAX_EVIDENCE_BYTES + 64 * 1024))
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError(Problem::validation(vec![FieldError {
        field: "file".into(),
        message: message.into(),
    }]))
}

#[utoipa::path(post, path = "/api/v1/evidence", tag = "evidence",
    request_body(content_type = "multipart/form-data", description = "One part named `file`: JPEG, PNG, WebP, GIF or PDF, at most 10 MiB"),
    responses((status = 201, body = EvidenceView), (status = 422, body = Problem), (status = 413, body = Problem)))]
async fn upload(
    State(s): State<AppState>,
    Caller(actor): Caller,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<(StatusCode, Json<EvidenceView>)> {
    let mut multipart = multipart.map_err(|e| bad(e.body_text()))?;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "File too large",
                format!("at most {} MiB", MAX_EVIDENCE_BYTES / 1024 / 1024),
            ))
        } else {
            bad(e.body_text())
        }
    })? {
        if field.name() != Some("file") {
            continue;
        }
        let filename = field.file_name().unwrap_or("upload").to_string();
        let bytes = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError(Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    "File too large",
                    format!("at most {} MiB", MAX_EVIDENCE_BYTES / 1024 / 1024),
                ))
            } else {
                bad(e.body_text())
            }
        })?;
        let row = s.service.upload_evidence(&actor, &filename, bytes).await?;
        return Ok((StatusCode::CREATED, Json(row.into())));
    }
    Err(bad("send one multipart part named \"file\""))
}
