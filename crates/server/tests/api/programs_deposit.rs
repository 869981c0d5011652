//! The security deposit (seed 002): a refund refused while a case is open (every unmet
//! precondition named), then approved with a deduction and paid out, the ledger summing
//! exactly and the store closing; a payout late past five business days is flagged.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_TOKEN, Backend, TestApp, fields};
use crate::programs_fully_managed::{open_fully_managed, reviewed_on_sale};

crate::on_each_backend!(deposit_refund_after_deduction);

fn amount(v: &Value) -> String {
    v["amount"].as_str().unwrap().to_string()
}

async fn deposit_refund_after_deduction(backend: Backend) {
    let app = TestApp::spawn_manual(backend).await;
    let (store, seller, _parent_seller) = open_fully_managed(&app).await;
    let dep = format!("/api/v1/stores/{store}/deposit");
    let (s, d) = app.get(&seller, &dep).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["state"], "held");
    assert_eq!(
        d["balance"],
        json!({"amount": "10000.00", "currency": "CNY"})
    );

    // A product, an order delivered, and an after-sales case the platform opened on it.
    let product = app.create_product(&seller, &store, "Mug").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let sku = reviewed_on_sale(&app, &seller, &product).await;
    let (s, o) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/orders",
            json!({"store_id": store, "buyer_id": "b1",
            "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.90"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let oid = o["id"].as_str().unwrap().to_string();
    let refund = format!("/api/v1/stores/{store}/deposit/refund-requests");
    let ask = json!({"reason": "closing the fully-managed store", "amount": "10000.00"});
    let (s, b) = app.post(&seller, &refund, ask.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(fields(&b), ["unfinished_orders"]);
    for step in ["ship", "deliver"] {
        let (s, b) = app
            .post(
                ADMIN_TOKEN,
                &format!("/api/v1/orders/{oid}/{step}"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let (s, case) = app
        .post(ADMIN_TOKEN, "/api/v1/aftersales",
            json!({"order_id": oid, "type": "refund_only", "order_line_id": o["lines"][0]["id"], "reason": "damaged", "amount": "9.90"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/stores/{store}/penalties"),
            json!({"amount": "500.50", "reason": "late JIT deliveries"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let penalty = b["penalties"][0]["id"].as_str().unwrap().to_string();

    // Refused while the case is open and the penalty unpaid: both named at once.
    let (s, b) = app.post(&seller, &refund, ask.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(fields(&b), ["open_cases", "unpaid_debts"]);
    let (s, b) = app
        .post(
            &seller,
            &refund,
            json!({"reason": "x", "amount": "10000.01"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "more than the balance: {b}"
    );
    assert_eq!(fields(&b), ["amount"]);

    // The case is settled; the penalty is deducted when staff approve.
    let (s, ticket) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/tickets",
            json!({"order_id": oid, "kind": "product_question", "body": "Is it dishwasher-safe?"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{ticket}");
    let tid = ticket["id"].as_str().unwrap();
    let (s, b) = app
        .post(
            &seller,
            &format!("/api/v1/tickets/{tid}/messages"),
            json!({"body": "Yes"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the platform answers a fully-managed store's tickets: {b}"
    );
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/tickets/{tid}/messages"),
            json!({"body": "Yes, it is."}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["state"], "answered", "{b}");
    let cid = case["id"].as_str().unwrap();
    let decide = format!("/api/v1/aftersales/{cid}/decision");
    let (s, b) = app.post(&seller, &decide, json!({"approve": true})).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "after-sales of a fully-managed store are the platform's: {b}"
    );
    let (s, b) = app
        .post(ADMIN_TOKEN, &decide, json!({"approve": true}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = app.post(&seller, &refund, ask.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(fields(&b), ["unpaid_debts"]);
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/stores/{store}/deposit/deductions"),
            json!({"reason": "settles the JIT penalty", "penalty_id": penalty}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(amount(&b["balance"]), "9499.50");
    let (s, r) = app.post(&seller, &refund, ask.clone()).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the balance is now lower: {r}"
    );
    let (s, r) = app
        .post(
            &seller,
            &refund,
            json!({"reason": "closing the fully-managed store", "amount": "9499.50"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    assert_eq!(r["state"], "under_review");
    let rid = r["id"].as_str().unwrap().to_string();
    let (s, b) = app
        .post(
            &seller,
            &refund,
            json!({"reason": "again", "amount": "1.00"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(fields(&b), ["refund"]);
    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/deposit-refunds/{rid}/approval"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "staff decide");

    // The store kept selling while the request waited: an order still open stops the
    // approval until it is finished.
    let (s, late) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/orders",
            json!({"store_id": store,
            "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.90"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{late}");
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/deposit-refunds/{rid}/approval"),
            json!({"deductions": [{"amount": "1.00", "reason": "x"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(fields(&b), ["unfinished_orders"]);
    let (_, d) = app.get(&seller, &dep).await;
    assert_eq!(
        amount(&d["balance"]),
        "9499.50",
        "the refused approval deducted nothing"
    );
    let lid = late["id"].as_str().unwrap();
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/orders/{lid}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    // Approved with a further deduction for a violation; the rest is paid back.
    let (s, r) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/deposit-refunds/{rid}/approval"),
            json!({"deductions": [{"amount": "1200.25", "reason": "counterfeit listing fine"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "approved");
    assert_eq!(amount(&r["deducted"]), "1200.25");
    assert_eq!(amount(&r["refund_amount"]), "8299.25");
    // Approved on Wednesday 2026-11-25 15:00 UTC: 5 US business days later, with
    // Thanksgiving (Thursday) off, is Thursday 2026-12-03.
    assert_eq!(r["due_at"], "2026-12-03T15:00:00Z");
    let (_, d) = app.get(&seller, &dep).await;
    assert_eq!(d["state"], "refund_approved");
    assert_eq!(amount(&d["balance"]), "8299.25");

    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/stores/{store}/deposit/deductions"),
            json!({"amount": "1.00", "reason": "after approval"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "no deduction between approval and payout: {b}"
    );
    // Not paid in time: flagged late.
    app.advance("PT193H").await;
    let (_, r2) = app
        .get(&seller, &format!("/api/v1/deposit-refunds/{rid}"))
        .await;
    assert!(r2["late_at"].is_string(), "{r2}");
    let (s, r) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/deposit-refunds/{rid}/payout"),
            json!({"reference": "ALIPAY-REF-1"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "paid");
    let (s, _) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/deposit-refunds/{rid}/payout"),
            json!({"reference": "again"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The ledger sums exactly: 10000.00 − 500.50 − 1200.25 − 8299.25 = 0.
    let (_, d) = app.get(&seller, &dep).await;
    assert_eq!(d["state"], "refunded");
    assert_eq!(amount(&d["balance"]), "0.00");
    let kinds: Vec<(String, String)> = d["ledger"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                amount(&e["amount"]),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("freeze".into(), "10000.00".into()),
            ("deduction".into(), "500.50".into()),
            ("deduction".into(), "1200.25".into()),
            ("refund".into(), "8299.25".into())
        ]
    );
    assert_eq!(d["penalties"][0]["settled_by_entry"], d["ledger"][1]["id"]);
    let (_, st) = app.get(&seller, &format!("/api/v1/stores/{store}")).await;
    assert_eq!(
        st["program_state"], "closed",
        "closing the store follows: {st}"
    );
    let (s, b) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.90"}]}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a closed store sells nothing: {b}");
}
