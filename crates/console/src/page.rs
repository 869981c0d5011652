//! What every page shares: the frame around it (navigation, language switch, unread
//! badge, CSRF token for its forms) and how a refusal becomes a page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use marketdesk_core::team::{Area, TeamRole};
use marketdesk_core::{Language, Role};
use marketdesk_service::ServiceError;

/// The frame of a page.
#[derive(Clone)]
pub struct Chrome {
    pub lang: Language,
    /// Empty on pages seen before signing in.
    pub csrf: String,
    pub name: String,
    pub role: Option<Role>,
    /// A seller's team role: which sections the navigation offers.
    pub team: Option<TeamRole>,
    pub unread: i64,
    pub path: String,
    pub query: Option<String>,
    /// The sandbox clock's time, when the server runs with `--clock manual`.
    pub sandbox_now: Option<String>,
    /// A suspended store's seller: since when (local time) and the admin's reason.
    pub suspended: Option<(String, String)>,
}

impl Chrome {
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.text(&format!("console.{key}"))
    }

    /// The console's word for `key`, or `raw` as stored when the catalog has none (a
    /// timeline action added later still shows as something).
    pub fn t_or(&self, key: &str, raw: &str) -> String {
        let full = format!("console.{key}");
        if self.lang.has(&full) {
            self.lang.text(&full).to_owned()
        } else {
            raw.to_owned()
        }
    }

    /// A console text with `{name}` placeholders filled.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.lang.fill(&format!("console.{key}"), args)
    }

    /// A text from the shared catalog (reasons, severities).
    pub fn word(&self, key: &str) -> &'static str {
        self.lang.text(key)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.as_str()
    }

    pub fn switch_to(&self, code: &str) -> String {
        let to = code.parse().unwrap_or(Language::En);
        crate::locale::switch_href(&self.path, self.query.as_deref(), to)
    }

    pub fn signed_in(&self) -> bool {
        self.role.is_some()
    }

    /// Sellers see the store's pages; staff pages follow with the platform console.
    pub fn is_seller(&self) -> bool {
        self.role == Some(Role::Seller)
    }

    /// Whether the team role includes `area` (core's table); staff have no team role.
    fn may(&self, area: Area) -> bool {
        self.team.is_none_or(|t| t.may(area))
    }

    pub fn sees_products(&self) -> bool {
        self.is_seller() && self.may(Area::Products)
    }

    pub fn sees_stock(&self) -> bool {
        self.is_seller() && self.may(Area::Stock)
    }

    pub fn sees_aftersales(&self) -> bool {
        self.role.is_some_and(|r| r.handles_aftersales()) && self.may(Area::Aftersales)
    }

    /// The store programs: the affiliate program is the products' team's, the
    /// fully-managed store and its deposit the finance team's; either opens the section.
    pub fn sees_programs(&self) -> bool {
        self.is_seller() && (self.may(Area::Products) || self.may(Area::Deposit))
    }

    pub fn sees_team(&self) -> bool {
        self.is_seller() && self.may(Area::Team)
    }

    /// Reviewers' pages: the violation center, relist reviews, appeals, take-downs.
    pub fn sees_review(&self) -> bool {
        self.role.is_some_and(|r| r.reviews())
    }

    /// Customer service's pages: tickets across stores.
    pub fn sees_cs(&self) -> bool {
        matches!(self.role, Some(Role::CsAgent | Role::Admin))
    }

    /// Administration: accounts, calendars, the audit log.
    pub fn sees_admin(&self) -> bool {
        self.role.is_some_and(|r| r.administers())
    }

    pub fn current(&self, prefix: &str) -> bool {
        self.path == prefix || self.path.starts_with(&format!("{prefix}/"))
    }
}

pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "page did not render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the page could not be shown",
            )
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub status: u16,
    pub heading: &'static str,
    pub messages: Vec<String>,
}

/// A refusal, shown as a page in the reader's language. The service's own words (in
/// English) come below, naming the field or the product at fault.
pub fn refusal(chrome: Chrome, e: ServiceError) -> Response {
    let (status, key, messages) = match e {
        ServiceError::Unauthorized(m) => (StatusCode::UNAUTHORIZED, "error.unauthorized", vec![m]),
        ServiceError::Forbidden(m) => (StatusCode::FORBIDDEN, "error.forbidden", vec![m]),
        ServiceError::NotFound(m) => (StatusCode::NOT_FOUND, "error.not_found", vec![m]),
        ServiceError::Suspended(m) => (StatusCode::FORBIDDEN, "error.suspended", vec![m]),
        ServiceError::Invalid(i) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error.invalid",
            i.0.into_iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect(),
        ),
        ServiceError::Conflict { detail, errors } => {
            let mut m = vec![detail];
            m.extend(
                errors
                    .into_iter()
                    .map(|f| format!("{}: {}", f.field, f.message)),
            );
            (StatusCode::CONFLICT, "error.conflict", m)
        }
        ServiceError::Throttled { detail, .. } => (
            StatusCode::TOO_MANY_REQUESTS,
            "error.throttled",
            vec![detail],
        ),
        ServiceError::Unavailable { detail, .. } => (
            StatusCode::SERVICE_UNAVAILABLE,
            "error.unavailable",
            vec![detail],
        ),
        ServiceError::StorageFull(detail) => (
            StatusCode::INSUFFICIENT_STORAGE,
            "error.storage_full",
            vec![detail],
        ),
        e @ ServiceError::Internal(_) if e.as_storage_fault().is_some() => {
            return refusal(chrome, e.as_storage_fault().expect("checked"));
        }
        ServiceError::Internal(e) => {
            tracing::error!(error = ?e, "internal error on a console page");
            (StatusCode::INTERNAL_SERVER_ERROR, "error.internal", vec![])
        }
    };
    let heading = chrome.t(key);
    render(
        status,
        &ErrorPage {
            chrome,
            status: status.as_u16(),
            heading,
            messages,
        },
    )
}

/// A refusal the person can fix on the form they sent (a field, or a state that moved
/// on): its status and lines, to show beside the form. Any other is handed back.
pub fn fixable(e: ServiceError) -> Result<(StatusCode, Vec<String>), ServiceError> {
    match e {
        ServiceError::Invalid(i) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            i.0.into_iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect(),
        )),
        ServiceError::Conflict { detail, errors } => {
            let mut lines = vec![detail];
            lines.extend(
                errors
                    .into_iter()
                    .map(|f| format!("{}: {}", f.field, f.message)),
            );
            Ok((StatusCode::CONFLICT, lines))
        }
        e => Err(e),
    }
}

/// A form posted without this session's CSRF token: refused before anything is read.
pub fn forged(chrome: Chrome) -> Response {
    let heading = chrome.t("error.csrf");
    render(
        StatusCode::FORBIDDEN,
        &ErrorPage {
            chrome,
            status: 403,
            heading,
            messages: vec![],
        },
    )
}
