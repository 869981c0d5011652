//! Finding listings: the store's list filtered by violation progress together with the
//! other filters (seed 000: "下架原因" and "处理进度" at once), and the platform's search
//! across stores by store, site and the same filters — a seller's search held to their
//! own store.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, fields};

crate::on_both_backends!(listings_are_found_by_progress_reason_store_and_site);

fn titles(page: &Value) -> Vec<String> {
    let mut t: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

async fn ok(app: &TestApp, token: &str, path: &str) -> Value {
    let (s, b) = app.get(token, path).await;
    assert_eq!(s, StatusCode::OK, "{path}: {b}");
    b
}

async fn listings_are_found_by_progress_reason_store_and_site(app: TestApp) {
    let reviewer = app.create_user("reviewer", None).await;
    let (us, seller) = app.seller_store("US", "self_operated").await;
    let (de, de_seller) = app.seller_store("DE", "self_operated").await;
    let take_down = async |product: &str, rule: &str| -> String {
        let (s, v) = app
            .post(
                &reviewer,
                &format!("/api/v1/products/{product}/violations"),
                json!({"rule_code": rule, "details": "see the listing"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().to_string()
    };
    let a = app.on_sale(&seller, &us, "A lamp").await;
    take_down(&a, "CE-1").await;
    let b = app.on_sale(&seller, &us, "B lamp").await;
    let case_b = take_down(&b, "CE-1").await;
    let (s, v) = app
        .post(
            &seller,
            &format!("/api/v1/violations/{case_b}/appeals"),
            json!({"statement": "The certificate is on file"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let c = app.on_sale(&seller, &us, "C lamp").await;
    app.delist(&seller, &c, "seasonal").await;
    app.on_sale(&seller, &us, "E lamp").await;
    let d = app.on_sale(&de_seller, &de, "D Lampe").await;
    take_down(&d, "CE-1").await;

    // One store's list: progress alone, and with the reason.
    let store = format!("/api/v1/stores/{us}/products");
    let p = ok(
        &app,
        &seller,
        &format!("{store}?progress=awaiting_rectification"),
    )
    .await;
    assert_eq!(titles(&p), ["A lamp"]);
    let p = ok(
        &app,
        &seller,
        &format!("{store}?progress=appealed&reason_code=missing_certification"),
    )
    .await;
    assert_eq!(titles(&p), ["B lamp"]);
    let p = ok(
        &app,
        &seller,
        &format!("{store}?progress=appealed&reason_code=seasonal"),
    )
    .await;
    assert_eq!(titles(&p), Vec::<String>::new(), "both filters hold");
    let (s, e) = app.get(&seller, &format!("{store}?progress=stuck")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["progress"]);
    let (s, e) = app.get(&seller, &format!("{store}?site=US")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["site"]);

    // The platform's search across stores.
    let p = ok(
        &app,
        &reviewer,
        "/api/v1/products?progress=awaiting_rectification",
    )
    .await;
    assert_eq!(titles(&p), ["A lamp", "D Lampe"]);
    let p = ok(
        &app,
        &reviewer,
        "/api/v1/products?progress=awaiting_rectification&site=de",
    )
    .await;
    assert_eq!(titles(&p), ["D Lampe"]);
    let p = ok(&app, &reviewer, "/api/v1/products?q=lamp").await;
    assert_eq!(titles(&p).len(), 5, "{p}");
    assert_eq!(
        p["counts"]["state"]["on_sale"], 1,
        "E lamp, across both stores"
    );
    assert_eq!(p["counts"]["label"]["red"], 3);
    let p = ok(
        &app,
        &reviewer,
        &format!("/api/v1/products?store_id={us}&label=red"),
    )
    .await;
    assert_eq!(titles(&p), ["A lamp", "B lamp"]);
    assert_eq!(
        p["counts"]["label"]["red"], 2,
        "the counts of the store searched"
    );
    let p = ok(
        &app,
        &reviewer,
        "/api/v1/products?site=US&state=delisted&delist_kind=voluntary",
    )
    .await;
    assert_eq!(titles(&p), ["C lamp"]);
    let (s, e) = app.get(&reviewer, "/api/v1/products?site=XX").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["site"]);
    let (s, e) = app.get(&reviewer, "/api/v1/products?colour=red").await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown parameters are refused: {e}"
    );

    // A seller's search is their own store's, and another store is not there.
    let p = ok(&app, &seller, "/api/v1/products?q=lamp").await;
    assert_eq!(titles(&p), ["A lamp", "B lamp", "C lamp", "E lamp"]);
    let (s, _) = app
        .get(&seller, &format!("/api/v1/products?store_id={de}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let p = ok(
        &app,
        &de_seller,
        "/api/v1/products?progress=awaiting_rectification",
    )
    .await;
    assert_eq!(titles(&p), ["D Lampe"]);

    // By the store's fulfilment mode (自运营 / 半托管 / 全托管), with its tab counts.
    let (semi, semi_seller) = app.seller_store("US", "semi_managed").await;
    app.on_sale(&semi_seller, &semi, "F lamp").await;
    let p = ok(&app, &reviewer, "/api/v1/products?fulfilment=semi_managed").await;
    assert_eq!(titles(&p), ["F lamp"]);
    assert_eq!(p["counts"]["state"]["on_sale"], 1, "{p}");
    assert_eq!(p["counts"]["label"]["red"], 0, "{p}");
    let p = ok(
        &app,
        &reviewer,
        "/api/v1/products?fulfilment=self_operated&site=US",
    )
    .await;
    assert_eq!(titles(&p), ["A lamp", "B lamp", "C lamp", "E lamp"]);
    let p = ok(
        &app,
        &semi_seller,
        &format!("/api/v1/stores/{semi}/products?fulfilment=self_operated"),
    )
    .await;
    assert_eq!(titles(&p), Vec::<String>::new());
    let (s, e) = app
        .get(&reviewer, "/api/v1/products?fulfilment=dropship")
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["fulfilment"]);
}
