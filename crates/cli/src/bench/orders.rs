//! Reservations through HTTP with and without group commit, beside the raw statements.

use std::time::Instant;

use anyhow::Context;
use marketdesk_core::Action;
use marketdesk_service::listing::Why;
use marketdesk_service::{Actor, Service};
use marketdesk_store::seed::{self, Seed, Spread};
use marketdesk_store::{Db, outbox};

use super::figures::{ms, percentile};

/// Reservations: `clients` concurrent HTTP clients place one-line orders, with group
/// commit and with one transaction per order, beside the raw statements of a reservation
/// (guarded stock update, ledger row, order and line, outbox event) at one transaction
/// each from the same number of concurrent tasks.
pub(super) async fn order_section(
    service: &Service,
    clients: usize,
    per_client: usize,
) -> anyhow::Result<()> {
    let admin = Actor::local_admin();
    let db = &service.db;
    let store = service
        .create_store(
            &admin,
            marketdesk_service::accounts::NewStore {
                name: "Bench orders".into(),
                site: "US".into(),
                fulfilment_mode: "self_operated".into(),
            },
        )
        .await?;
    let now = jiff::Timestamp::now().as_microsecond();
    let spread_n: i64 = 10_000;
    {
        let mut tx = db.begin().await?;
        // Deep stock, so the spread run measures reservations, not sell-outs.
        seed::products(
            &mut tx,
            db.backend(),
            Seed {
                store_id: &store.id,
                currency: "USD",
                id_tag: "0d000004",
                n: spread_n,
                spread: Spread::AllOnSale,
                now_us: now,
                stock_each: 1_000_000_000,
            },
        )
        .await?;
        tx.commit().await?;
    }
    let hot = service
        .create_product(
            &admin,
            &store.id,
            marketdesk_service::products::NewProduct {
                fulfilment: None,
                qualification_ids: Vec::new(),
                title: "Hot item".into(),
                category: "electronics".into(),
                description: String::new(),
                skus: vec![marketdesk_service::products::NewSku {
                    code: "HOT-1".into(),
                    price: "9.99".into(),
                    stock: 1_000_000_000,
                }],
            },
        )
        .await?;
    service
        .transition(&admin, &hot.id, Action::List, Why::default())
        .await?;
    let hot_sku = hot.skus[0].id.clone();
    let spread_sku =
        |i: usize| format!("0d000004-0000-7000-9000-{:012x}", (i as i64 % spread_n) + 1);
    println!("order reservations, {clients} concurrent clients × {per_client} one-line orders:");
    println!(
        "  {:<34} {:>12} {:>12} {:>12} {:>12}",
        "", "orders/s", "p50 ms", "p99 ms", "vs raw"
    );
    for (label, pick) in [("hot SKU", None), ("spread over 10,000 SKUs", Some(()))] {
        let sku_for = |client: usize, k: usize| match pick {
            None => hot_sku.clone(),
            Some(()) => spread_sku(client * 7919 + k * 104_729),
        };
        let raw = raw_reservations(db, &store.id, clients, per_client, &sku_for).await?;
        let single = http_orders(
            &service.clone().with_group_commit(false),
            &store.id,
            clients,
            per_client,
            &sku_for,
        )
        .await?;
        let grouped = http_orders(
            &service.clone().with_group_commit(true),
            &store.id,
            clients,
            per_client,
            &sku_for,
        )
        .await?;
        println!(
            "  {:<34} {:>12.0} {:>12} {:>12} {:>12}",
            format!("{label}, raw statements"),
            raw,
            "",
            "",
            "1.00"
        );
        for (name, (rate, p50, p99)) in [
            ("HTTP, one transaction per order", single),
            ("HTTP, group commit", grouped),
        ] {
            println!(
                "  {:<34} {:>12.0} {:>12.2} {:>12.2} {:>12.2}",
                format!("{label}, {name}"),
                rate,
                p50,
                p99,
                rate / raw
            );
        }
    }
    Ok(())
}

pub(super) async fn raw_reservations(
    db: &Db,
    store_id: &str,
    clients: usize,
    per_client: usize,
    sku_for: &(dyn Fn(usize, usize) -> String + Sync),
) -> anyhow::Result<f64> {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let skus: Vec<String> = (0..per_client).map(|k| sku_for(client, k)).collect();
        let db = db.clone();
        let store_id = store_id.to_string();
        tasks.push(tokio::spawn(async move {
            for sku in skus {
                let mut tx = db.begin().await?;
                let (on_hand, reserved) =
                    marketdesk_store::stock::apply_movement(&mut tx, &sku, 0, 1)
                        .await?
                        .context("stock")?;
                let now = jiff::Timestamp::now().as_microsecond();
                let order_id = marketdesk_core::id::new_id();
                marketdesk_store::stock::insert_movement(
                    &mut tx,
                    &marketdesk_store::stock::MovementRow {
                        id: marketdesk_core::id::new_id(),
                        store_id: store_id.clone(),
                        sku_id: sku.clone(),
                        kind: "reservation".into(),
                        on_hand_delta: 0,
                        reserved_delta: 1,
                        on_hand_after: on_hand,
                        reserved_after: reserved,
                        reason: None,
                        order_id: Some(order_id.clone()),
                        actor_id: "bench".into(),
                        at: now,
                    },
                )
                .await?;
                let product_id = marketdesk_store::stock::sku(&mut tx, &sku)
                    .await?
                    .context("sku")?
                    .product_id;
                marketdesk_store::orders::insert(
                    &mut tx,
                    &marketdesk_store::orders::OrderRow {
                        id: order_id.clone(),
                        store_id: store_id.clone(),
                        state: marketdesk_core::OrderState::Placed,
                        currency: "USD".into(),
                        total: "9.99".into(),
                        placed_by: "bench".into(),
                        created_at: now,
                        updated_at: now,
                        buyer_id: None,
                        affiliate_id: None,
                        jit_due_at: None,
                        inbound_at: None,
                        jit_overdue_at: None,
                    },
                    &[marketdesk_store::orders::LineRow {
                        id: marketdesk_core::id::new_id(),
                        order_id: order_id.clone(),
                        store_id: store_id.clone(),
                        sku_id: sku.clone(),
                        product_id,
                        quantity: 1,
                        unit_price: "9.99".into(),
                        amount: "9.99".into(),
                        presale: 0,
                        ship_by: None,
                        shipped_late: 0,
                        position: 0,
                    }],
                )
                .await?;
                outbox::insert(
                    &mut tx,
                    &outbox::OutboxRow {
                        id: marketdesk_core::id::new_id(),
                        store_id: store_id.clone(),
                        event_type: "order.placed".into(),
                        subject_id: order_id,
                        payload: "{}".into(),
                        created_at: now,
                        dispatched_at: None,
                    },
                )
                .await?;
                tx.commit().await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok((clients * per_client) as f64 / start.elapsed().as_secs_f64())
}

/// Serves `service` on a free port and has `clients` tasks place orders; returns
/// (orders/s, p50 ms, p99 ms).
pub(super) async fn http_orders(
    service: &Service,
    store_id: &str,
    clients: usize,
    per_client: usize,
    sku_for: &(dyn Fn(usize, usize) -> String + Sync),
) -> anyhow::Result<(f64, f64, f64)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = marketdesk_server::app(service.clone());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let skus: Vec<String> = (0..per_client).map(|k| sku_for(c, k)).collect();
        let client = client.clone();
        let store_id = store_id.to_string();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(skus.len());
            for sku in skus {
                let body = serde_json::json!({"store_id": store_id, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "9.99"}]});
                let t = Instant::now();
                let res = client.post(format!("http://{addr}/api/v1/orders")).bearer_auth("bench-admin-token-0123456789").json(&body).send().await?;
                anyhow::ensure!(res.status().as_u16() == 201, "order: {}", res.text().await.unwrap_or_default());
                times.push(t.elapsed());
            }
            anyhow::Ok(times)
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    let rate = (clients * per_client) as f64 / start.elapsed().as_secs_f64();
    server.abort();
    times.sort();
    Ok((
        rate,
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
    ))
}
