//! A realistic demo data set, so a newcomer's first start shows a seller center with
//! something in it: stores on several sites and a few thousand products in every state.
//! Everything goes through the same use-case code as real requests (timeline, outbox,
//! counts), one transaction per store.

use marketdesk_core::{Action, Role};
use marketdesk_store::catalog::{self, StoreRow};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::accounts::{NewStore, NewUser};
use crate::listing::Why;
use crate::products::{NewProduct, NewSku, status_of};
use crate::{Actor, Service, ServiceResult};

const CATEGORIES: &[(&str, &[&str])] = &[
    (
        "home_kitchen",
        &[
            "Silicone Spatula Set",
            "Bamboo Cutting Board",
            "Glass Food Container",
            "Cast Iron Skillet",
            "Electric Kettle",
        ],
    ),
    (
        "electronics",
        &[
            "USB-C Charging Cable",
            "Wireless Earbuds",
            "Phone Stand",
            "Power Bank 10000mAh",
            "LED Desk Lamp",
        ],
    ),
    (
        "toys",
        &[
            "Wooden Puzzle",
            "Building Blocks 500pcs",
            "Plush Bear",
            "Remote Control Car",
            "Magnetic Tiles",
        ],
    ),
    (
        "beauty",
        &[
            "Vitamin C Serum",
            "Makeup Brush Set",
            "Hair Clips",
            "Nail Polish Kit",
            "Facial Roller",
        ],
    ),
    (
        "apparel",
        &[
            "Cotton T-Shirt",
            "Running Socks 6-Pack",
            "Rain Jacket",
            "Knit Beanie",
            "Yoga Leggings",
        ],
    ),
    (
        "sports",
        &[
            "Resistance Bands",
            "Water Bottle 1L",
            "Jump Rope",
            "Yoga Mat",
            "Cycling Gloves",
        ],
    ),
];

const SHADES: &[&str] = &["Black", "White", "Blue", "Green", "Grey", "Red"];

pub struct DemoSummary {
    pub stores: Vec<(StoreRow, String)>,
    pub products: usize,
}

impl Service {
    /// Loads the demo set into an empty database; does nothing when stores exist.
    /// Returns the stores and a seller token for each (printed once by the caller).
    pub async fn load_demo(&self, products_per_store: usize) -> ServiceResult<Option<DemoSummary>> {
        let admin = Actor::local_admin();
        if !self.stores(&admin).await?.is_empty() {
            return Ok(None);
        }
        let mut rng = StdRng::seed_from_u64(2026);
        let plan = [
            ("Sunrise Home Goods", "US", "self_operated"),
            ("Thames Gadgets", "UK", "semi_managed"),
            ("Berliner Spielwaren", "DE", "fully_managed"),
            ("Maison Belle", "FR", "semi_managed"),
            ("杭州优品旗舰店", "CN", "self_operated"),
        ];
        let reviewer = Actor {
            user_id: "demo-reviewer".into(),
            role: Role::Reviewer,
            store_id: None,
        };
        let mut stores = Vec::new();
        let mut total = 0;
        for (name, site, mode) in plan {
            let store = self
                .create_store(
                    &admin,
                    NewStore {
                        name: name.into(),
                        site: site.into(),
                        fulfilment_mode: mode.into(),
                    },
                )
                .await?;
            let seller = self
                .create_user(
                    &admin,
                    NewUser {
                        name: format!("{name} owner"),
                        role: "seller".into(),
                        store_id: Some(store.id.clone()),
                    },
                )
                .await?;
            let seller_actor = Actor {
                user_id: seller.user.id.clone(),
                role: Role::Seller,
                store_id: Some(store.id.clone()),
            };
            let mut tx = self.db.begin().await?;
            let store_row = catalog::store(&mut tx, &store.id)
                .await?
                .expect("just created");
            for n in 0..products_per_store {
                let (category, names) = CATEGORIES[rng.random_range(0..CATEGORIES.len())];
                let base = names[rng.random_range(0..names.len())];
                let shade = SHADES[rng.random_range(0..SHADES.len())];
                // Every state of the table, in shares a real store might show.
                let roll = rng.random_range(0..100);
                // A protectively delisted product is one whose stock ran out.
                let sold_out = (88..=93).contains(&roll);
                let skus = (0..rng.random_range(1..=3))
                    .map(|i| NewSku {
                        code: format!("{}-{n:05}-{i}", &store.id[store.id.len() - 6..]),
                        price: format!(
                            "{}.{:02}",
                            rng.random_range(1..200),
                            rng.random_range(0..100)
                        ),
                        stock: if sold_out {
                            0
                        } else {
                            rng.random_range(1..500)
                        },
                    })
                    .collect();
                let new = NewProduct {
                    title: format!("{base} – {shade}"),
                    category: category.into(),
                    skus,
                };
                let product = self
                    .create_product_in(&mut tx, &seller_actor, &store_row, new)
                    .await?;
                let path: &[(Action, &Actor, &str)] = match roll {
                    0..=9 => &[],
                    10..=54 => &[(Action::List, &seller_actor, "")],
                    55..=69 => &[
                        (Action::List, &seller_actor, ""),
                        (Action::Delist, &seller_actor, "seasonal"),
                    ],
                    70..=79 => &[
                        (Action::List, &seller_actor, ""),
                        (Action::ViolationDelist, &reviewer, "image_violation"),
                    ],
                    80..=87 => &[
                        (Action::List, &seller_actor, ""),
                        (Action::Delist, &seller_actor, "slow_selling"),
                    ],
                    88..=93 => &[
                        (Action::List, &seller_actor, ""),
                        (Action::ProtectiveDelist, &Actor::system(), "out_of_stock"),
                    ],
                    _ => &[
                        (Action::List, &seller_actor, ""),
                        (Action::ViolationDelist, &reviewer, "missing_certification"),
                        (Action::RequestRelistReview, &seller_actor, ""),
                    ],
                };
                let mut row = product.row;
                for (action, actor, reason) in path {
                    let mode = store_row.fulfilment_mode.parse().expect("stored mode");
                    let Ok(next) = status_of(&row).apply(*action, actor.role, mode) else {
                        continue; // e.g. fully-managed listings wait in review first
                    };
                    let why = if reason.is_empty() {
                        Why::default()
                    } else {
                        Why {
                            reason_code: Some((*reason).into()),
                            reason_text: Some(demo_reason_text(reason).into()),
                            evidence_ids: vec![],
                        }
                    };
                    row = self
                        .apply_in(&mut tx, actor, row, next, *action, why)
                        .await?;
                }
                total += 1;
            }
            tx.commit().await?;
            stores.push((store, seller.token));
        }
        Ok(Some(DemoSummary {
            stores,
            products: total,
        }))
    }
}

fn demo_reason_text(code: &str) -> &'static str {
    match code {
        "seasonal" => "Summer range ends; back in spring.",
        "slow_selling" => "Fewer than 3 sales in 90 days.",
        "image_violation" => "Main image shows a third-party logo (rule 4.2).",
        "missing_certification" => "CE certificate not provided for an electrical item.",
        "out_of_stock" => "Available stock reached zero.",
        _ => "Demo reason.",
    }
}
