//! Cases the seller decides or the deadline decides, refunds that race for one line, and
//! deadlines past the end of time.

use reqwest::StatusCode;
use serde_json::json;

use super::{Sale, case, sale, sell, set_clock, wait_moved};
use crate::evidence::{tiny_png, upload};
use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

manual!(
    seller_decides_or_the_deadline_decides,
    concurrent_refunds_never_exceed_the_line,
    nothing_panics_at_the_end_of_time,
);

async fn seller_decides_or_the_deadline_decides(app: TestApp) {
    let cs = app.create_user("cs_agent", None).await;
    // Cancellation before shipment: 24 h, then approved — order cancelled, stock back.
    let s = sale(&app, "US", 3, "10.00", false).await;
    let (st, c) = case(
        &app,
        &cs,
        json!({"order_id": s.order, "type": "cancellation", "reason": "ordered twice"}),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    assert_eq!(
        c["due_at"], "2026-11-26T15:00:00Z",
        "24 hours, holiday or not"
    );
    let cid = c["id"].as_str().unwrap().to_string();
    let (_, stock) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/skus/{}/stock", s.sku))
        .await;
    assert_eq!(stock["available"], 7);
    // A cancellation refunds the whole order: a partial amount is refused, nothing moves.
    let (st, b) = app
        .post(
            &s.seller,
            &format!("/api/v1/aftersales/{cid}/decision"),
            json!({"approve": true, "amount": "5.00"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b.to_string().contains("whole order"), "{b}");
    let (_, still) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/aftersales/{cid}"))
        .await;
    assert_eq!(still["state"], "awaiting_seller");
    app.advance("PT24H").await;
    let done = wait_moved(
        &app,
        &format!("/api/v1/aftersales/{cid}"),
        "awaiting_seller",
    )
    .await;
    assert_eq!(done["state"], "refunded");
    assert_eq!(done["decided_by"], "timeout");
    assert_eq!(done["refunded"]["amount"], "30.00");
    let (_, o) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/orders/{}", s.order))
        .await;
    assert_eq!(o["state"], "cancelled");
    let (_, stock) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/skus/{}/stock", s.sku))
        .await;
    assert_eq!(stock["available"], 10, "reservation released");
    // A cancellation of a shipped order is refused.
    let shipped = sell(&app, s, 1, "10.00", true).await;
    let (st, _) = case(
        &app,
        &cs,
        json!({"order_id": shipped.order, "type": "cancellation", "reason": "too late"}),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT);

    // Missing parts: refusing needs evidence; with it, rejected.
    let (st, c) = case(&app, &cs, json!({"order_id": shipped.order, "type": "missing_parts", "order_line_id": shipped.line, "reason": "no lid", "amount": "4.00"})).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    // Opened on Thanksgiving (now 2026-11-26 10:00 New York): counting starts Friday
    // 00:00, one business day on is Monday 00:00.
    assert_eq!(c["due_at"], "2026-11-30T05:00:00Z", "{c}");
    let mid = c["id"].as_str().unwrap().to_string();
    let (st, b) = app
        .post(
            &shipped.seller,
            &format!("/api/v1/aftersales/{mid}/decision"),
            json!({"approve": false}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), vec!["evidence_ids"]);
    let (_, ev) = upload(&app, &shipped.seller, "packing.png", tiny_png()).await;
    let (st, b) = app
        .post(&shipped.seller, &format!("/api/v1/aftersales/{mid}/decision"), json!({"approve": false, "evidence_ids": [ev["id"]], "note": "packing photo shows the lid"}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["state"], "rejected");
    let (st, _) = app
        .post(
            &shipped.seller,
            &format!("/api/v1/aftersales/{mid}/decision"),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(st, StatusCode::CONFLICT, "decided once");

    // Not received: nobody answers within a business day → approved for the buyer.
    let (_, c) = case(&app, &cs, json!({"order_id": shipped.order, "type": "not_received", "order_line_id": shipped.line, "reason": "carrier says delivered"})).await;
    let nid = c["id"].as_str().unwrap().to_string();
    // …and missing parts on another order, also left alone.
    let other = Sale {
        store: shipped.store.clone(),
        seller: shipped.seller.clone(),
        order: String::new(),
        line: String::new(),
        product: shipped.product.clone(),
        sku: shipped.sku.clone(),
    };
    let other = sell(&app, other, 2, "10.00", true).await;
    let (_, c) = case(&app, &cs, json!({"order_id": other.order, "type": "missing_parts", "order_line_id": other.line, "reason": "one of two missing", "quantity": 1})).await;
    let mpid = c["id"].as_str().unwrap().to_string();
    assert_eq!(c["requested"]["amount"], "10.00");
    app.advance("P3DT13H59M").await; // Sunday 23:59 in New York
    assert_eq!(app.fire_due().await, 0, "nothing is due on Sunday 23:59");
    assert_eq!(
        app.get(ADMIN_TOKEN, &format!("/api/v1/aftersales/{nid}"))
            .await
            .1["state"],
        "awaiting_seller"
    );
    app.advance("PT1M").await;
    let done = wait_moved(
        &app,
        &format!("/api/v1/aftersales/{nid}"),
        "awaiting_seller",
    )
    .await;
    assert_eq!(done["state"], "refunded");
    assert_eq!(done["refunds"][0]["amount"]["amount"], "10.00");
    let done = wait_moved(
        &app,
        &format!("/api/v1/aftersales/{mpid}"),
        "awaiting_seller",
    )
    .await;
    assert_eq!(done["state"], "refunded");
    assert_eq!(done["decided_by"], "timeout");
    assert_eq!(done["refunded"]["amount"], "10.00", "1 of 2 units");

    // The line is now fully refunded: nothing more can be asked for.
    let (st, b) = case(&app, &cs, json!({"order_id": shipped.order, "type": "refund_only", "order_line_id": shipped.line, "reason": "damaged", "amount": "0.01"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), vec!["amount"]);

    // Filters of the seller's list.
    let (_, l) = app
        .get(
            &shipped.seller,
            "/api/v1/aftersales?type=missing_parts&state=rejected",
        )
        .await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    let (_, l) = app
        .get(&shipped.seller, "/api/v1/aftersales?state=refunded")
        .await;
    assert_eq!(l["items"].as_array().unwrap().len(), 3);
    // Due before: a decision deadline strictly before the instant (closed cases keep theirs).
    let types_due_before = |at: &'static str| {
        let (app, seller) = (&app, shipped.seller.clone());
        async move {
            let (_, l) = app
                .get(&seller, &format!("/api/v1/aftersales?due_before={at}"))
                .await;
            let mut t: Vec<String> = l["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["type"].as_str().unwrap().to_string())
                .collect();
            t.sort();
            t
        }
    };
    assert!(types_due_before("2026-11-26T15:00:00Z").await.is_empty());
    assert_eq!(
        types_due_before("2026-11-26T15:00:01Z").await,
        vec!["cancellation"]
    );
    assert_eq!(
        types_due_before("2026-11-30T05:00:01Z").await,
        vec![
            "cancellation",
            "missing_parts",
            "missing_parts",
            "not_received"
        ]
    );
    let (st, b) = app
        .get(
            &shipped.seller,
            "/api/v1/aftersales?type=exchange&due_before=tomorrow",
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&b), vec!["type", "due_before"]);
    let (_, other) = app.seller_store("US", "self_operated").await;
    let (st, _) = app.get(&other, &format!("/api/v1/aftersales/{nid}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (_, l) = app.get(&other, "/api/v1/aftersales").await;
    assert!(l["items"].as_array().unwrap().is_empty());
}

/// Sixteen refund requests of 4.00 race for a line that cost 10.00: two are paid, the rest
/// refused, and the refunds add up to 8.00.
async fn concurrent_refunds_never_exceed_the_line(app: TestApp) {
    let cs = app.create_user("cs_agent", None).await;
    let s = sale(&app, "US", 1, "10.00", true).await;
    let (st, _) = app
        .post(
            &s.seller,
            &format!("/api/v1/stores/{}/refund-policies", s.store),
            json!({"reason": "damaged", "ceiling": "50.00", "ratio_percent": 100}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let body = json!({"order_id": s.order, "type": "refund_only", "order_line_id": s.line, "reason": "damaged", "amount": "4.00"});
    let answers = futures::future::join_all((0..16).map(|_| case(&app, &cs, body.clone()))).await;
    let paid = answers
        .iter()
        .filter(|(st, _)| *st == StatusCode::CREATED)
        .count();
    for (st, b) in &answers {
        assert!(
            *st == StatusCode::CREATED || *st == StatusCode::UNPROCESSABLE_ENTITY,
            "{st} {b}"
        );
    }
    assert_eq!(paid, 2, "{answers:?}");
    let (_, l) = app
        .get(
            ADMIN_TOKEN,
            &format!("/api/v1/aftersales?order_id={}", s.order),
        )
        .await;
    let amounts: Vec<&str> = l["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["refunded"]["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, vec!["4.00", "4.00"], "8.00 of 10.00 refunded");

    // Cases the seller decides stay open: of eight opened at once for one line, one is
    // opened and seven are told it already is (no second open case slips past the check).
    let s = sale(&app, "US", 1, "10.00", true).await;
    let body = json!({"order_id": s.order, "type": "missing_parts", "order_line_id": s.line, "reason": "no lid", "amount": "2.00"});
    let answers = futures::future::join_all((0..8).map(|_| case(&app, &cs, body.clone()))).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|(st, _)| *st).collect();
    assert_eq!(
        (
            statuses
                .iter()
                .filter(|s| **s == StatusCode::CREATED)
                .count(),
            statuses
                .iter()
                .filter(|s| **s == StatusCode::CONFLICT)
                .count()
        ),
        (1, 7),
        "{answers:?}"
    );
    let (_, l) = app
        .get(
            ADMIN_TOKEN,
            &format!("/api/v1/aftersales?order_id={}", s.order),
        )
        .await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1, "{l}");
}

/// With the sandbox clock two days before the end of the year 9999, every deadline of a
/// ticket, a case or a reshipment would fall past the last instant a calendar can name:
/// each is refused with a problem (4xx), nothing is stored, and the server keeps answering.
async fn nothing_panics_at_the_end_of_time(app: TestApp) {
    let s = sale(&app, "US", 2, "5.00", true).await;
    let placed = sale(&app, "US", 1, "5.00", false).await;
    let cs = app.create_user("cs_agent", None).await;
    set_clock(&app, "9999-12-30T00:00:00Z").await;
    let (st, t) = app
        .post(&cs, "/api/v1/tickets", json!({"order_id": s.order, "order_line_id": s.line, "kind": "wrong_item", "body": "Wrong colour"}))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{t}");
    assert!(
        crate::helpers::fields(&t).contains(&"deadline".to_string()),
        "{t}"
    );
    let (st, c) = case(&app, &cs, json!({"order_id": s.order, "type": "missing_parts", "order_line_id": s.line, "reason": "Lid missing"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{c}");
    let (st, c) = case(
        &app,
        &cs,
        json!({"order_id": placed.order, "type": "cancellation", "reason": "Changed my mind"}),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{c}");
    let (st, r) = app
        .post(
            &cs,
            "/api/v1/reshipments",
            json!({"order_id": s.order, "reason": "Lost in transit"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{r}");
    // Nothing half-written: no ticket, no case for these orders.
    let (_, tickets) = app
        .get(
            ADMIN_TOKEN,
            &format!("/api/v1/tickets?store_id={}", s.store),
        )
        .await;
    assert_eq!(tickets.as_array().map(|a| a.len()), Some(0), "{tickets}");
    let (_, cases) = app
        .get(
            ADMIN_TOKEN,
            &format!("/api/v1/aftersales?order_id={}", s.order),
        )
        .await;
    assert_eq!(
        cases["items"].as_array().map(|a| a.len()),
        Some(0),
        "{cases}"
    );
    let (st, _) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/orders/{}", s.order))
        .await;
    assert_eq!(st, StatusCode::OK);
}
