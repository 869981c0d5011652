//! Signing in and out. The login form is protected against cross-site posts by a token
//! kept in a cookie of its own until the session holds one.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use marketdesk_service::ServiceError;

use crate::ConsoleState;
use crate::page::{Chrome, forged, render};
use crate::session::{Guest, Signed};
use crate::web::{
    FORM_LIMIT, Fields, LOGIN_CSRF_COOKIE, SESSION_COOKIE, address, cookie, random_hex, same_token,
    see_other, set_cookie,
};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    login: String,
    error: Option<String>,
}

/// `/`: a seller's home is the product list (customer service's, the after-sales queue);
/// platform staff and finance start at the inbox.
pub async fn home(s: Signed) -> Response {
    if s.chrome.sees_products() {
        see_other("/products")
    } else if s.chrome.sees_review() {
        see_other("/review")
    } else if s.chrome.sees_cs() {
        see_other("/cs/tickets")
    } else if s.chrome.sees_aftersales() {
        see_other("/aftersales")
    } else {
        see_other("/inbox")
    }
}

fn login_page(
    mut chrome: Chrome,
    status: StatusCode,
    login: String,
    error: Option<String>,
) -> Response {
    let token = random_hex();
    chrome.csrf = token.clone();
    let mut res = render(
        status,
        &LoginPage {
            chrome,
            login,
            error,
        },
    );
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, &token, false, Some(3600)),
    );
    res
}

/// The answer that starts a session: its cookie set, the form's own token cleared, and on
/// to the home page.
pub fn signed_in(st: &ConsoleState, session_cookie: &str) -> Response {
    let mut res = see_other("/");
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, session_cookie, st.secure_cookies, None),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, "", false, Some(0)),
    );
    res
}

pub async fn form(Guest(chrome): Guest) -> Response {
    login_page(chrome, StatusCode::OK, String::new(), None)
}

pub async fn submit(
    State(st): State<ConsoleState>,
    Guest(chrome): Guest,
    req: Request,
) -> Response {
    let addr = address(&req);
    let expected = cookie(req.headers(), LOGIN_CSRF_COOKIE).map(str::to_owned);
    let body = match axum::body::to_bytes(req.into_body(), FORM_LIMIT).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response(),
    };
    let f = Fields::parse(&body);
    let token_ok =
        matches!((f.get("csrf_token"), &expected), (Some(t), Some(e)) if same_token(t, e));
    if !token_ok {
        return forged(chrome);
    }
    let login = f.get("login").unwrap_or_default().to_owned();
    let password = f.get("password").unwrap_or_default();
    match st.service.login(&login, password, &addr).await {
        Ok(done) => signed_in(&st, &done.cookie),
        Err(e) => {
            let (status, key) = match &e {
                ServiceError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "login.wrong"),
                ServiceError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "login.missing"),
                ServiceError::Throttled { .. } => {
                    (StatusCode::TOO_MANY_REQUESTS, "login.throttled")
                }
                _ => return crate::page::refusal(chrome, e),
            };
            let message = chrome.t(key).to_owned();
            login_page(chrome, status, login, Some(message))
        }
    }
}

pub async fn logout(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let body = axum::body::to_bytes(req.into_body(), FORM_LIMIT)
        .await
        .unwrap_or_default();
    let f = Fields::parse(&body);
    if !s.csrf_ok(f.get("csrf_token")) {
        return forged(s.chrome);
    }
    if let Err(e) = st.service.logout(&s.cookie).await {
        return crate::page::refusal(s.chrome, e);
    }
    let mut res = see_other("/login");
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", st.secure_cookies, Some(0)),
    );
    res
}
