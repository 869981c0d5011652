//! Lists as CSV: any keyset-paged list streams as `text/csv` page by page (never the whole
//! file in memory), with one header row and the same filters as its JSON form. The row
//! layouts are here once, for the API and the CLI alike.

use std::future::Future;

use axum::body::Body;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use marketdesk_service::ServiceResult;
use marketdesk_service::records::{AftersalesCase, Refund, Violation};

use crate::problem::ApiResult;
use crate::views::{TimelineItemView, instant};

/// Whether the client asked for CSV rather than JSON.
pub fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().starts_with("text/csv")))
}

/// CSV lines for `rows`, the header first when given.
pub fn lines<T>(header: Option<&[&str]>, rows: &[T], row: fn(&T) -> Vec<String>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    if let Some(h) = header {
        let _ = w.write_record(h);
    }
    for r in rows {
        let _ = w.write_record(row(r));
    }
    w.into_inner().unwrap_or_default()
}

/// A CSV download of a paged list, one row per item.
pub async fn paged<T, F, Fut>(
    filename: &str,
    header: &'static [&'static str],
    row: fn(&T) -> Vec<String>,
    fetch: F,
) -> ApiResult<Response>
where
    T: Send + 'static,
    F: Fn(Option<String>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ServiceResult<(Vec<T>, Option<String>)>> + Send + 'static,
{
    let render = move |items: &[T], first: bool| lines(first.then_some(header), items, row);
    paged_with(filename, render, fetch).await
}

/// A CSV download of a paged list, each page made into bytes by `render` (told whether it
/// is the first, which carries the header). The first page is read before the answer
/// starts, so a bad filter or a foreign store is still a problem response; the rest
/// follows as the client reads, `fetch(cursor)` at a time.
pub async fn paged_with<T, R, F, Fut>(filename: &str, render: R, fetch: F) -> ApiResult<Response>
where
    T: Send + 'static,
    R: Fn(&[T], bool) -> Vec<u8> + Send + Sync + Copy + 'static,
    F: Fn(Option<String>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ServiceResult<(Vec<T>, Option<String>)>> + Send + 'static,
{
    let (first, next) = fetch(None).await?;
    let head = Bytes::from(render(&first, true));
    let fetch = std::sync::Arc::new(fetch);
    let rest = futures::stream::unfold(next, move |cursor| {
        let fetch = fetch.clone();
        async move {
            let cursor = cursor?;
            match fetch(Some(cursor)).await {
                Ok((items, next)) => Some((Ok(Bytes::from(render(&items, false))), next)),
                // The status line is gone: cutting the body short is all that is left.
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
            }
        }
    });
    let body = futures::stream::once(async { Ok::<_, std::io::Error>(head) });
    Ok(attachment(
        filename,
        Body::from_stream(futures::StreamExt::chain(body, rest)),
    ))
}

/// A CSV body with its content type and download name.
pub fn attachment(filename: &str, body: Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub const VIOLATION_COLUMNS: &[&str] = &[
    "id",
    "store_id",
    "product_id",
    "site",
    "rule_code",
    "rule_version",
    "severity",
    "progress",
    "outcome",
    "details",
    "rectify_due_at",
    "review_overdue",
    "created_at",
    "closed_at",
];

pub fn violation_row(v: &Violation) -> Vec<String> {
    vec![
        v.id.clone(),
        v.store_id.clone(),
        v.product_id.clone(),
        v.site_code.clone(),
        v.rule_code.clone(),
        v.rule_version.to_string(),
        v.severity.as_str().into(),
        v.state.as_str().into(),
        v.outcome
            .map(|o| o.as_str().to_string())
            .unwrap_or_default(),
        v.details.clone(),
        instant(v.rectify_due_at),
        v.review_overdue.to_string(),
        instant(v.created_at),
        v.closed_at.map(instant).unwrap_or_default(),
    ]
}

pub const CASE_COLUMNS: &[&str] = &[
    "id",
    "store_id",
    "order_id",
    "order_line_id",
    "type",
    "state",
    "reason",
    "quantity",
    "requested",
    "refunded",
    "currency",
    "decided_by",
    "warehouse_id",
    "created_at",
];

pub fn case_row(k: &AftersalesCase) -> Vec<String> {
    vec![
        k.id.clone(),
        k.store_id.clone(),
        k.order_id.clone(),
        k.order_line_id.clone().unwrap_or_default(),
        k.case_type.as_str().into(),
        k.state.as_str().into(),
        k.reason.clone(),
        k.quantity.map(|q| q.to_string()).unwrap_or_default(),
        k.requested_amount.clone(),
        k.refund_amount.clone().unwrap_or_default(),
        k.currency.clone(),
        k.decided_by
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        k.warehouse_id.clone().unwrap_or_default(),
        instant(k.created_at),
    ]
}

pub const REFUND_COLUMNS: &[&str] = &[
    "id",
    "store_id",
    "case_id",
    "order_id",
    "order_line_id",
    "amount",
    "currency",
    "created_at",
];

pub fn refund_row(r: &Refund) -> Vec<String> {
    vec![
        r.id.clone(),
        r.store_id.clone(),
        r.case_id.clone(),
        r.order_id.clone(),
        r.order_line_id.clone(),
        r.amount.clone(),
        r.currency.clone(),
        instant(r.created_at),
    ]
}

pub const TIMELINE_COLUMNS: &[&str] = &[
    "id",
    "at",
    "actor",
    "actor_role",
    "action",
    "from",
    "to",
    "delist_kind",
    "reason_code",
    "reason_text",
    "evidence_ids",
    "changes",
];

/// A timeline row; an edit's changes as `field: before → after`, one per line of the cell.
pub fn timeline_row(t: &TimelineItemView) -> Vec<String> {
    let changes: Vec<String> = t
        .changes
        .iter()
        .map(|c| {
            format!(
                "{}: {} → {}",
                c.field,
                c.before.as_deref().unwrap_or(""),
                c.after.as_deref().unwrap_or("")
            )
        })
        .collect();
    vec![
        t.id.clone(),
        t.at.clone(),
        t.actor.clone(),
        t.actor_role.clone(),
        t.action.clone(),
        t.from.clone().unwrap_or_default(),
        t.to.clone(),
        t.delist_kind.clone().unwrap_or_default(),
        t.reason_code.clone().unwrap_or_default(),
        t.reason_text.clone().unwrap_or_default(),
        t.evidence_ids.join(" "),
        changes.join("\n"),
    ]
}
