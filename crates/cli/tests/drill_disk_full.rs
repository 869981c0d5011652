//! Fault drill: the SQLite data folder's disk fills up under writes. Writes answer 507
//! (or 503) problem+json and change nothing, reads go on, the database stays intact
//! (`PRAGMA integrity_check`), and writes resume by themselves once space returns.
//!
//! The data folder is a small tmpfs of its own (mounted by the test: CI runs as root).

use std::process::Command;
use std::time::Duration;

use serde_json::json;

mod common;
use common::*;

struct Mount(tempfile::TempDir);

impl Mount {
    fn tmpfs(size: &str) -> Option<Mount> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Mount(dir))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

/// Fills the filesystem under `dir` to the last byte; answers the filler's path.
fn fill(dir: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    for _ in 0..64 {
        let _ = f.write_all(&chunk[..1024]);
    }
    let _ = f.sync_all();
    path
}

async fn create(
    c: &reqwest::Client,
    base: &str,
    store: &str,
    i: usize,
) -> (u16, serde_json::Value, String) {
    let res = c
        .post(format!("{base}/api/v1/stores/{store}/products"))
        .bearer_auth(ADMIN)
        .json(&json!({"title": format!("Full {i}"), "category": "toys",
            "skus": [{"code": format!("F-{i}"), "price": "1.00", "stock": 1}]}))
        .timeout(Duration::from_secs(15))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let ctype = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, res.json().await.unwrap_or_default(), ctype)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_disk_full_refuses_writes_cleanly_and_recovers() {
    let Some(mount) = Mount::tmpfs("48m") else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the fault drills: cannot mount a tmpfs (not root?)"
        );
        return;
    };
    let data = mount.0.path().join("data");
    let server = serve(&Db::Dir(data.clone()));
    let c = marketdesk_store::tls::client();
    let store = call(
        &c,
        "POST",
        format!("{}/api/v1/stores", server.base),
        ADMIN,
        json!({"name": "Full", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let store = store["id"].as_str().unwrap().to_string();
    let mut acknowledged = Vec::new();
    for i in 0..20 {
        let (s, p, _) = create(&c, &server.base, &store, i).await;
        assert_eq!(s, 201, "{p}");
        acknowledged.push(p["id"].as_str().unwrap().to_string());
    }

    let filler = fill(mount.0.path());
    let mut refused = Vec::new();
    let mut i = 100;
    // Writes until the disk is felt (a page or two of slack may take a few).
    while refused.len() < 10 {
        let (s, p, ctype) = create(&c, &server.base, &store, i).await;
        i += 1;
        match s {
            201 => acknowledged.push(p["id"].as_str().unwrap().to_string()),
            507 | 503 => {
                assert_eq!(ctype, "application/problem+json", "{p}");
                refused.push(s);
            }
            other => panic!("a full disk answered {other}: {p}"),
        }
        assert!(i < 2_000, "the disk never filled");
    }
    eprintln!(
        "disk full: {} writes refused with {:?}",
        refused.len(),
        refused
    );
    // Reads go on.
    let res = c
        .get(format!(
            "{}/api/v1/products/{}",
            server.base, acknowledged[0]
        ))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // Space returns: writes resume without a restart.
    std::fs::remove_file(&filler).unwrap();
    let mut resumed = false;
    for _ in 0..50 {
        let (s, p, _) = create(&c, &server.base, &store, i).await;
        i += 1;
        if s == 201 {
            acknowledged.push(p["id"].as_str().unwrap().to_string());
            resumed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(resumed, "writes did not resume once space returned");
    for id in &acknowledged {
        let res = c
            .get(format!("{}/api/v1/products/{id}", server.base))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "acknowledged {id} is gone");
    }
    drop(server);

    // The file is intact.
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let url = marketdesk_store::db::sqlite_url_in(&data).unwrap();
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM products")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(n as usize, acknowledged.len(), "no half-written product");
    conn.close().await.unwrap();
}
