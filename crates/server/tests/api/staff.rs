//! The platform staff's own workflows over the API: reviewers' claims on cases (one
//! holder, lapsing after 30 minutes), an admin disabling an account (its token refused
//! on the next request), and the audit log — exactly one row per state-changing request
//! of staff, none for sellers, reads or refusals, and rows the database will not rewrite.

use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;

use crate::helpers::{ADMIN_TOKEN, TestApp};
use crate::violations::{advance, case_post, run_all, setup, takedown};

/// An account made by the admin: (id, token).
async fn account(app: &TestApp, role: &str, store: Option<&str>) -> (String, String) {
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/users",
            json!({"name": format!("{role} two"), "role": role, "store_id": store}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    (
        b["id"].as_str().unwrap().into(),
        b["token"].as_str().unwrap().into(),
    )
}

async fn audit_total(app: &TestApp) -> i64 {
    let (s, b) = app.get(ADMIN_TOKEN, "/api/v1/audit?limit=1").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["total"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_reviewers_cannot_both_hold_one_case() {
    run_all(async |b| {
        let c = setup(b).await;
        let (_, second) = account(&c.app, "reviewer", None).await;
        let v = takedown(&c, "normal").await;
        let id = v["id"].as_str().unwrap().to_string();
        let (s, b) = case_post(
            &c,
            &c.seller,
            &id,
            "rectifications",
            json!({"plan": "New photo"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, b) = case_post(&c, &c.seller, &id, "relist-request", json!({})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let claim = format!("/api/v1/violations/{id}/claim");

        let (s, b) = c.app.post(&c.seller, &claim, json!({})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a seller claims nothing: {b}");
        let (s, first) = c.app.post(&c.reviewer, &claim, json!({})).await;
        assert_eq!(s, StatusCode::OK, "{first}");
        assert_eq!(
            first["expires_at"], "2026-11-25T15:30:00Z",
            "30 minutes on the sandbox clock"
        );
        let (s, b) = c.app.post(&second, &claim, json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT, "the case is held: {b}");
        let (s, b) = case_post(&c, &second, &id, "review", json!({"decision": "approve"})).await;
        assert_eq!(
            s,
            StatusCode::CONFLICT,
            "nor may the other reviewer decide it: {b}"
        );
        assert_eq!(c.app.product(&c.product).await["state"], "pending_review");

        // Released, the case is the other reviewer's to take; their claim lapses in 30 min.
        let (s, _) = c.app.delete(&c.reviewer, &claim).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, b) = c.app.delete(&c.reviewer, &claim).await;
        assert_eq!(s, StatusCode::CONFLICT, "nothing left to release: {b}");
        let (s, b) = c.app.post(&second, &claim, json!({})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (s, _) = c.app.post(&c.reviewer, &claim, json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        advance(&c.app, "PT30M").await;
        let (s, b) = c.app.post(&c.reviewer, &claim, json!({})).await;
        assert_eq!(s, StatusCode::OK, "a lapsed claim holds nobody: {b}");
        let (s, b) = case_post(
            &c,
            &c.reviewer,
            &id,
            "review",
            json!({"decision": "approve"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "the holder decides: {b}");
        assert_eq!(c.app.product(&c.product).await["state"], "on_sale");
        let (s, b) = c.app.post(&second, &claim, json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT, "a closed case is not claimed: {b}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disabled_account_s_token_stops_at_once() {
    run_all(async |b| {
        let app = TestApp::spawn(b).await;
        let store = app.create_store("US", "self_operated").await;
        let (id, token) = account(&app, "seller", Some(&store)).await;
        let (reviewer_id, reviewer) = account(&app, "reviewer", None).await;
        let path = format!("/api/v1/stores/{store}");
        assert_eq!(app.get(&token, &path).await.0, StatusCode::OK);

        let disable = format!("/api/v1/users/{id}/disable");
        let (s, b) = app.post(&reviewer, &disable, json!({})).await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "only admins disable accounts: {b}"
        );
        let (s, b) = app.post(ADMIN_TOKEN, &disable, json!({})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert!(b["disabled_at"].is_string(), "{b}");
        assert_eq!(
            app.get(&token, &path).await.0,
            StatusCode::UNAUTHORIZED,
            "the very next request"
        );
        let (s, b) = app.post(ADMIN_TOKEN, &disable, json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{b}");
        let (s, b) = app
            .post(ADMIN_TOKEN, "/api/v1/users/not-an-id/disable", json!({}))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{b}");
        let (_, users) = app.get(ADMIN_TOKEN, "/api/v1/users?role=seller").await;
        let listed: Vec<&Value> = users["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["id"] == id.as_str())
            .collect();
        assert!(
            listed[0]["disabled_at"].is_string(),
            "the list says so: {users}"
        );
        // An admin never disables their own account, however the id is spelt.
        let (_, admins) = app.get(ADMIN_TOKEN, "/api/v1/users?role=admin").await;
        let me = admins["items"][0]["id"].as_str().unwrap().to_uppercase();
        let (s, b) = app
            .post(
                ADMIN_TOKEN,
                &format!("/api/v1/users/{me}/disable"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{b}");
        // The reviewer still works: only the one account stopped.
        assert_eq!(
            app.get(&reviewer, "/api/v1/violations").await.0,
            StatusCode::OK,
            "{reviewer_id}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_changing_staff_request_leaves_exactly_one_audit_row() {
    run_all(async |b| {
        let c = setup(b).await;
        // The setup's admin requests: the store, its seller, the reviewer. The seller's
        // own product creation and listing are not staff requests.
        assert_eq!(audit_total(&c.app).await, 3);
        let mut expected = 3;

        let v = takedown(&c, "serious").await;
        expected += 1;
        let id = v["id"].as_str().unwrap().to_string();
        let (s, _) = c
            .app
            .post(
                &c.reviewer,
                &format!("/api/v1/violations/{id}/claim"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        expected += 1;
        let (s, _) = c
            .app
            .put(
                ADMIN_TOKEN,
                "/api/v1/sites/US/calendar/2026-11-28",
                json!({"kind": "workday", "name": "Make-up day"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        expected += 1;
        advance(&c.app, "PT1H").await;
        expected += 1;

        // Not audited: reads, refusals, and sellers' own changes.
        let (s, _) = c.app.get(&c.reviewer, "/api/v1/violations").await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = c
            .app
            .put(
                ADMIN_TOKEN,
                "/api/v1/sites/US/calendar/2026-13-01",
                json!({"kind": "workday", "name": "x"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = case_post(
            &c,
            &c.seller,
            &id,
            "rectifications",
            json!({"plan": "New photo"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);

        // An order the platform places: its row commits with the order (group commit
        // writes it in the batch's transaction), once, naming the order; a refused
        // order leaves none.
        let other = c.app.on_sale(&c.seller, &c.store, "USB cable").await;
        let (_, p) = c
            .app
            .get(&c.seller, &format!("/api/v1/products/{other}"))
            .await;
        let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
        let line = |q: i64| json!({"store_id": c.store, "lines": [{"sku_id": sku, "quantity": q, "unit_price": "9.99"}]});
        let (s, order) = c.app.post(ADMIN_TOKEN, "/api/v1/orders", line(1)).await;
        assert_eq!(s, StatusCode::CREATED, "{order}");
        expected += 1;
        let (s, b) = c.app.post(ADMIN_TOKEN, "/api/v1/orders", line(0)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let (s, b) = c.app.post(ADMIN_TOKEN, "/api/v1/orders", line(1_000)).await;
        assert_eq!(s, StatusCode::CONFLICT, "more than on hand: {b}");
        assert_eq!(audit_total(&c.app).await, expected);

        let (s, log) = c.app.get(ADMIN_TOKEN, "/api/v1/audit?limit=200").await;
        assert_eq!(s, StatusCode::OK, "{log}");
        let rows = log["items"].as_array().unwrap();
        let row = |path: &str| {
            rows.iter()
                .find(|r| r["path"] == path)
                .unwrap_or_else(|| panic!("no row for {path}: {log}"))
                .clone()
        };
        let td = row(&format!("/api/v1/products/{}/violations", c.product));
        assert_eq!(td["method"], "POST");
        assert_eq!(td["actor_role"], "reviewer");
        assert_eq!(td["status"], 201);
        let change = td["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|ch| ch["subject"] == c.product.as_str())
            .expect("the product's change")
            .clone();
        assert_eq!(
            (
                change["before"]["state"].as_str(),
                change["after"]["state"].as_str()
            ),
            (Some("on_sale"), Some("delisted")),
            "{td}"
        );
        let placed = row("/api/v1/orders");
        assert_eq!(
            (
                placed["method"].as_str(),
                placed["status"].as_i64(),
                placed["actor_role"].as_str()
            ),
            (Some("POST"), Some(201), Some("admin")),
            "{placed}"
        );
        assert_eq!(placed["subject_id"], order["id"], "{placed}");
        let day = row("/api/v1/sites/US/calendar/2026-11-28");
        assert_eq!(day["changes"][0]["subject"], "US/2026-11-28");
        assert_eq!(day["changes"][0]["before"], Value::Null, "a new day");
        assert_eq!(day["changes"][0]["after"]["kind"], "workday");
        let (s, b) = c.app.get(&c.reviewer, "/api/v1/audit").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "the log is the admins': {b}");
        let (s, mine) = c
            .app
            .get(
                ADMIN_TOKEN,
                &format!("/api/v1/audit?subject_id={}", c.product),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(mine["total"], 1, "{mine}");

        // Append-only: the database itself refuses to rewrite or delete a row.
        sqlx::any::install_default_drivers();
        let mut db = sqlx::AnyConnection::connect(&c.app.database_url)
            .await
            .unwrap();
        let changed = sqlx::query("UPDATE audit_log SET status = 500")
            .execute(&mut db)
            .await;
        assert!(changed.is_err(), "an audit row was rewritten");
        let deleted = sqlx::query("DELETE FROM audit_log").execute(&mut db).await;
        assert!(deleted.is_err(), "an audit row was deleted");
        assert_eq!(audit_total(&c.app).await, expected);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_a_password_and_replaces_a_token() {
    run_all(async |b| {
        let app = TestApp::spawn(b).await;
        let (s, u) = app
            .post(ADMIN_TOKEN, "/api/v1/users", json!({"name": "Rita", "role": "reviewer", "login": "rita", "password": "first password 123"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{u}");
        let id = u["id"].as_str().unwrap();
        let old = u["token"].as_str().unwrap();

        let pw = format!("/api/v1/users/{id}/password");
        let (s, b) = app.put(ADMIN_TOKEN, &pw, json!({"password": "short"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(crate::helpers::fields(&b), vec!["password"]);
        let (s, b) = app.put(old, &pw, json!({"password": "a brand new password"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "only admins: {b}");
        let (s, b) = app.put(ADMIN_TOKEN, &pw, json!({"password": "a brand new password"})).await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{b}");
        let (_, api_only) = app.post(ADMIN_TOKEN, "/api/v1/users", json!({"name": "Bot", "role": "cs_agent"})).await;
        let bot = api_only["id"].as_str().unwrap();
        let (s, b) = app.put(ADMIN_TOKEN, &format!("/api/v1/users/{bot}/password"), json!({"password": "a brand new password"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "an API-only account has no login: {b}");

        let (s, b) = app.post(ADMIN_TOKEN, &format!("/api/v1/users/{id}/token"), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let new = b["token"].as_str().unwrap();
        assert_ne!(new, old);
        assert_eq!(app.get(old, "/api/v1/violations").await.0, StatusCode::UNAUTHORIZED, "the old token stopped");
        assert_eq!(app.get(new, "/api/v1/violations").await.0, StatusCode::OK, "the new one works");
        let (_, log) = app.get(ADMIN_TOKEN, &format!("/api/v1/audit?subject_id={id}")).await;
        let rows = log["items"].as_array().unwrap();
        assert_eq!(rows.len(), 3, "created, password set, token replaced: {log}");
        assert!(!log.to_string().contains(new), "the audit log never holds a token");
        assert!(!log.to_string().contains("brand new password"), "nor a password");
    })
    .await;
}
