//! Real `serve` processes: deadlines survive restarts and fire exactly once, also with two
//! servers sharing one PostgreSQL database; two servers racing buyers never oversell;
//! `calendar due` prints what the server computes.

use std::process::Command;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};

mod common;
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlines_pending_at_shutdown_fire_once_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::Dir(dir.path().to_path_buf());
    let c = marketdesk_store::tls::client();
    let server = serve(&db);
    let products = takedowns(&c, &server.base, 5).await;
    let before = call(
        &c,
        "GET",
        format!("{}/api/v1/admin/clock", server.base),
        ADMIN,
        Value::Null,
    )
    .await;
    drop(server); // SIGKILL with five deadlines pending

    let moved = clock_advance(&db, "PT25H");
    let expected = before["now"]
        .as_str()
        .unwrap()
        .parse::<jiff::Timestamp>()
        .unwrap()
        + jiff::SignedDuration::from_hours(25);
    assert_eq!(
        moved.parse::<jiff::Timestamp>().unwrap(),
        expected,
        "the sandbox clock persisted across the restart"
    );

    let server = serve(&db);
    wait_overdue(&c, &server.base, 5).await;
    assert_escalated_once(&c, &server.base, &products).await;
    drop(server);
    // Another restart fires nothing again.
    let server = serve(&db);
    // Moving the sandbox clock fires whatever is due before it answers: one worker step,
    // run now, instead of waiting for the background round and hoping it ran.
    call(
        &c,
        "POST",
        format!("{}/api/v1/admin/clock", server.base),
        ADMIN,
        json!({"advance_by": "PT1S"}),
    )
    .await;
    assert_escalated_once(&c, &server.base, &products).await;
}

/// 1,000 delist events, the dispatcher writing them to the inbox ten per transaction,
/// SIGKILL as soon as the first messages show: after a restart every event is in the
/// seller's inbox exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_dispatching_delivers_every_event_to_the_inbox_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::Dir(dir.path().to_path_buf());
    let env = [("MARKETDESK_NOTIFY__DISPATCH_BATCH", "10")];
    let c = marketdesk_store::tls::client();
    let mut server = serve_env(&db, &env);
    let base = server.base.clone();
    let store = call(
        &c,
        "POST",
        format!("{base}/api/v1/stores"),
        ADMIN,
        json!({"name": "S", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let sid = store["id"].as_str().unwrap().to_string();
    let seller = call(
        &c,
        "POST",
        format!("{base}/api/v1/users"),
        ADMIN,
        json!({"name": "owner", "role": "seller", "store_id": sid}),
    )
    .await;
    let token = seller["token"].as_str().unwrap().to_string();
    let n = 1000;
    let products: Vec<String> = futures::stream::iter(0..n)
        .map(|i| {
            let (c, base, sid, token) = (c.clone(), base.clone(), sid.clone(), token.clone());
            async move {
                let body = json!({"title": format!("P{i}"), "category": "toys", "skus": [{"code": format!("K-{i}"), "price": "1.00", "stock": 1}]});
                let p = call(&c, "POST", format!("{base}/api/v1/stores/{sid}/products"), &token, body).await;
                let id = p["id"].as_str().unwrap().to_string();
                call(&c, "POST", format!("{base}/api/v1/products/{id}/list"), &token, json!({})).await;
                id
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let before = unread(&c, &base, &token).await.unwrap();
    assert_eq!(before, 0, "listing notifies nobody");
    call(
        &c,
        "POST",
        format!("{base}/api/v1/stores/{sid}/products/batch-delist"),
        &token,
        json!({"product_ids": products, "reason_code": "seasonal", "reason_text": "end of season"}),
    )
    .await;
    let started = Instant::now();
    loop {
        if unread(&c, &base, &token).await.unwrap_or(0) > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "dispatch never started"
        );
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();

    sqlx::any::install_default_drivers();
    use sqlx::Connection;
    let url = marketdesk_store::db::sqlite_url_in(dir.path()).unwrap();
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let at_kill: i64 = sqlx::query_scalar("SELECT count(*) FROM inbox")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    eprintln!("inbox messages when killed: {at_kill} of {n}");
    assert!(
        at_kill > 0 && at_kill < n as i64,
        "the kill landed mid-dispatch: {at_kill}"
    );

    drop(server);
    let server = serve_env(&db, &env);
    let started = Instant::now();
    while unread(&c, &server.base, &token).await.unwrap_or(0) < n as i64 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "not all delivered after restart"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Every event dispatched (read from the database, not guessed by waiting): the inbox
    // below is final.
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    loop {
        let left: i64 =
            sqlx::query_scalar("SELECT count(*) FROM outbox WHERE dispatched_at IS NULL")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        if left == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{left} undispatched"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    conn.close().await.unwrap();
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor
            .as_ref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let page = call(
            &c,
            "GET",
            format!("{}/api/v1/inbox?limit=200{q}", server.base),
            &token,
            Value::Null,
        )
        .await;
        assert_eq!(
            page["unread_count"], n as i64,
            "still exactly one per event"
        );
        for m in page["items"].as_array().unwrap() {
            assert_eq!(m["event_type"], "product.delisted");
            *seen
                .entry(m["subject_id"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), n, "every product's delisting arrived");
    assert!(seen.values().all(|&k| k == 1), "none twice");
    assert!(products.iter().all(|p| seen.contains_key(p)));
}

#[test]
fn calendar_due_prints_the_servers_deadline() {
    let nowhere = tempfile::tempdir().unwrap().path().join("absent");
    let due = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(["calendar", "due"])
            .args(args)
            .arg("--data-dir")
            .arg(&nowhere)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        )
    };
    // domain.md's examples: Wednesday before Thanksgiving, and a Saturday.
    assert_eq!(
        due(&[
            "--site",
            "US",
            "--from",
            "2026-11-25T15:00:00Z",
            "--business-days",
            "1"
        ])
        .1,
        "2026-11-27T15:00:00Z"
    );
    assert_eq!(
        due(&[
            "--site",
            "US",
            "--from",
            "2026-11-28T15:00:00Z",
            "--business-days",
            "1"
        ])
        .1,
        "2026-12-01T05:00:00Z"
    );
    assert_eq!(
        due(&[
            "--site",
            "DE",
            "--from",
            "2026-03-27T02:00:00Z",
            "--hours",
            "72"
        ])
        .1,
        "2026-03-30T02:00:00Z"
    );
    assert_eq!(
        due(&[
            "--site",
            "CN",
            "--from",
            "2026-02-13T02:00:00Z",
            "--business-days",
            "1"
        ])
        .1,
        "2026-02-14T02:00:00Z"
    );
    assert_eq!(
        due(&[
            "--site",
            "UK",
            "--from",
            "2026-11-25T15:00:00Z",
            "--calendar-days",
            "7"
        ])
        .1,
        "2026-12-02T15:00:00Z"
    );
    let (ok, _, err) = due(&[
        "--site",
        "MARS",
        "--from",
        "2026-11-25T15:00:00Z",
        "--hours",
        "1",
    ]);
    assert!(
        !ok && err.starts_with("error:") && err.contains("unknown site"),
        "{err}"
    );
    let (ok, _, err) = due(&["--site", "US", "--from", "yesterday", "--hours", "1"]);
    assert!(!ok && err.contains("RFC 3339"), "{err}");
    assert!(
        !nowhere.exists(),
        "computing a date creates no data directory"
    );
}
