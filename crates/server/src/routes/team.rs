//! 子账号: a store's team — members, invitations by e-mail, disabling a member.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use marketdesk_service::team::{Invitation, Member, NewInvite};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiResult, Problem};
use crate::views::instant;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_team))
        .routes(routes!(invite))
        .routes(routes!(revoke))
        .routes(routes!(disable))
}

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    pub id: String,
    pub name: String,
    pub login: Option<String>,
    pub email: Option<String>,
    /// owner, operations, customer_service or finance.
    pub team_role: String,
    pub created_at: String,
    pub disabled_at: Option<String>,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> Self {
        MemberView {
            id: m.id,
            name: m.name,
            login: m.login,
            email: m.email,
            team_role: m.team_role.as_str().into(),
            created_at: instant(m.created_at),
            disabled_at: m.disabled_at.map(instant),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub team_role: String,
    pub created_at: String,
    pub expires_at: String,
    /// pending, accepted, revoked or expired.
    pub state: String,
}

impl From<Invitation> for InvitationView {
    fn from(i: Invitation) -> Self {
        InvitationView {
            id: i.id,
            email: i.email,
            team_role: i.team_role.as_str().into(),
            created_at: instant(i.created_at),
            expires_at: instant(i.expires_at),
            state: i.state.as_str().into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TeamView {
    /// Oldest first.
    pub members: Vec<MemberView>,
    /// Newest first, at most 50.
    pub invitations: Vec<InvitationView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    pub email: String,
    /// owner, operations, customer_service or finance.
    pub team_role: String,
}

#[derive(Serialize, ToSchema)]
pub struct SentInviteView {
    pub invitation: InvitationView,
    /// Whether the invitation e-mail went out.
    pub emailed: bool,
    /// Only when it did not: the link, to pass on by other means. It is never shown again.
    pub link: Option<String>,
    /// Why it was not e-mailed.
    pub not_emailed: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/stores/{store_id}/team", tag = "team", params(("store_id" = String, Path)), responses((status = 200, body = TeamView), (status = 403, body = Problem)))]
async fn get_team(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
) -> ApiResult<Json<TeamView>> {
    let t = s.service.team(&a, &store_id).await?;
    Ok(Json(TeamView {
        members: t.members.into_iter().map(Into::into).collect(),
        invitations: t.invitations.into_iter().map(Into::into).collect(),
    }))
}

/// The owner invites someone by e-mail; the link works once, for 72 hours.
#[utoipa::path(post, path = "/api/v1/stores/{store_id}/team/invitations", tag = "team", params(("store_id" = String, Path)), request_body = InviteBody,
    responses((status = 201, body = SentInviteView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn invite(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(store_id): Path<String>,
    JsonBody(b): JsonBody<InviteBody>,
) -> ApiResult<(StatusCode, Json<SentInviteView>)> {
    let new = NewInvite {
        email: b.email,
        team_role: b.team_role,
    };
    let sent = s.service.invite_member(&a, &store_id, new).await?;
    let emailed = sent.not_emailed.is_none();
    Ok((
        StatusCode::CREATED,
        Json(SentInviteView {
            invitation: sent.invitation.into(),
            emailed,
            link: (!emailed).then_some(sent.link),
            not_emailed: sent.not_emailed,
        }),
    ))
}

#[utoipa::path(post, path = "/api/v1/team/invitations/{id}/revoke", tag = "team", params(("id" = String, Path)), responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn revoke(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.service.revoke_invite(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends the member's access at once: sessions, and API tokens.
#[utoipa::path(post, path = "/api/v1/team/members/{id}/disable", tag = "team", params(("id" = String, Path)), responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn disable(
    State(s): State<AppState>,
    Caller(a): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.service.disable_member(&a, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
