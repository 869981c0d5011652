//! A seller's token never reads or changes another store's data, on any route.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp};

crate::on_both_backends!(sellers_cannot_touch_other_stores);

async fn sellers_cannot_touch_other_stores(app: TestApp) {
    let (store_a, seller_a) = app.seller_store("US", "self_operated").await;
    let (store_b, seller_b) = app.seller_store("US", "self_operated").await;
    let b_on_sale = app.on_sale(&seller_b, &store_b, "B on sale").await;
    let b_delisted = app.on_sale(&seller_b, &store_b, "B delisted").await;
    app.delist(&seller_b, &b_delisted, "seasonal").await;
    let b_draft = app.create_product(&seller_b, &store_b, "B draft").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a_on_sale = app.on_sale(&seller_a, &store_a, "A on sale").await;
    let before = [
        app.snapshot(&b_on_sale).await,
        app.snapshot(&b_delisted).await,
        app.snapshot(&b_draft).await,
    ];

    // Reads.
    for id in [&b_on_sale, &b_delisted, &b_draft] {
        for path in [
            format!("/api/v1/products/{id}"),
            format!("/api/v1/products/{id}/timeline"),
            format!("/api/v1/products/{id}/events"),
        ] {
            let (s, body) = app.get(&seller_a, &path).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {body}");
            assert!(
                !body.to_string().contains("B "),
                "no data of store B leaks: {body}"
            );
        }
    }
    let (s, body) = app
        .get(&seller_a, &format!("/api/v1/stores/{store_b}/products"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let (s, _) = app
        .get(&seller_a, &format!("/api/v1/stores/{store_b}"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, stores) = app.get(&seller_a, "/api/v1/stores").await;
    let ids: Vec<&str> = stores
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [store_a.as_str()], "a seller lists only its own store");

    // Writes.
    let (s, _) = app.delist(&seller_a, &b_on_sale, "seasonal").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            &seller_a,
            &format!("/api/v1/products/{b_delisted}/relist"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            &seller_a,
            &format!("/api/v1/products/{b_draft}/list"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(&seller_a, &format!("/api/v1/stores/{store_b}/products"), json!({"title": "Intruder", "category": "toys", "skus": [{"code": "X1", "price": "1.00", "stock": 1}]}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let batch = json!({"product_ids": [b_on_sale], "reason_code": "seasonal", "reason_text": "x"});
    let (s, _) = app
        .post(
            &seller_a,
            &format!("/api/v1/stores/{store_b}/products/batch-delist"),
            batch,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Smuggling B's product into A's own batch fails the whole batch.
    let batch = json!({"product_ids": [a_on_sale, b_on_sale], "reason_code": "seasonal", "reason_text": "x"});
    let (s, p) = app
        .post(
            &seller_a,
            &format!("/api/v1/stores/{store_a}/products/batch-delist"),
            batch,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    assert_eq!(p["errors"][0]["field"], "product_ids[1]");
    assert_eq!(
        app.product(&a_on_sale).await["state"],
        "on_sale",
        "all or nothing"
    );
    // Seller-only and admin-only routes.
    let (s, _) = app
        .post(
            &seller_a,
            "/api/v1/users",
            json!({"name": "x", "role": "seller", "store_id": store_b}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .post(
            &seller_a,
            "/api/v1/stores",
            json!({"name": "x", "site": "US", "fulfilment_mode": "self_operated"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Evidence uploaded by store B cannot be cited by store A.
    let png = crate::evidence::tiny_png();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(png).file_name("b.png"),
    );
    let res = app
        .client
        .post(app.url("/api/v1/evidence"))
        .bearer_auth(&seller_b)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (_, ev) = crate::helpers::read(res).await;
    let body = json!({"reason_code": "seasonal", "reason_text": "x", "evidence_ids": [ev["id"]]});
    let (s, _) = app
        .post(
            &seller_a,
            &format!("/api/v1/products/{a_on_sale}/delist"),
            body,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    let after = [
        app.snapshot(&b_on_sale).await,
        app.snapshot(&b_delisted).await,
        app.snapshot(&b_draft).await,
    ];
    assert_eq!(before, after, "store B is exactly as it was");
    let (_, page) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/stores/{store_b}/products"))
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
}
