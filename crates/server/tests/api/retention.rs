//! Retention on the sandbox clock: idempotency keys go after a day, dispatched events and
//! finished deliveries after 30, an event whose delivery is still pending stays, and
//! history (the timeline, the inbox) is never touched.

use std::time::Duration;

use marketdesk_service::channel_config::ChannelConfig;
use marketdesk_service::retention::{Pruned, RetentionConfig};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

use crate::channel_receivers::HttpReceiver;
use crate::helpers::{Backend, TestApp};

crate::on_each_backend!(old_rows_are_pruned_and_history_is_kept);

async fn ids(app: &TestApp, sql: &str) -> std::collections::BTreeSet<String> {
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(&mut c)
        .await
        .unwrap()
        .into_iter()
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&mut c)
        .await
        .unwrap()
}

async fn old_rows_are_pruned_and_history_is_kept(backend: Backend) {
    let ok = HttpReceiver::start().await;
    let failing = HttpReceiver::start().await;
    failing.answer(503);
    let cfg = ChannelConfig {
        allow_private_targets: true,
        max_attempts: 1_000,
        request_timeout: Duration::from_secs(2),
        ..Default::default()
    };
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let (failing_store, failing_seller) = app.seller_store("US", "self_operated").await;
    for (s, token, rx) in [
        (&store, &seller, &ok),
        (&failing_store, &failing_seller, &failing),
    ] {
        let (st, b) = app
            .post(
                token,
                &format!("/api/v1/stores/{s}/webhooks"),
                json!({"url": format!("{}/hook", rx.base), "event_types": ["product.delisted"]}),
            )
            .await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
    }
    let product = app.on_sale(&seller, &store, "Kettle").await;
    let (s, _) = app
        .post_with_key(
            &seller,
            &format!("/api/v1/products/{product}/delist"),
            "delist-once",
            json!({"reason_code": "seasonal", "reason_text": "winter"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let kept_back = app.on_sale(&failing_seller, &failing_store, "Fan").await;
    let (s, _) = app.delist(&failing_seller, &kept_back, "seasonal").await;
    assert_eq!(s, StatusCode::OK);
    ok.wait_for("hook", 1).await;
    failing.wait_for("hook", 1).await;
    app.dispatch_all().await;

    let timeline = count(&app, "SELECT count(*) FROM timeline").await;
    let inbox = count(&app, "SELECT count(*) FROM inbox").await;
    let events = ids(&app, "SELECT id FROM outbox").await;
    let pending_event = ids(
        &app,
        "SELECT event_id FROM deliveries WHERE state = 'pending'",
    )
    .await;
    assert_eq!(pending_event.len(), 1);
    assert_eq!(count(&app, "SELECT count(*) FROM idempotency").await, 1);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM deliveries WHERE state = 'delivered'"
        )
        .await,
        1
    );
    assert!(events.len() >= 4, "{events:?}");

    // Nothing is old yet.
    let cfg = RetentionConfig {
        batch: 2,
        ..RetentionConfig::default()
    };
    assert_eq!(app.service.prune(&cfg).await.unwrap(), Pruned::default());

    // Two days on: only the idempotency key has served its day.
    app.advance("P2D").await;
    let p = app.service.prune(&cfg).await.unwrap();
    assert_eq!(
        p,
        Pruned {
            idempotency_keys: 1,
            ..Pruned::default()
        }
    );
    assert_eq!(count(&app, "SELECT count(*) FROM idempotency").await, 0);

    // Thirty-one days on: the delivered delivery and its attempt go, then every event
    // of that time but the one whose delivery is still being retried (in batches of 2;
    // the month's own events, such as daily inspections, are younger and stay).
    app.advance("P29D").await;
    let p = app.service.prune(&cfg).await.unwrap();
    assert_eq!(p.deliveries, 1, "{p:?}");
    assert_eq!(p.events as usize, events.len() - 1, "{p:?}");
    let left = ids(&app, "SELECT id FROM outbox").await;
    assert_eq!(
        events
            .intersection(&left)
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        pending_event
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM deliveries WHERE state = 'delivered'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM deliveries WHERE state = 'pending'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM delivery_attempts a WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id)"
        )
        .await,
        0
    );
    // History stays whole.
    assert!(count(&app, "SELECT count(*) FROM timeline").await >= timeline);
    assert!(count(&app, "SELECT count(*) FROM inbox").await >= inbox);
    let (s, _) = app.get(&failing_seller, "/api/v1/deliveries").await;
    assert_eq!(s, StatusCode::OK);
}
