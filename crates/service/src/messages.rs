//! The words of a notification outside the app: an e-mail (HTML and plain text), a text
//! message, a voice call script, a webhook body. Gathered once per delivery from the event
//! and what it refers to; instants are shown in the recipient's zone.

use askama::Template;
use jiff::tz::TimeZone;
use marketdesk_core::ReasonCode;
use marketdesk_core::notify::title;
use marketdesk_store::outbox::OutboxRow;
use marketdesk_store::{products, rules};
use sqlx::AnyConnection;

use crate::ServiceResult;

/// What a message says, label → value, in reading order.
pub struct Content {
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
    subject: &'a str,
    title: &'a str,
    severity: &'a str,
    colour: &'a str,
    lines: &'a [(String, String)],
    message_id: &'a str,
}

/// An RFC 3339 instant from an event, shown as local civil time with the zone, e.g.
/// `2026-11-28 16:00 (Europe/Berlin, UTC+01:00)`.
fn local(instant: &str, tz: &TimeZone) -> String {
    match instant.parse::<jiff::Timestamp>() {
        Ok(t) => {
            let z = t.to_zoned(tz.clone());
            format!(
                "{} ({}, UTC{})",
                z.strftime("%Y-%m-%d %H:%M"),
                tz.iana_name().unwrap_or("UTC"),
                z.strftime("%:z")
            )
        }
        Err(_) => instant.to_string(),
    }
}

/// Event payload keys worth a line in a message, with their labels, in reading order:
/// the inbox shows them as they are; e-mail and texts look up what the ids refer to.
pub(crate) const DETAIL_KEYS: &[(&str, &str)] = &[
    ("product_id", "Product"),
    ("violation_id", "Violation case"),
    ("rule_code", "Rule clause"),
    ("reason_code", "Reason"),
    ("severity", "Severity"),
    ("rectify_due_at", "Rectify before"),
    ("due_at", "Was due"),
    ("respond_by", "Respond by"),
    ("order_id", "Order"),
    ("kind", "Ticket"),
    ("case_type", "Case"),
    ("refund", "Refunded"),
    ("code", "SKU"),
    ("available", "Available"),
    ("threshold", "Safety threshold"),
];

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

/// Reads what the event refers to (product, rule clause) and words it for `tz`.
pub(crate) async fn content(
    c: &mut AnyConnection,
    event: &OutboxRow,
    severity: &str,
    tz: &TimeZone,
) -> ServiceResult<Content> {
    let v: serde_json::Value = serde_json::from_str(&event.payload).unwrap_or_default();
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let mut lines = Vec::new();
    let product_id = text("product_id").unwrap_or_else(|| event.subject_id.clone());
    let product = products::product(c, &product_id).await?;
    if let Some(p) = &product {
        lines.push(("Product".into(), format!("{} ({})", p.title, p.id)));
    }
    let rule = match text("rule_code") {
        Some(code) => rules::get(c, &code).await?,
        None => None,
    };
    let reason = text("reason_code")
        .or_else(|| rule.as_ref().map(|r| r.reason_code.clone()))
        .or_else(|| product.as_ref().and_then(|p| p.reason_code.clone()));
    if let Some(r) = reason {
        let shown = match r.parse::<ReasonCode>() {
            Ok(code) => format!("{} {}", code.as_str(), code.chinese()),
            Err(_) => r,
        };
        lines.push(("Reason".into(), shown));
    }
    if let Some(r) = &rule {
        lines.push(("Rule clause".into(), format!("{} {}", r.code, r.title)));
    }
    if let Some(s) = text("severity") {
        lines.push(("Case severity".into(), s));
    }
    // The rest as the inbox shows it, instants in the reader's zone.
    const DONE: &[&str] = &["product_id", "rule_code", "reason_code", "severity"];
    for (key, label) in DETAIL_KEYS.iter().filter(|(k, _)| !DONE.contains(k)) {
        match detail(&v, key) {
            Some(at) if INSTANT_KEYS.contains(key) => lines.push(((*label).into(), local(&at, tz))),
            Some(value) => lines.push(((*label).into(), value)),
            None => {}
        }
    }
    Ok(Content {
        title: title(&event.event_type),
        severity: severity.to_string(),
        lines,
        product: product.map(|p| p.title),
    })
}

impl Content {
    pub fn letter(&self, message_id: &str) -> anyhow::Result<Letter> {
        let subject = match (&self.product, self.severity.as_str()) {
            (Some(p), "red") => format!("[URGENT] {}: {p}", self.title),
            (Some(p), _) => format!("{}: {p}", self.title),
            (None, _) => self.title.to_string(),
        };
        let mut text = format!("{}\n\n", self.title);
        for (k, v) in &self.lines {
            text.push_str(&format!("{k}: {v}\n"));
        }
        text.push_str(&format!(
            "\nSeverity: {}\nMessage {message_id}\n",
            self.severity
        ));
        let colour = match self.severity.parse::<marketdesk_core::notify::Severity>() {
            Ok(marketdesk_core::notify::Severity::Red) => "#c62828",
            Ok(marketdesk_core::notify::Severity::Warning) => "#ef6c00",
            _ => "#546e7a",
        };
        let html = EmailHtml {
            subject: &subject,
            title: self.title,
            severity: &self.severity,
            colour,
            lines: &self.lines,
            message_id,
        }
        .render()?;
        Ok(Letter {
            subject,
            text,
            html,
        })
    }

    /// A text message: the title, the product and the deadline if there is one.
    pub fn short(&self) -> String {
        let mut s = format!("marketdesk: {}", self.title);
        for (k, v) in &self.lines {
            if matches!(
                k.as_str(),
                "Product" | "Rule clause" | "Rectify before" | "Respond by" | "Order"
            ) {
                s.push_str(&format!(". {k}: {v}"));
            }
        }
        s
    }
}
