//! The audit log (审计日志): one row for every state-changing request of platform staff —
//! who, when, which request, and what each change found and left (before → after).
//!
//! The row is written by the HTTP edge (API and console alike) after the request
//! answered with success, so no route can forget it; what the use cases changed reaches
//! it through [`collecting`]: each change the service records while the request runs is
//! noted in a task-local list, which the edge reads once the handler returns.

use std::cell::RefCell;
use std::future::Future;

use marketdesk_core::{Invalid, id};
use marketdesk_store::audit::{self, AuditFilter, AuditRow};
use serde::Serialize;
use serde_json::Value;

use crate::require_admin;
use crate::{Actor, Service, ServiceResult};

/// More changes than this in one request (a batch) are counted, not listed.
const NOTED_CHANGES: usize = 100;

tokio::task_local! {
    static NOTES: RefCell<Collected>;
}

/// What the edge gathers while a request runs.
struct Collected {
    method: String,
    path: String,
    changes: Vec<AuditChange>,
    /// A use case wrote the request's row in the transaction of its change.
    written: bool,
}

/// One change a request made.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AuditChange {
    pub subject: String,
    pub what: String,
    pub before: Value,
    pub after: Value,
}

/// Runs `f`, the handler of `method path`, gathering the changes the use cases it calls
/// record; the flag says whether a use case already wrote the request's row with its
/// change (the edge then writes none).
pub async fn collecting<F: Future>(
    method: &str,
    path: &str,
    f: F,
) -> (F::Output, Vec<AuditChange>, bool) {
    let collected = Collected {
        method: method.into(),
        path: path.into(),
        changes: Vec::new(),
        written: false,
    };
    NOTES
        .scope(RefCell::new(collected), async {
            let out = f.await;
            let (changes, written) = NOTES.with(|n| {
                let mut n = n.borrow_mut();
                (std::mem::take(&mut n.changes), n.written)
            });
            (out, changes, written)
        })
        .await
}

/// Notes a change for the request's audit row; outside a request (CLI, workers) nothing.
pub(crate) fn note(subject: &str, what: &str, before: Value, after: Value) {
    let _ = NOTES.try_with(|n| {
        let n = &mut n.borrow_mut().changes;
        if n.len() < NOTED_CHANGES {
            n.push(AuditChange {
                subject: subject.into(),
                what: what.into(),
                before,
                after,
            });
        } else if n.len() == NOTED_CHANGES {
            n.push(AuditChange {
                subject: String::new(),
                what: "more changes not listed".into(),
                before: Value::Null,
                after: Value::Null,
            });
        }
    });
}

/// The running request's audit row, for a use case that writes it in the transaction of
/// its change: an order placed by group commit commits in another task, together with
/// other requests' orders, and a second transaction per order for its row would cost a
/// second disk flush. `None` outside an audited request.
pub(crate) fn row_in_transaction(actor: &Actor, status: u16, at: i64) -> Option<AuditRow> {
    if !audited(actor) {
        return None;
    }
    NOTES
        .try_with(|n| {
            let n = n.borrow();
            AuditRow {
                id: id::new_id(),
                at,
                actor_id: actor.user_id.clone(),
                actor_role: actor.role.as_str().into(),
                method: n.method.clone(),
                path: n.path.chars().take(500).collect(),
                status: i64::from(status),
                subject_id: None,
                changes: serde_json::to_string(&n.changes).unwrap_or_else(|_| "[]".into()),
            }
        })
        .ok()
}

/// Tells the edge that the row from [`row_in_transaction`] committed.
pub(crate) fn written_in_transaction() {
    let _ = NOTES.try_with(|n| n.borrow_mut().written = true);
}

/// The request a row is about.
pub struct AuditedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: String,
    pub at: i64,
    pub actor_id: String,
    pub actor_role: String,
    pub method: String,
    pub path: String,
    pub status: i64,
    pub subject_id: Option<String>,
    pub changes: Vec<AuditChange>,
}

pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: i64,
    pub next_cursor: Option<String>,
}

/// POSTs that change nothing: asking the classifier for a suggestion. They are not
/// audited, and a suspended store's sellers may still make them.
pub const READ_ONLY_POSTS: &[&str] = &["/api/v1/classify", "/classify"];

/// Whether a request may change state (and so is audited and refused while suspended).
pub fn changes_state(method: &str, path: &str) -> bool {
    !matches!(method, "GET" | "HEAD" | "OPTIONS") && !READ_ONLY_POSTS.contains(&path)
}

/// Whose requests are audited: platform staff. A seller's own changes are on their
/// product timelines and store records; the platform itself acts through deadlines.
pub fn audited(actor: &Actor) -> bool {
    actor.role.is_platform() && actor.role != marketdesk_core::Role::System
}

fn entry(r: AuditRow) -> AuditEntry {
    let changes = serde_json::from_str::<Vec<Value>>(&r.changes)
        .unwrap_or_default()
        .into_iter()
        .map(|v| AuditChange {
            subject: v["subject"].as_str().unwrap_or_default().into(),
            what: v["what"].as_str().unwrap_or_default().into(),
            before: v["before"].clone(),
            after: v["after"].clone(),
        })
        .collect();
    AuditEntry {
        id: r.id,
        at: r.at,
        actor_id: r.actor_id,
        actor_role: r.actor_role,
        method: r.method,
        path: r.path,
        status: r.status,
        subject_id: r.subject_id,
        changes,
    }
}

impl Service {
    /// Appends the row of one answered request (nothing for sellers and the system).
    pub async fn append_audit(
        &self,
        actor: &Actor,
        req: AuditedRequest<'_>,
        changes: Vec<AuditChange>,
    ) -> ServiceResult<()> {
        if !audited(actor) {
            return Ok(());
        }
        let row = AuditRow {
            id: id::new_id(),
            at: self.now_us(),
            actor_id: actor.user_id.clone(),
            actor_role: actor.role.as_str().into(),
            method: req.method.into(),
            path: req.path.chars().take(500).collect(),
            status: i64::from(req.status),
            subject_id: changes
                .iter()
                .map(|c| c.subject.clone())
                .find(|s| !s.is_empty()),
            changes: serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into()),
        };
        let mut tx = self.db.begin().await?;
        audit::insert(&mut tx, &row).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The log, newest first (admins only).
    pub async fn audit_log(&self, actor: &Actor, q: &AuditQuery) -> ServiceResult<AuditPage> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let limit = crate::paging::limit(&mut errors, q.limit);
        let before_id = crate::paging::cursor(&mut errors, q.cursor.as_deref());
        errors.into_result()?;
        let mut f = AuditFilter {
            actor_id: q.actor_id.clone(),
            subject_id: q.subject_id.clone(),
            before_id,
            limit: limit + 1,
        };
        let mut c = self.db.reader().await?;
        let mut rows = audit::page(&mut c, &f).await?;
        f.before_id = None;
        let total = audit::count(&mut c, &f).await?;
        let next_cursor = crate::paging::next(&mut rows, limit, |r| &r.id);
        Ok(AuditPage {
            items: rows.into_iter().map(entry).collect(),
            total,
            next_cursor,
        })
    }
}
