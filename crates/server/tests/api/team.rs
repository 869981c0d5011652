//! 子账号 through a real SMTP server: the owner invites by e-mail, the link opens the join
//! form once, the new member sees only their team role's part of the console, links
//! withdrawn or expired are refused, and a disabled member is signed out at once.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use serde_json::{Value, json};

use crate::channel_receivers::SmtpServer;
use crate::console::{browser, cookie_value, csrf_of, page};
use crate::helpers::{Backend, TestApp, fields};
use marketdesk_service::channel_config::ChannelConfig;

crate::on_each_backend!(an_owner_invites_a_member_who_sees_only_their_part);

const PASSWORD: &str = "a long enough passphrase";

/// The invitation link in the one mail to `to`.
async fn link_mailed_to(smtp: &SmtpServer, n: usize, to: &str) -> (String, String) {
    let raw = smtp.wait_for(n).await;
    let mails: Vec<_> = raw
        .iter()
        .map(|r| mailparse::parse_mail(r).unwrap())
        .filter(|m| {
            m.headers
                .iter()
                .any(|h| h.get_key() == "To" && h.get_value() == to)
        })
        .collect();
    assert_eq!(mails.len(), 1, "one invitation to {to}");
    let subject = mails[0]
        .headers
        .iter()
        .find(|h| h.get_key() == "Subject")
        .unwrap()
        .get_value();
    let body = mails[0].get_body().unwrap();
    let at = body.find("http://").expect("a link in the mail");
    let link: String = body[at..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    (subject, link)
}

/// Joins through the form a browser without JavaScript sends; the session cookie.
async fn join(link: &str, name: &str, login: &str) -> Result<String, (StatusCode, String)> {
    let b = browser();
    let res = b.get(link).send().await.unwrap();
    if res.status() != StatusCode::OK {
        let s = res.status();
        return Err((s, res.text().await.unwrap()));
    }
    let csrf_cookie = cookie_value(&res, "marketdesk_login_csrf").unwrap();
    let csrf_cookie = csrf_cookie.split(';').next().unwrap().to_string();
    let token = csrf_of(&res.text().await.unwrap());
    let res = b
        .post(link)
        .header(COOKIE, &csrf_cookie)
        .form(&[
            ("csrf_token", token.as_str()),
            ("name", name),
            ("login", login),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    if res.status() != StatusCode::SEE_OTHER {
        let s = res.status();
        return Err((s, res.text().await.unwrap()));
    }
    let set = cookie_value(&res, "marketdesk_session").expect("signed in on joining");
    Ok(set.split(';').next().unwrap().to_string())
}

async fn an_owner_invites_a_member_who_sees_only_their_part(backend: Backend) {
    let smtp = SmtpServer::start();
    let cfg = ChannelConfig {
        smtp: Some(smtp.config()),
        ..Default::default()
    };
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (store, owner) = app.seller_store("US", "self_operated").await;
    let (_, st) = app.get(&owner, &format!("/api/v1/stores/{store}")).await;
    let store_name = st["name"].as_str().unwrap().to_string();
    let invitations = format!("/api/v1/stores/{store}/team/invitations");

    let (s, e) = app
        .post(
            &owner,
            &invitations,
            json!({"email": "not an address", "team_role": "boss"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["email", "team_role"]);
    let (s, sent) = app
        .post(
            &owner,
            &invitations,
            json!({"email": " Cai@Shop.TEST ", "team_role": "customer_service"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{sent}");
    assert_eq!(sent["emailed"], true, "{sent}");
    assert_eq!(sent["link"], Value::Null, "an e-mailed link is not shown");
    assert_eq!(sent["invitation"]["email"], "cai@shop.test");
    assert_eq!(sent["invitation"]["state"], "pending");
    let (subject, link) = link_mailed_to(&smtp, 1, "cai@shop.test").await;
    assert!(subject.contains(&store_name), "{subject}");
    assert!(link.starts_with(&app.url("/join/mdi_")), "{link}");

    // The link's page names the store and the role; joining signs the member in.
    let (s, html) = page(&app, "", link.strip_prefix(&app.base).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Customer service (after-sales)") && html.contains(&store_name));
    let (s, e) = join(&link, "Cai Kefu", "x").await.unwrap_err();
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e.contains("login:"), "the field is named: {e}");
    let cai = join(&link, "Cai Kefu", "cai").await.unwrap();
    let (s, _) = page(&app, &cai, "/aftersales").await;
    assert_eq!(s, StatusCode::OK, "customer service sees after-sales");
    let (s, html) = page(&app, &cai, "/products").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "and not the products: {html}");
    assert!(
        html.contains("customer_service does not include products"),
        "{html}"
    );
    for path in ["/stock", "/team"] {
        assert_eq!(
            page(&app, &cai, path).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let (_, html) = page(&app, &cai, "/inbox").await;
    assert!(!html.contains("href=\"/products\"") && html.contains("href=\"/aftersales\""));
    let res = browser()
        .get(app.url("/"))
        .header(COOKIE, &cai)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()[LOCATION],
        "/aftersales",
        "a member starts where they work"
    );
    // Told only about their part: a takedown reaches the owner's inbox, not customer
    // service's.
    let reviewer = app.create_user("reviewer", None).await;
    let kite = app.on_sale(&owner, &store, "Kite").await;
    let (s, v) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{kite}/violations"),
            json!({"rule_code": "CE-1", "details": "no CE mark"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    app.dispatch_all().await;
    let (_, inbox) = app.get(&owner, "/api/v1/inbox").await;
    assert!(!inbox["items"].as_array().unwrap().is_empty(), "{inbox}");
    let (_, html) = page(&app, &cai, "/inbox").await;
    assert!(html.contains("No messages."), "{html}");
    // Used once.
    let (s, e) = join(&link, "Someone Else", "cai2").await.unwrap_err();
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(e.contains("already been used"), "{e}");

    let (s, team) = app
        .get(&owner, &format!("/api/v1/stores/{store}/team"))
        .await;
    assert_eq!(s, StatusCode::OK, "{team}");
    let members = team["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[0]["team_role"], "owner", "the store's first seller");
    assert_eq!(members[1]["name"], "Cai Kefu");
    assert_eq!(members[1]["team_role"], "customer_service");
    assert_eq!(
        members[1]["email"], "cai@shop.test",
        "notifications reach the member"
    );
    assert_eq!(team["invitations"][0]["state"], "accepted");
    let cai_id = members[1]["id"].as_str().unwrap().to_string();

    // A withdrawn link, and an expired one.
    let (_, ops) = app
        .post(
            &owner,
            &invitations,
            json!({"email": "ops@shop.test", "team_role": "operations"}),
        )
        .await;
    let (_, ops_link) = link_mailed_to(&smtp, 2, "ops@shop.test").await;
    let revoke = format!(
        "/api/v1/team/invitations/{}/revoke",
        ops["invitation"]["id"].as_str().unwrap()
    );
    let (s, _) = app.post(&owner, &revoke, json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.post(&owner, &revoke, json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "withdrawn once");
    let (s, e) = join(&ops_link, "Ops", "ops").await.unwrap_err();
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(e.contains("withdrawn"), "{e}");
    app.post(
        &owner,
        &invitations,
        json!({"email": "fin@shop.test", "team_role": "finance"}),
    )
    .await;
    let (_, fin_link) = link_mailed_to(&smtp, 3, "fin@shop.test").await;
    app.advance("PT72H").await;
    let (s, e) = join(&fin_link, "Fin", "fin").await.unwrap_err();
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(e.contains("expired"), "{e}");
    let (_, team) = app
        .get(&owner, &format!("/api/v1/stores/{store}/team"))
        .await;
    let states: Vec<&str> = team["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["expired", "revoked", "accepted"]);

    // Only the owner manages the team, and only their own store's.
    let (other_store, other_owner) = app.seller_store("US", "self_operated").await;
    let disable = format!("/api/v1/team/members/{cai_id}/disable");
    let (s, _) = app.post(&other_owner, &disable, json!({})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .get(&other_owner, &format!("/api/v1/stores/{store}/team"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, other_team) = app
        .get(&other_owner, &format!("/api/v1/stores/{other_store}/team"))
        .await;
    let (s, _) = app
        .post(
            &other_owner,
            &format!(
                "/api/v1/team/members/{}/disable",
                other_team["members"][0]["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "not your own account");

    // Disabled: the member's open session ends at once.
    let (s, _) = app.post(&owner, &disable, json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let res = browser()
        .get(app.url("/aftersales"))
        .header(COOKIE, &cai)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/login");
    let (s, _) = app.post(&owner, &disable, json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "already disabled");
    let (_, team) = app
        .get(&owner, &format!("/api/v1/stores/{store}/team"))
        .await;
    assert!(team["members"][1]["disabled_at"].is_string(), "{team}");
}
