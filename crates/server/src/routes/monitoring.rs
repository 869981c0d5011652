//! Monitoring intelligence: the reason classifier, a store's compliance score and
//! category benchmark, and a violation's rectification advice.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use marketdesk_core::Language;
use marketdesk_service::{benchmarks, monitoring};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(classify))
        .routes(routes!(compliance))
        .routes(routes!(benchmark))
        .routes(routes!(advice))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyBody {
    /// A reason text as a seller or reviewer wrote it (1–2,000 characters), Chinese,
    /// English or both.
    #[schema(min_length = 1, max_length = 2000)]
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScoredCode {
    /// One of domain.md's 14 reason codes.
    pub reason_code: String,
    /// 0–1.
    pub confidence: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ClassifyView {
    pub reason_code: String,
    pub confidence: f64,
    /// The next most likely codes (at most three, each at least 0.05).
    pub alternatives: Vec<ScoredCode>,
}

fn rounded(x: f32) -> f64 {
    (f64::from(x) * 10_000.0).round() / 10_000.0
}

/// Suggests the reason code for a free text (any signed-in user).
#[utoipa::path(post, path = "/api/v1/classify", tag = "monitoring", request_body = ClassifyBody,
    responses((status = 200, body = ClassifyView), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn classify(
    Caller(_actor): Caller,
    JsonBody(b): JsonBody<ClassifyBody>,
) -> ApiResult<Json<ClassifyView>> {
    let c = monitoring::classify_checked(&b.text)?;
    Ok(Json(ClassifyView {
        reason_code: c.best.code.as_str().into(),
        confidence: rounded(c.best.confidence),
        alternatives: c
            .alternatives
            .iter()
            .map(|a| ScoredCode {
                reason_code: a.code.as_str().into(),
                confidence: rounded(a.confidence),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ComponentView {
    /// violations, overdue_rectifications, relist_cycle, tickets_on_time,
    /// aftersales_on_time or fulfilment_on_time.
    pub name: String,
    /// The points the component is worth (the six sum to 100).
    pub weight: u32,
    /// The points earned, to three decimals, as text.
    pub earned: String,
    /// The figure judged, as a seller reads it (`3/120`, `2.5`).
    pub measured: String,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryView {
    /// The store site's local date.
    pub day: String,
    pub score: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ComplianceBody {
    pub store_id: String,
    /// 0–100 (合规指数).
    pub score: u32,
    /// True at 90 or above.
    pub healthy: bool,
    pub window_days: i64,
    pub components: Vec<ComponentView>,
    /// The score at the end of each local day, newest first.
    pub history: Vec<HistoryView>,
}

/// The store's compliance score over the last 90 days, its parts and its daily history
/// (the store's sellers and platform staff). The formula is in the README.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/compliance", tag = "monitoring",
    params(("store_id" = String, Path)),
    responses((status = 200, body = ComplianceBody), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn compliance(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<ComplianceBody>> {
    let v = s.service.store_compliance(&actor, &store_id).await?;
    Ok(Json(ComplianceBody {
        store_id: v.store_id,
        score: v.score,
        healthy: v.healthy,
        window_days: v.window_days,
        components: v
            .components
            .into_iter()
            .map(|c| ComponentView {
                name: c.name.into(),
                weight: c.weight,
                earned: format!("{}.{:03}", c.earned_milli / 1000, c.earned_milli % 1000),
                measured: c.measured,
            })
            .collect(),
        history: v
            .history
            .into_iter()
            .map(|h| HistoryView {
                day: h.day,
                score: h.score,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RateBody {
    /// A reason code (delists) or a rule clause code (violations).
    pub code: String,
    /// Events per 100 listings, as a decimal text.
    pub store_rate: String,
    /// Stores the quartiles are over.
    pub stores: usize,
    pub q1: String,
    pub median: String,
    pub q3: String,
    /// better_than_most, typical or worse_than_most.
    pub standing: String,
}

#[derive(Serialize, ToSchema)]
pub struct CategoryBody {
    pub category: String,
    pub listings: i64,
    pub stores: usize,
    pub delists: Vec<RateBody>,
    pub violations: Vec<RateBody>,
}

#[derive(Serialize, ToSchema)]
pub struct WindowBody {
    pub days: i64,
    pub categories: Vec<CategoryBody>,
}

#[derive(Serialize, ToSchema)]
pub struct BenchmarkBody {
    pub store_id: String,
    pub site_code: String,
    /// 30 and 90 days.
    pub windows: Vec<WindowBody>,
}

fn rate_body(r: benchmarks::RateView) -> RateBody {
    let standing = serde_json::to_value(r.standing)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    RateBody {
        code: r.code,
        store_rate: r.store_rate.to_string(),
        stores: r.category.stores,
        q1: r.category.q1.to_string(),
        median: r.category.median.to_string(),
        q3: r.category.q3.to_string(),
        standing,
    }
}

/// The store's delist rates by reason and violation rates by clause, per category it
/// sells in, over 30 and 90 days, beside the median and quartiles of the site's stores in
/// the same category (竞品对比).
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/benchmark", tag = "monitoring",
    params(("store_id" = String, Path)),
    responses((status = 200, body = BenchmarkBody), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn benchmark(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<BenchmarkBody>> {
    let v = s.service.store_benchmark(&actor, &store_id).await?;
    Ok(Json(BenchmarkBody {
        store_id: v.store_id,
        site_code: v.site_code,
        windows: v
            .windows
            .into_iter()
            .map(|w| WindowBody {
                days: w.days,
                categories: w
                    .categories
                    .into_iter()
                    .map(|c| CategoryBody {
                        category: c.category,
                        listings: c.listings,
                        stores: c.stores,
                        delists: c.delists.into_iter().map(rate_body).collect(),
                        violations: c.violations.into_iter().map(rate_body).collect(),
                    })
                    .collect(),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CheckBody {
    /// main_image_missing, main_image_too_small, main_image_shared, title_too_long,
    /// flagged_words or certificates_missing.
    pub check: String,
    /// pass or fail.
    pub outcome: String,
    /// What to do, in the reader's language.
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct AdviceBody {
    pub violation_id: String,
    pub product_id: String,
    pub rule_code: String,
    pub rule_title: String,
    pub reason_code: String,
    pub severity: String,
    pub guidance: String,
    /// Failures first.
    pub checks: Vec<CheckBody>,
}

/// Rectification advice (整改建议) for a violation: the clause's compliance guidance and
/// checks of the listing as it stands now, in the language of `Accept-Language` (else the
/// site's).
#[utoipa::path(get, path = "/api/v1/violations/{violation_id}/advice", tag = "monitoring",
    params(("violation_id" = String, Path)),
    responses((status = 200, body = AdviceBody), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn advice(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(violation_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<AdviceBody>> {
    let language = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Language::from_accept_language);
    let v = s
        .service
        .violation_advice(&actor, &violation_id, language)
        .await?;
    Ok(Json(AdviceBody {
        violation_id: v.violation_id,
        product_id: v.product_id,
        rule_code: v.rule_code,
        rule_title: v.rule_title,
        reason_code: v.reason_code,
        severity: v.severity,
        guidance: v.guidance,
        checks: v
            .checks
            .into_iter()
            .map(|c| CheckBody {
                check: c.check.into(),
                outcome: match c.outcome {
                    marketdesk_core::monitoring::advice::Outcome::Pass => "pass".into(),
                    marketdesk_core::monitoring::advice::Outcome::Fail => "fail".into(),
                },
                message: c.message,
            })
            .collect(),
    }))
}
