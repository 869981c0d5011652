//! Who is looking at a page: the session cookie resolved through the service, the page's
//! language, and the frame every page draws. No session: the browser is sent to /login.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use marketdesk_core::store_standing::Scope;
use marketdesk_service::sessions::ConsoleSession;

use crate::ConsoleState;
use crate::page::Chrome;
use crate::web::{Fields, SESSION_COOKIE, cookie, same_token, see_other};

/// A signed-in person.
pub struct Signed {
    pub session: ConsoleSession,
    pub chrome: Chrome,
    pub cookie: String,
}

impl Signed {
    pub fn actor(&self) -> &marketdesk_service::Actor {
        &self.session.actor
    }

    /// Whether a form's token is this session's.
    pub fn csrf_ok(&self, token: Option<&str>) -> bool {
        token.is_some_and(|t| same_token(t, &self.session.csrf_token))
    }
}

impl FromRequestParts<ConsoleState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ConsoleState,
    ) -> Result<Self, Self::Rejection> {
        let Some(cookie) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned) else {
            return Err(see_other("/login"));
        };
        // A form's request was resolved once already, by the audit edge.
        let resolved = parts.extensions.get::<ConsoleSession>().cloned();
        let session = match resolved {
            Some(s) => Ok(s),
            None => state.service.console_session(&cookie).await,
        };
        let session = match session {
            Ok(s) => s,
            Err(marketdesk_service::ServiceError::Unauthorized(_)) => {
                return Err(see_other("/login"));
            }
            Err(e) => return Err(crate::page::refusal(guest_chrome(parts), e)),
        };
        let query = parts.uri.query().map(str::to_owned);
        let zone = crate::format::zone(session.site_time_zone.as_deref().unwrap_or("UTC"));
        let suspended = session
            .suspension
            .as_ref()
            .map(|(at, why)| (crate::format::local(*at, &zone), why.clone()));
        let asked = crate::locale::asked(query.as_deref());
        let mut chosen = session.language;
        if let Some(l) = asked
            && chosen != Some(l)
        {
            // The switch is the person's choice: e-mail and texts follow it too.
            if let Err(e) = state.service.set_language(&session.actor, l).await {
                tracing::warn!(error = %e, "language choice not saved");
            }
            chosen = Some(l);
        }
        let lang = crate::locale::choose(
            query.as_deref(),
            &parts.headers,
            chosen,
            session.site_code.as_deref(),
        );
        let unread = state
            .service
            .inbox(&session.actor, true, None, Some(1))
            .await
            .map(|p| p.unread_count)
            .unwrap_or(0);
        let chrome = Chrome {
            lang,
            csrf: session.csrf_token.clone(),
            name: session.name.clone(),
            role: Some(session.actor.role),
            team: session.actor.team,
            unread,
            path: parts.uri.path().to_owned(),
            query,
            sandbox_now: state
                .service
                .clock
                .as_manual()
                .map(|_| crate::format::iso(state.service.clock.now().as_microsecond())),
            suspended,
        };
        // A suspended store's sellers read everything but change nothing of the store's.
        if parts.method == axum::http::Method::POST
            && let Err(e) = session.actor.require_may_change(scope(parts.uri.path()))
        {
            return Err(crate::page::refusal(chrome, e));
        }
        Ok(Signed {
            session,
            chrome,
            cookie,
        })
    }
}

/// The frame of a page seen before signing in.
pub fn guest_chrome(parts: &Parts) -> Chrome {
    let query = parts.uri.query().map(str::to_owned);
    Chrome {
        lang: crate::locale::choose(query.as_deref(), &parts.headers, None, None),
        csrf: String::new(),
        name: String::new(),
        role: None,
        team: None,
        unread: 0,
        path: parts.uri.path().to_owned(),
        query,
        sandbox_now: None,
        suspended: None,
    }
}

/// What a console form changes: the person's own session or inbox, or the store's data.
fn scope(path: &str) -> Scope {
    let personal = path == "/logout" || (path.starts_with("/inbox/") && path.ends_with("/read"));
    if personal {
        Scope::Personal
    } else {
        Scope::Store
    }
}

/// A page seen by anyone, signed in or not.
pub struct Guest(pub Chrome);

impl<S: Send + Sync> FromRequestParts<S> for Guest {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Guest(guest_chrome(parts)))
    }
}

/// A posted url-encoded form of a signed-in person, refused (403) without this session's
/// CSRF token in the `csrf_token` field or the `X-CSRF-Token` header (the script's posts).
pub async fn signed_form(s: &Signed, req: axum::extract::Request) -> Result<Fields, Response> {
    let header_token = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = match axum::body::to_bytes(req.into_body(), crate::web::FORM_LIMIT).await {
        Ok(b) => b,
        Err(_) => return Err(crate::page::forged(s.chrome.clone())),
    };
    let f = Fields::parse(&body);
    let token = f.get("csrf_token").map(str::to_owned).or(header_token);
    if !s.csrf_ok(token.as_deref()) {
        return Err(crate::page::forged(s.chrome.clone()));
    }
    Ok(f)
}
