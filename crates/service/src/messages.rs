//! The words of a notification outside the app: an e-mail (HTML and plain text), a text
//! message, a voice call script. Gathered once per delivery from the event and what it
//! refers to — the product, the violation case with the reviewer's details and evidence,
//! the rule clause and its text, the restock suggestion — in the recipient's language
//! (message catalogs in `crates/core/messages`), instants in the recipient's zone.

use askama::Template;
use jiff::tz::TimeZone;
use marketdesk_core::Language;
use marketdesk_core::notify::{Severity, title};
use marketdesk_store::outbox::OutboxRow;
use marketdesk_store::{evidence, products, rules, violations};
use serde_json::Value;
use sqlx::AnyConnection;

use crate::ServiceResult;

/// What a message says, label → value, in reading order.
pub struct Content {
    pub language: Language,
    pub title: &'static str,
    pub severity: String,
    pub lines: Vec<(String, String)>,
    /// The product's title, for the subject line.
    pub product: Option<String>,
}

pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Template)]
#[template(path = "email.html")]
struct EmailHtml<'a> {
    lang: &'a str,
    subject: &'a str,
    title: &'a str,
    severity: &'a str,
    colour: &'a str,
    lines: &'a [(String, String)],
    footer: &'a str,
    message_id: &'a str,
}

/// An RFC 3339 instant from an event, shown as local civil time with the zone, e.g.
/// `2026-11-28 16:00 (Europe/Berlin, UTC+01:00)`.
fn local(instant: &str, tz: &TimeZone, language: Language) -> String {
    match instant.parse::<jiff::Timestamp>() {
        Ok(t) => {
            let z = t.to_zoned(tz.clone());
            language.fill(
                "value.local_time",
                &[
                    ("time", &z.strftime("%Y-%m-%d %H:%M").to_string()),
                    ("zone", tz.iana_name().unwrap_or("UTC")),
                    ("offset", &z.strftime("%:z").to_string()),
                ],
            )
        }
        Err(_) => instant.to_string(),
    }
}

/// Event payload keys worth a line in a message, in reading order; each is labelled by
/// the catalog's `label.<key>`. The inbox shows them as they are; e-mail and texts look up
/// what the ids refer to.
pub(crate) const DETAIL_KEYS: &[&str] = &[
    "announcement",
    "reason",
    "product_id",
    "violation_id",
    "rule_code",
    "reason_code",
    "severity",
    "rectify_due_at",
    "due_at",
    "respond_by",
    "order_id",
    "kind",
    "case_type",
    "refund",
    "code",
    "available",
    "threshold",
];

/// The catalog's name for a payload key's line.
pub(crate) fn label(language: Language, key: &str) -> String {
    match key {
        "product_id" => language.text("label.product").into(),
        _ => language.text(&format!("label.{key}")).into(),
    }
}

/// Keys holding RFC 3339 instants.
const INSTANT_KEYS: &[&str] = &["rectify_due_at", "due_at", "respond_by"];

/// A payload value as text, if it is a string or a number.
pub(crate) fn detail(v: &serde_json::Value, key: &str) -> Option<String> {
    match v.get(key) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// A reason code in words, with the code beside it for whoever reports it onwards.
fn reason(code: &str, language: Language) -> String {
    let key = format!("reason.{code}");
    if !language.has(&key) {
        return code.to_string();
    }
    language.fill(
        "value.reason",
        &[("name", language.text(&key)), ("code", code)],
    )
}

/// Reads what the event refers to and words it for `language` and `tz`.
pub(crate) async fn content(
    c: &mut AnyConnection,
    event: &OutboxRow,
    severity: &str,
    tz: &TimeZone,
    language: Language,
) -> ServiceResult<Content> {
    let v: Value = serde_json::from_str(&event.payload).unwrap_or_default();
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let mut lines = Vec::new();
    let mut push = |key: &str, value: String| lines.push((language.text(key).to_string(), value));
    let product_id = text("product_id").unwrap_or_else(|| event.subject_id.clone());
    let product = products::product(c, &product_id).await?;
    if let Some(p) = &product {
        let shown = language.fill("value.product", &[("title", &p.title), ("id", &p.id)]);
        push("label.product", shown);
    }
    // A takedown's event is written before its case: the open case is the one.
    let case = match text("violation_id") {
        Some(id) => violations::get(c, &id).await?,
        None if event.event_type == "product.violation_delisted" => {
            violations::open_for_product(c, &product_id).await?
        }
        None => None,
    };
    // A case's clause as it read when the case was decided; else the current one.
    let rule = match (&case, text("rule_code")) {
        (Some(x), _) => rules::version(c, &x.rule_code, x.rule_version)
            .await?
            .map(crate::records::Rule::from),
        (None, Some(code)) => rules::get(c, &code).await?.map(crate::records::Rule::from),
        (None, None) => None,
    };
    let reason_code = text("reason_code")
        .or_else(|| rule.as_ref().map(|r| r.reason_code.clone()))
        .or_else(|| product.as_ref().and_then(|p| p.reason_code.clone()));
    if let Some(r) = reason_code {
        push("label.reason_code", reason(&r, language));
    }
    if let Some(r) = &rule {
        let clause = language.fill("value.clause", &[("code", &r.code), ("title", &r.title)]);
        push("label.rule_code", clause);
        push("label.clause_text", r.text.clone());
    }
    let case_severity =
        text("severity").or_else(|| case.as_ref().map(|x| x.severity.as_str().into()));
    if let Some(s) = case_severity {
        let key = format!("case_severity.{s}");
        let shown = if language.has(&key) {
            language.text(&key).into()
        } else {
            s
        };
        push("label.severity", shown);
    }
    let mut evidence_ids: Vec<String> = Vec::new();
    if let Some(x) = &case {
        push("label.details", x.details.clone());
        evidence_ids = serde_json::from_str(&x.evidence_ids).unwrap_or_default();
    } else if let Some(why) = text("reason_text") {
        // The seller's own words, for a delisting they (or a colleague) made.
        push("label.reason_text", why);
    }
    if evidence_ids.is_empty() {
        evidence_ids = serde_json::from_value(v.get("evidence_ids").cloned().unwrap_or_default())
            .unwrap_or_default();
    }
    if !evidence_ids.is_empty() {
        let files = evidence::by_ids(c, &evidence_ids).await?;
        let names: Vec<String> = files
            .iter()
            .map(|f| language.fill("value.file", &[("name", &f.filename), ("id", &f.id)]))
            .collect();
        push(
            "label.evidence",
            names.join(language.text("value.list_separator")),
        );
    }
    // The rest as the inbox shows it, instants in the reader's zone.
    const DONE: &[&str] = &["product_id", "rule_code", "reason_code", "severity"];
    for key in DETAIL_KEYS.iter().filter(|k| !DONE.contains(k)) {
        match detail(&v, key) {
            Some(at) if INSTANT_KEYS.contains(key) => {
                lines.push((label(language, key), local(&at, tz, language)))
            }
            Some(value) => lines.push((label(language, key), value)),
            None => {}
        }
    }
    lines.extend(crate::monitoring_jobs::message_lines(
        &event.event_type,
        &v,
        tz,
        language,
    ));
    if let Some(g) = v.get("restock_suggestion").filter(|g| !g.is_null()) {
        lines.extend(restock(g, language));
    }
    if case.is_some() {
        // Where the case stands in the reader's zone, if the event did not say.
        let due_label = label(language, "rectify_due_at");
        if !lines.iter().any(|(k, _)| *k == due_label) {
            let due = case.as_ref().map(|x| crate::instant(x.rectify_due_at));
            if let Some(due) = due {
                lines.push((due_label, local(&due, tz, language)));
            }
        }
    }
    Ok(Content {
        language,
        title: title(&event.event_type, language),
        severity: severity.to_string(),
        lines,
        product: product.map(|p| p.title),
    })
}

/// The low-stock message's restock suggestion and its suppliers, best first.
fn restock(g: &Value, language: Language) -> Vec<(String, String)> {
    let s = |v: &Value, k: &str| match v.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(other) if !other.is_null() => other.to_string(),
        _ => String::new(),
    };
    let mut out = vec![(
        language.text("label.restock").to_string(),
        language.fill(
            "value.restock",
            &[
                ("quantity", &s(g, "quantity")),
                ("per_day", &s(g, "units_per_day")),
                ("lead", &s(g, "lead_days")),
                ("cover", &s(g, "cover_days")),
            ],
        ),
    )];
    let suppliers: Vec<String> = g
        .get("suppliers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .enumerate()
                .map(|(i, x)| {
                    language.fill(
                        "value.supplier",
                        &[
                            ("rank", &(i + 1).to_string()),
                            ("name", &s(x, "name")),
                            ("lead", &s(x, "lead_time_days")),
                            ("cost", &s(x, "unit_cost")),
                        ],
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if !suppliers.is_empty() {
        out.push((
            language.text("label.suppliers").to_string(),
            suppliers.join(language.text("value.list_separator")),
        ));
    }
    out
}

impl Content {
    fn severity_name(&self) -> &'static str {
        self.language.text(&format!("severity.{}", self.severity))
    }

    pub fn letter(&self, message_id: &str) -> anyhow::Result<Letter> {
        let l = self.language;
        let red = self.severity == Severity::Red.as_str();
        let subject = match (&self.product, red) {
            (Some(p), true) => l.fill(
                "mail.subject_urgent",
                &[("title", self.title), ("product", p)],
            ),
            (Some(p), false) => l.fill("mail.subject", &[("title", self.title), ("product", p)]),
            (None, true) => l.fill("mail.urgent", &[("title", self.title)]),
            (None, false) => self.title.to_string(),
        };
        let mut text = format!("{}\n\n", self.title);
        for (k, v) in &self.lines {
            text.push_str(&l.fill("value.line", &[("label", k), ("value", v)]));
            text.push('\n');
        }
        let footer = l.text("mail.footer");
        let id_line = l.fill("mail.message_id", &[("id", message_id)]);
        let severity = l.fill(
            "value.line",
            &[
                ("label", l.text("severity.label")),
                ("value", self.severity_name()),
            ],
        );
        text.push_str(&format!("\n{severity}\n{id_line}\n\n{footer}\n"));
        let colour = match self.severity.parse::<Severity>() {
            Ok(Severity::Red) => "#c62828",
            Ok(Severity::Warning) => "#ef6c00",
            _ => "#546e7a",
        };
        let html = EmailHtml {
            lang: l.as_str(),
            subject: &subject,
            title: self.title,
            severity: self.severity_name(),
            colour,
            lines: &self.lines,
            footer,
            message_id: &id_line,
        }
        .render()?;
        Ok(Letter {
            subject,
            text,
            html,
        })
    }

    /// A text message: the title, the product, the clause and the deadline if there is one.
    pub fn short(&self) -> String {
        let l = self.language;
        let mut s = l.fill("text.message", &[("title", self.title)]);
        let wanted = [
            "label.product",
            "label.rule_code",
            "label.rectify_due_at",
            "label.respond_by",
            "label.order_id",
        ]
        .map(|k| l.text(k));
        for (k, v) in &self.lines {
            if wanted.contains(&k.as_str()) {
                s.push_str(l.text("value.sentence_break"));
                s.push_str(&l.fill("value.line", &[("label", k), ("value", v)]));
            }
        }
        s
    }
}
