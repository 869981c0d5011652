//! The seller's everyday path: create, list, delist with a reason, relist; the timeline
//! and the outbox record each step.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp};

crate::on_both_backends!(list_delist_relist_is_recorded, tab_counts_follow_changes);

async fn list_delist_relist_is_recorded(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let draft = app
        .create_product(&seller, &store, "Bamboo Cutting Board")
        .await;
    assert_eq!(draft["state"], "draft");
    assert_eq!(draft["label"], serde_json::Value::Null);
    assert_eq!(
        draft["skus"][0]["price"],
        json!({"amount": "9.90", "currency": "USD"})
    );
    let id = draft["id"].as_str().unwrap();

    let (s, listed) = app
        .post(&seller, &format!("/api/v1/products/{id}/list"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{listed}");
    assert_eq!(
        (listed["state"].as_str(), listed["label"].as_str()),
        (Some("on_sale"), Some("green"))
    );
    assert_eq!(listed["skus"][0]["frozen"], false);

    let (s, down) = app
        .post(
            &seller,
            &format!("/api/v1/products/{id}/delist"),
            json!({"reason_code": "seasonal", "reason_text": "Summer range ends"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{down}");
    assert_eq!(down["state"], "delisted");
    assert_eq!(down["delist_kind"], "voluntary");
    assert_eq!(down["label"], "grey");
    assert_eq!(down["reason_code"], "seasonal");
    assert_eq!(down["skus"][0]["frozen"], true, "delisting freezes stock");
    assert_eq!(
        down["skus"][0]["stock"], 5,
        "delisting keeps the product's data"
    );

    let (s, back) = app
        .post(&seller, &format!("/api/v1/products/{id}/relist"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{back}");
    assert_eq!(back["state"], "on_sale");
    assert_eq!(back["reason_code"], serde_json::Value::Null);

    let timeline = app.timeline(&seller, id).await;
    let steps: Vec<(&str, Option<&str>, &str)> = timeline
        .iter()
        .map(|t| {
            (
                t["action"].as_str().unwrap(),
                t["from"].as_str(),
                t["to"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("create", None, "draft"),
            ("list", Some("draft"), "on_sale"),
            ("delist", Some("on_sale"), "delisted"),
            ("relist", Some("delisted"), "on_sale"),
        ]
    );
    assert_eq!(timeline[2]["reason_code"], "seasonal");
    assert_eq!(timeline[2]["reason_text"], "Summer range ends");
    assert_eq!(timeline[2]["actor_role"], "seller");
    for t in &timeline {
        assert!(
            t["at"].as_str().unwrap().ends_with('Z'),
            "instants are UTC: {t}"
        );
    }

    let (s, events) = app
        .get(&seller, &format!("/api/v1/products/{id}/events"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let types: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "product.created",
            "product.listed",
            "product.delisted",
            "product.relisted"
        ]
    );
    assert_eq!(events["items"][2]["payload"]["reason_code"], "seasonal");
}

async fn tab_counts_follow_changes(app: TestApp) {
    let (store, seller) = app.seller_store("DE", "semi_managed").await;
    let a = app.on_sale(&seller, &store, "A").await;
    let _b = app.on_sale(&seller, &store, "B").await;
    app.create_product(&seller, &store, "C").await;
    let (s, _) = app.delist(&seller, &a, "slow_selling").await;
    assert_eq!(s, StatusCode::OK);
    let (_, page) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/stores/{store}/products"))
        .await;
    let c = &page["counts"];
    assert_eq!(c["state"]["on_sale"], 1, "{c}");
    assert_eq!(c["state"]["delisted"], 1, "{c}");
    assert_eq!(c["state"]["draft"], 1, "{c}");
    assert_eq!(c["state"]["pending_review"], 0, "{c}");
    assert_eq!(c["delist_kind"]["voluntary"], 1, "{c}");
    assert_eq!(c["label"], json!({"green": 1, "grey": 1, "red": 0}));
    // Prices are in the store's site currency.
    assert_eq!(page["items"][0]["skus"][0]["price"]["currency"], "EUR");
}
