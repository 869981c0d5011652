//! Notifications in the reader's language, through a real SMTP server: one event mailed in
//! Chinese to the seller who reads Chinese and in English to the one who reads English,
//! each with what seed 000 asks an e-mail to detail — the reviewer's details, the clause
//! text, the evidence, the deadline in the reader's own zone — and the seller's reason and
//! the restock plan in the notices that carry them.

use mailparse::ParsedMail;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::channel_receivers::SmtpServer;
use crate::evidence::{tiny_png, upload};
use crate::helpers::{ADMIN_TOKEN, Backend, TestApp, fields};
use marketdesk_service::channel_config::ChannelConfig;

crate::on_each_backend!(
    one_violation_is_mailed_in_each_readers_language_with_every_detail,
    a_delisting_and_a_low_stock_alert_carry_the_reason_and_the_restock_plan,
);

/// An app mailing through `smtp`, a US store whose owner reads English (the site's
/// default), and a second seller of that store who reads Chinese and lives in Shanghai.
async fn store_with_two_readers(
    backend: Backend,
    smtp: &SmtpServer,
) -> (TestApp, String, String, String) {
    let cfg = ChannelConfig {
        smtp: Some(smtp.config()),
        ..Default::default()
    };
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (store, owner) = app.seller_store("US", "self_operated").await;
    let (s, p) = app
        .put(
            &owner,
            "/api/v1/me/notifications",
            json!({"email": "owner@shop.test"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["language"], "en", "the US site's default");
    let (s, u) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/users",
            json!({"name": "Li Wei", "role": "seller", "store_id": store, "language": "zh-CN"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    let li = u["token"].as_str().unwrap().to_string();
    let (s, p) = app
        .put(
            &li,
            "/api/v1/me/notifications",
            json!({"email": "li@shop.test", "time_zone": "Asia/Shanghai"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["language"], "zh-CN", "left out of the PUT: kept");
    (app, store, owner, li)
}

fn header(m: &ParsedMail, k: &str) -> String {
    m.headers
        .iter()
        .find(|h| h.get_key() == k)
        .map(|h| h.get_value())
        .unwrap_or_default()
}

/// The parsed mails to `to` whose subject starts with `subject`.
fn mails_to<'a>(raw: &'a [Vec<u8>], to: &str, subject: &str) -> Vec<ParsedMail<'a>> {
    raw.iter()
        .map(|r| mailparse::parse_mail(r).unwrap())
        .filter(|m| header(m, "To") == to && header(m, "Subject").starts_with(subject))
        .collect()
}

fn bodies(m: &ParsedMail) -> (String, String) {
    (
        m.subparts[0].get_body().unwrap(),
        m.subparts[1].get_body().unwrap(),
    )
}

fn local(due: &str, zone: &str, offset: &str, zh: bool) -> String {
    let due: jiff::Timestamp = due.parse().unwrap();
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    let time = due.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string();
    if zh {
        format!("{time}（{zone}，UTC{offset}）")
    } else {
        format!("{time} ({zone}, UTC{offset})")
    }
}

async fn one_violation_is_mailed_in_each_readers_language_with_every_detail(backend: Backend) {
    let smtp = SmtpServer::start();
    let (app, store, owner, li) = store_with_two_readers(backend, &smtp).await;
    let reviewer = app.create_user("reviewer", None).await;

    // Bad languages are refused by name, and nothing changes.
    let (s, p) = app
        .put(
            &li,
            "/api/v1/me/notifications",
            json!({"email": "li@shop.test", "language": "fr"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(fields(&p), ["language"]);
    let (s, p) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/users",
            json!({"name": "X", "role": "seller", "store_id": store, "language": "klingon"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(fields(&p), ["language"]);
    let (_, p) = app.get(&li, "/api/v1/me/notifications").await;
    assert_eq!(p["language"], "zh-CN");
    // A store on the China site reads Chinese unless its seller chooses otherwise.
    let (cn_store, cn_owner) = app.seller_store("CN", "self_operated").await;
    let (_, p) = app
        .put(
            &cn_owner,
            "/api/v1/me/notifications",
            json!({"email": "wang@shop.test"}),
        )
        .await;
    assert_eq!(p["language"], "zh-CN");
    assert_eq!(p["time_zone"], "Asia/Shanghai");

    let product = app.on_sale(&owner, &store, "Desk Lamp").await;
    let (s, ev) = upload(&app, &reviewer, "no-ce-mark.png", tiny_png()).await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");
    let ev = ev["id"].as_str().unwrap().to_string();
    let details = "The lamp's label shows no CE mark. 灯具标签上没有 CE 标志。";
    let (s, v) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": "CE-1", "details": details, "evidence_ids": [ev]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let due = v["rectify_due_at"].as_str().unwrap().to_string();

    // Two red events (takedown, violation report) to two addresses.
    let raw = smtp.wait_for(4).await;
    let zh = mails_to(&raw, "li@shop.test", "【紧急】违规通知：请在截止时间前整改");
    let en = mails_to(
        &raw,
        "owner@shop.test",
        "[URGENT] Violation report: rectify before the deadline",
    );
    assert_eq!(
        (zh.len(), en.len()),
        (1, 1),
        "one report each, in each one's language"
    );
    assert_eq!(
        header(&zh[0], "Subject"),
        "【紧急】违规通知：请在截止时间前整改：Desk Lamp"
    );
    let clause = "Products that require certification (CE, FCC, FDA, …) must carry valid certificates on file.";
    let (text, html) = bodies(&zh[0]);
    for line in [
        format!("商品：Desk Lamp（{product}）"),
        "下架原因：资质缺失（missing_certification）".to_string(),
        "规则条款：CE-1 Missing certification".to_string(),
        format!("条款内容：{clause}"),
        "违规等级：一般（72 小时内整改）".to_string(),
        format!("审核说明：{details}"),
        format!("证据：no-ce-mark.png（{ev}）"),
        format!(
            "整改截止时间：{}",
            local(&due, "Asia/Shanghai", "+08:00", true)
        ),
        "通知等级：红色（紧急）".to_string(),
    ] {
        assert!(text.contains(&line), "{line:?} not in:\n{text}");
    }
    assert!(html.contains("<html lang=\"zh-CN\">"), "{html}");
    assert!(html.contains("审核说明") && html.contains("no-ce-mark.png"));
    assert!(
        !text.contains("Rectify before"),
        "no English in the Chinese mail"
    );

    let (text, html) = bodies(&en[0]);
    for line in [
        format!("Product: Desk Lamp ({product})"),
        "Reason: Missing certification (missing_certification)".to_string(),
        "Rule clause: CE-1 Missing certification".to_string(),
        format!("Clause text: {clause}"),
        "Case severity: normal (72 hours to rectify)".to_string(),
        format!("Reviewer's details: {details}"),
        format!("Evidence: no-ce-mark.png ({ev})"),
        format!(
            "Rectify before: {}",
            local(&due, "America/New_York", "-05:00", false)
        ),
    ] {
        assert!(text.contains(&line), "{line:?} not in:\n{text}");
    }
    assert!(html.contains("<html lang=\"en\">"));
    assert!(!text.contains("整改截止时间"));

    // The takedown notice names the same case's details although its event came first.
    let zh_takedown = mails_to(&raw, "li@shop.test", "【紧急】商品因违规被下架");
    let (text, _) = bodies(&zh_takedown[0]);
    assert!(text.contains(&format!("审核说明：{details}")), "{text}");

    // The inbox speaks each reader's language too.
    let title_of = |inbox: &Value| {
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["event_type"] == "violation.opened")
            .map(|m| (m["title"].clone(), m["body"].clone()))
            .unwrap()
    };
    let (_, inbox) = app.get(&li, "/api/v1/inbox").await;
    let (title, body) = title_of(&inbox);
    assert_eq!(title, "违规通知：请在截止时间前整改");
    assert!(body.as_str().unwrap().contains("规则条款：CE-1"), "{body}");
    let (_, inbox) = app.get(&owner, "/api/v1/inbox").await;
    let (title, body) = title_of(&inbox);
    assert_eq!(title, "Violation report: rectify before the deadline");
    assert!(
        body.as_str().unwrap().contains("Rule clause: CE-1"),
        "{body}"
    );

    // The same kind of event on the China site: its seller chose nothing and reads Chinese.
    let cn_product = app.on_sale(&cn_owner, &cn_store, "台灯").await;
    let (s, v) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{cn_product}/violations"),
            json!({"rule_code": "CE-1", "details": "缺少 CCC 认证"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let due = v["rectify_due_at"].as_str().unwrap().to_string();
    let raw = smtp.wait_for(6).await;
    let cn = mails_to(&raw, "wang@shop.test", "【紧急】违规通知");
    assert_eq!(cn.len(), 1);
    let (text, _) = bodies(&cn[0]);
    for line in [
        format!("商品：台灯（{cn_product}）"),
        "审核说明：缺少 CCC 认证".to_string(),
        format!("条款内容：{clause}"),
        format!(
            "整改截止时间：{}",
            local(&due, "Asia/Shanghai", "+08:00", true)
        ),
    ] {
        assert!(text.contains(&line), "{line:?} not in:\n{text}");
    }
}

async fn a_delisting_and_a_low_stock_alert_carry_the_reason_and_the_restock_plan(backend: Backend) {
    let smtp = SmtpServer::start();
    let (app, store, owner, li) = store_with_two_readers(backend, &smtp).await;

    // The owner delists with their own words: every delist notice goes by e-mail.
    let product = app.on_sale(&owner, &store, "Beach Umbrella").await;
    let (s, b) = app
        .post(
            &owner,
            &format!("/api/v1/products/{product}/delist"),
            json!({"reason_code": "seasonal", "reason_text": "夏季结束，明年再上架"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let raw = smtp.wait_for(2).await;
    let zh = mails_to(&raw, "li@shop.test", "商品已下架：Beach Umbrella");
    let en = mails_to(&raw, "owner@shop.test", "Product delisted: Beach Umbrella");
    assert_eq!((zh.len(), en.len()), (1, 1));
    let (text, _) = bodies(&zh[0]);
    assert!(text.contains("下架原因：季节性（seasonal）"), "{text}");
    assert!(text.contains("原因说明：夏季结束，明年再上架"), "{text}");
    let (text, _) = bodies(&en[0]);
    assert!(text.contains("Reason: Seasonal (seasonal)"), "{text}");
    assert!(
        text.contains("Reason given: 夏季结束，明年再上架"),
        "{text}"
    );

    // A SKU with two suppliers falls below its safety threshold (5).
    let code = "KETTLE-1";
    let (s, p) = app
        .post(&owner, &format!("/api/v1/stores/{store}/products"), json!({"title": "Kettle", "category": "home_kitchen", "skus": [{"code": code, "price": "20.00", "stock": 10}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let (pid, sku) = (
        p["id"].as_str().unwrap().to_string(),
        p["skus"][0]["id"].as_str().unwrap().to_string(),
    );
    app.post(&owner, &format!("/api/v1/products/{pid}/list"), json!({}))
        .await;
    for (name, lead, rate, cost) in [
        ("Slow Cheap", 20, "0.99", "1.00"),
        ("Fast Punctual", 3, "0.95", "2.00"),
    ] {
        let (s, sup) = app
            .post(
                &owner,
                &format!("/api/v1/stores/{store}/suppliers"),
                json!({"name": name, "lead_time_days": lead, "on_time_rate": rate}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{sup}");
        let res = app
            .client
            .put(app.url(&format!(
                "/api/v1/suppliers/{}/offers/{sku}",
                sup["id"].as_str().unwrap()
            )))
            .bearer_auth(&owner)
            .json(&json!({"unit_cost": cost}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT);
    }
    let (s, o) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": 6, "unit_price": "20.00"}]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let raw = smtp.wait_for(4).await;
    let (_, f) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/skus/{sku}/stock"))
        .await;
    let quantity = f["restock_suggestion"]["quantity"].to_string();
    let zh = mails_to(&raw, "li@shop.test", "库存低于安全库存阈值");
    let (text, _) = bodies(&zh[0]);
    assert!(
        text.contains("可用库存：4") && text.contains("安全库存阈值：5"),
        "{text}"
    );
    assert!(
        text.contains(&format!("补货建议：建议补货 {quantity} 件")),
        "{text}"
    );
    assert!(
        text.contains("供应商（按推荐顺序）：1. Fast Punctual：交货期 3 天，单价 2.00；2. Slow Cheap：交货期 20 天，单价 1.00"),
        "ranked, best first:\n{text}"
    );
    let (_, inbox) = app.get(&li, "/api/v1/inbox").await;
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["event_type"] == "stock.low" && m["title"] == "库存低于安全库存阈值"),
        "{inbox}"
    );
    let en = mails_to(&raw, "owner@shop.test", "Stock below safety threshold");
    let (text, _) = bodies(&en[0]);
    assert!(
        text.contains(&format!("Restock suggestion: order {quantity} units")),
        "{text}"
    );
    assert!(
        text.contains("Suppliers, best first: 1. Fast Punctual: 3 days, 2.00 a unit; 2. Slow Cheap: 20 days, 1.00 a unit"),
        "{text}"
    );
}
