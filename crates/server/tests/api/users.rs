//! The account list, for admins only: filters by role and store, newest first, and never
//! shows a token.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{ADMIN_TOKEN, TestApp, fields};

crate::on_both_backends!(admins_list_accounts_by_role_and_store);

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["role"].as_str().unwrap().to_string())
        .collect()
}

async fn admins_list_accounts_by_role_and_store(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    app.create_user("seller", Some(&store)).await;
    let reviewer = app.create_user("reviewer", None).await;

    let (s, sellers) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/users?store_id={store}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{sellers}");
    assert_eq!(names(&sellers), ["seller", "seller"]);
    let (_, reviewers) = app.get(ADMIN_TOKEN, "/api/v1/users?role=reviewer").await;
    assert_eq!(names(&reviewers), ["reviewer"]);
    let (_, page) = app.get(ADMIN_TOKEN, "/api/v1/users?limit=1").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["role"], "reviewer", "newest first");
    let cursor = page["next_cursor"].as_str().unwrap();
    let (_, rest) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/users?cursor={cursor}"))
        .await;
    assert!(rest["items"].as_array().unwrap().len() >= 2, "{rest}");
    let text = rest.to_string();
    assert!(
        !text.contains("token") && !text.contains("hash"),
        "no secret listed: {text}"
    );

    let (s, e) = app.get(ADMIN_TOKEN, "/api/v1/users?role=boss").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&e), ["role"]);
    for token in [&seller, &reviewer] {
        let (s, _) = app.get(token, "/api/v1/users").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "only admins list accounts");
    }
}
