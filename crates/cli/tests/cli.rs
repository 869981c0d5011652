//! The binary as a user runs it: admin commands on a data directory, `serve` with demo
//! data, the one-time admin token, and a SIGKILL that must lose nothing acknowledged.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_marketdesk");
const ADMIN: &str = "cli-test-admin-token-0123456789";

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("MARKETDESK_ADMIN_TOKEN", ADMIN)
        .env_remove("MARKETDESK_DATABASE_URL")
        .output()
        .unwrap()
}

fn ok_json(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// A refusal: non-zero exit and exactly one line on stderr starting with "error:".
fn refused(dir: &std::path::Path, args: &[&str]) -> String {
    let out = run(dir, args);
    assert!(!out.status.success(), "{args:?} should fail");
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    let lines: Vec<&str> = err.lines().filter(|l| !l.contains(" INFO ")).collect();
    assert_eq!(lines.len(), 1, "{args:?}: one line expected, got: {err}");
    assert!(lines[0].starts_with("error:"), "{err}");
    lines[0].to_string()
}

#[test]
fn admin_commands_work_on_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = ok_json(
        d,
        &["stores", "create", "--name", "Corner Shop", "--site", "UK"],
    );
    let store_id = store["id"].as_str().unwrap();
    assert_eq!(store["fulfilment_mode"], "self_operated");
    let user = ok_json(
        d,
        &[
            "users", "create", "--name", "Owner", "--role", "seller", "--store", store_id,
        ],
    );
    assert!(user["token"].as_str().unwrap().starts_with("mdk_"));
    let p = ok_json(
        d,
        &[
            "products",
            "create",
            "--store",
            store_id,
            "--title",
            "Tea Cosy",
            "--category",
            "home_kitchen",
            "--sku",
            "COSY-1:12.5:4",
            "--sku",
            "COSY-2:13:0",
        ],
    );
    let id = p["id"].as_str().unwrap();
    assert_eq!(
        p["skus"][0]["price"],
        json!({"amount": "12.50", "currency": "GBP"})
    );
    assert_eq!(
        ok_json(d, &["products", "put-on-sale", id])["state"],
        "on_sale"
    );
    let down = ok_json(
        d,
        &[
            "products",
            "delist",
            id,
            "--reason-code",
            "seasonal",
            "--reason-text",
            "Winter only",
        ],
    );
    assert_eq!(
        (down["delist_kind"].as_str(), down["label"].as_str()),
        (Some("voluntary"), Some("grey"))
    );
    let page = ok_json(
        d,
        &["products", "list", "--store", store_id, "--label", "grey"],
    );
    assert_eq!(page["items"][0]["id"], id);
    let timeline = ok_json(d, &["products", "timeline", id]);
    let actions: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "list", "delist"]);
    assert_eq!(timeline["items"][2]["actor"], "cli");
    assert_eq!(ok_json(d, &["products", "relist", id])["state"], "on_sale");
    let batch = ok_json(
        d,
        &[
            "products",
            "batch-delist",
            "--store",
            store_id,
            "--reason-code",
            "other",
            "--reason-text",
            "x",
            id,
        ],
    );
    assert_eq!(batch["delisted"], 1);

    // Refusals: one line, non-zero exit, nothing stored.
    assert!(refused(d, &["stores", "create", "--name", "X", "--site", "MARS"]).contains("site"));
    assert!(
        refused(
            d,
            &["products", "list", "--store", store_id, "--state", "gone"]
        )
        .contains("state")
    );
    assert!(refused(d, &["products", "relist", "not-an-id"]).contains("no product"));
    assert!(
        refused(
            d,
            &[
                "products",
                "create",
                "--store",
                store_id,
                "--title",
                "T",
                "--category",
                "c",
                "--sku",
                "nocolons"
            ]
        )
        .contains("CODE:PRICE:STOCK")
    );
    let e = refused(
        d,
        &[
            "products",
            "batch-delist",
            "--store",
            store_id,
            "--reason-code",
            "other",
            "--reason-text",
            "x",
            id,
        ],
    );
    assert!(e.contains("product_ids[0]"), "{e}");
    let stores = ok_json(d, &["stores", "list"]);
    assert_eq!(stores.as_array().unwrap().len(), 1);
}

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
    let client = reqwest::Client::new();
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
        let want = if relisted.contains(id) {
            "on_sale"
        } else if in_flight && p["state"] == "on_sale" {
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
        let client = reqwest::Client::new();
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
fn admin_command_output_stays_json_on_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args([
            "stores",
            "create",
            "--name",
            "First",
            "--site",
            "CN",
            "--data-dir",
        ])
        .arg(dir.path())
        .env_remove("MARKETDESK_ADMIN_TOKEN")
        .output()
        .unwrap();
    assert!(out.status.success());
    let store: Value = serde_json::from_slice(&out.stdout).expect("stdout is only the JSON answer");
    assert_eq!(store["site"], "CN");
    assert!(String::from_utf8_lossy(&out.stderr).contains("admin API token (shown once): mdk_"));
}

#[test]
fn bench_prints_each_figure_beside_its_reference() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args([
            "bench",
            "--products",
            "3000",
            "--delists",
            "60",
            "--batch",
            "50",
            "--pages",
            "5",
            "--deadlines",
            "3000",
            "--due",
            "100",
            "--orders-per-client",
            "3",
            "--clients",
            "4",
            "--sqlite-dir",
        ])
        .arg(dir.path())
        .env_remove("MARKETDESK_BENCH_POSTGRES_URL")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "disk fsync limit",
        "single delist, use case:",
        "single delist, raw statements:",
        "use case / raw =",
        "batch delist of 50, use case:",
        "find 100 due among 3000 pending",
        "fire 100 due among 3000 pending, worker:",
        "worker / raw =",
        "hot SKU, HTTP, group commit",
        "spread over 10,000 SKUs, raw statements",
        "product page (50 items) over 3000 products",
        "state=delisted&reason_code=counterfeit",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn stock_import_is_all_or_nothing_and_the_ledger_exports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = ok_json(d, &["stores", "create", "--name", "Depot", "--site", "DE"]);
    let store_id = store["id"].as_str().unwrap();
    let p = ok_json(
        d,
        &[
            "products",
            "create",
            "--store",
            store_id,
            "--title",
            "Becher",
            "--category",
            "home_kitchen",
            "--sku",
            "MUG-1:4.50:10",
            "--sku",
            "MUG-2:4.50:0",
        ],
    );
    ok_json(d, &["products", "put-on-sale", p["id"].as_str().unwrap()]);

    let bad = d.join("bad.csv");
    std::fs::write(
        &bad,
        "sku_code,on_hand\nMUG-1,25\nNOPE,3\nMUG-2,-1\nMUG-1,4\n",
    )
    .unwrap();
    let out = run(
        d,
        &[
            "stock",
            "import",
            "--store",
            store_id,
            bad.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        "line 3: no SKU NOPE",
        "line 4: on_hand must be zero or more",
        "line 5: SKU MUG-1 appears twice",
        "error: 3 of 4 rows rejected; nothing was applied",
    ] {
        assert!(err.contains(want), "missing {want:?} in {err}");
    }
    let shown = ok_json(d, &["products", "show", p["id"].as_str().unwrap()]);
    assert_eq!(
        shown["skus"][0]["stock"], 10,
        "the good row was not applied either"
    );

    let good = d.join("good.csv");
    std::fs::write(&good, "sku_code,on_hand\nMUG-1,25\nMUG-2,7\n").unwrap();
    let out = run(
        d,
        &[
            "stock",
            "import",
            "--store",
            store_id,
            good.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("imported 2 rows: 2 SKUs changed"));
    let shown = ok_json(d, &["products", "show", p["id"].as_str().unwrap()]);
    assert_eq!(
        (
            shown["skus"][0]["stock"].as_i64(),
            shown["skus"][1]["stock"].as_i64()
        ),
        (Some(25), Some(7))
    );

    let out = run(d, &["stock", "ledger", "--store", store_id]);
    assert!(out.status.success());
    let csv = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "at,sku_code,kind,on_hand_delta,reserved_delta,on_hand_after,reserved_after,order_id,reason,actor"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",MUG-1,receipt,10,0,10,0,,opening stock,cli")),
        "{csv}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",MUG-1,adjustment,15,0,25,0,,stock level import,cli")),
        "{csv}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",MUG-2,adjustment,7,0,7,0,,stock level import,cli")),
        "{csv}"
    );
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
        &reqwest::Client::new(),
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
    std::fs::write(&file, "[notify]\nescalate_after = \"soon\"\n").unwrap();
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

    let line = run(Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(dir.path().join("absent.toml"))
        .arg("--data-dir")
        .arg(dir.path()));
    assert!(line.contains("absent.toml"), "{line}");
}

/// Spans and instants past what a calendar can name are refused with one line and exit
/// status 1 — on the built-in calendars and on a data directory's — never a panic.
#[test]
fn calendar_due_refuses_spans_past_the_end_of_time() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none");
    let cases: [&[&str]; 4] = [
        &[
            "--from",
            "2026-11-25T15:00:00Z",
            "--business-days",
            "4000000000",
        ],
        &["--from", "9999-12-30T15:00:00Z", "--hours", "100"],
        &["--from", "9999-12-30T15:00:00Z", "--business-days", "3"],
        &["--from", "9999-12-30T15:00:00Z", "--calendar-days", "2"],
    ];
    for data in [dir.path(), missing.as_path()] {
        for args in cases {
            let mut all = vec!["calendar", "due", "--site", "US"];
            all.extend_from_slice(args);
            let out = run(data, &all);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{all:?}: {err}");
            assert!(!err.contains("panicked"), "{all:?}: {err}");
            let lines: Vec<&str> = err.lines().filter(|l| !l.contains(" INFO ")).collect();
            assert_eq!(lines.len(), 1, "{all:?}: {err}");
            assert!(lines[0].starts_with("error: "), "{all:?}: {err}");
        }
    }
    // A long but bounded span still answers.
    let out = run(
        &missing,
        &[
            "calendar",
            "due",
            "--site",
            "US",
            "--from",
            "2026-11-25T15:00:00Z",
            "--business-days",
            "250",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("2027-"));
}
