//! Tokens as things of their own: named, expiring, listed with their last use, revoked
//! one at a time — and failed authentications slowed down per address.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp, read};

crate::on_both_backends!(tokens_are_named_listed_expire_and_revoke_alone);
crate::on_both_backends!(failed_authentications_are_throttled_per_address);

/// The new seller's (user id, token).
async fn seller(app: &TestApp, store: &str) -> (String, String) {
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/users",
            json!({"name": "integration owner", "role": "seller", "store_id": store}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    (
        b["id"].as_str().unwrap().to_string(),
        b["token"].as_str().unwrap().to_string(),
    )
}

async fn tokens_are_named_listed_expire_and_revoke_alone(app: TestApp) {
    let store = app.create_store("US", "self_operated").await;
    let (user, first) = seller(&app, &store).await;
    let (other_user, other) = seller(&app, &store).await;

    // The seller issues a second token for an integration, expiring in an hour.
    let expires = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1)).to_string();
    let (s, issued) = app
        .post(
            &first,
            &format!("/api/v1/users/{user}/tokens"),
            json!({"name": "ERP sync", "expires_at": expires}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{issued}");
    let second = issued["token"].as_str().unwrap().to_string();
    let second_id = issued["id"].as_str().unwrap().to_string();
    assert!(second.starts_with("mdk_"));
    assert_eq!(issued["name"], "ERP sync");

    // Bad input is named; nothing is issued.
    for (body, field) in [
        (json!({"name": "  "}), "name"),
        (json!({"name": "x", "expires_at": "tomorrow"}), "expires_at"),
        (
            json!({"name": "x", "expires_at": "2020-01-01T00:00:00Z"}),
            "expires_at",
        ),
    ] {
        let (s, p) = app
            .post(&first, &format!("/api/v1/users/{user}/tokens"), body)
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(crate::helpers::fields(&p), [field]);
    }

    // Used, it shows when; listing never shows a token or its hash.
    let (s, _) = app.get(&second, "/api/v1/sites").await;
    assert_eq!(s, StatusCode::OK);
    let listed = loop {
        let (s, list) = app
            .get(&first, &format!("/api/v1/users/{user}/tokens"))
            .await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let erp = list
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == second_id.as_str())
            .cloned()
            .unwrap();
        if !erp["last_used_at"].is_null() {
            break list;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let text = listed.to_string();
    assert!(!text.contains(&second) && !text.contains(&first));
    assert!(!text.contains("hash"), "{text}");
    let erp = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == second_id.as_str())
        .unwrap();
    assert_eq!(erp["expires_at"].as_str().unwrap()[..16], expires[..16]);

    // Another seller of the same store cannot see or revoke this account's tokens.
    let (s, _) = app
        .get(&other, &format!("/api/v1/users/{user}/tokens"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .delete(&other, &format!("/api/v1/tokens/{second_id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.get(&second, "/api/v1/sites").await;
    assert_eq!(s, StatusCode::OK, "the token still works");

    // Revoked, it stops at once (though it was just resolved and remembered); the
    // account's first token goes on working.
    let (s, _) = app
        .delete(&first, &format!("/api/v1/tokens/{second_id}"))
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, p) = app.get(&second, "/api/v1/sites").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{p}");
    let (s, _) = app.get(&first, "/api/v1/sites").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app
        .delete(&first, &format!("/api/v1/tokens/{second_id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "revoked once");

    // An admin issues a token that has already run out by the time it is used: the
    // service's clock decides, so an expiry a second away is past after a short wait.
    let soon = (jiff::Timestamp::now() + jiff::SignedDuration::from_millis(1200)).to_string();
    let (s, short) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/users/{other_user}/tokens"),
            json!({"name": "one-off", "expires_at": soon}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{short}");
    let short = short["token"].as_str().unwrap();
    let (s, _) = app.get(short, "/api/v1/sites").await;
    assert_eq!(s, StatusCode::OK, "valid before its expiry");
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let (s, p) = app.get(short, "/api/v1/sites").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{p}");
    assert!(p["detail"].as_str().unwrap().contains("expired"), "{p}");

    // A disabled account's tokens stop, and it gets no new one.
    let (s, _) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/users/{user}/disable"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app.get(&first, "/api/v1/sites").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, p) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/users/{user}/tokens"),
            json!({"name": "again"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
}

async fn failed_authentications_are_throttled_per_address(app: TestApp) {
    let mut statuses = Vec::new();
    for i in 0..25 {
        let (s, _) = app.get(&format!("mdk_guess_{i}"), "/api/v1/sites").await;
        statuses.push(s);
    }
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert!((20..=21).contains(&refused), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS));
    // While blocked, even the right token is not looked up.
    let res = app
        .client
        .get(app.url("/api/v1/sites"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3).contains(&wait), "Retry-After {wait}");
    let (s, p) = read(res).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(p["status"], 429);
    // The budget refills: after the wait, the right token works again.
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    let (s, _) = app.get(ADMIN_TOKEN, "/api/v1/sites").await;
    assert_eq!(s, StatusCode::OK);
}
