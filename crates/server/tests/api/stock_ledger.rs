//! Property test against the real databases: any sequence of orders, cancellations,
//! shipments, receipts and adjustments leaves a ledger that replays to the stored
//! figures, with available never below zero and refusals changing nothing.

use proptest::prelude::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Backend, TestApp};

#[derive(Debug, Clone)]
enum Op {
    Order(i64),
    Cancel,
    Ship,
    Receive(i64),
    Adjust(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1i64..6).prop_map(Op::Order),
        1 => Just(Op::Cancel),
        1 => Just(Op::Ship),
        1 => (1i64..8).prop_map(Op::Receive),
        1 => (-6i64..6).prop_filter("non-zero", |d| *d != 0).prop_map(Op::Adjust),
    ]
}

async fn figures(app: &TestApp, sku: &str) -> (i64, i64) {
    let (_, f) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/skus/{sku}/stock"))
        .await;
    (
        f["on_hand"].as_i64().unwrap(),
        f["reserved"].as_i64().unwrap(),
    )
}

async fn replay(app: &TestApp, sku: &str) -> (i64, i64, bool) {
    let (_, ledger) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/skus/{sku}/ledger"))
        .await;
    let (mut h, mut r, mut never_negative) = (0, 0, true);
    for m in ledger["items"].as_array().unwrap() {
        h += m["on_hand_delta"].as_i64().unwrap();
        r += m["reserved_delta"].as_i64().unwrap();
        never_negative &= h - r >= 0 && r >= 0;
    }
    (h, r, never_negative)
}

fn run_on(backend: Backend) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (app, store, seller) = rt.block_on(async {
        let app = TestApp::spawn(backend).await;
        let (store, seller) = app.seller_store("US", "self_operated").await;
        (app, store, seller)
    });
    let config = ProptestConfig {
        cases: 16,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    proptest!(config, |(ops in proptest::collection::vec(op(), 1..25), opening in 0i64..6)| {
        rt.block_on(async {
            let code = format!("P-{}", uuid::Uuid::now_v7().simple());
            let (_, p) = app.post(&seller, &format!("/api/v1/stores/{store}/products"), json!({"title": "Prop", "category": "toys", "skus": [{"code": code, "price": "3.00", "stock": opening}]})).await;
            let pid = p["id"].as_str().unwrap().to_string();
            let sku = p["skus"][0]["id"].as_str().unwrap().to_string();
            app.post(&seller, &format!("/api/v1/products/{pid}/list"), json!({})).await;
            let mut open_orders: Vec<String> = Vec::new();
            for op in ops {
                let before = figures(&app, &sku).await;
                let (status, body): (StatusCode, Value) = match &op {
                    Op::Order(q) => app.post(ADMIN_TOKEN, "/api/v1/orders", json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": q, "unit_price": "3.00"}]})).await,
                    Op::Cancel | Op::Ship => match open_orders.pop() {
                        Some(o) => app.post(&seller, &format!("/api/v1/orders/{o}/{}", if matches!(op, Op::Cancel) { "cancel" } else { "ship" }), json!({})).await,
                        None => continue,
                    },
                    Op::Receive(q) => app.post(&seller, &format!("/api/v1/skus/{sku}/receipts"), json!({"quantity": q})).await,
                    Op::Adjust(d) => app.post(&seller, &format!("/api/v1/skus/{sku}/adjustments"), json!({"delta": d, "reason": "count"})).await,
                };
                prop_assert!(status.is_success() || status == StatusCode::CONFLICT, "{:?}: {} {}", op, status, body);
                if let (Op::Order(_), true) = (&op, status.is_success()) {
                    open_orders.push(body["id"].as_str().unwrap().to_string());
                }
                let after = figures(&app, &sku).await;
                if status == StatusCode::CONFLICT {
                    prop_assert_eq!(after, before, "a refused {:?} changed stock", op);
                }
                let (h, r, never_negative) = replay(&app, &sku).await;
                prop_assert_eq!((h, r), after, "ledger replay after {:?}", op);
                prop_assert!(never_negative, "available went below zero in the ledger");
                prop_assert!(after.0 - after.1 >= 0);
            }
            Ok(())
        })?;
    });
}

#[test]
fn stock_ledger_always_replays_to_the_figures() {
    for backend in Backend::all() {
        run_on(backend);
    }
}
