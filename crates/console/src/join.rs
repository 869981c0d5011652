//! Joining a store's team from an invitation link: the link's page says which store and
//! which team role, and the form sets the new member's name, login and password. The
//! form is protected like the login form (a token in a cookie of its own).

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use marketdesk_service::ServiceError;
use marketdesk_service::team::Joining;

use crate::ConsoleState;
use crate::format::local;
use crate::page::{Chrome, forged, refusal, render};
use crate::session::Guest;
use crate::web::{Fields, LOGIN_CSRF_COOKIE, cookie, random_hex, same_token, set_cookie};

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    chrome: Chrome,
    token: String,
    store: String,
    email: String,
    role: &'static str,
    expires: String,
    name: String,
    login: String,
    errors: Vec<String>,
}

async fn join_page(
    st: &ConsoleState,
    mut chrome: Chrome,
    token: &str,
    status: StatusCode,
    typed: Option<&Fields>,
    errors: Vec<String>,
) -> Response {
    let open = match st.service.open_invite(token).await {
        Ok(o) => o,
        Err(e) => return refusal(chrome, e),
    };
    let csrf = random_hex();
    chrome.csrf = csrf.clone();
    let v = |k: &str| typed.and_then(|f| f.get(k)).unwrap_or_default().to_owned();
    let view = JoinPage {
        token: token.to_owned(),
        store: open.store_name,
        email: open.email,
        role: chrome.word(&format!("team_role.{}", open.team_role.as_str())),
        expires: local(open.expires_at, &jiff::tz::TimeZone::UTC),
        name: v("name"),
        login: v("login"),
        errors,
        chrome,
    };
    let mut res = render(status, &view);
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, &csrf, false, Some(3600)),
    );
    res
}

pub async fn form(
    State(st): State<ConsoleState>,
    Guest(chrome): Guest,
    Path(token): Path<String>,
) -> Response {
    join_page(&st, chrome, &token, StatusCode::OK, None, vec![]).await
}

pub async fn submit(
    State(st): State<ConsoleState>,
    Guest(chrome): Guest,
    Path(token): Path<String>,
    req: Request,
) -> Response {
    let expected = cookie(req.headers(), LOGIN_CSRF_COOKIE).map(str::to_owned);
    let body = match axum::body::to_bytes(req.into_body(), crate::web::FORM_LIMIT).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response(),
    };
    let f = Fields::parse(&body);
    let token_ok =
        matches!((f.get("csrf_token"), &expected), (Some(t), Some(e)) if same_token(t, e));
    if !token_ok {
        return forged(chrome);
    }
    let j = Joining {
        name: f.get("name").unwrap_or_default().to_owned(),
        login: f.get("login").unwrap_or_default().to_owned(),
        password: f.get("password").unwrap_or_default().to_owned(),
    };
    match st.service.accept_invite(&token, j).await {
        Ok(done) => crate::login::signed_in(&st, &done.cookie),
        Err(ServiceError::Invalid(i)) => {
            let lines =
                i.0.into_iter()
                    .map(|e| format!("{}: {}", e.field, e.message))
                    .collect();
            join_page(
                &st,
                chrome,
                &token,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&f),
                lines,
            )
            .await
        }
        // A login taken meanwhile, or a link spent in another tab: the page again (it
        // turns into the refusal itself when the link is no longer usable).
        Err(ServiceError::Conflict { detail, .. }) => {
            join_page(
                &st,
                chrome,
                &token,
                StatusCode::CONFLICT,
                Some(&f),
                vec![detail],
            )
            .await
        }
        Err(e) => refusal(chrome, e),
    }
}
