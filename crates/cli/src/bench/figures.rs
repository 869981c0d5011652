//! The figures every section prints: percentiles of sorted timings, milliseconds, and the
//! disk's own limit on durable commits.

use std::io::Write;
use std::time::{Duration, Instant};

/// The physical limit of a durable single-writer commit: how often this disk can make a
/// small write durable.
pub(crate) fn fsync_rate(dir: &std::path::Path, n: usize) -> anyhow::Result<f64> {
    let path = dir.join("fsync-probe");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .open(&path)?;
    let block = [7u8; 4096];
    let start = Instant::now();
    for _ in 0..n {
        f.write_all(&block)?;
        f.sync_data()?;
    }
    let rate = n as f64 / start.elapsed().as_secs_f64();
    drop(f);
    std::fs::remove_file(path)?;
    Ok(rate)
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A US store for one section, and its seller's API account (the token is in the answer).
pub(crate) async fn store_with_seller(
    service: &marketdesk_service::Service,
    name: &str,
) -> anyhow::Result<(
    marketdesk_service::records::Store,
    marketdesk_service::accounts::CreatedUser,
)> {
    let admin = marketdesk_service::Actor::local_admin();
    let store = service
        .create_store(
            &admin,
            marketdesk_service::accounts::NewStore {
                name: name.into(),
                site: "US".into(),
                fulfilment_mode: "self_operated".into(),
            },
        )
        .await?;
    let seller = service
        .create_user(
            &admin,
            marketdesk_service::accounts::NewUser {
                name: format!("{name} seller"),
                role: "seller".into(),
                store_id: Some(store.id.clone()),
                language: None,
                login: None,
                password: None,
            },
        )
        .await?;
    Ok((store, seller))
}

/// A seller of `store_id` who signs in to the console as `login`: its API token and the
/// `Cookie` header of a fresh session.
pub(crate) async fn seller_with_session(
    service: &marketdesk_service::Service,
    store_id: &str,
    login: &str,
) -> anyhow::Result<(String, String)> {
    let password = "bench console password";
    let seller = service
        .create_user(
            &marketdesk_service::Actor::local_admin(),
            marketdesk_service::accounts::NewUser {
                name: format!("Bench {login}"),
                role: "seller".into(),
                store_id: Some(store_id.into()),
                language: None,
                login: Some(login.into()),
                password: Some(password.into()),
            },
        )
        .await?;
    let session = service.login(login, password, "127.0.0.1").await?;
    Ok((
        seller.token,
        format!("marketdesk_session={}", session.cookie),
    ))
}

/// A product created in `store_id` by the platform and put on sale: what the read and
/// mixed-load sections read and order from.
pub(crate) async fn on_sale(
    service: &marketdesk_service::Service,
    store_id: &str,
    product: marketdesk_service::products::NewProduct,
) -> anyhow::Result<marketdesk_service::products::Product> {
    let admin = marketdesk_service::Actor::local_admin();
    let p = service.create_product(&admin, store_id, product).await?;
    service
        .transition(
            &admin,
            &p.id,
            marketdesk_core::Action::List,
            marketdesk_service::listing::Why::default(),
        )
        .await?;
    Ok(p)
}
