//! `marketdesk export`: violations, after-sales cases, refunds and a product's timeline as
//! CSV on standard output, page by page, in the API's CSV layout.

use std::io::Write;
use std::sync::Arc;

use clap::Subcommand;
use marketdesk_server::csv_export::{self, lines};
use marketdesk_server::views::TimelineItemView;
use marketdesk_service::aftersales::cases::{CaseQuery, RefundQuery};
use marketdesk_service::violations::ViolationQuery;
use marketdesk_service::{Actor, ServiceResult, SystemClock};

use crate::DataArgs;
use crate::serve::{Announce, open_bootstrapped};

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Violation cases, with the violation list's filters.
    Violations {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        store: Option<String>,
        /// awaiting_rectification, in_review, overdue, appealed or closed.
        #[arg(long)]
        progress: Option<String>,
        #[arg(long)]
        rule_code: Option<String>,
    },
    /// After-sales cases.
    Aftersales {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        store: Option<String>,
        #[arg(long)]
        state: Option<String>,
    },
    /// Refunds.
    Refunds {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        store: Option<String>,
        #[arg(long)]
        order: Option<String>,
    },
    /// One product's timeline, every change before → after.
    Timeline {
        #[command(flatten)]
        data: DataArgs,
        product: String,
    },
}

const PAGE: i64 = 200;

/// Writes every page `fetch` gives, the header first.
async fn pages<T, F, Fut>(
    header: &[&str],
    row: fn(&T) -> Vec<String>,
    fetch: F,
) -> anyhow::Result<()>
where
    F: Fn(Option<String>) -> Fut,
    Fut: std::future::Future<Output = ServiceResult<(Vec<T>, Option<String>)>>,
{
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let mut cursor = None;
    let mut first = true;
    loop {
        let (items, next) = fetch(cursor).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        out.write_all(&lines(first.then_some(header), &items, row))?;
        first = false;
        match next {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    out.flush()?;
    Ok(())
}

pub async fn run(c: ExportCommand) -> anyhow::Result<()> {
    let admin = Actor::local_admin();
    let open = |data: DataArgs| async move {
        open_bootstrapped(&data, Arc::new(SystemClock), Announce::Stderr).await
    };
    match c {
        ExportCommand::Violations {
            data,
            store,
            progress,
            rule_code,
        } => {
            let service = open(data).await?;
            let base = ViolationQuery {
                store_id: store,
                progress,
                rule_code,
                limit: Some(PAGE),
                ..Default::default()
            };
            pages(
                csv_export::VIOLATION_COLUMNS,
                csv_export::violation_row,
                |cursor| {
                    let q = ViolationQuery {
                        cursor,
                        ..base.clone()
                    };
                    let (service, admin) = (&service, &admin);
                    async move {
                        let page = service.violations(admin, &q).await?;
                        Ok((page.items, page.next_cursor))
                    }
                },
            )
            .await
        }
        ExportCommand::Aftersales { data, store, state } => {
            let service = open(data).await?;
            let base = CaseQuery {
                store_id: store,
                state,
                limit: Some(PAGE),
                ..Default::default()
            };
            pages(csv_export::CASE_COLUMNS, csv_export::case_row, |cursor| {
                let q = CaseQuery {
                    cursor,
                    ..base.clone()
                };
                service.cases(&admin, q)
            })
            .await
        }
        ExportCommand::Refunds { data, store, order } => {
            let service = open(data).await?;
            let base = RefundQuery {
                store_id: store,
                order_id: order,
                limit: Some(PAGE),
                ..Default::default()
            };
            pages(
                csv_export::REFUND_COLUMNS,
                csv_export::refund_row,
                |cursor| {
                    let q = RefundQuery {
                        cursor,
                        ..base.clone()
                    };
                    service.refunds(&admin, q)
                },
            )
            .await
        }
        ExportCommand::Timeline { data, product } => {
            let service = open(data).await?;
            pages(
                csv_export::TIMELINE_COLUMNS,
                csv_export::timeline_row,
                |_| {
                    let (service, admin, product) = (&service, &admin, &product);
                    async move {
                        let items: Vec<TimelineItemView> = service
                            .timeline(admin, product)
                            .await?
                            .into_iter()
                            .map(TimelineItemView::from)
                            .collect();
                        Ok((items, None))
                    }
                },
            )
            .await
        }
    }
}
