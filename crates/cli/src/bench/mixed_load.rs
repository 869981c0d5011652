//! A realistic mix over HTTP at 64 connections: sellers reading their products, buyers
//! placing orders, sellers delisting and relisting, customer service opening
//! cancellation requests and sellers deciding them — all at once, for a fixed time,
//! against the full server (auth, audit, idempotency layers, outbox dispatch running).
//! Throughput and p50/p99 per kind, and every answer that was not the expected one.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use marketdesk_service::products::{NewProduct, NewSku};
use marketdesk_service::{Actor, Service};
use serde_json::{Value, json};

use super::figures::{ms, percentile};

const ADMIN_TOKEN: &str = "bench-admin-token-0123456789";
/// Products each connection delists and relists (its own, so moves never collide).
const OWN_PRODUCTS: usize = 2;
/// Of every 20 operations: reads, orders, delist/relist moves, after-sales (an order, a
/// cancellation request and its decision).
const MIX: [Kind; 20] = {
    use Kind::*;
    [
        Read, Order, Read, Move, Read, Order, Read, Aftersales, Read, Order, Read, Move, Read,
        Order, Read, Move, Read, Order, Read, Aftersales,
    ]
};

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Read,
    Order,
    Move,
    Aftersales,
}

/// One timed request: what, how long, and whether it answered as expected.
struct Sample {
    what: &'static str,
    took: Duration,
    ok: bool,
}

pub(super) async fn mixed_section(
    service: &Service,
    clients: usize,
    seconds: u64,
) -> anyhow::Result<()> {
    let admin = Actor::local_admin();
    let (store, seller) = super::figures::store_with_seller(service, "Bench mixed").await?;
    let cs = service
        .create_user(
            &admin,
            marketdesk_service::accounts::NewUser {
                name: "bench cs".into(),
                role: "cs_agent".into(),
                store_id: None,
                language: None,
                login: None,
                password: None,
            },
        )
        .await?;
    let mut products = Vec::new();
    for i in 0..clients * OWN_PRODUCTS + 20 {
        let p = super::figures::on_sale(
            service,
            &store.id,
            NewProduct {
                fulfilment: None,
                qualification_ids: Vec::new(),
                title: format!("Mixed load item {i}"),
                category: "home_kitchen".into(),
                description: "A kettle that boils water.".into(),
                skus: vec![NewSku {
                    code: format!("MIX-{i}"),
                    price: "19.90".into(),
                    stock: 10_000_000,
                }],
            },
        )
        .await?;
        products.push((p.id, p.skus[0].id.clone()));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = marketdesk_server::app(service.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    let world = Arc::new(World {
        base,
        store: store.id,
        seller: seller.token,
        cs: cs.token,
        products,
    });
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for k in 0..clients {
        let (client, world) = (client.clone(), world.clone());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut i = k; // clients start at different places in the mix
            let mut delisted = [false; OWN_PRODUCTS];
            while Instant::now() < until {
                match MIX[i % MIX.len()] {
                    Kind::Read => {
                        let (id, _) = &world.products[i % world.products.len()];
                        let url = format!("{}/api/v1/products/{id}", world.base);
                        samples.push(timed("read a product", 200, client.get(url).bearer_auth(&world.seller)).await);
                    }
                    Kind::Order => {
                        samples.push(world.order(&client, i).await.0);
                    }
                    Kind::Move => {
                        let slot = (i / MIX.len()) % OWN_PRODUCTS;
                        let (id, _) = &world.products[20 + k * OWN_PRODUCTS + slot];
                        let (path, body, what) = if delisted[slot] {
                            ("relist", json!({}), "relist")
                        } else {
                            ("delist", json!({"reason_code": "seasonal", "reason_text": "bench"}), "delist")
                        };
                        let url = format!("{}/api/v1/products/{id}/{path}", world.base);
                        let s = timed(what, 200, client.post(url).bearer_auth(&world.seller).json(&body)).await;
                        if s.ok {
                            delisted[slot] = !delisted[slot];
                        }
                        samples.push(s);
                    }
                    Kind::Aftersales => {
                        let (placed, order) = world.order(&client, i).await;
                        samples.push(placed);
                        let Some(order) = order else { continue };
                        let url = format!("{}/api/v1/aftersales", world.base);
                        let body = json!({"order_id": order, "type": "cancellation", "reason": "ordered twice"});
                        let (s, case) = timed_json("open a cancellation request", 201, client.post(url).bearer_auth(&world.cs).json(&body)).await;
                        samples.push(s);
                        let Some(case) = case.and_then(|c| c["id"].as_str().map(str::to_string)) else { continue };
                        let url = format!("{}/api/v1/aftersales/{case}/decision", world.base);
                        let body = json!({"approve": true, "note": "cancelled as asked"});
                        samples.push(timed("decide it (seller)", 200, client.post(url).bearer_auth(&world.seller).json(&body)).await);
                    }
                }
                i += 1;
            }
            samples
        }));
    }
    let mut by_what: BTreeMap<&'static str, (Vec<Duration>, usize)> = BTreeMap::new();
    for t in tasks {
        for s in t.await? {
            let e = by_what.entry(s.what).or_default();
            e.0.push(s.took);
            e.1 += usize::from(!s.ok);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "mixed load over HTTP: {clients} connections for {seconds} s (reads 50 %, orders 25 %, delists/relists 15 %, after-sales 10 %):"
    );
    println!(
        "  {:<30} {:>9} {:>9} {:>8} {:>8} {:>7}",
        "", "requests", "per s", "p50 ms", "p99 ms", "errors"
    );
    let mut total = 0;
    for (what, (mut times, errors)) in by_what {
        times.sort();
        total += times.len();
        println!(
            "  {:<30} {:>9} {:>9.0} {:>8.2} {:>8.2} {:>7}",
            what,
            times.len(),
            times.len() as f64 / elapsed,
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            errors
        );
    }
    println!(
        "  {:<30} {:>9} {:>9.0}",
        "all",
        total,
        total as f64 / elapsed
    );
    server.abort();
    Ok(())
}

struct World {
    base: String,
    store: String,
    seller: String,
    cs: String,
    products: Vec<(String, String)>,
}

impl World {
    /// One order of one unit of one of the twenty shared SKUs; (sample, order id).
    async fn order(&self, client: &reqwest::Client, i: usize) -> (Sample, Option<String>) {
        let (_, sku) = &self.products[i % 20];
        let url = format!("{}/api/v1/orders", self.base);
        let body = json!({"store_id": self.store, "lines": [{"sku_id": sku, "quantity": 1, "unit_price": "19.90"}]});
        let (s, v) = timed_json(
            "place an order",
            201,
            client.post(url).bearer_auth(ADMIN_TOKEN).json(&body),
        )
        .await;
        let id = v.and_then(|v| v["id"].as_str().map(str::to_string));
        (s, id)
    }
}

async fn timed(what: &'static str, want: u16, req: reqwest::RequestBuilder) -> Sample {
    timed_json(what, want, req).await.0
}

async fn timed_json(
    what: &'static str,
    want: u16,
    req: reqwest::RequestBuilder,
) -> (Sample, Option<Value>) {
    let t = Instant::now();
    let res = req.send().await;
    let (ok, body) = match res {
        Ok(r) if r.status().as_u16() == want => (true, r.json::<Value>().await.ok()),
        Ok(r) => {
            let _ = r.bytes().await;
            (false, None)
        }
        Err(_) => (false, None),
    };
    (
        Sample {
            what,
            took: t.elapsed(),
            ok,
        },
        body,
    )
}
