//! `marketdesk stock import` and `marketdesk stock ledger`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use marketdesk_service::stock::LevelRow;
use marketdesk_service::{Actor, ServiceError, SystemClock};

use crate::DataArgs;
use crate::serve::{Announce, open_bootstrapped};

#[derive(Subcommand)]
pub enum StockCommand {
    /// Set counted stock levels from a CSV file with the columns sku_code,on_hand. Any bad
    /// row refuses the whole file, with one line per bad row; nothing is applied.
    Import {
        #[arg(long)]
        store: String,
        file: PathBuf,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Print a store's stock ledger as CSV.
    Ledger {
        #[arg(long)]
        store: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

pub async fn run(c: StockCommand) -> anyhow::Result<()> {
    let admin = Actor::local_admin();
    match c {
        StockCommand::Import { store, file, data } => {
            let mut reader = csv::ReaderBuilder::new()
                .trim(csv::Trim::All)
                .from_path(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let headers = reader.headers()?.clone();
            let (Some(code_col), Some(level_col)) = (
                headers.iter().position(|h| h == "sku_code"),
                headers.iter().position(|h| h == "on_hand"),
            ) else {
                anyhow::bail!(
                    "{}: the header must name the columns sku_code and on_hand",
                    file.display()
                );
            };
            let mut rows = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record =
                    record.with_context(|| format!("{}: line {}", file.display(), i + 2))?;
                rows.push(LevelRow {
                    line: i + 2,
                    code: record.get(code_col).unwrap_or_default().to_string(),
                    on_hand: record.get(level_col).unwrap_or_default().to_string(),
                });
            }
            let service = open_bootstrapped(&data, Arc::new(SystemClock), Announce::Stderr).await?;
            let bar = indicatif::ProgressBar::new(rows.len() as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows")
                    .expect("template"),
            );
            let tick = |n: u64| bar.set_position(n);
            match service
                .import_stock_levels(&admin, &store, &rows, &tick)
                .await
            {
                Ok(changed) => {
                    bar.finish_and_clear();
                    println!("imported {} rows: {changed} SKUs changed", rows.len());
                    Ok(())
                }
                Err(ServiceError::Invalid(report)) => {
                    bar.abandon();
                    for e in &report.0 {
                        eprintln!("{}: {}: {}", file.display(), e.field, e.message);
                    }
                    anyhow::bail!(
                        "{} of {} rows rejected; nothing was applied",
                        report.0.len(),
                        rows.len()
                    )
                }
                Err(e) => Err(anyhow::anyhow!("{e}")),
            }
        }
        StockCommand::Ledger { store, data } => {
            let service = open_bootstrapped(&data, Arc::new(SystemClock), Announce::Stderr).await?;
            let rows = service
                .store_ledger(&admin, &store)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut w = csv::Writer::from_writer(std::io::stdout());
            w.write_record([
                "at",
                "sku_code",
                "kind",
                "on_hand_delta",
                "reserved_delta",
                "on_hand_after",
                "reserved_after",
                "order_id",
                "reason",
                "actor",
            ])?;
            for (code, m) in rows {
                w.write_record([
                    marketdesk_service::instant(m.at),
                    code,
                    m.kind,
                    m.on_hand_delta.to_string(),
                    m.reserved_delta.to_string(),
                    m.on_hand_after.to_string(),
                    m.reserved_after.to_string(),
                    m.order_id.unwrap_or_default(),
                    m.reason.unwrap_or_default(),
                    m.actor_id,
                ])?;
            }
            w.flush()?;
            Ok(())
        }
    }
}
