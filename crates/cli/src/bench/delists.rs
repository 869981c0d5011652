//! Single and batch delists: the use case, HTTP, and the raw statements of each.

use std::time::Instant;

use anyhow::Context;
use marketdesk_core::{DelistKind, ListingStatus, State};
use marketdesk_service::Service;
use marketdesk_store::products::{self};
use marketdesk_store::{catalog, outbox, timeline};

/// The statements of one delist, with no domain code: load product and store, write the
/// status, move the two tab counts, append timeline and outbox, read the SKUs back.
pub(super) async fn raw_delist(
    tx: &mut marketdesk_store::Conn,
    product_id: &str,
    now: i64,
) -> anyhow::Result<()> {
    let row = products::product(tx, product_id)
        .await?
        .context("seeded product")?;
    catalog::store(tx, &row.store_id).await?;
    raw_write(tx, row.clone(), now).await?;
    products::bump_count(tx, &row.store_id, "on_sale", "", -1).await?;
    products::bump_count(tx, &row.store_id, "delisted", "voluntary", 1).await?;
    products::skus_of(tx, std::slice::from_ref(&row.id)).await?;
    Ok(())
}

/// The statements of a batch delist: load all, load the store, write each, move the
/// counts once.
pub(super) async fn raw_batch_delist(
    tx: &mut marketdesk_store::Conn,
    store_id: &str,
    ids: &[String],
    now: i64,
) -> anyhow::Result<()> {
    let rows = products::products_by_ids(tx, ids).await?;
    catalog::store(tx, store_id).await?;
    let n = rows.len() as i64;
    for row in rows {
        raw_write(tx, row, now).await?;
    }
    products::bump_count(tx, store_id, "on_sale", "", -n).await?;
    products::bump_count(tx, store_id, "delisted", "voluntary", n).await?;
    Ok(())
}

/// Status, timeline row and outbox event of one delist.
pub(super) async fn raw_write(
    tx: &mut marketdesk_store::Conn,
    mut row: products::ProductRow,
    now: i64,
) -> anyhow::Result<()> {
    let version = row.version;
    row.status = ListingStatus {
        state: State::Delisted,
        delist_kind: Some(DelistKind::Voluntary),
        review_return: None,
    };
    row.reason_code = Some("slow_selling".into());
    row.reason_text = Some("bench".into());
    row.version += 1;
    row.updated_at = now;
    anyhow::ensure!(
        products::update_status(tx, &row, version).await?,
        "version moved"
    );
    timeline::insert(
        tx,
        &timeline::TimelineRow {
            id: marketdesk_core::id::new_id(),
            store_id: row.store_id.clone(),
            product_id: row.id.clone(),
            at: now,
            actor_id: "bench".into(),
            actor_role: "admin".into(),
            action: "delist".into(),
            from_state: Some("on_sale".into()),
            to_state: "delisted".into(),
            delist_kind: Some("voluntary".into()),
            reason_code: Some("slow_selling".into()),
            reason_text: Some("bench".into()),
            evidence_ids: "[]".into(),
            changes: Vec::new(),
            classified_code: None,
        },
    )
    .await?;
    outbox::insert(
        tx,
        &outbox::OutboxRow {
            id: marketdesk_core::id::new_id(),
            store_id: row.store_id.clone(),
            event_type: "product.delisted".into(),
            subject_id: row.id.clone(),
            payload: "{}".into(),
            created_at: now,
            dispatched_at: None,
        },
    )
    .await?;
    Ok(())
}

/// Relists then delists each product over HTTP with one client; returns requests/s.
pub(super) async fn http_delists(service: &Service, ids: &[String]) -> anyhow::Result<f64> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = marketdesk_server::app(service.clone());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = marketdesk_store::tls::client();
    let token = "bench-admin-token-0123456789";
    let start = Instant::now();
    for id in ids {
        for (path, body) in [
            ("relist", serde_json::json!({})),
            (
                "delist",
                serde_json::json!({"reason_code": "slow_selling", "reason_text": "bench"}),
            ),
        ] {
            let res = client
                .post(format!("http://{addr}/api/v1/products/{id}/{path}"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await?;
            anyhow::ensure!(res.status().is_success(), "{path} {id}: {}", res.status());
        }
    }
    let rate = (ids.len() * 2) as f64 / start.elapsed().as_secs_f64();
    server.abort();
    Ok(rate)
}
