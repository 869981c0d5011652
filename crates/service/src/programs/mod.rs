//! Store programs (seeds 001 and 002): the affiliate program and leaving it, the
//! fully-managed store from application to opening, its JIT orders, and the security
//! deposit with its refund.

pub mod affiliate;
pub mod affiliate_exit;
pub mod deposit;
pub mod deposit_refund;
pub mod fully_managed;
pub mod fully_managed_listing;
pub mod jit;

use marketdesk_core::{Invalid, id};
use marketdesk_store::affiliate::CampaignRow;
use marketdesk_store::products::{self, ProductRow};
use sqlx::AnyConnection;

/// Product ids as given: well-formed, distinct, between one and `max`; each error names
/// its place in the list.
pub(crate) fn parse_product_ids(errors: &mut Invalid, ids: &[String], max: usize) -> Vec<String> {
    if ids.is_empty() || ids.len() > max {
        errors.push("product_ids", format!("between 1 and {max} product ids"));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, p) in ids.iter().enumerate() {
        match id::parse_id(p) {
            Some(p) if !out.contains(&p) => out.push(p),
            Some(_) => errors.push(format!("product_ids[{i}]"), "appears twice"),
            None => errors.push(format!("product_ids[{i}]"), "is not a product id"),
        }
    }
    out
}

/// The store's products among `ids`, in the order given; an id of no product of this
/// store is an error naming its place (another store's product is reported the same way).
pub(crate) async fn store_products(
    c: &mut AnyConnection,
    store_id: &str,
    ids: &[String],
) -> crate::ServiceResult<Vec<ProductRow>> {
    let rows = products::products_by_ids(c, ids).await?;
    let mut errors = Invalid::default();
    let mut out = Vec::new();
    for (i, p) in ids.iter().enumerate() {
        match rows.iter().find(|r| &r.id == p && r.store_id == store_id) {
            Some(r) => out.push(r.clone()),
            None => errors.push(
                format!("product_ids[{i}]"),
                "no product with this id in this store",
            ),
        }
    }
    errors.into_result()?;
    Ok(out)
}

/// Microseconds from an RFC 3339 instant given in a body field.
pub(crate) fn required_instant(errors: &mut Invalid, field: &str, text: &str) -> Option<i64> {
    crate::product_query::parse_instant(errors, field, &Some(text.to_owned()))
}

/// A creators' campaign (活动) as the program page and an exit's preview show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: String,
    pub name: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub product_ids: Vec<String>,
    /// Running now (true) or still to come (false).
    pub active: bool,
}

impl From<CampaignRow> for Campaign {
    fn from(r: CampaignRow) -> Self {
        Campaign {
            id: r.id,
            name: r.name,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            product_ids: r.product_ids,
            active: false,
        }
    }
}
