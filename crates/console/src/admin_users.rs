//! Accounts (账号) for admins: every account with its role, store and state; create one
//! (with a console login and password, or API-only with a token shown once); disable one
//! (its console sessions end at once and its token is refused from the next request).

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::Uri;
use axum::response::Response;
use marketdesk_service::ServiceError;
use marketdesk_service::accounts::{NewUser, UserQuery};

use crate::ConsoleState;
use crate::page::{Chrome, fixable, refusal, render};
use crate::review::Context;
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::web::{Fields, see_other};

pub struct UserLine {
    pub id: String,
    pub name: String,
    pub login: String,
    pub role: &'static str,
    pub store: String,
    pub disabled: bool,
    pub is_me: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserLine>,
    next: Option<String>,
    errors: Vec<String>,
    roles: Vec<(&'static str, &'static str)>,
    stores: Vec<(String, String)>,
    /// What a new token is for (an account just made, a token replaced) and the token,
    /// shown this once.
    created: Option<(String, String)>,
}

async fn users_page(
    st: &ConsoleState,
    s: &Signed,
    cursor: Option<String>,
    status: StatusCode,
    errors: Vec<String>,
    created: Option<(String, String)>,
) -> Response {
    if let Some(r) = refused(s, Desk::Admin) {
        return r;
    }
    let chrome = s.chrome.clone();
    let loaded = async {
        let cx = Context::load(st, s).await?;
        let q = UserQuery {
            cursor,
            limit: Some(100),
            ..Default::default()
        };
        let (users, next) = st.service.users(s.actor(), q).await?;
        Ok::<_, ServiceError>((cx, users, next))
    };
    let (cx, users, next) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let view = UsersPage {
        users: users
            .into_iter()
            .map(|u| UserLine {
                is_me: u.id == s.actor().user_id,
                role: chrome.t(&format!("role.{}", u.role)),
                store: u
                    .store_id
                    .as_deref()
                    .map(|id| cx.store_name(id))
                    .unwrap_or_default(),
                login: u.login.unwrap_or_default(),
                disabled: u.disabled_at.is_some(),
                name: u.name,
                id: u.id,
            })
            .collect(),
        next: next.map(|c| format!("/admin/users?cursor={c}")),
        errors,
        roles: ["seller", "reviewer", "cs_agent", "admin"]
            .into_iter()
            .map(|r| (r, chrome.t(&format!("role.{r}"))))
            .collect(),
        stores: cx.stores(),
        created,
        chrome,
    };
    render(status, &view)
}

pub async fn list(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    users_page(&st, &s, f.text("cursor"), StatusCode::OK, vec![], None).await
}

pub async fn disable(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if let Err(r) = desk_form(&s, Desk::Admin, req).await {
        return r;
    }
    match st
        .service
        .disable_user(s.actor(), &id)
        .await
        .map_err(fixable)
    {
        Ok(_) => see_other("/admin/users"),
        Err(Ok((status, lines))) => users_page(&st, &s, None, status, lines, None).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

/// Makes an account: with a login, the password is required and the person signs in to
/// the console; either way the API token is shown once, here.
pub async fn create(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let new = NewUser {
        name: f.get("name").unwrap_or_default().to_owned(),
        role: f.text("role").unwrap_or_default(),
        store_id: f.text("store_id"),
        language: f.text("language"),
        login: f.text("login"),
        password: f
            .get("password")
            .filter(|p| !p.is_empty())
            .map(str::to_owned),
    };
    match st
        .service
        .create_user(s.actor(), new)
        .await
        .map_err(fixable)
    {
        Ok(c) => {
            let created = Some((
                s.chrome
                    .fill("admin.created", &[("name", c.user.name.as_str())]),
                c.token,
            ));
            users_page(&st, &s, None, StatusCode::CREATED, vec![], created).await
        }
        Err(Ok((status, lines))) => users_page(&st, &s, None, status, lines, None).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

/// Sets the account's console password; its sessions end.
pub async fn set_password(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = st
        .service
        .reset_password(s.actor(), &id, f.get("password").unwrap_or_default())
        .await;
    match r.map_err(fixable) {
        Ok(()) => see_other("/admin/users"),
        Err(Ok((status, lines))) => users_page(&st, &s, None, status, lines, None).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

/// Revokes the account's API tokens and shows its new one, once.
pub async fn replace_token(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if let Err(r) = desk_form(&s, Desk::Admin, req).await {
        return r;
    }
    match st
        .service
        .replace_token(s.actor(), &id)
        .await
        .map_err(fixable)
    {
        Ok(token) => {
            let shown = Some((s.chrome.t("admin.token_replaced").to_owned(), token));
            users_page(&st, &s, None, StatusCode::OK, vec![], shown).await
        }
        Err(Ok((status, lines))) => users_page(&st, &s, None, status, lines, None).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
