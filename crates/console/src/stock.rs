//! 库存: the store's SKUs below their safety threshold, emptiest first, each with the
//! restock suggestion (units a day sold, lead time, days covered) and its suppliers
//! ranked best first; an out-of-stock SKU can be put on pre-sale (预售) from here.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::stock::{PRESALE_MAX_DAYS, VELOCITY_DAYS};
use marketdesk_service::ServiceError;
use rust_decimal::Decimal;

use crate::ConsoleState;
use crate::format::{day_end, local};
use crate::page::{Chrome, fixable, refusal, render};
use crate::products::store_zone;
use crate::session::{Signed, signed_form};
use crate::web::see_other;

pub struct SupplierLine {
    pub name: String,
    pub lead_days: i64,
    pub unit_cost: String,
    pub on_time: String,
}

pub struct Suggested {
    pub quantity: i64,
    pub per_day: String,
    pub lead_days: i64,
    pub cover_days: i64,
    pub suppliers: Vec<SupplierLine>,
}

pub struct LowLine {
    pub sku_id: String,
    pub product_id: String,
    pub title: String,
    pub code: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
    pub threshold: i64,
    /// "Pre-sale until … (sold / cap)" when one is running.
    pub presale: String,
    pub can_presell: bool,
    pub suggestion: Option<Suggested>,
}

#[derive(Template)]
#[template(path = "stock.html")]
struct StockPage {
    chrome: Chrome,
    lines: Vec<LowLine>,
    max_days: i64,
    velocity_days: i64,
    saved: bool,
    errors: Vec<String>,
}

async fn page(st: &ConsoleState, s: &Signed, status: StatusCode, errors: Vec<String>) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let (store_id, tz) = store_zone(s)?;
        Ok::<_, ServiceError>((st.service.low_stock(s.actor(), &store_id).await?, tz))
    };
    let (found, tz) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let lines = found
        .into_iter()
        .map(|l| {
            let v = l.stock;
            let currency = v.sku.currency.clone();
            let presale = match (v.presale_active, v.sku.presale_ship_by, v.sku.presale_cap) {
                (true, Some(by), Some(cap)) => chrome.fill(
                    "stock.presale_running",
                    &[
                        ("until", &local(by, &tz)),
                        ("sold", &v.sku.presale_sold.to_string()),
                        ("cap", &cap.to_string()),
                    ],
                ),
                _ => String::new(),
            };
            LowLine {
                can_presell: v.available <= 0 && !v.presale_active,
                suggestion: v.suggestion.map(|g| Suggested {
                    quantity: g.quantity,
                    per_day: g.units_per_day.to_string(),
                    lead_days: g.lead_days,
                    cover_days: g.cover_days,
                    suppliers: g
                        .suppliers
                        .into_iter()
                        .map(|x| SupplierLine {
                            name: x.name,
                            lead_days: x.lead_time_days,
                            unit_cost: format!("{} {currency}", x.unit_cost),
                            on_time: format!(
                                "{} %",
                                (x.on_time_rate * Decimal::ONE_HUNDRED).normalize()
                            ),
                        })
                        .collect(),
                }),
                sku_id: v.sku.id,
                product_id: l.product_id,
                title: l.title,
                code: v.sku.code,
                on_hand: v.sku.stock,
                reserved: v.sku.reserved,
                available: v.available,
                threshold: v.threshold,
                presale,
            }
        })
        .collect();
    let view = StockPage {
        lines,
        max_days: PRESALE_MAX_DAYS,
        velocity_days: VELOCITY_DAYS,
        saved: status == StatusCode::OK && chrome.query.as_deref() == Some("presale=1"),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn list(State(st): State<ConsoleState>, s: Signed) -> Response {
    page(&st, &s, StatusCode::OK, vec![]).await
}

/// Pre-sale until the end of the chosen day in the site's zone, for at most `cap` units.
pub async fn presale(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(sku_id): Path<String>,
    req: Request,
) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let tz = match store_zone(&s) {
        Ok((_, tz)) => tz,
        Err(e) => return refusal(s.chrome.clone(), e),
    };
    let date = f.text("ship_by").unwrap_or_default();
    let Some(ship_by) = day_end(&date, &tz) else {
        let line = format!("ship_by: {}", s.chrome.t("stock.date_needed"));
        return page(&st, &s, StatusCode::UNPROCESSABLE_ENTITY, vec![line]).await;
    };
    let Some(cap) = f.text("cap").and_then(|c| c.parse::<i64>().ok()) else {
        let line = format!("cap: {}", s.chrome.t("stock.whole_units"));
        return page(&st, &s, StatusCode::UNPROCESSABLE_ENTITY, vec![line]).await;
    };
    match st
        .service
        .start_presale(s.actor(), &sku_id, &ship_by, cap)
        .await
        .map_err(fixable)
    {
        Ok(_) => see_other("/stock?presale=1"),
        Err(Ok((status, lines))) => page(&st, &s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
