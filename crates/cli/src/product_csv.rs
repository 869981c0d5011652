//! `marketdesk products import` and `marketdesk products export`: the API's CSV, on the
//! data directory, as the local platform admin.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use marketdesk_service::product_csv::{export_chunk, read_import};
use marketdesk_service::products::ProductQuery;
use marketdesk_service::{Actor, ServiceError, SystemClock};

use crate::DataArgs;
use crate::serve::{Announce, open_bootstrapped};

/// Prints every bad row as its own `error:` line; the caller's error ends the run.
fn report(file: &Path, errors: &marketdesk_core::Invalid) {
    for e in &errors.0 {
        eprintln!("error: {}: {}: {}", file.display(), e.field, e.message);
    }
}

pub async fn import(data: &DataArgs, store: &str, file: &Path) -> anyhow::Result<()> {
    let input =
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let rows = match read_import(std::io::BufReader::new(input)) {
        Ok(rows) => rows,
        Err(errors) => {
            report(file, &errors);
            anyhow::bail!(
                "{}: the file was refused; nothing was imported",
                file.display()
            );
        }
    };
    let service = open_bootstrapped(data, Arc::new(SystemClock), Announce::Stderr).await?;
    let bar = indicatif::ProgressBar::new(rows.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {per_sec}")
            .expect("template"),
    );
    let tick = |n: u64| bar.set_position(n);
    match service
        .import_products(&Actor::local_admin(), store, &rows, &tick)
        .await
    {
        Ok(s) => {
            bar.finish_and_clear();
            println!(
                "imported {} rows: {} products created, {} updated, {} unchanged",
                s.rows, s.created, s.updated, s.unchanged
            );
            Ok(())
        }
        Err(ServiceError::Invalid(errors)) => {
            bar.abandon();
            report(file, &errors);
            anyhow::bail!(
                "{} problems in {} rows; nothing was imported",
                errors.0.len(),
                rows.len()
            )
        }
        Err(e) => Err(anyhow::anyhow!("{e}")),
    }
}

/// Writes the filtered product list to standard output page by page.
pub async fn export(data: &DataArgs, store: &str, mut query: ProductQuery) -> anyhow::Result<()> {
    let service = open_bootstrapped(data, Arc::new(SystemClock), Announce::Stderr).await?;
    let admin = Actor::local_admin();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    query.limit = Some(200);
    let mut header = true;
    loop {
        let page = service
            .products(&admin, store, &query)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        out.write_all(&export_chunk(&page.items, header))?;
        header = false;
        match page.next_cursor {
            Some(c) => query.cursor = Some(c),
            None => break,
        }
    }
    out.flush()?;
    Ok(())
}
