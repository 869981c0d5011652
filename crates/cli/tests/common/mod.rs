//! What the tests of real `serve` processes share: starting a server on a data directory
//! or a database URL, the sandbox clock from the command line, and HTTP helpers.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub const BIN: &str = env!("CARGO_BIN_EXE_marketdesk");
pub const ADMIN: &str = "deadline-test-admin-token-0123";

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn healthy(base: &str) -> bool {
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
pub fn serve(db: &Db) -> Server {
    serve_env(db, &[])
}

/// `serve` on a PostgreSQL `url` with a data folder of its own.
pub fn serve_in(url: &str, data_dir: &std::path::Path, env: &[(&str, &str)]) -> Server {
    launch(env, |cmd| {
        cmd.arg("--database-url")
            .arg(url)
            .arg("--data-dir")
            .arg(data_dir);
    })
}

pub fn serve_env(db: &Db, env: &[(&str, &str)]) -> Server {
    launch(env, |cmd| db.args(cmd))
}

/// `serve --clock manual` on a free port with what `where_` adds; answers once healthy.
fn launch(env: &[(&str, &str)], where_: impl FnOnce(&mut Command)) -> Server {
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
    where_(&mut cmd);
    let child = cmd
        .envs(env.iter().copied())
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

pub enum Db {
    Dir(std::path::PathBuf),
    Url(String),
}

impl Db {
    pub fn args(&self, cmd: &mut Command) {
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

pub fn clock_advance(db: &Db, by: &str) -> String {
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

pub async fn call(
    c: &reqwest::Client,
    method: &str,
    url: String,
    token: &str,
    body: Value,
) -> Value {
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
pub async fn takedowns(c: &reqwest::Client, base: &str, n: usize) -> Vec<String> {
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

pub async fn overdue_count(c: &reqwest::Client, base: &str) -> i64 {
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

pub async fn wait_overdue(c: &reqwest::Client, base: &str, n: i64) {
    let start = Instant::now();
    while overdue_count(c, base).await < n {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "deadlines did not fire"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn assert_escalated_once(c: &reqwest::Client, base: &str, products: &[String]) {
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

pub async fn unread(c: &reqwest::Client, base: &str, token: &str) -> Option<i64> {
    let res = c
        .get(format!("{base}/api/v1/inbox?limit=1"))
        .bearer_auth(token)
        .send()
        .await
        .ok()?;
    res.json::<Value>().await.ok()?["unread_count"].as_i64()
}
