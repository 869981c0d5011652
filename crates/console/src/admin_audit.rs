//! The audit log (审计日志) for admins: every state-changing request of platform staff,
//! newest first — who, when, which request, and each change's before → after.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::Uri;
use axum::response::Response;
use marketdesk_service::ServiceError;
use marketdesk_service::audit::AuditQuery;

use crate::ConsoleState;
use crate::format::local;
use crate::page::{Chrome, refusal, render};
use crate::session::Signed;
use crate::staff::{Desk, refused};
use crate::web::Fields;

pub struct AuditLine {
    pub at: String,
    pub who: String,
    pub role: &'static str,
    pub request: String,
    pub changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    chrome: Chrome,
    total: i64,
    lines: Vec<AuditLine>,
    next: Option<String>,
}

pub async fn show(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    if let Some(r) = refused(&s, Desk::Admin) {
        return r;
    }
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    let chrome = s.chrome.clone();
    let loaded = async {
        let q = AuditQuery {
            actor_id: f.text("actor_id"),
            subject_id: f.text("subject_id"),
            cursor: f.text("cursor"),
            limit: Some(100),
        };
        let page = st.service.audit_log(s.actor(), &q).await?;
        let ids: Vec<String> = page.items.iter().map(|e| e.actor_id.clone()).collect();
        let names = st.service.names(&ids).await?;
        Ok::<_, ServiceError>((page, names))
    };
    let (page, names) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let utc = jiff::tz::TimeZone::UTC;
    let view = AuditPage {
        total: page.total,
        lines: page
            .items
            .into_iter()
            .map(|e| AuditLine {
                at: local(e.at, &utc),
                who: names.get(&e.actor_id).cloned().unwrap_or(e.actor_id),
                role: chrome.t(&format!("role.{}", e.actor_role)),
                request: format!("{} {} → {}", e.method, e.path, e.status),
                changes: e
                    .changes
                    .iter()
                    .map(|c| format!("{} {}: {} → {}", c.what, c.subject, c.before, c.after))
                    .collect(),
            })
            .collect(),
        next: page
            .next_cursor
            .as_deref()
            .map(|c| crate::web::next_page("/admin/audit", &f, c)),
        chrome,
    };
    render(StatusCode::OK, &view)
}
