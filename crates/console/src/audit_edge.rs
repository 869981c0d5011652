//! Where console forms reach the audit log: a staff member's state-changing request
//! answered with success (a redirect after a form, a partial update) leaves one row, as
//! the same request through the API would.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use marketdesk_service::audit::{self, AuditedRequest};

use crate::ConsoleState;
use crate::web::{SESSION_COOKIE, cookie};

pub async fn audit_console(
    State(st): State<ConsoleState>,
    mut req: Request,
    next: Next,
) -> Response {
    if !audit::changes_state(req.method().as_str(), req.uri().path()) {
        return next.run(req).await;
    }
    let session = match cookie(req.headers(), SESSION_COOKIE) {
        Some(c) => st.service.console_session(c).await.ok(),
        None => None,
    };
    let actor = session.as_ref().map(|s| s.actor.clone());
    // The page's own extractor takes the session from here: one lookup per request.
    if let Some(s) = session {
        req.extensions_mut().insert(s);
    }
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
        if let Err(e) = st.service.append_audit(&actor, r, changes).await {
            tracing::error!(error = %e, %path, "audit row not written");
        }
    }
    res
}
