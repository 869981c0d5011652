//! The stock page's list over the API: a store's SKUs below their safety threshold (the
//! SKU's own, else the store's), emptiest first, each with its restock suggestion and
//! ranked suppliers; drafts left out; a change of the store's threshold seen at once;
//! another store's list refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp};

crate::on_both_backends!(the_low_stock_list_follows_the_thresholds);

fn codes(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["stock"]["code"].as_str().unwrap().to_string())
        .collect()
}

async fn the_low_stock_list_follows_the_thresholds(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let skus = json!([
        {"code": "K-3", "price": "20.00", "stock": 3},
        {"code": "K-50", "price": "20.00", "stock": 50},
        {"code": "K-1", "price": "20.00", "stock": 1},
        {"code": "K-4", "price": "20.00", "stock": 4}
    ]);
    let (s, p) = app
        .post(
            &seller,
            &format!("/api/v1/stores/{store}/products"),
            json!({"title": "Kettle", "category": "home_kitchen", "skus": skus}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let pid = p["id"].as_str().unwrap().to_string();
    let sku = |i: usize| p["skus"][i]["id"].as_str().unwrap().to_string();
    let (s, v) = app
        .post(&seller, &format!("/api/v1/products/{pid}/list"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // A draft's empty SKU sells nothing yet: not on the list.
    let (s, d) = app
        .post(
            &seller,
            &format!("/api/v1/stores/{store}/products"),
            json!({"title": "Draft kettle", "category": "home_kitchen", "skus": [{"code": "D-0", "price": "9.00", "stock": 0}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    for (i, threshold) in [(2, 10), (3, 0)] {
        let (s, v) = app
            .put(
                &seller,
                &format!("/api/v1/skus/{}/safety-threshold", sku(i)),
                json!({"threshold": threshold}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
    let (s, sup) = app
        .post(
            &seller,
            &format!("/api/v1/stores/{store}/suppliers"),
            json!({"name": "Fast Punctual", "lead_time_days": 3, "on_time_rate": "0.95"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sup}");
    let res = app
        .client
        .put(app.url(&format!(
            "/api/v1/suppliers/{}/offers/{}",
            sup["id"].as_str().unwrap(),
            sku(0)
        )))
        .bearer_auth(&seller)
        .json(&json!({"unit_cost": "2.50"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let path = format!("/api/v1/stores/{store}/low-stock");
    let (s, low) = app.get(&seller, &path).await;
    assert_eq!(s, StatusCode::OK, "{low}");
    // K-1: 1 below its own 10; K-3: 3 below the store's 5; K-4's own 0 and K-50 are fine.
    assert_eq!(codes(&low), ["K-1", "K-3"], "{low}");
    let k3 = &low["items"][1];
    assert_eq!(k3["title"], "Kettle");
    assert_eq!(k3["product_id"], pid.as_str());
    assert_eq!(k3["stock"]["available"], 3);
    assert_eq!(k3["stock"]["safety_threshold"], 5);
    let g = &k3["stock"]["restock_suggestion"];
    assert_eq!(g["lead_days"], 3, "the best supplier's lead time: {g}");
    assert_eq!(g["suppliers"][0]["name"], "Fast Punctual");
    assert_eq!(g["suppliers"][0]["unit_cost"], "2.50");
    assert_eq!(
        low["items"][0]["stock"]["restock_suggestion"]["suppliers"],
        json!([]),
        "K-1 has no supplier"
    );

    // The store's threshold drops to 2: K-3 is no longer low, at once.
    let (s, v) = app
        .put(
            &seller,
            &format!("/api/v1/stores/{store}/safety-threshold"),
            json!({"threshold": 2}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (_, low) = app.get(&seller, &path).await;
    assert_eq!(codes(&low), ["K-1"], "{low}");

    // Another store's seller is refused; the platform reads it.
    let (_, other) = app.seller_store("US", "self_operated").await;
    let (s, _) = app.get(&other, &path).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, low) = app.get(ADMIN_TOKEN, &path).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(codes(&low), ["K-1"]);
}
