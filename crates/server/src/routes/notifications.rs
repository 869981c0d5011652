//! Notification settings (rules, preferences), webhook subscriptions and the delivery log.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use marketdesk_service::delivery_log::DeliveryQuery;
use marketdesk_service::preferences::{EffectiveRule, Preferences, RuleInput};
use marketdesk_service::records::{Delivery, DeliveryAttempt, WebhookSubscription};
use marketdesk_service::webhooks::NewSubscription;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_preferences, put_preferences))
        .routes(routes!(list_rules))
        .routes(routes!(put_rule))
        .routes(routes!(create_webhook, list_webhooks))
        .routes(routes!(delete_webhook))
        .routes(routes!(list_deliveries))
        .routes(routes!(get_delivery))
        .routes(routes!(replay_delivery))
}

/// Contact details, channels and quiet hours of the calling user.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesBody {
    pub email: Option<String>,
    /// E.164, e.g. `+4915123456789`.
    pub phone: Option<String>,
    #[serde(default = "yes")]
    pub email_enabled: bool,
    #[serde(default = "yes")]
    pub sms_enabled: bool,
    /// `HH:MM` in `time_zone`: non-red messages by e-mail and SMS wait until `quiet_end`.
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    /// IANA zone; defaults to the store's site zone (UTC for platform staff).
    pub time_zone: Option<String>,
    /// `zh-CN` or `en`, for inbox messages, e-mail and texts; defaults by the store's site
    /// (CN → zh-CN, else en). Left out of a PUT: unchanged.
    pub language: Option<String>,
}

fn yes() -> bool {
    true
}

impl From<Preferences> for PreferencesBody {
    fn from(p: Preferences) -> Self {
        Self {
            email: p.email,
            phone: p.phone,
            email_enabled: p.email_enabled,
            sms_enabled: p.sms_enabled,
            quiet_start: p.quiet_start,
            quiet_end: p.quiet_end,
            time_zone: Some(p.time_zone),
            language: p.language,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "notifications", responses((status = 200, body = PreferencesBody)))]
async fn get_preferences(
    State(s): State<AppState>,
    Caller(a): Caller,
) -> ApiResult<Json<PreferencesBody>> {
    Ok(Json(s.service.preferences(&a).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/me/notifications", tag = "notifications", request_body = PreferencesBody,
    responses((status = 200, body = PreferencesBody), (status = 422, body = Problem)))]
async fn put_preferences(
    State(s): State<AppState>,
    Caller(a): Caller,
    JsonBody(b): JsonBody<PreferencesBody>,
) -> ApiResult<Json<PreferencesBody>> {
    let current = s.service.preferences(&a).await?;
    let zone = b.time_zone.unwrap_or(current.time_zone);
    let language = b.language;
    let p = Preferences {
        email: b.email,
        phone: b.phone,
        email_enabled: b.email_enabled,
        sms_enabled: b.sms_enabled,
        quiet_start: b.quiet_start,
        quiet_end: b.quiet_end,
        time_zone: zone,
        language,
    };
    Ok(Json(s.service.set_preferences(&a, p).await?.into()))
}

#[derive(Serialize, ToSchema)]
#[schema(as = NotificationRuleView)]
pub struct RuleView {
    pub event_type: String,
    /// info, warning or red.
    pub severity: String,
    pub to_owner: bool,
    pub to_staff: bool,
    pub to_reviewers: bool,
    /// inbox, email, sms.
    pub channels: Vec<String>,
    /// false while the built-in rule applies.
    pub overridden: bool,
}

impl From<EffectiveRule> for RuleView {
    fn from(r: EffectiveRule) -> Self {
        Self {
            event_type: r.event_type,
            severity: r.rule.severity.as_str().into(),
            to_owner: r.rule.owner,
            to_staff: r.rule.staff,
            to_reviewers: r.rule.reviewers,
            channels: r.rule.channels.iter().map(|c| c.as_str().into()).collect(),
            overridden: r.overridden,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleBody {
    pub severity: String,
    pub to_owner: bool,
    pub to_staff: bool,
    pub to_reviewers: bool,
    pub channels: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/notification-rules", tag = "notifications", operation_id = "list_notification_rules", responses((status = 200, body = Vec<RuleView>), (status = 403, body = Problem)))]
async fn list_rules(
    State(s): State<AppState>,
    Caller(a): Caller,
) -> ApiResult<Json<Vec<RuleView>>> {
    Ok(Json(
        s.service
            .notification_rules(&a)
            .await?
            .into_iter()
            .map(RuleView::from)
            .collect(),
    ))
}

#[utoipa::path(put, path = "/api/v1/admin/notification-rules/{event_type}", tag = "notifications", params(("event_type" = String, Path)), request_body = RuleBody,
    responses((status = 200, body = RuleView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn put_rule(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(event_type): Path<String>,
    JsonBody(b): JsonBody<RuleBody>,
) -> ApiResult<Json<RuleView>> {
    let input = RuleInput {
        severity: b.severity,
        to_owner: b.to_owner,
        to_staff: b.to_staff,
        to_reviewers: b.to_reviewers,
        channels: b.channels,
    };
    Ok(Json(
        s.service
            .set_notification_rule(&a, &event_type, input)
            .await?
            .into(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct WebhookView {
    pub id: String,
    pub store_id: String,
    pub url: String,
    pub event_types: Vec<String>,
    /// `whsec_…`: shown once, in the answer that created the subscription.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_at: String,
}

fn webhook_view(w: WebhookSubscription, secret: Option<String>) -> WebhookView {
    WebhookView {
        id: w.id,
        store_id: w.store_id,
        url: w.url,
        event_types: w.event_types,
        secret,
        created_at: instant(w.created_at),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookBody {
    pub url: String,
    /// Event types, or `["*"]` for all.
    pub event_types: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/stores/{store_id}/webhooks", tag = "notifications", params(("store_id" = String, Path)), request_body = WebhookBody,
    responses((status = 201, body = WebhookView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_webhook(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<WebhookBody>,
) -> ApiResult<(StatusCode, Json<WebhookView>)> {
    let new = NewSubscription {
        url: b.url,
        event_types: b.event_types,
    };
    let (subscription, secret) = s.service.create_webhook(&a, &store_id, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(webhook_view(subscription, Some(secret))),
    ))
}

#[utoipa::path(get, path = "/api/v1/stores/{store_id}/webhooks", tag = "notifications", params(("store_id" = String, Path)), responses((status = 200, body = Vec<WebhookView>), (status = 403, body = Problem)))]
async fn list_webhooks(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<Vec<WebhookView>>> {
    let rows = s.service.webhooks(&a, &store_id).await?;
    Ok(Json(
        rows.into_iter().map(|w| webhook_view(w, None)).collect(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "notifications", params(("id" = String, Path)), responses((status = 204), (status = 404, body = Problem)))]
async fn delete_webhook(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.service.delete_webhook(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    /// The stable message id: `webhook-id`, the e-mail's Message-ID, the SMS `message_id`.
    pub id: String,
    pub store_id: String,
    pub event_id: String,
    pub event_type: String,
    /// email, sms, voice or webhook.
    pub channel: String,
    /// A user id, or a webhook subscription id.
    pub recipient: String,
    pub target: String,
    pub severity: String,
    /// pending, delivered, dead or cancelled.
    pub state: String,
    pub attempts: i64,
    /// For a pending delivery: when it will be tried (again).
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        Self {
            next_attempt_at: (d.state == marketdesk_core::notify::DeliveryState::Pending)
                .then(|| instant(d.next_attempt_at)),
            id: d.id,
            store_id: d.store_id,
            event_id: d.event_id,
            event_type: d.event_type,
            channel: d.channel.as_str().into(),
            recipient: d.recipient,
            target: d.target,
            severity: d.severity,
            state: d.state.as_str().into(),
            attempts: d.attempts,
            last_error: d.last_error,
            created_at: instant(d.created_at),
            delivered_at: d.delivered_at.map(instant),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AttemptView {
    pub at: String,
    pub ok: bool,
    /// What the far side answered, or why nothing was sent.
    pub detail: String,
}

impl From<DeliveryAttempt> for AttemptView {
    fn from(a: DeliveryAttempt) -> Self {
        Self {
            at: instant(a.at),
            ok: a.ok,
            detail: a.detail,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryDetailView {
    #[serde(flatten)]
    pub delivery: DeliveryView,
    pub log: Vec<AttemptView>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryPageView {
    pub items: Vec<DeliveryView>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DeliveryParams {
    store_id: Option<String>,
    /// pending, delivered, dead or cancelled.
    state: Option<String>,
    /// email, sms, voice or webhook.
    channel: Option<String>,
    event_id: Option<String>,
    cursor: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/deliveries", tag = "notifications", params(DeliveryParams),
    responses((status = 200, body = DeliveryPageView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn list_deliveries(
    State(s): State<AppState>,
    Caller(a): Caller,
    q: Result<Query<DeliveryParams>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<DeliveryPageView>> {
    let Query(p) = q?;
    let page = s
        .service
        .deliveries(
            &a,
            DeliveryQuery {
                store_id: p.store_id,
                state: p.state,
                channel: p.channel,
                event_id: p.event_id,
                cursor: p.cursor,
                limit: p.limit,
            },
        )
        .await?;
    Ok(Json(DeliveryPageView {
        items: page.items.into_iter().map(DeliveryView::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/deliveries/{id}", tag = "notifications", params(("id" = String, Path)), responses((status = 200, body = DeliveryDetailView), (status = 404, body = Problem)))]
async fn get_delivery(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<DeliveryDetailView>> {
    let (d, log) = s.service.delivery(&a, &id).await?;
    Ok(Json(DeliveryDetailView {
        delivery: d.into(),
        log: log.into_iter().map(AttemptView::from).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/deliveries/{id}/replay", tag = "notifications", params(("id" = String, Path)),
    responses((status = 202, body = DeliveryView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn replay_delivery(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, Json<DeliveryView>)> {
    let d = s.service.replay_delivery(&a, &id).await?;
    Ok((StatusCode::ACCEPTED, Json(d.into())))
}
