//! What generated API tests found at the edges of the request: bodies that are JSON but
//! not an object, `null` for an optional body, a path that is not UTF-8. Each answers a
//! problem+json the document promises, and changes nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, read};

crate::on_both_backends!(request_shapes_are_answered_as_documented);

/// A body sent as it is written, declared JSON: the shapes `app.post` cannot produce.
async fn send_raw(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: &'static str,
) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn request_shapes_are_answered_as_documented(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let id = app.on_sale(&seller, &store, "Kettle").await;
    let sku = app.product(&id).await["skus"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let before = app.snapshot(&id).await;

    // A JSON array or scalar where an object is expected: 422 naming the body, where
    // serde alone would have read `[null]` as a struct of one field.
    for body in ["[null]", "[null,null]", "7", "\"text\""] {
        for (method, path) in [
            (
                reqwest::Method::PUT,
                format!("/api/v1/skus/{sku}/safety-threshold"),
            ),
            (
                reqwest::Method::PUT,
                format!("/api/v1/stores/{store}/aftersales-settings"),
            ),
            (
                reqwest::Method::POST,
                format!("/api/v1/products/{id}/delist"),
            ),
        ] {
            let res = send_raw(&app, &seller, method.clone(), &path, body).await;
            assert_eq!(res.headers()["content-type"], "application/problem+json");
            let (s, p) = read(res).await;
            assert_eq!(
                s,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{method} {path} {body}: {p}"
            );
            assert_eq!(p["errors"][0]["field"], "body", "{p}");
        }
    }
    // Not JSON at all stays 400.
    let res = send_raw(
        &app,
        &seller,
        reqwest::Method::POST,
        &format!("/api/v1/products/{id}/delist"),
        "[1,",
    )
    .await;
    assert_eq!(read(res).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(app.snapshot(&id).await, before, "nothing changed");

    // `null` is an absent optional body: the move happens.
    let (s, p) = app
        .post(
            &seller,
            &format!("/api/v1/products/{id}/delist"),
            json!({"reason_code": "seasonal", "reason_text": "winter"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let res = send_raw(
        &app,
        &seller,
        reqwest::Method::POST,
        &format!("/api/v1/products/{id}/relist"),
        "null",
    )
    .await;
    let (s, p) = read(res).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["state"], "on_sale");

    // The most negative whole number as a stock adjustment (found by schemathesis: it
    // overflowed `abs` and panicked) is refused like any other out-of-range delta.
    for delta in [i64::MIN, i64::MAX, -1_000_000_001] {
        let (s, p) = app
            .post(
                &seller,
                &format!("/api/v1/skus/{sku}/adjustments"),
                json!({"delta": delta, "reason": "count"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{delta}: {p}");
        assert_eq!(p["errors"][0]["field"], "delta");
    }

    // JSON has one number type: `5.0` is the whole number 5 (schemathesis sends such
    // values for `integer`); `2.5` is not, and is refused naming the field.
    let on_hand = |v: serde_json::Value| v["on_hand"].as_i64().unwrap();
    let stock_path = format!("/api/v1/skus/{sku}/stock");
    let stock_before = on_hand(app.get(&seller, &stock_path).await.1);
    let res = send_raw(
        &app,
        &seller,
        reqwest::Method::POST,
        &format!("/api/v1/skus/{sku}/receipts"),
        r#"{"quantity": 5.0, "reason": "delivery"}"#,
    )
    .await;
    let (s, p) = read(res).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let res = send_raw(
        &app,
        &seller,
        reqwest::Method::POST,
        &format!("/api/v1/skus/{sku}/receipts"),
        r#"{"quantity": 2.5}"#,
    )
    .await;
    let (s, p) = read(res).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "quantity", "{p}");
    let stock_after = on_hand(app.get(&seller, &stock_path).await.1);
    assert_eq!(
        stock_after,
        stock_before + 5,
        "one receipt of 5, none of 2.5"
    );

    // A seller's malformed body to an admin-only route is refused as not allowed, before
    // the body is read.
    for (method, path) in [
        (reqwest::Method::POST, "/api/v1/admin/clock".to_string()),
        (
            reqwest::Method::PUT,
            "/api/v1/admin/notification-rules/product.delisted".to_string(),
        ),
        (
            reqwest::Method::PUT,
            "/api/v1/admin/special-categories/toys".to_string(),
        ),
    ] {
        let res = send_raw(&app, &seller, method.clone(), &path, "{\"nonsense\": [").await;
        let (s, p) = read(res).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{method} {path}: {p}");
    }

    // A path segment that is not UTF-8: 400 as problem+json, not axum's text.
    let res = app
        .client
        .get(app.url("/api/v1/products/%ff%fe"))
        .bearer_auth(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let (s, p) = read(res).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
    assert_eq!(p["status"], 400);
}
