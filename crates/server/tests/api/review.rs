//! Fully-managed stores: listings and relists wait for the platform's review.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, fields};

crate::on_both_backends!(fully_managed_listing_is_reviewed);

async fn fully_managed_listing_is_reviewed(app: TestApp) {
    let (store, seller) = app.seller_store("DE", "fully_managed").await;
    let reviewer = app.create_user("reviewer", None).await;
    let p = app.create_product(&seller, &store, "Holzpuzzle").await;
    let id = p["id"].as_str().unwrap();

    let (s, pending) = app
        .post(&seller, &format!("/api/v1/products/{id}/list"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(pending["state"], "pending_review");
    assert_eq!(pending["label"], serde_json::Value::Null);

    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/products/{id}/review/approve"),
            json!({}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a seller cannot approve their own listing"
    );

    let (s, problem) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{id}/review/reject"),
            json!({}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejection needs a note"
    );
    assert_eq!(fields(&problem), ["reason_text"]);

    let (s, back) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{id}/review/reject"),
            json!({"reason_text": "Main image is blurry"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{back}");
    assert_eq!(
        back["state"], "draft",
        "a rejected listing goes back where it was"
    );

    app.post(&seller, &format!("/api/v1/products/{id}/list"), json!({}))
        .await;
    let (s, approved) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{id}/review/approve"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(approved["state"], "on_sale");

    // Relisting a voluntary delist goes through review too, and a rejection returns it
    // to its delist with the original reason.
    app.delist(&seller, id, "seasonal").await;
    let (_, relist) = app
        .post(&seller, &format!("/api/v1/products/{id}/relist"), json!({}))
        .await;
    assert_eq!(relist["state"], "pending_review");
    let (_, rejected) = app
        .post(
            &reviewer,
            &format!("/api/v1/products/{id}/review/reject"),
            json!({"reason_text": "Still out of season"}),
        )
        .await;
    assert_eq!(rejected["state"], "delisted");
    assert_eq!(rejected["delist_kind"], "voluntary");
    assert_eq!(rejected["reason_code"], "seasonal");

    let timeline = app.timeline(&seller, id).await;
    let reject = timeline
        .iter()
        .find(|t| t["action"] == "reject_review")
        .unwrap();
    assert_eq!(reject["reason_text"], "Main image is blurry");
    assert_eq!(reject["actor_role"], "reviewer");
}
