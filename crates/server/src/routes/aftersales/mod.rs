//! After-sales: tickets, cases, negotiated refunds, settings and refund-only policies,
//! return warehouses, reshipments.

mod cases;
mod reshipments;
mod settings;
mod tickets;
mod warehouses;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::views::MoneyView;
use cases::*;
use reshipments::*;
use settings::*;
use tickets::*;
use warehouses::*;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_ticket, list_tickets))
        .routes(routes!(get_ticket))
        .routes(routes!(reply_ticket))
        .routes(routes!(open_case, list_cases))
        .routes(routes!(get_case))
        .routes(routes!(list_refunds))
        .routes(routes!(decide_case))
        .routes(routes!(upload_label))
        .routes(routes!(case_received))
        .routes(routes!(case_label_invalid))
        .routes(routes!(case_cancel))
        .routes(routes!(negotiated_refund))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(list_policies, create_policy))
        .routes(routes!(delete_policy))
        .routes(routes!(list_warehouses, create_warehouse))
        .routes(routes!(update_warehouse, delete_warehouse))
        .routes(routes!(associate_products))
        .routes(routes!(request_reshipment, list_reshipments))
        .routes(routes!(get_reshipment))
        .routes(routes!(decide_reshipment))
}

pub(super) fn money(amount: &str, currency: &str) -> MoneyView {
    MoneyView {
        amount: amount.into(),
        currency: currency.into(),
    }
}
