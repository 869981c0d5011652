//! One module per resource, each with its own router.

mod admin;
mod affiliate;
mod aftersales;
pub mod calendar;
mod deposit;
mod evidence;
mod files;
mod fully_managed;
mod inbox;
mod listing;
mod monitoring;
mod notifications;
mod orders;
mod product_csv;
mod products;
mod rules;
mod staff;
mod stock;
mod store_standing;
mod stores;
mod team;
mod tokens;
mod violations;
mod weekly_review;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(stores::router())
        .merge(store_standing::router())
        .merge(monitoring::router())
        .merge(weekly_review::router())
        .merge(affiliate::router())
        .merge(fully_managed::router())
        .merge(deposit::router())
        .merge(products::router())
        .merge(product_csv::router())
        .merge(listing::router())
        .merge(evidence::router())
        .merge(files::router())
        .merge(admin::router())
        .merge(calendar::router())
        .merge(violations::router())
        .merge(rules::router())
        .merge(stock::router())
        .merge(orders::router())
        .merge(inbox::router())
        .merge(notifications::router())
        .merge(aftersales::router())
        .merge(team::router())
        .merge(staff::router())
        .merge(tokens::router())
}
