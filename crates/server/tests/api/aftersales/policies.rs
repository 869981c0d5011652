//! Refund-only policies and the seller's negotiated partial refund.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{case, sale};
use crate::evidence::{tiny_png, upload};
use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

manual!(
    refund_only_policies_settle_at_once,
    negotiated_refund_needs_the_platform_and_no_open_return,
);

async fn refund_only_policies_settle_at_once(app: TestApp) {
    let cs = app.create_user("cs_agent", None).await;
    let s = sale(&app, "UK", 4, "15.55", true).await;
    let path = format!("/api/v1/stores/{}/refund-policies", s.store);
    for (ratio, ok) in [(4, false), (101, false), (5, true)] {
        let (st, b) = app
            .post(
                &s.seller,
                &path,
                json!({"reason": "damaged", "ceiling": "1.00", "ratio_percent": ratio}),
            )
            .await;
        assert_eq!(st.is_success(), ok, "{ratio}: {b}");
        if !ok {
            assert_eq!(fields(&b), vec!["ratio_percent"]);
        }
    }
    let (st, b) = app
        .post(
            &s.seller,
            &path,
            json!({"reason": "bored", "ceiling": "-1", "ratio_percent": 50}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&b), vec!["reason", "ceiling"]);
    let (st, p) = app
        .post(
            &s.seller,
            &path,
            json!({"reason": "damaged", "ceiling": "20.00", "ratio_percent": 50}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let (_, list) = app.get(&s.seller, &path).await;
    assert_eq!(list.as_array().unwrap().len(), 2);

    // Refund-only for 15.55, damaged: the first policy's ceiling (1.00) is too low, the
    // second matches: half, rounded half-even to the penny (7.775 → 7.78), at once.
    let (st, c) = case(&app, &cs, json!({"order_id": s.order, "type": "refund_only", "order_line_id": s.line, "reason": "damaged", "quantity": 1})).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    assert_eq!(c["state"], "refunded");
    assert_eq!(c["decided_by"], "policy");
    assert_eq!(c["policy_id"], p["id"]);
    assert_eq!(c["refunded"], json!({"amount": "7.78", "currency": "GBP"}));
    // A return request matching it is refunded without the goods coming back.
    let (_, c) = case(&app, &cs, json!({"order_id": s.order, "type": "return_refund", "order_line_id": s.line, "reason": "damaged", "quantity": 1})).await;
    assert_eq!(c["state"], "refunded");
    assert_eq!(c["label_mode"], Value::Null, "no return");
    // Not matching (reason): the seller decides.
    let (_, c) = case(&app, &cs, json!({"order_id": s.order, "type": "refund_only", "order_line_id": s.line, "reason": "quality", "quantity": 1})).await;
    assert_eq!(c["state"], "awaiting_seller");
    let cid = c["id"].as_str().unwrap();
    let (st, b) = app
        .post(
            &s.seller,
            &format!("/api/v1/aftersales/{cid}/decision"),
            json!({"approve": true, "amount": "3.00"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["refunded"]["amount"], "3.00");
    let (st, _) = app
        .delete(&s.seller, &format!("{path}/{}", p["id"].as_str().unwrap()))
        .await;
    assert_eq!(st, StatusCode::NO_CONTENT);
}

async fn negotiated_refund_needs_the_platform_and_no_open_return(app: TestApp) {
    let cs = app.create_user("cs_agent", None).await;
    let s = sale(&app, "FR", 2, "40.00", true).await;
    let path = format!("/api/v1/stores/{}/negotiated-refunds", s.store);
    let (_, chat) = upload(&app, &s.seller, "chat.png", tiny_png()).await;
    let body = json!({"order_id": s.order, "order_line_id": s.line, "amount": "12.50", "evidence_ids": [chat["id"]], "note": "Agreed 12.50 for the scratch", "confirm": true});
    let (st, _) = app.post(&s.seller, &path, body.clone()).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "not enabled");
    let settings = format!("/api/v1/stores/{}/aftersales-settings", s.store);
    let (st, _) = app
        .put(&s.seller, &settings, json!({"negotiated_enabled": true}))
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "the platform enables it");
    let (st, b) = app
        .put(ADMIN_TOKEN, &settings, json!({"negotiated_enabled": true}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");

    // The first submission is a preview; nothing is stored.
    let mut preview = body.clone();
    preview["confirm"] = json!(false);
    let (st, p) = app.post(&s.seller, &path, preview).await;
    assert_eq!(st, StatusCode::OK, "{p}");
    assert_eq!(p["refunded"]["amount"], "12.50");
    let (_, l) = app
        .get(
            &s.seller,
            &format!("/api/v1/aftersales?order_id={}", s.order),
        )
        .await;
    assert!(l["items"].as_array().unwrap().is_empty());

    // An open return case blocks it until cancelled.
    let (_, r) = case(&app, &cs, json!({"order_id": s.order, "type": "return_refund", "order_line_id": s.line, "reason": "quality", "quantity": 1})).await;
    let (st, b) = app.post(&s.seller, &path, body.clone()).await;
    assert_eq!(st, StatusCode::CONFLICT, "{b}");
    let (st, _) = app
        .post(
            &cs,
            &format!("/api/v1/aftersales/{}/cancel", r["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);

    let mut missing = body.clone();
    missing["evidence_ids"] = json!([]);
    missing["note"] = json!("");
    let (st, b) = app.post(&s.seller, &path, missing).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&b), vec!["evidence_ids", "note"]);
    let mut too_much = body.clone();
    too_much["amount"] = json!("80.01");
    let (st, _) = app.post(&s.seller, &path, too_much).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);

    let (st, c) = app.post(&s.seller, &path, body).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    assert_eq!(c["type"], "negotiated");
    assert_eq!(c["state"], "refunded");
    assert_eq!(c["buyer_note"], "Refund agreed with the buyer");
    assert_eq!(
        c["refunds"][0]["amount"],
        json!({"amount": "12.50", "currency": "EUR"})
    );
}
