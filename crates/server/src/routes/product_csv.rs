//! Products as CSV over HTTP: the product list as `text/csv` when the client asks for it,
//! streamed page by page (never the whole file in memory), and the bulk import.

use axum::Json;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use marketdesk_service::product_csv::{ImportSummary, export_chunk, read_import};
use marketdesk_service::products::ProductQuery;
use marketdesk_service::{Actor, Service, ServiceError};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::Caller;
use crate::problem::{ApiError, ApiResult, Problem};

/// An import file may be large: 100,000 rows are about 10 MB.
const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// Products per page while streaming an export.
const EXPORT_PAGE: i64 = 200;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_products))
        .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES))
}

/// Whether the client asked for CSV rather than JSON.
pub fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().starts_with("text/csv")))
}

/// The filtered product list as CSV, one row per SKU. The first page is read before the
/// answer starts, so a bad filter or a foreign store is still a problem response; the
/// rest follows page by page as the client reads.
pub async fn export(
    service: Service,
    actor: Actor,
    store_id: String,
    mut query: ProductQuery,
) -> ApiResult<Response> {
    query.limit = Some(EXPORT_PAGE);
    query.cursor = None;
    let first = service.products(&actor, &store_id, &query).await?;
    let head = Bytes::from(export_chunk(&first.items, true));
    let next = first.next_cursor.map(|c| {
        let mut q = query.clone();
        q.cursor = Some(c);
        q
    });
    let filename = format!("attachment; filename=\"products-{store_id}.csv\"");
    let rest = futures::stream::unfold(next, move |state| {
        let (service, actor, store_id) = (service.clone(), actor.clone(), store_id.clone());
        async move {
            let mut q = state?;
            match service.products(&actor, &store_id, &q).await {
                Ok(page) => {
                    let chunk = Bytes::from(export_chunk(&page.items, false));
                    let next = page.next_cursor.map(|c| {
                        q.cursor = Some(c);
                        q
                    });
                    Some((Ok(chunk), next))
                }
                // The status line is gone: cutting the body short is all that is left.
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
            }
        }
    });
    let body = futures::stream::once(async { Ok::<_, std::io::Error>(head) });
    let body = Body::from_stream(futures::StreamExt::chain(body, rest));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, filename),
        ],
        body,
    )
        .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ImportView {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Products named in the file whose content already matched it.
    pub unchanged: usize,
}

impl From<ImportSummary> for ImportView {
    fn from(s: ImportSummary) -> Self {
        Self {
            rows: s.rows,
            created: s.created,
            updated: s.updated,
            unchanged: s.unchanged,
        }
    }
}

/// Creates and updates the store's products from a CSV file (the export's columns;
/// `title`, `category`, `sku_code` and `price` required): all rows or none, every bad row
/// reported as `line N: column`.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/products/import", tag = "products",
    params(("store_id" = String, Path)),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportView), (status = 415, body = Problem),
        (status = 422, description = "Nothing was imported", body = Problem), (status = 403, body = Problem)))]
async fn import_products(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<ImportView>> {
    let csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().starts_with("text/csv"));
    if !csv {
        return Err(ApiError(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Send the file as text/csv",
            "the import reads a CSV file with the Content-Type text/csv",
        )));
    }
    let rows = read_import(&body[..]).map_err(ServiceError::Invalid)?;
    let summary = s
        .service
        .import_products(&actor, &store_id, &rows, &|_| {})
        .await?;
    Ok(Json(summary.into()))
}
