//! Where API requests reach the audit log: after authentication, around the handler, so
//! every state-changing request of platform staff answered with success leaves one row.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use marketdesk_service::Actor;
use marketdesk_service::audit::{self, AuditedRequest};

use crate::AppState;

pub async fn audit_api(State(s): State<AppState>, req: Request, next: Next) -> Response {
    // Reads are never audited: they pass before anything is copied.
    if !changes_state(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let actor = req.extensions().get::<Actor>().cloned();
    let Some(actor) = actor.filter(audit::audited) else {
        return next.run(req).await;
    };
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let (res, changes, written) = audit::collecting(&method, &path, next.run(req)).await;
    let status = res.status();
    if !written && (status.is_success() || status.is_redirection()) {
        let r = AuditedRequest {
            method: &method,
            path: &path,
            status: status.as_u16(),
        };
        if let Err(e) = s.service.append_audit(&actor, r, changes).await {
            tracing::error!(error = %e, %path, "audit row not written");
        }
    }
    res
}

pub fn changes_state(m: &Method, path: &str) -> bool {
    audit::changes_state(m.as_str(), path)
}
