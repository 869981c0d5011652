//! The other lists as CSV (`Accept: text/csv`): violations across pages, after-sales cases,
//! refunds and a product's timeline — the list's filters hold, a bad filter is still a
//! problem response, and a seller's export is their own store's.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

crate::on_both_backends!(violations_cases_refunds_and_timelines_export_as_csv);

/// The status and, for a CSV answer, its rows (header first).
async fn csv(app: &TestApp, token: &str, path: &str) -> (StatusCode, Vec<Vec<String>>, String) {
    let res = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let text = res.text().await.unwrap();
    if !kind.starts_with("text/csv") {
        return (status, Vec::new(), text);
    }
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (status, rows, text)
}

async fn violations_cases_refunds_and_timelines_export_as_csv(app: TestApp) {
    let reviewer = app.create_user("reviewer", None).await;
    let cs = app.create_user("cs_agent", None).await;
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let (_, other) = app.seller_store("US", "self_operated").await;
    // 201 cases: more than one 200-row page.
    for i in 0..201 {
        let p = app.on_sale(&seller, &store, &format!("Lamp {i}")).await;
        let (s, v) = app
            .post(
                &reviewer,
                &format!("/api/v1/products/{p}/violations"),
                json!({"rule_code": "CE-1", "details": format!("case {i}, \"quoted\"")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, rows, _) = csv(
        &app,
        &seller,
        "/api/v1/violations?progress=awaiting_rectification",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        rows[0][..5],
        ["id", "store_id", "product_id", "site", "rule_code"]
    );
    assert_eq!(rows.len(), 202, "header and every case, across pages");
    assert!(rows[1..].iter().all(|r| r[1] == store
        && r[4] == "CE-1"
        && r[5] == "1"
        && r[7] == "awaiting_rectification"));
    assert!(
        rows.iter().any(|r| r[9] == "case 0, \"quoted\""),
        "quotes and commas survive"
    );
    let (s, rows, _) = csv(&app, &seller, "/api/v1/violations?progress=closed").await;
    assert_eq!(
        (s, rows.len()),
        (StatusCode::OK, 1),
        "the filter holds: the header only"
    );
    let (s, rows, _) = csv(&app, &other, "/api/v1/violations").await;
    assert_eq!(
        (s, rows.len()),
        (StatusCode::OK, 1),
        "another store's seller exports none of them"
    );
    let (s, rows, body) = csv(&app, &seller, "/api/v1/violations?progress=stuck").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        rows.is_empty() && body.contains("progress"),
        "a problem, not a CSV: {body}"
    );

    // A cancelled order refunded: its case and its refund.
    let other_p = app.on_sale(&seller, &store, "Desk").await;
    let (_, op) = app
        .get(&seller, &format!("/api/v1/products/{other_p}"))
        .await;
    let (s, o) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", json!({"store_id": store, "lines": [{"sku_id": op["skus"][0]["id"], "quantity": 2, "unit_price": "7.25"}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let order = o["id"].as_str().unwrap();
    let (s, c) = app
        .post(
            &cs,
            "/api/v1/aftersales",
            json!({"order_id": order, "type": "cancellation", "reason": "ordered twice"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let case_id = c["id"].as_str().unwrap();
    let (s, d) = app
        .post(
            &seller,
            &format!("/api/v1/aftersales/{case_id}/decision"),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let (s, rows, _) = csv(&app, &cs, &format!("/api/v1/aftersales?store_id={store}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[1][0].as_str(),
            rows[1][4].as_str(),
            rows[1][5].as_str(),
            rows[1][9].as_str()
        ),
        (case_id, "cancellation", "refunded", "14.50")
    );
    let (s, rows, _) = csv(&app, &seller, "/api/v1/refunds").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        rows[0],
        [
            "id",
            "store_id",
            "case_id",
            "order_id",
            "order_line_id",
            "amount",
            "currency",
            "created_at"
        ]
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (
            rows[1][2].as_str(),
            rows[1][5].as_str(),
            rows[1][6].as_str()
        ),
        (case_id, "14.50", "USD")
    );
    let (_, json_page) = app
        .get(&seller, &format!("/api/v1/refunds?order_id={order}"))
        .await;
    assert_eq!(
        json_page["items"][0]["amount"]["amount"], "14.50",
        "{json_page}"
    );
    let (_, none) = app.get(&other, "/api/v1/refunds").await;
    assert_eq!(
        none["items"],
        json!([]),
        "another store's refunds stay there"
    );
    let (s, e) = app
        .get(&other, &format!("/api/v1/refunds?store_id={store}"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, e) = app.get(&cs, "/api/v1/refunds?limit=many").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["limit"]);

    // A product's timeline, an edit's changes before → after in one cell.
    let (s, b) = app
        .patch(
            &seller,
            &format!("/api/v1/products/{other_p}"),
            json!({"title": "Standing desk"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, rows, _) = csv(
        &app,
        &seller,
        &format!("/api/v1/products/{other_p}/timeline"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(rows[0][4], "action");
    let actions: Vec<&str> = rows[1..].iter().map(|r| r[4].as_str()).collect();
    assert_eq!(actions, ["create", "list", "edit"]);
    assert_eq!(rows[3][11], "title: Desk → Standing desk");
    let (s, _, _) = csv(
        &app,
        &other,
        &format!("/api/v1/products/{other_p}/timeline"),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "not another store's to read");
}
