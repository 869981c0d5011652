//! After-sales (seed 003) through the API with the sandbox clock: tickets and their
//! business-day deadline (a US Friday before a holiday Monday, a DE ticket across the DST
//! change), cases that the seller decides or that decide themselves, partial refunds that
//! never exceed what was paid, refund-only policies, return labels, return warehouses and
//! routing, negotiated refunds, reshipments.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::evidence::{tiny_png, upload};
use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

macro_rules! manual {
    ($($name:ident),* $(,)?) => { $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::helpers::TestApp::spawn_manual(crate::helpers::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(b) = crate::helpers::Backend::postgres() {
                    super::$name(crate::helpers::TestApp::spawn_manual(b).await).await;
                }
            }
        }
    )* };
}

manual!(
    us_ticket_on_the_friday_before_a_holiday_monday,
    de_ticket_across_the_dst_change_and_reshipment_tickets,
    seller_decides_or_the_deadline_decides,
    returns_with_labels_inspection_and_partial_refunds,
    refund_only_policies_settle_at_once,
    negotiated_refund_needs_the_platform_and_no_open_return,
    return_warehouses_and_routing,
    buyer_reshipment_and_its_seven_days,
    concurrent_refunds_never_exceed_the_line,
    cross_border_returns_only_where_the_site_allows,
    a_failing_deadline_does_not_hold_back_the_others,
    nothing_panics_at_the_end_of_time,
    an_uploaded_label_is_announced,
);

async fn set_clock(app: &TestApp, to: &str) {
    let (s, b) = app
        .post(ADMIN_TOKEN, "/api/v1/admin/clock", json!({"set_to": to}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

struct Sale {
    store: String,
    seller: String,
    order: String,
    line: String,
    product: String,
    sku: String,
}

/// A store on `site` whose product sold `qty` units at `price`; shipped unless `placed`.
async fn sale(app: &TestApp, site: &str, qty: i64, price: &str, ship: bool) -> Sale {
    let (store, seller) = app.seller_store(site, "self_operated").await;
    let code = format!("AS-{}", uuid::Uuid::now_v7().simple());
    let (s, p) = app
        .post(&seller, &format!("/api/v1/stores/{store}/products"), json!({"title": "Kettle", "category": "home_kitchen", "skus": [{"code": code, "price": price, "stock": 10}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let product = p["id"].as_str().unwrap().to_string();
    let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
    app.post(
        &seller,
        &format!("/api/v1/products/{product}/list"),
        json!({}),
    )
    .await;
    sell(
        app,
        Sale {
            store,
            seller,
            order: String::new(),
            line: String::new(),
            product,
            sku,
        },
        qty,
        price,
        ship,
    )
    .await
}

/// Another order for the same SKU.
async fn sell(app: &TestApp, mut s: Sale, qty: i64, price: &str, ship: bool) -> Sale {
    let (st, o) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", json!({"store_id": s.store, "lines": [{"sku_id": s.sku, "quantity": qty, "unit_price": price}]}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{o}");
    s.order = o["id"].as_str().unwrap().to_string();
    s.line = o["lines"][0]["id"].as_str().unwrap().to_string();
    if ship {
        let (st, b) = app
            .post(
                &s.seller,
                &format!("/api/v1/orders/{}/ship", s.order),
                json!({}),
            )
            .await;
        assert_eq!(st, StatusCode::OK, "{b}");
    }
    s
}

async fn case(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    app.post(token, "/api/v1/aftersales", body).await
}

/// Waits for the deadline worker to move a case or ticket out of `state`.
async fn wait_moved(app: &TestApp, path: &str, from: &str) -> Value {
    app.wait_for(ADMIN_TOKEN, path, |b| b["state"] != from)
        .await
}

async fn us_ticket_on_the_friday_before_a_holiday_monday(app: TestApp) {
    // Friday 2027-01-15 10:00 in New York; Monday 2027-01-18 is Martin Luther King Day.
    set_clock(&app, "2027-01-15T15:00:00Z").await;
    let s = sale(&app, "US", 2, "24.99", true).await;
    let cs = app.create_user("cs_agent", None).await;
    let (st, t) = app
        .post(&cs, "/api/v1/tickets", json!({"order_id": s.order, "order_line_id": s.line, "kind": "wrong_item", "body": "Buyer received a blue kettle, ordered red"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    assert_eq!(
        t["due_at"], "2027-01-19T15:00:00Z",
        "Tuesday 10:00: the weekend and the holiday do not count"
    );
    assert_eq!(t["on_timeout"], "full_refund");
    assert_eq!(t["state"], "awaiting_seller");
    let tid = t["id"].as_str().unwrap().to_string();
    // The seller hears of it in the inbox, with the deadline.
    let inbox = app
        .wait_for(&s.seller, "/api/v1/inbox", |b| {
            b["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["event_type"] == "ticket.opened")
        })
        .await;
    let note = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["event_type"] == "ticket.opened")
        .unwrap();
    assert_eq!(note["severity"], "warning");
    assert!(
        note["body"]
            .as_str()
            .unwrap()
            .contains("Respond by: 2027-01-19T15:00:00Z"),
        "{note}"
    );

    // A question on the same order, answered in time, stays answered.
    let (_, q) = app
        .post(
            &cs,
            "/api/v1/tickets",
            json!({"order_id": s.order, "kind": "product_question", "body": "Is it 220 V?"}),
        )
        .await;
    assert_eq!(q["on_timeout"], "none");
    let qid = q["id"].as_str().unwrap();
    let (st, a) = app
        .post(
            &s.seller,
            &format!("/api/v1/tickets/{qid}/messages"),
            json!({"body": "110 V only"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{a}");
    assert_eq!(a["state"], "answered");
    assert_eq!(
        a["messages"].as_array().unwrap().len(),
        2,
        "the thread keeps both"
    );

    // Bad input and other people's eyes.
    let (st, b) = app
        .post(
            &cs,
            "/api/v1/tickets",
            json!({"order_id": s.order, "kind": "complaint", "body": ""}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&b), vec!["kind", "body"]);
    let (st, _) = app
        .post(
            &s.seller,
            "/api/v1/tickets",
            json!({"order_id": s.order, "kind": "wrong_item", "body": "x"}),
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "customer service opens tickets");
    let (_, other) = app.seller_store("US", "self_operated").await;
    let (st, _) = app.get(&other, &format!("/api/v1/tickets/{tid}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // Monday (a holiday) 23:59 and Tuesday 09:59 New York: still waiting.
    set_clock(&app, "2027-01-19T14:59:00Z").await;
    assert_eq!(app.fire_due().await, 0, "nothing is due a minute early");
    let (_, now) = app.get(&cs, &format!("/api/v1/tickets/{tid}")).await;
    assert_eq!(now["state"], "awaiting_seller");
    // 10:00: evidence waived, the line refunded in full.
    set_clock(&app, "2027-01-19T15:00:00Z").await;
    let waived = wait_moved(&app, &format!("/api/v1/tickets/{tid}"), "awaiting_seller").await;
    assert_eq!(waived["state"], "waived");
    let (_, cases) = app
        .get(
            &s.seller,
            &format!("/api/v1/aftersales?order_id={}", s.order),
        )
        .await;
    let items = cases["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{cases}");
    assert_eq!(items[0]["decided_by"], "ticket_timeout");
    assert_eq!(
        items[0]["refunded"],
        json!({"amount": "49.98", "currency": "USD"})
    );
    let (_, q) = app.get(&cs, &format!("/api/v1/tickets/{qid}")).await;
    assert_eq!(
        q["state"], "answered",
        "the answered ticket did not time out"
    );
    // A late answer is kept in the thread but changes nothing.
    let (st, late) = app
        .post(
            &s.seller,
            &format!("/api/v1/tickets/{tid}/messages"),
            json!({"body": "Sorry, shipping a red one"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    assert_eq!(late["state"], "waived");
}

async fn de_ticket_across_the_dst_change_and_reshipment_tickets(app: TestApp) {
    // Friday 2027-10-29 10:00 in Berlin (CEST, UTC+2); clocks go back on Sunday 31st.
    // (Not the spring change: Friday 2027-03-26 is Good Friday, a German holiday.)
    set_clock(&app, "2027-10-29T08:00:00Z").await;
    let s = sale(&app, "DE", 1, "19.90", true).await;
    let cs = app.create_user("cs_agent", None).await;
    let (st, t) = app
        .post(&cs, "/api/v1/tickets", json!({"order_id": s.order, "order_line_id": s.line, "kind": "reshipment", "body": "Lid missing, please reship", "buyer_address": "Hauptstr. 1, 10115 Berlin"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    assert_eq!(
        t["due_at"], "2027-11-01T09:00:00Z",
        "Monday 10:00 CET (UTC+1): the local time is kept"
    );
    assert_eq!(t["buyer_address"], "Hauptstr. 1, 10115 Berlin");
    assert_eq!(
        t["address_visible_until"], "2027-10-31T08:00:00Z",
        "48 elapsed hours"
    );
    let tid = t["id"].as_str().unwrap().to_string();
    // A second ticket the same minute, which nobody answers.
    let s2 = sell(&app, s, 1, "19.90", true).await;
    let (_, t2) = app
        .post(
            &cs,
            "/api/v1/tickets",
            json!({"order_id": s2.order, "kind": "tracking_stalled", "body": "No scan for 5 days"}),
        )
        .await;
    assert_eq!(t2["due_at"], "2027-11-01T09:00:00Z");
    let t2id = t2["id"].as_str().unwrap().to_string();

    // A reshipment ticket is answered yes/no, with the tracking number for yes.
    let (st, b) = app
        .post(
            &s2.seller,
            &format!("/api/v1/tickets/{tid}/messages"),
            json!({"body": "ok"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), vec!["reshipment_agreed"]);
    let (st, b) = app
        .post(
            &s2.seller,
            &format!("/api/v1/tickets/{tid}/messages"),
            json!({"body": "ok", "reshipment_agreed": true}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), vec!["tracking_number"]);

    // Two days later the address is hidden; the ticket is still open (weekend).
    set_clock(&app, "2027-10-31T08:00:00Z").await;
    let (_, t) = app.get(&s2.seller, &format!("/api/v1/tickets/{tid}")).await;
    assert_eq!(t["buyer_address"], Value::Null);
    assert_eq!(t["state"], "awaiting_seller");
    let (st, t) = app
        .post(&s2.seller, &format!("/api/v1/tickets/{tid}/messages"), json!({"body": "Reshipped the lid", "reshipment_agreed": true, "tracking_number": "DHL123456"}))
        .await;
    assert_eq!(st, StatusCode::CREATED, "{t}");
    assert_eq!(t["state"], "answered");
    assert_eq!(t["tracking_number"], "DHL123456");

    // 09:59 in Berlin on Monday (08:59 UTC) the other is still open; at 10:00 it is waived.
    set_clock(&app, "2027-11-01T08:59:00Z").await;
    assert_eq!(app.fire_due().await, 0, "nothing is due at 09:59 in Berlin");
    let (_, now) = app.get(&cs, &format!("/api/v1/tickets/{t2id}")).await;
    assert_eq!(now["state"], "awaiting_seller", "09:59 in Berlin");
    set_clock(&app, "2027-11-01T09:00:00Z").await;
    let done = wait_moved(&app, &format!("/api/v1/tickets/{t2id}"), "awaiting_seller").await;
    assert_eq!(done["state"], "waived");
    let (_, cases) = app
        .get(
            ADMIN_TOKEN,
            &format!("/api/v1/aftersales?order_id={}", s2.order),
        )
        .await;
    assert!(
        cases["items"].as_array().unwrap().is_empty(),
        "no line, no refund: {cases}"
    );
    let (_, t) = app.get(&cs, &format!("/api/v1/tickets/{tid}")).await;
    assert_eq!(t["state"], "answered");
}

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

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

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
        app.put(
            &s.seller,
            &format!("/api/v1/stores/{}/aftersales-settings", s.store),
            json!({"uploads_labels": uploads}),
        )
        .await;
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

/// A deadline whose action fails (here: a kind no version knows) is set aside with the
/// reason; the ticket deadline claimed in the same batch still fires.
async fn a_failing_deadline_does_not_hold_back_the_others(app: TestApp) {
    let s = sale(&app, "US", 1, "5.00", true).await;
    let cs = app.create_user("cs_agent", None).await;
    let (_, t) = app
        .post(&cs, "/api/v1/tickets", json!({"order_id": s.order, "order_line_id": s.line, "kind": "urge_shipment", "body": "Where is it?"}))
        .await;
    let tid = t["id"].as_str().unwrap().to_string();
    sqlx::any::install_default_drivers();
    use sqlx::Connection;
    let mut c = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    let bogus = uuid::Uuid::now_v7().to_string();
    sqlx::query("INSERT INTO deadlines (id, store_id, kind, subject_id, due_at, state, created_at) VALUES ($1, $2, 'retired.kind', 'x', $3, 'pending', $3)")
        .bind(&bogus)
        .bind(&s.store)
        .bind(1_764_082_800_000_000i64) // 2025-11-25T15:00:00Z: due first
        .execute(&mut c)
        .await
        .unwrap();
    app.advance("PT48H").await;
    let done = wait_moved(&app, &format!("/api/v1/tickets/{tid}"), "awaiting_seller").await;
    assert_eq!(done["state"], "waived");
    let (state, error): (String, Option<String>) =
        sqlx::query_as("SELECT state, last_error FROM deadlines WHERE id = $1")
            .bind(&bogus)
            .fetch_one(&mut c)
            .await
            .unwrap();
    assert_eq!(state, "failed");
    assert!(error.unwrap_or_default().contains("unknown deadline kind"));
    c.close().await.unwrap();
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

/// A seller's return label moves the case to `awaiting_return` and says so: an event in
/// the store's outbox that the inbox and webhooks are built from.
async fn an_uploaded_label_is_announced(app: TestApp) {
    let s = sale(&app, "DE", 1, "30.00", true).await;
    let (st, b) = app
        .put(
            &s.seller,
            &format!("/api/v1/stores/{}/aftersales-settings", s.store),
            json!({"uploads_labels": true}),
        )
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
