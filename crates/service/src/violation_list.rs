//! The violation center's list (违规管理): every case the actor may see, with the filters
//! of `GET /api/v1/violations`, counts per progress under the same filters, keyset pages
//! newest first or, for the reviewers' queues, oldest first.

use std::collections::BTreeMap;

use marketdesk_core::Invalid;
use marketdesk_core::violation::{Progress, Severity};
use marketdesk_store::violations::{self, ViolationFilter};

use crate::records::{Violation, records};
use crate::{Actor, Service, ServiceResult};

#[derive(Debug, Clone, Default)]
pub struct ViolationQuery {
    pub store_id: Option<String>,
    pub progress: Option<String>,
    pub severity: Option<String>,
    pub rule_code: Option<String>,
    pub site: Option<String>,
    pub due_from: Option<String>,
    pub due_to: Option<String>,
    pub review_overdue: Option<bool>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
    /// Oldest first: the reviewers' queues.
    pub oldest_first: bool,
}

pub struct ViolationPage {
    pub items: Vec<Violation>,
    pub next_cursor: Option<String>,
    pub counts: BTreeMap<String, i64>,
}

impl Service {
    pub async fn violations(
        &self,
        actor: &Actor,
        q: &ViolationQuery,
    ) -> ServiceResult<ViolationPage> {
        actor.require_area(marketdesk_core::team::Area::Products)?;
        let mut errors = Invalid::default();
        let mut f = ViolationFilter {
            limit: crate::paging::DEFAULT_PAGE,
            ..Default::default()
        };
        f.store_id = actor.store_scope(q.store_id.clone())?;
        if let Some(p) = &q.progress {
            f.state = p
                .parse::<Progress>()
                .map_err(|m| errors.push("progress", m))
                .ok()
                .map(|p| p.as_str().into());
        }
        if let Some(s) = &q.severity {
            f.severity = s
                .parse::<Severity>()
                .map_err(|m| errors.push("severity", m))
                .ok()
                .map(|s| s.as_str().into());
        }
        f.rule_code = q.rule_code.clone();
        f.site_code = q.site.clone();
        f.due_from = crate::product_query::parse_instant(&mut errors, "due_from", &q.due_from);
        f.due_to = crate::product_query::parse_instant(&mut errors, "due_to", &q.due_to);
        f.review_overdue = q.review_overdue;
        f.oldest_first = q.oldest_first;
        f.before_id = crate::paging::cursor(&mut errors, q.cursor.as_deref());
        f.limit = crate::paging::limit(&mut errors, q.limit);
        errors.into_result()?;
        let mut c = self.db.reader().await?;
        let mut counts: BTreeMap<String, i64> = Progress::ALL
            .iter()
            .map(|p| (p.as_str().to_string(), 0))
            .collect();
        for (state, n) in violations::counts(&mut c, &f).await? {
            counts.insert(state, n);
        }
        let limit = f.limit;
        f.limit += 1;
        let mut items = violations::page(&mut c, &f).await?;
        let next_cursor = crate::paging::next(&mut items, limit, |v| &v.id);
        Ok(ViolationPage {
            items: records(items),
            next_cursor,
            counts,
        })
    }
}
