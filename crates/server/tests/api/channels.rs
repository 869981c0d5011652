//! Notifications beyond the inbox, against real local receivers: e-mail through aiosmtpd,
//! texts and escalation calls and webhooks through an HTTP receiver; preferences, quiet
//! hours and rules as a seller and an admin set them.

use marketdesk_service::channel_config::{ChannelConfig, SmsConfig};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::channel_receivers::{HttpReceiver, SmtpServer};
use crate::helpers::{ADMIN_TOKEN, Backend, TestApp};

crate::on_each_backend!(
    email_states_product_reason_clause_and_local_deadline,
    texts_go_at_once_for_red_escalate_unread_and_wait_out_quiet_hours,
    a_red_alert_places_the_call_with_the_text_by_default,
);

pub(crate) async fn deliveries(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (s, b) = app.get(token, &format!("/api/v1/deliveries?{query}")).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["items"].as_array().unwrap().clone()
}

async fn email_states_product_reason_clause_and_local_deadline(backend: Backend) {
    let smtp = SmtpServer::start();
    let cfg = ChannelConfig {
        smtp: Some(smtp.config()),
        ..Default::default()
    };
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (store, owner) = app.seller_store("DE", "self_operated").await;
    let staff = app.create_user("seller", Some(&store)).await;
    let reviewer = app.create_user("reviewer", None).await;

    let (s, p) = app
        .put(
            &owner,
            "/api/v1/me/notifications",
            json!({"email": "owner@shop.test"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(
        p["time_zone"], "Europe/Berlin",
        "the site's zone by default"
    );
    // Staff has an address but turned e-mail off: no e-mail for them.
    let (s, p) = app
        .put(
            &staff,
            "/api/v1/me/notifications",
            json!({"email": "staff@shop.test", "email_enabled": false}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");

    let title = "Lamp <b>Bright</b> & Co";
    let product = app.on_sale(&owner, &store, title).await;
    let (s, v) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": "CE-1", "details": "No CE marking"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let due: jiff::Timestamp = v["rectify_due_at"].as_str().unwrap().parse().unwrap();
    let berlin = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    let local_due = format!(
        "{} (Europe/Berlin, UTC+01:00)",
        due.to_zoned(berlin).strftime("%Y-%m-%d %H:%M")
    );

    // Two red events (the takedown and the violation report), one address: two e-mails.
    let mails = smtp.wait_for(2).await;
    // Every event dispatched: the e-mail deliveries are all there are, and all were sent.
    app.dispatch_all().await;
    let emails = deliveries(&app, ADMIN_TOKEN, "channel=email&limit=200").await;
    assert_eq!(
        emails.len(),
        2,
        "nothing for staff who turned e-mail off, nor reviewers: {emails:?}"
    );
    assert_eq!(smtp.messages().len(), 2);
    let report = mails
        .iter()
        .map(|raw| mailparse::parse_mail(raw).unwrap())
        .find(|m| {
            m.headers.iter().any(|h| {
                h.get_key() == "Subject" && h.get_value().starts_with("[URGENT] Violation report")
            })
        })
        .expect("the violation report");
    let header = |k: &str| {
        report
            .headers
            .iter()
            .find(|h| h.get_key() == k)
            .unwrap()
            .get_value()
    };
    assert_eq!(header("To"), "owner@shop.test");
    assert_eq!(
        header("Subject"),
        format!("[URGENT] Violation report: rectify before the deadline: {title}")
    );
    assert_eq!(report.ctype.mimetype, "multipart/alternative");
    let text = report.subparts[0].get_body().unwrap();
    let html = report.subparts[1].get_body().unwrap();
    assert_eq!(report.subparts[0].ctype.mimetype, "text/plain");
    assert_eq!(report.subparts[1].ctype.mimetype, "text/html");
    for line in [
        format!("Product: {title} ({product})"),
        "Reason: Missing certification (missing_certification)".to_string(),
        "Rule clause: CE-1 Missing certification".to_string(),
        format!("Rectify before: {local_due}"),
    ] {
        assert!(text.contains(&line), "{line:?} not in:\n{text}");
    }
    assert!(
        html.contains("Lamp &#60;b&#62;Bright&#60;/b&#62; &#38; Co"),
        "escaped in HTML:\n{html}"
    );
    assert!(
        !html.contains("<b>Bright"),
        "seller text never becomes markup"
    );
    assert!(html.contains(&local_due) && html.contains("CE-1 Missing certification"));

    // The delivery log: both delivered, and the Message-ID is the delivery's stable id.
    let sent = deliveries(&app, &owner, "channel=email").await;
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(
        sent.iter()
            .all(|d| d["state"] == "delivered" && d["target"] == "owner@shop.test")
    );
    let ids: Vec<String> = sent
        .iter()
        .map(|d| format!("<{}@marketdesk>", d["id"].as_str().unwrap()))
        .collect();
    assert!(ids.contains(&header("Message-ID")), "{ids:?}");
}

async fn texts_go_at_once_for_red_escalate_unread_and_wait_out_quiet_hours(backend: Backend) {
    let rx = HttpReceiver::start().await;
    let cfg = ChannelConfig {
        sms: Some(SmsConfig {
            url: format!("{}/sms", rx.base),
            token: Some("provider-token".into()),
        }),
        // The setting: call only if the alert is still unread ten minutes on.
        call_if_unread_after: std::time::Duration::from_secs(600),
        ..Default::default()
    };
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let reviewer = app.create_user("reviewer", None).await;
    // The sandbox starts at 15:00 UTC = 10:00 in New York: inside these quiet hours.
    let (s, p) = app
        .put(
            &seller,
            "/api/v1/me/notifications",
            json!({"phone": "+12025550123", "quiet_start": "09:00", "quiet_end": "12:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["time_zone"], "America/New_York");

    let product = app.on_sale(&seller, &store, "Desk Lamp").await;
    let (s, v) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": "CE-1", "details": "No CE marking"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    // Red ignores quiet hours: two texts now.
    let texts = rx.wait_for("sms", 2).await;
    for t in &texts {
        let body: Value = serde_json::from_slice(&t.body).unwrap();
        assert_eq!(body["kind"], "sms");
        assert_eq!(body["to"], "+12025550123");
        assert_eq!(body["severity"], "red");
        assert!(
            body["text"].as_str().unwrap().contains("Desk Lamp"),
            "{body}"
        );
        assert_eq!(t.headers["authorization"], "Bearer provider-token");
    }
    let sms = deliveries(&app, &seller, "channel=sms").await;
    assert_eq!(sms.len(), 2);
    let ids: Vec<&str> = sms.iter().map(|d| d["id"].as_str().unwrap()).collect();
    for t in &texts {
        let body: Value = serde_json::from_slice(&t.body).unwrap();
        assert!(
            ids.contains(&body["message_id"].as_str().unwrap()),
            "the stable id is sent"
        );
    }
    let calls = deliveries(&app, &seller, "channel=voice").await;
    assert_eq!(calls.len(), 2, "each red alert may escalate");
    assert!(
        calls
            .iter()
            .all(|c| c["state"] == "pending" && c["next_attempt_at"] == "2026-11-25T15:10:00Z"),
        "{calls:?}"
    );

    // An admin has voluntary delistings texted too (info): that text waits for 12:00.
    let (s, r) = app
        .put(ADMIN_TOKEN, "/api/v1/admin/notification-rules/product.delisted", json!({"severity": "info", "to_owner": true, "to_staff": true, "to_reviewers": false, "channels": ["inbox", "sms"]}))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let other = app.on_sale(&seller, &store, "Floor Lamp").await;
    let (s, b) = app.delist(&seller, &other, "seasonal").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let held = app
        .wait_for(
            &seller,
            "/api/v1/deliveries?channel=sms&state=pending",
            |b| !b["items"].as_array().unwrap().is_empty(),
        )
        .await;
    assert_eq!(held["items"][0]["event_type"], "product.delisted");
    assert_eq!(
        held["items"][0]["next_attempt_at"], "2026-11-25T17:00:00Z",
        "12:00 in New York"
    );

    // The seller reads the violation report; the takedown notice stays unread.
    let (_, inbox) = app.get(&seller, "/api/v1/inbox").await;
    let report = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["event_type"] == "violation.opened")
        .unwrap();
    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/inbox/{}/read", report["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    app.advance("PT10M").await;
    let calls = app
        .wait_for(&seller, "/api/v1/deliveries?channel=voice", |b| {
            b["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["state"] != "pending")
        })
        .await;
    let state_of = |t: &str| {
        calls["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["event_type"] == t)
            .unwrap()["state"]
            .clone()
    };
    assert_eq!(
        state_of("product.violation_delisted"),
        "delivered",
        "unread: escalated"
    );
    assert_eq!(
        state_of("violation.opened"),
        "cancelled",
        "read in time: no call"
    );
    let voice: Vec<Value> = rx
        .received("sms")
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap())
        .filter(|b| b["kind"] == "voice")
        .collect();
    assert_eq!(voice.len(), 1, "{voice:?}");
    assert_eq!(voice[0]["event_type"], "product.violation_delisted");
    assert!(
        voice[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Urgent, not yet read")
    );
    assert_eq!(
        rx.received("sms").len(),
        3,
        "the held text is still held at 10:10"
    );

    // 12:10 in New York: the held text goes.
    app.advance("PT2H").await;
    let all = rx.wait_for("sms", 4).await;
    let last: Value = serde_json::from_slice(&all[3].body).unwrap();
    assert_eq!(last["event_type"], "product.delisted");
    assert_eq!(last["severity"], "info");
}

/// Seed 000: "APP弹窗+电话外呼双重保障" — the call goes together with the text, at once,
/// whether or not the message has been read.
async fn a_red_alert_places_the_call_with_the_text_by_default(backend: Backend) {
    let rx = HttpReceiver::start().await;
    let cfg = ChannelConfig {
        sms: Some(SmsConfig {
            url: format!("{}/sms", rx.base),
            token: None,
        }),
        ..Default::default()
    };
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (store, seller) = app.seller_store("CN", "self_operated").await;
    let reviewer = app.create_user("reviewer", None).await;
    let (s, p) = app
        .put(
            &seller,
            "/api/v1/me/notifications",
            json!({"phone": "+8613800138000"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let product = app.on_sale(&seller, &store, "台灯").await;
    let (s, v) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": "CE-1", "details": "缺少 CE 认证"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Two red events: two texts and two calls, all without the clock moving.
    let got = rx.wait_for("sms", 4).await;
    let bodies: Vec<Value> = got
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let calls: Vec<&Value> = bodies.iter().filter(|b| b["kind"] == "voice").collect();
    assert_eq!(calls.len(), 2, "{bodies:?}");
    for c in &calls {
        let text = c["text"].as_str().unwrap();
        assert!(
            text.starts_with("紧急：marketdesk："),
            "in the seller's language: {text}"
        );
        assert!(text.contains("台灯"), "{text}");
    }
    let texts: Vec<&Value> = bodies.iter().filter(|b| b["kind"] == "sms").collect();
    assert_eq!(texts.len(), 2);
    assert!(texts.iter().any(|t| {
        t["text"]
            .as_str()
            .unwrap()
            .starts_with("marketdesk：违规通知")
    }));
}
