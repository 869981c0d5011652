//! A store suspended by an admin and reinstated: nothing of it can be ordered while
//! suspended, its sellers read everything but change nothing (403 `store-suspended`,
//! their own settings and inbox excepted), the reason is on the store's timeline and in
//! its sellers' inbox, and reinstatement gives back exactly what there was.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Backend, TestApp};

async fn sku_of(app: &TestApp, product: &str) -> String {
    app.product(product).await["skus"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn order(app: &TestApp, store: &str, sku: &str) -> (StatusCode, Value) {
    app.post(
        ADMIN_TOKEN,
        "/api/v1/orders",
        json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.90"}]}),
    )
    .await
}

async fn inbox_of(app: &TestApp, token: &str, event: &str) -> Vec<Value> {
    app.dispatch_all().await;
    let (s, b) = app.get(token, "/api/v1/inbox").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["event_type"] == event)
        .cloned()
        .collect()
}

async fn suspended_and_reinstated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let (other, other_seller) = app.seller_store("US", "self_operated").await;
    let on_sale = app.on_sale(&seller, &store, "Garden hose").await;
    let delisted = app.on_sale(&seller, &store, "Snow shovel").await;
    let (s, b) = app.delist(&seller, &delisted, "seasonal").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let elsewhere = app.on_sale(&other_seller, &other, "Rake").await;
    let sku = sku_of(&app, &on_sale).await;
    let suspend = format!("/api/v1/stores/{store}/suspension");
    let reinstate = format!("/api/v1/stores/{store}/reinstatement");

    // Only admins suspend, with a reason.
    let (s, b) = app.post(&seller, &suspend, json!({"reason": "mine"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, b) = app
        .post(ADMIN_TOKEN, &suspend, json!({"reason": "  "}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (s, b) = app
        .post(ADMIN_TOKEN, &suspend, json!({"reason": "x".repeat(501)}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/stores/nope/suspension",
            json!({"reason": "r"}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
    let (s, b) = app
        .post(ADMIN_TOKEN, &reinstate, json!({"reason": "r"}))
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "an active store is not reinstated: {b}"
    );

    let why = "Counterfeit goods reported by three buyers";
    let (s, b) = app
        .post(ADMIN_TOKEN, &suspend, json!({"reason": why}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["standing"], "suspended");
    assert_eq!(b["suspension_reason"], why);
    assert!(b["suspended_at"].is_string(), "{b}");
    let (s, b) = app
        .post(ADMIN_TOKEN, &suspend, json!({"reason": why}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "suspended once only: {b}");

    // Nothing of the store can be bought; another store's products still can.
    let (s, b) = order(&app, &store, &sku).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert!(b["detail"].as_str().unwrap().contains("suspended"), "{b}");
    let (s, b) = order(&app, &other, &sku_of(&app, &elsewhere).await).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");

    // The seller reads, but every change of the store's is refused with the reason why.
    let (s, b) = app
        .get(&seller, &format!("/api/v1/products/{on_sale}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["state"], "on_sale", "listings keep their own state");
    let (s, b) = app.delist(&seller, &on_sale, "seasonal").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert!(
        b["type"].as_str().unwrap().ends_with("store-suspended"),
        "{b}"
    );
    let (s, b) = app
        .post(&seller, &format!("/api/v1/stores/{store}/products"), json!({"title": "New", "category": "toys", "skus": [{"code": "N-1", "price": "1.00", "stock": 1}]}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, b) = app
        .post(
            &seller,
            &format!("/api/v1/products/{delisted}/relist"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    // ... but their own notification settings are theirs.
    let (s, b) = app.get(&seller, "/api/v1/me/notifications").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = app.put(&seller, "/api/v1/me/notifications", b).await;
    assert!(s.is_success(), "{s} {b}");
    // Another store's seller is not held back.
    let (s, b) = app.delist(&other_seller, &elsewhere, "seasonal").await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // The sellers are told why, and the store's timeline says who and why.
    let told = inbox_of(&app, &seller, "store.suspended").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0]["body"].as_str().unwrap().contains(why),
        "{}",
        told[0]
    );
    let (s, t) = app
        .get(&seller, &format!("/api/v1/stores/{store}/timeline"))
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t.as_array().unwrap().len(), 1, "{t}");
    assert_eq!(t[0]["action"], "suspend");
    assert_eq!(t[0]["reason"], why);
    assert_eq!(t[0]["actor_role"], "admin");
    let (s, b) = app
        .get(&other_seller, &format!("/api/v1/stores/{store}/timeline"))
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "another store's timeline is not theirs: {b}"
    );

    // Reinstated: orders and changes work again, and every listing is as it was.
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &reinstate,
            json!({"reason": "Appeal accepted; supplier invoices verified"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["standing"], "active");
    assert!(
        b["suspended_at"].is_null() && b["suspension_reason"].is_null(),
        "{b}"
    );
    assert_eq!(app.product(&on_sale).await["state"], "on_sale");
    let p = app.product(&delisted).await;
    assert_eq!(
        (p["state"].as_str(), p["delist_kind"].as_str()),
        (Some("delisted"), Some("voluntary"))
    );
    let (s, b) = order(&app, &store, &sku).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = app
        .post(
            &seller,
            &format!("/api/v1/products/{delisted}/relist"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(inbox_of(&app, &seller, "store.reinstated").await.len(), 1);
    let (_, t) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/stores/{store}/timeline"))
        .await;
    let actions: Vec<&str> = t
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["reinstate", "suspend"], "newest first");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_store_sells_nothing_and_its_sellers_change_nothing() {
    for b in Backend::all() {
        suspended_and_reinstated(b).await;
    }
}
