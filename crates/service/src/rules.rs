//! Platform rule clauses (平台规则条款): data that violations cite.

use marketdesk_core::rules::DEFAULT_RULES;
use marketdesk_core::violation::Severity;
use marketdesk_core::{Invalid, ReasonCode, validation};
use marketdesk_store::rules::{self, RuleRow};
use sqlx::AnyConnection;

use crate::calendars::require_admin;
use crate::records::{Rule, records};
use crate::{Actor, Service, ServiceResult};

#[derive(Debug, Clone)]
pub struct NewRule {
    pub code: String,
    pub title: String,
    pub text: String,
    pub severity: String,
    pub reason_code: Option<String>,
}

impl Service {
    pub(crate) async fn seed_rules(&self, tx: &mut AnyConnection) -> ServiceResult<()> {
        for r in DEFAULT_RULES {
            let row = RuleRow {
                code: r.code.into(),
                title: r.title.into(),
                text: r.text.into(),
                severity: r.severity.into(),
                reason_code: r.reason_code.into(),
                created_at: self.now_us(),
            };
            rules::insert_default(tx, &row).await?;
        }
        Ok(())
    }

    pub async fn rules(&self) -> ServiceResult<Vec<Rule>> {
        let mut c = self.db.reader().await?;
        Ok(records(rules::all(&mut c).await?))
    }

    pub async fn create_rule(&self, actor: &Actor, new: NewRule) -> ServiceResult<Rule> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let code = new.code.trim().to_string();
        let code_ok = (1..=32).contains(&code.len())
            && code.chars().all(|c| {
                c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
            });
        if !code_ok {
            errors.push(
                "code",
                "1 to 32 characters: capital letters, digits, '-', '_' or '.'",
            );
        }
        let title =
            validation::required_text(&mut errors, "title", &new.title, validation::MAX_TITLE);
        let text = validation::required_text(&mut errors, "text", &new.text, 10_000);
        let severity = new
            .severity
            .parse::<Severity>()
            .map_err(|m| errors.push("severity", m))
            .ok();
        let reason = match new.reason_code.as_deref() {
            None => Some(ReasonCode::Other),
            Some(r) => r
                .parse::<ReasonCode>()
                .map_err(|m| errors.push("reason_code", m))
                .ok(),
        };
        errors.into_result()?;
        let row = RuleRow {
            code,
            title,
            text,
            severity: severity.expect("validated").as_str().into(),
            reason_code: reason.expect("validated").as_str().into(),
            created_at: self.now_us(),
        };
        let mut tx = self.db.begin().await?;
        rules::insert(&mut tx, &row).await?;
        self.commit(tx).await?;
        Ok(row.into())
    }
}
