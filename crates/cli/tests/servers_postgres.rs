//! Several `serve` processes on one PostgreSQL: each deadline fires once, buyers racing
//! through both never oversell, each webhook is sent once.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_fire_each_deadline_once() {
    let Some(server_url) = marketdesk_store::testing::postgres_test_url() else {
        return;
    };
    let url = marketdesk_store::testing::fresh_postgres(&server_url, "md_two")
        .await
        .unwrap();
    let db = Db::Url(url.clone());
    let c = marketdesk_store::tls::client();
    let a = serve(&db);
    let b = serve(&db);
    let n = 300;
    let products = takedowns(&c, &a.base, n).await;
    clock_advance(&db, "PT25H");
    wait_overdue(&c, &b.base, n as i64).await;
    assert_escalated_once(&c, &a.base, &products).await;

    sqlx::any::install_default_drivers();
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT fired_by, count(*) FROM deadlines
         WHERE state = 'fired' AND kind = 'rectification' GROUP BY fired_by",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let total: i64 = rows.iter().map(|r| r.1).sum();
    assert_eq!(total, n as i64, "each deadline fired once: {rows:?}");
    // The store's daily inspection fired once and scheduled the next run once.
    let (daily,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM deadlines WHERE kind = 'monitoring.daily_inspection' AND state = 'pending'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(daily, 1, "one pending daily run per store");
    eprintln!("deadlines fired per process: {rows:?}");
    conn.close().await.unwrap();
    drop((a, b));
    marketdesk_store::testing::drop_postgres(&server_url, &url)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_never_oversell() {
    let Some(server_url) = marketdesk_store::testing::postgres_test_url() else {
        return;
    };
    let url = marketdesk_store::testing::fresh_postgres(&server_url, "md_race")
        .await
        .unwrap();
    let db = Db::Url(url.clone());
    let c = marketdesk_store::tls::client();
    let a = serve(&db);
    let b = serve(&db);
    let store = call(
        &c,
        "POST",
        format!("{}/api/v1/stores", a.base),
        ADMIN,
        json!({"name": "Race", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let sid = store["id"].as_str().unwrap().to_string();
    let p = call(&c, "POST", format!("{}/api/v1/stores/{sid}/products", a.base), ADMIN, json!({"title": "Last units", "category": "toys", "skus": [{"code": "RACE-1", "price": "5.00", "stock": 10}]})).await;
    let pid = p["id"].as_str().unwrap().to_string();
    let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
    call(
        &c,
        "POST",
        format!("{}/api/v1/products/{pid}/list", a.base),
        ADMIN,
        json!({}),
    )
    .await;

    let mut tasks = Vec::new();
    for i in 0..64 {
        let base = if i % 2 == 0 {
            a.base.clone()
        } else {
            b.base.clone()
        };
        let (c, sid, sku) = (c.clone(), sid.clone(), sku.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({"store_id": sid, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "5.00"}]});
            c.post(format!("{base}/api/v1/orders")).bearer_auth(ADMIN).json(&body).send().await.unwrap().status().as_u16()
        }));
    }
    let mut sold = 0;
    for t in tasks {
        match t.await.unwrap() {
            201 => sold += 1,
            409 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(
        sold, 10,
        "exactly the units available, across two processes"
    );
    let f = call(
        &c,
        "GET",
        format!("{}/api/v1/skus/{sku}/stock", b.base),
        ADMIN,
        Value::Null,
    )
    .await;
    assert_eq!(
        (f["reserved"].as_i64(), f["available"].as_i64()),
        (Some(10), Some(0))
    );
    let ledger = call(
        &c,
        "GET",
        format!("{}/api/v1/skus/{sku}/ledger", a.base),
        ADMIN,
        Value::Null,
    )
    .await;
    let reservations = ledger["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "reservation")
        .count();
    assert_eq!(reservations, 10);
    drop((a, b));
    marketdesk_store::testing::drop_postgres(&server_url, &url)
        .await
        .unwrap();
}

/// Two `serve` processes on one PostgreSQL share the dispatcher's and the sender's work:
/// 200 delist events reach a store's webhook receiver, each once, under its own id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_send_each_webhook_once() {
    let Some(server_url) = marketdesk_store::testing::postgres_test_url() else {
        return;
    };
    use std::sync::{Arc, Mutex};
    let got: Arc<Mutex<Vec<String>>> = Arc::default();
    let receiver = {
        let got = got.clone();
        axum::Router::new().route(
            "/hook",
            axum::routing::post(move |headers: axum::http::HeaderMap| {
                let got = got.clone();
                async move {
                    let id = headers["webhook-id"].to_str().unwrap().to_string();
                    got.lock().unwrap().push(id);
                    axum::http::StatusCode::NO_CONTENT
                }
            }),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await.unwrap() });

    let url = marketdesk_store::testing::fresh_postgres(&server_url, "md_hooks")
        .await
        .unwrap();
    let db = Db::Url(url.clone());
    let c = marketdesk_store::tls::client();
    // The receiver is on this machine.
    let env = [("MARKETDESK_NOTIFY__ALLOW_PRIVATE_TARGETS", "true")];
    let a = serve_env(&db, &env);
    let b = serve_env(&db, &env);
    let store = call(
        &c,
        "POST",
        format!("{}/api/v1/stores", a.base),
        ADMIN,
        json!({"name": "S", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let sid = store["id"].as_str().unwrap().to_string();
    call(
        &c,
        "POST",
        format!("{}/api/v1/stores/{sid}/webhooks", b.base),
        ADMIN,
        json!({"url": hook, "event_types": ["product.delisted"]}),
    )
    .await;
    let n = 200;
    let mut products = Vec::new();
    for i in 0..n {
        let body = json!({"title": format!("P{i}"), "category": "toys", "skus": [{"code": format!("W-{i}"), "price": "1.00", "stock": 1}]});
        let p = call(
            &c,
            "POST",
            format!("{}/api/v1/stores/{sid}/products", a.base),
            ADMIN,
            body,
        )
        .await;
        let id = p["id"].as_str().unwrap().to_string();
        call(
            &c,
            "POST",
            format!("{}/api/v1/products/{id}/list", b.base),
            ADMIN,
            json!({}),
        )
        .await;
        products.push(id);
    }
    // Half the delists through each process.
    for (i, id) in products.iter().enumerate() {
        let base = if i % 2 == 0 { &a.base } else { &b.base };
        call(
            &c,
            "POST",
            format!("{base}/api/v1/products/{id}/delist"),
            ADMIN,
            json!({"reason_code": "seasonal", "reason_text": "x"}),
        )
        .await;
    }
    let started = Instant::now();
    while got.lock().unwrap().len() < n {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{} of {n} webhooks",
            got.lock().unwrap().len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Every delivery settled (none pending or leased), read from the database: nothing is
    // left that could still be sent a second time.
    {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        loop {
            let open: i64 = sqlx::query_scalar(
                "SELECT (SELECT count(*) FROM deliveries WHERE channel = 'webhook' AND state = 'pending')
                      + (SELECT count(*) FROM outbox WHERE dispatched_at IS NULL)",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
            if open == 0 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{open} deliveries open"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let delivered: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM deliveries WHERE channel = 'webhook' AND state = 'delivered'",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        assert_eq!(delivered, n as i64);
        conn.close().await.unwrap();
    }
    let ids = got.lock().unwrap().clone();
    let distinct: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), n, "nothing sent twice");
    assert_eq!(distinct.len(), n);
    drop((a, b));
    marketdesk_store::testing::drop_postgres(&server_url, &url)
        .await
        .unwrap();
}
