//! Real `serve` processes: deadlines survive restarts and fire exactly once, also with two
//! servers sharing one PostgreSQL database; two servers racing buyers never oversell;
//! `calendar due` prints what the server computes.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_marketdesk");
const ADMIN: &str = "deadline-test-admin-token-0123";

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn healthy(base: &str) -> bool {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let Ok(mut s) = std::net::TcpStream::connect(host) else {
        return false;
    };
    let _ = write!(
        s,
        "GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    );
    let mut buf = String::new();
    let _ = s.read_to_string(&mut buf);
    buf.starts_with("HTTP/1.1 200")
}

/// `serve --clock manual` on `db` (a data dir, or a database URL).
fn serve(db: &Db) -> Server {
    serve_env(db, &[])
}

fn serve_env(db: &Db, env: &[(&str, &str)]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = Command::new(BIN);
    cmd.args([
        "serve",
        "--clock",
        "manual",
        "--listen",
        &format!("127.0.0.1:{port}"),
    ]);
    db.args(&mut cmd);
    cmd.envs(env.iter().copied());
    let child = cmd
        .env("MARKETDESK_ADMIN_TOKEN", ADMIN)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    while !healthy(&base) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Server { child, base }
}

enum Db {
    Dir(std::path::PathBuf),
    Url(String),
}

impl Db {
    fn args(&self, cmd: &mut Command) {
        match self {
            Db::Dir(d) => cmd.arg("--data-dir").arg(d),
            Db::Url(u) => cmd
                .arg("--database-url")
                .arg(u)
                .arg("--data-dir")
                .arg(std::env::temp_dir().join("md-pg-blobs")),
        };
    }
}

fn clock_advance(db: &Db, by: &str) -> String {
    let mut cmd = Command::new(BIN);
    cmd.args(["clock", "advance", by]);
    db.args(&mut cmd);
    let out = cmd.env("MARKETDESK_ADMIN_TOKEN", ADMIN).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

async fn call(c: &reqwest::Client, method: &str, url: String, token: &str, body: Value) -> Value {
    let req = if method == "GET" {
        c.get(url)
    } else {
        c.post(url).json(&body)
    };
    let res = req.bearer_auth(token).send().await.unwrap();
    let status = res.status();
    let v: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status} {v}");
    v
}

/// N products on sale in one US store, each taken down for a serious violation (24 h).
async fn takedowns(c: &reqwest::Client, base: &str, n: usize) -> Vec<String> {
    let store = call(
        c,
        "POST",
        format!("{base}/api/v1/stores"),
        ADMIN,
        json!({"name": "S", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let sid = store["id"].as_str().unwrap();
    let mut products = Vec::new();
    for i in 0..n {
        let body = json!({"title": format!("P{i}"), "category": "toys", "skus": [{"code": format!("D-{i}-{sid}"), "price": "1.00", "stock": 1}]});
        let p = call(
            c,
            "POST",
            format!("{base}/api/v1/stores/{sid}/products"),
            ADMIN,
            body,
        )
        .await;
        let id = p["id"].as_str().unwrap().to_string();
        call(
            c,
            "POST",
            format!("{base}/api/v1/products/{id}/list"),
            ADMIN,
            json!({}),
        )
        .await;
        call(
            c,
            "POST",
            format!("{base}/api/v1/products/{id}/violations"),
            ADMIN,
            json!({"rule_code": "SF-1", "details": "Battery overheats"}),
        )
        .await;
        products.push(id);
    }
    products
}

async fn overdue_count(c: &reqwest::Client, base: &str) -> i64 {
    let page = call(
        c,
        "GET",
        format!("{base}/api/v1/violations?progress=overdue&limit=1"),
        ADMIN,
        Value::Null,
    )
    .await;
    page["counts"]["overdue"].as_i64().unwrap()
}

async fn wait_overdue(c: &reqwest::Client, base: &str, n: i64) {
    let start = Instant::now();
    while overdue_count(c, base).await < n {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "deadlines did not fire"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn assert_escalated_once(c: &reqwest::Client, base: &str, products: &[String]) {
    for id in products {
        let t = call(
            c,
            "GET",
            format!("{base}/api/v1/products/{id}/timeline"),
            ADMIN,
            Value::Null,
        )
        .await;
        let n = t["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["action"] == "rectification_overdue")
            .count();
        assert_eq!(n, 1, "product {id} escalated {n} times");
        let e = call(
            c,
            "GET",
            format!("{base}/api/v1/products/{id}/events"),
            ADMIN,
            Value::Null,
        )
        .await;
        let n = e["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["event_type"] == "violation.overdue")
            .count();
        assert_eq!(n, 1, "product {id} has {n} overdue events");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlines_pending_at_shutdown_fire_once_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::Dir(dir.path().to_path_buf());
    let c = reqwest::Client::new();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_fire_each_deadline_once() {
    let Some(server_url) = marketdesk_store::testing::postgres_test_url() else {
        return;
    };
    let url = marketdesk_store::testing::fresh_postgres(&server_url, "md_two")
        .await
        .unwrap();
    let db = Db::Url(url.clone());
    let c = reqwest::Client::new();
    let a = serve(&db);
    let b = serve(&db);
    let n = 300;
    let products = takedowns(&c, &a.base, n).await;
    clock_advance(&db, "PT25H");
    wait_overdue(&c, &b.base, n as i64).await;
    assert_escalated_once(&c, &a.base, &products).await;

    sqlx::any::install_default_drivers();
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT fired_by, count(*) FROM deadlines WHERE state = 'fired' GROUP BY fired_by",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let total: i64 = rows.iter().map(|r| r.1).sum();
    assert_eq!(total, n as i64, "each deadline fired once: {rows:?}");
    eprintln!("deadlines fired per process: {rows:?}");
    conn.close().await.unwrap();
    drop((a, b));
    marketdesk_store::testing::drop_postgres(&server_url, &url)
        .await
        .unwrap();
}

async fn unread(c: &reqwest::Client, base: &str, token: &str) -> Option<i64> {
    let res = c
        .get(format!("{base}/api/v1/inbox?limit=1"))
        .bearer_auth(token)
        .send()
        .await
        .ok()?;
    res.json::<Value>().await.ok()?["unread_count"].as_i64()
}

/// 1,000 delist events, the dispatcher writing them to the inbox ten per transaction,
/// SIGKILL as soon as the first messages show: after a restart every event is in the
/// seller's inbox exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_while_dispatching_delivers_every_event_to_the_inbox_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::Dir(dir.path().to_path_buf());
    let env = [("MARKETDESK_NOTIFY__DISPATCH_BATCH", "10")];
    let c = reqwest::Client::new();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_never_oversell() {
    let Some(server_url) = marketdesk_store::testing::postgres_test_url() else {
        return;
    };
    let url = marketdesk_store::testing::fresh_postgres(&server_url, "md_race")
        .await
        .unwrap();
    let db = Db::Url(url.clone());
    let c = reqwest::Client::new();
    let a = serve(&db);
    let b = serve(&db);
    let store = call(
        &c,
        "POST",
        format!("{}/api/v1/stores", a.base),
        ADMIN,
        json!({"name": "Race", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let sid = store["id"].as_str().unwrap().to_string();
    let p = call(&c, "POST", format!("{}/api/v1/stores/{sid}/products", a.base), ADMIN, json!({"title": "Last units", "category": "toys", "skus": [{"code": "RACE-1", "price": "5.00", "stock": 10}]})).await;
    let pid = p["id"].as_str().unwrap().to_string();
    let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
    call(
        &c,
        "POST",
        format!("{}/api/v1/products/{pid}/list", a.base),
        ADMIN,
        json!({}),
    )
    .await;

    let mut tasks = Vec::new();
    for i in 0..64 {
        let base = if i % 2 == 0 {
            a.base.clone()
        } else {
            b.base.clone()
        };
        let (c, sid, sku) = (c.clone(), sid.clone(), sku.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({"store_id": sid, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "5.00"}]});
            c.post(format!("{base}/api/v1/orders")).bearer_auth(ADMIN).json(&body).send().await.unwrap().status().as_u16()
        }));
    }
    let mut sold = 0;
    for t in tasks {
        match t.await.unwrap() {
            201 => sold += 1,
            409 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(
        sold, 10,
        "exactly the units available, across two processes"
    );
    let f = call(
        &c,
        "GET",
        format!("{}/api/v1/skus/{sku}/stock", b.base),
        ADMIN,
        Value::Null,
    )
    .await;
    assert_eq!(
        (f["reserved"].as_i64(), f["available"].as_i64()),
        (Some(10), Some(0))
    );
    let ledger = call(
        &c,
        "GET",
        format!("{}/api/v1/skus/{sku}/ledger", a.base),
        ADMIN,
        Value::Null,
    )
    .await;
    let reservations = ledger["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "reservation")
        .count();
    assert_eq!(reservations, 10);
    drop((a, b));
    marketdesk_store::testing::drop_postgres(&server_url, &url)
        .await
        .unwrap();
}

/// Two `serve` processes on one PostgreSQL share the dispatcher's and the sender's work:
/// 200 delist events reach a store's webhook receiver, each once, under its own id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_send_each_webhook_once() {
    let Some(server_url) = marketdesk_store::testing::postgres_test_url() else {
        return;
    };
    use std::sync::{Arc, Mutex};
    let got: Arc<Mutex<Vec<String>>> = Arc::default();
    let receiver = {
        let got = got.clone();
        axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap| {
                let got = got.clone();
                async move {
                    let id = headers["webhook-id"].to_str().unwrap().to_string();
                    got.lock().unwrap().push(id);
                    axum::http::StatusCode::NO_CONTENT
                }
            }),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });

    let url = marketdesk_store::testing::fresh_postgres(&server_url, "md_hooks")
        .await
        .unwrap();
    let db = Db::Url(url.clone());
    let c = reqwest::Client::new();
    // The receiver is on this machine.
    let env = [("MARKETDESK_NOTIFY__ALLOW_PRIVATE_TARGETS", "true")];
    let a = serve_env(&db, &env);
    let b = serve_env(&db, &env);
    let store = call(
        &c,
        "POST",
        format!("{}/api/v1/stores", a.base),
        ADMIN,
        json!({"name": "S", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let sid = store["id"].as_str().unwrap().to_string();
    call(
        &c,
        "POST",
        format!("{}/api/v1/stores/{sid}/webhooks", b.base),
        ADMIN,
        json!({"url": hook, "event_types": ["product.delisted"]}),
    )
    .await;
    let n = 200;
    let mut products = Vec::new();
    for i in 0..n {
        let body = json!({"title": format!("P{i}"), "category": "toys", "skus": [{"code": format!("W-{i}"), "price": "1.00", "stock": 1}]});
        let p = call(
            &c,
            "POST",
            format!("{}/api/v1/stores/{sid}/products", a.base),
            ADMIN,
            body,
        )
        .await;
        let id = p["id"].as_str().unwrap().to_string();
        call(
            &c,
            "POST",
            format!("{}/api/v1/products/{id}/list", b.base),
            ADMIN,
            json!({}),
        )
        .await;
        products.push(id);
    }
    // Half the delists through each process.
    for (i, id) in products.iter().enumerate() {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        call(
            &c,
            "POST",
            format!("{base}/api/v1/products/{id}/delist"),
            ADMIN,
            json!({"reason_code": "seasonal", "reason_text": "x"}),
        )
        .await;
    }
    let started = Instant::now();
    while got.lock().unwrap().len() < n {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{} of {n} webhooks",
            got.lock().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Every delivery settled (none pending or leased), read from the database: nothing is
    // left that could still be sent a second time.
    {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        loop {
            let open: i64 = sqlx::query_scalar(
                "SELECT (SELECT count(*) FROM deliveries WHERE channel = 'webhook' AND state = 'pending')
                      + (SELECT count(*) FROM outbox WHERE dispatched_at IS NULL)",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
            if open == 0 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{open} deliveries open"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let delivered: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM deliveries WHERE channel = 'webhook' AND state = 'delivered'",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        assert_eq!(delivered, n as i64);
        conn.close().await.unwrap();
    }
    let ids = got.lock().unwrap().clone();
    let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), n, "nothing sent twice");
    assert_eq!(distinct.len(), n);
    drop((a, b));
    marketdesk_store::testing::drop_postgres(&server_url, &url)
        .await
        .unwrap();
}
