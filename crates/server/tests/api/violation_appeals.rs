//! Appeals upheld and dismissed, the violation center's filters and isolation, and site
//! calendars driving violation deadlines.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp, fields};
use crate::violations::{actions, advance, case_post, run_all, setup, takedown};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appeals_upheld_and_dismissed() {
    run_all(async |b| {
        let c = setup(b).await;
        let id = takedown(&c, "normal").await["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (s, p) = case_post(&c, &c.seller, &id, "appeals", json!({"statement": ""})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        let (s, v) = case_post(
            &c,
            &c.seller,
            &id,
            "appeals",
            json!({"statement": "The logo is our own registered mark"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["progress"], "appealed");
        let (s, _) = case_post(
            &c,
            &c.seller,
            &id,
            "appeal-decision",
            json!({"decision": "uphold", "note": "x"}),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = case_post(
            &c,
            &c.reviewer,
            &id,
            "appeal-decision",
            json!({"decision": "uphold", "note": "Trademark certificate checks out"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (v["progress"].as_str(), v["outcome"].as_str()),
            (Some("closed"), Some("voided"))
        );
        assert_eq!(v["appeals"][0]["state"], "upheld");
        assert_eq!(c.app.product(&c.product).await["state"], "on_sale");
        // The voided case's rectification deadline was cancelled: nothing escalates.
        advance(&c.app, "PT80H").await;
        let timeline = c.app.timeline(&c.seller, &c.product).await;
        assert!(!actions(&timeline).contains(&"rectification_overdue".to_string()));

        // A product the seller had delisted before the takedown returns to that delist.
        let (store2, seller2) = c.app.seller_store("US", "self_operated").await;
        let held = c.app.on_sale(&seller2, &store2, "Seasonal Fan").await;
        c.app.delist(&seller2, &held, "seasonal").await;
        let (_, v) = c
            .app
            .post(
                &c.reviewer,
                &format!("/api/v1/products/{held}/violations"),
                json!({"rule_code": "SF-1", "details": "Blade guard loose"}),
            )
            .await;
        assert_eq!(c.app.product(&held).await["label"], "red");
        let vid = v["id"].as_str().unwrap().to_string();
        c.app
            .post(
                &seller2,
                &format!("/api/v1/violations/{vid}/appeals"),
                json!({"statement": "Guard is fixed by design"}),
            )
            .await;
        let (s, _) = case_post(
            &c,
            &c.reviewer,
            &vid,
            "appeal-decision",
            json!({"decision": "uphold", "note": "Design is compliant"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let p = c.app.product(&held).await;
        assert_eq!(
            (
                p["state"].as_str(),
                p["delist_kind"].as_str(),
                p["label"].as_str()
            ),
            (Some("delisted"), Some("voluntary"), Some("grey")),
            "nothing else held it? it did: the seller's own delist"
        );

        // A second case: appealed, the deadline passes meanwhile, dismissed → overdue.
        let id = takedown(&c, "normal").await["id"]
            .as_str()
            .unwrap()
            .to_string();
        case_post(
            &c,
            &c.seller,
            &id,
            "appeals",
            json!({"statement": "Please look again"}),
        )
        .await;
        advance(&c.app, "PT73H").await;
        let (_, v) = c
            .app
            .get(&c.seller, &format!("/api/v1/violations/{id}"))
            .await;
        assert_eq!(
            v["progress"], "appealed",
            "an appeal holds the case while it is decided"
        );
        let (s, v) = case_post(
            &c,
            &c.reviewer,
            &id,
            "appeal-decision",
            json!({"decision": "dismiss", "note": "The logo is not yours"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            v["progress"], "overdue",
            "the deadline passed during the appeal"
        );
        assert_eq!(c.app.product(&c.product).await["label"], "red");
        let (s, p) = case_post(&c, &c.seller, &id, "appeals", json!({"statement": "Again"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "one appeal per case: {p}");

        // A third: the 7-day window closes.
        let (store, seller) = c.app.seller_store("US", "self_operated").await;
        let other = c.app.on_sale(&seller, &store, "Phone Stand").await;
        let (_, v) = c
            .app
            .post(
                &c.reviewer,
                &format!("/api/v1/products/{other}/violations"),
                json!({"rule_code": "DS-1", "details": "Wrong size"}),
            )
            .await;
        let late = v["id"].as_str().unwrap().to_string();
        assert_eq!(v["severity"], "normal", "the rule's severity by default");
        advance(&c.app, "P7D").await;
        let (s, p) = c
            .app
            .post(
                &seller,
                &format!("/api/v1/violations/{late}/appeals"),
                json!({"statement": "Late"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(p["detail"].as_str().unwrap().contains("7-day"), "{p}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn violation_center_filters_rules_and_isolation() {
    run_all(async |b| {
        let c = setup(b).await;
        let (store_b, seller_b) = c.app.seller_store("DE", "self_operated").await;
        let prod_b = c.app.on_sale(&seller_b, &store_b, "Holzpuzzle").await;
        let a = takedown(&c, "serious").await;
        let (s, b2) = c.app.post(&c.reviewer, &format!("/api/v1/products/{prod_b}/violations"), json!({"rule_code": "CE-1", "details": "No CE certificate"})).await;
        assert_eq!(s, StatusCode::CREATED, "{b2}");
        assert_eq!(b2["rectify_due_local"], "2026-11-28T16:00:00+01:00[Europe/Berlin]");

        let get = |q: &str| {
            let path = format!("/api/v1/violations?{q}");
            let app = &c.app;
            let t = c.reviewer.clone();
            async move {
                let (s, v) = app.get(&t, &path).await;
                assert_eq!(s, StatusCode::OK, "{path}: {v}");
                v["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect::<Vec<_>>()
            }
        };
        assert_eq!(get("").await.len(), 2);
        assert_eq!(get("severity=serious").await, [a["id"].as_str().unwrap()]);
        assert_eq!(get("rule_code=CE-1").await, [b2["id"].as_str().unwrap()]);
        assert_eq!(get("site=DE").await, [b2["id"].as_str().unwrap()]);
        assert_eq!(get("due_to=2026-11-27T00:00:00Z").await, [a["id"].as_str().unwrap()], "deadline ranges");
        assert_eq!(get("due_from=2026-11-27T00:00:00Z").await, [b2["id"].as_str().unwrap()]);
        assert_eq!(get("progress=closed").await.len(), 0);
        assert_eq!(get(&format!("store_id={store_b}")).await.len(), 1);
        let (s, p) = c.app.get(&c.reviewer, "/api/v1/violations?progress=lost").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&p), ["progress"]);

        // Sellers see only their own cases.
        let (_, mine) = c.app.get(&c.seller, "/api/v1/violations").await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        assert_eq!(mine["counts"]["awaiting_rectification"], 1);
        let (s, _) = c.app.get(&c.seller, &format!("/api/v1/violations/{}", b2["id"].as_str().unwrap())).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = c.app.get(&c.seller, &format!("/api/v1/violations?store_id={store_b}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = c.app.post(&c.seller, &format!("/api/v1/violations/{}/rectifications", b2["id"].as_str().unwrap()), json!({"plan": "not mine"})).await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // Takedown refusals.
        let (s, _) = c.app.post(&c.seller, &format!("/api/v1/products/{}/violations", c.product), json!({"rule_code": "IM-1", "details": "x"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, p) = c.app.post(&c.reviewer, &format!("/api/v1/products/{}/violations", c.product), json!({"rule_code": "IM-1", "details": "again"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "one open case per product: {p}");
        let draft = c.app.create_product(&c.seller, &c.store, "Draft").await["id"].as_str().unwrap().to_string();
        let (s, _) = c.app.post(&c.reviewer, &format!("/api/v1/products/{draft}/violations"), json!({"rule_code": "IM-1", "details": "x"})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (s, p) = c.app.post(&c.reviewer, &format!("/api/v1/products/{draft}/violations"), json!({"rule_code": "NOPE", "severity": "mild", "details": ""})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let mut f = fields(&p);
        f.sort();
        assert_eq!(f, ["details", "rule_code", "severity"]);

        // Rules are data: defaults shipped, admins add clauses.
        let (_, rules) = c.app.get(&c.seller, "/api/v1/rules").await;
        assert!(rules.as_array().unwrap().len() >= 9);
        let rule = json!({"code": "PK-2", "title": "Packaging", "text": "Packaging must protect the goods.", "severity": "normal", "reason_code": "quality_defect"});
        let (s, _) = c.app.post(&c.reviewer, "/api/v1/rules", rule.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, r) = c.app.post(ADMIN_TOKEN, "/api/v1/rules", rule.clone()).await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        let (s, _) = c.app.post(ADMIN_TOKEN, "/api/v1/rules", rule).await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (s, p) = c.app.post(ADMIN_TOKEN, "/api/v1/rules", json!({"code": "bad code", "title": "t", "text": "t", "severity": "normal"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&p), ["code"]);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calendars_are_readable_editable_and_drive_deadlines() {
    run_all(async |b| {
        let app = TestApp::spawn(b).await;
        let (_, cal) = app
            .get(ADMIN_TOKEN, "/api/v1/sites/US/calendar?year=2026")
            .await;
        assert_eq!(cal["time_zone"], "America/New_York");
        assert!(
            cal["days"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["date"] == "2026-11-26" && d["kind"] == "holiday")
        );
        let (_, cn) = app
            .get(ADMIN_TOKEN, "/api/v1/sites/CN/calendar?year=2026")
            .await;
        assert!(
            cn["days"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["date"] == "2026-02-14" && d["kind"] == "workday")
        );

        let due = |q: &'static str| {
            let app = &app;
            async move {
                let (s, v) = app
                    .get(ADMIN_TOKEN, &format!("/api/v1/sites/US/calendar/due?{q}"))
                    .await;
                assert_eq!(s, StatusCode::OK, "{v}");
                v["due"].as_str().unwrap().to_string()
            }
        };
        assert_eq!(
            due("from=2026-11-25T15:00:00Z&business_days=1").await,
            "2026-11-27T15:00:00Z"
        );
        // An admin declares Friday 2026-11-27 a holiday: the deadline moves to Monday.
        let (s, _) = app
            .client
            .put(app.url("/api/v1/sites/US/calendar/2026-11-27"))
            .bearer_auth(ADMIN_TOKEN)
            .json(&json!({"kind": "holiday", "name": "Day after Thanksgiving"}))
            .send()
            .await
            .map(|r| (r.status(), ()))
            .unwrap();
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            due("from=2026-11-25T15:00:00Z&business_days=1").await,
            "2026-11-30T15:00:00Z"
        );
        let res = app
            .client
            .delete(app.url("/api/v1/sites/US/calendar/2026-11-27"))
            .bearer_auth(ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            due("from=2026-11-25T15:00:00Z&business_days=1").await,
            "2026-11-27T15:00:00Z"
        );
        let (s, p) = app
            .get(
                ADMIN_TOKEN,
                "/api/v1/sites/US/calendar/due?from=2026-11-25T15:00:00Z&business_days=1&hours=3",
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        let (store, seller) = app.seller_store("US", "self_operated").await;
        let _ = store;
        let res = app
            .client
            .put(app.url("/api/v1/sites/US/calendar/2026-12-31"))
            .bearer_auth(&seller)
            .json(&json!({"kind": "holiday", "name": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    })
    .await;
}
