//! Live streams (SSE) that hold across reconnects and processes: a reader that comes
//! back with `Last-Event-ID` gets exactly what it missed, in order; one person's streams
//! are capped; behind a load balancer over two processes on one PostgreSQL, a reader on
//! one hears what the other delivered, and a token revoked through one stops in both.

use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Backend, TestApp, read};

crate::on_both_backends!(a_reader_that_reconnects_gets_exactly_what_it_missed);
crate::on_both_backends!(streams_per_person_are_capped);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn across_two_processes_on_postgres() {
    let Some(pg) = Backend::postgres() else {
        // Needs PostgreSQL: CI always sets MARKETDESK_TEST_POSTGRES_URL.
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the PostgreSQL tests (MARKETDESK_TEST_POSTGRES_URL unset)"
        );
        return;
    };
    let a = TestApp::spawn(pg).await;
    let b = a.another_process().await;
    the_other_process_is_heard_within_a_second(&a, &b).await;
    a_revoked_token_stops_in_every_process(&a, &b).await;
}

/// `(id, data)` of each SSE `message` event in the stream, as they come.
struct Sse {
    inner: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: String,
}

impl Sse {
    async fn open(app: &TestApp, token: &str, last: Option<&str>) -> reqwest::Response {
        let mut req = app
            .client
            .get(app.url("/api/v1/inbox/stream"))
            .bearer_auth(token);
        if let Some(id) = last {
            req = req.header("last-event-id", id);
        }
        req.send().await.unwrap()
    }

    async fn connect(app: &TestApp, token: &str, last: Option<&str>) -> Sse {
        let res = Self::open(app, token, last).await;
        assert_eq!(res.status(), StatusCode::OK);
        Sse {
            inner: Box::pin(res.bytes_stream()),
            buffer: String::new(),
        }
    }

    /// The next message event, or None after `wait` with nothing.
    async fn next(&mut self, wait: Duration) -> Option<(String, Value)> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut id = None;
                let mut data = None;
                let mut message = false;
                for line in block.lines() {
                    if line == "event: message" {
                        message = true;
                    } else if let Some(v) = line.strip_prefix("id: ") {
                        id = Some(v.to_string());
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        data = Some(serde_json::from_str(v).unwrap());
                    }
                }
                if message {
                    return Some((id.unwrap(), data.unwrap()));
                }
                continue;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.inner.next()).await {
                Ok(Some(chunk)) => self
                    .buffer
                    .push_str(&String::from_utf8_lossy(&chunk.unwrap())),
                Ok(None) | Err(_) => return None,
            }
        }
    }
}

/// A takedown of a new product of the seller's: two red messages for the seller.
async fn takedown(app: &TestApp, seller: &str, store: &str, reviewer: &str) -> String {
    let product = app.on_sale(seller, store, "Lamp").await;
    let (s, v) = app
        .post(
            reviewer,
            &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": "CE-1", "details": "No CE marking"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    product
}

/// The seller's inbox ids, oldest first, once there are `n`.
async fn inbox_ids(app: &TestApp, seller: &str, n: usize) -> Vec<String> {
    let page = app
        .wait_for(seller, "/api/v1/inbox?limit=200", |b| {
            b["items"].as_array().is_some_and(|i| i.len() >= n)
        })
        .await;
    let mut ids: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

async fn a_reader_that_reconnects_gets_exactly_what_it_missed(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let reviewer = app.create_user("reviewer", None).await;

    let mut stream = Sse::connect(&app, &seller, None).await;
    takedown(&app, &seller, &store, &reviewer).await;
    let (first_id, _) = stream
        .next(Duration::from_secs(5))
        .await
        .expect("a live message");
    let (second_id, _) = stream.next(Duration::from_secs(5)).await.expect("its pair");
    drop(stream);

    // Gone for a while: two more takedowns, four more messages.
    takedown(&app, &seller, &store, &reviewer).await;
    takedown(&app, &seller, &store, &reviewer).await;
    let all = inbox_ids(&app, &seller, 6).await;
    assert_eq!(all[..2], [first_id.clone(), second_id.clone()]);

    // Back with the last id seen: exactly the four, oldest first, then live again.
    let mut stream = Sse::connect(&app, &seller, Some(&second_id)).await;
    let mut replayed = Vec::new();
    for _ in 0..4 {
        let (id, data) = stream
            .next(Duration::from_secs(5))
            .await
            .expect("a missed message");
        assert_eq!(data["id"], id.as_str());
        replayed.push(id);
    }
    assert_eq!(replayed, all[2..]);
    assert!(
        stream.next(Duration::from_millis(300)).await.is_none(),
        "nothing twice"
    );
    takedown(&app, &seller, &store, &reviewer).await;
    let (live, _) = stream
        .next(Duration::from_secs(5))
        .await
        .expect("live after replay");
    assert!(live > all[5], "{live} after {}", all[5]);

    // An id from before everything replays the whole inbox; a malformed one is ignored.
    let mut from_start = Sse::connect(&app, &seller, Some(&first_id)).await;
    let (id, _) = from_start.next(Duration::from_secs(5)).await.unwrap();
    assert_eq!(id, second_id);
    let mut junk = Sse::connect(&app, &seller, Some("not-an-id")).await;
    assert!(junk.next(Duration::from_millis(300)).await.is_none());
}

async fn streams_per_person_are_capped(app: TestApp) {
    let (_, seller) = app.seller_store("US", "self_operated").await;
    let (_, neighbour) = app.seller_store("US", "self_operated").await;
    let mut open = Vec::new();
    for _ in 0..marketdesk_service::live::STREAMS_PER_USER {
        let res = Sse::open(&app, &seller, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        open.push(res);
    }
    let refused = Sse::open(&app, &seller, None).await;
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    assert!(refused.headers().contains_key("retry-after"));
    let (s, p) = read(refused).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{p}");
    // Someone else is not affected; closing one frees its place.
    let other = Sse::open(&app, &neighbour, None).await;
    assert_eq!(other.status(), StatusCode::OK);
    drop(open.pop());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let res = Sse::open(&app, &seller, None).await;
        if res.status() == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the closed stream's place was not freed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn the_other_process_is_heard_within_a_second(a: &TestApp, b: &TestApp) {
    let (store, seller) = a.seller_store("US", "self_operated").await;
    let reviewer = a.create_user("reviewer", None).await;
    let product = b.on_sale(&seller, &store, "Kettle").await;
    let mut on_a = Sse::connect(a, &seller, None).await;
    // Written through B; B's dispatcher delivers; A's reader hears it.
    let started = Instant::now();
    let (s, v) = b
        .post(
            &reviewer,
            &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": "CE-1", "details": "No CE marking"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, data) = on_a
        .next(Duration::from_secs(1))
        .await
        .expect("process A's reader hears B's message within 1 s");
    assert_eq!(data["subject_id"], product.as_str(), "{data}");
    eprintln!("B's takedown → A's stream: {:?}", started.elapsed());
}

async fn a_revoked_token_stops_in_every_process(a: &TestApp, b: &TestApp) {
    let (s, user) = a
        .post(
            ADMIN_TOKEN,
            "/api/v1/users",
            json!({"name": "two homes", "role": "reviewer"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let token = user["token"].as_str().unwrap();
    let user_id = user["id"].as_str().unwrap();
    // Both processes resolve it and remember it for a minute.
    assert_eq!(a.get(token, "/api/v1/sites").await.0, StatusCode::OK);
    assert_eq!(b.get(token, "/api/v1/sites").await.0, StatusCode::OK);
    let (_, list) = a
        .get(ADMIN_TOKEN, &format!("/api/v1/users/{user_id}/tokens"))
        .await;
    let token_id = list[0]["id"].as_str().unwrap().to_string();
    let (s, _) = a
        .delete(ADMIN_TOKEN, &format!("/api/v1/tokens/{token_id}"))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    // A forgot at once; B within the notice's flight (milliseconds).
    assert_eq!(
        a.get(token, "/api/v1/sites").await.0,
        StatusCode::UNAUTHORIZED
    );
    let deadline = Instant::now() + Duration::from_millis(500);
    loop {
        let (s, _) = b.get(token, "/api/v1/sites").await;
        if s == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "process B still accepts a revoked token"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Disabling an account reaches the other process the same way.
    let (_, seller_user) = a
        .post(
            ADMIN_TOKEN,
            "/api/v1/users",
            json!({"name": "later disabled", "role": "reviewer"}),
        )
        .await;
    let t2 = seller_user["token"].as_str().unwrap();
    assert_eq!(b.get(t2, "/api/v1/sites").await.0, StatusCode::OK);
    let id2 = seller_user["id"].as_str().unwrap();
    let (s, _) = a
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/users/{id2}/disable"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let deadline = Instant::now() + Duration::from_millis(500);
    while b.get(t2, "/api/v1/sites").await.0 != StatusCode::UNAUTHORIZED {
        assert!(
            Instant::now() < deadline,
            "process B still accepts a disabled account"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
