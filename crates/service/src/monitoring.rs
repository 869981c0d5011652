//! Monitoring intelligence (seed 000's 智能诊断工具) as use cases: the reason classifier,
//! the store compliance score with its daily history, and rectification advice. Core
//! computes; this reads the counts and the listing, and says it in the reader's language.

use jiff::{SignedDuration, Timestamp};
use marketdesk_classify::{Classification, Classifier};
use marketdesk_core::calendar::SiteCalendar;
use marketdesk_core::monitoring::advice::{self, ImageFacts, ListingSnapshot, Outcome};
use marketdesk_core::monitoring::compliance::{
    self, ComplianceInputs, ComplianceScore, WINDOW_DAYS,
};
use marketdesk_core::{Invalid, Language, ReasonCode};
use marketdesk_store::catalog::{self, StoreRow};
use marketdesk_store::monitoring::{self as counters, HistoryRow};
use marketdesk_store::{compliance_inputs, evidence, products, rules};
use serde::Serialize;
use sqlx::AnyConnection;

use crate::{Actor, Service, ServiceError, ServiceResult};

/// Longest reason text the classifier is asked about (the delist form's own limit).
pub const MAX_CLASSIFY_TEXT: usize = 2000;

/// The committed model's answer for a text.
pub fn classify(text: &str) -> Classification {
    Classifier::shared().classify(text)
}

/// A text checked as the API and console take it: required, at most 2,000 characters.
pub fn classify_checked(text: &str) -> ServiceResult<Classification> {
    let mut errors = Invalid::default();
    let t =
        marketdesk_core::validation::required_text(&mut errors, "text", text, MAX_CLASSIFY_TEXT);
    errors.into_result()?;
    Ok(classify(&t))
}

#[derive(Debug, Clone, Serialize)]
pub struct ComplianceView {
    pub store_id: String,
    pub score: u32,
    pub healthy: bool,
    /// The window the score covers, in days.
    pub window_days: i64,
    pub components: Vec<compliance::Component>,
    /// The score at the end of each local day, newest first (up to 90 days).
    pub history: Vec<HistoryPoint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryPoint {
    pub day: String,
    pub score: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdviceView {
    pub violation_id: String,
    pub product_id: String,
    pub rule_code: String,
    pub rule_title: String,
    pub reason_code: String,
    pub severity: String,
    /// What the clause asks for, in the reader's language.
    pub guidance: String,
    /// Checks of the listing as it stands now, failures first.
    pub checks: Vec<AdviceCheck>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdviceCheck {
    pub check: &'static str,
    pub outcome: Outcome,
    pub message: String,
}

impl Service {
    /// The store's compliance score now, over the last 90 days, with its daily history.
    pub async fn store_compliance(
        &self,
        actor: &Actor,
        store_id: &str,
    ) -> ServiceResult<ComplianceView> {
        let mut c = self.db.reader().await?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        let now = self.clock.now();
        let score = self.compliance_of(&mut c, &store, now).await?;
        let history = counters::history(&mut c, &store.id, WINDOW_DAYS)
            .await?
            .into_iter()
            .map(|h| HistoryPoint {
                day: h.day,
                score: h.score,
            })
            .collect();
        Ok(ComplianceView {
            store_id: store.id,
            score: score.score,
            healthy: score.healthy,
            window_days: WINDOW_DAYS,
            components: score.components,
            history,
        })
    }

    pub(crate) async fn compliance_of(
        &self,
        c: &mut AnyConnection,
        store: &StoreRow,
        now: Timestamp,
    ) -> ServiceResult<ComplianceScore> {
        let calendar = self.site_calendar(c, &store.site_code).await?;
        self.compliance_on(c, store, &calendar, now).await
    }

    /// The score with the site's calendar already read (the weekly review has it).
    pub(crate) async fn compliance_on(
        &self,
        c: &mut AnyConnection,
        store: &StoreRow,
        calendar: &SiteCalendar,
        now: Timestamp,
    ) -> ServiceResult<ComplianceScore> {
        let since = now
            .checked_sub(SignedDuration::from_hours(24 * WINDOW_DAYS))
            .map_err(|e| anyhow::anyhow!(e))?;
        let (since_us, now_us) = (since.as_microsecond(), now.as_microsecond());
        let counts = compliance_inputs::counts(c, &store.id, since_us, now_us).await?;
        let relists = compliance_inputs::relists(c, &store.id, since_us, now_us).await?;
        let relist_working_days = relist_cycles(calendar, &relists).iter().sum();
        Ok(compliance::score(&ComplianceInputs {
            relists: relists.len() as i64,
            relist_working_days,
            ..counts
        }))
    }

    /// Records the store's score for its local `day` (the daily inspection does, each
    /// morning; later the same day replaces it).
    pub(crate) async fn record_compliance(
        &self,
        c: &mut AnyConnection,
        store: &StoreRow,
        day: &str,
        now: Timestamp,
    ) -> ServiceResult<ComplianceScore> {
        let score = self.compliance_of(c, store, now).await?;
        counters::record_score(
            c,
            &HistoryRow {
                store_id: store.id.clone(),
                day: day.to_string(),
                score: i64::from(score.score),
                components: serde_json::to_string(&score.components)
                    .map_err(anyhow::Error::from)?,
                computed_at: now.as_microsecond(),
            },
        )
        .await?;
        Ok(score)
    }

    /// Rectification advice for a violation: the clause's guidance and checks of the
    /// listing as it stands now, in `language` (else the store's site's language).
    pub async fn violation_advice(
        &self,
        actor: &Actor,
        violation_id: &str,
        language: Option<Language>,
    ) -> ServiceResult<AdviceView> {
        let mut c = self.db.reader().await?;
        let case = self.visible_case(&mut c, actor, violation_id).await?;
        let rule = rules::version(&mut c, &case.rule_code, case.rule_version)
            .await?
            .ok_or_else(|| anyhow::anyhow!("case cites a missing rule version"))?;
        let product = products::product(&mut c, &case.product_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no product {}", case.product_id)))?;
        let reason: ReasonCode = rule.reason_code.parse().unwrap_or(ReasonCode::Other);
        let mut snapshot = ListingSnapshot {
            title: product.title.clone(),
            description: product.description.clone(),
            category: product.category.clone(),
            attributes: product.attributes.clone().into_iter().collect(),
            documents_on_file: product.qualification_ids.len(),
            ..Default::default()
        };
        if let Some(image_id) = &product.main_image_id
            && let Some(file) = evidence::get(&mut c, image_id).await?
        {
            snapshot.main_image = Some(ImageFacts {
                width: file.width,
                height: file.height,
            });
            snapshot.main_image_shared_with =
                evidence::main_image_shared_with(&mut c, &file.sha256, &product.store_id).await?;
        }
        let language = match language {
            Some(l) => l,
            None => Language::for_site(Some(&case.site_code)),
        };
        let mut checks: Vec<AdviceCheck> = advice::checks(reason, &snapshot)
            .into_iter()
            .map(|ch| AdviceCheck {
                check: ch.check,
                outcome: ch.outcome,
                message: language.fill(
                    &format!("advice.check.{}.{}", ch.check, outcome_key(ch.outcome)),
                    &[("found", ch.found.as_str())],
                ),
            })
            .collect();
        checks.sort_by_key(|c| c.outcome == Outcome::Pass);
        Ok(AdviceView {
            violation_id: case.id,
            product_id: product.id,
            rule_code: rule.code,
            rule_title: rule.title,
            reason_code: reason.as_str().into(),
            severity: case.severity.as_str().into(),
            guidance: language
                .text(&format!("advice.guidance.{}", reason.as_str()))
                .into(),
            checks,
        })
    }

    /// Every store, for the daily and weekly jobs.
    pub(crate) async fn all_stores(&self, c: &mut AnyConnection) -> ServiceResult<Vec<StoreRow>> {
        Ok(catalog::stores(c, None).await?)
    }
}

/// Each relist's cycle in working days of the site, from takedown to relist.
pub(crate) fn relist_cycles(calendar: &SiteCalendar, relists: &[(i64, i64)]) -> Vec<i64> {
    relists
        .iter()
        .filter_map(|(from, to)| {
            Some(calendar.working_days_between(
                Timestamp::from_microsecond(*from).ok()?,
                Timestamp::from_microsecond(*to).ok()?,
            ))
        })
        .collect()
}

fn outcome_key(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
    }
}
