//! The weekly review (周复盘) as JSON or CSV: one store's, or every store's for platform
//! staff. The console shows the same report as a page with charts.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use marketdesk_core::FieldError;
use marketdesk_service::weekly_review::{self, WeeklyReport};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::csv_export::{attachment, wants_csv};
use crate::extract::Caller;
use crate::problem::{ApiError, ApiResult, Problem};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(store_review))
        .routes(routes!(platform_review))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct WeekParams {
    /// An ISO week such as `2026-W49`; by default the last whole week.
    week: Option<String>,
    /// `csv` for a download (the same as `Accept: text/csv`).
    format: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OnTimeBody {
    pub due: i64,
    pub on_time: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TrendBody {
    pub week: String,
    pub violation_delists: i64,
    pub rate: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReasonCount {
    pub reason_code: String,
    pub delists: i64,
}

#[derive(Serialize, ToSchema)]
pub struct WeeklyReviewBody {
    pub store_id: String,
    pub store_name: String,
    pub site_code: String,
    pub time_zone: String,
    pub week: String,
    pub from: String,
    pub to: String,
    pub listings: i64,
    pub delists_by_reason: Vec<ReasonCount>,
    pub violation_delists: i64,
    /// Per 100 listings.
    pub violation_delist_rate: String,
    pub trend: Vec<TrendBody>,
    pub relists: i64,
    pub relist_cycle_days: Option<String>,
    pub relists_within_goal: i64,
    pub tickets: OnTimeBody,
    pub aftersales: OnTimeBody,
    pub fulfilment: OnTimeBody,
    pub compliance_score: u32,
    pub healthy: bool,
}

fn body(r: WeeklyReport) -> WeeklyReviewBody {
    let on_time = |t: weekly_review::OnTime| OnTimeBody {
        due: t.due,
        on_time: t.on_time,
    };
    WeeklyReviewBody {
        store_id: r.store_id,
        store_name: r.store_name,
        site_code: r.site_code,
        time_zone: r.time_zone,
        week: r.week,
        from: r.from,
        to: r.to,
        listings: r.listings,
        delists_by_reason: r
            .delists_by_reason
            .into_iter()
            .map(|(reason_code, delists)| ReasonCount {
                reason_code,
                delists,
            })
            .collect(),
        violation_delists: r.violation_delists,
        violation_delist_rate: r.violation_delist_rate.to_string(),
        trend: r
            .trend
            .into_iter()
            .map(|t| TrendBody {
                week: t.week,
                violation_delists: t.violation_delists,
                rate: t.rate.to_string(),
            })
            .collect(),
        relists: r.relists,
        relist_cycle_days: r.relist_cycle_days,
        relists_within_goal: r.relists_within_goal,
        tickets: on_time(r.tickets),
        aftersales: on_time(r.cases),
        fulfilment: on_time(r.fulfilment),
        compliance_score: r.score,
        healthy: r.healthy,
    }
}

fn params(
    q: Result<Query<WeekParams>, axum::extract::rejection::QueryRejection>,
    headers: &HeaderMap,
) -> Result<(Option<String>, bool), ApiError> {
    let Query(q) = q.map_err(|e| {
        ApiError(Problem::validation(vec![FieldError {
            field: "query".into(),
            message: e.body_text(),
        }]))
    })?;
    let csv = match q.format.as_deref() {
        None => wants_csv(headers),
        Some("csv") => true,
        Some("json") => false,
        Some(other) => {
            return Err(ApiError(Problem::validation(vec![FieldError {
                field: "format".into(),
                message: format!("must be csv or json, not {other:?}"),
            }])));
        }
    };
    Ok((q.week, csv))
}

/// A store's weekly review (the store's sellers and platform staff): delists by reason,
/// the violation delist rate and its 8-week trend, the relist cycle against the goal of 3
/// working days, on-time rates and the compliance score. JSON, or CSV with `format=csv`.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/weekly-review", tag = "monitoring",
    params(("store_id" = String, Path), WeekParams),
    responses((status = 200, body = WeeklyReviewBody), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn store_review(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    headers: HeaderMap,
    q: Result<Query<WeekParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    let (week, csv) = params(q, &headers)?;
    let r = s
        .service
        .weekly_review(&actor, &store_id, week.as_deref())
        .await?;
    if csv {
        let name = format!("weekly-review-{}-{}.csv", r.week, r.store_id);
        return Ok(attachment(&name, Body::from(weekly_review::csv(&[r]))));
    }
    Ok(Json(body(r)).into_response())
}

/// Every store's weekly review (platform staff): the platform's 周复盘.
#[utoipa::path(get, path = "/api/v1/weekly-review", tag = "monitoring", params(WeekParams),
    responses((status = 200, body = Vec<WeeklyReviewBody>), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)))]
async fn platform_review(
    State(s): State<AppState>,
    Caller(actor): Caller,
    headers: HeaderMap,
    q: Result<Query<WeekParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Response> {
    let (week, csv) = params(q, &headers)?;
    let all = s
        .service
        .platform_weekly_review(&actor, week.as_deref())
        .await?;
    if csv {
        let name = format!(
            "weekly-review-{}.csv",
            all.first().map(|r| r.week.as_str()).unwrap_or("none")
        );
        return Ok(attachment(&name, Body::from(weekly_review::csv(&all))));
    }
    Ok(Json(all.into_iter().map(body).collect::<Vec<_>>()).into_response())
}
