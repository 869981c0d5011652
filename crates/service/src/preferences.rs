//! Notification rules (admin) and each person's contact details, channels and quiet
//! hours.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use marketdesk_core::notify::{self, Channel, QuietHours, Rule, Severity};
use marketdesk_core::{Invalid, Language};
use marketdesk_store::notify_settings::{self, ContactRow, PrefsRow, RuleRow};
use sqlx::AnyConnection;

use crate::require_admin;
use crate::{Actor, Service, ServiceError, ServiceResult};

/// An event type's rule as the dispatcher applies it.
#[derive(Debug, Clone)]
pub struct EffectiveRule {
    pub event_type: String,
    pub rule: Rule,
    /// False while the built-in rule applies.
    pub overridden: bool,
}

/// What an admin sends to change a rule.
#[derive(Debug, Clone)]
pub struct RuleInput {
    pub severity: String,
    pub to_owner: bool,
    pub to_staff: bool,
    pub to_reviewers: bool,
    pub channels: Vec<String>,
}

/// A person's settings as they see them.
#[derive(Debug, Clone)]
pub struct Preferences {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub email_enabled: bool,
    pub sms_enabled: bool,
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    pub time_zone: String,
    /// zh-CN or en: what inbox messages, e-mail, texts and the console are written in.
    /// Read: always the effective one. Written: None leaves the choice as it is, so a
    /// person who never chose keeps following their site's default.
    pub language: Option<String>,
}

fn rule_of(row: &RuleRow) -> Option<Rule> {
    let mut channels: Vec<Channel> = row
        .channels
        .split(',')
        .filter_map(|c| c.parse().ok())
        .collect();
    channels.sort();
    channels.dedup();
    Some(Rule {
        severity: row.severity.parse().ok()?,
        owner: row.to_owner != 0,
        staff: row.to_staff != 0,
        reviewers: row.to_reviewers != 0,
        channels,
    })
}

/// The built-in table with the admin's overrides applied.
pub(crate) async fn effective_rules(c: &mut AnyConnection) -> ServiceResult<HashMap<String, Rule>> {
    let mut rules: HashMap<String, Rule> = notify::EVENT_TYPES
        .iter()
        .filter_map(|t| notify::default_rule(t).map(|r| (t.to_string(), r)))
        .collect();
    for row in notify_settings::rule_overrides(c).await? {
        if let Some(r) = rule_of(&row) {
            rules.insert(row.event_type.clone(), r);
        }
    }
    Ok(rules)
}

/// Shapes an e-mail address check can make without sending: one `@`, something on both
/// sides, a dot in the domain, no spaces. The SMTP server has the last word.
fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        && !domain.contains('@')
        && s.len() <= 254
}

/// E.164: a plus and 8 to 15 digits.
fn valid_phone(s: &str) -> bool {
    s.strip_prefix('+')
        .is_some_and(|d| (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The language a person reads: their choice, else their site's default.
pub(crate) fn contact_language(c: &ContactRow) -> Language {
    Language::of(c.language.as_deref(), c.site_code.as_deref())
}

/// The zone a person's quiet hours are read in when they have not chosen one.
pub(crate) fn contact_zone(c: &ContactRow) -> TimeZone {
    c.time_zone
        .as_deref()
        .or(c.site_time_zone.as_deref())
        .and_then(|z| TimeZone::get(z).ok())
        .unwrap_or(TimeZone::UTC)
}

impl Service {
    pub async fn notification_rules(&self, actor: &Actor) -> ServiceResult<Vec<EffectiveRule>> {
        if !actor.role.is_platform() {
            return Err(ServiceError::Forbidden(
                "notification rules are platform settings".into(),
            ));
        }
        let mut c = self.db.reader().await?;
        let overrides: Vec<String> = notify_settings::rule_overrides(&mut c)
            .await?
            .into_iter()
            .map(|r| r.event_type)
            .collect();
        let rules = effective_rules(&mut c).await?;
        let mut out: Vec<EffectiveRule> = rules
            .into_iter()
            .map(|(t, rule)| EffectiveRule {
                overridden: overrides.contains(&t),
                event_type: t,
                rule,
            })
            .collect();
        out.sort_by(|a, b| a.event_type.cmp(&b.event_type));
        Ok(out)
    }

    pub async fn set_notification_rule(
        &self,
        actor: &Actor,
        event_type: &str,
        input: RuleInput,
    ) -> ServiceResult<EffectiveRule> {
        require_admin(actor)?;
        if !notify::EVENT_TYPES.contains(&event_type) {
            return Err(ServiceError::NotFound(format!(
                "no notifiable event type \"{event_type}\"; see GET /api/v1/admin/notification-rules"
            )));
        }
        let mut errors = Invalid::default();
        let severity: Option<Severity> = match input.severity.parse() {
            Ok(s) => Some(s),
            Err(e) => {
                errors.push("severity", e);
                None
            }
        };
        let mut channels = Vec::new();
        for (i, c) in input.channels.iter().enumerate() {
            match c.parse::<Channel>() {
                Ok(c) if !channels.contains(&c) => channels.push(c),
                Ok(_) => errors.push(format!("channels[{i}]"), "appears twice"),
                Err(e) => errors.push(format!("channels[{i}]"), e),
            }
        }
        channels.sort();
        if severity == Some(Severity::Red) && !channels.contains(&Channel::Inbox) {
            // An escalation is "not acknowledged in the inbox": red needs an inbox message.
            errors.push("channels", "a red alert must reach the inbox");
        }
        errors.into_result()?;
        let rule = Rule {
            severity: severity.expect("validated"),
            owner: input.to_owner,
            staff: input.to_staff,
            reviewers: input.to_reviewers,
            channels,
        };
        let mut tx = self.db.begin().await?;
        notify_settings::upsert_rule(
            &mut tx,
            &RuleRow {
                event_type: event_type.into(),
                severity: rule.severity.as_str().into(),
                to_owner: rule.owner.into(),
                to_staff: rule.staff.into(),
                to_reviewers: rule.reviewers.into(),
                channels: rule
                    .channels
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                updated_at: self.now_us(),
            },
        )
        .await?;
        self.commit(tx).await?;
        crate::audit::note(
            event_type,
            "notification_rule.set",
            serde_json::Value::Null,
            serde_json::json!({"severity": input.severity, "owner": input.to_owner, "staff": input.to_staff,
                "reviewers": input.to_reviewers, "channels": input.channels}),
        );
        Ok(EffectiveRule {
            event_type: event_type.into(),
            rule,
            overridden: true,
        })
    }

    pub async fn preferences(&self, actor: &Actor) -> ServiceResult<Preferences> {
        let mut c = self.db.reader().await?;
        let contact = notify_settings::contact(&mut c, &actor.user_id)
            .await?
            .ok_or_else(|| {
                ServiceError::NotFound("notification settings belong to user accounts".into())
            })?;
        Ok(Preferences {
            email: contact.email.clone(),
            phone: contact.phone.clone(),
            email_enabled: contact.email_enabled.unwrap_or(1) != 0,
            sms_enabled: contact.sms_enabled.unwrap_or(1) != 0,
            quiet_start: contact.quiet_start.clone(),
            quiet_end: contact.quiet_end.clone(),
            time_zone: contact_zone(&contact)
                .iana_name()
                .unwrap_or("UTC")
                .to_string(),
            language: Some(contact_language(&contact).as_str().into()),
        })
    }

    /// Replaces the caller's settings as a whole (PUT semantics).
    pub async fn set_preferences(
        &self,
        actor: &Actor,
        p: Preferences,
    ) -> ServiceResult<Preferences> {
        let mut errors = Invalid::default();
        if let Some(e) = &p.email
            && !valid_email(e)
        {
            errors.push("email", "is not an e-mail address");
        }
        if let Some(n) = &p.phone
            && !valid_phone(n)
        {
            errors.push("phone", "must be in E.164 form: + and 8 to 15 digits");
        }
        match (&p.quiet_start, &p.quiet_end) {
            (Some(s), Some(e)) => {
                if let Err(m) = QuietHours::parse(s, e) {
                    errors.push("quiet_start", m);
                }
            }
            (None, None) => {}
            _ => errors.push("quiet_end", "quiet hours need both a start and an end"),
        }
        if TimeZone::get(&p.time_zone).is_err() {
            errors.push("time_zone", "is not an IANA time zone name");
        }
        if let Some(Err(m)) = p.language.as_deref().map(str::parse::<Language>) {
            errors.push("language", m);
        }
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        if notify_settings::contact(&mut tx, &actor.user_id)
            .await?
            .is_none()
        {
            return Err(ServiceError::NotFound(
                "notification settings belong to user accounts".into(),
            ));
        }
        notify_settings::set_contact(
            &mut tx,
            &actor.user_id,
            p.email.as_deref(),
            p.phone.as_deref(),
        )
        .await?;
        if let Some(l) = &p.language {
            notify_settings::set_language(&mut tx, &actor.user_id, l).await?;
        }
        notify_settings::upsert_prefs(
            &mut tx,
            &PrefsRow {
                user_id: actor.user_id.clone(),
                email_enabled: p.email_enabled.into(),
                sms_enabled: p.sms_enabled.into(),
                quiet_start: p.quiet_start.clone(),
                quiet_end: p.quiet_end.clone(),
                time_zone: p.time_zone.clone(),
                updated_at: self.now_us(),
            },
        )
        .await?;
        self.commit(tx).await?;
        self.preferences(actor).await
    }
}

impl Service {
    /// Saves the language the actor reads marketdesk in (the console's language switch):
    /// pages, inbox, e-mail and texts follow it.
    pub async fn set_language(&self, actor: &Actor, language: Language) -> ServiceResult<()> {
        let mut tx = self.db.begin().await?;
        notify_settings::set_language(&mut tx, &actor.user_id, language.as_str()).await?;
        self.commit(tx).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_numbers() {
        assert!(valid_email("li.wei@example.cn"));
        for bad in [
            "",
            "a@b",
            "@x.com",
            "a b@x.com",
            "a@x.com.",
            "a@@x.com",
            "<a@x.com>",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
        assert!(valid_phone("+4915123456789"));
        for bad in ["015123456789", "+49 151", "+1234567", "+1234567890123456"] {
            assert!(!valid_phone(bad), "{bad}");
        }
    }
}
