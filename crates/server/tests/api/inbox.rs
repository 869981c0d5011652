//! Notifications in the app: a takedown reaches the seller's inbox and open live stream
//! within seconds, red; reviewers hear of relist requests; nobody else hears anything.

use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp};

crate::on_both_backends!(takedown_reaches_the_seller_live_and_in_the_inbox);

async fn takedown_reaches_the_seller_live_and_in_the_inbox(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let (_, other_seller) = app.seller_store("US", "self_operated").await;
    let reviewer = app.create_user("reviewer", None).await;
    let product = app.on_sale(&seller, &store, "Desk Lamp").await;

    let res = app
        .client
        .get(app.url("/api/v1/inbox/stream"))
        .bearer_auth(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut stream = res.bytes_stream();

    let started = Instant::now();
    let (s, v) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": "CE-1", "details": "No CE marking"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    let mut seen = String::new();
    while !(seen.contains("event: message") && seen.contains(&product)) {
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .expect("a live message within 5 s")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let latency = started.elapsed();
    assert!(seen.contains("\"severity\":\"red\""), "{seen}");
    eprintln!("takedown → live message: {latency:?}");

    // The inbox keeps them: the takedown and the violation report, both red.
    let deadline = Instant::now() + Duration::from_secs(5);
    let inbox = loop {
        let (_, inbox) = app.get(&seller, "/api/v1/inbox").await;
        if inbox["unread_count"].as_i64().unwrap() >= 2 || Instant::now() > deadline {
            break inbox;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(inbox["unread_count"], 2, "{inbox}");
    let types: Vec<&str> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["event_type"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"product.violation_delisted") && types.contains(&"violation.opened"),
        "{types:?}"
    );
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["severity"] == "red")
    );
    let report = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["event_type"] == "violation.opened")
        .unwrap();
    assert!(
        report["body"]
            .as_str()
            .unwrap()
            .contains("Rule clause: CE-1"),
        "{report}"
    );
    assert!(
        report["body"].as_str().unwrap().contains("Rectify before:"),
        "{report}"
    );

    // Read one; the count follows. Another user's message id is not ours to read.
    let first = inbox["items"][0]["id"].as_str().unwrap().to_string();
    let res = app
        .client
        .post(app.url(&format!("/api/v1/inbox/{first}/read")))
        .bearer_auth(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (_, after) = app.get(&seller, "/api/v1/inbox?unread=true").await;
    assert_eq!(
        (
            after["unread_count"].as_i64(),
            after["items"].as_array().unwrap().len()
        ),
        (Some(1), 1)
    );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/inbox/{first}/read")))
        .bearer_auth(&other_seller)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Reviewers hear of the relist request; the other store's seller heard nothing.
    let vid = v["id"].as_str().unwrap();
    app.post(
        &seller,
        &format!("/api/v1/violations/{vid}/rectifications"),
        json!({"plan": "CE mark added"}),
    )
    .await;
    app.post(
        &seller,
        &format!("/api/v1/violations/{vid}/relist-request"),
        json!({}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (_, r) = app.get(&reviewer, "/api/v1/inbox").await;
        if r["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["event_type"] == "product.review_requested")
        {
            break;
        }
        assert!(Instant::now() < deadline, "reviewer was not told: {r}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, nothing) = app.get(&other_seller, "/api/v1/inbox").await;
    assert_eq!(nothing["unread_count"], 0);
    let (_, admin) = app.get(ADMIN_TOKEN, "/api/v1/inbox").await;
    assert_eq!(
        admin["unread_count"], 0,
        "admins are not in these audiences"
    );
}
