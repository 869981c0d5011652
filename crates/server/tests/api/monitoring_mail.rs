//! The daily inspection list and the weekly review arrive at a real SMTP server at the
//! right local time of each store's site (sandbox clock), in the store's language: a
//! China-site store reads Chinese at 08:00 Shanghai time, a US store English at 08:00
//! New York time; the review comes on Monday at 09:00.

use mailparse::ParsedMail;
use reqwest::StatusCode;
use serde_json::json;

use crate::channel_receivers::SmtpServer;
use crate::helpers::{Backend, TestApp};
use marketdesk_service::channel_config::ChannelConfig;

crate::on_each_backend!(daily_list_and_weekly_review_arrive_at_local_time_in_the_store_language,);

fn subject(m: &ParsedMail) -> String {
    m.headers
        .iter()
        .find(|h| h.get_key() == "Subject")
        .map(|h| h.get_value())
        .unwrap_or_default()
}

fn to(m: &ParsedMail) -> String {
    m.headers
        .iter()
        .find(|h| h.get_key() == "To")
        .map(|h| h.get_value())
        .unwrap_or_default()
}

/// (recipient, subject, plain text) of every mail whose subject starts with one of `prefixes`.
fn mails(smtp: &SmtpServer, prefixes: &[&str]) -> Vec<(String, String, String)> {
    smtp.messages()
        .iter()
        .map(|r| mailparse::parse_mail(r).unwrap())
        .filter(|m| prefixes.iter().any(|p| subject(m).starts_with(p)))
        .map(|m| (to(&m), subject(&m), m.subparts[0].get_body().unwrap()))
        .collect()
}

/// Waits (10 s at most) until `n` mails whose subject starts with one of `prefixes` arrived.
async fn wait_mails(
    smtp: &SmtpServer,
    prefixes: &[&str],
    n: usize,
) -> Vec<(String, String, String)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got = mails(smtp, prefixes);
        if got.len() >= n {
            return got;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{n} mails {prefixes:?} did not arrive: {got:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

const DAILY: [&str; 2] = ["日巡检", "Daily inspection"];
const WEEKLY: [&str; 2] = ["周复盘", "Weekly review"];

/// How many inbox messages of `event_type` the seller has: after `dispatch_all` every
/// event's inbox message exists, so a zero here is a fact, not a race.
async fn inbox_count(app: &TestApp, seller: &str, event_type: &str) -> usize {
    let (s, inbox) = app.get(seller, "/api/v1/inbox").await;
    assert_eq!(s, StatusCode::OK, "{inbox}");
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["event_type"] == event_type)
        .count()
}

async fn store_with_case(app: &TestApp, site: &str, email: &str, title: &str) -> (String, String) {
    let (store, owner) = app.seller_store(site, "self_operated").await;
    let (s, p) = app
        .put(&owner, "/api/v1/me/notifications", json!({"email": email}))
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let product = app.on_sale(&owner, &store, title).await;
    let reviewer = app.create_user("reviewer", None).await;
    // Serious: 24 hours to rectify, so it is due on the first morning's list.
    let (s, v) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": "IM-1", "severity": "serious", "details": "watermark"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    (store, owner)
}

async fn daily_list_and_weekly_review_arrive_at_local_time_in_the_store_language(backend: Backend) {
    let smtp = SmtpServer::start();
    let cfg = ChannelConfig {
        smtp: Some(smtp.config()),
        ..Default::default()
    };
    // Wed 2026-11-25 15:00Z = 23:00 in Shanghai, 10:00 in New York.
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (_, wang) = store_with_case(&app, "CN", "wang@shop.test", "台灯").await;
    let (_, us_owner) = store_with_case(&app, "US", "owner@shop.test", "Desk lamp").await;

    // One minute before 08:00 in Shanghai (Thu 00:00Z): no list yet.
    app.advance("PT8H59M").await;
    app.dispatch_all().await;
    assert_eq!(
        inbox_count(&app, &wang, "monitoring.daily_inspection").await,
        0
    );
    app.advance("PT1M").await;
    app.dispatch_all().await;
    let daily = wait_mails(&smtp, &DAILY, 1).await;
    assert_eq!(
        daily.len(),
        1,
        "only Shanghai's morning has come: {daily:?}"
    );
    let (rcpt, subj, text) = &daily[0];
    assert_eq!(rcpt, "wang@shop.test");
    assert!(subj.starts_with("日巡检：今日待办"), "{subj}");
    // The takedown at 23:00 Wednesday is due 23:00 Thursday, Shanghai time.
    assert!(text.contains("整改"), "{text}");
    assert!(text.contains("台灯，2026-11-26 23:00 到期"), "{text}");

    // 08:00 in New York is 13:00Z: 12 h 59 min later, still only one list; a minute on,
    // the US store's, in English.
    app.advance("PT12H59M").await;
    app.dispatch_all().await;
    assert_eq!(
        inbox_count(&app, &us_owner, "monitoring.daily_inspection").await,
        0
    );
    assert_eq!(
        inbox_count(&app, &wang, "monitoring.daily_inspection").await,
        1
    );
    app.advance("PT1M").await;
    app.dispatch_all().await;
    let daily = wait_mails(&smtp, &DAILY, 2).await;
    let us: Vec<_> = daily.iter().filter(|m| m.0 == "owner@shop.test").collect();
    assert_eq!(us.len(), 1, "{daily:?}");
    assert!(
        us[0].1.starts_with("Daily inspection: what is due today"),
        "{}",
        us[0].1
    );
    assert!(us[0].2.contains("Rectification"), "{}", us[0].2);
    assert!(
        us[0].2.contains("Desk lamp, due 2026-11-26 10:00"),
        "{}",
        us[0].2
    );

    // Monday 09:00 Shanghai is Mon 2026-11-30 01:00Z; we are at Thu 13:00Z.
    app.advance("PT83H59M").await;
    app.dispatch_all().await;
    assert_eq!(
        inbox_count(&app, &wang, "monitoring.weekly_review").await,
        0
    );
    app.advance("PT1M").await;
    app.dispatch_all().await;
    let weekly = wait_mails(&smtp, &WEEKLY, 1).await;
    assert_eq!(
        inbox_count(&app, &us_owner, "monitoring.weekly_review").await,
        0
    );
    assert_eq!(
        weekly.len(),
        1,
        "New York's Monday morning has not come: {weekly:?}"
    );
    let (rcpt, subj, text) = &weekly[0];
    assert_eq!(rcpt, "wang@shop.test");
    assert!(subj.starts_with("周复盘"), "{subj}");
    assert!(text.contains("2026-W48"), "{text}");
    assert!(
        text.contains("违规下架数: 1") || text.contains("违规下架数：1"),
        "{text}"
    );
    assert!(text.contains("/reports/weekly?store_id="), "{text}");
}
