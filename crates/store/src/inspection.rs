//! The daily inspection list (日巡检): what of a store is due by the end of its local day
//! or already overdue — rectifications, relist reviews, tickets, after-sales decisions,
//! return labels, JIT inbounds — and its SKUs below their safety threshold. Each kind is
//! one indexed read of the store's open rows, at most [`PER_KIND`] of them.

use sqlx::{AnyConnection, Row};

use crate::Result;

pub const PER_KIND: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    /// rectification, relist_review, ticket, case, label, jit or low_stock.
    pub kind: &'static str,
    pub subject_id: String,
    /// What it is about, as the seller knows it (a product title, an order id, a SKU code).
    pub about: String,
    /// When it falls due (low stock: none).
    pub due_at: Option<i64>,
}

const QUERIES: &[(&str, &str)] = &[
    (
        "rectification",
        "SELECT v.id AS subject_id, p.title AS about, v.rectify_due_at AS due_at
         FROM violations v JOIN products p ON p.id = v.product_id
         WHERE v.store_id = $1 AND v.state IN ('awaiting_rectification', 'overdue')
           AND v.rectify_due_at <= $2 ORDER BY v.rectify_due_at, v.id LIMIT $3",
    ),
    (
        "relist_review",
        "SELECT v.id AS subject_id, p.title AS about, v.review_due_at AS due_at
         FROM violations v JOIN products p ON p.id = v.product_id
         WHERE v.store_id = $1 AND v.state = 'in_review'
           AND v.review_due_at <= $2 ORDER BY v.review_due_at, v.id LIMIT $3",
    ),
    (
        "ticket",
        "SELECT id AS subject_id, order_id AS about, due_at FROM tickets
         WHERE store_id = $1 AND state = 'awaiting_seller' AND due_at <= $2
         ORDER BY due_at, id LIMIT $3",
    ),
    (
        "case",
        "SELECT id AS subject_id, order_id AS about, due_at FROM aftersales_cases
         WHERE store_id = $1 AND state = 'awaiting_seller' AND due_at <= $2
         ORDER BY due_at, id LIMIT $3",
    ),
    (
        "label",
        "SELECT id AS subject_id, order_id AS about, label_due_at AS due_at FROM aftersales_cases
         WHERE store_id = $1 AND state = 'awaiting_label' AND label_due_at <= $2
         ORDER BY label_due_at, id LIMIT $3",
    ),
    (
        "jit",
        "SELECT id AS subject_id, id AS about, jit_due_at AS due_at FROM orders
         WHERE store_id = $1 AND jit_due_at <= $2 AND inbound_at IS NULL AND state <> 'cancelled'
         ORDER BY jit_due_at, id LIMIT $3",
    ),
];

/// Everything due by `until` (the end of the store's local day), oldest due first per
/// kind, then SKUs whose available stock is at or below their threshold.
pub async fn due_items(c: &mut AnyConnection, store_id: &str, until: i64) -> Result<Vec<DueItem>> {
    let mut out = Vec::new();
    for (kind, sql) in QUERIES {
        let rows = sqlx::query(*sql)
            .bind(store_id)
            .bind(until)
            .bind(PER_KIND)
            .fetch_all(&mut *c)
            .await?;
        for r in rows {
            out.push(DueItem {
                kind,
                subject_id: r.try_get("subject_id")?,
                about: r.try_get("about")?,
                due_at: r.try_get("due_at")?,
            });
        }
    }
    let rows = sqlx::query(
        "SELECT k.id, k.code FROM skus k JOIN stores s ON s.id = k.store_id
         JOIN products p ON p.id = k.product_id
         WHERE k.store_id = $1 AND k.removed_at IS NULL AND p.state = 'on_sale'
           AND k.stock - k.reserved <= COALESCE(k.safety_threshold, s.safety_threshold)
         ORDER BY k.stock - k.reserved, k.id LIMIT $2",
    )
    .bind(store_id)
    .bind(PER_KIND)
    .fetch_all(&mut *c)
    .await?;
    for r in rows {
        out.push(DueItem {
            kind: "low_stock",
            subject_id: r.try_get("id")?,
            about: r.try_get("code")?,
            due_at: None,
        });
    }
    Ok(out)
}
