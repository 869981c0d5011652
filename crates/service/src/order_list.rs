//! The order list (订单列表): a store's orders, or every store's for customer service and
//! admins, newest first, with a count per state for the list's tabs.

use std::collections::BTreeMap;

use marketdesk_core::{Invalid, OrderState};
use marketdesk_store::orders::{self, LineRow, OrderFilter};

use crate::orders::Order;
use crate::{Actor, Service, ServiceError, ServiceResult, paging};

#[derive(Debug, Clone, Default)]
pub struct OrderQuery {
    pub store_id: Option<String>,
    pub state: Option<String>,
    /// RFC 3339 instants: placed at or after `placed_from`, before `placed_to`.
    pub placed_from: Option<String>,
    pub placed_to: Option<String>,
    /// One buyer's orders, by the platform's reference.
    pub buyer_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

pub struct OrderPage {
    pub items: Vec<Order>,
    pub next_cursor: Option<String>,
    /// Every state, with how many orders the other filters select in it.
    pub counts: BTreeMap<String, i64>,
}

fn instant(errors: &mut Invalid, field: &str, value: Option<&str>) -> Option<i64> {
    let v = value?;
    match v.parse::<jiff::Timestamp>() {
        Ok(t) => Some(t.as_microsecond()),
        Err(_) => {
            errors.push(
                field,
                "must be an RFC 3339 instant, e.g. 2026-11-25T00:00:00Z",
            );
            None
        }
    }
}

impl Service {
    /// Sellers list their own store's orders; customer service and admins any store's.
    pub async fn orders(&self, actor: &Actor, q: OrderQuery) -> ServiceResult<OrderPage> {
        if !(actor.role.acts_for_store() || actor.role.speaks_for_buyers()) {
            return Err(ServiceError::Forbidden(format!(
                "a {} does not handle orders",
                actor.role.as_str()
            )));
        }
        let mut errors = Invalid::default();
        let limit = paging::limit(&mut errors, q.limit);
        let before_id = paging::cursor(&mut errors, q.cursor.as_deref());
        if let Some(s) = &q.state
            && let Err(m) = s.parse::<OrderState>()
        {
            errors.push("state", m);
        }
        let placed_from = instant(&mut errors, "placed_from", q.placed_from.as_deref());
        let placed_to = instant(&mut errors, "placed_to", q.placed_to.as_deref());
        if let (Some(from), Some(to)) = (placed_from, placed_to)
            && from >= to
        {
            errors.push("placed_to", "must be after placed_from");
        }
        if let Some(b) = &q.buyer_id {
            crate::orders::check_buyer_id(&mut errors, "buyer_id", b);
        }
        errors.into_result()?;
        let store_id = actor.store_scope(q.store_id)?;
        let filter = OrderFilter {
            store_id,
            state: q.state,
            placed_from,
            placed_to,
            buyer_id: q.buyer_id,
            before_id,
            limit: limit + 1,
        };
        let mut c = self.db.reader().await?;
        let mut counts: BTreeMap<String, i64> = OrderState::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), 0))
            .collect();
        for (state, n) in orders::counts(&mut c, &filter).await? {
            counts.insert(state, n);
        }
        let mut rows = orders::page(&mut c, &filter).await?;
        let next_cursor = paging::next(&mut rows, limit, |o| &o.id);
        let ids: Vec<String> = rows.iter().map(|o| o.id.clone()).collect();
        let mut lines = orders::lines_of(&mut c, &ids).await?;
        let items = rows
            .into_iter()
            .map(|o| {
                let mine: Vec<LineRow> = lines.extract_if(.., |l| l.order_id == o.id).collect();
                Order::from_rows(o, mine)
            })
            .collect();
        Ok(OrderPage {
            items,
            next_cursor,
            counts,
        })
    }
}
