//! Webhooks against a real local receiver: signed, retried, dead-lettered and replayed;
//! and preferences and rules refusing bad input.

use std::time::Duration;

use marketdesk_service::channel_config::ChannelConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::channel_receivers::HttpReceiver;
use crate::channels::deliveries;
use crate::helpers::{ADMIN_TOKEN, Backend, TestApp, fields};

crate::on_each_backend!(webhooks_are_signed_retried_dead_lettered_and_replayed);
crate::on_both_backends!(preferences_and_rules_refuse_bad_input);

async fn webhooks_are_signed_retried_dead_lettered_and_replayed(backend: Backend) {
    let rx = HttpReceiver::start().await;
    let cfg = ChannelConfig {
        max_attempts: 3,
        request_timeout: Duration::from_secs(1),
        // The receivers are on this machine.
        allow_private_targets: true,
        ..Default::default()
    };
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (store, seller) = app.seller_store("UK", "self_operated").await;
    let (other_store, other_seller) = app.seller_store("UK", "self_operated").await;
    let hooks = format!("/api/v1/stores/{store}/webhooks");

    // Bad input first: nothing is created.
    let (s, b) = app
        .post(
            &seller,
            &hooks,
            json!({"url": "ftp://example.com", "event_types": ["nope"]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), vec!["url", "event_types[0]"]);
    // A host name no sender could look up is refused when saved, not at every send.
    let (s, b) = app
        .post(
            &seller,
            &hooks,
            json!({"url": "https://i\u{e8}\u{2026}\u{c7}/hook", "event_types": ["*"]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), vec!["url"]);
    let (s, _) = app
        .post(
            &other_seller,
            &hooks,
            json!({"url": format!("{}/hook", rx.base), "event_types": ["*"]}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "another store's seller");

    let mut subs = Vec::new();
    for url in [
        format!("{}/hook", rx.base),
        format!("{}/slow/1", rx.base),
        "http://127.0.0.1:9/".to_string(),
    ] {
        let (s, b) = app
            .post(
                &seller,
                &hooks,
                json!({"url": url, "event_types": ["product.delisted"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        assert!(b["secret"].as_str().unwrap().starts_with("whsec_"));
        subs.push(b);
    }
    // At rest, each signing secret is sealed: the database alone cannot sign.
    {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut c = sqlx::AnyConnection::connect(&app.database_url)
            .await
            .unwrap();
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT secret FROM webhook_subscriptions WHERE store_id = $1")
                .bind(&store)
                .fetch_all(&mut c)
                .await
                .unwrap();
        assert_eq!(stored.len(), 3);
        for (sealed, sub) in stored.iter().zip(&subs) {
            assert!(sealed.starts_with("enc1:"), "{sealed}");
            let plain = sub["secret"].as_str().unwrap();
            assert!(
                !stored
                    .iter()
                    .any(|s| s.contains(plain.trim_start_matches("whsec_")))
            );
        }
    }
    let (s, listed) = app.get(&seller, &hooks).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(listed.as_array().unwrap().len(), 3);
    assert!(
        listed[0].get("secret").is_none(),
        "the secret is shown once"
    );
    let (s, _) = app.get(&other_seller, &hooks).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    rx.answer(503);
    let product = app.on_sale(&seller, &store, "Kettle").await;
    let (s, b) = app.delist(&seller, &product, "seasonal").await;
    assert_eq!(s, StatusCode::OK, "{b}");

    // First attempts: a 503, a timeout, a refused connection — all kept for a retry.
    let first = app
        .wait_for(&seller, "/api/v1/deliveries?channel=webhook", |b| {
            let items = b["items"].as_array().unwrap();
            items.len() == 3
                && items
                    .iter()
                    .all(|d| d["attempts"] == 1 && d["last_error"].is_string())
        })
        .await;
    let by_target = |b: &Value, url: &str| -> Value {
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["target"] == url)
            .unwrap()
            .clone()
    };
    let hook_url = format!("{}/hook", rx.base);
    let hook = by_target(&first, &hook_url);
    assert!(
        hook["last_error"].as_str().unwrap().contains("HTTP 503"),
        "{hook}"
    );
    assert_eq!(hook["state"], "pending");
    assert_eq!(
        hook["next_attempt_at"], "2026-11-25T15:00:30Z",
        "30 s backoff"
    );
    let slow = by_target(&first, &format!("{}/slow/1", rx.base));
    assert!(
        slow["last_error"]
            .as_str()
            .unwrap()
            .contains("did not answer within"),
        "{slow}"
    );
    let refused = by_target(&first, "http://127.0.0.1:9/");
    assert!(!refused["last_error"].as_str().unwrap().is_empty());

    // Attempts 2 (after 30 s) and 3 (after 60 s more): then dead, with the reason.
    app.advance("PT30S").await;
    app.wait_for(&seller, "/api/v1/deliveries?channel=webhook", |b| {
        // Recorded, not merely claimed: the retry is 60 s after the second failure.
        b["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["attempts"] == 2 && d["next_attempt_at"] == "2026-11-25T15:01:30Z")
    })
    .await;
    app.advance("PT1M").await;
    let dead = app
        .wait_for(
            &seller,
            "/api/v1/deliveries?channel=webhook&state=dead",
            |b| b["items"].as_array().unwrap().len() == 3,
        )
        .await;
    let hook = by_target(&dead, &hook_url);
    let hook_id = hook["id"].as_str().unwrap().to_string();
    let (s, detail) = app
        .get(&seller, &format!("/api/v1/deliveries/{hook_id}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let log = detail["log"].as_array().unwrap();
    assert_eq!(log.len(), 3);
    assert!(
        log.iter()
            .all(|a| a["ok"] == false && a["detail"].as_str().unwrap().contains("503"))
    );

    // Every attempt carried the same id and a valid Standard Webhooks signature.
    let got = rx.received("hook");
    assert_eq!(got.len(), 3);
    let verifier = standardwebhooks::Webhook::new(subs[0]["secret"].as_str().unwrap()).unwrap();
    for r in &got {
        assert_eq!(r.headers["webhook-id"], hook_id.as_str());
        verifier
            .verify(&r.body, &r.headers)
            .expect("signature verifies");
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(body["type"], "product.delisted");
        assert_eq!(body["data"]["subject_id"], product.as_str());
        assert_eq!(body["data"]["store_id"], store.as_str());
    }
    let forged = String::from_utf8_lossy(&got[0].body).replace(&store, &other_store);
    assert!(
        verifier.verify(forged.as_bytes(), &got[0].headers).is_err(),
        "a changed body fails"
    );

    // Another store's seller sees nothing of it.
    let (s, _) = app
        .get(&other_seller, &format!("/api/v1/deliveries/{hook_id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .get(
            &other_seller,
            &format!("/api/v1/deliveries?store_id={store}"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(deliveries(&app, &other_seller, "").await.is_empty());
    let (s, _) = app
        .post(
            &other_seller,
            &format!("/api/v1/deliveries/{hook_id}/replay"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The receiver is fixed; the seller replays the dead letter: same id, delivered.
    rx.answer(204);
    let (s, b) = app
        .post(
            &seller,
            &format!("/api/v1/deliveries/{hook_id}/replay"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    // The refused port stays unreachable: replayed, it is pending again (sent now, then
    // waiting out its backoff on the sandbox clock), and a second replay is refused.
    let refused_id = by_target(&dead, "http://127.0.0.1:9/")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let replay = format!("/api/v1/deliveries/{refused_id}/replay");
    let (s, b) = app.post(&seller, &replay, json!({})).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{b}");
    assert_eq!(b["state"], "pending");
    assert_eq!(b["attempts"], 0, "a fresh attempt budget");
    let (s, b) = app.post(&seller, &replay, json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "already waiting to be sent: {b}");
    app.wait_for(&seller, &format!("/api/v1/deliveries/{hook_id}"), |d| {
        d["state"] == "delivered"
    })
    .await;
    let got = rx.received("hook");
    assert!(got.len() >= 4);
    assert!(
        got.iter()
            .all(|r| r.headers["webhook-id"] == hook_id.as_str())
    );

    // A deleted subscription gets nothing more.
    let (s, _) = app
        .delete(
            &seller,
            &format!("/api/v1/webhooks/{}", subs[0]["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let before = rx.received("hook").len();
    let deleted = subs[0]["id"].as_str().unwrap().to_string();
    let to_deleted = |all: Vec<Value>| {
        all.into_iter()
            .filter(|d| d["recipient"] == deleted.as_str())
            .count()
    };
    let queued_before = to_deleted(deliveries(&app, &seller, "channel=webhook&limit=200").await);
    let p2 = app.on_sale(&seller, &store, "Toaster").await;
    app.delist(&seller, &p2, "seasonal").await;
    app.dispatch_all().await;
    assert_eq!(
        to_deleted(deliveries(&app, &seller, "channel=webhook&limit=200").await),
        queued_before,
        "no delivery queued for a deleted subscription"
    );
    assert_eq!(rx.received("hook").len(), before);
}

async fn preferences_and_rules_refuse_bad_input(app: TestApp) {
    let (store, seller) = app.seller_store("FR", "self_operated").await;
    // By default a webhook may not point into the server's own network.
    for url in [
        "http://127.0.0.1:8080/admin",
        "http://169.254.169.254/latest/meta-data",
        "http://localhost/x",
    ] {
        let (s, b) = app
            .post(
                &seller,
                &format!("/api/v1/stores/{store}/webhooks"),
                json!({"url": url, "event_types": ["*"]}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {b}");
        assert_eq!(fields(&b), vec!["url"]);
    }
    let (s, before) = app.get(&seller, "/api/v1/me/notifications").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(before["time_zone"], "Europe/Paris");
    let (s, b) = app
        .put(&seller, "/api/v1/me/notifications", json!({"email": "not-an-address", "phone": "0612345678", "quiet_start": "25:00", "quiet_end": "07:00", "time_zone": "Mars/Olympus"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(
        fields(&b),
        vec!["email", "phone", "quiet_start", "time_zone"]
    );
    let (s, b) = app
        .put(
            &seller,
            "/api/v1/me/notifications",
            json!({"quiet_start": "22:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), vec!["quiet_end"]);
    let (s, b) = app
        .put(
            &seller,
            "/api/v1/me/notifications",
            json!({"emial": "a@b.fr"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "unknown field: {b}");
    let (_, after) = app.get(&seller, "/api/v1/me/notifications").await;
    assert_eq!(after, before, "nothing changed");

    let rule = json!({"severity": "red", "to_owner": true, "to_staff": false, "to_reviewers": false, "channels": ["email", "fax"]});
    let (s, _) = app.get(&seller, "/api/v1/admin/notification-rules").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let reviewer = app.create_user("reviewer", None).await;
    let (s, _) = app
        .put(
            &reviewer,
            "/api/v1/admin/notification-rules/stock.low",
            rule.clone(),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, b) = app
        .put(
            ADMIN_TOKEN,
            "/api/v1/admin/notification-rules/stock.low",
            rule,
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), vec!["channels[1]", "channels"]);
    let (s, _) = app
        .put(ADMIN_TOKEN, "/api/v1/admin/notification-rules/no.such", json!({"severity": "info", "to_owner": true, "to_staff": true, "to_reviewers": false, "channels": ["inbox"]}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, rules) = app
        .get(ADMIN_TOKEN, "/api/v1/admin/notification-rules")
        .await;
    assert_eq!(s, StatusCode::OK);
    let low = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_type"] == "stock.low")
        .unwrap();
    assert_eq!(low["severity"], "warning");
    assert_eq!(low["overridden"], false);
    assert_eq!(low["channels"], json!(["inbox", "email"]));
}
