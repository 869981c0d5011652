//! `marketdesk bench`, notification section: delist events driven through the HTTP API
//! at a fixed rate, each timed from its request to the moment the seller's open
//! Server-Sent Events stream shows the inbox message — the whole path: HTTP, the
//! delist transaction, the outbox, the dispatcher's transaction, the broadcast, SSE.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use marketdesk_service::Service;
use marketdesk_store::seed::{self, Seed, Spread};

use super::figures::{ms, percentile as pct};

pub async fn notify_section(service: &Service, rate: u64, seconds: u64) -> anyhow::Result<()> {
    let n = (rate * seconds) as i64;
    let (store, seller) = super::figures::store_with_seller(service, "Bench notifications").await?;
    let now = jiff::Timestamp::now().as_microsecond();
    {
        let mut tx = service.db.begin().await?;
        seed::products(
            &mut tx,
            service.db.backend(),
            Seed {
                store_id: &store.id,
                currency: "USD",
                id_tag: "0e000005",
                n,
                spread: Spread::AllOnSale,
                now_us: now,
                stock_each: 10,
            },
        )
        .await?;
        tx.commit().await?;
    }
    let id = |i: i64| format!("0e000005-0000-7000-8000-{i:012x}");

    // The server as `serve` runs it: API, dispatcher polling every 200 ms.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = marketdesk_server::app(service.clone());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let dispatcher = tokio::spawn(
        service
            .clone()
            .run_outbox_dispatcher(Duration::from_millis(200)),
    );

    // The seller's open stream: product id → when its message arrived.
    let arrived: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let client = marketdesk_store::tls::client();
    let res = client
        .get(format!("{base}/api/v1/inbox/stream"))
        .bearer_auth(&seller.token)
        .send()
        .await?;
    anyhow::ensure!(res.status().is_success(), "stream: {}", res.status());
    let reader = {
        let arrived = arrived.clone();
        let mut res = res;
        tokio::spawn(async move {
            let mut buf = String::new();
            while let Ok(Some(chunk)) = res.chunk().await {
                let at = Instant::now();
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let frame: String = buf.drain(..end + 2).collect();
                    for line in frame.lines() {
                        if let Some(data) = line.strip_prefix("data:") {
                            let v: serde_json::Value =
                                serde_json::from_str(data.trim()).unwrap_or_default();
                            if let Some(p) = v["subject_id"].as_str() {
                                arrived.lock().unwrap().insert(p.to_string(), at);
                            }
                        }
                    }
                }
            }
        })
    };

    println!(
        "notifications: {rate} delists/s for {seconds} s through HTTP ({n} events), seller's SSE stream open"
    );
    let period = Duration::from_secs_f64(1.0 / rate as f64);
    let start = tokio::time::Instant::now();
    let mut requests = Vec::with_capacity(n as usize);
    for i in 1..=n {
        tokio::time::sleep_until(start + period * (i - 1) as u32).await;
        let (client, base, token, pid) =
            (client.clone(), base.clone(), seller.token.clone(), id(i));
        requests.push(tokio::spawn(async move {
            let sent = Instant::now();
            let res = client
                .post(format!("{base}/api/v1/products/{pid}/delist"))
                .bearer_auth(&token)
                .json(&serde_json::json!({"reason_code": "slow_selling", "reason_text": "bench"}))
                .send()
                .await;
            let answered = Instant::now();
            let ok = res.is_ok_and(|r| r.status().is_success());
            (pid, sent, answered, ok)
        }));
    }
    let mut sent = Vec::with_capacity(requests.len());
    for r in requests {
        sent.push(r.await?);
    }
    let driven = start.elapsed();
    let failed = sent.iter().filter(|s| !s.3).count();
    // Give the last messages time to arrive.
    let wait_from = Instant::now();
    while arrived.lock().unwrap().len() < sent.len() - failed
        && wait_from.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let arrived = arrived.lock().unwrap().clone();
    let mut from_request = Vec::new();
    let mut from_answer = Vec::new();
    let mut answer = Vec::new();
    for (pid, s, a, ok) in &sent {
        if !ok {
            continue;
        }
        answer.push(*a - *s);
        if let Some(at) = arrived.get(pid) {
            from_request.push(at.saturating_duration_since(*s));
            from_answer.push(at.saturating_duration_since(*a));
        }
    }
    from_request.sort();
    from_answer.sort();
    answer.sort();
    println!(
        "  driven at {:.0} events/s ({} requests in {:.1} s), {failed} failed, {} of {} messages arrived",
        sent.len() as f64 / driven.as_secs_f64(),
        sent.len(),
        driven.as_secs_f64(),
        from_request.len(),
        sent.len() - failed
    );
    println!(
        "  delist request → HTTP answer (commit):       p50 {:>7.1} ms  p99 {:>7.1} ms",
        ms(pct(&answer, 0.5)),
        ms(pct(&answer, 0.99))
    );
    println!(
        "  delist request → SSE message (upper bound):  p50 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms",
        ms(pct(&from_request, 0.5)),
        ms(pct(&from_request, 0.99)),
        ms(from_request.last().copied().unwrap_or_default())
    );
    println!(
        "  HTTP answer → SSE message (lower bound):     p50 {:>7.1} ms  p99 {:>7.1} ms",
        ms(pct(&from_answer, 0.5)),
        ms(pct(&from_answer, 0.99))
    );
    println!(
        "  (a write nudges the dispatcher, which gathers 15 ms of events per round; it also polls every 200 ms)"
    );
    reader.abort();
    dispatcher.abort();
    server.abort();
    Ok(())
}
