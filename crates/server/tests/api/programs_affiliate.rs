//! Leaving the affiliate program (seed 001) on the sandbox clock: enrolments and
//! campaigns, a preview that changes nothing, an exit refused inside a campaign, notices
//! to exactly the affected buyers (counted at a real webhook receiver), compensations
//! per affected order, and the products delisted at `exit_at` and not before.

use std::time::Duration;

use marketdesk_service::channel_config::ChannelConfig;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::channel_receivers::HttpReceiver;
use crate::helpers::{ADMIN_TOKEN, Backend, TestApp, fields};

crate::on_each_backend!(
    leaving_the_affiliate_program,
    delisting_fully_managed_products_tells_buyers_first
);

async fn sku_of(app: &TestApp, product: &str) -> String {
    app.product(product).await["skus"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn order(
    app: &TestApp,
    store: &str,
    sku: &str,
    buyer: Option<&str>,
    affiliate: Option<&str>,
) -> String {
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/orders",
            json!({"store_id": store, "buyer_id": buyer, "affiliate_id": affiliate,
                "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.90"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["affiliate_id"], json!(affiliate));
    b["id"].as_str().unwrap().to_string()
}

async fn deliver(app: &TestApp, order: &str) {
    for step in ["ship", "deliver"] {
        let (s, b) = app
            .post(
                ADMIN_TOKEN,
                &format!("/api/v1/orders/{order}/{step}"),
                json!({}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
}

fn strings(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

async fn leaving_the_affiliate_program(backend: Backend) {
    let rx = HttpReceiver::start().await;
    let cfg = ChannelConfig {
        request_timeout: Duration::from_secs(2),
        allow_private_targets: true,
        ..Default::default()
    };
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let (_, other_seller) = app.seller_store("US", "self_operated").await;
    let (s, b) = app
        .post(&seller, &format!("/api/v1/stores/{store}/webhooks"),
            json!({"url": format!("{}/notices", rx.base), "event_types": ["affiliate.buyer_notice"]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");

    let lamp = app.on_sale(&seller, &store, "Lamp").await;
    let kettle = app.on_sale(&seller, &store, "Kettle").await;
    let stool = app.on_sale(&seller, &store, "Stool").await;
    let draft = app.create_product(&seller, &store, "Draft").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let enrol = format!("/api/v1/stores/{store}/affiliate/enrolments");

    // Bad input enrols nothing.
    let (s, b) = app
        .post(
            &seller,
            &enrol,
            json!({"product_ids": [lamp, draft], "commission_percent": "90"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), ["commission_percent"]);
    let (s, b) = app
        .post(
            &seller,
            &enrol,
            json!({"product_ids": [lamp, draft], "commission_percent": "12.5"}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a draft is not promoted: {b}"
    );
    assert_eq!(fields(&b), ["product_ids[1]"]);
    let (s, b) = app
        .post(
            &other_seller,
            &enrol,
            json!({"product_ids": [lamp], "commission_percent": "12.5"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, b) = app
        .post(
            &seller,
            &enrol,
            json!({"product_ids": [lamp, kettle, stool], "commission_percent": "12.5"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b.as_array().unwrap().len(), 3);
    assert_eq!(b[0]["commission_percent"], "12.5");

    // Orders: two open lamp orders of buyer b1 (one brought by a creator), one of no
    // buyer; a delivered kettle order of b2 brought by a creator (affected: attributed
    // within 30 days); a delivered kettle order of b3 on its own (not affected); an open
    // order of the stool, which is not leaving.
    let (lamp_sku, kettle_sku, stool_sku) = (
        sku_of(&app, &lamp).await,
        sku_of(&app, &kettle).await,
        sku_of(&app, &stool).await,
    );
    let o1 = order(&app, &store, &lamp_sku, Some("b1"), Some("creator-9")).await;
    let o2 = order(&app, &store, &lamp_sku, Some("b1"), None).await;
    let o3 = order(&app, &store, &lamp_sku, None, None).await;
    let o4 = order(&app, &store, &kettle_sku, Some("b2"), Some("creator-9")).await;
    let o5 = order(&app, &store, &kettle_sku, Some("b3"), None).await;
    let _o6 = order(&app, &store, &stool_sku, Some("b4"), None).await;
    deliver(&app, &o4).await;
    deliver(&app, &o5).await;
    // A creator's order that was cancelled lost nothing: its buyer is not told.
    let o7 = order(&app, &store, &lamp_sku, Some("b5"), Some("creator-9")).await;
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/orders/{o7}/cancel"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");

    let (s, page) = app
        .get(&seller, &format!("/api/v1/stores/{store}/affiliate"))
        .await;
    assert_eq!(s, StatusCode::OK, "{page}");
    let row = |p: &Value, id: &str| {
        p["enrolments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["product_id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        row(&page, &lamp)["attributed_orders"],
        1,
        "only the creator's order counts"
    );
    assert_eq!(row(&page, &lamp)["attributed_sales"]["amount"], "9.90");
    assert_eq!(row(&page, &kettle)["attributed_orders"], 1);
    assert_eq!(row(&page, &stool)["attributed_orders"], 0);

    // A campaign on the kettle from tomorrow for two days.
    let campaigns = format!("/api/v1/stores/{store}/affiliate/campaigns");
    let (s, b) = app
        .post(
            &seller,
            &campaigns,
            json!({"name": "Double 12", "product_ids": [kettle],
            "starts_at": "2026-11-26T15:00:00Z", "ends_at": "2026-11-28T15:00:00Z"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["state"], "coming");
    let (s, b) = app
        .post(
            &seller,
            &campaigns,
            json!({"name": "x", "product_ids": [draft],
            "starts_at": "2026-11-28T15:00:00Z", "ends_at": "2026-11-26T15:00:00Z"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), ["ends_at"]);

    let exits = format!("/api/v1/stores/{store}/affiliate/exits");
    let exit = |at: &str, confirm: bool| {
        json!({"product_ids": [lamp, kettle], "exit_at": at, "buyer_notice": "These products leave our creators' program on Nov 29.",
            "compensation": {"kind": "coupon", "amount": "3.00"}, "confirm": confirm})
    };
    // Inside the campaign: refused, naming it ("合理选择下架时间").
    let (s, b) = app
        .post(&seller, &exits, exit("2026-11-27T15:00:00Z", false))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert_eq!(fields(&b), ["exit_at"]);
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Double 12"),
        "{b}"
    );
    let (s, b) = app
        .post(
            &seller,
            &exits,
            json!({"product_ids": [lamp], "exit_at": "2026-11-29T15:00:00Z",
        "buyer_notice": "x", "compensation": {"kind": "none", "amount": "1.00"}}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), ["compensation.amount"]);

    // The preview says what leaving touches and changes nothing.
    let (s, p) = app
        .post(&seller, &exits, exit("2026-11-29T15:00:00Z", false))
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["preview"], true);
    assert_eq!(strings(&p["buyers"]), ["b1", "b2"]);
    let mut affected = vec![o1.clone(), o2.clone(), o3.clone(), o4.clone()];
    affected.sort();
    assert_eq!(strings(&p["affected_orders"]), affected);
    assert_eq!(p["orders_without_buyer"], 1);
    assert_eq!(p["campaigns"][0]["name"], "Double 12");
    let lamp_row = p["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["product_id"] == lamp)
        .unwrap()
        .clone();
    assert_eq!(lamp_row["orders_30d"], 3);
    assert_eq!(lamp_row["sales_30d"]["amount"], "29.70");
    let (_, page) = app
        .get(&seller, &format!("/api/v1/stores/{store}/affiliate"))
        .await;
    assert_eq!(
        page["exits"].as_array().unwrap().len(),
        0,
        "a preview schedules nothing"
    );
    app.dispatch_all().await;
    assert!(rx.received("notices").is_empty(), "a preview tells nobody");

    // Confirmed: every affected buyer is told at once, one notice each.
    let (s, e) = app
        .post(&seller, &exits, exit("2026-11-29T15:00:00Z", true))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert_eq!(e["state"], "scheduled");
    let id = e["id"].as_str().unwrap().to_string();
    app.dispatch_all().await;
    let got = rx.wait_for("notices", 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        rx.received("notices").len(),
        2,
        "exactly the affected buyers"
    );
    let mut told: Vec<String> = got
        .iter()
        .map(|r| {
            serde_json::from_slice::<Value>(&r.body).unwrap()["data"]["details"]["buyer_id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    told.sort();
    assert_eq!(told, ["b1", "b2"]);
    let (s, e) = app
        .get(&seller, &format!("/api/v1/affiliate-exits/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let b1 = e["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["buyer_id"] == "b1")
        .unwrap()
        .clone();
    assert_eq!(b1["order_ids"].as_array().unwrap().len(), 2);
    let comp = e["compensations"].as_array().unwrap();
    assert_eq!(comp.len(), 4, "one per affected order: {e}");
    assert!(
        comp.iter()
            .all(|c| c["kind"] == "coupon" && c["amount"]["amount"] == "3.00")
    );
    let (s, _) = app
        .get(&other_seller, &format!("/api/v1/affiliate-exits/{id}"))
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "another store's exit is not found"
    );
    let (s, b) = app
        .post(&seller, &exits, exit("2026-12-01T15:00:00Z", false))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "already leaving: {b}");

    // A campaign may not run over the scheduled exit of its products.
    let (s, b) = app
        .post(
            &seller,
            &campaigns,
            json!({"name": "Too late", "product_ids": [lamp],
            "starts_at": "2026-11-29T00:00:00Z", "ends_at": "2026-11-30T00:00:00Z"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert!(
        b["errors"][0]["message"].as_str().unwrap().contains(&id),
        "{b}"
    );
    // A minute before exit_at nothing has left; at exit_at both are delisted.
    app.advance("PT95H59M").await;
    assert_eq!(app.product(&lamp).await["state"], "on_sale");
    assert_eq!(
        app.get(&seller, &format!("/api/v1/affiliate-exits/{id}"))
            .await
            .1["state"],
        "scheduled"
    );
    app.advance("PT1M").await;
    for p in [&lamp, &kettle] {
        let now = app.product(p).await;
        assert_eq!(now["state"], "delisted", "{now}");
        assert_eq!(now["delist_kind"], "voluntary");
        let tl = app.timeline(&seller, p).await;
        let last = tl.iter().find(|t| t["action"] == "delist").unwrap();
        assert!(
            last["reason_text"].as_str().unwrap().contains(&id),
            "{last}"
        );
    }
    assert_eq!(app.product(&stool).await["state"], "on_sale");
    let (_, e) = app
        .get(&seller, &format!("/api/v1/affiliate-exits/{id}"))
        .await;
    assert_eq!(e["state"], "done");
    let (_, page) = app
        .get(&seller, &format!("/api/v1/stores/{store}/affiliate"))
        .await;
    let left: Vec<String> = page["enrolments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["product_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(left, std::slice::from_ref(&stool));
    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/affiliate-exits/{id}/cancellation"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "an exit that ran is not cancelled");

    // An exit cancelled before it runs leaves its product where it was.
    let (s, e) = app
        .post(
            &seller,
            &exits,
            json!({"product_ids": [stool], "exit_at": "2026-12-02T15:00:00Z",
            "buyer_notice": "Leaving soon", "compensation": {"kind": "none"}, "confirm": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let sid = e["id"].as_str().unwrap();
    let (s, c) = app
        .post(
            &seller,
            &format!("/api/v1/affiliate-exits/{sid}/cancellation"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["state"], "cancelled");
    app.advance("PT120H").await;
    assert_eq!(app.product(&stool).await["state"], "on_sale");
}

/// Seed 002's "在下架商品前,请提前通知客户": a fully-managed store's batch delist (filtered by
/// fulfilment mode) tells each buyer with an open order, once, and nobody else.
async fn delisting_fully_managed_products_tells_buyers_first(backend: Backend) {
    let rx = HttpReceiver::start().await;
    let cfg = ChannelConfig {
        request_timeout: Duration::from_secs(2),
        allow_private_targets: true,
        ..Default::default()
    };
    let app = TestApp::spawn_with_channels(backend, cfg).await;
    let (store, seller, _) = crate::programs_fully_managed::open_fully_managed(&app).await;
    let (s, b) = app
        .post(
            &seller,
            &format!("/api/v1/stores/{store}/webhooks"),
            json!({"url": format!("{}/told", rx.base), "event_types": ["product.buyer_notice"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let mut ids = Vec::new();
    for title in ["Vase", "Bowl"] {
        let p = app.create_product(&seller, &store, title).await["id"]
            .as_str()
            .unwrap()
            .to_string();
        crate::programs_fully_managed::reviewed_on_sale(&app, &seller, &p).await;
        ids.push(p);
    }
    let (vase, bowl) = (sku_of(&app, &ids[0]).await, sku_of(&app, &ids[1]).await);
    let open = order(&app, &store, &vase, Some("b1"), None).await;
    order(&app, &store, &bowl, Some("b1"), None).await;
    let done = order(&app, &store, &bowl, Some("b2"), None).await;
    deliver(&app, &done).await;
    let (s, list) = app
        .get(
            &seller,
            &format!("/api/v1/stores/{store}/products?fulfilment=fully_managed&state=on_sale"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let (s, b) = app
        .post(
            &seller,
            &format!("/api/v1/stores/{store}/products/batch-delist"),
            json!({"product_ids": ids, "reason_code": "slow_selling", "reason_text": "Range ends"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    app.dispatch_all().await;
    let got = rx.wait_for("told", 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        rx.received("told").len(),
        1,
        "one notice for b1's open orders, none for b2's delivered one"
    );
    let body: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(body["data"]["details"]["buyer_id"], "b1");
    assert_eq!(
        body["data"]["details"]["order_ids"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(
        body["data"]["details"]["order_ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == open.as_str())
    );
}
