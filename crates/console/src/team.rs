//! 子账号: the owner's team page — members with their team roles (disable one at once),
//! invitations with their state (withdraw a pending one), and the invitation form. The
//! link of an invitation that could not be e-mailed is shown once, on the answer to the
//! form that made it.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use marketdesk_core::team::TeamRole;
use marketdesk_service::ServiceError;
use marketdesk_service::team::{NewInvite, SentInvite};

use crate::ConsoleState;
use crate::format::local;
use crate::page::{Chrome, fixable, refusal, render};
use crate::products::{Choice, store_zone};
use crate::session::{Signed, signed_form};
use crate::web::{Fields, see_other};

pub struct MemberLine {
    pub id: String,
    pub name: String,
    pub login: String,
    pub email: String,
    pub role: &'static str,
    pub since: String,
    pub disabled: bool,
    pub may_disable: bool,
}

pub struct InviteLine {
    pub id: String,
    pub email: String,
    pub role: &'static str,
    pub sent: String,
    pub expires: String,
    pub state: &'static str,
    pub pending: bool,
}

/// What the last invitation's answer says: sent, or the link to pass on.
pub struct Sent {
    pub email: String,
    pub link: Option<String>,
    pub why: String,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    chrome: Chrome,
    members: Vec<MemberLine>,
    invites: Vec<InviteLine>,
    roles: Vec<Choice>,
    sent: Option<Sent>,
    done: bool,
    errors: Vec<String>,
    typed_email: String,
    hours: String,
}

async fn page(
    st: &ConsoleState,
    s: &Signed,
    status: StatusCode,
    errors: Vec<String>,
    sent: Option<Sent>,
    typed: Option<&Fields>,
) -> Response {
    let chrome = s.chrome.clone();
    let loaded = async {
        let (store_id, tz) = store_zone(s)?;
        Ok::<_, ServiceError>((st.service.team(s.actor(), &store_id).await?, tz))
    };
    let (team, tz) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let me = &s.actor().user_id;
    let members = team
        .members
        .into_iter()
        .map(|m| MemberLine {
            may_disable: m.disabled_at.is_none() && m.team_role != TeamRole::Owner && m.id != *me,
            role: chrome.word(&format!("team_role.{}", m.team_role.as_str())),
            since: local(m.created_at, &tz),
            disabled: m.disabled_at.is_some(),
            login: m.login.unwrap_or_default(),
            email: m.email.unwrap_or_default(),
            id: m.id,
            name: m.name,
        })
        .collect();
    let invites = team
        .invitations
        .into_iter()
        .map(|i| InviteLine {
            role: chrome.word(&format!("team_role.{}", i.team_role.as_str())),
            sent: local(i.created_at, &tz),
            expires: local(i.expires_at, &tz),
            state: chrome.t(&format!("team.state_{}", i.state.as_str())),
            pending: i.state == marketdesk_core::team::InviteState::Pending,
            id: i.id,
            email: i.email,
        })
        .collect();
    let chosen = typed.and_then(|f| f.get("team_role"));
    // The narrowest roles first: an owner is the choice made on purpose, not by default.
    let roles = [
        TeamRole::Operations,
        TeamRole::CustomerService,
        TeamRole::Finance,
        TeamRole::Owner,
    ]
    .iter()
    .map(|r| Choice {
        value: r.as_str(),
        word: chrome.word(&format!("team_role.{}", r.as_str())),
        selected: chosen == Some(r.as_str()),
    })
    .collect();
    let view = TeamPage {
        members,
        invites,
        roles,
        sent,
        done: status == StatusCode::OK && chrome.query.as_deref() == Some("done=1"),
        errors,
        typed_email: typed
            .and_then(|f| f.get("email"))
            .unwrap_or_default()
            .to_owned(),
        hours: marketdesk_core::team::INVITE_HOURS.to_string(),
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed) -> Response {
    page(&st, &s, StatusCode::OK, vec![], None, None).await
}

pub async fn invite(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match signed_form(&s, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let r = async {
        let (store_id, _) = store_zone(&s)?;
        let new = NewInvite {
            email: f.get("email").unwrap_or_default().to_owned(),
            team_role: f.get("team_role").unwrap_or_default().to_owned(),
        };
        st.service.invite_member(s.actor(), &store_id, new).await
    };
    match r.await.map_err(fixable) {
        Ok(SentInvite {
            invitation,
            link,
            not_emailed,
        }) => {
            let sent = Sent {
                email: invitation.email,
                link: not_emailed.is_some().then_some(link),
                why: not_emailed.unwrap_or_default(),
            };
            // Shown on this answer only: the link is nowhere else to be read again.
            page(&st, &s, StatusCode::CREATED, vec![], Some(sent), None).await
        }
        Err(Ok((status, lines))) => page(&st, &s, status, lines, None, Some(&f)).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

async fn outcome(st: &ConsoleState, s: &Signed, r: Result<(), ServiceError>) -> Response {
    match r.map_err(fixable) {
        Ok(()) => see_other("/team?done=1"),
        Err(Ok((status, lines))) => page(st, s, status, lines, None, None).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub async fn revoke(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if let Err(r) = signed_form(&s, req).await {
        return r;
    }
    let r = st.service.revoke_invite(s.actor(), &id).await;
    outcome(&st, &s, r).await
}

pub async fn disable(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    if let Err(r) = signed_form(&s, req).await {
        return r;
    }
    let r = st.service.disable_member(s.actor(), &id).await;
    outcome(&st, &s, r).await
}
