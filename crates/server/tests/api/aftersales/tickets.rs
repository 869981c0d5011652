//! Tickets (工单): the business-day deadline across a holiday and a DST change, reshipment
//! tickets, and a failing deadline that does not hold the others back.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::{sale, sell, set_clock, wait_moved};
use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

manual!(
    us_ticket_on_the_friday_before_a_holiday_monday,
    de_ticket_across_the_dst_change_and_reshipment_tickets,
    a_failing_deadline_does_not_hold_back_the_others,
);

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
