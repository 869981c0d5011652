//! Reservations through HTTP with and without group commit, beside the raw statements at
//! one order per transaction and at 100 (what group commit can approach), at each client
//! count asked for, with where group commit's time went.

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
    client_counts: &[usize],
    orders: usize,
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
    for &clients in client_counts {
        let clients = clients.max(1);
        let per_client = (orders / clients).max(1);
        println!(
            "order reservations, {clients} concurrent clients × {per_client} one-line orders:"
        );
        println!(
            "  {:<46} {:>9} {:>8} {:>8} {:>8} {:>10}",
            "", "orders/s", "p50 ms", "p99 ms", "vs raw", "vs raw×100"
        );
        for (label, pick) in [("hot SKU", None), ("spread over 10,000 SKUs", Some(()))] {
            let sku_for = |client: usize, k: usize| match pick {
                None => hot_sku.clone(),
                Some(()) => spread_sku(client * 7919 + k * 104_729),
            };
            let raw = raw_reservations(db, &store.id, clients, per_client, 1, &sku_for).await?;
            let raw100 =
                raw_reservations(db, &store.id, clients, per_client, 100, &sku_for).await?;
            let single = http_orders(
                &service.clone().with_group_commit(false),
                &store.id,
                clients,
                per_client,
                &sku_for,
            )
            .await?;
            let grouped_service = service.clone().with_group_commit(true);
            grouped_service.take_order_batch_figures();
            let grouped =
                http_orders(&grouped_service, &store.id, clients, per_client, &sku_for).await?;
            let figures = grouped_service.take_order_batch_figures();
            for (name, rate) in [
                ("raw statements", raw),
                ("raw statements, 100 orders per transaction", raw100),
            ] {
                println!(
                    "  {:<46} {:>9.0} {:>8} {:>8} {:>8.2} {:>10.2}",
                    format!("{label}, {name}"),
                    rate,
                    "",
                    "",
                    rate / raw,
                    rate / raw100
                );
            }
            for (name, (rate, p50, p99)) in [
                ("HTTP, one transaction per order", single),
                ("HTTP, group commit", grouped),
            ] {
                println!(
                    "  {:<46} {:>9.0} {:>8.2} {:>8.2} {:>8.2} {:>10.2}",
                    format!("{label}, {name}"),
                    rate,
                    p50,
                    p99,
                    rate / raw,
                    rate / raw100
                );
            }
            print_batch_figures(&figures);
        }
    }
    Ok(())
}

/// Where group commit's time went: batch sizes reached and the mean time per batch in
/// each step (lock waits on a hot row are inside "reserve").
fn print_batch_figures(f: &marketdesk_service::order_batch::BatchFigures) {
    if f.batches == 0 {
        return;
    }
    let per = |us: u64| us as f64 / f.batches as f64 / 1000.0;
    println!(
        "    group commit: {} batches, {:.1} orders each (largest {}), {:.0} % reserved together; \
         per batch: begin {:.2} ms, reserve {:.2} ms, alone {:.2} ms, write {:.2} ms, commit {:.2} ms",
        f.batches,
        f.orders as f64 / f.batches as f64,
        f.largest,
        100.0 * f.together as f64 / f.orders.max(1) as f64,
        per(f.begin_us),
        per(f.reserve_us),
        per(f.alone_us),
        per(f.write_us),
        per(f.commit_us),
    );
}

/// The raw statements of a reservation (SKU read, guarded stock update, ledger row,
/// order and line, outbox event) from `clients` concurrent tasks, `per_tx` orders in each
/// transaction; returns orders/s.
pub(super) async fn raw_reservations(
    db: &Db,
    store_id: &str,
    clients: usize,
    per_client: usize,
    per_tx: usize,
    sku_for: &(dyn Fn(usize, usize) -> String + Sync),
) -> anyhow::Result<f64> {
    let start = Instant::now();
    let mut tasks = Vec::new();
    // SQLite's clients take turns on its one write connection in arrival order: the
    // pool's own queue let one client wait past its 5 s timeout in long runs.
    let turns = std::sync::Arc::new(tokio::sync::Mutex::new(()));
    for client in 0..clients {
        let skus: Vec<String> = (0..per_client).map(|k| sku_for(client, k)).collect();
        let db = db.clone();
        let store_id = store_id.to_string();
        let turns = turns.clone();
        tasks.push(tokio::spawn(async move {
            // Each client on a connection of its own on PostgreSQL (pgbench's way), on
            // the one write connection on SQLite.
            let mut own = db.own_connection().await?;
            for chunk in skus.chunks(per_tx.max(1)) {
                use sqlx::Connection;
                let _turn = match own {
                    Some(_) => None,
                    None => Some(turns.lock().await),
                };
                let mut tx = match own.as_mut() {
                    Some(conn) => conn.begin().await?,
                    None => db.begin().await?,
                };
                for sku in chunk {
                    raw_order(&mut tx, &store_id, sku).await?;
                }
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

async fn raw_order(tx: &mut sqlx::AnyConnection, store_id: &str, sku: &str) -> anyhow::Result<()> {
    let product_id = marketdesk_store::stock::sku(tx, sku)
        .await?
        .context("sku")?
        .product_id;
    let (on_hand, reserved) = marketdesk_store::stock::apply_movement(tx, sku, 0, 1)
        .await?
        .context("stock")?;
    let now = jiff::Timestamp::now().as_microsecond();
    let order_id = marketdesk_core::id::new_id();
    marketdesk_store::stock::insert_movement(
        tx,
        &marketdesk_store::stock::MovementRow {
            id: marketdesk_core::id::new_id(),
            store_id: store_id.into(),
            sku_id: sku.into(),
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
    marketdesk_store::orders::insert(
        tx,
        &marketdesk_store::orders::OrderRow {
            id: order_id.clone(),
            store_id: store_id.into(),
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
            store_id: store_id.into(),
            sku_id: sku.into(),
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
        tx,
        &outbox::OutboxRow {
            id: marketdesk_core::id::new_id(),
            store_id: store_id.into(),
            event_type: "order.placed".into(),
            subject_id: order_id,
            payload: "{}".into(),
            created_at: now,
            dispatched_at: None,
        },
    )
    .await?;
    Ok(())
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
