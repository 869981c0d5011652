//! The affiliate program (精选联盟, seed 001): enrolments, campaigns, the program page and
//! leaving it (preview, then confirm).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use marketdesk_service::programs::affiliate::{Campaign, Enrolment, NewCampaign, Program};
use marketdesk_service::programs::affiliate_exit::{Exit, ExitAnswer, ExitPreview, NewExit};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::{MoneyView, instant};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(affiliate_program))
        .routes(routes!(enrol_products))
        .routes(routes!(create_campaign))
        .routes(routes!(affiliate_exit))
        .routes(routes!(get_affiliate_exit))
        .routes(routes!(cancel_affiliate_exit))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolBody {
    /// 1–500 products of the store, on sale.
    pub product_ids: Vec<String>,
    /// Above 0 and at most 80, at most two decimals, as a string ("12.5").
    #[schema(example = "12.5")]
    pub commission_percent: String,
}

#[derive(Serialize, ToSchema)]
pub struct EnrolmentView {
    pub product_id: String,
    pub title: String,
    pub state: String,
    pub commission_percent: String,
    pub enrolled_at: String,
    /// Orders an affiliate brought since the product was enrolled (cancelled ones aside).
    pub attributed_orders: i64,
    pub attributed_units: i64,
    pub attributed_sales: MoneyView,
}

impl From<Enrolment> for EnrolmentView {
    fn from(e: Enrolment) -> Self {
        EnrolmentView {
            product_id: e.product_id,
            title: e.title,
            state: e.state.as_str().into(),
            commission_percent: e.commission_percent.to_string(),
            enrolled_at: instant(e.enrolled_at),
            attributed_orders: e.attributed_orders,
            attributed_units: e.attributed_units,
            attributed_sales: e.attributed_sales.into(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CampaignBody {
    #[schema(min_length = 1, max_length = 120)]
    pub name: String,
    /// Enrolled products of the store.
    pub product_ids: Vec<String>,
    /// RFC 3339 instants; the campaign runs from `starts_at` up to `ends_at`.
    pub starts_at: String,
    pub ends_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CampaignView {
    pub id: String,
    pub name: String,
    pub starts_at: String,
    pub ends_at: String,
    pub product_ids: Vec<String>,
    /// active (running now) or coming.
    pub state: String,
}

impl From<Campaign> for CampaignView {
    fn from(c: Campaign) -> Self {
        CampaignView {
            id: c.id,
            name: c.name,
            starts_at: instant(c.starts_at),
            ends_at: instant(c.ends_at),
            product_ids: c.product_ids,
            state: if c.active { "active" } else { "coming" }.into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProgramView {
    pub store_id: String,
    pub enrolments: Vec<EnrolmentView>,
    /// Running or still to come, soonest first.
    pub campaigns: Vec<CampaignView>,
    pub exits: Vec<ExitView>,
}

impl From<Program> for ProgramView {
    fn from(p: Program) -> Self {
        ProgramView {
            store_id: p.store_id,
            enrolments: p.enrolments.into_iter().map(Into::into).collect(),
            campaigns: p.campaigns.into_iter().map(Into::into).collect(),
            exits: p.exits.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompensationBody {
    /// coupon, price_honour or none.
    pub kind: String,
    /// Coupons and honoured prices: a positive amount in the store's currency.
    pub amount: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExitBody {
    pub product_ids: Vec<String>,
    /// When the products leave the program and are delisted: in the future, never inside
    /// a campaign of these products.
    pub exit_at: String,
    /// What every affected buyer is told at once (1–1000 characters).
    pub buyer_notice: String,
    pub compensation: CompensationBody,
    /// Without `true`, the answer is a preview and nothing changes.
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ExitProductView {
    pub product_id: String,
    pub title: String,
    pub state: String,
    pub orders_30d: i64,
    pub units_30d: i64,
    pub sales_30d: MoneyView,
}

#[derive(Serialize, ToSchema)]
pub struct ExitPreviewView {
    /// Always true here: nothing was changed.
    pub preview: bool,
    pub exit_at: String,
    pub products: Vec<ExitProductView>,
    pub campaigns: Vec<CampaignView>,
    pub open_orders: Vec<String>,
    pub affected_orders: Vec<String>,
    pub buyers: Vec<String>,
    pub orders_without_buyer: i64,
    pub compensation: CompensationView,
}

#[derive(Serialize, ToSchema)]
pub struct CompensationView {
    pub kind: String,
    pub amount: Option<MoneyView>,
}

impl From<ExitPreview> for ExitPreviewView {
    fn from(p: ExitPreview) -> Self {
        ExitPreviewView {
            preview: true,
            exit_at: instant(p.exit_at),
            products: p
                .products
                .into_iter()
                .map(|x| ExitProductView {
                    product_id: x.product_id,
                    title: x.title,
                    state: x.state.as_str().into(),
                    orders_30d: x.orders_30d,
                    units_30d: x.units_30d,
                    sales_30d: x.sales_30d.into(),
                })
                .collect(),
            campaigns: p.campaigns.into_iter().map(Into::into).collect(),
            open_orders: p.open_orders,
            affected_orders: p.affected_orders,
            buyers: p.buyers,
            orders_without_buyer: p.orders_without_buyer,
            compensation: CompensationView {
                kind: p.compensation_kind.as_str().into(),
                amount: p.compensation_amount.map(Into::into),
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoticeView {
    pub buyer_id: String,
    pub order_ids: Vec<String>,
    pub sent_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct OrderCompensationView {
    pub order_id: String,
    pub buyer_id: Option<String>,
    pub kind: String,
    pub amount: Option<MoneyView>,
}

#[derive(Serialize, ToSchema)]
pub struct ExitView {
    pub id: String,
    pub store_id: String,
    /// scheduled, done or cancelled.
    pub state: String,
    pub exit_at: String,
    pub product_ids: Vec<String>,
    pub buyer_notice: String,
    pub compensation: CompensationView,
    pub created_at: String,
    pub created_by: String,
    pub cancelled_at: Option<String>,
    pub ran_at: Option<String>,
    /// One per affected buyer, sent when the exit was confirmed.
    pub notices: Vec<NoticeView>,
    /// One per affected order.
    pub compensations: Vec<OrderCompensationView>,
}

impl From<Exit> for ExitView {
    fn from(e: Exit) -> Self {
        ExitView {
            id: e.id,
            store_id: e.store_id,
            state: e.state.as_str().into(),
            exit_at: instant(e.exit_at),
            product_ids: e.product_ids,
            buyer_notice: e.buyer_notice,
            compensation: CompensationView {
                kind: e.compensation_kind.as_str().into(),
                amount: e.compensation_amount.map(Into::into),
            },
            created_at: instant(e.created_at),
            created_by: e.created_by,
            cancelled_at: e.cancelled_at.map(instant),
            ran_at: e.ran_at.map(instant),
            notices: e
                .notices
                .into_iter()
                .map(|n| NoticeView {
                    buyer_id: n.buyer_id,
                    order_ids: n.order_ids,
                    sent_at: instant(n.sent_at),
                })
                .collect(),
            compensations: e
                .compensations
                .into_iter()
                .map(|c| OrderCompensationView {
                    order_id: c.order_id,
                    buyer_id: c.buyer_id,
                    kind: c.kind.as_str().into(),
                    amount: c.amount.map(Into::into),
                })
                .collect(),
        }
    }
}

/// The scheduled exit with the preview it was confirmed on.
#[derive(Serialize, ToSchema)]
pub struct ScheduledExitView {
    #[serde(flatten)]
    pub exit: ExitView,
    pub preview: ExitPreviewView,
}

/// The program page (联盟详情页面): enrolled products with what the program brought
/// each, campaigns running and coming, and the store's exits.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/affiliate", tag = "programs",
    params(("store_id" = String, Path)),
    responses((status = 200, body = ProgramView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn affiliate_program(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<ProgramView>> {
    Ok(Json(
        s.service.affiliate_program(&actor, &store_id).await?.into(),
    ))
}

/// Enrols products in the program at a commission (or changes it).
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/affiliate/enrolments", tag = "programs",
    params(("store_id" = String, Path)), request_body = EnrolBody,
    responses((status = 201, body = Vec<EnrolmentView>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn enrol_products(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<EnrolBody>,
) -> ApiResult<(StatusCode, Json<Vec<EnrolmentView>>)> {
    let rows = s
        .service
        .enrol_products(&actor, &store_id, &b.product_ids, &b.commission_percent)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(rows.into_iter().map(Into::into).collect()),
    ))
}

/// Records a creators' campaign (活动) over a time range on enrolled products.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/affiliate/campaigns", tag = "programs",
    params(("store_id" = String, Path)), request_body = CampaignBody,
    responses((status = 201, body = CampaignView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn create_campaign(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<CampaignBody>,
) -> ApiResult<(StatusCode, Json<CampaignView>)> {
    let new = NewCampaign {
        name: b.name,
        product_ids: b.product_ids,
        starts_at: b.starts_at,
        ends_at: b.ends_at,
    };
    let c = s.service.create_campaign(&actor, &store_id, new).await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// Leaves the program: without `confirm: true`, a preview that changes nothing (200);
/// confirmed, the exit is scheduled (201), every affected buyer is told at once by an
/// `affiliate.buyer_notice` event, a compensation is recorded per affected order, and
/// at `exit_at` the products leave the program and are delisted. A time inside a
/// campaign of these products is refused (409 naming the campaign).
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/affiliate/exits", tag = "programs",
    params(("store_id" = String, Path)), request_body = ExitBody,
    responses((status = 200, description = "Preview: nothing changed", body = ExitPreviewView),
        (status = 201, description = "Scheduled", body = ScheduledExitView),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, description = "Inside a campaign; `errors` names each", body = Problem), (status = 422, body = Problem)))]
async fn affiliate_exit(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<ExitBody>,
) -> ApiResult<Response> {
    let new = NewExit {
        product_ids: b.product_ids,
        exit_at: b.exit_at,
        buyer_notice: b.buyer_notice,
        compensation_kind: b.compensation.kind,
        compensation_amount: b.compensation.amount,
        confirm: b.confirm,
    };
    Ok(
        match s.service.affiliate_exit(&actor, &store_id, new).await? {
            ExitAnswer::Preview(p) => {
                (StatusCode::OK, Json(ExitPreviewView::from(p))).into_response()
            }
            ExitAnswer::Scheduled(e, p) => (
                StatusCode::CREATED,
                Json(ScheduledExitView {
                    exit: (*e).into(),
                    preview: p.into(),
                }),
            )
                .into_response(),
        },
    )
}

/// An exit: its state, the notices sent and the compensations recorded.
#[utoipa::path(get, path = "/api/v1/affiliate-exits/{exit_id}", tag = "programs",
    params(("exit_id" = String, Path)),
    responses((status = 200, body = ExitView), (status = 404, body = Problem)))]
async fn get_affiliate_exit(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(exit_id): Path<String>,
) -> ApiResult<Json<ExitView>> {
    Ok(Json(
        s.service
            .affiliate_exit_by_id(&actor, &exit_id)
            .await?
            .into(),
    ))
}

/// Cancels an exit before it runs: its products stay in the program.
#[utoipa::path(post, path = "/api/v1/affiliate-exits/{exit_id}/cancellation", tag = "programs",
    params(("exit_id" = String, Path)),
    responses((status = 200, body = ExitView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, description = "Already ran or cancelled", body = Problem)))]
async fn cancel_affiliate_exit(
    State(s): State<AppState>,
    Caller(actor): Caller,
    Path(exit_id): Path<String>,
) -> ApiResult<Json<ExitView>> {
    Ok(Json(
        s.service
            .cancel_affiliate_exit(&actor, &exit_id)
            .await?
            .into(),
    ))
}
