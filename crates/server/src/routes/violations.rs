//! The violation center: rules, takedowns, rectifications, relist reviews, appeals.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use marketdesk_core::FieldError;
use marketdesk_core::violation::Step;
use marketdesk_service::violations::{NewViolation, ViolationQuery, ViolationReport};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::csv_export;
use crate::extract::{Caller, JsonBody, OptionalJsonBody};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::views::instant;
use axum::response::IntoResponse;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_violation))
        .routes(routes!(list_violations))
        .routes(routes!(get_violation))
        .routes(routes!(submit_rectification))
        .routes(routes!(request_relist))
        .routes(routes!(review))
        .routes(routes!(appeal))
        .routes(routes!(decide_appeal))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenViolation {
    pub rule_code: String,
    /// normal or serious; defaults to the rule's.
    pub severity: Option<String>,
    pub details: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RectificationBody {
    /// What was fixed and how.
    pub plan: Option<String>,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
    /// The product's edits (timeline ids) this rectification made since the takedown.
    #[serde(default)]
    pub edit_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealBody {
    /// Why the violation does not stand.
    pub statement: Option<String>,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RelistBody {
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// approve or reject (relist review); uphold or dismiss (appeal).
    pub decision: String,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RuleRef {
    pub code: String,
    /// The clause's version the case was decided under; `text` is that version's.
    pub version: i64,
    pub title: String,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct RectificationView {
    pub id: String,
    pub plan: String,
    pub evidence_ids: Vec<String>,
    /// The edits it cites (ids of the product's timeline).
    pub edit_ids: Vec<String>,
    pub submitted_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AppealView {
    pub id: String,
    pub statement: String,
    pub evidence_ids: Vec<String>,
    /// pending, upheld or dismissed.
    pub state: String,
    pub decision_note: Option<String>,
    pub submitted_at: String,
    pub decided_at: Option<String>,
}

/// The seller's violation report: the clause, the evidence and the deadlines, in UTC and
/// in the site's time zone.
#[derive(Serialize, ToSchema)]
pub struct ViolationView {
    pub id: String,
    pub product_id: String,
    pub store_id: String,
    pub site: String,
    pub rule: RuleRef,
    pub severity: String,
    pub details: String,
    pub evidence_ids: Vec<String>,
    /// awaiting_rectification, in_review, overdue, appealed or closed.
    pub progress: String,
    /// relisted or voided once closed.
    pub outcome: Option<String>,
    pub rectify_due_at: String,
    /// The same instant in the site's time zone.
    pub rectify_due_local: String,
    pub review_due_at: Option<String>,
    pub review_overdue: bool,
    pub appeal_due_at: String,
    pub rectifications: Vec<RectificationView>,
    pub appeals: Vec<AppealView>,
    pub created_at: String,
    pub closed_at: Option<String>,
}

fn local(us: i64, zone: &str) -> String {
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_microsecond(us)
        .map(|t| {
            t.to_zoned(tz)
                .strftime("%Y-%m-%dT%H:%M:%S%:z[%Q]")
                .to_string()
        })
        .unwrap_or_default()
}

impl From<ViolationReport> for ViolationView {
    fn from(r: ViolationReport) -> Self {
        let c = r.case;
        ViolationView {
            rectify_due_local: local(c.rectify_due_at, &r.time_zone),
            rule: RuleRef {
                code: r.rule.code,
                version: r.rule.version,
                title: r.rule.title,
                text: r.rule.text,
            },
            rectifications: r
                .rectifications
                .into_iter()
                .map(|x| RectificationView {
                    id: x.id,
                    plan: x.plan,
                    evidence_ids: x.evidence_ids,
                    edit_ids: x.edit_ids,
                    submitted_at: instant(x.submitted_at),
                })
                .collect(),
            appeals: r
                .appeals
                .into_iter()
                .map(|a| AppealView {
                    id: a.id,
                    statement: a.statement,
                    evidence_ids: a.evidence_ids,
                    state: a.state.as_str().into(),
                    decision_note: a.decision_note,
                    submitted_at: instant(a.submitted_at),
                    decided_at: a.decided_at.map(instant),
                })
                .collect(),
            id: c.id,
            product_id: c.product_id,
            store_id: c.store_id,
            site: c.site_code,
            severity: c.severity.as_str().into(),
            details: c.details,
            evidence_ids: c.evidence_ids,
            progress: c.state.as_str().into(),
            outcome: c.outcome.map(|o| o.as_str().into()),
            rectify_due_at: instant(c.rectify_due_at),
            review_due_at: c.review_due_at.map(instant),
            review_overdue: c.review_overdue,
            appeal_due_at: instant(c.appeal_due_at),
            created_at: instant(c.created_at),
            closed_at: c.closed_at.map(instant),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ViolationPageView {
    pub items: Vec<ViolationSummary>,
    pub next_cursor: Option<String>,
    /// Cases per progress under the other filters (the violation center's tabs).
    pub counts: BTreeMap<String, i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ViolationSummary {
    pub id: String,
    pub product_id: String,
    pub store_id: String,
    pub site: String,
    pub rule_code: String,
    pub severity: String,
    pub progress: String,
    pub outcome: Option<String>,
    pub rectify_due_at: String,
    pub review_overdue: bool,
    pub created_at: String,
}

#[utoipa::path(post, path = "/api/v1/products/{id}/violations", tag = "violations", params(("id" = String, Path)), request_body = OpenViolation,
    responses((status = 201, description = "Product delisted (red); the case awaits rectification", body = ViolationView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn open_violation(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<OpenViolation>,
) -> ApiResult<(StatusCode, Json<ViolationView>)> {
    let new = NewViolation {
        rule_code: b.rule_code,
        severity: b.severity,
        details: b.details,
        evidence_ids: b.evidence_ids,
    };
    Ok((
        StatusCode::CREATED,
        Json(s.service.open_violation(&a, &id, new).await?.into()),
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ViolationParams {
    store_id: Option<String>,
    /// awaiting_rectification, in_review, overdue, appealed or closed
    progress: Option<String>,
    severity: Option<String>,
    rule_code: Option<String>,
    site: Option<String>,
    /// Rectification deadline at or after this instant.
    due_from: Option<String>,
    /// Rectification deadline before this instant.
    due_to: Option<String>,
    /// true: relist reviews past their 48 h.
    review_overdue: Option<bool>,
    cursor: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/violations", tag = "violations", params(ViolationParams),
    responses((status = 200, description = "A page as JSON, or with `Accept: text/csv` every matching case as CSV, streamed",
        content((ViolationPageView = "application/json"), (String = "text/csv"))), (status = 422, body = Problem)))]
async fn list_violations(
    State(s): State<AppState>,
    Caller(a): Caller,
    headers: axum::http::HeaderMap,
    query: Result<Query<ViolationParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::response::Response> {
    let Query(p) = query.map_err(|e| {
        ApiError(Problem::validation(vec![FieldError {
            field: "query".into(),
            message: e.body_text(),
        }]))
    })?;
    let q = ViolationQuery {
        store_id: p.store_id,
        progress: p.progress,
        severity: p.severity,
        rule_code: p.rule_code,
        site: p.site,
        due_from: p.due_from,
        due_to: p.due_to,
        review_overdue: p.review_overdue,
        cursor: p.cursor,
        limit: p.limit,
        oldest_first: false,
    };
    if csv_export::wants_csv(&headers) {
        let service = s.service.clone();
        return csv_export::paged(
            "violations.csv",
            csv_export::VIOLATION_COLUMNS,
            csv_export::violation_row,
            move |cursor| {
                let (service, a) = (service.clone(), a.clone());
                let q = ViolationQuery {
                    cursor,
                    limit: Some(200),
                    ..q.clone()
                };
                async move {
                    let page = service.violations(&a, &q).await?;
                    Ok((page.items, page.next_cursor))
                }
            },
        )
        .await;
    }
    let page = s.service.violations(&a, &q).await?;
    Ok(Json(ViolationPageView {
        items: page
            .items
            .into_iter()
            .map(|c| ViolationSummary {
                id: c.id,
                product_id: c.product_id,
                store_id: c.store_id,
                site: c.site_code,
                rule_code: c.rule_code,
                severity: c.severity.as_str().into(),
                progress: c.state.as_str().into(),
                outcome: c.outcome.map(|o| o.as_str().into()),
                rectify_due_at: instant(c.rectify_due_at),
                review_overdue: c.review_overdue,
                created_at: instant(c.created_at),
            })
            .collect(),
        next_cursor: page.next_cursor,
        counts: page.counts,
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/v1/violations/{id}", tag = "violations", params(("id" = String, Path)),
    responses((status = 200, body = ViolationView), (status = 404, body = Problem)))]
async fn get_violation(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ViolationView>> {
    Ok(Json(s.service.report(&a, &id).await?.into()))
}

async fn step(
    s: &AppState,
    a: &marketdesk_service::Actor,
    id: &str,
    step: Step,
    text: Option<String>,
    evidence: Vec<String>,
    edits: Vec<String>,
) -> ApiResult<Json<ViolationView>> {
    Ok(Json(
        s.service
            .case_step(a, id, step, text, evidence, edits)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/violations/{id}/rectifications", tag = "violations", params(("id" = String, Path)), request_body = RectificationBody,
    responses((status = 200, body = ViolationView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn submit_rectification(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RectificationBody>,
) -> ApiResult<Json<ViolationView>> {
    step(
        &s,
        &a,
        &id,
        Step::SubmitRectification,
        b.plan,
        b.evidence_ids,
        b.edit_ids,
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/violations/{id}/relist-request", tag = "violations", params(("id" = String, Path)), request_body(content = Option<RelistBody>),
    responses((status = 200, description = "Relist review opened, due in 48 h", body = ViolationView), (status = 409, body = Problem)))]
async fn request_relist(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    OptionalJsonBody(b): OptionalJsonBody<RelistBody>,
) -> ApiResult<Json<ViolationView>> {
    step(&s, &a, &id, Step::RequestRelist, b.note, vec![], vec![]).await
}

fn decision(d: &Decision, yes: (&str, Step), no: (&str, Step)) -> ApiResult<Step> {
    if d.decision == yes.0 {
        Ok(yes.1)
    } else if d.decision == no.0 {
        Ok(no.1)
    } else {
        Err(ApiError(Problem::validation(vec![FieldError {
            field: "decision".into(),
            message: format!("must be {} or {}", yes.0, no.0),
        }])))
    }
}

#[utoipa::path(post, path = "/api/v1/violations/{id}/review", tag = "violations", params(("id" = String, Path)), request_body = Decision,
    responses((status = 200, body = ViolationView), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn review(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Decision>,
) -> ApiResult<Json<ViolationView>> {
    let st = decision(
        &b,
        ("approve", Step::ApproveRelist),
        ("reject", Step::RejectRelist),
    )?;
    step(&s, &a, &id, st, b.note, vec![], vec![]).await
}

#[utoipa::path(post, path = "/api/v1/violations/{id}/appeals", tag = "violations", params(("id" = String, Path)), request_body = AppealBody,
    responses((status = 200, body = ViolationView), (status = 409, description = "Outside the 7-day window, already appealed, or not appealable now", body = Problem)))]
async fn appeal(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AppealBody>,
) -> ApiResult<Json<ViolationView>> {
    step(
        &s,
        &a,
        &id,
        Step::Appeal,
        b.statement,
        b.evidence_ids,
        vec![],
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/violations/{id}/appeal-decision", tag = "violations", params(("id" = String, Path)), request_body = Decision,
    responses((status = 200, body = ViolationView), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn decide_appeal(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Decision>,
) -> ApiResult<Json<ViolationView>> {
    let st = decision(
        &b,
        ("uphold", Step::UpholdAppeal),
        ("dismiss", Step::DismissAppeal),
    )?;
    step(&s, &a, &id, st, b.note, vec![], vec![]).await
}
