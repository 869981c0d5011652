//! After-sales (seed 003) through the API with the sandbox clock: tickets and their
//! business-day deadline (a US Friday before a holiday Monday, a DE ticket across the DST
//! change), cases that the seller decides or that decide themselves, partial refunds that
//! never exceed what was paid, refund-only policies, return labels, return warehouses and
//! routing, negotiated refunds, reshipments.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp};

macro_rules! manual {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::helpers::TestApp::spawn_manual(crate::helpers::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(b) = crate::helpers::Backend::postgres() {
                    super::$name(crate::helpers::TestApp::spawn_manual(b).await).await;
                }
            }
        }
    )* };
}

mod cases;
mod multi_line;
mod policies;
mod returns;
mod tickets;
mod timeout_races;
mod warehouses;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

async fn set_clock(app: &TestApp, to: &str) {
    let (s, b) = app
        .post(ADMIN_TOKEN, "/api/v1/admin/clock", json!({"set_to": to}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

struct Sale {
    store: String,
    seller: String,
    order: String,
    line: String,
    product: String,
    sku: String,
}

/// A store on `site` whose product sold `qty` units at `price`; shipped unless `placed`.
async fn sale(app: &TestApp, site: &str, qty: i64, price: &str, ship: bool) -> Sale {
    let (store, seller) = app.seller_store(site, "self_operated").await;
    let code = format!("AS-{}", uuid::Uuid::now_v7().simple());
    let (s, p) = app
        .post(&seller, &format!("/api/v1/stores/{store}/products"), json!({"title": "Kettle", "category": "home_kitchen", "skus": [{"code": code, "price": price, "stock": 10}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let product = p["id"].as_str().unwrap().to_string();
    let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
    app.post(
        &seller,
        &format!("/api/v1/products/{product}/list"),
        json!({}),
    )
    .await;
    sell(
        app,
        Sale {
            store,
            seller,
            order: String::new(),
            line: String::new(),
            product,
            sku,
        },
        qty,
        price,
        ship,
    )
    .await
}

/// Another order for the same SKU.
async fn sell(app: &TestApp, mut s: Sale, qty: i64, price: &str, ship: bool) -> Sale {
    let (st, o) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", json!({"store_id": s.store, "lines": [{"sku_id": s.sku, "quantity": qty, "unit_price": price}]}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{o}");
    s.order = o["id"].as_str().unwrap().to_string();
    s.line = o["lines"][0]["id"].as_str().unwrap().to_string();
    if ship {
        let (st, b) = app
            .post(
                &s.seller,
                &format!("/api/v1/orders/{}/ship", s.order),
                json!({}),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
    }
    s
}

async fn case(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    app.post(token, "/api/v1/aftersales", body).await
}

/// Waits for the deadline worker to move a case or ticket out of `state`.
async fn wait_moved(app: &TestApp, path: &str, from: &str) -> Value {
    app.wait_for(ADMIN_TOKEN, path, |b| b["state"] != from)
        .await
}
