//! Rectification advice (整改建议): seed 000 promises "合规指引、图片优化建议". A plan for
//! one violation is the clause's guidance plus concrete checks of the listing as it
//! stands now, so a seller sees what to fix before asking for a relist review — and sees
//! a check turn from `fail` to `pass` after the edit.
//!
//! Everything here is a judgement over a snapshot the service reads; each finding names a
//! catalog key (`advice.*`), so the API, the console and e-mail say it in the reader's
//! language.

use serde::Serialize;

use crate::ReasonCode;

/// Shorter than this on either side, a main image is refused by the sites' image rules
/// (zoom needs 800 px).
pub const MIN_IMAGE_SIDE: i64 = 800;
/// Longer titles are cut in search results and read as keyword stuffing.
pub const MAX_TITLE_CHARS: usize = 120;

/// What the advice looks at: the listing now, and what the service found about it.
#[derive(Debug, Clone, Default)]
pub struct ListingSnapshot {
    pub title: String,
    pub description: String,
    pub category: String,
    /// Attribute names and values, as the seller entered them.
    pub attributes: Vec<(String, String)>,
    /// The main image's pixel size, when there is one and its size is known.
    pub main_image: Option<ImageFacts>,
    /// The number of other stores' listings whose main image has the same bytes.
    pub main_image_shared_with: i64,
    /// Qualification documents uploaded for the listing (certificates, test reports).
    pub documents_on_file: usize,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ImageFacts {
    pub width: Option<i64>,
    pub height: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
}

/// One check of the listing: its stable name (also the catalog key `advice.check.{name}`),
/// the outcome, and what was found (words, sizes), for the message's `{found}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub outcome: Outcome,
    pub found: String,
}

/// Words that, in a title or description, support a takedown under a reason: the
/// clause names them, so a listing that keeps them will be taken down again.
pub fn flagged_words(reason: ReasonCode) -> &'static [&'static str] {
    match reason {
        ReasonCode::Counterfeit => &[
            "高仿", "a货", "原单", "复刻", "1:1", "replica", "copy", "fake", "仿品", "同厂",
        ],
        ReasonCode::IpInfringement => &[
            "同款",
            "联名",
            "授权",
            "official",
            "licensed",
            "disney",
            "迪士尼",
            "nike",
            "耐克",
            "apple",
            "苹果",
        ],
        ReasonCode::MisleadingListing => &[
            "最好",
            "第一",
            "最佳",
            "顶级",
            "100%",
            "best",
            "no.1",
            "#1",
            "guaranteed",
            "永久",
            "根治",
            "cure",
        ],
        ReasonCode::ProhibitedItem => &[
            "电子烟",
            "烟油",
            "刀具",
            "弩",
            "处方药",
            "e-cigarette",
            "vape",
            "knife",
            "crossbow",
            "prescription",
        ],
        ReasonCode::PricingViolation => {
            &["原价", "清仓价", "限时", "亏本", "was", "rrp", "clearance"]
        }
        ReasonCode::SafetyRisk => &["儿童", "磁力珠", "速热", "kids", "magnet", "lithium"],
        ReasonCode::ImageViolation => &["微信", "vx", "whatsapp", "qq", "电话", "tel"],
        _ => &[],
    }
}

/// Categories whose goods need certificates on file before they are sold, by the words
/// a category name carries, and the documents the sites ask for.
const CERTIFIED_CATEGORIES: &[(&[&str], &[&str])] = &[
    (
        &[
            "electronic",
            "电子",
            "数码",
            "charger",
            "充电",
            "lighting",
            "灯",
        ],
        &["CE", "FCC", "3C"],
    ),
    (
        &["toy", "玩具", "baby", "母婴", "儿童"],
        &["CE", "EN71", "CPC"],
    ),
    (
        &["cosmetic", "美妆", "化妆", "beauty", "skincare", "护肤"],
        &["FDA", "CPNP"],
    ),
    (&["food", "食品", "supplement", "保健"], &["FDA", "SC"]),
    (&["medical", "医疗", "器械"], &["FDA", "CE"]),
];

/// The certificates the category asks for; empty when it asks for none.
pub fn certificates_for(category: &str) -> &'static [&'static str] {
    let c = category.to_lowercase();
    CERTIFIED_CATEGORIES
        .iter()
        .find(|(words, _)| words.iter().any(|w| c.contains(w)))
        .map(|(_, docs)| *docs)
        .unwrap_or(&[])
}

/// Attribute names a certificate is recorded under (`证书`, `certification`, or the
/// document's own name: `CE`, `FCC 证书`).
fn names_certificate(name: &str, doc: &str) -> bool {
    let n = name.to_lowercase();
    n.contains(&doc.to_lowercase())
        || n.contains("certif")
        || n.contains("证书")
        || n.contains("认证")
        || n.contains("检测报告")
}

/// The listing checks that matter for a violation under `reason`, in the order a seller
/// should work through them. Image checks run for every reason: a missing or small main
/// image is refused at relist review whatever the takedown was for.
pub fn checks(reason: ReasonCode, l: &ListingSnapshot) -> Vec<Check> {
    let mut out = Vec::new();
    let fail = |check, found: String| Check {
        check,
        outcome: Outcome::Fail,
        found,
    };
    let pass = |check| Check {
        check,
        outcome: Outcome::Pass,
        found: String::new(),
    };
    match l.main_image {
        None => out.push(fail("main_image_missing", String::new())),
        Some(img) => {
            out.push(pass("main_image_missing"));
            match (img.width, img.height) {
                (Some(w), Some(h)) if w.min(h) < MIN_IMAGE_SIDE => {
                    out.push(fail("main_image_too_small", format!("{w}×{h}")))
                }
                _ => out.push(pass("main_image_too_small")),
            }
            if l.main_image_shared_with > 0 {
                out.push(fail(
                    "main_image_shared",
                    l.main_image_shared_with.to_string(),
                ))
            } else {
                out.push(pass("main_image_shared"))
            }
        }
    }
    let title_chars = l.title.chars().count();
    if title_chars > MAX_TITLE_CHARS {
        out.push(fail("title_too_long", title_chars.to_string()));
    } else {
        out.push(pass("title_too_long"));
    }
    let words = flagged_words(reason);
    if !words.is_empty() {
        let text = format!("{} {}", l.title, l.description).to_lowercase();
        let hits: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| contains_word(&text, w))
            .collect();
        if hits.is_empty() {
            out.push(pass("flagged_words"));
        } else {
            out.push(fail("flagged_words", hits.join(", ")));
        }
    }
    let docs = certificates_for(&l.category);
    if !docs.is_empty() || reason == ReasonCode::MissingCertification {
        let missing: Vec<&str> = docs
            .iter()
            .copied()
            .filter(|d| {
                l.documents_on_file == 0
                    && !l
                        .attributes
                        .iter()
                        .any(|(n, v)| !v.trim().is_empty() && names_certificate(n, d))
            })
            .collect();
        let none_at_all = docs.is_empty()
            && l.documents_on_file == 0
            && !l
                .attributes
                .iter()
                .any(|(n, v)| !v.trim().is_empty() && names_certificate(n, "-"));
        if !missing.is_empty() {
            out.push(fail("certificates_missing", missing.join(", ")));
        } else if none_at_all {
            out.push(fail("certificates_missing", String::new()));
        } else {
            out.push(pass("certificates_missing"));
        }
    }
    out
}

/// A word match that does not fire inside a longer Latin word (`was` in `washer`);
/// Chinese words match anywhere, having no spaces to bound them.
fn contains_word(text: &str, word: &str) -> bool {
    let latin = word.is_ascii();
    if !latin {
        return text.contains(word);
    }
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let bounded = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
        bounded(before) && bounded(after)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing() -> ListingSnapshot {
        ListingSnapshot {
            title: "Ceramic mug 350 ml".into(),
            category: "kitchen".into(),
            main_image: Some(ImageFacts {
                width: Some(1200),
                height: Some(1200),
            }),
            ..Default::default()
        }
    }

    fn failed(checks: &[Check]) -> Vec<(&'static str, String)> {
        checks
            .iter()
            .filter(|c| c.outcome == Outcome::Fail)
            .map(|c| (c.check, c.found.clone()))
            .collect()
    }

    #[test]
    fn a_clean_listing_passes_every_check() {
        let c = checks(ReasonCode::MisleadingListing, &listing());
        assert!(failed(&c).is_empty(), "{c:?}");
        assert!(c.iter().any(|c| c.check == "flagged_words"));
    }

    #[test]
    fn a_missing_main_image_is_the_first_thing_to_fix() {
        let l = ListingSnapshot {
            main_image: None,
            ..listing()
        };
        let c = checks(ReasonCode::ImageViolation, &l);
        assert_eq!(c[0].check, "main_image_missing");
        assert_eq!(c[0].outcome, Outcome::Fail);
    }

    #[test]
    fn small_and_shared_images_are_named_with_what_was_found() {
        let l = ListingSnapshot {
            main_image: Some(ImageFacts {
                width: Some(640),
                height: Some(900),
            }),
            main_image_shared_with: 2,
            ..listing()
        };
        assert_eq!(
            failed(&checks(ReasonCode::ImageViolation, &l)),
            vec![
                ("main_image_too_small", "640×900".to_string()),
                ("main_image_shared", "2".to_string())
            ]
        );
    }

    #[test]
    fn flagged_words_match_whole_latin_words_and_any_chinese() {
        let l = ListingSnapshot {
            title: "Washer cover, best seller 第一品牌".into(),
            ..listing()
        };
        assert_eq!(
            failed(&checks(ReasonCode::MisleadingListing, &l)),
            vec![("flagged_words", "第一, best".to_string())]
        );
        let l = ListingSnapshot {
            title: "Washer".into(),
            ..listing()
        };
        assert!(failed(&checks(ReasonCode::PricingViolation, &l)).is_empty());
    }

    #[test]
    fn long_titles_fail_by_characters_not_bytes() {
        let ok = ListingSnapshot {
            title: "杯".repeat(MAX_TITLE_CHARS),
            ..listing()
        };
        assert!(failed(&checks(ReasonCode::Other, &ok)).is_empty());
        let long = ListingSnapshot {
            title: "杯".repeat(MAX_TITLE_CHARS + 1),
            ..listing()
        };
        assert_eq!(
            failed(&checks(ReasonCode::Other, &long)),
            vec![("title_too_long", "121".to_string())]
        );
    }

    #[test]
    fn certified_categories_need_each_document_on_file() {
        let mut l = ListingSnapshot {
            category: "Toys".into(),
            attributes: vec![("CE 证书".into(), "file-1".into())],
            ..listing()
        };
        // Any attribute naming a certificate counts for each document: the seller
        // recorded one; the reviewer judges its contents.
        assert!(failed(&checks(ReasonCode::MissingCertification, &l)).is_empty());
        l.attributes.clear();
        assert_eq!(
            failed(&checks(ReasonCode::MissingCertification, &l)),
            vec![("certificates_missing", "CE, EN71, CPC".to_string())]
        );
        // A kitchen listing taken down for a missing certificate: whatever it is, none
        // is on file.
        let k = listing();
        assert_eq!(
            failed(&checks(ReasonCode::MissingCertification, &k)),
            vec![("certificates_missing", String::new())]
        );
        assert!(certificates_for("kitchen").is_empty());
    }
}
