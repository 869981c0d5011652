//! 精选联盟 (seed 001): the program page with its enrolled products and what each
//! brought, campaigns running and coming, and leaving it in two steps — the preview
//! ("确认之前核对商品信息和联盟设置"), then the confirmed exit with its notices and
//! compensations.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::programs::affiliate::ExitState;
use marketdesk_service::ServiceError;
use marketdesk_service::products::ProductQuery;
use marketdesk_service::programs::affiliate::NewCampaign;
use marketdesk_service::programs::affiliate_exit::{ExitAnswer, ExitPreview, NewExit};

use crate::ConsoleState;
use crate::format::{from_local, local};
use crate::page::{Chrome, fixable, refusal, render};
use crate::products::store_zone;
use crate::session::{Signed, signed_form};
use crate::web::{Fields, see_other};

pub struct EnrolledRow {
    pub product_id: String,
    pub title: String,
    pub commission: String,
    pub orders: i64,
    pub units: i64,
    pub sales: String,
}

pub struct CampaignRow {
    pub name: String,
    pub from: String,
    pub to: String,
    pub active: bool,
    pub products: usize,
}

pub struct ExitRow {
    pub id: String,
    pub state: &'static str,
    pub at: String,
    pub products: usize,
}

pub struct Choice {
    pub id: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "programs_affiliate.html")]
struct ProgramPage {
    chrome: Chrome,
    enrolled: Vec<EnrolledRow>,
    campaigns: Vec<CampaignRow>,
    exits: Vec<ExitRow>,
    on_sale: Vec<Choice>,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "programs_exit_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    exit_at: String,
    exit_at_input: String,
    product_ids: Vec<String>,
    products: Vec<(String, i64, String)>,
    campaigns: Vec<CampaignRow>,
    buyers: usize,
    orders: usize,
    open_orders: usize,
    without_buyer: i64,
    notice: String,
    kind: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "programs_exit.html")]
struct ExitPage {
    chrome: Chrome,
    id: String,
    state: &'static str,
    scheduled: bool,
    at: String,
    notice: String,
    compensation: String,
    notices: Vec<(String, usize)>,
    compensations: Vec<(String, String, String)>,
}

fn campaign_rows(
    cs: Vec<marketdesk_service::programs::affiliate::Campaign>,
    tz: &jiff::tz::TimeZone,
) -> Vec<CampaignRow> {
    cs.into_iter()
        .map(|c| CampaignRow {
            from: local(c.starts_at, tz),
            to: local(c.ends_at, tz),
            active: c.active,
            products: c.product_ids.len(),
            name: c.name,
        })
        .collect()
}

async fn page(st: &ConsoleState, s: &Signed, status: StatusCode, errors: Vec<String>) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let (store_id, tz) = store_zone(s)?;
        let program = st.service.affiliate_program(s.actor(), &store_id).await?;
        let query = ProductQuery {
            state: Some("on_sale".into()),
            limit: Some(100),
            ..ProductQuery::default()
        };
        let on_sale = st.service.products(s.actor(), &store_id, &query).await?;
        Ok::<_, ServiceError>((program, on_sale, tz))
    };
    let (program, on_sale, tz) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let view = ProgramPage {
        on_sale: on_sale
            .items
            .into_iter()
            .filter(|p| !program.enrolments.iter().any(|e| e.product_id == p.id))
            .map(|p| Choice {
                id: p.id,
                title: p.title,
            })
            .collect(),
        enrolled: program
            .enrolments
            .iter()
            .map(|e| EnrolledRow {
                product_id: e.product_id.clone(),
                title: e.title.clone(),
                commission: format!("{}%", e.commission_percent),
                orders: e.attributed_orders,
                units: e.attributed_units,
                sales: e.attributed_sales.to_string(),
            })
            .collect(),
        campaigns: campaign_rows(program.campaigns, &tz),
        exits: program
            .exits
            .into_iter()
            .map(|x| ExitRow {
                state: chrome.t(&format!("affiliate.exit_state.{}", x.state.as_str())),
                at: local(x.exit_at, &tz),
                products: x.product_ids.len(),
                id: x.id,
            })
            .collect(),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed) -> Response {
    page(&st, &s, StatusCode::OK, vec![]).await
}

/// Runs a form's use case: back to the program page, or the page again with the words.
async fn then_back<T>(st: &ConsoleState, s: &Signed, r: Result<T, ServiceError>) -> Response {
    match r.map_err(fixable) {
        Ok(_) => see_other("/programs/affiliate"),
        Err(Ok((status, lines))) => page(st, s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub async fn enrol(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let store_id = s.actor().store_id.clone().unwrap_or_default();
    let r = st
        .service
        .enrol_products(
            s.actor(),
            &store_id,
            &f.all("product_id"),
            f.get("commission_percent").unwrap_or(""),
        )
        .await;
    then_back(&st, &s, r).await
}

pub async fn campaign(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (store_id, tz) = match store_zone(&s) {
        Ok(v) => v,
        Err(e) => return refusal(s.chrome.clone(), e),
    };
    let new = NewCampaign {
        name: f.get("name").unwrap_or("").into(),
        product_ids: f.all("product_id"),
        starts_at: from_local(f.get("starts_at").unwrap_or(""), &tz),
        ends_at: from_local(f.get("ends_at").unwrap_or(""), &tz),
    };
    let r = st.service.create_campaign(s.actor(), &store_id, new).await;
    then_back(&st, &s, r).await
}

fn new_exit(f: &Fields, tz: &jiff::tz::TimeZone) -> NewExit {
    let amount = f.text("amount").filter(|a| !a.trim().is_empty());
    NewExit {
        product_ids: f.all("product_id"),
        exit_at: from_local(f.get("exit_at").unwrap_or(""), tz),
        buyer_notice: f.get("buyer_notice").unwrap_or("").into(),
        compensation_kind: f.get("compensation").unwrap_or("none").into(),
        compensation_amount: amount,
        confirm: f.get("confirm") == Some("yes"),
    }
}

/// The first post previews; the preview's confirm button posts the same fields again
/// with `confirm=yes`.
pub async fn exit(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let (store_id, tz) = match store_zone(&s) {
        Ok(v) => v,
        Err(e) => return refusal(s.chrome.clone(), e),
    };
    let new = new_exit(&f, &tz);
    let product_ids = new.product_ids.clone();
    let (notice, kind, amount) = (
        new.buyer_notice.clone(),
        new.compensation_kind.clone(),
        new.compensation_amount.clone(),
    );
    match st
        .service
        .affiliate_exit(s.actor(), &store_id, new)
        .await
        .map_err(fixable)
    {
        Ok(ExitAnswer::Scheduled(e, _)) => {
            see_other(&format!("/programs/affiliate/exits/{}", e.id))
        }
        Ok(ExitAnswer::Preview(p)) => preview(
            &s,
            p,
            product_ids,
            &tz,
            notice,
            kind,
            amount.unwrap_or_default(),
        ),
        Err(Ok((status, lines))) => page(&st, &s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

#[allow(clippy::too_many_arguments)]
fn preview(
    s: &Signed,
    p: ExitPreview,
    product_ids: Vec<String>,
    tz: &jiff::tz::TimeZone,
    notice: String,
    kind: String,
    amount: String,
) -> Response {
    let view = PreviewPage {
        chrome: s.chrome.clone(),
        exit_at: local(p.exit_at, tz),
        exit_at_input: crate::format::to_local_input(p.exit_at, tz),
        product_ids,
        products: p
            .products
            .into_iter()
            .map(|x| (x.title, x.orders_30d, x.sales_30d.to_string()))
            .collect(),
        campaigns: campaign_rows(p.campaigns, tz),
        buyers: p.buyers.len(),
        orders: p.affected_orders.len(),
        open_orders: p.open_orders.len(),
        without_buyer: p.orders_without_buyer,
        notice,
        kind,
        amount,
    };
    render(StatusCode::OK, &view)
}

pub async fn exit_detail(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
) -> Response {
    let chrome = s.chrome.clone();
    let tz = match store_zone(&s) {
        Ok((_, tz)) => tz,
        Err(e) => return refusal(chrome, e),
    };
    let e = match st.service.affiliate_exit_by_id(s.actor(), &id).await {
        Ok(e) => e,
        Err(e) => return refusal(chrome, e),
    };
    let view = ExitPage {
        state: chrome.t(&format!("affiliate.exit_state.{}", e.state.as_str())),
        scheduled: e.state == ExitState::Scheduled,
        at: local(e.exit_at, &tz),
        compensation: match e.compensation_amount {
            Some(m) => format!(
                "{} · {m}",
                chrome.t(&format!(
                    "affiliate.compensation.{}",
                    e.compensation_kind.as_str()
                ))
            ),
            None => chrome
                .t(&format!(
                    "affiliate.compensation.{}",
                    e.compensation_kind.as_str()
                ))
                .into(),
        },
        notices: e
            .notices
            .into_iter()
            .map(|n| (n.buyer_id, n.order_ids.len()))
            .collect(),
        compensations: e
            .compensations
            .into_iter()
            .map(|c| {
                (
                    c.order_id,
                    c.buyer_id.unwrap_or_default(),
                    c.amount.map(|m| m.to_string()).unwrap_or_default(),
                )
            })
            .collect(),
        notice: e.buyer_notice,
        id: e.id,
        chrome,
    };
    render(StatusCode::OK, &view)
}

pub async fn cancel(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if let Err(r) = signed_form(&s, req).await {
        return r;
    }
    match st.service.cancel_affiliate_exit(s.actor(), &id).await {
        Ok(_) => see_other(&format!("/programs/affiliate/exits/{id}")),
        Err(e) => refusal(s.chrome.clone(), e),
    }
}
