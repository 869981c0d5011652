//! The product list's query as a person types it (state, label, reason, dates, progress,
//! fulfilment): checked field by field and turned into the store's filter, so the API, the
//! console and the CLI refuse the same mistakes with the same words.

use marketdesk_core::{DelistKind, Invalid, Label, ListingStatus, ReasonCode, State, validation};
use marketdesk_store::products::ProductFilter;

use crate::paging::DEFAULT_PAGE;

/// The list page's query, as typed by a person: every field is checked here so the API
/// and the CLI refuse the same mistakes with the same words.
#[derive(Debug, Clone, Default)]
pub struct ProductQuery {
    pub state: Option<String>,
    pub delist_kind: Option<String>,
    pub label: Option<String>,
    pub reason_code: Option<String>,
    pub category: Option<String>,
    pub q: Option<String>,
    pub created_from: Option<String>,
    pub created_to: Option<String>,
    pub updated_from: Option<String>,
    pub updated_to: Option<String>,
    /// Products with a violation case in this progress: awaiting_rectification,
    /// in_review, overdue, appealed or closed.
    pub progress: Option<String>,
    /// Products of stores run this way: self_operated, semi_managed or fully_managed.
    pub fulfilment: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

pub(crate) fn parse_instant(
    errors: &mut Invalid,
    field: &str,
    value: &Option<String>,
) -> Option<i64> {
    let text = value.as_deref()?;
    match text.parse::<jiff::Timestamp>() {
        Ok(t) => Some(t.as_microsecond()),
        Err(_) => {
            errors.push(
                field,
                "must be an RFC 3339 instant such as 2026-11-27T15:00:00Z",
            );
            None
        }
    }
}

impl ProductQuery {
    /// Turns the typed query into the store's filter; `None` when the filters contradict
    /// each other (e.g. `state=on_sale&label=red`) so no row can match.
    pub(crate) fn to_filter(
        &self,
        store_id: Option<&str>,
    ) -> Result<Option<ProductFilter>, Invalid> {
        let mut errors = Invalid::default();
        let mut f = ProductFilter {
            store_id: store_id.map(str::to_string),
            limit: DEFAULT_PAGE,
            ..Default::default()
        };
        let mut states: Option<Vec<State>> = None;
        let mut kinds: Option<Vec<DelistKind>> = None;
        if let Some(s) = &self.state {
            match s.parse::<State>() {
                Ok(s) => states = Some(vec![s]),
                Err(m) => errors.push("state", m),
            }
        }
        if let Some(k) = &self.delist_kind {
            match k.parse::<DelistKind>() {
                Ok(k) => kinds = Some(vec![k]),
                Err(m) => errors.push("delist_kind", m),
            }
        }
        if let Some(l) = &self.label {
            match l.parse::<Label>() {
                Ok(label) => {
                    let (s, k) = ListingStatus::with_label(label);
                    states = Some(intersect(states, s));
                    if let Some(k) = k {
                        kinds = Some(intersect(kinds, k));
                    }
                }
                Err(m) => errors.push("label", m),
            }
        }
        if let Some(r) = &self.reason_code {
            match r.parse::<ReasonCode>() {
                Ok(r) => f.reason_code = Some(r.as_str().into()),
                Err(m) => errors.push("reason_code", m),
            }
        }
        if let Some(p) = &self.progress {
            match p.parse::<marketdesk_core::violation::Progress>() {
                Ok(p) => f.progress = Some(p.as_str().into()),
                Err(m) => errors.push("progress", m),
            }
        }
        if let Some(m) = &self.fulfilment {
            match m.parse::<marketdesk_core::role::FulfilmentMode>() {
                Ok(m) => f.fulfilment_mode = Some(m.as_str().into()),
                Err(m) => errors.push("fulfilment", m),
            }
        }
        if let Some(c) = &self.category {
            f.category = Some(validation::required_text(
                &mut errors,
                "category",
                c,
                validation::MAX_CATEGORY,
            ));
        }
        if let Some(q) = &self.q {
            let q = q.trim();
            if q.chars().count() > validation::MAX_TITLE {
                errors.push(
                    "q",
                    format!("must be at most {} characters", validation::MAX_TITLE),
                );
            } else if q.chars().any(char::is_control) {
                // A NUL would end the pattern early in SQLite and match every title.
                errors.push("q", "must not contain control characters");
            } else if !q.is_empty() {
                f.title_contains = Some(q.to_lowercase());
            }
        }
        f.created_from = parse_instant(&mut errors, "created_from", &self.created_from);
        f.created_to = parse_instant(&mut errors, "created_to", &self.created_to);
        f.updated_from = parse_instant(&mut errors, "updated_from", &self.updated_from);
        f.updated_to = parse_instant(&mut errors, "updated_to", &self.updated_to);
        f.before_id = crate::paging::cursor(&mut errors, self.cursor.as_deref());
        f.limit = crate::paging::limit(&mut errors, self.limit);
        errors.into_result()?;
        if states.as_ref().is_some_and(|s| s.is_empty())
            || kinds.as_ref().is_some_and(|k| k.is_empty())
        {
            return Ok(None);
        }
        f.states = states.map(|v| v.iter().map(|s| s.as_str().to_string()).collect());
        f.delist_kinds = kinds.map(|v| v.iter().map(|k| k.as_str().to_string()).collect());
        Ok(Some(f))
    }
}

/// What a label means in terms of stored columns (the label itself is never stored).
fn intersect<T: PartialEq + Copy>(current: Option<Vec<T>>, with: Vec<T>) -> Vec<T> {
    match current {
        None => with,
        Some(cur) => cur.into_iter().filter(|c| with.contains(c)).collect(),
    }
}
