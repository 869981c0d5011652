//! Violation deadlines (the rectification window, the relist review's 48 hours) fired a
//! batch at a time. When thousands fall due together — a holiday ends, the server was
//! down — their cases, appeals and products are read in one statement each, and their
//! new progress, timeline rows and events written in one statement each, instead of six
//! statements a deadline. What each deadline does to its case is core's `Case::apply`,
//! exactly as for a single one (a single deadline is a batch of one).

use std::collections::HashMap;

use marketdesk_core::deadline::DeadlineKind;
use marketdesk_core::violation::{Progress, Step};
use marketdesk_store::deadlines::{DeadlineRow, StoredKind};
use marketdesk_store::{outbox, products, timeline, violations};
use serde_json::json;
use sqlx::AnyConnection;

use crate::change::TimelineEntry;
use crate::listing::Why;
use crate::violations::{case_of, write_case};
use crate::{Actor, Service, ServiceResult};

/// The step a violation deadline applies, if it is one.
pub(crate) fn violation_step(kind: &StoredKind) -> Option<Step> {
    match kind {
        StoredKind::Known(DeadlineKind::Rectification) => Some(Step::RectificationDeadline),
        StoredKind::Known(DeadlineKind::RelistReview) => Some(Step::ReviewDeadline),
        _ => None,
    }
}

impl Service {
    /// Applies each deadline's step to its case, in order, in the worker's transaction.
    /// An error leaves writes behind: the caller rolls back and fires one by one.
    pub(crate) async fn violation_deadlines(
        &self,
        tx: &mut AnyConnection,
        due: &[&DeadlineRow],
    ) -> ServiceResult<()> {
        let mut ids: Vec<String> = due.iter().map(|d| d.subject_id.clone()).collect();
        ids.sort();
        ids.dedup();
        let mut cases: HashMap<String, violations::ViolationRow> = violations::get_many(tx, &ids)
            .await?
            .into_iter()
            .map(|v| (v.id.clone(), v))
            .collect();
        let appealed = violations::appealed_among(tx, &ids).await?;
        let now = self.now_us();
        let mut changed = Vec::new();
        // (case id, product id, action, event type, due at) of each step people hear of.
        let mut told = Vec::new();
        for d in due {
            let step = violation_step(&d.kind)
                .ok_or_else(|| anyhow::anyhow!("deadline {} is not a violation's", d.id))?;
            let case = cases
                .get_mut(&d.subject_id)
                .ok_or_else(|| anyhow::anyhow!("deadline {} for a missing case", d.id))?;
            let before = case_of(case, appealed.contains(&case.id));
            let next = before.apply(step, now).map_err(|m| anyhow::anyhow!(m))?;
            if next == before {
                continue;
            }
            write_case(case, &next, now);
            changed.push(case.id.clone());
            let became_overdue =
                next.progress == Progress::Overdue && before.progress != Progress::Overdue;
            let review_late = next.review_overdue && !before.review_overdue;
            if became_overdue || review_late {
                let (action, event_type) = if became_overdue {
                    (Step::RectificationDeadline.as_str(), "violation.overdue")
                } else {
                    (Step::ReviewDeadline.as_str(), "violation.review_overdue")
                };
                told.push((
                    case.id.clone(),
                    case.product_id.clone(),
                    action,
                    event_type,
                    d.due_at,
                ));
            }
        }
        changed.sort();
        changed.dedup();
        let rows: Vec<_> = changed
            .iter()
            .filter_map(|id| cases.get(id).cloned())
            .collect();
        violations::update_many(tx, &rows).await?;

        let mut product_ids: Vec<String> = told.iter().map(|t| t.1.clone()).collect();
        product_ids.sort();
        product_ids.dedup();
        let products: HashMap<String, products::ProductRow> =
            products::products_by_ids(tx, &product_ids)
                .await?
                .into_iter()
                .map(|p| (p.id.clone(), p))
                .collect();
        let system = Actor::system();
        let mut lines = Vec::with_capacity(told.len());
        let mut events = Vec::with_capacity(told.len());
        for (case_id, product_id, action, event_type, due_at) in told {
            let product = products
                .get(&product_id)
                .ok_or_else(|| anyhow::anyhow!("case {case_id} of a missing product"))?;
            let entry = TimelineEntry::step(product, action, &Why::default());
            lines.push(self.timeline_row(&product.store_id, &system, entry, now));
            let payload = json!({"violation_id": case_id, "product_id": product.id, "due_at": crate::instant(due_at)});
            events.push(self.event_row(&product.store_id, event_type, &product.id, &payload));
        }
        timeline::insert_many(tx, &lines).await?;
        outbox::insert_many(tx, &events).await?;
        Ok(())
    }
}
