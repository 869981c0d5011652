//! Platform rule clauses (平台规则条款): living data that violations cite. An admin adds,
//! edits and retires clauses; each change is a new version, kept, and becomes an
//! announcement (公告) in the inbox of every seller on the sites the clause applies to
//! (seed 002: "关注政策调整"). A violation keeps the version it was decided under.

use marketdesk_core::rules::DEFAULT_RULES;
use marketdesk_core::violation::Severity;
use marketdesk_core::{Invalid, ReasonCode, validation};
use marketdesk_store::rules::{self, RuleRow};
use sqlx::AnyConnection;

use crate::records::{Rule, RuleVersion, records};
use crate::require_admin;
use crate::{Actor, Service, ServiceError, ServiceResult};

#[derive(Debug, Clone)]
pub struct NewRule {
    pub code: String,
    pub title: String,
    pub text: String,
    pub severity: String,
    pub reason_code: Option<String>,
    /// Site codes the clause applies to; empty: every site.
    pub sites: Vec<String>,
}

/// A clause's next version: what is given changes, the rest stays.
#[derive(Debug, Clone, Default)]
pub struct RuleEdit {
    pub title: Option<String>,
    pub text: Option<String>,
    pub severity: Option<String>,
    pub reason_code: Option<String>,
    pub sites: Option<Vec<String>>,
    /// What changed and why, for the announcement; the clause text when absent.
    pub note: Option<String>,
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
                version: 1,
                sites: "[]".into(),
                retired_at: None,
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
        let text = validation::required_text(&mut errors, "text", &new.text, MAX_CLAUSE_TEXT);
        let severity = parse_severity(&mut errors, &new.severity);
        let reason = match new.reason_code.as_deref() {
            None => Some(ReasonCode::Other),
            Some(r) => parse_reason(&mut errors, r),
        };
        let mut tx = self.db.begin().await?;
        let sites = check_sites(&mut tx, &mut errors, &new.sites).await?;
        errors.into_result()?;
        let row = RuleRow {
            code,
            title,
            text,
            severity: severity.expect("validated").as_str().into(),
            reason_code: reason.expect("validated").as_str().into(),
            created_at: self.now_us(),
            version: 1,
            sites: json_list(&sites),
            retired_at: None,
        };
        rules::insert(&mut tx, &row, &actor.user_id).await?;
        let title = format!("{} {}", row.code, row.title);
        self.announce_clause(&mut tx, actor, &row, title, row.text.clone())
            .await?;
        self.commit(tx).await?;
        Ok(row.into())
    }

    /// Publishes the clause's next version; cases already decided keep theirs.
    pub async fn edit_rule(
        &self,
        actor: &Actor,
        code: &str,
        edit: RuleEdit,
    ) -> ServiceResult<Rule> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let mut tx = self.db.begin().await?;
        let Some(current) = rules::get(&mut tx, code).await? else {
            return Err(ServiceError::NotFound(format!("no rule clause {code}")));
        };
        if current.retired_at.is_some() {
            return Err(ServiceError::conflict(
                "the clause is retired; add a new one instead",
            ));
        }
        let mut next = current.clone();
        if let Some(t) = &edit.title {
            next.title = validation::required_text(&mut errors, "title", t, validation::MAX_TITLE);
        }
        if let Some(t) = &edit.text {
            next.text = validation::required_text(&mut errors, "text", t, MAX_CLAUSE_TEXT);
        }
        if let Some(s) = parse_severity_opt(&mut errors, edit.severity.as_deref()) {
            next.severity = s.as_str().into();
        }
        if let Some(r) = edit
            .reason_code
            .as_deref()
            .and_then(|r| parse_reason(&mut errors, r))
        {
            next.reason_code = r.as_str().into();
        }
        if let Some(sites) = &edit.sites {
            next.sites = json_list(&check_sites(&mut tx, &mut errors, sites).await?);
        }
        let note = edit
            .note
            .as_deref()
            .map(|n| validation::required_text(&mut errors, "note", n, MAX_CLAUSE_TEXT));
        errors.into_result()?;
        let same = (
            &next.title,
            &next.text,
            &next.severity,
            &next.reason_code,
            &next.sites,
        ) == (
            &current.title,
            &current.text,
            &current.severity,
            &current.reason_code,
            &current.sites,
        );
        if same {
            return Ok(current.into());
        }
        next.version = current.version + 1;
        self.publish_rule(&mut tx, actor, &next).await?;
        let title = format!("{} {} (v{})", next.code, next.title, next.version);
        let body = note.unwrap_or_else(|| next.text.clone());
        // Sellers the clause bound before and those it binds now both hear of the change.
        let mut told = next.clone();
        told.sites = json_list(&union_of_sites(&current.sites, &next.sites));
        self.announce_clause(&mut tx, actor, &told, title, body)
            .await?;
        self.commit(tx).await?;
        Ok(next.into())
    }

    /// Retires a clause: no new case may cite it; decided cases keep citing their version.
    pub async fn retire_rule(&self, actor: &Actor, code: &str, note: &str) -> ServiceResult<Rule> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let note = validation::required_text(&mut errors, "note", note, MAX_CLAUSE_TEXT);
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let Some(current) = rules::get(&mut tx, code).await? else {
            return Err(ServiceError::NotFound(format!("no rule clause {code}")));
        };
        if current.retired_at.is_some() {
            return Err(ServiceError::conflict("the clause is already retired"));
        }
        let mut next = current.clone();
        next.version = current.version + 1;
        next.retired_at = Some(self.now_us());
        self.publish_rule(&mut tx, actor, &next).await?;
        let title = format!("{} {} (v{})", next.code, next.title, next.version);
        self.announce_clause(&mut tx, actor, &next, title, note)
            .await?;
        self.commit(tx).await?;
        Ok(next.into())
    }

    async fn publish_rule(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        next: &RuleRow,
    ) -> ServiceResult<()> {
        if !rules::publish(tx, next, &actor.user_id, self.now_us()).await? {
            return Err(ServiceError::conflict(
                "the clause changed meanwhile; reload it and edit again",
            ));
        }
        Ok(())
    }

    /// Every version of a clause, oldest first.
    pub async fn rule_versions(&self, code: &str) -> ServiceResult<Vec<RuleVersion>> {
        let mut c = self.db.reader().await?;
        let versions = rules::versions(&mut c, code).await?;
        if versions.is_empty() {
            return Err(ServiceError::NotFound(format!("no rule clause {code}")));
        }
        Ok(records(versions))
    }
}

/// Clause texts may be long: a paragraph or two of policy.
const MAX_CLAUSE_TEXT: usize = 10_000;

fn parse_severity(errors: &mut Invalid, s: &str) -> Option<Severity> {
    s.parse::<Severity>()
        .map_err(|m| errors.push("severity", m))
        .ok()
}

fn parse_severity_opt(errors: &mut Invalid, s: Option<&str>) -> Option<Severity> {
    s.and_then(|s| parse_severity(errors, s))
}

fn parse_reason(errors: &mut Invalid, r: &str) -> Option<ReasonCode> {
    r.parse::<ReasonCode>()
        .map_err(|m| errors.push("reason_code", m))
        .ok()
}

/// Both JSON site lists together; empty (every site) when either is.
fn union_of_sites(a: &str, b: &str) -> Vec<String> {
    let a: Vec<String> = serde_json::from_str(a).unwrap_or_default();
    let b: Vec<String> = serde_json::from_str(b).unwrap_or_default();
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut all = a;
    all.extend(b);
    all.sort();
    all.dedup();
    all
}

pub(crate) fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Site codes, upper-cased, each a site that exists, without repeats.
pub(crate) async fn check_sites(
    c: &mut AnyConnection,
    errors: &mut Invalid,
    sites: &[String],
) -> ServiceResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for (i, s) in sites.iter().enumerate() {
        let code = s.trim().to_uppercase();
        if marketdesk_store::catalog::site(c, &code).await?.is_none() {
            errors.push(format!("sites[{i}]"), format!("no site \"{code}\""));
        } else if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}
