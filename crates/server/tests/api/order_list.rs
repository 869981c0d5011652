//! The order list: a seller's own store only, customer service and admins any store;
//! filters by state and placing time, tab counts, keyset pages, and every bad parameter
//! named.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

crate::on_both_backends!(orders_are_listed_per_store_with_filters_and_counts);

async fn order(app: &TestApp, store: &str, sku: &str) -> String {
    let (s, o) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.90"}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    o["id"].as_str().unwrap().to_string()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_string())
        .collect()
}

async fn orders_are_listed_per_store_with_filters_and_counts(app: TestApp) {
    let (a, seller_a) = app.seller_store("US", "self_operated").await;
    let (b, seller_b) = app.seller_store("US", "self_operated").await;
    let cs = app.create_user("cs_agent", None).await;
    let reviewer = app.create_user("reviewer", None).await;
    let pa = app.on_sale(&seller_a, &a, "Mug").await;
    let pb = app.on_sale(&seller_b, &b, "Cup").await;
    let sku_a = app.product(&pa).await["skus"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sku_b = app.product(&pb).await["skus"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let first = order(&app, &a, &sku_a).await;
    let second = order(&app, &a, &sku_a).await;
    let third = order(&app, &a, &sku_a).await;
    let theirs = order(&app, &b, &sku_b).await;
    let (s, _) = app
        .post(
            &seller_a,
            &format!("/api/v1/orders/{first}/ship"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .post(
            &seller_a,
            &format!("/api/v1/orders/{second}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let (s, page) = app.get(&seller_a, "/api/v1/orders").await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(
        ids(&page),
        [third.clone(), second.clone(), first.clone()],
        "newest first, own store only"
    );
    assert_eq!(
        page["counts"],
        json!({"placed": 1, "shipped": 1, "delivered": 0, "cancelled": 1})
    );
    assert_eq!(page["items"][0]["lines"][0]["sku_id"], sku_a.as_str());
    assert_eq!(page["items"][0]["total"]["amount"], "9.90");

    let (_, shipped) = app.get(&seller_a, "/api/v1/orders?state=shipped").await;
    assert_eq!(ids(&shipped), [first.as_str()]);
    assert_eq!(
        shipped["counts"]["cancelled"], 1,
        "tabs count across states"
    );

    let (_, p1) = app.get(&seller_a, "/api/v1/orders?limit=2").await;
    assert_eq!(ids(&p1), [third.clone(), second.clone()]);
    let cursor = p1["next_cursor"].as_str().unwrap().to_string();
    let (_, p2) = app
        .get(
            &seller_a,
            &format!("/api/v1/orders?limit=2&cursor={cursor}"),
        )
        .await;
    assert_eq!(ids(&p2), [first.as_str()]);
    assert!(p2["next_cursor"].is_null());

    let (_, later) = app
        .get(&seller_a, "/api/v1/orders?placed_from=2099-01-01T00:00:00Z")
        .await;
    assert!(ids(&later).is_empty());
    let (_, earlier) = app
        .get(&seller_a, "/api/v1/orders?placed_to=2099-01-01T00:00:00Z")
        .await;
    assert_eq!(ids(&earlier).len(), 3);

    for (query, field) in [
        ("state=lost", "state"),
        ("placed_from=yesterday", "placed_from"),
        (
            "placed_from=2026-12-02T00:00:00Z&placed_to=2026-12-01T00:00:00Z",
            "placed_to",
        ),
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("cursor=nonsense", "cursor"),
    ] {
        let (s, e) = app.get(&seller_a, &format!("/api/v1/orders?{query}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {e}");
        assert_eq!(fields(&e), [field], "{query}");
    }
    let (s, _) = app.get(&seller_a, "/api/v1/orders?stat=placed").await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an unknown parameter is not ignored"
    );

    let (s, _) = app
        .get(&seller_a, &format!("/api/v1/orders?store_id={b}"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a seller lists no other store");
    let (_, mine) = app.get(&seller_b, "/api/v1/orders").await;
    assert_eq!(ids(&mine), [theirs.as_str()]);

    let (_, all) = app.get(&cs, "/api/v1/orders").await;
    let all = ids(&all);
    assert!(
        all.contains(&theirs) && all.contains(&first),
        "customer service sees every store"
    );
    let (_, only_a) = app.get(&cs, &format!("/api/v1/orders?store_id={a}")).await;
    assert_eq!(ids(&only_a).len(), 3);
    let (s, _) = app.get(&reviewer, "/api/v1/orders").await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "reviewers police listings, not orders"
    );

    // A buyer's orders, by the platform's buyer reference, across stores for customer
    // service and within the store for its seller.
    let sku_a = app
        .get(&seller_a, &format!("/api/v1/orders/{first}"))
        .await
        .1["lines"][0]["sku_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, o) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", json!({"store_id": a, "buyer_id": "buyer-77", "lines": [{"sku_id": sku_a, "quantity": 1, "unit_price": "9.90"}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    assert_eq!(o["buyer_id"], "buyer-77");
    let (_, by_buyer) = app.get(&cs, "/api/v1/orders?buyer_id=buyer-77").await;
    assert_eq!(ids(&by_buyer), [o["id"].as_str().unwrap()]);
    let (_, none) = app.get(&seller_b, "/api/v1/orders?buyer_id=buyer-77").await;
    assert!(
        ids(&none).is_empty(),
        "another store's buyer orders stay there"
    );
    for bad in ["", "two%20words"] {
        let (s, e) = app
            .get(&cs, &format!("/api/v1/orders?buyer_id={bad}"))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {e}");
        assert_eq!(fields(&e), ["buyer_id"]);
    }
    let (s, e) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", json!({"store_id": a, "buyer_id": " ", "lines": [{"sku_id": sku_a, "quantity": 1, "unit_price": "9.90"}]}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["buyer_id"]);
}
