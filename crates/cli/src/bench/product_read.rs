//! One product read, `GET /api/v1/products/{id}` with a seller's token, over real HTTP on
//! loopback, beside a hello route served by the same binary in the same run and driven by
//! the same client: the distance between the read path and what the machine, the HTTP
//! stack and the client allow at all.

use std::time::{Duration, Instant};

use anyhow::Context;
use marketdesk_service::Service;
use marketdesk_service::products::{NewProduct, NewSku};

use super::figures::{ms, percentile};

pub(super) async fn read_section(
    service: &Service,
    clients: usize,
    requests: usize,
) -> anyhow::Result<()> {
    let (store, seller) = super::figures::store_with_seller(service, "Bench reads").await?;
    // Clients read different products at the same moment, as shoppers do: one product
    // read by all would flatter any read that coalesces the same id.
    let mut products = Vec::with_capacity(PRODUCTS);
    for n in 0..PRODUCTS {
        let product = super::figures::on_sale(
            service,
            &store.id,
            NewProduct {
                fulfilment: None,
                qualification_ids: Vec::new(),
                title: format!("Wireless earbuds with charging case, model {n}"),
                category: "electronics".into(),
                description: "**Noise cancelling** earbuds.\n\n- 30 h with the case\n- USB-C\n\nSee the *size chart*.".into(),
                skus: ["BLACK", "WHITE", "BLUE"]
                    .into_iter()
                    .map(|code| NewSku {
                        code: format!("{code}-{n}"),
                        price: "49.90".into(),
                        stock: 100,
                    })
                    .collect(),
            },
        )
        .await?;
        products.push(product.id);
    }

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let api = format!("http://{}", listener.local_addr()?);
    let app = marketdesk_server::app(service.clone())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hello_base = format!("http://{}", listener.local_addr()?);
    let hello_app = axum::Router::new().route("/hello", axum::routing::get(|| async { "hello" }));
    let hello_server = tokio::spawn(async move { axum::serve(listener, hello_app).await });

    let per_client = (requests / clients.max(1)).max(1);
    println!(
        "one product read over HTTP, {clients} concurrent clients × {per_client} requests, \
         {PRODUCTS} products (3 SKUs each) read in turn:"
    );
    println!(
        "  {:<40} {:>10} {:>8} {:>8} {:>10}",
        "", "req/s", "p50 ms", "p99 ms", "vs hello"
    );
    let hello = drive(&[format!("{hello_base}/hello")], None, clients, per_client).await?;
    let reads: Vec<String> = products
        .iter()
        .map(|id| format!("{api}/api/v1/products/{id}"))
        .collect();
    let read = drive(&reads, Some(&seller.token), clients, per_client).await?;
    for (name, (rate, p50, p99)) in [
        ("hello route (same binary, same client)", hello),
        ("GET /api/v1/products/{id}", read),
    ] {
        println!(
            "  {:<40} {:>10.0} {:>8.2} {:>8.2} {:>10.2}",
            name,
            rate,
            p50,
            p99,
            rate / hello.0
        );
    }
    server.abort();
    hello_server.abort();
    Ok(())
}

/// Products the read section reads in turn.
const PRODUCTS: usize = 256;

/// `clients` tasks each send `per_client` GETs one after another, client `i`'s `j`-th to
/// `urls[(i + j × clients) mod n]`, so requests at the same moment go to different URLs;
/// (req/s, p50 ms, p99 ms).
async fn drive(
    urls: &[String],
    token: Option<&str>,
    clients: usize,
    per_client: usize,
) -> anyhow::Result<(f64, f64, f64)> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    // One request per connection first, so the timed run measures requests, not connects.
    let warm: Vec<_> = (0..clients)
        .map(|i| {
            let (client, url, token) = (
                client.clone(),
                urls[i % urls.len()].clone(),
                token.map(str::to_string),
            );
            tokio::spawn(async move { get(&client, &url, token.as_deref()).await })
        })
        .collect();
    for w in warm {
        w.await??;
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..clients {
        let client = client.clone();
        let urls = urls.to_vec();
        let token = token.map(str::to_string);
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(per_client);
            for j in 0..per_client {
                let url = &urls[(i + j * clients) % urls.len()];
                let t = Instant::now();
                get(&client, url, token.as_deref()).await?;
                times.push(t.elapsed());
            }
            anyhow::Ok(times)
        }));
    }
    let mut times: Vec<Duration> = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    let rate = times.len() as f64 / start.elapsed().as_secs_f64();
    times.sort();
    Ok((
        rate,
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
    ))
}

async fn get(client: &reqwest::Client, url: &str, token: Option<&str>) -> anyhow::Result<()> {
    let mut req = client.get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.context("GET")?;
    anyhow::ensure!(res.status().is_success(), "GET {url}: {}", res.status());
    res.bytes().await?;
    Ok(())
}
