//! Opening and running a fully-managed store (seed 002) on the sandbox clock: companies
//! only, one per self-operated store, a fresh contact e-mail; the review thread and what
//! is missing; the review flagged late after 4 business days; approval opening the store
//! awaiting its deposit, and the deposit opening it; the 3,000-product cap counting
//! products under review; special categories; a JIT order overdue at 48 h, not at 47:59.

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::evidence::{tiny_png, upload};
use crate::helpers::{ADMIN_TOKEN, Backend, TestApp, fields};

crate::on_each_backend!(
    applying_for_a_fully_managed_store,
    fully_managed_cap_and_categories,
    jit_inbound_within_48_hours
);

fn application(email: &str, documents: &[&str], entity: &str) -> Value {
    json!({"company_name": "Shenzhen Lamp Works Ltd", "registration_number": "91440300MA5XXXXX1",
        "entity": entity, "contact_email": email, "document_ids": documents})
}

async fn document(app: &TestApp, token: &str) -> String {
    let (s, b) = upload(app, token, "licence.png", tiny_png()).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    b["id"].as_str().unwrap().to_string()
}

/// A self-operated store's seller applies, staff approve, the deposit is paid: the open
/// fully-managed store, its seller's token, and the applying seller's token.
pub async fn open_fully_managed(app: &TestApp) -> (String, String, String) {
    let (parent, seller) = app.seller_store("US", "self_operated").await;
    let doc = document(app, &seller).await;
    let email = format!("fm-{}@example.com", &parent[parent.len() - 8..]);
    let (s, a) = app
        .post(
            &seller,
            &format!("/api/v1/stores/{parent}/fully-managed-applications"),
            application(&email, &[&doc], "company"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let id = a["id"].as_str().unwrap();
    let (s, a) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/fully-managed-applications/{id}/approval"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let store = a["managed_store_id"].as_str().unwrap().to_string();
    let (s, d) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/stores/{store}/deposit/payments"),
            json!({"amount": "10000.00", "reference": "ALIPAY-1"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let fm_seller = app.create_user("seller", Some(&store)).await;
    (store, fm_seller, seller)
}

/// Lists a fully-managed store's product and has the platform approve it (the review
/// every such listing goes through); the answer is its first SKU's id.
pub async fn reviewed_on_sale(app: &TestApp, seller: &str, product: &str) -> String {
    let (s, b) = app
        .post(
            seller,
            &format!("/api/v1/products/{product}/list"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        b["state"], "pending_review",
        "the platform reviews listings"
    );
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/products/{product}/review/approve"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["skus"][0]["id"].as_str().unwrap().to_string()
}

async fn applying_for_a_fully_managed_store(backend: Backend) {
    let app = TestApp::spawn_manual(backend).await;
    let (parent, seller) = app.seller_store("US", "self_operated").await;
    let (other, other_seller) = app.seller_store("US", "self_operated").await;
    let (semi, semi_seller) = app.seller_store("US", "semi_managed").await;
    let apps = format!("/api/v1/stores/{parent}/fully-managed-applications");
    let doc = document(&app, &seller).await;

    // "只支持企业入驻,个体工商户不可以".
    let (s, b) = app
        .post(
            &seller,
            &apps,
            application("lamp@example.com", &[&doc], "individual"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), ["entity"]);
    let (s, b) = app
        .post(&seller, &apps, application("not-an-email", &[], "company"))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), ["contact_email", "document_ids"]);
    let other_doc = document(&app, &other_seller).await;
    let (s, b) = app
        .post(
            &seller,
            &apps,
            application("lamp@example.com", &[&other_doc], "company"),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another store's upload: {b}"
    );
    let semi_doc = document(&app, &semi_seller).await;
    let (s, b) = app
        .post(
            &semi_seller,
            &format!("/api/v1/stores/{semi}/fully-managed-applications"),
            application("semi@example.com", &[&semi_doc], "company"),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "only self-operated stores apply: {b}"
    );

    let (s, a) = app
        .post(
            &seller,
            &apps,
            application("lamp@example.com", &[&doc], "company"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(a["state"], "under_review");
    // Submitted Wednesday 2026-11-25 15:00 UTC; 4 US business days (Thanksgiving off).
    assert_eq!(a["review_due_at"], "2026-12-02T15:00:00Z");
    let id = a["id"].as_str().unwrap().to_string();
    let (s, b) = app
        .post(
            &seller,
            &apps,
            application("lamp2@example.com", &[&doc], "company"),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "one fully-managed store per self-operated store: {b}"
    );
    let (s, b) = app
        .post(
            &other_seller,
            &format!("/api/v1/stores/{other}/fully-managed-applications"),
            application("LAMP@example.com", &[&other_doc], "company"),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the e-mail is taken: {b}"
    );
    assert_eq!(fields(&b), ["contact_email"]);

    // Asking the platform, and staff saying what is missing.
    let thread = format!("/api/v1/fully-managed-applications/{id}/messages");
    let (s, b) = app
        .post(
            &seller,
            &thread,
            json!({"body": "审核进度如何？", "evidence_ids": [doc]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, b) = app
        .post(&seller, &thread, json!({"body": "x", "missing": ["y"]}))
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "sellers do not set what is missing: {b}"
    );
    let (s, b) = app
        .post(ADMIN_TOKEN, &thread, json!({"body": "Please add the bank account proof.", "missing": ["bank account proof"]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (s, a) = app
        .get(&seller, &format!("/api/v1/fully-managed-applications/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["missing"], json!(["bank account proof"]));
    assert_eq!(a["messages"].as_array().unwrap().len(), 2);
    assert_eq!(a["messages"][1]["author_role"], "admin");
    app.dispatch_all().await;
    let (_, inbox) = app.get(&seller, "/api/v1/inbox").await;
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["event_type"] == "fully_managed.application_message"),
        "the seller hears the answer: {inbox}"
    );
    let (s, _) = app
        .get(
            &other_seller,
            &format!("/api/v1/fully-managed-applications/{id}"),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/fully-managed-applications/{id}/approval"),
            json!({}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "sellers do not approve themselves"
    );

    // Not decided in 4 business days: flagged late, and not a minute before.
    app.advance("PT167H59M").await;
    assert!(
        app.get(&seller, &format!("/api/v1/fully-managed-applications/{id}"))
            .await
            .1["review_late_at"]
            .is_null()
    );
    app.advance("PT1M").await;
    assert!(
        app.get(&seller, &format!("/api/v1/fully-managed-applications/{id}"))
            .await
            .1["review_late_at"]
            .is_string()
    );

    // Approval opens the store awaiting its deposit; it sells nothing until paid.
    let (s, a) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/fully-managed-applications/{id}/approval"),
            json!({"note": "welcome"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["state"], "approved");
    assert!(
        a["invitation_link"].as_str().unwrap().contains("/join/"),
        "{a}"
    );
    let store = a["managed_store_id"].as_str().unwrap().to_string();
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/fully-managed-applications/{id}/rejection"),
            json!({"note": "late"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "already decided: {b}");
    let (_, st) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/stores/{store}"))
        .await;
    assert_eq!(st["program_state"], "awaiting_deposit");
    assert_eq!(st["fulfilment_mode"], "fully_managed");
    assert_eq!(st["parent_store_id"], parent.as_str());
    let fm_seller = app.create_user("seller", Some(&store)).await;
    let (_, d) = app
        .get(&fm_seller, &format!("/api/v1/stores/{store}/deposit"))
        .await;
    assert_eq!(d["state"], "awaiting_payment");
    assert_eq!(d["required"]["amount"], "10000.00");
    let product = app.create_product(&fm_seller, &store, "Lamp").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.product(&product).await["price_kind"], "supply");
    let sku = reviewed_on_sale(&app, &fm_seller, &product).await;
    let buy = json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "30.00"}]});
    let (s, b) = app.post(ADMIN_TOKEN, "/api/v1/orders", buy.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT, "no sale before the deposit: {b}");
    let payments = format!("/api/v1/stores/{store}/deposit/payments");
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &payments,
            json!({"amount": "9999.99", "reference": "A"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (s, b) = app
        .post(
            &fm_seller,
            &payments,
            json!({"amount": "10000.00", "reference": "A"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, d) = app
        .post(
            ADMIN_TOKEN,
            &payments,
            json!({"amount": "10000.00", "reference": "ALIPAY-2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["state"], "held");
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &payments,
            json!({"amount": "10000.00", "reference": "again"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "paid once: {b}");
    let (_, st) = app
        .get(ADMIN_TOKEN, &format!("/api/v1/stores/{store}"))
        .await;
    assert_eq!(st["program_state"], "open");
    let (s, b) = app.post(ADMIN_TOKEN, "/api/v1/orders", buy).await;
    assert_eq!(s, StatusCode::CREATED, "open for business: {b}");
}

async fn fully_managed_cap_and_categories(backend: Backend) {
    let app = TestApp::spawn_manual(backend).await;
    let (store, seller, _) = open_fully_managed(&app).await;
    let products = format!("/api/v1/stores/{store}/products");
    let create = |title: String| json!({"title": title, "category": "lighting", "skus": [{"code": title, "price": "5.00", "stock": 1}]});
    // 2,998 drafts and two submitted for review: 3,000 counted.
    let made: Vec<(StatusCode, Value)> = futures::stream::iter(0..3000)
        .map(|i| {
            let (app, seller, products) = (&app, &seller, &products);
            let body = create(format!("P-{i:04}"));
            async move { app.post(seller, products, body).await }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    assert!(
        made.iter().all(|(s, _)| *s == StatusCode::CREATED),
        "{:?}",
        made.iter().find(|(s, _)| *s != StatusCode::CREATED)
    );
    for (_, p) in made.iter().take(2) {
        let id = p["id"].as_str().unwrap();
        let (s, b) = app
            .post(&seller, &format!("/api/v1/products/{id}/list"), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["state"], "pending_review");
    }
    let (_, standing) = app
        .get(&seller, &format!("/api/v1/stores/{store}/fully-managed"))
        .await;
    assert_eq!(standing["products_counted"], 3000, "{standing}");
    let (s, b) = app.post(&seller, &products, create("P-3000".into())).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    assert!(
        b["detail"].as_str().unwrap().contains("3000 products"),
        "{b}"
    );
    // A CSV import cannot go past the cap either, and leaves nothing behind.
    let csv = "product_id,title,category,description,state,sku_code,price,currency,stock\n,Extra lamp,lighting,,,CSV-1,5.00,USD,1\n";
    let res = app
        .client
        .post(app.url(&format!("/api/v1/stores/{store}/products/import")))
        .bearer_auth(&seller)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let (s, b) = crate::helpers::read(res).await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    let (_, standing) = app
        .get(&seller, &format!("/api/v1/stores/{store}/fully-managed"))
        .await;
    assert_eq!(standing["products_counted"], 3000, "{standing}");
    // Delisting one frees a place.
    let first = made[5].1["id"].as_str().unwrap();
    let (s, b) = app
        .post(
            &seller,
            &format!("/api/v1/products/{first}/list"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/products/{first}/review/approve"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = app.delist(&seller, first, "slow_selling").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (s, b) = app.post(&seller, &products, create("P-3001".into())).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");

    // Special categories, on a second store with room.
    let (store2, seller2, _) = open_fully_managed(&app).await;
    let products2 = format!("/api/v1/stores/{store2}/products");
    for (category, rule) in [("e-cigarettes", "closed"), ("cosmetics", "qualification")] {
        let (s, b) = app
            .put(
                &seller2,
                &format!("/api/v1/admin/special-categories/{category}"),
                json!({"rule": rule}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
        let (s, b) = app
            .put(
                ADMIN_TOKEN,
                &format!("/api/v1/admin/special-categories/{category}"),
                json!({"rule": rule, "note": "seed 002"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let with = |category: &str, quals: Vec<String>| json!({"title": "X", "category": category, "skus": [{"code": format!("C-{category}-{}", quals.len()), "price": "5.00", "stock": 1}], "qualification_ids": quals});
    let (s, b) = app
        .post(&seller2, &products2, with("e-cigarettes", vec![]))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), ["category"]);
    let (s, b) = app
        .post(&seller2, &products2, with("cosmetics", vec![]))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let doc = document(&app, &seller2).await;
    let (s, b) = app
        .post(&seller2, &products2, with("cosmetics", vec![doc]))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (parent, pseller) = app.seller_store("US", "self_operated").await;
    let (s, b) = app
        .post(
            &pseller,
            &format!("/api/v1/stores/{parent}/products"),
            with("e-cigarettes", vec![]),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CREATED,
        "special categories bind fully-managed stores only: {b}"
    );
}

async fn jit_inbound_within_48_hours(backend: Backend) {
    let app = TestApp::spawn_manual(backend).await;
    let (store, seller, _) = open_fully_managed(&app).await;
    let mut skus = Vec::new();
    for (title, fulfilment) in [("JIT lamp", "jit"), ("Stocked lamp", "warehouse")] {
        let (s, p) = app
            .post(&seller, &format!("/api/v1/stores/{store}/products"),
                json!({"title": title, "category": "lighting", "fulfilment": fulfilment, "skus": [{"code": title, "price": "5.00", "stock": 10}]}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        assert_eq!(p["fulfilment"], fulfilment);
        let id = p["id"].as_str().unwrap();
        reviewed_on_sale(&app, &seller, id).await;
        skus.push((
            id.to_string(),
            p["skus"][0]["id"].as_str().unwrap().to_string(),
        ));
    }
    let order = |sku: &str| json!({"store_id": store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "20.00"}]});
    let (_, late) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", order(&skus[0].1))
        .await;
    let (_, on_time) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", order(&skus[0].1))
        .await;
    let (_, stocked) = app
        .post(ADMIN_TOKEN, "/api/v1/orders", order(&skus[1].1))
        .await;
    assert_eq!(late["jit_due_at"], "2026-11-27T15:00:00Z", "{late}");
    assert!(stocked["jit_due_at"].is_null());
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/orders/{}/inbound", stocked["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "warehouse stock needs no inbound: {b}"
    );
    let (s, _) = app
        .post(
            &seller,
            &format!("/api/v1/orders/{}/inbound", late["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "the platform's warehouse records it"
    );

    app.advance("PT47H59M").await;
    let (s, b) = app
        .post(
            ADMIN_TOKEN,
            &format!("/api/v1/orders/{}/inbound", on_time["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert!(b["inbound_at"].is_string());
    let lid = late["id"].as_str().unwrap();
    let (_, now) = app.get(ADMIN_TOKEN, &format!("/api/v1/orders/{lid}")).await;
    assert!(
        now["jit_overdue_at"].is_null(),
        "not overdue at 47 h 59 m: {now}"
    );
    app.advance("PT1M").await;
    let (_, now) = app.get(ADMIN_TOKEN, &format!("/api/v1/orders/{lid}")).await;
    assert_eq!(now["jit_overdue_at"], "2026-11-27T15:00:00Z", "{now}");
    let (_, ok) = app
        .get(
            ADMIN_TOKEN,
            &format!("/api/v1/orders/{}", on_time["id"].as_str().unwrap()),
        )
        .await;
    assert!(ok["jit_overdue_at"].is_null());
    let tl = app.timeline(&seller, &skus[0].0).await;
    assert!(
        tl.iter()
            .any(|t| t["action"] == "jit_overdue"
                && t["reason_text"].as_str().unwrap().contains(lid)),
        "{tl:?}"
    );
    let (_, standing) = app
        .get(&seller, &format!("/api/v1/stores/{store}/fully-managed"))
        .await;
    assert_eq!(
        standing["jit_overdue_orders"], 1,
        "it counts against the store"
    );
    app.dispatch_all().await;
    let (_, inbox) = app.get(&seller, "/api/v1/inbox").await;
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["event_type"] == "fully_managed.jit_overdue"),
        "{inbox}"
    );
}
