//! Every malformed or illegal request gets a 4xx problem naming the problem and leaves
//! the database exactly as it was.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

crate::on_both_backends!(
    bad_delists_change_nothing,
    bad_products_are_refused,
    bad_stores_and_users_are_refused,
    bad_list_queries_are_refused
);

async fn bad_delists_change_nothing(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let id = app.on_sale(&seller, &store, "Kettle").await;
    let draft = app.create_product(&seller, &store, "Draft").await;
    let draft = draft["id"].as_str().unwrap();
    let before = app.snapshot(&id).await;
    let path = format!("/api/v1/products/{id}/delist");
    let cases = [
        (
            json!({"reason_code": "seasonal", "reason_text": "x", "colour": "red"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown field",
        ),
        (
            json!({"reason_code": 7, "reason_text": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong type",
        ),
        (
            json!({"reason_text": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing reason code",
        ),
        (
            json!({"reason_code": "seasonal", "reason_text": "   "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "blank reason",
        ),
        (
            json!({"reason_code": "seasonal", "reason_text": "长".repeat(2001)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "oversized reason",
        ),
        (
            json!({"reason_code": "because", "reason_text": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown reason code",
        ),
        (
            json!({"reason_code": "seasonal", "reason_text": "x", "evidence_ids": ["nope"]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad evidence id",
        ),
        (
            json!({"reason_code": "seasonal", "reason_text": "x", "evidence_ids": [uuid::Uuid::now_v7().to_string()]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown evidence",
        ),
    ];
    for (body, want, what) in cases {
        let (s, problem) = app.post(&seller, &path, body).await;
        assert_eq!(s, want, "{what}: {problem}");
        assert!(
            !problem["detail"].as_str().unwrap().is_empty(),
            "{what}: {problem}"
        );
        assert!(
            !fields(&problem).is_empty(),
            "{what} should name a field: {problem}"
        );
    }
    let (s, p) = app
        .post_raw(&seller, &path, "application/json", "{\"reason_code\": ")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
    let (s, p) = app.post_raw(&seller, &path, "text/plain", "seasonal").await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{p}");

    // Illegal moves: delisting a draft, relisting what is on sale, listing twice.
    let (s, p) = app.delist(&seller, draft, "seasonal").await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("draft"), "{p}");
    let (s, _) = app
        .post(&seller, &format!("/api/v1/products/{id}/relist"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = app
        .post(&seller, &format!("/api/v1/products/{id}/list"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // A seller cannot act as a reviewer.
    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/products/{id}/review/approve"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    assert_eq!(
        app.snapshot(&id).await,
        before,
        "refused requests must change nothing"
    );
    assert_eq!(app.timeline(&seller, draft).await.len(), 1);
}

async fn bad_products_are_refused(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let taken = app.create_product(&seller, &store, "Existing").await;
    let taken_code = taken["skus"][0]["code"].as_str().unwrap().to_string();
    let path = format!("/api/v1/stores/{store}/products");
    let sku =
        |code: &str, price: &str, stock: i64| json!({"code": code, "price": price, "stock": stock});
    let cases = [
        (
            json!({"title": "", "category": "toys", "skus": [sku("A", "1.00", 1)]}),
            vec!["title"],
        ),
        (
            json!({"title": "T", "category": "toys", "skus": []}),
            vec!["skus"],
        ),
        (
            json!({"title": "T", "category": "toys", "skus": [sku("A", "1.001", 1)]}),
            vec!["skus[0].price"],
        ),
        (
            json!({"title": "T", "category": "toys", "skus": [sku("A", "-1", 1)]}),
            vec!["skus[0].price"],
        ),
        (
            json!({"title": "T", "category": "toys", "skus": [sku("A", "1e3", 1)]}),
            vec!["skus[0].price"],
        ),
        (
            json!({"title": "T", "category": "toys", "skus": [sku("A", "1.00", -1)]}),
            vec!["skus[0].stock"],
        ),
        (
            json!({"title": "T", "category": "toys", "skus": [sku("A", "1", 1), sku("A", "2", 1)]}),
            vec!["skus[1].code"],
        ),
        (
            json!({"title": "T", "category": "toys", "skus": [sku(&taken_code, "1", 1)]}),
            vec!["skus"],
        ),
        (
            json!({"title": "T", "category": "toys", "skus": [{"code": "A", "price": 1.5, "stock": 1}]}),
            vec!["skus[0].price"],
        ),
    ];
    for (body, want) in cases {
        let (s, problem) = app.post(&seller, &path, body.clone()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {problem}");
        assert_eq!(fields(&problem), want, "{body} → {problem}");
    }
    let (_, page) = app.get(&seller, &path).await;
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        1,
        "no refused product was stored"
    );
    assert_eq!(page["counts"]["state"]["draft"], 1);
}

async fn bad_stores_and_users_are_refused(app: TestApp) {
    let (s, p) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/stores",
            json!({"name": "X", "site": "MARS", "fulfilment_mode": "self_operated"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&p), ["site"]);
    let (s, p) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/stores",
            json!({"name": "X", "site": "US", "fulfilment_mode": "dropship"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&p), ["fulfilment_mode"]);
    let (s, p) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/users",
            json!({"name": "S", "role": "seller"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&p), ["store_id"]);
    let (s, p) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/users",
            json!({"name": "S", "role": "seller", "store_id": uuid::Uuid::now_v7().to_string()}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&p), ["store_id"]);
    let (s, p) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/users",
            json!({"name": "S", "role": "system"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "nobody can be made the platform itself"
    );
    assert_eq!(fields(&p), ["role"]);
    let (_, stores) = app.get(ADMIN_TOKEN, "/api/v1/stores").await;
    assert_eq!(stores.as_array().unwrap().len(), 0);
}

async fn bad_list_queries_are_refused(app: TestApp) {
    let (store, seller) = app.seller_store("UK", "self_operated").await;
    for (query, field) in [
        ("state=gone", "state"),
        ("label=blue", "label"),
        ("delist_kind=forever", "delist_kind"),
        ("reason_code=because", "reason_code"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("cursor=abc", "cursor"),
        ("created_from=yesterday", "created_from"),
    ] {
        let (s, p) = app
            .get(&seller, &format!("/api/v1/stores/{store}/products?{query}"))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {p}");
        assert_eq!(fields(&p), [field], "{query}: {p}");
    }
    let (s, _) = app
        .get(
            &seller,
            &format!("/api/v1/stores/{store}/products?stat=on_sale"),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a misspelt filter is refused, not ignored"
    );
}
