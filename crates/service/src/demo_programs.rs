//! The demo's store programs: the US store's products in the affiliate program with a
//! campaign coming and a creator's order, its application for a fully-managed store
//! under review with a question on the thread, and the German fully-managed store's
//! deposit frozen.

use base64::Engine;
use marketdesk_core::FulfilmentMode;

use crate::orders::{NewLine, NewOrder};
use crate::products::ProductQuery;
use crate::programs::affiliate::NewCampaign;
use crate::programs::fully_managed::NewApplication;
use crate::{Actor, Service, ServiceResult};

/// A 1×1 PNG standing in for a scanned business licence.
const LICENCE_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

impl Service {
    pub(crate) async fn demo_programs(
        &self,
        store_id: &str,
        site: &str,
        fulfilment_mode: &str,
        seller: &Actor,
    ) -> ServiceResult<()> {
        let admin = Actor::local_admin();
        if fulfilment_mode == FulfilmentMode::FullyManaged.as_str() {
            self.record_deposit_payment(&admin, store_id, "10000.00", "DEMO-ALIPAY-0001")
                .await?;
            return Ok(());
        }
        if site != "US" {
            return Ok(());
        }
        let query = ProductQuery {
            state: Some("on_sale".into()),
            limit: Some(3),
            ..ProductQuery::default()
        };
        let on_sale = self.products(seller, store_id, &query).await?.items;
        let ids: Vec<String> = on_sale.iter().take(2).map(|p| p.id.clone()).collect();
        if ids.len() == 2 {
            self.enrol_products(seller, store_id, &ids, "12.5").await?;
            let now = self.clock.now();
            let day = jiff::SignedDuration::from_hours(24);
            let at = |d: i32| {
                now.checked_add(day * d)
                    .map(|t| t.to_string())
                    .unwrap_or_default()
            };
            self.create_campaign(
                seller,
                store_id,
                NewCampaign {
                    name: "Creators' winter picks".into(),
                    product_ids: vec![ids[0].clone()],
                    starts_at: at(3),
                    ends_at: at(10),
                },
            )
            .await?;
            if let Some(sku) = on_sale[0].skus.first() {
                self.place_order(
                    &admin,
                    NewOrder {
                        store_id: store_id.into(),
                        lines: vec![NewLine {
                            sku_id: sku.id.clone(),
                            quantity: 1,
                            unit_price: sku.price.clone(),
                        }],
                        buyer_id: Some("demo-buyer-creator".into()),
                        affiliate_id: Some("creator-lena".into()),
                    },
                )
                .await?;
            }
        }
        let png = base64::engine::general_purpose::STANDARD
            .decode(LICENCE_PNG)
            .map_err(|e| anyhow::anyhow!(e))?;
        let licence = self
            .upload_evidence(seller, "business-licence.png", png.into())
            .await?;
        let application = self
            .apply_fully_managed(
                seller,
                store_id,
                NewApplication {
                    company_name: "Sunrise Home Goods Co., Ltd.".into(),
                    registration_number: "91310000MA1FL0001X".into(),
                    entity: "company".into(),
                    contact_email: "fully-managed@sunrise.example".into(),
                    document_ids: vec![licence.id],
                },
            )
            .await?;
        self.application_message(
            seller,
            &application.id,
            "How long does the review take? Our supply prices are ready.",
            &[],
            None,
        )
        .await?;
        Ok(())
    }
}
