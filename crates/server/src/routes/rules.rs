//! Rule clauses as living data — added, edited (each edit a new version) and retired by
//! admins — and the announcements (公告) those changes become.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::announcements::{AnnouncementPage, NewAnnouncement};
use marketdesk_service::records::{Announcement, Rule, RuleVersion};
use marketdesk_service::rules::{NewRule, RuleEdit};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rules, create_rule))
        .routes(routes!(edit_rule))
        .routes(routes!(retire_rule))
        .routes(routes!(rule_versions))
        .routes(routes!(list_announcements, create_announcement))
}

#[derive(Serialize, ToSchema)]
pub struct RuleView {
    pub code: String,
    /// Each edit publishes the next version; cases keep the one they were decided under.
    pub version: i64,
    pub title: String,
    pub text: String,
    /// normal (72 h to rectify) or serious (24 h).
    pub severity: String,
    /// The delist reason takedowns under this rule are filed under.
    pub reason_code: String,
    /// Site codes the clause applies to; empty: every site.
    pub sites: Vec<String>,
    /// Set once retired: no new case may cite it.
    pub retired_at: Option<String>,
}

impl From<Rule> for RuleView {
    fn from(r: Rule) -> Self {
        RuleView {
            code: r.code,
            version: r.version,
            title: r.title,
            text: r.text,
            severity: r.severity,
            reason_code: r.reason_code,
            sites: r.sites,
            retired_at: r.retired_at.map(instant),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RuleVersionView {
    #[serde(flatten)]
    pub rule: RuleView,
    pub changed_by: String,
    pub changed_at: String,
}

impl From<RuleVersion> for RuleVersionView {
    fn from(v: RuleVersion) -> Self {
        RuleVersionView {
            changed_by: v.changed_by,
            changed_at: instant(v.changed_at),
            rule: RuleView {
                code: v.code,
                version: v.version,
                title: v.title,
                text: v.text,
                severity: v.severity,
                reason_code: v.reason_code,
                sites: v.sites,
                retired_at: v.retired_at.map(instant),
            },
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRule {
    pub code: String,
    pub title: String,
    pub text: String,
    pub severity: String,
    pub reason_code: Option<String>,
    /// Site codes; empty or absent: every site.
    #[serde(default)]
    pub sites: Vec<String>,
}

/// The clause's next version: the fields given change, the rest stay.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditRule {
    pub title: Option<String>,
    pub text: Option<String>,
    pub severity: Option<String>,
    pub reason_code: Option<String>,
    pub sites: Option<Vec<String>>,
    /// What changed and why, for the announcement (the new text when absent).
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireRule {
    /// Why, for the announcement.
    pub note: String,
}

#[utoipa::path(get, path = "/api/v1/rules", tag = "rules", responses((status = 200, body = Vec<RuleView>)))]
async fn list_rules(
    State(s): State<AppState>,
    Caller(_caller): Caller,
) -> ApiResult<Json<Vec<RuleView>>> {
    let rules = s.service.rules().await?;
    Ok(Json(rules.into_iter().map(RuleView::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/rules", tag = "rules", request_body = CreateRule,
    responses((status = 201, description = "Version 1, announced to the sellers of its sites", body = RuleView),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_rule(
    State(s): State<AppState>,
    Caller(a): Caller,
    JsonBody(b): JsonBody<CreateRule>,
) -> ApiResult<(StatusCode, Json<RuleView>)> {
    let new = NewRule {
        code: b.code,
        title: b.title,
        text: b.text,
        severity: b.severity,
        reason_code: b.reason_code,
        sites: b.sites,
    };
    let rule = s.service.create_rule(&a, new).await?;
    Ok((StatusCode::CREATED, Json(rule.into())))
}

#[utoipa::path(put, path = "/api/v1/rules/{code}", tag = "rules", params(("code" = String, Path)), request_body = EditRule,
    responses((status = 200, description = "The next version, announced; unchanged when nothing differs", body = RuleView),
        (status = 404, body = Problem), (status = 409, description = "Retired, or changed meanwhile", body = Problem),
        (status = 422, body = Problem)))]
async fn edit_rule(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(code): Path<String>,
    JsonBody(b): JsonBody<EditRule>,
) -> ApiResult<Json<RuleView>> {
    let edit = RuleEdit {
        title: b.title,
        text: b.text,
        severity: b.severity,
        reason_code: b.reason_code,
        sites: b.sites,
        note: b.note,
    };
    Ok(Json(s.service.edit_rule(&a, &code, edit).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/rules/{code}/retire", tag = "rules", params(("code" = String, Path)), request_body = RetireRule,
    responses((status = 200, body = RuleView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn retire_rule(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(code): Path<String>,
    JsonBody(b): JsonBody<RetireRule>,
) -> ApiResult<Json<RuleView>> {
    Ok(Json(
        s.service.retire_rule(&a, &code, &b.note).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/rules/{code}/versions", tag = "rules", params(("code" = String, Path)),
    responses((status = 200, description = "Oldest first", body = Vec<RuleVersionView>), (status = 404, body = Problem)))]
async fn rule_versions(
    State(s): State<AppState>,
    Caller(_caller): Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<RuleVersionView>>> {
    let versions = s.service.rule_versions(&code).await?;
    Ok(Json(
        versions.into_iter().map(RuleVersionView::from).collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct AnnouncementView {
    pub id: String,
    pub title: String,
    pub body: String,
    /// Site codes; empty: every site.
    pub sites: Vec<String>,
    /// The clause and version the announcement is about, if any.
    pub rule_code: Option<String>,
    pub rule_version: Option<i64>,
    pub created_at: String,
}

impl From<Announcement> for AnnouncementView {
    fn from(a: Announcement) -> Self {
        AnnouncementView {
            id: a.id,
            title: a.title,
            body: a.body,
            sites: a.sites,
            rule_code: a.rule_code,
            rule_version: a.rule_version,
            created_at: instant(a.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AnnouncementPageView {
    pub items: Vec<AnnouncementView>,
    pub next_cursor: Option<String>,
}

impl From<AnnouncementPage> for AnnouncementPageView {
    fn from(p: AnnouncementPage) -> Self {
        AnnouncementPageView {
            items: p.items.into_iter().map(AnnouncementView::from).collect(),
            next_cursor: p.next_cursor,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PageParams {
    cursor: Option<String>,
    /// 1 to 200, default 50.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200)]
    limit: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAnnouncement {
    pub title: String,
    pub body: String,
    /// Site codes; empty or absent: every site.
    #[serde(default)]
    pub sites: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/announcements", tag = "rules", params(PageParams),
    responses((status = 200, description = "Newest first: a seller's site's, or all for staff", body = AnnouncementPageView)))]
async fn list_announcements(
    State(s): State<AppState>,
    Caller(a): Caller,
    QueryParams(p): QueryParams<PageParams>,
) -> ApiResult<Json<AnnouncementPageView>> {
    let limit = crate::extract::whole_number("limit", p.limit.as_deref())?;
    let page = s
        .service
        .announcements(&a, p.cursor.as_deref(), limit)
        .await?;
    Ok(Json(page.into()))
}

#[utoipa::path(post, path = "/api/v1/announcements", tag = "rules", request_body = CreateAnnouncement,
    responses((status = 201, description = "In the inbox of every seller on its sites", body = AnnouncementView),
        (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_announcement(
    State(s): State<AppState>,
    Caller(a): Caller,
    JsonBody(b): JsonBody<CreateAnnouncement>,
) -> ApiResult<(StatusCode, Json<AnnouncementView>)> {
    let new = NewAnnouncement {
        title: b.title,
        body: b.body,
        sites: b.sites,
    };
    let made = s.service.publish_announcement(&a, new).await?;
    Ok((StatusCode::CREATED, Json(made.into())))
}
