//! Return warehouses and routing, and buyer-started reshipments with their seven days.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{case, sale, sell, wait_moved};
use crate::helpers::{TestApp, fields};

manual!(
    return_warehouses_and_routing,
    buyer_reshipment_and_its_seven_days,
);

async fn return_warehouses_and_routing(app: TestApp) {
    let cs = app.create_user("cs_agent", None).await;
    let s = sale(&app, "US", 2, "10.00", true).await;
    let path = format!("/api/v1/stores/{}/return-warehouses", s.store);
    let (st, main) = app
        .post(
            &s.seller,
            &path,
            json!({"country": "US", "name": "Newark", "address": "1 Dock St"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{main}");
    assert_eq!(
        main["is_default"], true,
        "the first in a country is its default"
    );
    let (_, west) = app
        .post(
            &s.seller,
            &path,
            json!({"country": "US", "name": "Reno", "address": "2 Desert Rd"}),
        )
        .await;
    assert_eq!(west["is_default"], false);
    let (st, _) = app
        .post(
            &s.seller,
            &path,
            json!({"country": "DE", "name": "Reno", "address": "x"}),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::CONFLICT,
        "names are unique across countries"
    );
    let (_, de) = app
        .post(
            &s.seller,
            &path,
            json!({"country": "DE", "name": "Reno DE", "address": "x"}),
        )
        .await;
    assert_eq!(de["is_default"], true);
    let (st, b) = app
        .post(
            &s.seller,
            &path,
            json!({"country": "usa", "name": " ", "address": "x"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&b), vec!["country", "name"]);
    let main_id = main["id"].as_str().unwrap().to_string();
    let west_id = west["id"].as_str().unwrap().to_string();
    let (st, _) = app
        .delete(&s.seller, &format!("/api/v1/return-warehouses/{main_id}"))
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "the default cannot be deleted");
    let (st, e) = app
        .put(
            &s.seller,
            &format!("/api/v1/return-warehouses/{main_id}"),
            json!({"address": "3 Dock St"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "but it can be edited: {e}");

    // Associations: at most 500 per call, only the store's products.
    let too_many: Vec<String> = (0..501).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let (st, b) = app
        .post(
            &s.seller,
            &format!("/api/v1/return-warehouses/{west_id}/products"),
            json!({"product_ids": too_many}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&b), vec!["product_ids"]);
    let (st, b) = app
        .post(
            &s.seller,
            &format!("/api/v1/return-warehouses/{west_id}/products"),
            json!({"product_ids": [s.product]}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["products"], 1);

    // Its returns go to Reno; a product without association goes to the default.
    let (_, c) = case(&app, &cs, json!({"order_id": s.order, "type": "return_refund", "order_line_id": s.line, "reason": "quality", "quantity": 1})).await;
    assert_eq!(c["warehouse_id"], west["id"], "{c}");
    let other = sale(&app, "US", 1, "5.00", true).await;
    let (_, c) = case(&app, &cs, json!({"order_id": other.order, "type": "return_refund", "order_line_id": other.line, "reason": "quality"})).await;
    assert_eq!(
        c["warehouse_id"],
        Value::Null,
        "another store without warehouses"
    );
    // Reno becomes the default; the old default stays, and can now be deleted.
    let (_, w) = app
        .put(
            &s.seller,
            &format!("/api/v1/return-warehouses/{west_id}"),
            json!({"make_default": true}),
        )
        .await;
    assert_eq!(w["is_default"], true);
    let (st, _) = app
        .delete(&s.seller, &format!("/api/v1/return-warehouses/{main_id}"))
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (_, list) = app.get(&s.seller, &path).await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Reno", "Reno DE"]);
    let (st, _) = app.get(&other.seller, &path).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
}

async fn buyer_reshipment_and_its_seven_days(app: TestApp) {
    let cs = app.create_user("cs_agent", None).await;
    let s = sale(&app, "IT", 1, "9.00", true).await;
    let (st, r) = app
        .post(
            &cs,
            "/api/v1/reshipments",
            json!({"order_id": s.order, "reason": "parts missing"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{r}");
    assert_eq!(r["due_at"], "2026-12-02T15:00:00Z", "7 calendar days");
    let rid = r["id"].as_str().unwrap().to_string();
    let (st, b) = app
        .post(
            &s.seller,
            &format!("/api/v1/reshipments/{rid}/decision"),
            json!({"approve": true, "carrier": "usps"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&b), vec!["carrier", "tracking_number"]);
    let (st, b) = app
        .post(
            &s.seller,
            &format!("/api/v1/reshipments/{rid}/decision"),
            json!({"approve": true, "carrier": "brt", "tracking_number": "BRT777"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["state"], "approved");

    // The reshipment list: the store's own, filtered by state and order; every bad
    // parameter named; nobody else's store.
    let (st, list) = app
        .get(&s.seller, "/api/v1/reshipments?state=approved")
        .await;
    assert_eq!(st, StatusCode::OK, "{list}");
    assert_eq!(list["items"][0]["id"], rid.as_str());
    let (_, none) = app
        .get(&s.seller, "/api/v1/reshipments?state=requested")
        .await;
    assert!(none["items"].as_array().unwrap().is_empty(), "{none}");
    let (_, by_order) = app
        .get(&cs, &format!("/api/v1/reshipments?order_id={}", s.order))
        .await;
    assert_eq!(by_order["items"].as_array().unwrap().len(), 1, "{by_order}");
    let (stranger_store, stranger) = app.seller_store("IT", "self_operated").await;
    let (_, theirs) = app.get(&stranger, "/api/v1/reshipments").await;
    assert!(
        theirs["items"].as_array().unwrap().is_empty(),
        "another store sees none: {theirs}"
    );
    let (st, _) = app
        .get(
            &s.seller,
            &format!("/api/v1/reshipments?store_id={stranger_store}"),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    for (query, field) in [
        ("state=lost", "state"),
        ("limit=x", "limit"),
        ("cursor=x", "cursor"),
    ] {
        let (st, e) = app
            .get(&s.seller, &format!("/api/v1/reshipments?{query}"))
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(fields(&e), [field], "{query}");
    }
    let reviewer = app.create_user("reviewer", None).await;
    let (st, _) = app.get(&reviewer, "/api/v1/reshipments").await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    let s2 = sell(&app, s, 1, "9.00", true).await;
    let (_, r) = app
        .post(
            &cs,
            "/api/v1/reshipments",
            json!({"order_id": s2.order, "reason": "lost"}),
        )
        .await;
    let rid = r["id"].as_str().unwrap().to_string();
    app.advance("P6DT23H59M").await;
    assert_eq!(
        app.fire_due().await,
        0,
        "nothing is due a minute before 7 days"
    );
    let (_, now) = app
        .get(&s2.seller, &format!("/api/v1/reshipments/{rid}"))
        .await;
    assert_eq!(now["state"], "requested");
    app.advance("PT1M").await;
    let done = wait_moved(&app, &format!("/api/v1/reshipments/{rid}"), "requested").await;
    assert_eq!(
        done["state"], "rejected",
        "rejected automatically after 7 days"
    );
    let (st, _) = app
        .post(
            &s2.seller,
            &format!("/api/v1/reshipments/{rid}/decision"),
            json!({"approve": true, "carrier": "brt", "tracking_number": "X"}),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT);
}
