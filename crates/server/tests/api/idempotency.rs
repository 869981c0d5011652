//! `Idempotency-Key`: a retry returns the first answer and changes nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

crate::on_both_backends!(retries_return_the_first_answer);

async fn retries_return_the_first_answer(app: TestApp) {
    let (store, seller) = app.seller_store("ES", "self_operated").await;
    let create = json!({"title": "Abanico", "category": "home_kitchen", "skus": [{"code": "ABN-1", "price": "4.50", "stock": 3}]});
    let path = format!("/api/v1/stores/{store}/products");
    let (s1, first) = app
        .post_with_key(&seller, &path, "create-abanico", create.clone())
        .await;
    let (s2, again) = app
        .post_with_key(&seller, &path, "create-abanico", create.clone())
        .await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(first, again, "the retry returns the first answer");
    let (_, page) = app.get(&seller, &path).await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        1,
        "one product, not two"
    );

    let id = first["id"].as_str().unwrap();
    app.post(&seller, &format!("/api/v1/products/{id}/list"), json!({}))
        .await;
    let delist = json!({"reason_code": "seasonal", "reason_text": "Fin de temporada"});
    let dpath = format!("/api/v1/products/{id}/delist");
    let (s1, a) = app
        .post_with_key(&seller, &dpath, "delist-1", delist.clone())
        .await;
    let (s2, b) = app
        .post_with_key(&seller, &dpath, "delist-1", delist.clone())
        .await;
    assert_eq!(
        (s1, s2),
        (StatusCode::OK, StatusCode::OK),
        "a plain retry would be a 409; the key makes it a replay"
    );
    assert_eq!(a, b);
    assert_eq!(app.timeline(&seller, id).await.len(), 3, "one delist row");

    // The same key for a different request is refused, and changes nothing.
    let other = json!({"reason_code": "slow_selling", "reason_text": "otro"});
    let (s, p) = app.post_with_key(&seller, &dpath, "delist-1", other).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    // Refusals are replayed too: the answer to a key never changes.
    let (s1, _) = app
        .post_with_key(&seller, &dpath, "delist-2", delist.clone())
        .await;
    let (s2, _) = app
        .post_with_key(&seller, &dpath, "delist-2", delist.clone())
        .await;
    assert_eq!((s1, s2), (StatusCode::CONFLICT, StatusCode::CONFLICT));
    // Keys are per user: another user's identical key is a different request.
    let admin_try = app
        .post_with_key(crate::helpers::ADMIN_TOKEN, &dpath, "delist-1", delist)
        .await;
    assert_eq!(
        admin_try.0,
        StatusCode::CONFLICT,
        "already delisted; not a replay of the seller's answer"
    );
    let (s, _) = app
        .post_with_key(&seller, &dpath, "bad key with spaces", json!({}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

crate::on_both_backends!(
    a_lost_answer_never_applies_the_write_twice,
    orders_under_a_key_are_placed_once
);

/// The process dies after a stock receipt committed and before its answer was saved: the
/// claim is left without an answer (we make that state by hand), and it is old enough to
/// look abandoned. The retry must not receive the goods a second time.
async fn a_lost_answer_never_applies_the_write_twice(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let p = app.create_product(&seller, &store, "Kettle").await;
    let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/skus/{sku}/receipts");
    let (s, first) = app
        .post_with_key(&seller, &path, "receipt-1", json!({"quantity": 7}))
        .await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(first["on_hand"], 12);
    lose_the_answer_of(&app, "receipt-1").await;
    let (s, again) = app
        .post_with_key(&seller, &path, "receipt-1", json!({"quantity": 7}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{again}");
    assert_eq!(
        again["type"], "/problems/idempotency-answer-lost",
        "{again}"
    );
    let (_, stock) = app.get(&seller, &format!("/api/v1/skus/{sku}/stock")).await;
    assert_eq!(stock["on_hand"], 12, "received once: {stock}");
    // A claim whose write never committed (the process died before it) is taken over
    // by a retry once stale, and runs.
    sqlx::any::install_default_drivers();
    use sqlx::Connection;
    let mut c = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    sqlx::query("INSERT INTO idempotency (user_id, idem_key, request_hash, status, body, created_at) SELECT user_id, 'receipt-2', request_hash, NULL, NULL, 0 FROM idempotency WHERE idem_key = 'receipt-1'")
        .execute(&mut c)
        .await
        .unwrap();
    let (s, b) = app
        .post_with_key(&seller, &path, "receipt-2", json!({"quantity": 7}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["on_hand"], 19);
}

/// Orders go through group commit, on another task than their request: the batch marks
/// their keys applied in the transaction that places them.
async fn orders_under_a_key_are_placed_once(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let id = app.on_sale(&seller, &store, "Kettle").await;
    let p = app.product(&id).await;
    let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
    let order =
        json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.90"}]});
    let (s, placed) = app
        .post_with_key(
            crate::helpers::ADMIN_TOKEN,
            "/api/v1/orders",
            "order-1",
            order.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{placed}");
    lose_the_answer_of(&app, "order-1").await;
    let (s, again) = app
        .post_with_key(
            crate::helpers::ADMIN_TOKEN,
            "/api/v1/orders",
            "order-1",
            order,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{again}");
    let (_, stock) = app.get(&seller, &format!("/api/v1/skus/{sku}/stock")).await;
    assert_eq!(stock["reserved"], 1, "placed once: {stock}");
}

/// What a crash between the write's commit and the saved answer leaves: no answer, and a
/// claim old enough (by any clock) to look abandoned.
async fn lose_the_answer_of(app: &TestApp, key: &str) {
    sqlx::any::install_default_drivers();
    use sqlx::Connection;
    let mut c = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    let r = sqlx::query(
        "UPDATE idempotency SET status = NULL, body = NULL, created_at = 0 WHERE idem_key = $1",
    )
    .bind(key)
    .execute(&mut c)
    .await
    .unwrap();
    assert_eq!(r.rows_affected(), 1);
}
