//! Monitoring intelligence through the API: the classifier's suggestion, and a seeded
//! set of three stores of one site and category with known answers for the compliance
//! score and its daily history, the category benchmark, rectification advice and the
//! weekly review.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Backend, TestApp, fields};

crate::on_each_backend!(
    the_classifier_suggests_a_code_and_refuses_bad_input,
    score_benchmark_advice_and_review_on_a_seeded_category,
);

async fn the_classifier_suggests_a_code_and_refuses_bad_input(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, seller) = app.seller_store("US", "self_operated").await;
    for (text, code) in [
        ("没货了，先下架", "out_of_stock"),
        ("fake nike, replica shoes", "counterfeit"),
        ("主图有水印和联系方式", "image_violation"),
        ("no CE certificate on file", "missing_certification"),
    ] {
        let (s, b) = app
            .post(&seller, "/api/v1/classify", json!({"text": text}))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["reason_code"], code, "{text}: {b}");
        let c = b["confidence"].as_f64().unwrap();
        assert!(c > 0.0 && c <= 1.0, "{b}");
        for a in b["alternatives"].as_array().unwrap() {
            assert_ne!(a["reason_code"], b["reason_code"]);
            assert!(a["confidence"].as_f64().unwrap() <= c);
        }
    }
    let (s, p) = app
        .post(&seller, "/api/v1/classify", json!({"text": "   "}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(fields(&p), ["text"]);
    let (s, p) = app
        .post(
            &seller,
            "/api/v1/classify",
            json!({"text": "x".repeat(2001)}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (s, _) = app
        .post(
            &seller,
            "/api/v1/classify",
            json!({"text": "ok", "extra": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = app
        .post("not-a-token", "/api/v1/classify", json!({"text": "ok"}))
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

async fn take_down(app: &TestApp, reviewer: &str, product: &str, rule: &str) -> String {
    let (s, v) = app
        .post(
            reviewer,
            &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": rule, "severity": "normal", "details": "see the listing"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_string()
}

fn rate<'a>(b: &'a Value, days: i64, kind: &str, code: &str) -> &'a Value {
    let w = b["windows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["days"] == days)
        .unwrap();
    let toys = w["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "toys")
        .unwrap();
    toys[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no {kind} rate for {code} in {toys}"))
}

async fn score_benchmark_advice_and_review_on_a_seeded_category(backend: Backend) {
    let app = TestApp::spawn_manual(backend).await; // 2026-11-25T15:00Z, a Wednesday
    let (a, seller_a) = app.seller_store("US", "self_operated").await;
    let (b, seller_b) = app.seller_store("US", "self_operated").await;
    let (c, seller_c) = app.seller_store("US", "self_operated").await;
    let reviewer = app.create_user("reviewer", None).await;
    let mut a_products = Vec::new();
    for title in ["Best robot toy", "Kite", "Puzzle", "Yo-yo"] {
        a_products.push(app.on_sale(&seller_a, &a, title).await);
    }
    let b1 = app.on_sale(&seller_b, &b, "Doll").await;
    app.on_sale(&seller_b, &b, "Ball").await;
    app.on_sale(&seller_c, &c, "Blocks").await;
    app.on_sale(&seller_c, &c, "Train").await;
    // A: one misleading-description takedown (DS-1); B: one image takedown (IM-1); A
    // delists one listing for the season with a free text only.
    let va = take_down(&app, &reviewer, &a_products[0], "DS-1").await;
    take_down(&app, &reviewer, &b1, "IM-1").await;
    let (s, d) = app
        .post(
            &seller_a,
            &format!("/api/v1/products/{}/delist", a_products[1]),
            json!({"reason_code": "other", "reason_text": "没货了，等补货"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    let line = app.timeline(&seller_a, &a_products[1]).await.pop().unwrap();
    assert_eq!(
        (
            line["reason_code"].as_str(),
            line["classified_code"].as_str()
        ),
        (Some("other"), Some("out_of_stock")),
        "the stored text keeps its classified code: {line}"
    );

    // Score: 4 listings, 1 normal violation = 25 points per 100 listings, past the 10 at
    // which the violations component (35) is empty; everything else full: 65.
    let (s, sc) = app
        .get(&seller_a, &format!("/api/v1/stores/{a}/compliance"))
        .await;
    assert_eq!(s, StatusCode::OK, "{sc}");
    assert_eq!(
        (sc["score"].as_u64(), sc["healthy"].as_bool()),
        (Some(65), Some(false)),
        "{sc}"
    );
    let parts = sc["components"].as_array().unwrap();
    assert_eq!(parts.len(), 6);
    assert_eq!(parts[0]["name"], "violations");
    assert_eq!(
        (parts[0]["earned"].as_str(), parts[0]["measured"].as_str()),
        (Some("0.000"), Some("1/4"))
    );
    assert_eq!(parts[1]["earned"], "20.000");
    let (_, sc_c) = app
        .get(&seller_c, &format!("/api/v1/stores/{c}/compliance"))
        .await;
    assert_eq!(
        (sc_c["score"].as_u64(), sc_c["healthy"].as_bool()),
        (Some(100), Some(true))
    );
    // Another store's figures are not a seller's to read.
    let (s, _) = app
        .get(&seller_b, &format!("/api/v1/stores/{a}/compliance"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .get(&seller_b, &format!("/api/v1/stores/{a}/benchmark"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .get(&seller_b, &format!("/api/v1/violations/{va}/advice"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Benchmark, toys on the US site: DS-1 violations per 100 listings are A 25, B 0,
    // C 0 → quartiles 0, 0, 12.5, A worse than most; IM-1: A 0, B 50, C 0 → A better.
    let (s, bm) = app
        .get(&seller_a, &format!("/api/v1/stores/{a}/benchmark"))
        .await;
    assert_eq!(s, StatusCode::OK, "{bm}");
    for days in [30, 90] {
        let ds = rate(&bm, days, "violations", "DS-1");
        assert_eq!(
            (
                ds["store_rate"].as_str(),
                ds["q1"].as_str(),
                ds["median"].as_str(),
                ds["q3"].as_str()
            ),
            (Some("25"), Some("0"), Some("0"), Some("12.5")),
            "{ds}"
        );
        assert_eq!(
            (ds["stores"].as_u64(), ds["standing"].as_str()),
            (Some(3), Some("worse_than_most"))
        );
        let im = rate(&bm, days, "violations", "IM-1");
        assert_eq!(
            (im["store_rate"].as_str(), im["standing"].as_str()),
            (Some("0"), Some("better_than_most"))
        );
        // The free-text delist filed as `other` counts as the stock-out its text says.
        let oos = rate(&bm, days, "delists", "out_of_stock");
        assert_eq!(oos["store_rate"], "25");
        let ml = rate(&bm, days, "delists", "misleading_listing");
        assert_eq!(
            (ml["store_rate"].as_str(), ml["q3"].as_str()),
            (Some("25"), Some("12.5"))
        );
    }

    // Advice on A's case, in Chinese when asked: no main image first, then the clause's
    // flagged word in the title and the toy category's missing certificates.
    let res = app
        .client
        .get(app.url(&format!("/api/v1/violations/{va}/advice")))
        .bearer_auth(&seller_a)
        .header("accept-language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .unwrap();
    let (s, adv) = crate::helpers::read(res).await;
    assert_eq!(s, StatusCode::OK, "{adv}");
    assert_eq!(
        (adv["rule_code"].as_str(), adv["reason_code"].as_str()),
        (Some("DS-1"), Some("misleading_listing"))
    );
    let failed: Vec<&str> = adv["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "fail")
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert_eq!(
        failed,
        [
            "main_image_missing",
            "flagged_words",
            "certificates_missing"
        ],
        "{adv}"
    );
    assert!(
        adv["checks"][1]["message"]
            .as_str()
            .unwrap()
            .contains("best"),
        "{adv}"
    );
    assert!(adv["guidance"].as_str().unwrap().contains("标题"), "{adv}");
    let (_, en) = app
        .get(&seller_a, &format!("/api/v1/violations/{va}/advice"))
        .await;
    assert!(
        en["guidance"].as_str().unwrap().contains("title"),
        "the US site reads English: {en}"
    );

    // Thursday 08:00 New York: the daily run records the day's score (65); by Saturday
    // 11:00 the rectification is overdue (1 per 4 listings empties that component too).
    app.advance("PT23H").await;
    app.advance("PT50H").await;
    let (_, sc) = app
        .get(&seller_a, &format!("/api/v1/stores/{a}/compliance"))
        .await;
    assert_eq!(sc["score"], 45, "{sc}");
    let history: Vec<(String, i64)> = sc["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["day"].as_str().unwrap().to_string(),
                h["score"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("2026-11-28".to_string(), 45),
            ("2026-11-26".to_string(), 65)
        ]
    );

    // The weekly review of 2026-W48 (Mon 23 – Sun 29 November, New York).
    let (s, wr) = app
        .get(
            &seller_a,
            &format!("/api/v1/stores/{a}/weekly-review?week=2026-W48"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{wr}");
    assert_eq!(
        (wr["from"].as_str(), wr["to"].as_str()),
        (Some("2026-11-23"), Some("2026-11-29"))
    );
    assert_eq!(
        (wr["listings"].as_i64(), wr["violation_delists"].as_i64()),
        (Some(4), Some(1))
    );
    assert_eq!(wr["violation_delist_rate"], "25");
    let reasons: Vec<(String, i64)> = wr["delists_by_reason"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["reason_code"].as_str().unwrap().into(),
                r["delists"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [("misleading_listing".into(), 1), ("out_of_stock".into(), 1)]
    );
    let trend = wr["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 8);
    assert_eq!(
        (
            trend[7]["week"].as_str(),
            trend[7]["violation_delists"].as_i64()
        ),
        (Some("2026-W48"), Some(1))
    );
    assert_eq!(trend[6]["violation_delists"], 0);
    let res = app
        .client
        .get(app.url(&format!(
            "/api/v1/stores/{a}/weekly-review?week=2026-W48&format=csv"
        )))
        .bearer_auth(&seller_a)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = res.text().await.unwrap();
    assert!(
        csv.starts_with("store_id,week,section,key,value\n"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!("{a},2026-W48,summary,violation_delists,1\n")),
        "{csv}"
    );
    let (s, p) = app
        .get(
            &seller_a,
            &format!("/api/v1/stores/{a}/weekly-review?week=2026-W60"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(fields(&p), ["week"]);
    // The platform's review lists every store; a seller may not read it.
    let (s, all) = app
        .get(ADMIN_TOKEN, "/api/v1/weekly-review?week=2026-W48")
        .await;
    assert_eq!(s, StatusCode::OK, "{all}");
    assert_eq!(all.as_array().unwrap().len(), 3);
    let (s, _) = app.get(&seller_a, "/api/v1/weekly-review").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
