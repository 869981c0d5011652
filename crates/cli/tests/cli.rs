//! The binary as a user runs it: admin commands on a data directory, the bench, stock
//! import and export, and `calendar due` at the edges of time.

use std::process::{Command, Output};

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
            "--orders",
            "12",
            "--clients",
            "2,4",
            "--import-rows",
            "300",
            "--reads",
            "40",
            "--read-clients",
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
        "hot SKU, raw statements, 100 orders per transaction",
        "order reservations, 2 concurrent clients",
        "order reservations, 4 concurrent clients",
        "group commit: ",
        "hello route (same binary, same client)",
        "GET /api/v1/products/{id}",
        "product page (50 items) over 3000 products",
        "state=delisted&reason_code=counterfeit",
        "CSV import of 300 rows, use case:",
        "CSV import of 300 rows, raw INSERTs:",
        "weekly review of 3000 listings",
        "the week's counter SELECT alone",
        "rendered: console page with SVG charts",
        "classify: ",
        "segmentation and features alone",
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

#[test]
fn products_import_reports_every_bad_row_and_exports_what_it_made() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = ok_json(d, &["stores", "create", "--name", "Lampen", "--site", "DE"]);
    let store_id = store["id"].as_str().unwrap();
    let header = "title,category,sku_code,price,stock";
    let bad = d.join("bad.csv");
    std::fs::write(
        &bad,
        format!("{header}\nTischlampe,home,T-1,19.90,5\nTischlampe,home,T-2,abc,1\n,home,X-1,1.00,\nStehlampe,home,T-1,9.00,-2\n"),
    )
    .unwrap();
    let out = run(
        d,
        &[
            "products",
            "import",
            "--store",
            store_id,
            bad.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    for want in [
        "line 3: price",
        "line 4: title",
        "line 5: stock",
        "line 5: sku_code: SKU T-1 belongs to another product earlier in the file",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(want)),
            "missing {want:?} in {err}"
        );
    }
    assert!(
        lines.last().unwrap().ends_with("nothing was imported"),
        "{err}"
    );
    let out = run(d, &["products", "export", "--store", store_id]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        1,
        "only the header: the good row was not imported either"
    );

    let good = d.join("good.csv");
    std::fs::write(
        &good,
        format!("{header}\nTischlampe,home,T-1,19.90,5\nTischlampe,home,T-2,21.50,1\nStehlampe,home,S-1,49.00,\n"),
    )
    .unwrap();
    let out = run(
        d,
        &[
            "products",
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
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "imported 3 rows: 2 products created, 0 updated, 0 unchanged"
    );
    let out = run(
        d,
        &["products", "export", "--store", store_id, "--q", "tisch"],
    );
    let csv = String::from_utf8_lossy(&out.stdout).to_string();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0],
        "product_id,title,category,description,state,sku_code,price,currency,stock"
    );
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(
        rows[1].contains(",Tischlampe,home,,draft,T-1,19.90,EUR,5"),
        "{csv}"
    );
    assert!(rows[2].contains(",T-2,21.50,EUR,1"), "{csv}");
}

#[test]
fn export_prints_a_products_timeline_and_the_violations_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let store = ok_json(d, &["stores", "create", "--name", "Kiosk", "--site", "US"]);
    let store_id = store["id"].as_str().unwrap();
    let p = ok_json(
        d,
        &[
            "products",
            "create",
            "--store",
            store_id,
            "--title",
            "Mug",
            "--category",
            "home",
            "--sku",
            "MUG-1:4.50:3",
        ],
    );
    let id = p["id"].as_str().unwrap();
    ok_json(d, &["products", "put-on-sale", id]);
    let out = run(d, &["export", "timeline", id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let rows: Vec<&str> = text.lines().collect();
    assert!(
        rows[0].starts_with("id,at,actor,actor_role,action,from,to"),
        "{text}"
    );
    assert_eq!(rows.len(), 3, "{text}");
    assert!(
        rows[1].contains(",create,,draft,") && rows[2].contains(",list,draft,on_sale,"),
        "{text}"
    );
    let out = run(d, &["export", "violations", "--store", store_id]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        1,
        "the header: no case"
    );
    let err = refused(d, &["export", "violations", "--progress", "stuck"]);
    assert!(err.contains("progress"), "{err}");
}
