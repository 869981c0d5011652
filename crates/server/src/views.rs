//! The JSON shapes of answers and requests. Field names are snake_case, instants RFC 3339
//! in UTC, money `{amount, currency}` with the amount as a string (architecture.md).

use marketdesk_service::products::{Counts, Product, ProductPage};
use marketdesk_service::records::{File, Site, Store, TimelineItem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

pub fn instant(us: i64) -> String {
    jiff::Timestamp::from_microsecond(us)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
pub struct MoneyView {
    /// Exact decimal, as a string.
    #[schema(example = "12.34")]
    pub amount: String,
    #[schema(example = "USD")]
    pub currency: String,
}

impl From<marketdesk_core::Money> for MoneyView {
    fn from(m: marketdesk_core::Money) -> Self {
        MoneyView {
            amount: m.amount.to_string(),
            currency: m.currency.code().into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SiteView {
    pub code: String,
    pub name: String,
    pub currency: String,
    pub time_zone: String,
}

impl From<Site> for SiteView {
    fn from(s: Site) -> Self {
        SiteView {
            code: s.code,
            name: s.name,
            currency: s.currency,
            time_zone: s.time_zone,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StoreView {
    pub id: String,
    pub name: String,
    pub site: String,
    pub fulfilment_mode: String,
    pub created_at: String,
    /// active or suspended (nothing of a suspended store is on sale, and its sellers
    /// can read but not change anything).
    pub standing: String,
    pub suspended_at: Option<String>,
    pub suspension_reason: Option<String>,
    /// Stores opened through the fully-managed program: awaiting_deposit, open or closed.
    pub program_state: String,
    pub parent_store_id: Option<String>,
}

impl From<Store> for StoreView {
    fn from(s: Store) -> Self {
        StoreView {
            id: s.id,
            name: s.name,
            site: s.site_code,
            fulfilment_mode: s.fulfilment_mode,
            created_at: instant(s.created_at),
            standing: marketdesk_core::store_standing::Standing::of(s.suspended_at)
                .as_str()
                .into(),
            suspended_at: s.suspended_at.map(instant),
            suspension_reason: s.suspension_reason,
            program_state: marketdesk_core::programs::fully_managed::ProgramState::of(
                s.program_state,
            )
            .as_str()
            .into(),
            parent_store_id: s.parent_store_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserCreatedView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub store_id: Option<String>,
    /// The console login, when one was given.
    pub login: Option<String>,
    /// Shown once: only a hash of it is stored.
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct SkuView {
    pub id: String,
    pub code: String,
    pub price: MoneyView,
    /// On hand.
    pub stock: i64,
    pub reserved: i64,
    pub available: i64,
    /// A product not on sale takes no new reservations (库存冻结).
    pub frozen: bool,
    pub attributes: BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
pub struct ProductView {
    pub id: String,
    pub store_id: String,
    pub title: String,
    pub category: String,
    /// Plain text with a small safe subset of Markdown (emphasis, lists, code, http(s)
    /// links), as the seller typed it.
    pub description: String,
    /// The description rendered as HTML that is safe to embed: raw HTML is escaped,
    /// images and script links are dropped.
    pub description_html: String,
    /// Name → value.
    pub attributes: BTreeMap<String, String>,
    /// An uploaded image of the store (`POST /api/v1/evidence`).
    pub main_image_id: Option<String>,
    /// Up to 10 more images, in order.
    pub gallery: Vec<String>,
    /// draft, pending_review, on_sale or delisted.
    pub state: String,
    /// voluntary, violation or protective when delisted, else null.
    pub delist_kind: Option<String>,
    /// green, grey, red or null.
    pub label: Option<String>,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    pub skus: Vec<SkuView>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    /// Fully-managed stores' products: warehouse or jit; null elsewhere.
    pub fulfilment: Option<String>,
    /// supply (供货价: a fully-managed store's price to the platform) or retail.
    pub price_kind: String,
    pub qualification_ids: Vec<String>,
}

impl From<Product> for ProductView {
    fn from(p: Product) -> Self {
        let status = p.status;
        let frozen = status.stock_frozen();
        ProductView {
            fulfilment: p.fulfilment.map(|f| f.as_str().to_string()),
            price_kind: if p.fulfilment.is_some() {
                "supply"
            } else {
                "retail"
            }
            .into(),
            qualification_ids: p.qualification_ids,
            label: status.label().map(|l| l.as_str().to_string()),
            skus: p
                .skus
                .into_iter()
                .map(|s| SkuView {
                    id: s.id,
                    code: s.code,
                    price: MoneyView {
                        amount: s.price,
                        currency: s.currency,
                    },
                    stock: s.stock,
                    reserved: s.reserved,
                    available: s.stock - s.reserved,
                    frozen,
                    attributes: s.attributes,
                })
                .collect(),
            id: p.id,
            store_id: p.store_id,
            title: p.title,
            category: p.category,
            description_html: rendered(&p.description),
            description: p.description,
            attributes: p.attributes,
            main_image_id: p.main_image_id,
            gallery: p.gallery,
            state: status.state.as_str().into(),
            delist_kind: status.delist_kind.map(|k| k.as_str().into()),
            reason_code: p.reason_code,
            reason_text: p.reason_text,
            created_at: instant(p.created_at),
            updated_at: instant(p.updated_at),
            version: p.version,
        }
    }
}

/// A field that may be present and null (clear it) or absent (leave it).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A merge patch of a listing: fields left out stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditProduct {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    /// Plain text; null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub category: Option<Option<String>>,
    /// Merged name by name: a value sets, null removes.
    #[schema(value_type = Option<BTreeMap<String, Option<String>>>)]
    pub attributes: Option<BTreeMap<String, Option<String>>>,
    /// An image uploaded by this store; null clears it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub main_image_id: Option<Option<String>>,
    /// Replaces the gallery: up to 10 images of this store, in order.
    pub gallery: Option<Vec<String>>,
    /// SKUs by code: an unknown code is added, `remove: true` takes one off, `price`
    /// reprices. Stock of an existing SKU moves through the stock ledger instead.
    #[serde(default)]
    pub skus: Vec<EditSku>,
    /// The version you edited; a newer stored version answers 409 instead of overwriting.
    pub version: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditSku {
    pub code: String,
    /// Decimal string in the product's currency.
    pub price: Option<String>,
    /// Opening stock of a new SKU.
    pub stock: Option<i64>,
    #[schema(value_type = Option<BTreeMap<String, Option<String>>>)]
    pub attributes: Option<BTreeMap<String, Option<String>>>,
    #[serde(default)]
    pub remove: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CountsView {
    pub state: BTreeMap<String, i64>,
    pub delist_kind: BTreeMap<String, i64>,
    pub label: BTreeMap<String, i64>,
}

impl From<Counts> for CountsView {
    fn from(c: Counts) -> Self {
        CountsView {
            state: c.by_state,
            delist_kind: c.by_delist_kind,
            label: c.by_label,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProductPageView {
    pub items: Vec<ProductView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// Tab counts for the whole store, whatever the filters.
    pub counts: CountsView,
}

impl From<ProductPage> for ProductPageView {
    fn from(p: ProductPage) -> Self {
        ProductPageView {
            items: p.items.into_iter().map(ProductView::from).collect(),
            next_cursor: p.next_cursor,
            counts: p.counts.into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TimelineItemView {
    /// What a rectification cites when it names the edits it made.
    pub id: String,
    pub at: String,
    pub actor: String,
    pub actor_role: String,
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    pub delist_kind: Option<String>,
    pub reason_code: Option<String>,
    pub reason_text: Option<String>,
    /// The classifier's reason code for `reason_text` (benchmarks count an `other` delist
    /// under it); none without a text.
    pub classified_code: Option<String>,
    pub evidence_ids: Vec<String>,
    /// For an edit: every field it changed, before → after.
    pub changes: Vec<FieldChangeView>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldChangeView {
    /// `title`, `description`, `category`, `attributes.NAME`, `main_image_id`, `gallery`,
    /// `skus.CODE.price`, `skus.CODE.attributes.NAME`, or `skus.CODE` (added or removed).
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl From<TimelineItem> for TimelineItemView {
    fn from(t: TimelineItem) -> Self {
        TimelineItemView {
            id: t.id,
            at: instant(t.at),
            actor: t.actor_id,
            actor_role: t.actor_role,
            action: t.action,
            from: t.from_state,
            to: t.to_state,
            delist_kind: t.delist_kind,
            reason_code: t.reason_code,
            reason_text: t.reason_text,
            classified_code: t.classified_code,
            evidence_ids: t.evidence_ids,
            changes: t
                .changes
                .into_iter()
                .map(|c| FieldChangeView {
                    field: c.field,
                    before: c.before,
                    after: c.after,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TimelineView {
    pub items: Vec<TimelineItemView>,
}

#[derive(Serialize, ToSchema)]
pub struct EventView {
    pub id: String,
    pub event_type: String,
    pub created_at: String,
    pub payload: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct EventsView {
    pub items: Vec<EventView>,
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceView {
    pub id: String,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub filename: String,
    /// A picture's size in pixels; null for a document.
    pub width: Option<i64>,
    pub height: Option<i64>,
    /// `GET /api/v1/files/{id}` serves the file.
    pub url: String,
    /// `GET /api/v1/files/{id}/thumbnail` (a PNG of at most 256 px a side), for pictures.
    pub thumbnail_url: Option<String>,
}

impl From<File> for EvidenceView {
    fn from(e: File) -> Self {
        EvidenceView {
            url: format!("/api/v1/files/{}", e.id),
            thumbnail_url: e
                .thumbnail_sha256
                .as_ref()
                .map(|_| format!("/api/v1/files/{}/thumbnail", e.id)),
            id: e.id,
            sha256: e.sha256,
            size: e.size,
            content_type: e.content_type,
            filename: e.filename,
            width: e.width,
            height: e.height,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BatchDelistView {
    pub delisted: usize,
    pub product_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStore {
    pub name: String,
    /// A site code such as US, UK, DE.
    pub site: String,
    /// self_operated, semi_managed or fully_managed.
    pub fulfilment_mode: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub name: String,
    /// admin, reviewer, cs_agent or seller.
    pub role: String,
    /// Required for sellers, refused for other roles.
    pub store_id: Option<String>,
    /// `zh-CN` or `en`; by default the store's site decides (CN → zh-CN, else en).
    pub language: Option<String>,
    /// Console login (3–64 characters, unique, compared without case); needs `password`.
    pub login: Option<String>,
    /// Console password, at least 12 characters; stored only as an argon2 hash.
    pub password: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSku {
    pub code: String,
    /// A decimal string in the store's site currency.
    #[schema(example = "12.34")]
    pub price: String,
    pub stock: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProduct {
    pub title: String,
    pub category: String,
    /// Plain text, at most 10,000 characters.
    pub description: Option<String>,
    pub skus: Vec<CreateSku>,
    /// Fully-managed stores only: "warehouse" (备仓, the default) or "jit".
    pub fulfilment: Option<String>,
    /// Qualification documents (evidence ids) a special category asks for.
    #[serde(default)]
    pub qualification_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelistBody {
    /// One of domain.md's reason codes.
    pub reason_code: String,
    pub reason_text: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

/// Optional words for moves that need none (list, relist, approve); required
/// `reason_text` for a rejection.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    pub reason_text: Option<String>,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchDelistBody {
    pub product_ids: Vec<String>,
    pub reason_code: String,
    pub reason_text: String,
    #[serde(default)]
    pub evidence_ids: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockBody {
    /// ISO 8601 duration, e.g. PT72H or P3D (days count as 24 hours).
    pub advance_by: Option<String>,
    /// RFC 3339 instant.
    pub set_to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClockView {
    pub now: String,
    /// system or manual.
    pub mode: String,
}

/// A description as HTML, rendered once per text: the same products are read far more
/// often than their descriptions change, and rendering Markdown is the costliest part of
/// turning a product into its view. The rendering is a pure function of the text, so a
/// remembered one is never stale; the memory is bounded by forgetting all at 4,096 texts.
fn rendered(description: &str) -> String {
    type Memo = std::sync::Mutex<std::collections::HashMap<Box<str>, std::sync::Arc<str>>>;
    static MEMO: std::sync::LazyLock<Memo> = std::sync::LazyLock::new(Memo::default);
    if let Some(html) = MEMO.lock().ok().and_then(|m| m.get(description).cloned()) {
        return html.to_string();
    }
    let html = marketdesk_core::listing::description::render(description);
    if let Ok(mut memo) = MEMO.lock() {
        if memo.len() >= 4096 {
            memo.clear();
        }
        memo.insert(description.into(), html.as_str().into());
    }
    html
}
