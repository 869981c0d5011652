//! Fault drill: SIGKILL under a mixed load — buyers placing orders, the seller delisting
//! and relisting, the seller approving cancellation requests — on SQLite and PostgreSQL.
//! After a restart every acknowledged write is there, and every SKU's stock ledger
//! replays to its stored figures (available never below zero).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

mod common;
use common::*;

async fn send(
    c: &reqwest::Client,
    method: &str,
    url: String,
    token: &str,
    body: Value,
) -> Option<(u16, Value)> {
    let req = match method {
        "GET" => c.get(url),
        _ => c.post(url).json(&body),
    };
    let res = req
        .bearer_auth(token)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?;
    let status = res.status().as_u16();
    Some((status, res.json().await.unwrap_or(Value::Null)))
}

#[derive(Default)]
struct Acked {
    orders: Vec<String>,
    /// (product, state it was left in)
    moves: Vec<(String, &'static str)>,
    decided: Vec<String>,
}

struct World {
    store: String,
    seller: String,
    products: Vec<(String, String)>,
    cases: Vec<String>,
}

async fn world(c: &reqwest::Client, b: &str) -> World {
    let store = call(
        c,
        "POST",
        format!("{b}/api/v1/stores"),
        ADMIN,
        json!({"name": "Killed", "site": "US", "fulfilment_mode": "self_operated"}),
    )
    .await;
    let store = store["id"].as_str().unwrap().to_string();
    let seller = call(
        c,
        "POST",
        format!("{b}/api/v1/users"),
        ADMIN,
        json!({"name": "seller", "role": "seller", "store_id": store}),
    )
    .await;
    let seller = seller["token"].as_str().unwrap().to_string();
    let cs = call(
        c,
        "POST",
        format!("{b}/api/v1/users"),
        ADMIN,
        json!({"name": "cs", "role": "cs_agent"}),
    )
    .await;
    let cs = cs["token"].as_str().unwrap().to_string();
    let mut products = Vec::new();
    for i in 0..6 {
        let p = call(
            c,
            "POST",
            format!("{b}/api/v1/stores/{store}/products"),
            &seller,
            json!({"title": format!("Kettle {i}"), "category": "home_kitchen",
                   "skus": [{"code": format!("K-{i}"), "price": "9.00", "stock": 500}]}),
        )
        .await;
        let id = p["id"].as_str().unwrap().to_string();
        let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
        call(
            c,
            "POST",
            format!("{b}/api/v1/products/{id}/list"),
            &seller,
            json!({}),
        )
        .await;
        products.push((id, sku));
    }
    // Cancellation requests waiting for the seller, on orders of the first product.
    let mut cases = Vec::new();
    for _ in 0..60 {
        let o = call(c, "POST", format!("{b}/api/v1/orders"), ADMIN,
            json!({"store_id": store, "lines": [{"sku_id": products[0].1, "quantity": 2, "unit_price": "9.00"}]})).await;
        let case = call(
            c,
            "POST",
            format!("{b}/api/v1/aftersales"),
            &cs,
            json!({"order_id": o["id"], "type": "cancellation", "reason": "ordered twice"}),
        )
        .await;
        cases.push(case["id"].as_str().unwrap().to_string());
    }
    World {
        store,
        seller,
        products,
        cases,
    }
}

async fn drill(db: Db) {
    let mut server = serve(&db);
    let c = marketdesk_store::tls::client();
    let b = server.base.clone();
    let w = Arc::new(world(&c, &b).await);
    let acked = Arc::new(Mutex::new(Acked::default()));
    let mut load = Vec::new();
    // Buyers: orders of one unit on products 1 and 2.
    for buyer in 0..3 {
        let (c, b, w, acked) = (c.clone(), b.clone(), w.clone(), acked.clone());
        load.push(tokio::spawn(async move {
            for i in 0.. {
                let sku = &w.products[1 + (buyer + i) % 2].1;
                let body = json!({"store_id": w.store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.00"}]});
                match send(&c, "POST", format!("{b}/api/v1/orders"), ADMIN, body).await {
                    Some((201, o)) => acked.lock().unwrap().orders.push(o["id"].as_str().unwrap().to_string()),
                    Some(_) => {}
                    None => return,
                }
            }
        }));
    }
    // The seller delists and relists products 3 to 5, one move at a time.
    {
        let (c, b, w, acked) = (c.clone(), b.clone(), w.clone(), acked.clone());
        load.push(tokio::spawn(async move {
            for i in 0.. {
                let id = &w.products[3 + i % 3].0;
                let (path, body, state) = if (i / 3) % 2 == 0 {
                    (
                        "delist",
                        json!({"reason_code": "seasonal", "reason_text": "drill"}),
                        "delisted",
                    )
                } else {
                    ("relist", json!({}), "on_sale")
                };
                match send(
                    &c,
                    "POST",
                    format!("{b}/api/v1/products/{id}/{path}"),
                    &w.seller,
                    body,
                )
                .await
                {
                    Some((200, _)) => acked.lock().unwrap().moves.push((id.clone(), state)),
                    Some((s, v)) => panic!("{path} {id}: {s} {v}"),
                    None => return,
                }
            }
        }));
    }
    // The seller approves the cancellation requests.
    {
        let (c, b, w, acked) = (c.clone(), b.clone(), w.clone(), acked.clone());
        load.push(tokio::spawn(async move {
            for id in &w.cases {
                match send(
                    &c,
                    "POST",
                    format!("{b}/api/v1/aftersales/{id}/decision"),
                    &w.seller,
                    json!({"approve": true, "note": "cancelled"}),
                )
                .await
                {
                    Some((200, _)) => acked.lock().unwrap().decided.push(id.clone()),
                    Some((s, v)) => panic!("decision {id}: {s} {v}"),
                    None => return,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    drop(server);
    for l in load {
        l.await.unwrap();
    }
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    eprintln!(
        "killed with {} orders, {} moves, {} decisions acknowledged",
        acked.orders.len(),
        acked.moves.len(),
        acked.decided.len()
    );
    assert!(!acked.orders.is_empty() && !acked.moves.is_empty() && !acked.decided.is_empty());

    let server = serve(&db);
    let b = server.base.clone();
    for id in &acked.orders {
        let (s, _) = send(
            &c,
            "GET",
            format!("{b}/api/v1/orders/{id}"),
            ADMIN,
            Value::Null,
        )
        .await
        .unwrap();
        assert_eq!(s, 200, "acknowledged order {id} is gone");
    }
    for id in &acked.decided {
        let (_, case) = send(
            &c,
            "GET",
            format!("{b}/api/v1/aftersales/{id}"),
            ADMIN,
            Value::Null,
        )
        .await
        .unwrap();
        assert_ne!(
            case["state"], "awaiting_seller",
            "acknowledged decision lost: {case}"
        );
    }
    // Each product's last acknowledged move holds; the one move in flight at the kill
    // (the seller's moves go one at a time) may have committed unanswered.
    let n = acked.moves.len();
    let in_flight = (
        &w.products[3 + n % 3].0,
        if (n / 3) % 2 == 0 {
            "delisted"
        } else {
            "on_sale"
        },
    );
    for (id, _) in &w.products[3..] {
        let Some((_, last)) = acked.moves.iter().rev().find(|(p, _)| p == id) else {
            continue;
        };
        let (_, p) = send(
            &c,
            "GET",
            format!("{b}/api/v1/products/{id}"),
            ADMIN,
            Value::Null,
        )
        .await
        .unwrap();
        let ok = p["state"] == *last || (id == in_flight.0 && p["state"] == in_flight.1);
        assert!(ok, "{id}: {} after an acknowledged {last}", p["state"]);
    }
    // Every ledger replays to its figures.
    for (_, sku) in &w.products {
        let (_, f) = send(
            &c,
            "GET",
            format!("{b}/api/v1/skus/{sku}/stock"),
            ADMIN,
            Value::Null,
        )
        .await
        .unwrap();
        let (_, ledger) = send(
            &c,
            "GET",
            format!("{b}/api/v1/skus/{sku}/ledger"),
            ADMIN,
            Value::Null,
        )
        .await
        .unwrap();
        let (mut h, mut r) = (0, 0);
        for m in ledger["items"].as_array().unwrap() {
            h += m["on_hand_delta"].as_i64().unwrap();
            r += m["reserved_delta"].as_i64().unwrap();
            assert!(
                h - r >= 0 && r >= 0,
                "{sku}: available below zero in the ledger"
            );
        }
        assert_eq!(
            (h, r),
            (
                f["on_hand"].as_i64().unwrap(),
                f["reserved"].as_i64().unwrap()
            ),
            "{sku}"
        );
    }
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_under_mixed_load_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    drill(Db::Dir(dir.path().to_path_buf())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_under_mixed_load_postgres() {
    let Some(server_url) = marketdesk_store::testing::postgres_test_url() else {
        return;
    };
    let url = marketdesk_store::testing::fresh_postgres(&server_url, "md_kill")
        .await
        .unwrap();
    drill(Db::Url(url.clone())).await;
    marketdesk_store::testing::drop_postgres(&server_url, &url)
        .await
        .unwrap();
}
