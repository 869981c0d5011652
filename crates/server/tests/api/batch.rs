//! Batch delist: up to 1,000 products, all or nothing, with a per-item error list.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

crate::on_both_backends!(
    batch_delist_is_all_or_nothing,
    concurrent_delists_in_one_store_all_succeed
);

async fn batch_delist_is_all_or_nothing(app: TestApp) {
    let (store, seller) = app.seller_store("IT", "self_operated").await;
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(app.on_sale(&seller, &store, &format!("Prodotto {i}")).await);
    }
    let draft = app.create_product(&seller, &store, "Bozza").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/stores/{store}/products/batch-delist");

    // One bad item (a draft), one duplicate and one unknown id refuse the whole batch.
    let mut with_bad = ids.clone();
    with_bad.insert(3, draft.clone());
    with_bad.push(ids[0].clone());
    with_bad.push(uuid::Uuid::now_v7().to_string());
    let (s, p) = app.post(&seller, &path, json!({"product_ids": with_bad, "reason_code": "slow_selling", "reason_text": "Clearing the range"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    let mut named = fields(&p);
    named.sort();
    assert_eq!(
        named,
        ["product_ids[13]", "product_ids[14]", "product_ids[3]"]
    );
    for id in &ids {
        assert_eq!(app.product(id).await["state"], "on_sale", "nothing changed");
    }

    let (s, p) = app
        .post(
            &seller,
            &path,
            json!({"product_ids": [], "reason_code": "slow_selling", "reason_text": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let too_many: Vec<String> = (0..1001)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    let (s, p) = app
        .post(
            &seller,
            &path,
            json!({"product_ids": too_many, "reason_code": "slow_selling", "reason_text": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("1000"), "{p}");

    let (s, done) = app.post(&seller, &path, json!({"product_ids": ids, "reason_code": "slow_selling", "reason_text": "Clearing the range"})).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["delisted"], 12);
    for id in &ids {
        let p = app.product(id).await;
        assert_eq!(
            (p["state"].as_str(), p["reason_code"].as_str()),
            (Some("delisted"), Some("slow_selling"))
        );
        assert_eq!(
            app.timeline(ADMIN_TOKEN, id).await.len(),
            3,
            "create, list, delist"
        );
    }
    let (_, page) = app
        .get(
            &seller,
            &format!("/api/v1/stores/{store}/products?reason_code=slow_selling&limit=200"),
        )
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 12);
    assert_eq!(page["counts"]["delist_kind"]["voluntary"], 12);
}

/// Many sellers' clicks at once in one store: every delist succeeds (no deadlock between
/// their updates of the store's tab counts) and the counts add up.
async fn concurrent_delists_in_one_store_all_succeed(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let mut ids = Vec::new();
    for i in 0..40 {
        ids.push(app.on_sale(&seller, &store, &format!("Item {i}")).await);
    }
    let answers =
        futures::future::join_all(ids.iter().map(|id| app.delist(&seller, id, "slow_selling")))
            .await;
    for (s, b) in &answers {
        assert_eq!(*s, StatusCode::OK, "{b}");
    }
    let (_, page) = app
        .get(&seller, &format!("/api/v1/stores/{store}/products?limit=1"))
        .await;
    assert_eq!(page["counts"]["state"]["delisted"], 40, "{page}");
    assert!(
        page["counts"]["state"]
            .get("on_sale")
            .is_none_or(|n| *n == 0),
        "{page}"
    );
}
