//! Site calendars: read, edit (admins), and deadline arithmetic on them.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use marketdesk_core::FieldError;
use marketdesk_core::calendar::Span;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiError, ApiResult, Problem};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_calendar))
        .routes(routes!(put_day, delete_day))
        .routes(routes!(due))
}

#[derive(Serialize, ToSchema)]
pub struct DayView {
    pub date: String,
    /// holiday or workday (a weekend day declared a working day).
    pub kind: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarView {
    pub site: String,
    pub time_zone: String,
    /// Weekend days, e.g. "sat,sun".
    pub weekend: String,
    pub days: Vec<DayView>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct YearParam {
    /// Only this year's days; absent: every year on file.
    #[param(minimum = 1, maximum = 9998)]
    year: Option<i16>,
}

fn bad(field: &str, message: impl Into<String>) -> ApiError {
    ApiError(Problem::validation(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }]))
}

#[utoipa::path(get, path = "/api/v1/sites/{code}/calendar", tag = "calendar", params(("code" = String, Path), YearParam),
    responses((status = 200, body = CalendarView), (status = 404, body = Problem)))]
async fn get_calendar(
    State(s): State<AppState>,
    Caller(_caller): Caller,
    Path(code): Path<String>,
    q: Result<Query<YearParam>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<CalendarView>> {
    let Query(q) = q.map_err(|e| bad("year", e.body_text()))?;
    let c = s.service.calendar(&code, q.year).await?;
    Ok(Json(CalendarView {
        site: c.site,
        time_zone: c.time_zone,
        weekend: c.weekend,
        days: c
            .days
            .into_iter()
            .map(|d| DayView {
                date: d.day,
                kind: d.kind,
                name: d.name,
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayBody {
    /// holiday or workday.
    pub kind: String,
    pub name: String,
}

#[utoipa::path(put, path = "/api/v1/sites/{code}/calendar/{date}", tag = "calendar", params(("code" = String, Path), ("date" = String, Path)), request_body = DayBody,
    responses((status = 200, body = DayView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_day(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path((code, date)): Path<(String, String)>,
    JsonBody(b): JsonBody<DayBody>,
) -> ApiResult<Json<DayView>> {
    let d = s
        .service
        .set_calendar_day(&a, &code, &date, &b.kind, &b.name)
        .await?;
    Ok(Json(DayView {
        date: d.day,
        kind: d.kind,
        name: d.name,
    }))
}

#[utoipa::path(delete, path = "/api/v1/sites/{code}/calendar/{date}", tag = "calendar", params(("code" = String, Path), ("date" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn delete_day(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path((code, date)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    s.service.delete_calendar_day(&a, &code, &date).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DueParams {
    /// RFC 3339 start instant.
    from: String,
    business_days: Option<u32>,
    hours: Option<i64>,
    calendar_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct DueView {
    /// The deadline, RFC 3339 in UTC.
    pub due: String,
    /// The same instant in the site's time zone.
    pub due_local: String,
}

#[utoipa::path(get, path = "/api/v1/sites/{code}/calendar/due", tag = "calendar", params(("code" = String, Path), DueParams),
    responses((status = 200, body = DueView), (status = 422, body = Problem)))]
async fn due(
    State(s): State<AppState>,
    Caller(_caller): Caller,
    Path(code): Path<String>,
    q: Result<Query<DueParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<DueView>> {
    let Query(q) = q.map_err(|e| bad("query", e.body_text()))?;
    let from: jiff::Timestamp = q.from.parse().map_err(|_| {
        bad(
            "from",
            "must be an RFC 3339 instant such as 2026-11-25T15:00:00Z",
        )
    })?;
    let span =
        Span::parse(q.business_days, q.hours, q.calendar_days).map_err(|m| bad("span", m))?;
    let due = s.service.due(&code, from, span).await?;
    let zone = s.service.calendar(&code, Some(1)).await?.time_zone;
    let tz = jiff::tz::TimeZone::get(&zone).unwrap_or(jiff::tz::TimeZone::UTC);
    Ok(Json(DueView {
        due: due.to_string(),
        due_local: due
            .to_zoned(tz)
            .strftime("%Y-%m-%dT%H:%M:%S%:z[%Q]")
            .to_string(),
    }))
}
