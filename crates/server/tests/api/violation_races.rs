//! A violation step and the deadline worker on the same case at once (PostgreSQL): the
//! step takes the case's deadlines first, as the worker does, so it reads the case only
//! after the worker's write and never overwrites it with what it read before.

use reqwest::StatusCode;
use serde_json::json;
use sqlx::{Connection, Row};

use crate::helpers::Backend;
use crate::violations::{advance, case_post, setup, takedown};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_decided_while_its_deadline_fires_keeps_the_worker_s_finding() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let c = setup(backend).await;
    let v = takedown(&c, "normal").await;
    let case = v["id"].as_str().unwrap().to_string();
    let (s, b) = case_post(
        &c,
        &c.seller,
        &case,
        "rectifications",
        json!({"plan": "New photo"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = case_post(&c, &c.seller, &case, "relist-request", json!({})).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    advance(&c.app, "PT47H").await; // the review is due in an hour

    // The worker's part, by hand and an hour early, so that it holds the case's deadlines
    // exactly while the reviewer decides: claim them, then mark the review late.
    sqlx::any::install_default_drivers();
    let mut worker = sqlx::AnyConnection::connect(&c.app.database_url)
        .await
        .unwrap();
    let mut claim = worker.begin().await.unwrap();
    let held = sqlx::query(
        "SELECT id FROM deadlines WHERE subject_id = $1 AND state = 'pending' FOR UPDATE",
    )
    .bind(&case)
    .fetch_all(&mut *claim)
    .await
    .unwrap();
    assert!(!held.is_empty(), "the review deadline is pending");

    let decision = {
        // In capitals: the same case, which must take the same locks.
        let url = c.app.url(&format!(
            "/api/v1/violations/{}/review",
            case.to_uppercase()
        ));
        let client = c.app.client.clone();
        let token = c.reviewer.clone();
        tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .json(&json!({"decision": "approve"}))
                .send()
                .await
                .unwrap()
        })
    };
    // Wait until the decision is queued behind the claim (a lock it has not been granted).
    let mut watch = sqlx::AnyConnection::connect(&c.app.database_url)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let waiting: i64 = sqlx::query("SELECT count(*) FROM pg_locks WHERE NOT granted")
            .fetch_one(&mut watch)
            .await
            .unwrap()
            .get(0);
        if waiting > 0 {
            break;
        }
        assert!(
            started.elapsed().as_secs() < 10,
            "the decision never waited on the claim"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    sqlx::query("UPDATE violations SET review_overdue = 1 WHERE id = $1")
        .bind(&case)
        .execute(&mut *claim)
        .await
        .expect("the worker's write is not blocked by the decision");
    sqlx::query("UPDATE deadlines SET state = 'fired' WHERE subject_id = $1 AND kind = 'relist_review' AND state = 'pending'")
        .bind(&case)
        .execute(&mut *claim)
        .await
        .unwrap();
    claim.commit().await.unwrap();

    let answer = decision.await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let v: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(v["progress"], "closed", "{v}");
    assert_eq!(
        v["review_overdue"], true,
        "the decision read the case after the worker's write, so the late review is kept: {v}"
    );
}
