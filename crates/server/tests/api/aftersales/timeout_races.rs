//! A deadline that settles a case meets the case moved by someone else in the instant
//! between its read and its write (PostgreSQL; SQLite has one writer). The deadline's
//! guarded write then finds nothing to change, and its refund must not stand.

use reqwest::StatusCode;
use serde_json::json;
use sqlx::{Connection, Row};

use super::{case, sale, sell};
use crate::helpers::{Backend, TestApp, hold_first_update};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_label_deadline_meeting_a_moved_case_refunds_nothing() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let app = TestApp::spawn_manual(backend).await;
    let cs = app.create_user("cs_agent", None).await;
    let s = sale(&app, "US", 3, "10.00", true).await;
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
    let id = c["id"].as_str().unwrap().to_string();

    // Hold the first UPDATE of a case after arming: the deadline's guarded write.
    sqlx::any::install_default_drivers();
    let mut db = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    hold_first_update(&mut db, "test_hold_case", "aftersales_cases", 1.5).await;
    // The label was due at 15:00; moving the clock past it fires the deadline.
    let fire = {
        let url = app.url("/api/v1/admin/clock");
        let client = app.client.clone();
        tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(crate::helpers::ADMIN_TOKEN)
                .json(&json!({"set_to": "2026-11-27T16:00:00Z"}))
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    // The deadline has refunded the line and is held at its write to the case…
    let started = std::time::Instant::now();
    loop {
        let held: i64 = sqlx::query(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%aftersales_cases%'",
        )
        .fetch_one(&mut db)
        .await
        .unwrap()
        .get(0);
        if held > 0 {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "the deadline never reached its write"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // …when the label arrives by another way and the case moves on.
    sqlx::query(
        "UPDATE aftersales_cases SET state = 'awaiting_return', label_file_id = NULL WHERE id = $1",
    )
    .bind(&id)
    .execute(&mut db)
    .await
    .unwrap();
    assert_eq!(fire.await.unwrap(), StatusCode::OK);
    app.fire_due().await; // what the worker retries finds nothing left to do

    let refunds: i64 = sqlx::query("SELECT count(*) FROM refunds WHERE case_id = $1")
        .bind(&id)
        .fetch_one(&mut db)
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        refunds, 0,
        "no refund stands for a case the deadline did not settle"
    );
    let (_, c) = app.get(&cs, &format!("/api/v1/aftersales/{id}")).await;
    assert_eq!(c["state"], "awaiting_return", "{c}");
    assert!(c["refunded"].is_null(), "{c}");
}
