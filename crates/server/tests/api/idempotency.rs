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
