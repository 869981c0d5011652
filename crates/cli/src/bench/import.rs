//! The CSV product import: the use case (parse, check every row, create each product with
//! its SKUs, opening stock, counts, timeline and event, one transaction) beside a raw
//! multi-row INSERT of the same products and SKUs, in one transaction.

use std::time::Instant;

use marketdesk_service::product_csv::read_import;
use marketdesk_service::{Actor, Service};
use marketdesk_store::seed::{self, BareProduct};

fn file(rows: usize, tag: &str) -> String {
    let mut s = String::from("title,category,description,sku_code,price,stock\n");
    for i in 0..rows {
        s.push_str(&format!(
            "Imported lamp {tag} {i},home,Warm light,{tag}-{i},{}.{:02},{}\n",
            10 + i % 90,
            i % 100,
            i % 50
        ));
    }
    s
}

async fn store(service: &Service, name: &str) -> anyhow::Result<String> {
    let s = service
        .create_store(
            &Actor::local_admin(),
            marketdesk_service::accounts::NewStore {
                name: name.into(),
                site: "US".into(),
                fulfilment_mode: "self_operated".into(),
            },
        )
        .await?;
    Ok(s.id)
}

/// Imports `rows` new one-SKU products from CSV and prints rows/s beside the raw INSERT.
pub(super) async fn import_section(service: &Service, rows: usize) -> anyhow::Result<()> {
    let admin = Actor::local_admin();
    let text = file(rows, "IMP");
    let target = store(service, "Bench import").await?;
    let start = Instant::now();
    let parsed = read_import(text.as_bytes())
        .map_err(|e| anyhow::anyhow!("bench file refused: {:?}", e.0.first()))?;
    let summary = service
        .import_products(&admin, &target, &parsed, &|_| {})
        .await?;
    let use_case = start.elapsed().as_secs_f64();
    anyhow::ensure!(summary.created == rows, "created {}", summary.created);
    let raw_store = store(service, "Bench raw insert").await?;
    let bare: Vec<BareProduct> = parsed
        .iter()
        .map(|r| BareProduct {
            id: marketdesk_core::id::new_id(),
            sku_id: marketdesk_core::id::new_id(),
            title: &r.title,
            category: &r.category,
            description: r.description.as_deref().unwrap_or_default(),
            sku_code: &r.sku_code,
            price: &r.price,
            stock: r.stock.as_deref().and_then(|s| s.parse().ok()).unwrap_or(0),
        })
        .collect();
    let now = jiff::Timestamp::now().as_microsecond();
    let start = Instant::now();
    let mut tx = service.db.begin().await?;
    seed::bare_products(&mut tx, &raw_store, "USD", &bare, now).await?;
    tx.commit().await?;
    let raw = start.elapsed().as_secs_f64();
    let rate = |secs: f64| rows as f64 / secs;
    println!(
        "CSV import of {rows} rows, use case:       {:>8.0} rows/s  ({use_case:.1} s)",
        rate(use_case)
    );
    println!(
        "CSV import of {rows} rows, raw INSERTs:    {:>8.0} rows/s  ({raw:.1} s; {} rows a statement)   use case / raw = {:.2}",
        rate(raw),
        seed::BARE_CHUNK,
        rate(use_case) / rate(raw)
    );
    Ok(())
}
