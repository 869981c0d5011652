//! Products as CSV over HTTP: the product list as `text/csv` when the client asks for it,
//! streamed page by page (never the whole file in memory), and the bulk import.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use marketdesk_service::product_csv::{ImportSummary, export_chunk, read_import};
use marketdesk_service::products::{Product, ProductQuery};
use marketdesk_service::{Actor, Service, ServiceError};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::csv_export;
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

/// The filtered product list as CSV, one row per SKU, streamed page by page.
pub async fn export(
    service: Service,
    actor: Actor,
    store_id: String,
    query: ProductQuery,
) -> ApiResult<Response> {
    let filename = format!("products-{store_id}.csv");
    // A product is a row per SKU: the service's export makes each page's lines.
    let fetch = move |cursor: Option<String>| {
        let (service, actor, store_id) = (service.clone(), actor.clone(), store_id.clone());
        let q = ProductQuery {
            cursor,
            limit: Some(EXPORT_PAGE),
            ..query.clone()
        };
        async move {
            let page = service.products(&actor, &store_id, &q).await?;
            Ok((page.items, page.next_cursor))
        }
    };
    let render = |items: &[Product], first: bool| export_chunk(items, first);
    csv_export::paged_with(&filename, render, fetch).await
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
