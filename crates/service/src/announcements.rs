//! Announcements (公告): what the platform tells the sellers of some sites — a new,
//! changed or retired rule clause, or a notice an admin writes. Each reaches the inbox of
//! every seller of every store on those sites, through one event per store.

use marketdesk_core::{Invalid, id, validation};
use marketdesk_store::announcements::{self, AnnouncementRow};
use marketdesk_store::rules::RuleRow;
use serde_json::json;
use sqlx::AnyConnection;

use crate::change::Change;
use crate::records::{Announcement, records};
use crate::require_admin;
use crate::rules::{check_sites, json_list};
use crate::{Actor, Service, ServiceError, ServiceResult, paging};

pub const ANNOUNCEMENT_EVENT: &str = "announcement.published";

#[derive(Debug, Clone, Default)]
pub struct NewAnnouncement {
    pub title: String,
    pub body: String,
    /// Site codes; empty: every site.
    pub sites: Vec<String>,
}

pub struct AnnouncementPage {
    pub items: Vec<Announcement>,
    pub next_cursor: Option<String>,
}

impl Service {
    /// Writes the announcement and one event for each store on its sites.
    async fn announce(&self, tx: &mut AnyConnection, a: &AnnouncementRow) -> ServiceResult<()> {
        announcements::insert(tx, a).await?;
        crate::audit::note(
            &a.id,
            ANNOUNCEMENT_EVENT,
            serde_json::Value::Null,
            json!({"title": a.title, "sites": a.sites, "rule_code": a.rule_code, "rule_version": a.rule_version}),
        );
        let sites: Vec<String> = serde_json::from_str(&a.sites).unwrap_or_default();
        let payload = json!({"announcement_id": a.id, "announcement": a.title,
            "rule_code": a.rule_code, "rule_version": a.rule_version});
        for store_id in announcements::stores_on(tx, &sites).await? {
            let change =
                Change::in_store(store_id).event(ANNOUNCEMENT_EVENT, &a.id, payload.clone());
            self.record(tx, &Actor::system(), change).await?;
        }
        Ok(())
    }

    /// The announcement of a clause's new version (added, changed or retired).
    pub(crate) async fn announce_clause(
        &self,
        tx: &mut AnyConnection,
        actor: &Actor,
        rule: &RuleRow,
        title: String,
        body: String,
    ) -> ServiceResult<()> {
        let a = AnnouncementRow {
            id: id::new_id(),
            title,
            body,
            sites: rule.sites.clone(),
            rule_code: Some(rule.code.clone()),
            rule_version: Some(rule.version),
            created_by: actor.user_id.clone(),
            created_at: self.now_us(),
        };
        self.announce(tx, &a).await
    }

    /// An admin's own notice to the sellers of some sites.
    pub async fn publish_announcement(
        &self,
        actor: &Actor,
        new: NewAnnouncement,
    ) -> ServiceResult<Announcement> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let title =
            validation::required_text(&mut errors, "title", &new.title, validation::MAX_TITLE);
        let body = validation::required_text(&mut errors, "body", &new.body, 10_000);
        let mut tx = self.db.begin().await?;
        let sites = check_sites(&mut tx, &mut errors, &new.sites).await?;
        errors.into_result()?;
        let a = AnnouncementRow {
            id: id::new_id(),
            title,
            body,
            sites: json_list(&sites),
            rule_code: None,
            rule_version: None,
            created_by: actor.user_id.clone(),
            created_at: self.now_us(),
        };
        self.announce(&mut tx, &a).await?;
        self.commit(tx).await?;
        Ok(a.into())
    }

    /// Newest first: a seller sees those for their store's site, staff see all.
    pub async fn announcements(
        &self,
        actor: &Actor,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> ServiceResult<AnnouncementPage> {
        let mut errors = Invalid::default();
        let limit = paging::limit(&mut errors, limit);
        let before = paging::cursor(&mut errors, cursor);
        errors.into_result()?;
        let mut c = self.db.reader().await?;
        let site = match (actor.role.bound_to_store(), &actor.store_id) {
            (false, _) => None,
            (true, Some(store_id)) => Some(
                marketdesk_store::catalog::store(&mut c, store_id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("account bound to a missing store"))?
                    .site_code,
            ),
            (true, None) => {
                return Err(ServiceError::Forbidden(
                    "this account is bound to no store".into(),
                ));
            }
        };
        let mut items =
            announcements::page(&mut c, site.as_deref(), before.as_deref(), limit + 1).await?;
        let next_cursor = paging::next(&mut items, limit, |a| &a.id);
        Ok(AnnouncementPage {
            items: records(items),
            next_cursor,
        })
    }
}
