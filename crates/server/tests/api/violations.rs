//! The violation center end to end with the sandbox clock: in time, late, rejected then
//! approved, review overdue, appeals upheld and dismissed, filters and isolation.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Backend, TestApp, fields};

pub(crate) struct Case {
    pub(crate) app: TestApp,
    pub(crate) seller: String,
    pub(crate) reviewer: String,
    pub(crate) store: String,
    pub(crate) product: String,
}

/// A US store with a product on sale, its seller, and a reviewer. The sandbox clock
/// starts at 2026-11-25T15:00:00Z (10:00 in New York).
pub(crate) async fn setup(backend: Backend) -> Case {
    let app = TestApp::spawn_manual(backend).await;
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let reviewer = app.create_user("reviewer", None).await;
    let product = app.on_sale(&seller, &store, "Wireless Earbuds").await;
    Case {
        app,
        seller,
        reviewer,
        store,
        product,
    }
}

pub(crate) async fn takedown(c: &Case, severity: &str) -> Value {
    let (s, v) = c
        .app
        .post(&c.reviewer, &format!("/api/v1/products/{}/violations", c.product), json!({"rule_code": "IM-1", "severity": severity, "details": "Main image shows a competitor's logo"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

pub(crate) async fn advance(app: &TestApp, by: &str) {
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/admin/clock",
            json!({"advance_by": by}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
}

pub(crate) async fn case_post(
    c: &Case,
    token: &str,
    id: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    c.app
        .post(token, &format!("/api/v1/violations/{id}/{path}"), body)
        .await
}

pub(crate) fn actions(timeline: &[Value]) -> Vec<String> {
    timeline
        .iter()
        .map(|t| t["action"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) async fn run_all(f: impl AsyncFn(Backend)) {
    for b in Backend::all() {
        f(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rectified_in_time_and_relisted() {
    run_all(async |b| {
        let c = setup(b).await;
        let v = takedown(&c, "normal").await;
        let id = v["id"].as_str().unwrap();
        assert_eq!(v["progress"], "awaiting_rectification");
        assert_eq!(v["rule"]["code"], "IM-1");
        assert!(
            v["rule"]["text"]
                .as_str()
                .unwrap()
                .contains("third-party logos"),
            "the report quotes the clause"
        );
        assert_eq!(
            v["rectify_due_at"], "2026-11-28T15:00:00Z",
            "72 h for a normal violation"
        );
        assert_eq!(
            v["rectify_due_local"],
            "2026-11-28T10:00:00-05:00[America/New_York]"
        );
        assert_eq!(v["appeal_due_at"], "2026-12-02T15:00:00Z");
        let p = c.app.product(&c.product).await;
        assert_eq!(
            (
                p["state"].as_str(),
                p["delist_kind"].as_str(),
                p["label"].as_str()
            ),
            (Some("delisted"), Some("violation"), Some("red"))
        );
        assert_eq!(
            p["reason_code"], "image_violation",
            "filed under the rule's reason"
        );

        // The seller cannot relist a violation-delisted product directly.
        let (s, _) = c
            .app
            .post(
                &c.seller,
                &format!("/api/v1/products/{}/relist", c.product),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        // Relisting before any rectification is refused.
        let (s, _) = case_post(&c, &c.seller, id, "relist-request", json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT);

        advance(&c.app, "PT10H").await;
        let (s, v) = case_post(
            &c,
            &c.seller,
            id,
            "rectifications",
            json!({"plan": "Replaced the main image with our own photo"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["rectifications"].as_array().unwrap().len(), 1);
        let (s, v) = case_post(&c, &c.seller, id, "relist-request", json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["progress"], "in_review");
        assert_eq!(
            v["review_due_at"], "2026-11-28T01:00:00Z",
            "48 h from the request"
        );
        assert_eq!(c.app.product(&c.product).await["state"], "pending_review");

        let (s, _) = case_post(&c, &c.seller, id, "review", json!({"decision": "approve"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "sellers do not review themselves");
        let (s, v) = case_post(
            &c,
            &c.reviewer,
            id,
            "review",
            json!({"decision": "approve"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["progress"].as_str(), v["outcome"].as_str()),
            (Some("closed"), Some("relisted"))
        );
        assert_eq!(c.app.product(&c.product).await["state"], "on_sale");

        // Passing the old deadline changes nothing now.
        advance(&c.app, "PT100H").await;
        let (_, v) = c
            .app
            .get(&c.seller, &format!("/api/v1/violations/{id}"))
            .await;
        assert_eq!(v["progress"], "closed");
        let timeline = c.app.timeline(&c.seller, &c.product).await;
        assert_eq!(
            actions(&timeline),
            [
                "create",
                "list",
                "violation_delist",
                "rectification_submitted",
                "request_relist_review",
                "approve_review"
            ]
        );
        let (_, events) = c
            .app
            .get(&c.seller, &format!("/api/v1/products/{}/events", c.product))
            .await;
        let types: Vec<&str> = events["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["event_type"].as_str().unwrap())
            .collect();
        assert!(
            types.contains(&"violation.opened") && types.contains(&"product.review_approved"),
            "{types:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn late_rectification_escalates_once() {
    run_all(async |b| {
        let c = setup(b).await;
        let v = takedown(&c, "serious").await;
        let id = v["id"].as_str().unwrap();
        assert_eq!(
            v["rectify_due_at"], "2026-11-26T15:00:00Z",
            "24 h for a serious violation"
        );
        advance(&c.app, "PT23H59M").await;
        let (_, v) = c
            .app
            .get(&c.seller, &format!("/api/v1/violations/{id}"))
            .await;
        assert_eq!(
            v["progress"], "awaiting_rectification",
            "not a minute early"
        );
        advance(&c.app, "PT1M").await;
        let (_, v) = c
            .app
            .get(&c.seller, &format!("/api/v1/violations/{id}"))
            .await;
        assert_eq!(v["progress"], "overdue");
        let (s, p) = case_post(
            &c,
            &c.seller,
            id,
            "rectifications",
            json!({"plan": "too late"}),
        )
        .await;
        assert_eq!(s, StatusCode::CONFLICT, "{p}");
        advance(&c.app, "PT48H").await;
        let timeline = c.app.timeline(&c.seller, &c.product).await;
        let overdue: Vec<&Value> = timeline
            .iter()
            .filter(|t| t["action"] == "rectification_overdue")
            .collect();
        assert_eq!(overdue.len(), 1, "escalated exactly once");
        assert_eq!(overdue[0]["actor_role"], "system");
        assert_eq!(overdue[0]["at"], "2026-11-26T15:00:00Z");
        let (_, events) = c
            .app
            .get(&c.seller, &format!("/api/v1/products/{}/events", c.product))
            .await;
        let n = events["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event_type"] == "violation.overdue")
            .count();
        assert_eq!(n, 1);
        let (_, page) = c
            .app
            .get(&c.reviewer, "/api/v1/violations?progress=overdue")
            .await;
        assert_eq!(page["items"][0]["id"], id);
        assert_eq!(page["counts"]["overdue"], 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejected_then_approved_and_review_overdue() {
    run_all(async |b| {
        let c = setup(b).await;
        let id = takedown(&c, "normal").await["id"]
            .as_str()
            .unwrap()
            .to_string();
        case_post(
            &c,
            &c.seller,
            &id,
            "rectifications",
            json!({"plan": "First try"}),
        )
        .await;
        case_post(&c, &c.seller, &id, "relist-request", json!({})).await;
        let (s, p) = case_post(
            &c,
            &c.reviewer,
            &id,
            "review",
            json!({"decision": "reject"}),
        )
        .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a rejection needs a note: {p}"
        );
        assert_eq!(fields(&p), ["note"]);
        let (s, v) = case_post(
            &c,
            &c.reviewer,
            &id,
            "review",
            json!({"decision": "reject", "note": "The logo is still on the box photo"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            v["progress"], "awaiting_rectification",
            "time is left, so another round"
        );
        assert_eq!(c.app.product(&c.product).await["label"], "red");
        let (s, _) = case_post(&c, &c.seller, &id, "relist-request", json!({})).await;
        assert_eq!(
            s,
            StatusCode::CONFLICT,
            "a new rectification is needed first"
        );
        case_post(
            &c,
            &c.seller,
            &id,
            "rectifications",
            json!({"plan": "Box photo replaced too"}),
        )
        .await;
        case_post(&c, &c.seller, &id, "relist-request", json!({})).await;

        advance(&c.app, "PT49H").await;
        let (_, v) = c
            .app
            .get(&c.reviewer, &format!("/api/v1/violations/{id}"))
            .await;
        assert_eq!(
            (v["progress"].as_str(), v["review_overdue"].as_bool()),
            (Some("in_review"), Some(true))
        );
        let (_, page) = c
            .app
            .get(&c.reviewer, "/api/v1/violations?review_overdue=true")
            .await;
        assert_eq!(
            page["items"].as_array().unwrap().len(),
            1,
            "flagged to reviewers"
        );
        let (s, v) = case_post(
            &c,
            &c.reviewer,
            &id,
            "review",
            json!({"decision": "approve"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["outcome"], "relisted");
        assert_eq!(c.app.product(&c.product).await["state"], "on_sale");
        let timeline = c.app.timeline(&c.seller, &c.product).await;
        assert_eq!(
            actions(&timeline)
                .iter()
                .filter(|a| *a == "relist_review_overdue")
                .count(),
            1
        );
        assert_eq!(
            actions(&timeline)
                .iter()
                .filter(|a| *a == "reject_review")
                .count(),
            1
        );
    })
    .await;
}

/// Deadlines that fall due together fire in one batch of the worker: each case moves as
/// it would alone — a case rectified in time stays out of overdue, the others escalate
/// once each, with one timeline row and one event apiece.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlines_falling_due_together_each_do_their_own_case() {
    run_all(async |b| {
        let c = setup(b).await;
        let mut ids = Vec::new();
        let mut products = vec![c.product.clone()];
        for title in ["Phone case", "Desk lamp"] {
            products.push(c.app.on_sale(&c.seller, &c.store, title).await);
        }
        for p in &products {
            let (s, v) = c
                .app
                .post(&c.reviewer, &format!("/api/v1/products/{p}/violations"), json!({"rule_code": "IM-1", "severity": "serious", "details": "Main image shows a competitor's logo"}))
                .await;
            assert_eq!(s, StatusCode::CREATED, "{v}");
            ids.push(v["id"].as_str().unwrap().to_string());
        }
        let (s, b) = case_post(
            &c,
            &c.seller,
            &ids[1],
            "rectifications",
            json!({"plan": "New main image"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        advance(&c.app, "PT24H").await;
        for (i, (id, product)) in ids.iter().zip(&products).enumerate() {
            let rectified = i == 1;
            let (_, v) = c
                .app
                .get(&c.seller, &format!("/api/v1/violations/{id}"))
                .await;
            let expected = if rectified {
                "awaiting_rectification"
            } else {
                "overdue"
            };
            assert_eq!(v["progress"], expected, "case {i}: {v}");
            let timeline = c.app.timeline(&c.seller, product).await;
            let rows: Vec<&Value> = timeline
                .iter()
                .filter(|t| t["action"] == "rectification_overdue")
                .collect();
            assert_eq!(rows.len(), usize::from(!rectified), "case {i}: {timeline:?}");
            if let Some(row) = rows.first() {
                assert_eq!(row["at"], "2026-11-26T15:00:00Z");
                assert_eq!(row["actor_role"], "system");
            }
            let (_, events) = c
                .app
                .get(&c.seller, &format!("/api/v1/products/{product}/events"))
                .await;
            let told = events["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["event_type"] == "violation.overdue" && e["payload"]["violation_id"] == id.as_str())
                .count();
            assert_eq!(told, usize::from(!rectified), "case {i}: {events}");
        }
        let (_, page) = c
            .app
            .get(&c.reviewer, "/api/v1/violations?progress=overdue")
            .await;
        assert_eq!(page["counts"]["overdue"], 2, "{page}");
    })
    .await;
}
