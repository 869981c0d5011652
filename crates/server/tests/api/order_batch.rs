//! Group commit: an order whose transaction fails after it reserved stock must not be
//! committed with the rest of its batch while its client is told it was refused.

use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

use crate::helpers::{ADMIN_TOKEN, Backend, TestApp, hold_first_update};

/// The last unit sells and the product should be delisted protectively, but the seller
/// delists it voluntarily in the instant between the order's read of the product and its
/// update (a statement trigger holds the order there, on PostgreSQL). The order's stock
/// follow-up then meets a product changed meanwhile. Whatever the client is answered must
/// be what the database holds: a refused order leaves no order, no reservation and no
/// ledger row; an accepted one leaves all three.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_order_refused_after_reserving_is_not_committed_by_its_batch() {
    let Some(backend) = Backend::postgres() else {
        return;
    };
    let app = TestApp::spawn(backend).await;
    sqlx::any::install_default_drivers();
    let mut db = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    hold_first_update(&mut db, "test_hold", "products", 0.8).await;
    let (store, seller) = app.seller_store("US", "self_operated").await;
    for round in 0..3 {
        let p = app
            .post(&seller, &format!("/api/v1/stores/{store}/products"), json!({"title": format!("Last one {round}"), "category": "toys", "skus": [{"code": format!("LAST-{round}"), "price": "9.90", "stock": 1}]}))
            .await
            .1;
        let pid = p["id"].as_str().unwrap().to_string();
        let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
        let (s, b) = app
            .post(&seller, &format!("/api/v1/products/{pid}/list"), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        sqlx::query("SELECT setval('test_hold_seq', 1, false)")
            .execute(&mut db)
            .await
            .unwrap();
        let order = {
            let app_base = app.base.clone();
            let client = app.client.clone();
            let body = json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.90"}]});
            tokio::spawn(async move {
                let res = client
                    .post(format!("{app_base}/api/v1/orders"))
                    .bearer_auth(ADMIN_TOKEN)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                let body: serde_json::Value = res.json().await.unwrap();
                (status, body)
            })
        };
        // The order is now held inside its protective delist; the seller's delist
        // commits first.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let (s, b) = app.delist(&seller, &pid, "seasonal").await;
        assert_eq!(s, StatusCode::OK, "{b}");
        let (status, answer) = order.await.unwrap();
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM order_lines WHERE sku_id = $1")
            .bind(&sku)
            .fetch_one(&mut db)
            .await
            .unwrap();
        let reservations: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM stock_movements WHERE sku_id = $1 AND kind = 'reservation'",
        )
        .bind(&sku)
        .fetch_one(&mut db)
        .await
        .unwrap();
        let (_, stock) = app.get(&seller, &format!("/api/v1/skus/{sku}/stock")).await;
        match status {
            StatusCode::CREATED => {
                assert_eq!((orders, reservations), (1, 1), "{answer}");
                assert_eq!(stock["reserved"], 1, "{stock}");
            }
            StatusCode::CONFLICT => {
                assert_eq!(
                    (orders, reservations),
                    (0, 0),
                    "refused with {answer}, yet committed"
                );
                assert_eq!(stock["reserved"], 0, "{stock}");
            }
            other => panic!("unexpected {other}: {answer}"),
        }
    }
}
