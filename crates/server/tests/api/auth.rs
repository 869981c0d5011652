//! Tokens: required on every /api/v1 call, shown once, stored hashed.

use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

use crate::helpers::{ADMIN_TOKEN, TestApp, read};

crate::on_both_backends!(tokens_are_required_and_stored_hashed);

async fn tokens_are_required_and_stored_hashed(app: TestApp) {
    for path in ["/api/v1/stores", "/api/v1/sites"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.headers().get("www-authenticate").unwrap(), "Bearer");
        let (s, _) = read(res).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path} without a token");
        let (s, _) = app.get("mdk_not-a-real-token", path).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path} with a wrong token");
    }
    let (s, _) = app
        .post(
            "wrong",
            "/api/v1/stores",
            json!({"name": "x", "site": "US", "fulfilment_mode": "self_operated"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // The scheme is case-insensitive; a token without one is not a credential.
    for (header, want) in [
        (format!("bearer {ADMIN_TOKEN}"), StatusCode::OK),
        (format!("BEARER {ADMIN_TOKEN}"), StatusCode::OK),
        (format!("Basic {ADMIN_TOKEN}"), StatusCode::UNAUTHORIZED),
        (ADMIN_TOKEN.to_string(), StatusCode::UNAUTHORIZED),
    ] {
        let res = app
            .client
            .get(app.url("/api/v1/sites"))
            .header("authorization", &header)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), want, "{header}");
    }
    let (s, _) = app.get(ADMIN_TOKEN, "/healthz").await;
    assert_eq!(s, StatusCode::OK, "health needs no token");

    let (store, seller) = app.seller_store("FR", "semi_managed").await;
    let (s, me) = app.get(&seller, &format!("/api/v1/stores/{store}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["site"], "FR");
    let (_, sites) = app.get(&seller, "/api/v1/sites").await;
    let codes: Vec<&str> = sites
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CN", "DE", "ES", "FR", "IT", "UK", "US"]);

    // Neither token is anywhere in the database in clear.
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    let hashes: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_all(&mut c)
        .await
        .unwrap();
    assert_eq!(hashes.len(), 2);
    for h in &hashes {
        assert_ne!(h, ADMIN_TOKEN);
        assert_ne!(h, &seller);
        assert_eq!(h.len(), 64, "a SHA-256 hex digest");
    }
    // The timeline is history: the database refuses to rewrite or delete it.
    let id = app.on_sale(&seller, &store, "Immutable").await;
    let rows = app.timeline(&seller, &id).await.len();
    let update = sqlx::query("UPDATE timeline SET action = 'forged' WHERE product_id = $1")
        .bind(&id)
        .execute(&mut c)
        .await;
    assert!(update.is_err(), "a timeline update must fail");
    let delete = sqlx::query("DELETE FROM timeline WHERE product_id = $1")
        .bind(&id)
        .execute(&mut c)
        .await;
    assert!(delete.is_err(), "a timeline delete must fail");
    assert_eq!(app.timeline(&seller, &id).await.len(), rows);
    c.close().await.unwrap();
}
