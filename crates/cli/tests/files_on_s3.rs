//! Files on shared storage: two `serve` processes on one PostgreSQL, each with a data
//! folder of its own, keep evidence in one S3 bucket (a real S3-protocol server, moto,
//! started here), so a file uploaded through one is served by the other — and nothing
//! lands in either data folder.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::*;

struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `moto_server` from MARKETDESK_TEST_MOTO (CI installs it in its virtual environment).
fn moto() -> Option<Moto> {
    let bin = std::env::var("MARKETDESK_TEST_MOTO").ok()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "moto did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Moto { child, endpoint })
}

fn files_under(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .map(|e| {
            let p = e.path();
            if p.is_dir() { files_under(&p) } else { 1 }
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_files_through_s3() {
    let (Some(server_url), Some(moto)) = (marketdesk_store::testing::postgres_test_url(), moto())
    else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the S3 test: set MARKETDESK_TEST_POSTGRES_URL and MARKETDESK_TEST_MOTO"
        );
        return;
    };
    let c = marketdesk_store::tls::client();
    let bucket = "marketdesk-files";
    let made = c
        .put(format!("{}/{bucket}", moto.endpoint))
        .send()
        .await
        .unwrap();
    assert!(made.status().is_success(), "bucket: {}", made.status());
    let url = marketdesk_store::testing::fresh_postgres(&server_url, "md_s3")
        .await
        .unwrap();
    let env = [
        ("MARKETDESK_S3__BUCKET", bucket),
        ("MARKETDESK_S3__ENDPOINT", moto.endpoint.as_str()),
        ("MARKETDESK_S3__ACCESS_KEY_ID", "test"),
        ("MARKETDESK_S3__SECRET_ACCESS_KEY", "test"),
        // One key for both processes: webhook secrets sealed by one open in the other.
        (
            "MARKETDESK_SECRET_KEY",
            "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=",
        ),
    ];
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let a = serve_in(&url, dir_a.path(), &env);
    let b = serve_in(&url, dir_b.path(), &env);

    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(pdf.clone()).file_name("invoice.pdf"),
    );
    let res = c
        .post(format!("{}/api/v1/evidence", a.base))
        .bearer_auth(ADMIN)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let ev: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{ev}");
    let id = ev["id"].as_str().unwrap();

    // B serves what A stored, byte for byte.
    let res = c
        .get(format!("{}/api/v1/files/{id}", b.base))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), pdf.as_slice());

    // The bytes are in the bucket, not in either data folder.
    let listing = c
        .get(format!("{}/{bucket}?list-type=2", moto.endpoint))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let sha = ev["sha256"].as_str().unwrap();
    assert!(listing.contains(sha), "{listing}");
    assert_eq!(files_under(&dir_a.path().join("blobs")), 0);
    assert_eq!(files_under(&dir_b.path().join("blobs")), 0);
    drop((a, b));
    marketdesk_store::testing::drop_postgres(&server_url, &url)
        .await
        .unwrap();
}
