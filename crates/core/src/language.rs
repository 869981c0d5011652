//! The languages people read marketdesk in, and the message catalogs that hold every word
//! shown to them — inbox, e-mail, texts, calls, and the console. A catalog is a file per
//! language (`crates/core/messages/*.toml`, key → text with `{name}` placeholders), so a
//! translator edits words without touching code; a test holds both to the same keys and
//! the same placeholders.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    ZhCn,
    En,
}

impl Language {
    pub const ALL: &'static [Language] = &[Language::ZhCn, Language::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }

    /// What a person reads when they have not chosen: Chinese on the China site, English
    /// elsewhere and for platform staff bound to no site.
    pub fn for_site(site_code: Option<&str>) -> Language {
        match site_code {
            Some("CN") => Language::ZhCn,
            _ => Language::En,
        }
    }

    /// The person's choice if they made one, else the default of their site.
    pub fn of(chosen: Option<&str>, site_code: Option<&str>) -> Language {
        chosen
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| Language::for_site(site_code))
    }

    /// The first language of an `Accept-Language` header that marketdesk speaks, by the
    /// header's q-values: any `zh` is Chinese, any `en` English.
    pub fn from_accept_language(header: &str) -> Option<Language> {
        let mut offers: Vec<(f32, usize, Language)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut bits = part.trim().split(';');
                let tag = bits.next()?.trim().to_ascii_lowercase();
                let q = bits
                    .find_map(|b| b.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                let lang = match tag.split('-').next()? {
                    "zh" => Language::ZhCn,
                    "en" => Language::En,
                    _ => return None,
                };
                (q > 0.0).then_some((q, i, lang))
            })
            .collect();
        offers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        offers.first().map(|o| o.2)
    }

    /// The word for `key`, falling back to English. A key missing from both catalogs is a
    /// bug the catalog tests catch; it shows as nothing rather than failing a delivery.
    pub fn text(self, key: &str) -> &'static str {
        match catalog(self).get(key) {
            Some(t) => t.as_str(),
            None => catalog(Language::En).get(key).map_or("", |t| t.as_str()),
        }
    }

    /// The text for `key` with each `{name}` replaced by its value, in one pass: a value
    /// that itself contains `{…}` (a seller's title) stays as it is.
    pub fn fill(self, key: &str, args: &[(&str, &str)]) -> String {
        let template = self.text(key);
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    let name = &after[..end];
                    match args.iter().find(|(n, _)| *n == name) {
                        Some((_, value)) => out.push_str(value),
                        None => out.push_str(&rest[start..start + end + 2]),
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Whether the catalog has `key` (for words chosen from data, such as event types).
    pub fn has(self, key: &str) -> bool {
        catalog(self).contains_key(key)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Language {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "zh-CN" => Ok(Language::ZhCn),
            "en" => Ok(Language::En),
            other => Err(format!(
                "\"{other}\" is not a language marketdesk speaks; expected zh-CN or en"
            )),
        }
    }
}

type Catalog = BTreeMap<String, String>;

/// Each language's catalog is split by subject (the core words, the store programs);
/// the files of one language are read as one catalog and may not repeat a key.
const SOURCES: &[(Language, &[&str])] = &[
    (
        Language::ZhCn,
        &[
            include_str!("../messages/zh-CN.toml"),
            include_str!("../messages/programs.zh-CN.toml"),
            include_str!("../messages/monitoring.zh-CN.toml"),
        ],
    ),
    (
        Language::En,
        &[
            include_str!("../messages/en.toml"),
            include_str!("../messages/programs.en.toml"),
            include_str!("../messages/monitoring.en.toml"),
        ],
    ),
];

fn parse(sources: &[&str]) -> Result<Catalog, String> {
    let mut all = Catalog::new();
    for source in sources {
        let part: Catalog = toml::from_str(source).map_err(|e| e.to_string())?;
        for (k, v) in part {
            if all.insert(k.clone(), v).is_some() {
                return Err(format!("{k} is in two files"));
            }
        }
    }
    Ok(all)
}

static CATALOGS: LazyLock<Vec<(Language, Catalog)>> = LazyLock::new(|| {
    SOURCES
        .iter()
        // The catalog test proves both files parse; an unparsable one shows keys only.
        .map(|(l, s)| (*l, parse(s).unwrap_or_default()))
        .collect()
});

fn catalog(language: Language) -> &'static Catalog {
    &CATALOGS
        .iter()
        .find(|(l, _)| *l == language)
        .expect("every language has a catalog")
        .1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_preferred_known_language() {
        let pick = Language::from_accept_language;
        assert_eq!(pick("zh-CN,zh;q=0.9,en;q=0.8"), Some(Language::ZhCn));
        assert_eq!(pick("en-GB,en;q=0.9"), Some(Language::En));
        assert_eq!(pick("de-DE, en;q=0.5, zh;q=0.7"), Some(Language::ZhCn));
        assert_eq!(pick("fr, zh;q=0"), None);
        assert_eq!(pick(""), None);
        assert_eq!(pick("zh-TW;q=bad, en"), Some(Language::En));
    }
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            out.insert(rest[start + 1..start + len].to_string());
            rest = &rest[start + len + 1..];
        }
        out
    }

    #[test]
    fn every_catalog_has_the_same_keys_and_placeholders() {
        let parsed: Vec<(Language, Catalog)> = SOURCES
            .iter()
            .map(|(l, s)| (*l, parse(s).unwrap_or_else(|e| panic!("{l}: {e}"))))
            .collect();
        let (_, en) = &parsed[1];
        assert!(en.len() > 50, "the English catalog is the reference");
        for (lang, cat) in &parsed {
            let missing: Vec<_> = en.keys().filter(|k| !cat.contains_key(*k)).collect();
            let extra: Vec<_> = cat.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
            for (k, v) in cat {
                assert!(!v.trim().is_empty(), "{lang} {k} is empty");
                assert_eq!(placeholders(v), placeholders(&en[k]), "{lang} {k}");
            }
        }
    }

    #[test]
    fn words_in_each_language_with_placeholders_filled() {
        assert_eq!(
            Language::En.fill("mail.subject", &[("title", "T"), ("product", "P")]),
            "T: P"
        );
        assert_eq!(
            Language::ZhCn.fill("mail.subject", &[("title", "T"), ("product", "P")]),
            "T：P"
        );
        assert_eq!(Language::ZhCn.text("label.product"), "商品");
        assert_eq!(
            Language::En.fill("value.product", &[("title", "{id} lamp"), ("id", "P-1")]),
            "{id} lamp (P-1)",
            "a value's own braces are not placeholders"
        );
    }

    #[test]
    fn the_default_follows_the_site_and_a_choice_wins() {
        assert_eq!(Language::of(None, Some("CN")), Language::ZhCn);
        assert_eq!(Language::of(None, Some("US")), Language::En);
        assert_eq!(Language::of(None, None), Language::En);
        assert_eq!(Language::of(Some("en"), Some("CN")), Language::En);
        assert_eq!(Language::of(Some("zh-CN"), Some("DE")), Language::ZhCn);
        assert!("fr".parse::<Language>().is_err());
        for l in Language::ALL {
            assert_eq!(l.as_str().parse::<Language>().unwrap(), *l);
        }
    }
}
