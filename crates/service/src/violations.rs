//! The violation center (违规整改流程): takedown citing a rule clause, rectification,
//! relist review, appeal, and the deadlines between them. Each step is one transaction:
//! case, product state, timeline row, outbox event and deadline rows together.

use marketdesk_core::deadline::DeadlineKind;
use marketdesk_core::violation::{
    APPEAL_SPAN, AppealState, Case, Progress, REVIEW_SPAN, Severity, Step,
};
use marketdesk_core::{Action, Invalid, id, validation};
use marketdesk_store::catalog;
use marketdesk_store::deadlines;
use marketdesk_store::products;
use marketdesk_store::rules;
use marketdesk_store::violations::{self, AppealRow, RectificationRow, ViolationRow};
use serde_json::json;
use sqlx::AnyConnection;

use crate::change::Change;
use crate::listing::Why;
use crate::records::{Appeal, Rectification, Rule, Violation, records};
use crate::{Actor, Service, ServiceError, ServiceResult};

pub const RECTIFICATION_DEADLINE: DeadlineKind = DeadlineKind::Rectification;
pub const REVIEW_DEADLINE: DeadlineKind = DeadlineKind::RelistReview;

#[derive(Debug, Clone, Default)]
pub struct NewViolation {
    pub rule_code: String,
    /// Defaults to the rule's severity.
    pub severity: Option<String>,
    pub details: String,
    pub evidence_ids: Vec<String>,
}

/// What the seller and reviewers see of a case.
#[derive(Debug, Clone)]
pub struct ViolationReport {
    pub case: Violation,
    pub rule: Rule,
    pub time_zone: String,
    pub rectifications: Vec<Rectification>,
    pub appeals: Vec<Appeal>,
}

pub use crate::violation_list::{ViolationPage, ViolationQuery};

pub(crate) fn case_of(v: &ViolationRow, appealed_once: bool) -> Case {
    Case {
        progress: v.state,
        outcome: v.outcome,
        resume: v.resume_state,
        rectify_due: v.rectify_due_at,
        rectified: v.rectified_at.is_some(),
        rectify_deadline_passed: v.rectify_deadline_passed != 0,
        review_overdue: v.review_overdue != 0,
        appeal_due: v.appeal_due_at,
        appealed_once,
    }
}

pub(crate) fn write_case(v: &mut ViolationRow, c: &Case, now: i64) {
    v.state = c.progress;
    v.outcome = c.outcome;
    v.resume_state = c.resume;
    if !c.rectified {
        v.rectified_at = None;
    } else if v.rectified_at.is_none() {
        v.rectified_at = Some(now);
    }
    v.rectify_deadline_passed = i64::from(c.rectify_deadline_passed);
    v.review_overdue = i64::from(c.review_overdue);
    v.updated_at = now;
    if c.progress == Progress::Closed && v.closed_at.is_none() {
        v.closed_at = Some(now);
    }
}

fn json_ids(ids: &[String]) -> String {
    serde_json::Value::from(ids.to_vec()).to_string()
}

fn require(actor: &Actor, may: bool, what: &str) -> ServiceResult<()> {
    if may {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "a {} may not {what}",
            actor.role.as_str()
        )))
    }
}

impl Service {
    /// A reviewer takes a product down for breaking a rule clause.
    pub async fn open_violation(
        &self,
        actor: &Actor,
        product_id: &str,
        new: NewViolation,
    ) -> ServiceResult<ViolationReport> {
        require(
            actor,
            actor.role.reviews(),
            "take products down for violations",
        )?;
        let mut errors = Invalid::default();
        let details = validation::required_text(
            &mut errors,
            "details",
            &new.details,
            validation::MAX_REASON_TEXT,
        );
        let severity = new.severity.as_deref().map(|s| {
            s.parse::<Severity>()
                .map_err(|m| errors.push("severity", m))
                .ok()
        });
        let evidence = crate::evidence::parse_evidence_ids(&mut errors, &new.evidence_ids);
        let mut tx = self.db.begin().await?;
        let rule = rules::get(&mut tx, &new.rule_code).await?;
        if rule.as_ref().is_some_and(|r| r.retired_at.is_some()) {
            errors.push(
                "rule_code",
                format!("the clause \"{}\" is retired", new.rule_code),
            );
        } else if rule.is_none() {
            errors.push(
                "rule_code",
                format!(
                    "no rule clause \"{}\"; see GET /api/v1/rules",
                    new.rule_code
                ),
            );
        }
        errors.into_result()?;
        let rule = rule.expect("checked");
        let severity = match severity {
            Some(s) => s.expect("validated"),
            None => rule
                .severity
                .parse()
                .map_err(|e: String| anyhow::anyhow!(e))?,
        };
        let product = self.visible_product(&mut tx, actor, product_id).await?;
        let open = violations::open_for_product(&mut tx, &product.id).await?;
        marketdesk_core::violation::may_open_case(open.as_ref().map(|c| c.id.as_str()))
            .map_err(ServiceError::conflict)?;
        self.check_evidence(&mut tx, actor, &product.store_id, &evidence, "evidence_ids")
            .await?;
        let store = catalog::store(&mut tx, &product.store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no store"))?;
        let sites: Vec<String> = serde_json::from_str(&rule.sites).unwrap_or_default();
        if !sites.is_empty() && !sites.contains(&store.site_code) {
            return Err(Invalid::one(
                "rule_code",
                format!(
                    "the clause \"{}\" applies on {} only, not on {}",
                    rule.code,
                    sites.join(", "),
                    store.site_code
                ),
            )
            .into());
        }
        let calendar = self.site_calendar(&mut tx, &store.site_code).await?;
        let now = self.clock.now();
        let why = Why {
            reason_code: Some(rule.reason_code.clone()),
            reason_text: Some(format!("{} {}: {details}", rule.code, rule.title)),
            evidence_ids: evidence.clone(),
        };
        let product = self
            .move_product(&mut tx, actor, product, Action::ViolationDelist, why)
            .await?;
        let case = ViolationRow {
            id: id::new_id(),
            store_id: product.store_id.clone(),
            product_id: product.id.clone(),
            site_code: store.site_code.clone(),
            rule_code: rule.code.clone(),
            rule_version: rule.version,
            severity,
            details,
            evidence_ids: json_ids(&evidence),
            state: Progress::AwaitingRectification,
            outcome: None,
            resume_state: None,
            rectify_due_at: calendar
                .due(now, severity.rectification_span())?
                .as_microsecond(),
            rectified_at: None,
            rectify_deadline_passed: 0,
            review_due_at: None,
            review_overdue: 0,
            appeal_due_at: calendar.due(now, APPEAL_SPAN)?.as_microsecond(),
            created_by: actor.user_id.clone(),
            created_at: now.as_microsecond(),
            updated_at: now.as_microsecond(),
            closed_at: None,
        };
        violations::insert(&mut tx, &case).await?;
        self.schedule(&mut tx, &case, RECTIFICATION_DEADLINE, case.rectify_due_at)
            .await?;
        let payload = json!({"violation_id": case.id, "product_id": case.product_id, "rule_code": rule.code,
            "severity": case.severity.as_str(), "rectify_due_at": crate::instant(case.rectify_due_at)});
        self.record(&mut tx, actor, event(&case, "violation.opened", payload))
            .await?;
        self.commit(tx).await?;
        self.report(actor, &case.id).await
    }

    async fn schedule(
        &self,
        tx: &mut AnyConnection,
        case: &ViolationRow,
        kind: DeadlineKind,
        due_at: i64,
    ) -> ServiceResult<()> {
        let change = Change::in_store(&case.store_id).deadline(kind, &case.id, due_at);
        self.record(tx, &Actor::system(), change).await
    }

    /// A case the actor may see: sellers only their store's, as "not found" otherwise.
    pub(crate) async fn visible_case(
        &self,
        c: &mut AnyConnection,
        actor: &Actor,
        id: &str,
    ) -> ServiceResult<ViolationRow> {
        actor.require_area(marketdesk_core::team::Area::Products)?;
        let not_found = || ServiceError::NotFound(format!("no violation case with id {id}"));
        let Some(id) = id::parse_id(id) else {
            return Err(not_found());
        };
        match violations::get(c, &id).await? {
            Some(v) if actor.can_see_store(&v.store_id) => Ok(v),
            _ => Err(not_found()),
        }
    }

    pub async fn report(&self, actor: &Actor, id: &str) -> ServiceResult<ViolationReport> {
        let mut c = self.db.reader().await?;
        let case = self.visible_case(&mut c, actor, id).await?;
        // The clause as it read when the case was decided, not as it reads now.
        let rule = rules::version(&mut c, &case.rule_code, case.rule_version)
            .await?
            .ok_or_else(|| anyhow::anyhow!("case cites a missing rule version"))?;
        let site = catalog::site(&mut c, &case.site_code)
            .await?
            .ok_or_else(|| anyhow::anyhow!("case on a missing site"))?;
        let rectifications = violations::rectifications(&mut c, &case.id).await?;
        let appeals = violations::appeals(&mut c, &case.id).await?;
        Ok(ViolationReport {
            case: case.into(),
            rule: rule.into(),
            time_zone: site.time_zone,
            rectifications: records(rectifications),
            appeals: records(appeals),
        })
    }

    /// One user step on a case: `text` is the plan, statement or reviewer's note.
    pub async fn case_step(
        &self,
        actor: &Actor,
        id: &str,
        step: Step,
        text: Option<String>,
        evidence_ids: Vec<String>,
        edit_ids: Vec<String>,
    ) -> ServiceResult<ViolationReport> {
        let (what, needs_text) = match step {
            Step::SubmitRectification => ("submit rectifications", Some("plan")),
            Step::RequestRelist => ("request relisting", None),
            Step::Appeal => ("appeal violations", Some("statement")),
            Step::ApproveRelist => ("decide relist reviews", None),
            Step::RejectRelist | Step::DismissAppeal | Step::UpholdAppeal => {
                ("decide reviews and appeals", Some("note"))
            }
            Step::RectificationDeadline | Step::ReviewDeadline => {
                return Err(ServiceError::Forbidden(
                    "deadlines fire by themselves".into(),
                ));
            }
        };
        require(actor, step.taken_by(actor.role), what)?;
        let mut errors = Invalid::default();
        let text = match (needs_text, &text) {
            (Some(field), Some(t)) => Some(validation::required_text(
                &mut errors,
                field,
                t,
                validation::MAX_REASON_TEXT,
            )),
            (Some(field), None) => {
                errors.push(field, "is required");
                None
            }
            // Where words are optional, empty words are none.
            (None, Some(t)) if t.trim().is_empty() => None,
            (None, Some(t)) => Some(validation::required_text(
                &mut errors,
                "note",
                t,
                validation::MAX_REASON_TEXT,
            )),
            (None, None) => None,
        };
        let evidence = crate::evidence::parse_evidence_ids(&mut errors, &evidence_ids);
        if !edit_ids.is_empty() && step != Step::SubmitRectification {
            errors.push("edit_ids", "only a rectification cites edits");
        }
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        let seen = self.visible_case(&mut tx, actor, id).await?;
        // The deadline worker's order: the case's deadlines, then the case, then its
        // product; the case is read again once both are held, by its canonical id.
        deadlines::lock_pending(&mut tx, self.db.backend(), &seen.id).await?;
        violations::lock(&mut tx, &seen.id).await?;
        let mut case = violations::get(&mut tx, &seen.id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("case {} vanished", seen.id))?;
        self.check_evidence(&mut tx, actor, &case.store_id, &evidence, "evidence_ids")
            .await?;
        if step.decides() {
            self.decide_claimed(&mut tx, actor, &case.id).await?;
        }
        let edits = self.check_cited_edits(&mut tx, &case, edit_ids).await?;
        let appealed_once = !violations::appeals(&mut tx, &case.id).await?.is_empty();
        let now = self.now_us();
        let next = case_of(&case, appealed_once)
            .apply(step, now)
            .map_err(ServiceError::conflict)?;
        let product = products::product(&mut tx, &case.product_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("case of a missing product"))?;
        let why = Why {
            reason_code: None,
            reason_text: text.clone(),
            evidence_ids: evidence.clone(),
        };
        match step {
            Step::SubmitRectification => {
                let r = RectificationRow {
                    id: id::new_id(),
                    violation_id: case.id.clone(),
                    plan: text.clone().unwrap_or_default(),
                    evidence_ids: json_ids(&evidence),
                    submitted_by: actor.user_id.clone(),
                    submitted_at: now,
                    edit_ids: json_ids(&edits),
                };
                violations::insert_rectification(&mut tx, &r).await?;
                self.note_step(
                    &mut tx,
                    actor,
                    &product,
                    step.as_str(),
                    &why,
                    (
                        "violation.rectification_submitted",
                        json!({"violation_id": case.id, "product_id": product.id}),
                    ),
                )
                .await?;
            }
            Step::RequestRelist => {
                self.move_product(&mut tx, actor, product, Action::RequestRelistReview, why)
                    .await?;
                let store = catalog::store(&mut tx, &case.store_id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("no store"))?;
                let calendar = self.site_calendar(&mut tx, &store.site_code).await?;
                let due = calendar
                    .due(self.clock.now(), REVIEW_SPAN)?
                    .as_microsecond();
                case.review_due_at = Some(due);
                self.schedule(&mut tx, &case, REVIEW_DEADLINE, due).await?;
            }
            Step::ApproveRelist => {
                self.move_product(&mut tx, actor, product, Action::ApproveReview, why)
                    .await?;
                self.end_deadlines(
                    &mut tx,
                    &case.store_id,
                    &case.id,
                    &[RECTIFICATION_DEADLINE, REVIEW_DEADLINE],
                )
                .await?;
            }
            Step::RejectRelist => {
                self.move_product(&mut tx, actor, product, Action::RejectReview, why)
                    .await?;
                self.end_deadlines(&mut tx, &case.store_id, &case.id, &[REVIEW_DEADLINE])
                    .await?;
                case.review_due_at = None;
            }
            Step::Appeal => {
                let a = AppealRow {
                    id: id::new_id(),
                    violation_id: case.id.clone(),
                    statement: text.clone().unwrap_or_default(),
                    evidence_ids: json_ids(&evidence),
                    state: AppealState::Pending,
                    submitted_by: actor.user_id.clone(),
                    submitted_at: now,
                    decided_by: None,
                    decided_at: None,
                    decision_note: None,
                };
                violations::insert_appeal(&mut tx, &a).await?;
                self.note_step(
                    &mut tx,
                    actor,
                    &product,
                    step.as_str(),
                    &why,
                    (
                        "violation.appealed",
                        json!({"violation_id": case.id, "product_id": product.id}),
                    ),
                )
                .await?;
            }
            Step::UpholdAppeal => {
                violations::decide_appeal(
                    &mut tx,
                    &case.id,
                    AppealState::Upheld,
                    &actor.user_id,
                    now,
                    text.as_deref().unwrap_or(""),
                )
                .await?;
                self.move_product(&mut tx, actor, product, Action::VoidViolation, why)
                    .await?;
                self.end_deadlines(&mut tx, &case.store_id, &case.id, &[RECTIFICATION_DEADLINE])
                    .await?;
            }
            Step::DismissAppeal => {
                violations::decide_appeal(
                    &mut tx,
                    &case.id,
                    AppealState::Dismissed,
                    &actor.user_id,
                    now,
                    text.as_deref().unwrap_or(""),
                )
                .await?;
                self.note_step(
                    &mut tx,
                    actor,
                    &product,
                    step.as_str(),
                    &why,
                    (
                        "violation.appeal_dismissed",
                        json!({"violation_id": case.id, "product_id": product.id}),
                    ),
                )
                .await?;
            }
            Step::RectificationDeadline | Step::ReviewDeadline => unreachable!("refused above"),
        }
        write_case(&mut case, &next, now);
        violations::update(&mut tx, &case).await?;
        let payload = json!({"violation_id": case.id, "product_id": case.product_id, "step": step.as_str(), "progress": case.state.as_str()});
        self.record(
            &mut tx,
            actor,
            event(&case, "violation.progressed", payload),
        )
        .await?;
        self.commit(tx).await?;
        self.report(actor, &case.id).await
    }
}

/// A violation's event, about its product (the seller's inbox groups by product).
fn event(case: &ViolationRow, event_type: &str, payload: serde_json::Value) -> Change {
    Change::in_store(&case.store_id).event(event_type, &case.product_id, payload)
}
