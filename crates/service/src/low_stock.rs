//! The stock page's list: a store's SKUs below their safety threshold, each with the
//! restock suggestion and its suppliers ranked, as one SKU's stock figures show them.

use crate::stock::StockView;
use crate::{Actor, Service, ServiceResult};

/// SKUs on one page of the low-stock list, emptiest first.
pub const LOW_STOCK_PAGE: i64 = 100;

#[derive(Debug, Clone)]
pub struct LowStockLine {
    pub product_id: String,
    pub title: String,
    pub stock: StockView,
}

impl Service {
    pub async fn low_stock(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<Vec<LowStockLine>> {
        let mut c = self.db.reader().await?;
        actor.require_area(marketdesk_core::team::Area::Stock)?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        let rows = marketdesk_store::stock::low_skus(&mut c, &store.id, LOW_STOCK_PAGE).await?;
        let mut lines = Vec::with_capacity(rows.len());
        for r in rows {
            let product_id = r.sku.product_id.clone();
            let stock = self.stock_view(&mut c, r.sku).await?;
            // The query preselects; whether a SKU is low is the stock view's to say.
            if stock.low {
                lines.push(LowStockLine {
                    product_id,
                    title: r.title,
                    stock,
                });
            }
        }
        Ok(lines)
    }
}
