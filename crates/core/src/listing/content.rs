//! What a listing says and shows — title, description, category, attributes, images, SKU
//! prices and attributes — and the rules for changing it. Rectifying (整改) a violation
//! delist means fixing this content, so every edit is recorded field by field, before →
//! after, for the reviewer who decides the relist.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::listing::{ListingStatus, State};
use crate::validation::{self, Invalid};

pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_ATTRIBUTES: usize = 50;
pub const MAX_ATTRIBUTE_NAME: usize = 60;
pub const MAX_ATTRIBUTE_VALUE: usize = 500;
/// Main image not counted: the gallery holds up to ten more.
pub const MAX_GALLERY: usize = 10;
/// What a listing image may be, judged by the file's bytes when it was uploaded.
pub const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp"];

pub type Attributes = BTreeMap<String, String>;

/// A product's editable content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    pub title: String,
    pub description: String,
    pub category: String,
    pub attributes: Attributes,
    pub main_image_id: Option<String>,
    pub gallery: Vec<String>,
}

/// One SKU as the content sees it: its code names it, its price is a decimal text in
/// the product's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuContent {
    pub code: String,
    pub price: String,
    pub attributes: Attributes,
}

/// One changed field of an edit. `field` is `title`, `attributes.颜色`, `skus.A-1.price`,
/// `skus.A-1` (added or removed: the side that does not exist is null), …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Edits are refused only while a relist review is pending: the reviewer decides on
/// the listing as submitted, so it may not change under them.
pub fn may_edit(status: ListingStatus) -> Result<(), &'static str> {
    if status.state == State::PendingReview {
        Err("the listing is under review; it can be edited again once the review is decided")
    } else {
        Ok(())
    }
}

/// Checks content as a whole after an edit was applied; field names are the API's.
pub fn check(errors: &mut Invalid, c: &Content) {
    validation::required_text(errors, "title", &c.title, validation::MAX_TITLE);
    validation::required_text(errors, "category", &c.category, validation::MAX_CATEGORY);
    check_description(errors, &c.description);
    check_attributes(errors, "attributes", &c.attributes);
    if c.gallery.len() > MAX_GALLERY {
        errors.push(
            "gallery",
            format!("at most {MAX_GALLERY} images (got {})", c.gallery.len()),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for id in c.main_image_id.iter().chain(&c.gallery) {
        if !seen.insert(id) {
            errors.push("gallery", format!("image {id} appears twice"));
        }
    }
}

/// A description: plain text (line breaks allowed), at most [`MAX_DESCRIPTION`] characters.
pub fn check_description(errors: &mut Invalid, description: &str) {
    let chars = description.chars().count();
    if chars > MAX_DESCRIPTION {
        errors.push(
            "description",
            format!("must be at most {MAX_DESCRIPTION} characters (got {chars})"),
        );
    }
    if description
        .chars()
        .any(|ch| ch.is_control() && ch != '\n' && ch != '\t' && ch != '\r')
    {
        errors.push("description", "must not contain control characters");
    }
}

pub fn check_attributes(errors: &mut Invalid, field: &str, a: &Attributes) {
    if a.len() > MAX_ATTRIBUTES {
        errors.push(field, format!("at most {MAX_ATTRIBUTES} attributes"));
    }
    for (name, value) in a {
        let n = name.trim();
        if n.is_empty() || n != name || name.chars().count() > MAX_ATTRIBUTE_NAME {
            errors.push(
                format!("{field}.{name}"),
                format!(
                    "names are 1 to {MAX_ATTRIBUTE_NAME} characters without surrounding spaces"
                ),
            );
        }
        if value.trim().is_empty() || value.chars().count() > MAX_ATTRIBUTE_VALUE {
            errors.push(
                format!("{field}.{name}"),
                format!("values are 1 to {MAX_ATTRIBUTE_VALUE} characters; null removes one"),
            );
        }
        if name.chars().chain(value.chars()).any(char::is_control) {
            errors.push(
                format!("{field}.{name}"),
                "must not contain control characters",
            );
        }
    }
}

/// Applies a merge patch to attributes: a value sets, null removes.
pub fn merge_attributes(a: &mut Attributes, patch: BTreeMap<String, Option<String>>) {
    for (name, value) in patch {
        match value {
            Some(v) => a.insert(name, v.trim().to_string()),
            None => a.remove(&name),
        };
    }
}

fn change(field: impl Into<String>, before: Option<&str>, after: Option<&str>) -> FieldChange {
    FieldChange {
        field: field.into(),
        before: before.map(str::to_string),
        after: after.map(str::to_string),
    }
}

fn diff_attributes(out: &mut Vec<FieldChange>, prefix: &str, b: &Attributes, a: &Attributes) {
    let names: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    for name in names {
        let (before, after) = (b.get(name), a.get(name));
        if before != after {
            out.push(change(
                format!("{prefix}.{name}"),
                before.map(String::as_str),
                after.map(String::as_str),
            ));
        }
    }
}

/// Every field that differs between two versions of a listing, in a stable order:
/// the product's fields, then each SKU by code.
pub fn diff(
    before: &Content,
    after: &Content,
    skus_before: &[SkuContent],
    skus_after: &[SkuContent],
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    for (field, b, a) in [
        ("title", &before.title, &after.title),
        ("description", &before.description, &after.description),
        ("category", &before.category, &after.category),
    ] {
        if b != a {
            out.push(change(field, Some(b), Some(a)));
        }
    }
    diff_attributes(
        &mut out,
        "attributes",
        &before.attributes,
        &after.attributes,
    );
    if before.main_image_id != after.main_image_id {
        out.push(change(
            "main_image_id",
            before.main_image_id.as_deref(),
            after.main_image_id.as_deref(),
        ));
    }
    if before.gallery != after.gallery {
        out.push(change(
            "gallery",
            Some(&before.gallery.join(",")),
            Some(&after.gallery.join(",")),
        ));
    }
    let find = |list: &'_ [SkuContent], code: &str| list.iter().find(|s| s.code == code).cloned();
    let mut codes: Vec<&str> = skus_before.iter().map(|s| s.code.as_str()).collect();
    codes.extend(
        skus_after
            .iter()
            .map(|s| s.code.as_str())
            .filter(|c| !skus_before.iter().any(|s| s.code == *c)),
    );
    for code in codes {
        match (find(skus_before, code), find(skus_after, code)) {
            (Some(b), Some(a)) => {
                if b.price != a.price {
                    out.push(change(
                        format!("skus.{code}.price"),
                        Some(&b.price),
                        Some(&a.price),
                    ));
                }
                diff_attributes(
                    &mut out,
                    &format!("skus.{code}.attributes"),
                    &b.attributes,
                    &a.attributes,
                );
            }
            (Some(b), None) => out.push(change(format!("skus.{code}"), Some(&b.price), None)),
            (None, Some(a)) => out.push(change(format!("skus.{code}"), None, Some(&a.price))),
            (None, None) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::listing::{DelistKind, ListingStatus};

    fn attrs() -> impl Strategy<Value = Attributes> {
        proptest::collection::btree_map("[a-c]", "[x-z]{1,2}", 0..3)
    }

    fn content() -> impl Strategy<Value = Content> {
        (
            "[ab]{1,2}",
            "[ab]{0,2}",
            attrs(),
            proptest::option::of("[pq]"),
            proptest::collection::vec("[rs]", 0..2),
        )
            .prop_map(
                |(title, description, attributes, main_image_id, gallery)| Content {
                    title,
                    description,
                    category: "toys".into(),
                    attributes,
                    main_image_id,
                    gallery,
                },
            )
    }

    fn skus() -> impl Strategy<Value = Vec<SkuContent>> {
        proptest::collection::btree_map("[A-C]", ("[12]\\.00", attrs()), 0..3).prop_map(|m| {
            m.into_iter()
                .map(|(code, (price, attributes))| SkuContent {
                    code,
                    price,
                    attributes,
                })
                .collect()
        })
    }

    proptest! {
        /// An edit is recorded exactly when something changed, and the record names
        /// every field only once.
        #[test]
        fn the_diff_is_empty_exactly_when_nothing_changed(
            a in content(), b in content(), ka in skus(), kb in skus()
        ) {
            let d = diff(&a, &b, &ka, &kb);
            prop_assert_eq!(d.is_empty(), a == b && ka == kb);
            let mut fields: Vec<&String> = d.iter().map(|c| &c.field).collect();
            let n = fields.len();
            fields.dedup();
            prop_assert_eq!(fields.len(), n);
            prop_assert!(d.iter().all(|c| c.before != c.after));
        }

        /// A merge patch changes exactly the attributes it names.
        #[test]
        fn a_merge_patch_changes_only_what_it_names(
            a in attrs(), patch in proptest::collection::btree_map("[a-d]", proptest::option::of("[x-z]{1,2}"), 0..3)
        ) {
            let mut merged = a.clone();
            merge_attributes(&mut merged, patch.clone());
            let before = Content { attributes: a.clone(), ..Content::default() };
            let after = Content { attributes: merged.clone(), ..Content::default() };
            for c in diff(&before, &after, &[], &[]) {
                let name = c.field.strip_prefix("attributes.").unwrap();
                prop_assert!(patch.contains_key(name));
                prop_assert_eq!(c.after.as_ref(), patch[name].as_ref());
            }
            for (name, value) in &a {
                if !patch.contains_key(name) {
                    prop_assert_eq!(merged.get(name), Some(value));
                }
            }
        }
    }

    #[test]
    fn a_listing_under_review_is_not_edited() {
        let under_review = ListingStatus {
            state: State::PendingReview,
            delist_kind: None,
            review_return: Some((State::Delisted, Some(DelistKind::Violation))),
        };
        assert!(may_edit(under_review).is_err());
        assert!(may_edit(ListingStatus::DRAFT).is_ok());
        let violation = ListingStatus {
            state: State::Delisted,
            delist_kind: Some(DelistKind::Violation),
            review_return: None,
        };
        assert!(
            may_edit(violation).is_ok(),
            "editing is how a rectification is made"
        );
    }

    #[test]
    fn skus_added_removed_and_repriced_are_named_by_code() {
        let sku = |code: &str, price: &str| SkuContent {
            code: code.into(),
            price: price.into(),
            attributes: Attributes::new(),
        };
        let c = Content::default();
        let d = diff(
            &c,
            &c,
            &[sku("A", "1.00"), sku("B", "2.00")],
            &[sku("B", "2.50"), sku("C", "3.00")],
        );
        let fields: Vec<(&str, Option<&str>, Option<&str>)> = d
            .iter()
            .map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref()))
            .collect();
        assert_eq!(
            fields,
            [
                ("skus.A", Some("1.00"), None),
                ("skus.B.price", Some("2.00"), Some("2.50")),
                ("skus.C", None, Some("3.00")),
            ]
        );
    }

    #[test]
    fn too_many_images_and_bad_attributes_are_refused() {
        let mut errors = Invalid::default();
        let c = Content {
            title: "Lamp".into(),
            category: "home".into(),
            gallery: (0..11).map(|i| format!("img{i}")).collect(),
            attributes: [(" colour".to_string(), "red".to_string())].into(),
            ..Content::default()
        };
        check(&mut errors, &c);
        let fields: Vec<String> = errors.0.iter().map(|e| e.field.clone()).collect();
        assert!(fields.contains(&"gallery".to_string()), "{fields:?}");
        assert!(
            fields.contains(&"attributes. colour".to_string()),
            "{fields:?}"
        );
    }
}
