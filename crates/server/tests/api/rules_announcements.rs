//! Rule clauses as living data: an admin edits a clause (a new version; decided cases keep
//! theirs), adds and retires clauses, and each change is an announcement (公告) in the
//! inbox of every seller on the sites it applies to — seed 002's "关注政策调整".

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

crate::on_both_backends!(clauses_change_by_version_and_sellers_hear_of_it);

async fn announcements_in_inbox(app: &TestApp, token: &str) -> Vec<Value> {
    app.dispatch_all().await;
    let (s, inbox) = app.get(token, "/api/v1/inbox").await;
    assert_eq!(s, StatusCode::OK, "{inbox}");
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["event_type"] == "announcement.published")
        .cloned()
        .collect()
}

async fn clauses_change_by_version_and_sellers_hear_of_it(app: TestApp) {
    let reviewer = app.create_user("reviewer", None).await;
    let (us, us_seller) = app.seller_store("US", "self_operated").await;
    let (_cn, cn_seller) = app.seller_store("CN", "self_operated").await;
    let first = app.on_sale(&us_seller, &us, "Lamp one").await;
    let (s, old_case) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{first}/violations"),
            json!({"rule_code": "CE-1", "details": "no CE"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{old_case}");
    assert_eq!(old_case["rule"]["version"], 1);
    let old_text = old_case["rule"]["text"].as_str().unwrap().to_string();

    // Refusals first: nothing published by them.
    let (s, e) = app
        .put(&us_seller, "/api/v1/rules/CE-1", json!({"text": "x"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, e) = app
        .put(ADMIN_TOKEN, "/api/v1/rules/NOPE-9", json!({"text": "x"}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    let (s, e) = app
        .put(
            ADMIN_TOKEN,
            "/api/v1/rules/CE-1",
            json!({"sites": ["US", "XX"], "colour": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = app
        .put(
            ADMIN_TOKEN,
            "/api/v1/rules/CE-1",
            json!({"sites": ["US", "XX"], "severity": "mild"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["severity", "sites[1]"]);
    assert!(announcements_in_inbox(&app, &us_seller).await.is_empty());

    // A new version of CE-1 for the US and China sites.
    let new_text = "Products that require certification (CE, FCC, FDA, CCC, …) must carry valid certificates on file, uploaded before listing.";
    let (s, r) = app
        .put(ADMIN_TOKEN, "/api/v1/rules/CE-1", json!({"text": new_text, "sites": ["us", "CN"], "note": "Certificates now go on file before listing."}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (r["version"].as_i64(), r["sites"].clone()),
        (Some(2), json!(["US", "CN"]))
    );
    let (_, same) = app
        .put(ADMIN_TOKEN, "/api/v1/rules/CE-1", json!({"text": new_text}))
        .await;
    assert_eq!(
        same["version"], 2,
        "an edit that changes nothing publishes nothing"
    );
    let (_, versions) = app.get(&us_seller, "/api/v1/rules/CE-1/versions").await;
    let v: Vec<(i64, String)> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["version"].as_i64().unwrap(),
                x["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(v, [(1, old_text.clone()), (2, new_text.to_string())]);

    // The decided case keeps the clause it was decided under; a new one cites version 2.
    let (_, kept) = app
        .get(
            &us_seller,
            &format!("/api/v1/violations/{}", old_case["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        (
            kept["rule"]["version"].as_i64(),
            kept["rule"]["text"].as_str()
        ),
        (Some(1), Some(old_text.as_str()))
    );
    let second = app.on_sale(&us_seller, &us, "Lamp two").await;
    let (_, new_case) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{second}/violations"),
            json!({"rule_code": "CE-1", "details": "no FCC"}),
        )
        .await;
    assert_eq!(
        (
            new_case["rule"]["version"].as_i64(),
            new_case["rule"]["text"].as_str()
        ),
        (Some(2), Some(new_text))
    );

    // Both sites' sellers have the announcement, each in their language.
    let us_news = announcements_in_inbox(&app, &us_seller).await;
    assert_eq!(us_news.len(), 1, "{us_news:?}");
    assert_eq!(us_news[0]["title"], "Platform announcement");
    assert!(
        us_news[0]["body"]
            .as_str()
            .unwrap()
            .contains("CE-1 Missing certification (v2)"),
        "{}",
        us_news[0]
    );
    let cn_news = announcements_in_inbox(&app, &cn_seller).await;
    assert_eq!(cn_news.len(), 1);
    assert_eq!(cn_news[0]["title"], "平台公告");
    let (_, list) = app.get(&cn_seller, "/api/v1/announcements").await;
    assert_eq!(
        list["items"][0]["body"],
        "Certificates now go on file before listing."
    );
    assert_eq!(list["items"][0]["rule_version"], 2);

    // An admin's notice for China only; a new clause for the US only.
    let (s, a) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/announcements",
            json!({"title": "春节发货安排", "body": "春节期间物流时效延长。", "sites": ["CN"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let (s, e) = app
        .post(
            &us_seller,
            "/api/v1/announcements",
            json!({"title": "x", "body": "y"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, r) = app
        .post(ADMIN_TOKEN, "/api/v1/rules", json!({"code": "US-BATT-1", "title": "Battery shipping", "text": "Lithium batteries ship by ground only.", "severity": "serious", "reason_code": "safety_risk", "sites": ["US"]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let titles = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, cn_list) = app.get(&cn_seller, "/api/v1/announcements").await;
    assert_eq!(
        titles(&cn_list),
        ["春节发货安排", "CE-1 Missing certification (v2)"]
    );
    let (_, us_list) = app.get(&us_seller, "/api/v1/announcements").await;
    assert_eq!(
        titles(&us_list),
        [
            "US-BATT-1 Battery shipping",
            "CE-1 Missing certification (v2)"
        ]
    );
    let (_, all) = app.get(&reviewer, "/api/v1/announcements?limit=2").await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    assert!(
        all["next_cursor"].is_string(),
        "staff see every announcement, paged"
    );
    assert_eq!(announcements_in_inbox(&app, &cn_seller).await.len(), 2);
    assert_eq!(announcements_in_inbox(&app, &us_seller).await.len(), 2);

    // A clause scoped to some sites is cited nowhere else; narrowing it tells both sides.
    let (de, de_seller) = app.seller_store("DE", "self_operated").await;
    let de_product = app.on_sale(&de_seller, &de, "Lampe").await;
    let (s, e) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{de_product}/violations"),
            json!({"rule_code": "CE-1", "details": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["rule_code"]);
    let (_, p) = app
        .get(&de_seller, &format!("/api/v1/products/{de_product}"))
        .await;
    assert_eq!(
        p["state"], "on_sale",
        "the refused takedown changed nothing"
    );
    let (s, r) = app
        .put(
            ADMIN_TOKEN,
            "/api/v1/rules/CE-1",
            json!({"sites": ["CN"], "note": "China only from now on"}),
        )
        .await;
    assert_eq!((s, r["version"].as_i64()), (StatusCode::OK, Some(3)), "{r}");
    assert_eq!(
        announcements_in_inbox(&app, &us_seller).await.len(),
        3,
        "the sellers it no longer binds are told"
    );
    assert_eq!(announcements_in_inbox(&app, &cn_seller).await.len(), 3);
    assert!(announcements_in_inbox(&app, &de_seller).await.is_empty());

    // Retired: no new case may cite it, and it cannot be edited.
    let (s, e) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/rules/CE-1/retire",
            json!({"note": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, r) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/rules/CE-1/retire",
            json!({"note": "Merged into CERT-2"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["version"], 4);
    assert!(r["retired_at"].is_string());
    let third = app.on_sale(&us_seller, &us, "Lamp three").await;
    let (s, e) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{third}/violations"),
            json!({"rule_code": "CE-1", "details": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["rule_code"]);
    let (s, _) = app
        .put(ADMIN_TOKEN, "/api/v1/rules/CE-1", json!({"text": "again"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, p) = app
        .get(&us_seller, &format!("/api/v1/products/{third}"))
        .await;
    assert_eq!(
        p["state"], "on_sale",
        "the refused takedown changed nothing"
    );
}
