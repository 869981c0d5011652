//! Fault drill: PostgreSQL stops under load and comes back. While it is down, requests
//! answer 503 problem+json (never a 500, never a hang past the pool's 5 s wait); after
//! it is back the server recovers by itself; every write that was acknowledged is there.
//!
//! The drill runs its own PostgreSQL cluster (initdb into a temporary folder, its own
//! port), so stopping it disturbs no other test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

mod common;
use common::*;

struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

fn pg_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

/// Runs a PostgreSQL tool as the `postgres` user (it refuses root).
fn as_postgres(bin: &Path, tool: &str, args: &[&str]) -> std::process::Output {
    Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .arg(bin.join(tool))
        .args(args)
        .output()
        .unwrap()
}

impl Cluster {
    fn start() -> Option<Cluster> {
        let bin = pg_bin()?;
        let dir = tempfile::tempdir().unwrap();
        Command::new("chown")
            .args(["postgres:postgres"])
            .arg(dir.path())
            .status()
            .unwrap();
        let data = dir.path().join("data");
        let out = as_postgres(
            &bin,
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "postgres",
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let c = Cluster { bin, dir, port };
        c.up();
        Some(c)
    }

    fn ctl(&self, args: &[&str]) {
        let data = self.dir.path().join("data");
        let log = self.dir.path().join("log");
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={}",
            self.port,
            self.dir.path().display()
        );
        let mut all = vec![
            "-D",
            data.to_str().unwrap(),
            "-l",
            log.to_str().unwrap(),
            "-w",
        ];
        all.extend_from_slice(args);
        if args[0] == "start" {
            all.extend_from_slice(&["-o", &opts]);
            let out = as_postgres(&self.bin, "pg_ctl", &all);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        } else {
            let out = as_postgres(&self.bin, "pg_ctl", &all);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    fn up(&self) {
        self.ctl(&["start"]);
    }

    fn down(&self) {
        self.ctl(&["stop", "-m", "fast"]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = as_postgres(
            &self.bin,
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
    }
}

#[derive(Default)]
struct Seen {
    acknowledged: Vec<String>,
    /// When each request was sent, when its answer came, and its status.
    statuses: Vec<(Instant, Instant, u16)>,
    bad: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_and_restarted_under_load() {
    let Some(cluster) = Cluster::start() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the fault drills: no PostgreSQL under /usr/lib/postgresql"
        );
        return;
    };
    let db = Db::Url(cluster.url());
    let server = serve(&db);
    let c = marketdesk_store::tls::client();
    let store = call(
        &c,
        "POST",
        format!("{}/api/v1/stores", server.base),
        ADMIN,
        json!({"name": "Drill", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let store = store["id"].as_str().unwrap().to_string();

    // Four writers create products without pause and note every answer.
    let seen = Arc::new(Mutex::new(Seen::default()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (c, seen, stop) = (c.clone(), seen.clone(), stop.clone());
        let url = format!("{}/api/v1/stores/{store}/products", server.base);
        writers.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                i += 1;
                let body = json!({"title": format!("Drill {w}-{i}"), "category": "toys",
                    "skus": [{"code": format!("D-{w}-{i}"), "price": "1.00", "stock": 1}]});
                // Timed when sent: a request sent after PostgreSQL stopped cannot carry a
                // commit, however late its answer is read on this busy machine.
                let at = Instant::now();
                let res = c
                    .post(&url)
                    .bearer_auth(ADMIN)
                    .json(&body)
                    .timeout(Duration::from_secs(15))
                    .send()
                    .await;
                let mut s = seen.lock().unwrap();
                match res {
                    Ok(r) => {
                        let status = r.status().as_u16();
                        let ctype = r
                            .headers()
                            .get("content-type")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_string();
                        let retry = r.headers().contains_key("retry-after");
                        drop(s);
                        let v: serde_json::Value = r.json().await.unwrap_or_default();
                        let mut s = seen.lock().unwrap();
                        s.statuses.push((at, Instant::now(), status));
                        if status == 201 {
                            s.acknowledged.push(v["id"].as_str().unwrap().to_string());
                        } else if status != 503 || ctype != "application/problem+json" || !retry {
                            s.bad
                                .push(format!("{status} {ctype} retry-after={retry} {v}"));
                        }
                    }
                    Err(e) => s.bad.push(format!("no answer: {e}")),
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let cluster = Arc::new(cluster);
    let pg = cluster.clone();
    tokio::task::spawn_blocking(move || pg.down())
        .await
        .unwrap();
    // pg_ctl returned: PostgreSQL is down. A request sent before may still carry a commit
    // made just before; one sent after cannot.
    let stopped_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(6)).await;
    let restarted_at = Instant::now();
    let pg = cluster.clone();
    tokio::task::spawn_blocking(move || pg.up()).await.unwrap();
    // Recovered: the first 201 after the restart.
    let recovered_at = loop {
        let first_ok = seen
            .lock()
            .unwrap()
            .statuses
            .iter()
            .find(|(_, answered, s)| *answered > restarted_at && *s == 201)
            .map(|(_, answered, _)| *answered);
        if let Some(at) = first_ok {
            break at;
        }
        assert!(
            restarted_at.elapsed() < Duration::from_secs(30),
            "no write succeeded within 30 s of PostgreSQL's return"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for w in writers {
        w.await.unwrap();
    }

    let seen = std::mem::take(&mut *seen.lock().unwrap());
    // Answered while PostgreSQL was down; of those, sent after it stopped (a request that
    // waited in the pool may rightly succeed after the restart, and one sent before the
    // stop may carry a commit made just before it).
    let during: Vec<u16> = seen
        .statuses
        .iter()
        .filter(|(_, answered, _)| *answered > stopped_at && *answered < restarted_at)
        .map(|(_, _, s)| *s)
        .collect();
    let impossible: Vec<u16> = seen
        .statuses
        .iter()
        .filter(|(sent, answered, s)| *sent > stopped_at && *answered < restarted_at && *s == 201)
        .map(|(_, _, s)| *s)
        .collect();
    let unavailable = seen.statuses.iter().filter(|(_, _, s)| *s == 503).count();
    let slowest = seen
        .statuses
        .iter()
        .filter(|(_, _, s)| *s == 503)
        .map(|(sent, answered, _)| *answered - *sent)
        .max()
        .unwrap_or_default();
    eprintln!(
        "drill: {} requests, {} acknowledged, {} answered 503 while PostgreSQL was down \
         (slowest {:?}; {} answers during the outage), recovered {:?} after the restart",
        seen.statuses.len(),
        seen.acknowledged.len(),
        unavailable,
        slowest,
        during.len(),
        recovered_at - restarted_at
    );
    assert!(
        seen.bad.is_empty(),
        "answers other than 201 or 503 problem+json: {:?}",
        seen.bad
    );
    assert!(
        during.contains(&503),
        "no 503 while PostgreSQL was down: {during:?}"
    );
    assert!(
        slowest < Duration::from_secs(6),
        "a 503 took {slowest:?}, past the pool's 5 s wait"
    );
    assert!(
        impossible.is_empty(),
        "{} writes sent and acknowledged while PostgreSQL was down",
        impossible.len()
    );

    // Nothing acknowledged is lost.
    let mut missing = Vec::new();
    for id in &seen.acknowledged {
        let res = c
            .get(format!("{}/api/v1/products/{id}", server.base))
            .bearer_auth(ADMIN)
            .send()
            .await
            .unwrap();
        if res.status() != 200 {
            missing.push(id.clone());
        }
    }
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    drop(server);
}
