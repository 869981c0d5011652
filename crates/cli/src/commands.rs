//! Admin commands on the data directory: the same use cases as the API, as the local
//! platform admin, printing the API's JSON shapes.

use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use marketdesk_core::Action;
use marketdesk_server::views::{
    BatchDelistView, ProductPageView, ProductView, StoreView, TimelineItemView, TimelineView,
    UserCreatedView,
};
use marketdesk_service::accounts::{NewStore, NewUser};
use marketdesk_service::listing::Why;
use marketdesk_service::products::{NewProduct, NewSku, ProductQuery};
use marketdesk_service::{Actor, ServiceError, SystemClock};
use serde::Serialize;

use crate::DataArgs;
use crate::serve::{Announce, open_bootstrapped};

#[derive(Subcommand)]
pub enum StoreCommand {
    /// List every store.
    List {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Open a store.
    Create {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        name: String,
        /// Site code: US, UK, DE, FR, ES, IT, CN.
        #[arg(long)]
        site: String,
        /// self_operated, semi_managed or fully_managed.
        #[arg(long, default_value = "self_operated")]
        fulfilment_mode: String,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user and print its API token (shown once).
    Create {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        name: String,
        /// admin, reviewer, cs_agent or seller.
        #[arg(long)]
        role: String,
        /// The store a seller is bound to.
        #[arg(long)]
        store: Option<String>,
    },
}

/// The product list's filters, as the list page and the API name them.
#[derive(clap::Args)]
pub struct ProductFilters {
    #[arg(long)]
    state: Option<String>,
    #[arg(long)]
    delist_kind: Option<String>,
    #[arg(long)]
    label: Option<String>,
    #[arg(long)]
    reason_code: Option<String>,
    #[arg(long)]
    category: Option<String>,
    #[arg(long)]
    q: Option<String>,
    /// Violation progress: awaiting_rectification, in_review, overdue, appealed, closed.
    #[arg(long)]
    progress: Option<String>,
    /// Fulfilment mode of the store: self_operated, semi_managed, fully_managed.
    #[arg(long)]
    fulfilment: Option<String>,
}

impl ProductFilters {
    fn query(self, cursor: Option<String>, limit: Option<i64>) -> ProductQuery {
        ProductQuery {
            state: self.state,
            delist_kind: self.delist_kind,
            label: self.label,
            reason_code: self.reason_code,
            category: self.category,
            q: self.q,
            progress: self.progress,
            fulfilment: self.fulfilment,
            cursor,
            limit,
            ..Default::default()
        }
    }
}

#[derive(Subcommand)]
pub enum ProductCommand {
    /// List a store's products with the list page's filters.
    List {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        store: String,
        #[command(flatten)]
        filters: ProductFilters,
        #[arg(long)]
        cursor: Option<String>,
        #[arg(long)]
        limit: Option<i64>,
    },
    /// Create and update a store's products from a CSV file (the export's columns;
    /// title, category, sku_code and price required). All rows or none: every bad row is
    /// printed as an `error:` line and nothing is imported.
    Import {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        store: String,
        file: std::path::PathBuf,
    },
    /// Print a store's products as CSV, one row per SKU, with the list's filters.
    Export {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        store: String,
        #[command(flatten)]
        filters: ProductFilters,
    },
    /// Show one product.
    Show {
        #[command(flatten)]
        data: DataArgs,
        id: String,
    },
    /// Create a draft product; SKUs as CODE:PRICE:STOCK.
    Create {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        store: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        category: String,
        #[arg(long = "sku", required = true)]
        skus: Vec<String>,
    },
    /// Put a draft on sale (fully-managed stores: into review).
    PutOnSale {
        #[command(flatten)]
        data: DataArgs,
        id: String,
    },
    /// Delist voluntarily, with a reason.
    Delist {
        #[command(flatten)]
        data: DataArgs,
        id: String,
        #[arg(long)]
        reason_code: String,
        #[arg(long)]
        reason_text: String,
        #[arg(long = "evidence")]
        evidence_ids: Vec<String>,
    },
    /// Delist up to 1,000 products of one store at once; all or nothing.
    BatchDelist {
        #[command(flatten)]
        data: DataArgs,
        #[arg(long)]
        store: String,
        #[arg(long)]
        reason_code: String,
        #[arg(long)]
        reason_text: String,
        /// Product ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// Relist a voluntarily delisted product.
    Relist {
        #[command(flatten)]
        data: DataArgs,
        id: String,
    },
    /// A product's timeline.
    Timeline {
        #[command(flatten)]
        data: DataArgs,
        id: String,
    },
}

fn print<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// A service refusal as one line, naming each field or item at fault.
fn refusal(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::Conflict { detail, errors } if !errors.is_empty() => {
            let items: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect();
            anyhow::anyhow!("{detail} ({})", items.join("; "))
        }
        ServiceError::Internal(e) => e,
        other => anyhow::anyhow!("{other}"),
    }
}

async fn service(data: &DataArgs) -> anyhow::Result<marketdesk_service::Service> {
    open_bootstrapped(data, Arc::new(SystemClock), Announce::Stderr).await
}

pub async fn stores(c: StoreCommand) -> anyhow::Result<()> {
    let admin = Actor::local_admin();
    match c {
        StoreCommand::List { data } => {
            let list = service(&data)
                .await?
                .stores(&admin)
                .await
                .map_err(refusal)?;
            print(&list.into_iter().map(StoreView::from).collect::<Vec<_>>())
        }
        StoreCommand::Create {
            data,
            name,
            site,
            fulfilment_mode,
        } => {
            let store = service(&data)
                .await?
                .create_store(
                    &admin,
                    NewStore {
                        name,
                        site,
                        fulfilment_mode,
                    },
                )
                .await
                .map_err(refusal)?;
            print(&StoreView::from(store))
        }
    }
}

pub async fn users(c: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Create {
        data,
        name,
        role,
        store,
    } = c;
    let created = service(&data)
        .await?
        .create_user(
            &Actor::local_admin(),
            NewUser {
                name,
                role,
                store_id: store,
                language: None,
                login: None,
                password: None,
            },
        )
        .await
        .map_err(refusal)?;
    print(&UserCreatedView {
        id: created.user.id,
        name: created.user.name,
        role: created.user.role,
        store_id: created.user.store_id,
        login: created.user.login,
        token: created.token,
    })
}

fn parse_sku(text: &str) -> anyhow::Result<NewSku> {
    let mut parts = text.rsplitn(3, ':');
    let (Some(stock), Some(price), Some(code)) = (parts.next(), parts.next(), parts.next()) else {
        anyhow::bail!("--sku {text}: expected CODE:PRICE:STOCK");
    };
    let stock = stock
        .parse()
        .with_context(|| format!("--sku {text}: stock must be a whole number"))?;
    Ok(NewSku {
        code: code.into(),
        price: price.into(),
        stock,
    })
}

pub async fn products(c: ProductCommand) -> anyhow::Result<()> {
    let admin = Actor::local_admin();
    match c {
        ProductCommand::List {
            data,
            store,
            filters,
            cursor,
            limit,
        } => {
            let query = filters.query(cursor, limit);
            let page = service(&data)
                .await?
                .products(&admin, &store, &query)
                .await
                .map_err(refusal)?;
            print(&ProductPageView::from(page))
        }
        ProductCommand::Import { data, store, file } => {
            crate::product_csv::import(&data, &store, &file).await
        }
        ProductCommand::Export {
            data,
            store,
            filters,
        } => {
            let query = filters.query(None, None);
            crate::product_csv::export(&data, &store, query).await
        }
        ProductCommand::Show { data, id } => print(&ProductView::from(
            service(&data)
                .await?
                .product(&admin, &id)
                .await
                .map_err(refusal)?,
        )),
        ProductCommand::Create {
            data,
            store,
            title,
            category,
            skus,
        } => {
            let skus = skus
                .iter()
                .map(|s| parse_sku(s))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let p = service(&data)
                .await?
                .create_product(
                    &admin,
                    &store,
                    NewProduct {
                        fulfilment: None,
                        qualification_ids: Vec::new(),
                        title,
                        category,
                        description: String::new(),
                        skus,
                    },
                )
                .await
                .map_err(refusal)?;
            print(&ProductView::from(p))
        }
        ProductCommand::PutOnSale { data, id } => {
            transition(&data, &id, (Action::List, Why::default())).await
        }
        ProductCommand::Relist { data, id } => {
            transition(&data, &id, (Action::Relist, Why::default())).await
        }
        ProductCommand::Delist {
            data,
            id,
            reason_code,
            reason_text,
            evidence_ids,
        } => {
            let why = Why {
                reason_code: Some(reason_code),
                reason_text: Some(reason_text),
                evidence_ids,
            };
            transition(&data, &id, (Action::Delist, why)).await
        }
        ProductCommand::BatchDelist {
            data,
            store,
            reason_code,
            reason_text,
            ids,
        } => {
            let why = Why {
                reason_code: Some(reason_code),
                reason_text: Some(reason_text),
                evidence_ids: vec![],
            };
            let done = service(&data)
                .await?
                .batch_delist(&admin, &store, &ids, why)
                .await
                .map_err(refusal)?;
            print(&BatchDelistView {
                delisted: done.len(),
                product_ids: done.into_iter().map(|p| p.id).collect(),
            })
        }
        ProductCommand::Timeline { data, id } => {
            let rows = service(&data)
                .await?
                .timeline(&admin, &id)
                .await
                .map_err(refusal)?;
            print(&TimelineView {
                items: rows.into_iter().map(TimelineItemView::from).collect(),
            })
        }
    }
}

async fn transition(data: &DataArgs, id: &str, (action, why): (Action, Why)) -> anyhow::Result<()> {
    let p = service(data)
        .await?
        .transition(&Actor::local_admin(), id, action, why)
        .await
        .map_err(refusal)?;
    print(&ProductView::from(p))
}
