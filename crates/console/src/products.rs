//! 商品管理: the store's products by state (在售 / 下架 / 审核中 / 草稿) with counts,
//! filters, keyset paging, and row selection for a batch delist.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::Uri;
use axum::response::Response;
use marketdesk_core::role::FulfilmentMode;
use marketdesk_core::violation::Progress;
use marketdesk_core::{DelistKind, ReasonCode, State as ListingState};
use marketdesk_service::products::{Product, ProductQuery};
use marketdesk_service::{ServiceError, ServiceResult};

use crate::ConsoleState;
use crate::format::{day_end, day_start, local, zone};
use crate::page::{Chrome, refusal, render};
use crate::session::Signed;
use crate::web::Fields;

/// The tabs, in the order the seeds' seller centers show them.
const TABS: [ListingState; 4] = [
    ListingState::OnSale,
    ListingState::Delisted,
    ListingState::PendingReview,
    ListingState::Draft,
];

pub struct Tab {
    pub state: &'static str,
    pub word: &'static str,
    pub count: i64,
    pub href: String,
    pub current: bool,
}

/// How a product's listing status reads: its state, label, delist kind and reason.
pub struct StatusWords {
    pub state_word: &'static str,
    /// green, grey, red, or none: the label's colour class.
    pub label: &'static str,
    pub label_word: &'static str,
    pub kind_word: &'static str,
    pub reason_word: String,
}

impl StatusWords {
    pub fn of(chrome: &Chrome, p: &Product) -> StatusWords {
        let label = p.label().map_or("none", |l| l.as_str());
        StatusWords {
            state_word: chrome.t(&format!("state.{}", p.status.state.as_str())),
            label,
            label_word: chrome.t(&format!("label.{label}")),
            kind_word: p
                .status
                .delist_kind
                .map_or("", |k| chrome.t(&format!("kind.{}", k.as_str()))),
            reason_word: p
                .reason_code
                .as_deref()
                .map(|c| chrome.word(&format!("reason.{c}")).to_owned())
                .unwrap_or_default(),
        }
    }
}

pub struct Row {
    pub id: String,
    pub title: String,
    pub status: StatusWords,
    pub category: String,
    pub stock: i64,
    pub updated: String,
}

pub struct Choice {
    pub value: &'static str,
    pub word: &'static str,
    pub selected: bool,
}

/// The list's filters as the address carries them.
#[derive(Default, Clone)]
pub struct Filter {
    pub state: String,
    pub q: String,
    pub reason_code: String,
    pub delist_kind: String,
    pub progress: String,
    pub fulfilment: String,
    pub category: String,
    pub created_from: String,
    pub created_to: String,
}

impl Filter {
    pub fn from_fields(f: &Fields) -> Filter {
        let v = |k: &str| f.text(k).unwrap_or_default();
        Filter {
            state: v("state"),
            q: v("q"),
            reason_code: v("reason_code"),
            delist_kind: v("delist_kind"),
            progress: v("progress"),
            fulfilment: v("fulfilment"),
            category: v("category"),
            created_from: v("created_from"),
            created_to: v("created_to"),
        }
    }

    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("state", &self.state),
            ("q", &self.q),
            ("reason_code", &self.reason_code),
            ("delist_kind", &self.delist_kind),
            ("progress", &self.progress),
            ("fulfilment", &self.fulfilment),
            ("category", &self.category),
            ("created_from", &self.created_from),
            ("created_to", &self.created_to),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }

    pub fn href(&self, extra: &[(&str, &str)]) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.pairs() {
            s.append_pair(k, &v);
        }
        for (k, v) in extra {
            s.append_pair(k, v);
        }
        format!("/products?{}", s.finish())
    }

    /// The service's query; dates are the site's days. A date that does not parse is
    /// passed on as typed, so the service names the field.
    pub fn query(
        &self,
        tz: &jiff::tz::TimeZone,
        cursor: Option<String>,
        limit: i64,
    ) -> ProductQuery {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let date = |s: &str, f: fn(&str, &jiff::tz::TimeZone) -> Option<String>| {
            (!s.is_empty()).then(|| f(s, tz).unwrap_or_else(|| s.to_owned()))
        };
        ProductQuery {
            state: opt(&self.state),
            delist_kind: opt(&self.delist_kind),
            reason_code: opt(&self.reason_code),
            category: opt(&self.category),
            q: opt(&self.q),
            progress: opt(&self.progress),
            fulfilment: opt(&self.fulfilment),
            created_from: date(&self.created_from, day_start),
            created_to: date(&self.created_to, day_end),
            cursor,
            limit: Some(limit),
            ..Default::default()
        }
    }
}

#[derive(Template)]
#[template(path = "products.html")]
struct ProductsPage {
    chrome: Chrome,
    filter: Filter,
    tabs: Vec<Tab>,
    rows: Vec<Row>,
    reasons: Vec<Choice>,
    kinds: Vec<Choice>,
    progresses: Vec<Choice>,
    modes: Vec<Choice>,
    next: Option<String>,
    flash: Option<String>,
}

/// The seller's store and its time zone.
/// The seller's store and its site's zone, both read with the session: no query.
pub fn store_zone(s: &Signed) -> ServiceResult<(String, jiff::tz::TimeZone)> {
    let store_id = s.actor().store_id.clone().ok_or_else(|| {
        ServiceError::Forbidden("this page is a store's; staff pages follow".into())
    })?;
    let tz = s
        .session
        .site_time_zone
        .as_deref()
        .map(zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    Ok((store_id, tz))
}

pub fn row(chrome: &Chrome, p: &Product, tz: &jiff::tz::TimeZone) -> Row {
    Row {
        id: p.id.clone(),
        title: p.title.clone(),
        status: StatusWords::of(chrome, p),
        category: p.category.clone(),
        stock: p.skus.iter().map(|s| s.stock).sum(),
        updated: local(p.updated_at, tz),
    }
}

fn choices<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    word: impl Fn(&str) -> &'static str,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| {
            let value = name(*v);
            Choice {
                value,
                word: word(value),
                selected: value == selected,
            }
        })
        .collect()
}

pub async fn list(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    let fields = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    let filter = Filter::from_fields(&fields);
    let chrome = s.chrome.clone();
    let (store_id, tz) = match store_zone(&s) {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let query = filter.query(&tz, fields.text("cursor"), 50);
    let page = match st.service.products(s.actor(), &store_id, &query).await {
        Ok(p) => p,
        Err(e) => return refusal(chrome, e),
    };
    let tabs = TABS
        .iter()
        .map(|state| {
            let mut f = filter.clone();
            f.state = state.as_str().into();
            Tab {
                state: state.as_str(),
                word: chrome.t(&format!("state.{}", state.as_str())),
                count: page
                    .counts
                    .by_state
                    .get(state.as_str())
                    .copied()
                    .unwrap_or(0),
                href: f.href(&[]),
                current: filter.state == state.as_str(),
            }
        })
        .collect();
    let rows = page.items.iter().map(|p| row(&chrome, p, &tz)).collect();
    let next = page
        .next_cursor
        .as_deref()
        .map(|c| filter.href(&[("cursor", c)]));
    let flash = fields
        .text("delisted")
        .map(|n| chrome.fill("products.delisted_flash", &[("count", &n)]));
    let reasons = choices(
        ReasonCode::ALL,
        ReasonCode::as_str,
        |v| chrome.word(&format!("reason.{v}")),
        &filter.reason_code,
    );
    let kinds = choices(
        &[
            DelistKind::Voluntary,
            DelistKind::Violation,
            DelistKind::Protective,
        ],
        DelistKind::as_str,
        |v| chrome.t(&format!("kind.{v}")),
        &filter.delist_kind,
    );
    let progresses = choices(
        &Progress::ALL,
        Progress::as_str,
        |v| chrome.t(&format!("progress.{v}")),
        &filter.progress,
    );
    let modes = choices(
        &FulfilmentMode::ALL,
        FulfilmentMode::as_str,
        |v| chrome.t(&format!("fulfilment.{v}")),
        &filter.fulfilment,
    );
    render(
        StatusCode::OK,
        &ProductsPage {
            chrome,
            filter,
            tabs,
            rows,
            reasons,
            kinds,
            progresses,
            modes,
            next,
            flash,
        },
    )
}
