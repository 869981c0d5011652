//! The platform's desks: which staff role opens which pages. A seller (or any role the
//! desk is not for) gets the refusal page with 403 before anything is loaded.

use axum::response::Response;
use marketdesk_service::ServiceError;

use crate::page::refusal;
use crate::session::{Signed, signed_form};
use crate::web::Fields;

#[derive(Clone, Copy)]
pub enum Desk {
    /// Reviewers and admins: violations, relist reviews, appeals, take-downs.
    Review,
    /// Customer service and admins: tickets across stores.
    Service,
    /// Admins: accounts, calendars, the audit log.
    Admin,
}

/// The 403 page when `desk`'s pages are not for the signed-in person; None lets them in.
pub fn refused(s: &Signed, desk: Desk) -> Option<Response> {
    let c = &s.chrome;
    let (open, words) = match desk {
        Desk::Review => (c.sees_review(), "the review desk is for reviewers"),
        Desk::Service => (
            c.sees_cs(),
            "the customer-service desk is for customer service",
        ),
        Desk::Admin => (c.sees_admin(), "administration is for admins"),
    };
    (!open).then(|| refusal(s.chrome.clone(), ServiceError::Forbidden(words.into())))
}

/// A form posted to `desk`: the 403 page before the body is read when the desk is not the
/// person's, the CSRF refusal when the token is not the session's, else its fields.
pub async fn desk_form(
    s: &Signed,
    desk: Desk,
    req: axum::extract::Request,
) -> Result<Fields, Response> {
    if let Some(r) = refused(s, desk) {
        return Err(r);
    }
    signed_form(s, req).await
}
