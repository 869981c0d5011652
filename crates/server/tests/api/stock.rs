//! Stock and orders: atomic reservations, freeze, protective delist and relist,
//! low-stock alerts, pre-sale, the ledger, and a race that must not oversell.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

crate::on_both_backends!(
    orders_reserve_ship_and_cancel,
    protective_delist_and_relist,
    low_stock_alerts_and_presale,
    racing_buyers_never_oversell,
    suppliers_rank_the_restock_suggestion
);

/// A store with one product on sale whose single SKU has `stock` units.
async fn product_with_stock(app: &TestApp, stock: i64) -> (String, String, String, String) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let code = format!("S-{}", uuid::Uuid::now_v7().simple());
    let (s, p) = app
        .post(&seller, &format!("/api/v1/stores/{store}/products"), json!({"title": "Kettle", "category": "home_kitchen", "skus": [{"code": code, "price": "20.00", "stock": stock}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let pid = p["id"].as_str().unwrap().to_string();
    app.post(&seller, &format!("/api/v1/products/{pid}/list"), json!({}))
        .await;
    (
        store,
        seller,
        pid,
        p["skus"][0]["id"].as_str().unwrap().to_string(),
    )
}

async fn order(app: &TestApp, store: &str, lines: Value) -> (StatusCode, Value) {
    app.post(
        ADMIN_TOKEN,
        "/api/v1/orders",
        json!({"store_id": store, "lines": lines}),
    )
    .await
}

async fn figures(app: &TestApp, sku: &str) -> Value {
    let (s, v) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/skus/{sku}/stock"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// The ledger replays to the stored figures.
async fn assert_ledger_consistent(app: &TestApp, sku: &str) {
    let f = figures(app, sku).await;
    let (_, ledger) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/skus/{sku}/ledger"))
        .await;
    let (mut on_hand, mut reserved) = (0, 0);
    for m in ledger["items"].as_array().unwrap() {
        on_hand += m["on_hand_delta"].as_i64().unwrap();
        reserved += m["reserved_delta"].as_i64().unwrap();
        assert_eq!(
            (
                m["on_hand_after"].as_i64().unwrap(),
                m["reserved_after"].as_i64().unwrap()
            ),
            (on_hand, reserved),
            "running figures"
        );
        assert!(on_hand - reserved >= 0, "available never below zero");
    }
    assert_eq!(
        (
            f["on_hand"].as_i64().unwrap(),
            f["reserved"].as_i64().unwrap()
        ),
        (on_hand, reserved),
        "replay equals the figures"
    );
}

async fn orders_reserve_ship_and_cancel(app: TestApp) {
    let (store, seller, pid, sku) = product_with_stock(&app, 10).await;
    let (_, _, _, other_sku) = product_with_stock(&app, 10).await;
    let (s, o) = order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 3, "unit_price": "19.99"}]),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(o["state"], "placed");
    assert_eq!(
        o["lines"][0]["amount"],
        json!({"amount": "59.97", "currency": "USD"}),
        "the exact amount paid"
    );
    assert_eq!(o["total"]["amount"], "59.97");
    let f = figures(&app, &sku).await;
    assert_eq!(
        (
            f["on_hand"].as_i64(),
            f["reserved"].as_i64(),
            f["available"].as_i64()
        ),
        (Some(10), Some(3), Some(7))
    );

    // All lines or none: the second line cannot be met, so the first is not reserved.
    let (s, p) = order(&app, &store, json!([{"sku_id": sku, "quantity": 2, "unit_price": "20.00"}, {"sku_id": other_sku, "quantity": 1, "unit_price": "20.00"}])).await;
    assert_eq!(s, StatusCode::CONFLICT, "another store's SKU: {p}");
    assert_eq!(fields(&p), ["lines[1].sku_id"]);
    let (s, p) = order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 8, "unit_price": "20.00"}]),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("only 7 available"),
        "{p}"
    );
    assert_eq!(
        figures(&app, &sku).await["reserved"],
        3,
        "nothing reserved by refused orders"
    );
    let (s, p) = order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 0, "unit_price": "1.001"}]),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&p), ["lines[0].quantity", "lines[0].unit_price"]);
    let (s, _) = app.post(&seller, "/api/v1/orders", json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "1"}]})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "orders come from the platform");

    let oid = o["id"].as_str().unwrap();
    let (s, shipped) = app
        .post(&seller, &format!("/api/v1/orders/{oid}/ship"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{shipped}");
    let f = figures(&app, &sku).await;
    assert_eq!(
        (f["on_hand"].as_i64(), f["reserved"].as_i64()),
        (Some(7), Some(0))
    );
    let (s, _) = app
        .post(&seller, &format!("/api/v1/orders/{oid}/cancel"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a shipped order is not cancelled");
    let (s, d) = app
        .post(&seller, &format!("/api/v1/orders/{oid}/deliver"), json!({}))
        .await;
    assert_eq!(
        (s, d["state"].as_str()),
        (StatusCode::OK, Some("delivered"))
    );

    // Cancelling releases; a delisted product's stock is frozen, but what was reserved ships.
    let (_, o2) = order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 2, "unit_price": "20.00"}]),
    )
    .await;
    let (_, o3) = order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 1, "unit_price": "20.00"}]),
    )
    .await;
    app.post(
        &seller,
        &format!("/api/v1/orders/{}/cancel", o2["id"].as_str().unwrap()),
        json!({}),
    )
    .await;
    assert_eq!(figures(&app, &sku).await["reserved"], 1);
    app.delist(&seller, &pid, "seasonal").await;
    let (s, p) = order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 1, "unit_price": "20.00"}]),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("frozen"),
        "{p}"
    );
    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/orders/{}/ship", o3["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "reserved before the delist, so it ships");
    assert_ledger_consistent(&app, &sku).await;

    // Adjustments need a reason and cannot count away reserved units.
    let (s, p) = app
        .post(
            &seller,
            &format!("/api/v1/skus/{sku}/adjustments"),
            json!({"delta": -1, "reason": " "}),
        )
        .await;
    assert_eq!(
        (s, fields(&p)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["reason".to_string()])
    );
    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/skus/{sku}/adjustments"),
            json!({"delta": -100, "reason": "count"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (store_b, seller_b) = app.seller_store("US", "self_operated").await;
    let _ = store_b;
    let (s, _) = app
        .get(&seller_b, &format!("/api/v1/skus/{sku}/stock"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.get(&seller_b, &format!("/api/v1/orders/{oid}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn protective_delist_and_relist(app: TestApp) {
    let (store, seller, pid, sku) = product_with_stock(&app, 2).await;
    let (s, o) = order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 2, "unit_price": "20.00"}]),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let p = app.product(&pid).await;
    assert_eq!(
        (
            p["state"].as_str(),
            p["delist_kind"].as_str(),
            p["label"].as_str()
        ),
        (Some("delisted"), Some("protective"), Some("grey"))
    );
    let timeline = app.timeline(ADMIN_TOKEN, &pid).await;
    let last = timeline.last().unwrap();
    assert_eq!(
        (last["action"].as_str(), last["actor_role"].as_str()),
        (Some("protective_delist"), Some("system"))
    );
    // A cancellation brings stock back: relisted automatically.
    app.post(
        &seller,
        &format!("/api/v1/orders/{}/cancel", o["id"].as_str().unwrap()),
        json!({}),
    )
    .await;
    assert_eq!(app.product(&pid).await["state"], "on_sale");
    // Sold out again, then the seller delists it on purpose: returning stock does not relist.
    order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 2, "unit_price": "20.00"}]),
    )
    .await;
    assert_eq!(app.product(&pid).await["delist_kind"], "protective");
    let (s, _) = app.delist(&seller, &pid, "seasonal").await;
    assert_eq!(s, StatusCode::OK);
    let (s, f) = app
        .post(
            &seller,
            &format!("/api/v1/skus/{sku}/receipts"),
            json!({"quantity": 5}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    let p = app.product(&pid).await;
    assert_eq!(
        (p["state"].as_str(), p["delist_kind"].as_str()),
        (Some("delisted"), Some("voluntary")),
        "a voluntary delist holds it"
    );
    app.post(
        &seller,
        &format!("/api/v1/products/{pid}/relist"),
        json!({}),
    )
    .await;
    assert_eq!(app.product(&pid).await["state"], "on_sale");
    assert_ledger_consistent(&app, &sku).await;
}

async fn low_stock_alerts_and_presale(app: TestApp) {
    let (store, seller, pid, sku) = product_with_stock(&app, 10).await;
    let (s, f) = app
        .client
        .put(app.url(&format!("/api/v1/skus/{sku}/safety-threshold")))
        .bearer_auth(&seller)
        .json(&json!({"threshold": 6}))
        .send()
        .await
        .map(|r| (r.status(), ()))
        .unwrap();
    assert_eq!(s, StatusCode::OK, "{f:?}");
    order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 3, "unit_price": "20.00"}]),
    )
    .await; // 7 left
    order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 2, "unit_price": "20.00"}]),
    )
    .await; // 5 < 6: alert
    order(
        &app,
        &store,
        json!([{"sku_id": sku, "quantity": 1, "unit_price": "20.00"}]),
    )
    .await; // 4: no second alert
    let f = figures(&app, &sku).await;
    assert_eq!(
        (f["low"].as_bool(), f["safety_threshold"].as_i64()),
        (Some(true), Some(6))
    );
    // 6 units sold in 30 days = 0.2/day; (7 + 14) days of cover = 4.2 → 5, minus 4
    // available = 1; but back to the threshold of 6 takes 2.
    assert_eq!(f["restock_suggestion"]["quantity"], 2, "{f}");
    let (_, events) = app
        .get(&seller, &format!("/api/v1/products/{pid}/events"))
        .await;
    let lows: Vec<&Value> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event_type"] == "stock.low")
        .collect();
    assert_eq!(lows.len(), 1, "one alert until stock recovers");
    assert_eq!(lows[0]["payload"]["available"], 5);
    app.post(
        &seller,
        &format!("/api/v1/skus/{sku}/receipts"),
        json!({"quantity": 10}),
    )
    .await;
    let (_, events) = app
        .get(&seller, &format!("/api/v1/products/{pid}/events"))
        .await;
    assert_eq!(
        events["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event_type"] == "stock.recovered")
            .count(),
        1
    );

    // Pre-sale: only for an out-of-stock SKU, at most 15 days out, up to its cap.
    let (store2, seller2, pid2, sku2) = product_with_stock(&app, 1).await;
    let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 5)).to_string();
    let (s, _) = app
        .post(
            &seller2,
            &format!("/api/v1/skus/{sku2}/presale"),
            json!({"ship_by": soon, "cap": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "still in stock");
    order(
        &app,
        &store2,
        json!([{"sku_id": sku2, "quantity": 1, "unit_price": "20.00"}]),
    )
    .await;
    assert_eq!(app.product(&pid2).await["delist_kind"], "protective");
    let far = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 16)).to_string();
    let (s, p) = app
        .post(
            &seller2,
            &format!("/api/v1/skus/{sku2}/presale"),
            json!({"ship_by": far, "cap": 3}),
        )
        .await;
    assert_eq!(
        (s, fields(&p)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["ship_by".to_string()]
        )
    );
    let (s, f) = app
        .post(
            &seller2,
            &format!("/api/v1/skus/{sku2}/presale"),
            json!({"ship_by": soon, "cap": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{f}");
    assert_eq!(
        app.product(&pid2).await["state"],
        "on_sale",
        "a running pre-sale keeps it on sale"
    );
    let (s, o) = order(
        &app,
        &store2,
        json!([{"sku_id": sku2, "quantity": 2, "unit_price": "18.00"}]),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(o["lines"][0]["presale"], true);
    let (s, _) = order(
        &app,
        &store2,
        json!([{"sku_id": sku2, "quantity": 2, "unit_price": "18.00"}]),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "the cap is 3");
    let oid = o["id"].as_str().unwrap();
    let (s, p) = app
        .post(&seller2, &format!("/api/v1/orders/{oid}/ship"), json!({}))
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "pre-sold goods not received yet: {p}"
    );
    app.post(
        &seller2,
        &format!("/api/v1/skus/{sku2}/receipts"),
        json!({"quantity": 5}),
    )
    .await;
    let (s, shipped) = app
        .post(&seller2, &format!("/api/v1/orders/{oid}/ship"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{shipped}");
    assert_eq!(shipped["lines"][0]["shipped_late"], false);
    assert_ledger_consistent(&app, &sku2).await;
}

async fn racing_buyers_never_oversell(app: TestApp) {
    let (store, _seller, pid, sku) = product_with_stock(&app, 10).await;
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let app = app.clone();
        let store = store.clone();
        let sku = sku.clone();
        tasks.push(tokio::spawn(async move {
            order(
                &app,
                &store,
                json!([{"sku_id": sku, "quantity": 1, "unit_price": "20.00"}]),
            )
            .await
            .0
        }));
    }
    let mut created = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(created, 10, "exactly the units available were sold");
    let f = figures(&app, &sku).await;
    assert_eq!(
        (
            f["on_hand"].as_i64(),
            f["reserved"].as_i64(),
            f["available"].as_i64()
        ),
        (Some(10), Some(10), Some(0))
    );
    let (_, ledger) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/skus/{sku}/ledger"))
        .await;
    assert_eq!(
        ledger["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "reservation")
            .count(),
        10
    );
    assert_ledger_consistent(&app, &sku).await;
    assert_eq!(
        app.product(&pid).await["delist_kind"],
        "protective",
        "sold out: protectively delisted"
    );
}

async fn suppliers_rank_the_restock_suggestion(app: TestApp) {
    let (store, seller, _pid, sku) = product_with_stock(&app, 3).await; // 3 < default threshold 5: low
    let mut ids = Vec::new();
    for (name, lead, rate, cost) in [
        ("Slow Cheap", 20, "0.99", "1.00"),
        ("Fast Late", 3, "0.60", "2.00"),
        ("Fast Punctual", 3, "0.95", "2.00"),
    ] {
        let (s, sup) = app
            .post(
                &seller,
                &format!("/api/v1/stores/{store}/suppliers"),
                json!({"name": name, "lead_time_days": lead, "on_time_rate": rate}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{sup}");
        let id = sup["id"].as_str().unwrap().to_string();
        let res = app
            .client
            .put(app.url(&format!("/api/v1/suppliers/{id}/offers/{sku}")))
            .bearer_auth(&seller)
            .json(&json!({"unit_cost": cost}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        ids.push(id);
    }
    let f = figures(&app, &sku).await;
    let names: Vec<&str> = f["restock_suggestion"]["suppliers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Fast Punctual", "Fast Late", "Slow Cheap"], "{f}");
    assert_eq!(
        f["restock_suggestion"]["lead_days"], 3,
        "the best supplier's lead time"
    );

    let (s, p) = app
        .post(
            &seller,
            &format!("/api/v1/stores/{store}/suppliers"),
            json!({"name": "X", "lead_time_days": -1, "on_time_rate": "1.5"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&p), ["lead_time_days", "on_time_rate"]);
    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/stores/{store}/suppliers"),
            json!({"name": "Fast Late", "lead_time_days": 1, "on_time_rate": "1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "names are unique per store");
    let (_, seller_b) = app.seller_store("US", "self_operated").await;
    let (s, _) = app
        .get(&seller_b, &format!("/api/v1/stores/{store}/suppliers"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/suppliers/{}", ids[0])))
        .bearer_auth(&seller_b)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/suppliers/{}", ids[2])))
        .bearer_auth(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let f = figures(&app, &sku).await;
    assert_eq!(f["restock_suggestion"]["suppliers"][0]["name"], "Fast Late");
    let (_, list) = app
        .get(&seller, &format!("/api/v1/stores/{store}/suppliers"))
        .await;
    assert_eq!(list.as_array().unwrap().len(), 2);
}
