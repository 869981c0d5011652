//! A realistic demo data set, so a newcomer's first start shows a seller center with
//! something in it: stores on several sites and a few thousand products in every state.
//! Everything goes through the same use-case code as real requests (timeline, outbox,
//! counts), one transaction per store.

use marketdesk_core::aftersales::CaseType;
use marketdesk_core::store_standing::Standing;
use marketdesk_core::{Action, ReasonCode, Role, State};
use marketdesk_store::catalog;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::accounts::{NewStore, NewUser};
use crate::listing::Why;
use crate::products::{NewProduct, NewSku};
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
    pub stores: Vec<(crate::records::Store, String)>,
    pub products: usize,
    /// One console login per demo role and store, passwords in clear: printed once.
    pub logins: Vec<DemoLogin>,
}

pub struct DemoLogin {
    pub role: Role,
    /// A store member's team role (子账号), for the members an owner invited.
    pub team: Option<marketdesk_core::team::TeamRole>,
    pub store: Option<String>,
    pub login: String,
    pub password: String,
}

/// A fresh password for a demo login: 16 letters and digits, never the same twice, so a
/// demo left running on a network is not open to a published password.
fn demo_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
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
        let mut logins = Vec::new();
        let mut staff = Vec::new();
        for (role, login, name) in [
            (Role::Reviewer, "reviewer", "Demo reviewer"),
            (Role::CsAgent, "service", "Demo customer service"),
            (Role::Admin, "operator", "Demo operator"),
        ] {
            let password = demo_password();
            let user = self
                .create_user(
                    &admin,
                    NewUser {
                        name: name.into(),
                        role: role.as_str().into(),
                        store_id: None,
                        language: None,
                        login: Some(login.into()),
                        password: Some(password.clone()),
                    },
                )
                .await?;
            staff.push(Actor {
                user_id: user.user.id,
                role,
                store_id: None,
                team: None,
                standing: Standing::Active,
            });
            logins.push(DemoLogin {
                role,
                team: None,
                store: None,
                login: login.into(),
                password,
            });
        }
        let reviewer = staff[0].clone();
        let cs = staff[1].clone();
        let mut stores = Vec::new();
        let mut total = 0;
        for (name, site, mode) in plan {
            let seller_login = format!("seller-{}", site.to_lowercase());
            let seller_password = demo_password();
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
                        language: None,
                        login: Some(seller_login.clone()),
                        password: Some(seller_password.clone()),
                    },
                )
                .await?;
            logins.push(DemoLogin {
                role: Role::Seller,
                team: None,
                store: Some(name.into()),
                login: seller_login,
                password: seller_password,
            });
            let seller_actor = Actor {
                user_id: seller.user.id.clone(),
                role: Role::Seller,
                store_id: Some(store.id.clone()),
                team: Some(marketdesk_core::team::TeamRole::Owner),
                standing: Standing::Active,
            };
            let mut sellable: Vec<(String, String)> = Vec::new();
            let mut takedowns: Vec<(String, &str, bool)> = Vec::new();
            let mut tx = self.db.begin().await?;
            let store_row = catalog::store(&mut tx, &store.id)
                .await?
                .expect("just created");
            let currency = self.store_currency(&mut tx, &store_row).await?;
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
                    fulfilment: None,
                    qualification_ids: Vec::new(),
                    title: format!("{base} – {shade}"),
                    category: category.into(),
                    description: String::new(),
                    skus,
                };
                let product = self
                    .create_product_in(&mut tx, &seller_actor, &store_row, currency, new)
                    .await?;
                marketdesk_store::products::bump_count(&mut tx, &store_row.id, "draft", "", 1)
                    .await?;
                // Takedowns go through the reviewer's real use case after this batch, so
                // each has its case, clause, deadline and notices, as in production.
                let path: &[(Action, &Actor, &str)] = match roll {
                    0..=9 => &[],
                    60..=71 => &[
                        (Action::List, &seller_actor, ""),
                        (Action::Delist, &seller_actor, "seasonal"),
                    ],
                    76..=87 => &[
                        (Action::List, &seller_actor, ""),
                        (Action::Delist, &seller_actor, "slow_selling"),
                    ],
                    88..=93 => &[
                        (Action::List, &seller_actor, ""),
                        (Action::ProtectiveDelist, &Actor::system(), "out_of_stock"),
                    ],
                    _ => &[(Action::List, &seller_actor, "")],
                };
                match roll {
                    72..=75 => takedowns.push((product.row.id.clone(), "IM-1", false)),
                    94..=95 => takedowns.push((product.row.id.clone(), "CE-1", true)),
                    _ => {}
                }
                let first_sku = product
                    .skus
                    .first()
                    .map(|k| (k.id.clone(), k.price.clone()));
                let mut row = product.row;
                for (action, actor, reason) in path {
                    let mode = store_row.fulfilment_mode.parse().expect("stored mode");
                    let Ok(next) = row.status.apply(*action, actor.role, mode) else {
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
                let taken_down = takedowns.last().is_some_and(|t| t.0 == row.id);
                if row.status.state == State::OnSale
                    && !sold_out
                    && !taken_down
                    && sellable.len() < 8
                {
                    sellable.extend(first_sku);
                }
                total += 1;
            }
            self.commit(tx).await?;
            self.demo_takedowns(&reviewer, &seller_actor, takedowns)
                .await?;
            self.demo_aftersales(
                &store.id,
                &site_country_of(site),
                &seller_actor,
                &cs,
                &sellable,
            )
            .await?;
            self.demo_suppliers(&store.id, &seller_actor).await?;
            self.demo_programs(&store.id, site, mode, &seller_actor)
                .await?;
            if site == "US" {
                self.demo_team(&store.id, name, &seller_actor, &mut logins)
                    .await?;
            }
            stores.push((store, seller.token));
        }
        Ok(Some(DemoSummary {
            stores,
            products: total,
            logins,
        }))
    }
}

fn site_country_of(site: &str) -> String {
    marketdesk_core::aftersales::site_country(site).to_string()
}

impl Service {
    /// The owner's team: a customer-service member who joined through an invitation
    /// (their login is printed with the others) and an operations invitation waiting.
    async fn demo_team(
        &self,
        store_id: &str,
        store_name: &str,
        owner: &Actor,
        logins: &mut Vec<DemoLogin>,
    ) -> ServiceResult<()> {
        use crate::team::{Joining, NewInvite};
        use marketdesk_core::team::TeamRole;
        let sent = self
            .invite_member(
                owner,
                store_id,
                NewInvite {
                    email: "kefu@sunrise.example.com".into(),
                    team_role: TeamRole::CustomerService.as_str().into(),
                },
            )
            .await?;
        let token = sent.link.rsplit('/').next().unwrap_or_default().to_owned();
        let password = demo_password();
        let joining = Joining {
            name: "Kim Kefu".into(),
            login: "kefu-us".into(),
            password: password.clone(),
        };
        self.accept_invite(&token, joining).await?;
        logins.push(DemoLogin {
            role: Role::Seller,
            team: Some(TeamRole::CustomerService),
            store: Some(store_name.into()),
            login: "kefu-us".into(),
            password,
        });
        self.invite_member(
            owner,
            store_id,
            NewInvite {
                email: "ops@sunrise.example.com".into(),
                team_role: TeamRole::Operations.as_str().into(),
            },
        )
        .await?;
        Ok(())
    }

    /// Two suppliers offering the store's emptiest SKUs, so the stock page shows a ranked
    /// restock suggestion.
    async fn demo_suppliers(&self, store_id: &str, seller: &Actor) -> ServiceResult<()> {
        use crate::suppliers::SupplierInput;
        let low = self.low_stock(seller, store_id).await?;
        if low.is_empty() {
            return Ok(());
        }
        let mut ids = Vec::new();
        for (name, lead, rate) in [
            ("Shenzhen Express Supply", 4, "0.96"),
            ("Yiwu Wholesale", 12, "0.88"),
        ] {
            let input = SupplierInput {
                name: name.into(),
                lead_time_days: lead,
                on_time_rate: rate.into(),
            };
            ids.push(self.create_supplier(seller, store_id, input).await?.id);
        }
        for line in low.iter().take(5) {
            for (id, cost) in ids.iter().zip(["3.20", "2.10"]) {
                self.set_supplier_offer(seller, id, &line.stock.sku.id, cost)
                    .await?;
            }
        }
        Ok(())
    }

    /// A few orders per store and the after-sales work they bring: a ticket awaiting an
    /// answer, a return on its way, a missing-parts claim, a cancellation request, a
    /// refund-only policy and a return warehouse.
    async fn demo_aftersales(
        &self,
        store_id: &str,
        country: &str,
        seller: &Actor,
        cs: &Actor,
        sellable: &[(String, String)],
    ) -> ServiceResult<()> {
        use crate::aftersales::cases::NewCase;
        use crate::aftersales::settings::NewPolicy;
        use crate::aftersales::tickets::NewTicket;
        use crate::aftersales::warehouses::WarehouseInput;
        use crate::orders::{NewLine, NewOrder};
        if sellable.len() < 4 {
            return Ok(());
        }
        let admin = Actor::local_admin();
        self.create_warehouse(
            seller,
            store_id,
            WarehouseInput {
                country: Some(country.into()),
                name: Some(format!("Returns {country}")),
                address: Some("1 Warehouse Road".into()),
                make_default: false,
            },
        )
        .await?;
        self.create_refund_policy(
            seller,
            store_id,
            NewPolicy {
                reason: "damaged".into(),
                ceiling: "15".into(),
                ratio_percent: 50,
            },
        )
        .await?;
        let mut orders = Vec::new();
        for (sku, price) in sellable.iter().take(4) {
            let o = self
                .place_order(
                    &admin,
                    NewOrder {
                        store_id: store_id.into(),
                        lines: vec![NewLine {
                            sku_id: sku.clone(),
                            quantity: 1,
                            unit_price: price.clone(),
                        }],
                        buyer_id: Some(format!("demo-buyer-{}", orders.len() + 1)),
                        affiliate_id: None,
                    },
                )
                .await?;
            orders.push(o);
        }
        for o in &orders[..3] {
            self.order_step(&admin, &o.order.id, marketdesk_core::OrderState::Shipped)
                .await?;
        }
        let line = |i: usize| orders[i].lines[0].id.clone();
        self.open_ticket(
            cs,
            NewTicket {
                order_id: orders[0].order.id.clone(),
                order_line_id: Some(line(0)),
                kind: "tracking_stalled".into(),
                body: "The buyer sees no tracking update for five days.".into(),
                buyer_address: None,
                on_timeout: None,
                evidence_ids: vec![],
            },
        )
        .await?;
        let case = |order: usize, t: CaseType, reason: &str| NewCase {
            order_id: orders[order].order.id.clone(),
            case_type: t.as_str().into(),
            order_line_id: (t != CaseType::Cancellation).then(|| line(order)),
            order_line_ids: Vec::new(),
            reason: reason.into(),
            quantity: None,
            amount: None,
            oversize: false,
            evidence_ids: vec![],
            note: String::new(),
        };
        self.open_case(cs, case(1, CaseType::ReturnRefund, "quality"))
            .await?;
        self.open_case(cs, case(2, CaseType::MissingParts, "lid missing"))
            .await?;
        self.open_case(cs, case(3, CaseType::Cancellation, "ordered twice"))
            .await?;
        // The buyer of the stalled parcel also asks for a replacement to be sent (补寄).
        self.request_reshipment(
            cs,
            &orders[0].order.id,
            "The parcel seems lost; the buyer asks for a replacement.",
        )
        .await?;
        Ok(())
    }
}

impl Service {
    /// Violation cases opened by the demo reviewer; the `true` ones the seller has already
    /// rectified and asked to relist, so the review queue has work in it.
    async fn demo_takedowns(
        &self,
        reviewer: &Actor,
        seller: &Actor,
        takedowns: Vec<(String, &str, bool)>,
    ) -> ServiceResult<()> {
        use marketdesk_core::violation::Step;
        for (product_id, rule_code, rectified) in takedowns {
            let details = match rule_code {
                "IM-1" => demo_reason_text("image_violation"),
                _ => demo_reason_text("missing_certification"),
            };
            let report = self
                .open_violation(
                    reviewer,
                    &product_id,
                    crate::violations::NewViolation {
                        rule_code: rule_code.into(),
                        severity: None,
                        details: details.into(),
                        evidence_ids: vec![],
                    },
                )
                .await?;
            if rectified {
                let plan = "Certificate uploaded to the listing; datasheet attached.";
                let id = &report.case.id;
                self.case_step(
                    seller,
                    id,
                    Step::SubmitRectification,
                    Some(plan.into()),
                    vec![],
                    vec![],
                )
                .await?;
                self.case_step(seller, id, Step::RequestRelist, None, vec![], vec![])
                    .await?;
            }
        }
        Ok(())
    }
}

fn demo_reason_text(code: &str) -> &'static str {
    match code.parse::<ReasonCode>() {
        Ok(ReasonCode::Seasonal) => "Summer range ends; back in spring.",
        Ok(ReasonCode::SlowSelling) => "Fewer than 3 sales in 90 days.",
        Ok(ReasonCode::ImageViolation) => "Main image shows a third-party logo (rule 4.2).",
        Ok(ReasonCode::MissingCertification) => {
            "CE certificate not provided for an electrical item."
        }
        Ok(ReasonCode::OutOfStock) => "Available stock reached zero.",
        _ => "Demo reason.",
    }
}
