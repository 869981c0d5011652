//! 子账号: the store's owner invites people by an e-mailed link (expiring, used once),
//! gives each a team role, and can disable a member at once. Only the link token's hash
//! is stored; the token itself exists in the e-mail (and, when no SMTP server is set up,
//! on the owner's screen once).

use marketdesk_core::team::{Area, INVITE_HOURS, InviteState, TeamRole, email_address};
use marketdesk_core::{Invalid, Role, credentials, id, validation};
use marketdesk_store::catalog::{self, UserRow};
use marketdesk_store::team::{self, InviteRow, MemberRow};
use marketdesk_store::{notify_settings, sessions};
use serde_json::json;

use crate::accounts::hash_password;
use crate::accounts::hash_token;
use crate::change::Change;
use crate::sessions::{LoggedIn, random_token};
use crate::{Actor, Service, ServiceError, ServiceResult};

/// Invitations listed on the team page, newest first.
const INVITES_SHOWN: i64 = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub login: Option<String>,
    pub email: Option<String>,
    pub team_role: TeamRole,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub email: String,
    pub team_role: TeamRole,
    pub created_at: i64,
    pub expires_at: i64,
    pub state: InviteState,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub members: Vec<Member>,
    pub invitations: Vec<Invitation>,
}

pub struct NewInvite {
    pub email: String,
    pub team_role: String,
}

/// An invitation just made: its link, and whether the e-mail went out.
pub struct SentInvite {
    pub invitation: Invitation,
    pub link: String,
    /// Why the e-mail did not go out (no SMTP server configured, or it refused); the
    /// owner then passes the link on themselves.
    pub not_emailed: Option<String>,
}

/// What the person holding a link sees before joining.
pub struct OpenInvite {
    pub store_name: String,
    pub email: String,
    pub team_role: TeamRole,
    pub expires_at: i64,
}

pub struct Joining {
    pub name: String,
    pub login: String,
    pub password: String,
}

fn member(m: MemberRow) -> ServiceResult<Member> {
    Ok(Member {
        team_role: TeamRole::from_column(m.team_role.as_deref())
            .map_err(|e| anyhow::anyhow!("stored team role: {e}"))?,
        id: m.id,
        name: m.name,
        login: m.login,
        email: m.email,
        created_at: m.created_at,
        disabled_at: m.disabled_at,
    })
}

fn invitation(i: &InviteRow, now: i64) -> ServiceResult<Invitation> {
    Ok(Invitation {
        id: i.id.clone(),
        email: i.email.clone(),
        team_role: i
            .team_role
            .parse()
            .map_err(|e: String| anyhow::anyhow!("stored team role: {e}"))?,
        created_at: i.created_at,
        expires_at: i.expires_at,
        state: InviteState::of(i.accepted_at, i.revoked_at, i.expires_at, now),
    })
}

impl Service {
    pub async fn team(&self, actor: &Actor, store_id: &str) -> ServiceResult<Team> {
        actor.require_area(Area::Team)?;
        let mut c = self.db.reader().await?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        let now = self.now_us();
        let members = team::members(&mut c, &store.id)
            .await?
            .into_iter()
            .map(member)
            .collect::<ServiceResult<_>>()?;
        let invitations = team::invites(&mut c, &store.id, INVITES_SHOWN)
            .await?
            .iter()
            .map(|i| invitation(i, now))
            .collect::<ServiceResult<_>>()?;
        Ok(Team {
            members,
            invitations,
        })
    }

    /// Only the store's owner (or an admin) invites; the link is good for
    /// [`INVITE_HOURS`] and for one use.
    pub async fn invite_member(
        &self,
        actor: &Actor,
        store_id: &str,
        new: NewInvite,
    ) -> ServiceResult<SentInvite> {
        actor.require_area(Area::Team)?;
        if !actor.role.acts_for_store() {
            return Err(ServiceError::Forbidden(
                "only the store's owner invites to its team".into(),
            ));
        }
        let mut errors = Invalid::default();
        let email = email_address(&new.email)
            .map_err(|m| errors.push("email", m))
            .ok();
        let role = new
            .team_role
            .parse::<TeamRole>()
            .map_err(|m| errors.push("team_role", m))
            .ok();
        errors.into_result()?;
        let (email, role) = (email.expect("validated"), role.expect("validated"));
        let mut tx = self.db.begin().await?;
        let store = self.visible_store(&mut tx, actor, store_id).await?;
        let already = team::members(&mut tx, &store.id).await?;
        if already
            .iter()
            .any(|m| m.disabled_at.is_none() && m.email.as_deref() == Some(email.as_str()))
        {
            return Err(Invalid::one("email", "is already a member of this store's team").into());
        }
        let (row, token) = self
            .write_invite(&mut tx, actor, &store.id, &email, role)
            .await?;
        self.commit(tx).await?;
        self.send_invite(&store, &row, &token).await
    }

    /// Writes an invitation (and its event) in the caller's transaction; the caller sends
    /// it with [`Service::send_invite`] once committed.
    pub(crate) async fn write_invite(
        &self,
        tx: &mut sqlx::AnyConnection,
        actor: &Actor,
        store_id: &str,
        email: &str,
        role: TeamRole,
    ) -> ServiceResult<(InviteRow, String)> {
        let token = random_token("mdi_");
        let now = self.now_us();
        let row = InviteRow {
            id: id::new_id(),
            store_id: store_id.into(),
            email: email.into(),
            team_role: role.as_str().into(),
            token_hash: hash_token(&token),
            invited_by: actor.user_id.clone(),
            created_at: now,
            expires_at: now + INVITE_HOURS * 3_600_000_000,
            accepted_at: None,
            user_id: None,
            revoked_at: None,
        };
        team::insert_invite(tx, &row).await?;
        let change = Change::in_store(store_id).event(
            "team.invited",
            &row.id,
            json!({"email": email, "team_role": role.as_str(), "expires_at": crate::instant(row.expires_at)}),
        );
        self.record(tx, actor, change).await?;
        Ok((row, token))
    }

    /// E-mails a committed invitation; the link is answered too, for when mail is down.
    pub(crate) async fn send_invite(
        &self,
        store: &marketdesk_store::catalog::StoreRow,
        row: &InviteRow,
        token: &str,
    ) -> ServiceResult<SentInvite> {
        let role: TeamRole = row
            .team_role
            .parse()
            .map_err(|e: String| anyhow::anyhow!(e))?;
        let link = format!("{}/join/{token}", self.public_url.trim_end_matches('/'));
        let language = marketdesk_core::Language::for_site(Some(&store.site_code));
        let not_emailed = self
            .send_invitation(
                &row.email,
                &store.name,
                role,
                &link,
                row.expires_at,
                language,
            )
            .await
            .err();
        Ok(SentInvite {
            invitation: invitation(row, self.now_us())?,
            link,
            not_emailed,
        })
    }

    pub async fn revoke_invite(&self, actor: &Actor, invite_id: &str) -> ServiceResult<()> {
        actor.require_area(Area::Team)?;
        let mut tx = self.db.begin().await?;
        let not_found = || ServiceError::NotFound(format!("no invitation {invite_id}"));
        let row = match id::parse_id(invite_id) {
            Some(i) => team::invite(&mut tx, &i).await?,
            None => None,
        }
        .filter(|r| actor.can_see_store(&r.store_id))
        .ok_or_else(not_found)?;
        if !team::revoke(&mut tx, &row.id, self.now_us()).await? {
            return Err(ServiceError::conflict(
                "this invitation has already been used or withdrawn",
            ));
        }
        let change = Change::in_store(&row.store_id).event(
            "team.invite_revoked",
            &row.id,
            json!({"email": row.email}),
        );
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Ends a member's access at once: their console sessions in the same transaction,
    /// their API tokens from the next request this process checks (tokens are cached for
    /// up to a minute in other processes).
    pub async fn disable_member(&self, actor: &Actor, user_id: &str) -> ServiceResult<()> {
        actor.require_area(Area::Team)?;
        if actor.user_id == user_id {
            return Err(ServiceError::conflict(
                "you cannot disable your own account",
            ));
        }
        let mut tx = self.db.begin().await?;
        let not_found = || ServiceError::NotFound(format!("no team member {user_id}"));
        let (store_id, m) = match id::parse_id(user_id) {
            Some(u) => team::member(&mut tx, &u).await?,
            None => None,
        }
        .filter(|(s, _)| actor.can_see_store(s))
        .ok_or_else(not_found)?;
        let m = member(m)?;
        if m.team_role == TeamRole::Owner && actor.role == Role::Seller {
            return Err(ServiceError::conflict(
                "an owner is disabled by the platform, not by another owner",
            ));
        }
        if m.disabled_at.is_some() {
            return Err(ServiceError::conflict("this member is already disabled"));
        }
        team::disable(&mut tx, &m.id, self.now_us()).await?;
        let change = Change::in_store(&store_id).event(
            "team.member_disabled",
            &m.id,
            json!({"name": m.name, "team_role": m.team_role.as_str()}),
        );
        self.record(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        self.forget_tokens_of(&m.id).await;
        Ok(())
    }

    /// The invitation a link names, if it can still be used.
    pub async fn open_invite(&self, token: &str) -> ServiceResult<OpenInvite> {
        let mut c = self.db.reader().await?;
        let row = self.usable_invite(&mut c, token).await?;
        let store = catalog::store(&mut c, &row.store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("invitation without a store"))?;
        Ok(OpenInvite {
            store_name: store.name,
            email: row.email.clone(),
            team_role: invitation(&row, self.now_us())?.team_role,
            expires_at: row.expires_at,
        })
    }

    async fn usable_invite(
        &self,
        c: &mut sqlx::AnyConnection,
        token: &str,
    ) -> ServiceResult<InviteRow> {
        let row = team::invite_by_token_hash(c, &hash_token(token.trim()))
            .await?
            .ok_or_else(|| ServiceError::NotFound("no such invitation".into()))?;
        let state = InviteState::of(
            row.accepted_at,
            row.revoked_at,
            row.expires_at,
            self.now_us(),
        );
        match state.refusal() {
            None => Ok(row),
            Some(why) => Err(ServiceError::conflict(why)),
        }
    }

    /// Joins the team: the account (seller of the store, with the invitation's team role
    /// and e-mail), its console login, and a first session — one transaction, and the
    /// link is spent in it (two tabs racing: one joins, the other is refused).
    pub async fn accept_invite(&self, token: &str, j: Joining) -> ServiceResult<LoggedIn> {
        let mut errors = Invalid::default();
        let name = validation::required_text(&mut errors, "name", &j.name, validation::MAX_NAME);
        let login = credentials::login(&mut errors, "login", &j.login);
        credentials::password(&mut errors, "password", &j.password);
        errors.into_result()?;
        let login = login.expect("validated");
        let password_hash = hash_password(&j.password).await?;
        let mut tx = self.db.begin().await?;
        let row = self.usable_invite(&mut tx, token).await?;
        // Joining adds a seller to the store: a change a suspended store does not take.
        let store = catalog::store(&mut tx, &row.store_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound("the store of this invitation is gone".into()))?;
        marketdesk_core::store_standing::may_change(
            Role::Seller,
            marketdesk_core::store_standing::Standing::of(store.suspended_at),
            marketdesk_core::store_standing::Scope::Store,
        )
        .map_err(|m| ServiceError::Suspended(m.into()))?;
        let now = self.now_us();
        let user = UserRow {
            id: id::new_id(),
            name,
            role: Role::Seller.as_str().into(),
            store_id: Some(row.store_id.clone()),
            created_at: now,
            login: Some(login.clone()),
            team_role: Some(row.team_role.clone()),
            disabled_at: None,
            store_suspended_at: None,
            store_suspension_reason: None,
        };
        // Console accounts get an API token too, as every account does; it is not shown.
        catalog::insert_user(&mut tx, &user, &hash_token(&random_token("mdk_"))).await?;
        sessions::set_credentials(&mut tx, &user.id, &login, &password_hash).await?;
        notify_settings::set_contact(&mut tx, &user.id, Some(&row.email), None).await?;
        if !team::mark_accepted(&mut tx, &row.id, &user.id, now).await? {
            return Err(ServiceError::conflict(
                "this invitation has already been used",
            ));
        }
        let cookie = random_token("mds_");
        let csrf = random_token("");
        sessions::insert_session(&mut tx, &hash_token(&cookie), &user.id, &csrf, now).await?;
        let joined = Actor {
            user_id: user.id.clone(),
            role: Role::Seller,
            store_id: Some(row.store_id.clone()),
            team: row.team_role.parse().ok(),
            standing: marketdesk_core::store_standing::Standing::Active,
        };
        let change = Change::in_store(&row.store_id).event(
            "team.joined",
            &user.id,
            json!({"name": user.name, "team_role": row.team_role, "invitation_id": row.id}),
        );
        self.record(&mut tx, &joined, change).await?;
        self.commit(tx).await?;
        let session = self.console_session(&cookie).await?;
        Ok(LoggedIn { cookie, session })
    }
}
