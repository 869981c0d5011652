//! Fully-managed stores (全托管, seed 002): applying and the review thread, special
//! categories, each product's fulfilment, JIT inbound, and the store's place in the
//! program.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::programs::fully_managed::{Application, NewApplication};
use marketdesk_service::programs::fully_managed_listing::SpecialCategory;
use marketdesk_service::programs::jit::ProgramStanding;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::orders::OrderView;
use crate::AppState;
use crate::extract::{Caller, JsonBody, OptionalJsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(apply, store_applications))
        .routes(routes!(all_applications))
        .routes(routes!(get_application))
        .routes(routes!(application_message))
        .routes(routes!(approve_application))
        .routes(routes!(reject_application))
        .routes(routes!(program_standing))
        .routes(routes!(set_fulfilment))
        .routes(routes!(record_inbound))
        .routes(routes!(special_categories))
        .routes(routes!(put_special_category, delete_special_category))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationBody {
    pub company_name: String,
    pub registration_number: String,
    /// company (individual businesses may not apply: 422).
    pub entity: String,
    /// Not used by any other store.
    pub contact_email: String,
    /// Uploaded documents (`POST /api/v1/evidence`): the business licence and others.
    pub document_ids: Vec<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ManagedMessageView)]
pub struct MessageView {
    pub id: String,
    pub at: String,
    pub author_id: String,
    /// seller, or the platform role that answered.
    pub author_role: String,
    pub body: String,
    pub evidence_ids: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: String,
    pub store_id: String,
    pub company_name: String,
    pub registration_number: String,
    pub entity: String,
    pub contact_email: String,
    pub document_ids: Vec<String>,
    /// under_review, approved or rejected.
    pub state: String,
    pub submitted_at: String,
    /// 4 business days after submission, on the store's site calendar.
    pub review_due_at: String,
    /// Set when the review ran past its due time.
    pub review_late_at: Option<String>,
    /// What staff said is still missing.
    pub missing: Vec<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
    /// The fully-managed store approval opened (awaiting its deposit until paid).
    pub managed_store_id: Option<String>,
    pub messages: Vec<MessageView>,
    /// On approval: the link inviting the contact e-mail as the new store's owner.
    pub invitation_link: Option<String>,
}

impl From<Application> for ApplicationView {
    fn from(a: Application) -> Self {
        ApplicationView {
            id: a.id,
            store_id: a.store_id,
            company_name: a.company_name,
            registration_number: a.registration_number,
            entity: a.entity.as_str().into(),
            contact_email: a.contact_email,
            document_ids: a.document_ids,
            state: a.state.as_str().into(),
            submitted_at: instant(a.submitted_at),
            review_due_at: instant(a.review_due_at),
            review_late_at: a.review_late_at.map(instant),
            missing: a.missing,
            decided_at: a.decided_at.map(instant),
            decision_note: a.decision_note,
            managed_store_id: a.managed_store_id,
            messages: a
                .messages
                .into_iter()
                .map(|m| MessageView {
                    id: m.id,
                    at: instant(m.at),
                    author_id: m.author_id,
                    author_role: m.author_role,
                    body: m.body,
                    evidence_ids: m.evidence_ids,
                })
                .collect(),
            invitation_link: a.invitation_link,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    #[schema(min_length = 1, max_length = 2000)]
    pub body: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
    /// Platform staff only: what is still missing (an empty list clears it).
    pub missing: Option<Vec<String>>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(as = ManagedDecisionBody)]
pub struct DecisionBody {
    /// Required to reject; optional to approve.
    pub note: Option<String>,
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct ApplicationParams {
    /// under_review, approved or rejected.
    pub state: Option<String>,
    pub store_id: Option<String>,
}

/// Applies for a fully-managed store (companies only; one per self-operated store).
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/fully-managed-applications", tag = "programs",
    params(("store_id" = String, Path)), request_body = ApplicationBody,
    responses((status = 201, body = ApplicationView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Not self-operated, or another application stands", body = Problem), (status = 422, body = Problem)))]
async fn apply(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<ApplicationBody>,
) -> ApiResult<(StatusCode, Json<ApplicationView>)> {
    let new = NewApplication {
        company_name: b.company_name,
        registration_number: b.registration_number,
        entity: b.entity,
        contact_email: b.contact_email,
        document_ids: b.document_ids,
    };
    let a = s
        .service
        .apply_fully_managed(&actor, &store_id, new)
        .await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// The store's applications, newest first.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/fully-managed-applications", tag = "programs",
    params(("store_id" = String, Path)),
    responses((status = 200, body = Vec<ApplicationView>), (status = 403, body = Problem)))]
async fn store_applications(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<Vec<ApplicationView>>> {
    let rows = s
        .service
        .fully_managed_applications(&actor, Some(store_id), None)
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Every store's applications (platform staff), newest first.
#[utoipa::path(get, path = "/api/v1/fully-managed-applications", tag = "programs", params(ApplicationParams),
    responses((status = 200, body = Vec<ApplicationView>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn all_applications(
    State(s): State<AppState>,
    Caller(actor): Caller,
    QueryParams(p): QueryParams<ApplicationParams>,
) -> ApiResult<Json<Vec<ApplicationView>>> {
    let rows = s
        .service
        .fully_managed_applications(&actor, p.store_id, p.state.as_deref())
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// An application with its thread and what is missing.
#[utoipa::path(get, path = "/api/v1/fully-managed-applications/{application_id}", tag = "programs",
    params(("application_id" = String, Path)),
    responses((status = 200, body = ApplicationView), (status = 404, body = Problem)))]
async fn get_application(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(
        s.service
            .fully_managed_application(&actor, &id)
            .await?
            .into(),
    ))
}

/// Writes on the application's thread: the seller asks, staff answer.
#[utoipa::path(post, path = "/api/v1/fully-managed-applications/{application_id}/messages", tag = "programs",
    params(("application_id" = String, Path)), request_body = MessageBody,
    responses((status = 201, body = ApplicationView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn application_message(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<MessageBody>,
) -> ApiResult<(StatusCode, Json<ApplicationView>)> {
    let a = s
        .service
        .application_message(&actor, &id, &b.body, &b.evidence_ids, b.missing)
        .await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Approves (reviewers and admins): the fully-managed store opens awaiting its deposit.
#[utoipa::path(post, path = "/api/v1/fully-managed-applications/{application_id}/approval", tag = "programs",
    params(("application_id" = String, Path)), request_body(content = Option<DecisionBody>),
    responses((status = 200, body = ApplicationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "Already decided", body = Problem)))]
async fn approve_application(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    OptionalJsonBody(b): OptionalJsonBody<DecisionBody>,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(
        s.service
            .decide_application(&actor, &id, true, b.note.as_deref())
            .await?
            .into(),
    ))
}

/// Rejects with a note; the seller may apply again.
#[utoipa::path(post, path = "/api/v1/fully-managed-applications/{application_id}/rejection", tag = "programs",
    params(("application_id" = String, Path)), request_body = DecisionBody,
    responses((status = 200, body = ApplicationView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "Already decided", body = Problem), (status = 422, body = Problem)))]
async fn reject_application(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DecisionBody>,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(
        s.service
            .decide_application(&actor, &id, false, b.note.as_deref())
            .await?
            .into(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ProgramStandingView {
    pub store_id: String,
    /// awaiting_deposit, open or closed.
    pub program_state: String,
    pub parent_store_id: Option<String>,
    /// On sale, under review or in draft: what the 3,000-product cap counts.
    pub products_counted: i64,
    pub product_cap: i64,
    /// JIT orders whose goods missed the warehouse's 48 hours.
    pub jit_overdue_orders: i64,
}

impl From<ProgramStanding> for ProgramStandingView {
    fn from(p: ProgramStanding) -> Self {
        ProgramStandingView {
            store_id: p.store_id,
            program_state: p.program_state.as_str().into(),
            parent_store_id: p.parent_store_id,
            products_counted: p.products_counted,
            product_cap: p.product_cap,
            jit_overdue_orders: p.jit_overdue_orders,
        }
    }
}

/// A fully-managed store's place in the program: its state, cap and overdue JIT orders.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/fully-managed", tag = "programs",
    params(("store_id" = String, Path)),
    responses((status = 200, body = ProgramStandingView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn program_standing(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<ProgramStandingView>> {
    Ok(Json(
        s.service.program_standing(&actor, &store_id).await?.into(),
    ))
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FulfilmentBody {
    /// warehouse (备仓) or jit.
    pub fulfilment: String,
}

/// Sets a fully-managed store's product to warehouse stock or JIT.
#[utoipa::path(put, path = "/api/v1/products/{product_id}/fulfilment", tag = "programs",
    params(("product_id" = String, Path)), request_body = FulfilmentBody,
    responses((status = 200, body = FulfilmentBody), (status = 404, body = Problem), (status = 409, description = "Not a fully-managed store", body = Problem), (status = 422, body = Problem)))]
async fn set_fulfilment(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<FulfilmentBody>,
) -> ApiResult<Json<FulfilmentBody>> {
    let f = s.service.set_fulfilment(&actor, &id, &b.fulfilment).await?;
    Ok(Json(FulfilmentBody {
        fulfilment: f.as_str().into(),
    }))
}

/// The platform warehouse received a JIT order's goods (admin token).
#[utoipa::path(post, path = "/api/v1/orders/{order_id}/inbound", tag = "orders",
    params(("order_id" = String, Path)),
    responses((status = 200, body = OrderView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "Not JIT, or already received", body = Problem)))]
async fn record_inbound(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderView>> {
    Ok(Json(s.service.record_inbound(&actor, &id).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct SpecialCategoryView {
    pub category: String,
    /// closed, or qualification (listed only with a qualification document).
    pub rule: String,
    pub note: String,
    pub updated_at: String,
}

impl From<SpecialCategory> for SpecialCategoryView {
    fn from(c: SpecialCategory) -> Self {
        SpecialCategoryView {
            category: c.category,
            rule: c.rule.as_str().into(),
            note: c.note,
            updated_at: instant(c.updated_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecialCategoryBody {
    /// closed or qualification.
    pub rule: String,
    #[serde(default)]
    pub note: String,
}

/// The special categories (特殊类目) fully-managed stores may not list, or list only
/// with a qualification document; every other category is open.
#[utoipa::path(get, path = "/api/v1/special-categories", tag = "programs",
    responses((status = 200, body = Vec<SpecialCategoryView>)))]
async fn special_categories(
    State(s): State<AppState>,
    Caller(_actor): Caller,
) -> ApiResult<Json<Vec<SpecialCategoryView>>> {
    Ok(Json(
        s.service
            .special_categories()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Marks a special category (admins).
#[utoipa::path(put, path = "/api/v1/admin/special-categories/{category}", tag = "programs",
    params(("category" = String, Path)), request_body = SpecialCategoryBody,
    responses((status = 200, body = SpecialCategoryView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn put_special_category(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(category): Path<String>,
    JsonBody(b): JsonBody<SpecialCategoryBody>,
) -> ApiResult<Json<SpecialCategoryView>> {
    Ok(Json(
        s.service
            .put_special_category(&actor, &category, &b.rule, &b.note)
            .await?
            .into(),
    ))
}

/// Opens a special category again (admins).
#[utoipa::path(delete, path = "/api/v1/admin/special-categories/{category}", tag = "programs",
    params(("category" = String, Path)),
    responses((status = 204, description = "Open again"), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn delete_special_category(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(category): Path<String>,
) -> ApiResult<StatusCode> {
    s.service.delete_special_category(&actor, &category).await?;
    Ok(StatusCode::NO_CONTENT)
}
