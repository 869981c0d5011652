//! A return of several lines of one order (seed 003): routed as a whole — to the warehouse
//! every one of its products is associated with, else everything to the default one — and
//! refunded line by line within what each line was paid.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::case;
use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

manual!(a_return_of_several_lines_is_routed_and_refunded_as_a_whole);

/// A listed product with one SKU of 10 units; its product and SKU ids.
async fn product(app: &TestApp, seller: &str, store: &str, title: &str) -> (String, String) {
    let code = format!("ML-{}", uuid::Uuid::now_v7().simple());
    let (s, p) = app
        .post(seller, &format!("/api/v1/stores/{store}/products"), json!({"title": title, "category": "home", "skus": [{"code": code, "price": "10.00", "stock": 10}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let id = p["id"].as_str().unwrap().to_string();
    app.post(seller, &format!("/api/v1/products/{id}/list"), json!({}))
        .await;
    (id, p["skus"][0]["id"].as_str().unwrap().to_string())
}

/// A shipped order of one line per (SKU, quantity, unit price); the order and its lines.
async fn shipped(
    app: &TestApp,
    seller: &str,
    store: &str,
    lines: &[(&str, i64, &str)],
) -> (String, Vec<String>) {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(sku, q, p)| json!({"sku_id": sku, "quantity": q, "unit_price": p}))
        .collect();
    let (s, o) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/orders",
            json!({"store_id": store, "lines": lines}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let id = o["id"].as_str().unwrap().to_string();
    let (s, b) = app
        .post(seller, &format!("/api/v1/orders/{id}/ship"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let lines = o["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    (id, lines)
}

async fn a_return_of_several_lines_is_routed_and_refunded_as_a_whole(app: TestApp) {
    let cs = app.create_user("cs_agent", None).await;
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let (lamp, lamp_sku) = product(&app, &seller, &store, "Lamp").await;
    let (shade, shade_sku) = product(&app, &seller, &store, "Shade").await;
    let (_bulb, bulb_sku) = product(&app, &seller, &store, "Bulb").await;
    let warehouses = format!("/api/v1/stores/{store}/return-warehouses");
    let (_, newark) = app
        .post(
            &seller,
            &warehouses,
            json!({"country": "US", "name": "Newark", "address": "1 Dock St"}),
        )
        .await;
    let (_, reno) = app
        .post(
            &seller,
            &warehouses,
            json!({"country": "US", "name": "Reno", "address": "2 Desert Rd"}),
        )
        .await;
    let reno_id = reno["id"].as_str().unwrap();
    let (s, b) = app
        .post(
            &seller,
            &format!("/api/v1/return-warehouses/{reno_id}/products"),
            json!({"product_ids": [lamp, shade]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // Lamp and shade both go to Reno: the return goes there whole.
    let (order, lines) = shipped(
        &app,
        &seller,
        &store,
        &[
            (&lamp_sku, 2, "30.00"),
            (&shade_sku, 1, "12.50"),
            (&bulb_sku, 3, "2.00"),
        ],
    )
    .await;
    let (s, c) = case(&app, &cs, json!({"order_id": order, "type": "return_refund", "order_line_ids": [lines[0], lines[1]], "reason": "quality"})).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["warehouse_id"], reno["id"], "{c}");
    assert_eq!(
        c["requested"]["amount"], "72.50",
        "each line back whole: 60.00 + 12.50"
    );
    assert_eq!(c["order_line_ids"].as_array().unwrap().len(), 2);
    let id = c["id"].as_str().unwrap().to_string();
    // Its lines are taken: another return naming one of them waits for this one.
    let (s, e) = case(&app, &cs, json!({"order_id": order, "type": "return_refund", "order_line_ids": [lines[1], lines[2]], "reason": "quality"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, c) = app
        .post(&cs, &format!("/api/v1/aftersales/{id}/received"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (s, e) = app
        .post(
            &seller,
            &format!("/api/v1/aftersales/{id}/decision"),
            json!({"approve": true, "quantity": 1}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "partial refunds go line by line: {e}"
    );
    let (s, c) = app
        .post(
            &seller,
            &format!("/api/v1/aftersales/{id}/decision"),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(
        (c["state"].as_str(), c["refunded"]["amount"].as_str()),
        (Some("refunded"), Some("72.50"))
    );
    let mut per_line: Vec<(String, String)> = c["refunds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["order_line_id"].as_str().unwrap().to_string(),
                r["amount"]["amount"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    per_line.sort();
    let mut want = vec![
        (lines[0].clone(), "60.00".to_string()),
        (lines[1].clone(), "12.50".to_string()),
    ];
    want.sort();
    assert_eq!(
        per_line, want,
        "refunded per line, each within what it was paid"
    );

    // A lamp with a bulb that no warehouse takes: everything to the default, Newark.
    let (order, lines) = shipped(
        &app,
        &seller,
        &store,
        &[(&lamp_sku, 1, "30.00"), (&bulb_sku, 1, "2.00")],
    )
    .await;
    let (s, c) = case(&app, &cs, json!({"order_id": order, "type": "return_refund", "order_line_ids": [lines[0], lines[1]], "reason": "quality"})).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["warehouse_id"], newark["id"], "{c}");

    // Refused whole: a line of another order, a line twice, several lines for a refund-only
    // request, both forms at once, a quantity.
    for (body, field) in [
        (
            json!({"order_id": order, "type": "return_refund", "order_line_ids": [lines[0], uuid::Uuid::now_v7().to_string()], "reason": "quality"}),
            "order_line_ids[1]",
        ),
        (
            json!({"order_id": order, "type": "return_refund", "order_line_ids": [lines[1], lines[1]], "reason": "quality"}),
            "order_line_ids[1]",
        ),
        (
            json!({"order_id": order, "type": "refund_only", "order_line_ids": [lines[0], lines[1]], "reason": "quality"}),
            "order_line_ids",
        ),
        (
            json!({"order_id": order, "type": "return_refund", "order_line_id": lines[0], "order_line_ids": [lines[1]], "reason": "quality"}),
            "order_line_id",
        ),
        (
            json!({"order_id": order, "type": "return_refund", "order_line_ids": [lines[0]], "quantity": 1, "reason": "quality"}),
            "quantity",
        ),
    ] {
        let (s, e) = case(&app, &cs, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
        assert_eq!(fields(&e), [field], "{body}");
    }
}
