//! `serve` as a user starts it: demo data, the one-time admin token, settings that cannot
//! work, the production guard on the sandbox clock, and a SIGKILL that must lose nothing
//! acknowledged.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_marketdesk");
const ADMIN: &str = "cli-test-admin-token-0123456789";

struct Server {
    child: Child,
    base: String,
    stdout_lines: Vec<String>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &std::path::Path, extra: &[&str], admin_token: Option<&str>) -> Server {
    let port = free_port();
    let mut cmd = Command::new(BIN);
    cmd.arg("serve")
        .arg("--data-dir")
        .arg(dir)
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .args(extra);
    cmd.env_remove("MARKETDESK_ADMIN_TOKEN")
        .env("RUST_LOG", "warn");
    if let Some(t) = admin_token {
        cmd.env("MARKETDESK_ADMIN_TOKEN", t);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let started = Instant::now();
    loop {
        if healthy(&base).unwrap_or(false) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server did not become healthy"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(100));
    let stdout_lines = rx.try_iter().collect();
    Server {
        child,
        base,
        stdout_lines,
    }
}

/// A plain HTTP/1.1 health probe, so the test needs no blocking HTTP client.
fn healthy(base: &str) -> std::io::Result<bool> {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host)?;
    write!(
        s,
        "GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut buf = String::new();
    s.read_to_string(&mut buf)?;
    Ok(buf.starts_with("HTTP/1.1 200"))
}

async fn call(
    client: &reqwest::Client,
    method: &str,
    url: String,
    token: &str,
    body: Value,
) -> (u16, Value) {
    let req = match method {
        "GET" => client.get(url),
        _ => client.post(url).json(&body),
    };
    let res = req.bearer_auth(token).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &[], Some(ADMIN));
    let client = marketdesk_store::tls::client();
    let b = server.base.clone();
    let (_, store) = call(
        &client,
        "POST",
        format!("{b}/api/v1/stores"),
        ADMIN,
        json!({"name": "Crashy", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let store_id = store["id"].as_str().unwrap().to_string();
    let mut acknowledged = Vec::new();
    for i in 0..40 {
        let body = json!({"title": format!("Item {i}"), "category": "toys", "skus": [{"code": format!("C-{i}"), "price": "1.00", "stock": 1}]});
        let (s, p) = call(
            &client,
            "POST",
            format!("{b}/api/v1/stores/{store_id}/products"),
            ADMIN,
            body,
        )
        .await;
        assert_eq!(s, 201);
        let id = p["id"].as_str().unwrap().to_string();
        call(
            &client,
            "POST",
            format!("{b}/api/v1/products/{id}/list"),
            ADMIN,
            json!({}),
        )
        .await;
        let (s, _) = call(
            &client,
            "POST",
            format!("{b}/api/v1/products/{id}/delist"),
            ADMIN,
            json!({"reason_code": "other", "reason_text": "crash test"}),
        )
        .await;
        assert_eq!(s, 200);
        acknowledged.push(id);
    }
    // Keep writing while the process is killed; whatever was acknowledged must survive.
    let writer = {
        let client = client.clone();
        let b = b.clone();
        let ids = acknowledged.clone();
        tokio::spawn(async move {
            let mut relisted = Vec::new();
            for id in ids {
                let res = client
                    .post(format!("{b}/api/v1/products/{id}/relist"))
                    .bearer_auth(ADMIN)
                    .json(&json!({}))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().as_u16() == 200 => relisted.push(id),
                    _ => break,
                }
            }
            relisted
        })
    };
    tokio::time::sleep(Duration::from_millis(30)).await;
    let mut child = server.child;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let relisted = writer.await.unwrap();

    let server = start(dir.path(), &[], None);
    let b = server.base.clone();
    for id in &acknowledged {
        let (s, p) = call(
            &client,
            "GET",
            format!("{b}/api/v1/products/{id}"),
            ADMIN,
            Value::Null,
        )
        .await;
        assert_eq!(s, 200);
        // The relists ran one after another; the one in flight at the kill may have
        // committed without its answer reaching the client (commit, then SIGKILL before
        // the reply). It alone may be either; every acknowledged one must be on sale and
        // every one never sent must still be delisted.
        let in_flight = acknowledged.get(relisted.len()) == Some(id);
        let want = if relisted.contains(id) || (in_flight && p["state"] == "on_sale") {
            "on_sale"
        } else {
            "delisted"
        };
        assert_eq!(p["state"], want, "{id}");
        let (_, t) = call(
            &client,
            "GET",
            format!("{b}/api/v1/products/{id}/timeline"),
            ADMIN,
            Value::Null,
        )
        .await;
        let rows = t["items"].as_array().unwrap().len();
        assert_eq!(
            rows,
            if want == "on_sale" { 4 } else { 3 },
            "timeline matches state for {id}"
        );
    }
    let mut child = server.child;
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn first_start_prints_a_generated_admin_token_once_and_demo_loads() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &["--demo"], None);
    let token_line = server
        .stdout_lines
        .iter()
        .find(|l| l.starts_with("admin API token (shown once): "))
        .cloned();
    let token = token_line
        .expect("a generated token is printed")
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string();
    assert!(
        server
            .stdout_lines
            .iter()
            .any(|l| l.starts_with("demo data: 4000 products in 5 stores")),
        "{:?}",
        server.stdout_lines
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = marketdesk_store::tls::client();
        let (s, stores) = call(
            &client,
            "GET",
            format!("{}/api/v1/stores", server.base),
            &token,
            Value::Null,
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(stores.as_array().unwrap().len(), 5);
        let store = stores[0]["id"].as_str().unwrap();
        let (_, page) = call(
            &client,
            "GET",
            format!("{}/api/v1/stores/{store}/products", server.base),
            &token,
            Value::Null,
        )
        .await;
        for state in ["draft", "on_sale", "delisted"] {
            assert!(
                page["counts"]["state"][state].as_i64().unwrap() > 0,
                "demo has {state} products: {}",
                page["counts"]
            );
        }
        for kind in ["voluntary", "violation", "protective"] {
            assert!(
                page["counts"]["delist_kind"][kind].as_i64().unwrap() > 0,
                "demo has {kind} delists"
            );
        }
        // Every takedown is a real case: the red-labelled products each have their report,
        // and some were rectified and wait for the relist review.
        let (_, cases) = call(
            &client,
            "GET",
            format!("{}/api/v1/violations?store_id={store}", server.base),
            &token,
            Value::Null,
        )
        .await;
        assert_eq!(
            cases["counts"]["awaiting_rectification"], page["counts"]["delist_kind"]["violation"],
            "{}",
            cases["counts"]
        );
        assert!(
            cases["counts"]["in_review"].as_i64().unwrap() > 0,
            "{}",
            cases["counts"]
        );
        // After-sales work waiting in the stores that sell: cases of several types, tickets.
        let (_, cases) = call(
            &client,
            "GET",
            format!("{}/api/v1/aftersales?limit=200", server.base),
            &token,
            Value::Null,
        )
        .await;
        let types: std::collections::BTreeSet<&str> = cases["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            types.into_iter().collect::<Vec<_>>(),
            vec!["cancellation", "missing_parts", "return_refund"]
        );
        let (_, tickets) = call(
            &client,
            "GET",
            format!("{}/api/v1/tickets?state=awaiting_seller", server.base),
            &token,
            Value::Null,
        )
        .await;
        assert!(!tickets.as_array().unwrap().is_empty());
    });
    let mut child = server.child;
    child.kill().unwrap();
    child.wait().unwrap();
    // Second start: nothing printed, the token still works.
    let server = start(dir.path(), &["--demo"], None);
    assert!(
        !server.stdout_lines.iter().any(|l| l.contains("token")),
        "{:?}",
        server.stdout_lines
    );
    let mut child = server.child;
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn manual_clock_is_refused_in_production() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args([
            "serve",
            "--clock",
            "manual",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
        ])
        .arg(dir.path())
        .env("MARKETDESK_ENV", "production")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--clock manual is refused"));
}

#[test]
fn a_short_admin_token_from_the_environment_is_still_the_admin_token() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args([
            "stores",
            "create",
            "--name",
            "Tiny",
            "--site",
            "US",
            "--data-dir",
        ])
        .arg(dir.path())
        .env("MARKETDESK_ADMIN_TOKEN", "admin")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("shorter than 16 characters"));
    let server = start(dir.path(), &[], Some("admin"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (s, stores) = rt.block_on(call(
        &marketdesk_store::tls::client(),
        "GET",
        format!("{}/api/v1/stores", server.base),
        "admin",
        Value::Null,
    ));
    assert_eq!((s, stores.as_array().map(Vec::len)), (200, Some(1)));
    let mut child = server.child;
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Settings that cannot work stop `serve` before it listens: one line naming the problem,
/// exit status 1 — from the file and from the environment alike.
#[test]
fn serve_refuses_broken_notification_settings() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("settings.toml");
    std::fs::write(&file, "[notify]\ncall_if_unread_after = \"soon\"\n").unwrap();
    let run = |cmd: &mut Command| {
        let out = cmd.output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "{err}");
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(lines.len(), 1, "{err}");
        lines[0].to_string()
    };
    let line = run(Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path()));
    assert!(
        line.contains("invalid settings") && line.contains("soon"),
        "{line}"
    );

    let line = run(Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("MARKETDESK_NOTIFY__SMTP__HOST", "mail.example.com"));
    assert!(
        line.contains("invalid settings") && line.contains("port"),
        "{line}"
    );

    // A retired setting is named, not ignored.
    std::fs::write(&file, "[notify]\nescalate_after = 600\n").unwrap();
    let line = run(Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path()));
    assert!(
        line.contains("invalid settings") && line.contains("escalate_after"),
        "{line}"
    );

    let line = run(Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(dir.path().join("absent.toml"))
        .arg("--data-dir")
        .arg(dir.path()));
    assert!(line.contains("absent.toml"), "{line}");
}
