//! Returns: labels bought, uploaded or missed, inspection and partial refunds, and
//! cross-border routing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{PDF, case, sale, sell, wait_moved};
use crate::evidence::{tiny_png, upload};
use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

manual!(
    returns_with_labels_inspection_and_partial_refunds,
    cross_border_returns_only_where_the_site_allows,
    an_uploaded_label_is_announced,
);

async fn returns_with_labels_inspection_and_partial_refunds(app: TestApp) {
    let cs = app.create_user("cs_agent", None).await;
    let s = sale(&app, "US", 3, "10.00", true).await;
    // Platform label: straight to awaiting the parcel; received; inspected; 1 of 2 refunded.
    let (st, c) = case(&app, &cs, json!({"order_id": s.order, "type": "return_refund", "order_line_id": s.line, "reason": "quality", "quantity": 2})).await;
    assert_eq!(st, StatusCode::CREATED, "{c}");
    assert_eq!(c["state"], "awaiting_return");
    assert_eq!(c["label_mode"], "platform");
    assert_eq!(c["requested"]["amount"], "20.00");
    let rid = c["id"].as_str().unwrap().to_string();
    let (st, _) = app
        .post(
            &s.seller,
            &format!("/api/v1/aftersales/{rid}/decision"),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(
        st,
        StatusCode::CONFLICT,
        "nothing to inspect before the parcel arrives"
    );
    let (st, c) = app
        .post(
            &cs,
            &format!("/api/v1/aftersales/{rid}/received"),
            json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{c}");
    assert_eq!(c["state"], "returned");
    let (st, b) = app
        .post(
            &s.seller,
            &format!("/api/v1/aftersales/{rid}/decision"),
            json!({"approve": true, "quantity": 1, "amount": "5.00"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (st, b) = app
        .post(
            &s.seller,
            &format!("/api/v1/aftersales/{rid}/decision"),
            json!({"approve": true, "quantity": 1, "note": "one arrived broken by the buyer"}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["refunded"]["amount"], "10.00");

    // By amount: 19.99 more would exceed the 30.00 paid (10.00 refunded): refused.
    let (st, b) = case(&app, &cs, json!({"order_id": s.order, "type": "refund_only", "order_line_id": s.line, "reason": "damaged", "amount": "20.01"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at most 20.00"),
        "{b}"
    );
    let (st, b) = case(&app, &cs, json!({"order_id": s.order, "type": "refund_only", "order_line_id": s.line, "reason": "damaged", "amount": "12.345"})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "cents only: {b}");

    // Oversize: the seller uploads the label (carrier of the site, a PDF) within a business day.
    let (st, _) = app
        .put(
            &s.seller,
            &format!("/api/v1/stores/{}/aftersales-settings", s.store),
            json!({"uploads_labels": true}),
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let big = sell(&app, s, 2, "100.00", true).await;
    let (_, c) = case(&app, &cs, json!({"order_id": big.order, "type": "return_refund", "order_line_id": big.line, "reason": "size_fit", "quantity": 1, "oversize": true})).await;
    assert_eq!(c["state"], "awaiting_label", "{c}");
    assert_eq!(c["label_mode"], "seller");
    assert_eq!(c["label_due_at"], "2026-11-27T15:00:00Z");
    let lid = c["id"].as_str().unwrap().to_string();
    let (_, png) = upload(&app, &big.seller, "label.png", tiny_png()).await;
    let (_, pdf) = upload(&app, &big.seller, "label.pdf", PDF.to_vec()).await;
    assert_eq!(pdf["content_type"], "application/pdf", "{pdf}");
    let (st, b) = app
        .post(
            &big.seller,
            &format!("/api/v1/aftersales/{lid}/label"),
            json!({"carrier": "dhl", "tracking_number": "1Z999", "file_id": png["id"]}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&b), vec!["carrier", "file_id"]);
    let (st, b) = app
        .post(
            &big.seller,
            &format!("/api/v1/aftersales/{lid}/label"),
            json!({"carrier": "ups", "tracking_number": "1Z999", "file_id": pdf["id"]}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["state"], "awaiting_return");
    // The label is served to the store and the platform's staff, and to no other store.
    let label = format!("/api/v1/files/{}", pdf["id"].as_str().unwrap());
    let (_, stranger) = app.seller_store("US", "self_operated").await;
    let reviewer = app.create_user("reviewer", None).await;
    for (who, token, status) in [
        ("the store", big.seller.as_str(), 200),
        ("customer service", cs.as_str(), 200),
        ("a reviewer", reviewer.as_str(), 200),
        ("another store", stranger.as_str(), 404),
    ] {
        let res = app
            .client
            .get(app.url(&label))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{who}");
        if status == 200 {
            assert_eq!(res.headers()["content-type"], "application/pdf", "{who}");
            assert_eq!(&res.bytes().await.unwrap()[..], PDF, "{who}");
        }
    }
    // …but the platform finds it invalid: full refund, no return.
    let (st, b) = app
        .post(
            &cs,
            &format!("/api/v1/aftersales/{lid}/label-invalid"),
            json!({}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["state"], "refunded");
    assert_eq!(b["decided_by"], "invalid_label");
    assert_eq!(
        b["refunded"]["amount"], "200.00",
        "the whole line, without return"
    );

    // A missed label deadline refunds in full without return too.
    let late = sell(&app, big, 1, "80.00", true).await;
    let (_, c) = case(&app, &cs, json!({"order_id": late.order, "type": "return_refund", "order_line_id": late.line, "reason": "quality", "oversize": true})).await;
    let mid = c["id"].as_str().unwrap().to_string();
    app.advance("PT48H").await;
    let done = wait_moved(&app, &format!("/api/v1/aftersales/{mid}"), "awaiting_label").await;
    assert_eq!(done["state"], "refunded");
    assert_eq!(done["decided_by"], "label_timeout");
    assert_eq!(done["refunded"]["amount"], "80.00");
}

/// EU sites other than the UK send returns across borders for sellers who upload labels;
/// the US does not.
async fn cross_border_returns_only_where_the_site_allows(app: TestApp) {
    let cs = app.create_user("cs_agent", None).await;
    for (site, home, uploads, expect_abroad) in [
        ("DE", "DE", false, false),
        ("DE", "DE", true, true),
        ("US", "US", true, false),
        ("UK", "GB", true, false),
    ] {
        let s = sale(&app, site, 2, "10.00", true).await;
        let path = format!("/api/v1/stores/{}/return-warehouses", s.store);
        let (_, local) = app
            .post(
                &s.seller,
                &path,
                json!({"country": home, "name": format!("{site} local"), "address": "a"}),
            )
            .await;
        let (_, abroad) = app
            .post(
                &s.seller,
                &path,
                json!({"country": "FR", "name": format!("{site} Lille"), "address": "b"}),
            )
            .await;
        let (st, _) = app
            .post(
                &s.seller,
                &format!(
                    "/api/v1/return-warehouses/{}/products",
                    abroad["id"].as_str().unwrap()
                ),
                json!({"product_ids": [s.product]}),
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        // Merchant operations set it (on DE and IT only they may).
        let (st, b) = app
            .put(
                ADMIN_TOKEN,
                &format!("/api/v1/stores/{}/aftersales-settings", s.store),
                json!({"uploads_labels": uploads}),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
        let (st, c) = case(&app, &cs, json!({"order_id": s.order, "type": "return_refund", "order_line_id": s.line, "reason": "quality", "quantity": 1})).await;
        assert_eq!(st, StatusCode::CREATED, "{c}");
        let want = if expect_abroad {
            &abroad["id"]
        } else {
            &local["id"]
        };
        assert_eq!(&c["warehouse_id"], want, "{site} uploads={uploads}: {c}");
    }
}

/// A seller's return label moves the case to `awaiting_return` and says so: an event in
/// the store's outbox that the inbox and webhooks are built from.
async fn an_uploaded_label_is_announced(app: TestApp) {
    let s = sale(&app, "DE", 1, "30.00", true).await;
    let settings = format!("/api/v1/stores/{}/aftersales-settings", s.store);
    let (st, b) = app
        .put(&s.seller, &settings, json!({"uploads_labels": true}))
        .await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "on DE the platform enables it: {b}"
    );
    let (st, b) = app
        .put(ADMIN_TOKEN, &settings, json!({"uploads_labels": true}))
        .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let cs = app.create_user("cs_agent", None).await;
    let (st, k) = case(&app, &cs, json!({"order_id": s.order, "type": "return_refund", "order_line_id": s.line, "reason": "damaged"})).await;
    assert_eq!(st, StatusCode::CREATED, "{k}");
    assert_eq!(k["state"], "awaiting_label", "{k}");
    let id = k["id"].as_str().unwrap().to_string();
    let (_, pdf) = upload(&app, &s.seller, "label.pdf", PDF.to_vec()).await;
    let (st, k) = app
        .post(
            &s.seller,
            &format!("/api/v1/aftersales/{id}/label"),
            json!({"carrier": "dhl", "tracking_number": "JJD0001", "file_id": pdf["id"]}),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{k}");
    assert_eq!(k["state"], "awaiting_return", "{k}");
    sqlx::any::install_default_drivers();
    use sqlx::Connection;
    let mut c = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    let events: Vec<(String, String)> =
        sqlx::query_as("SELECT event_type, payload FROM outbox WHERE subject_id = $1 ORDER BY id")
            .bind(&id)
            .fetch_all(&mut c)
            .await
            .unwrap();
    let uploaded: Vec<&(String, String)> = events
        .iter()
        .filter(|(t, _)| t == "aftersales.label_uploaded")
        .collect();
    assert_eq!(uploaded.len(), 1, "{events:?}");
    let payload: Value = serde_json::from_str(&uploaded[0].1).unwrap();
    assert_eq!(payload["state"], "awaiting_return");
    assert_eq!(payload["tracking_number"], "JJD0001");
}
