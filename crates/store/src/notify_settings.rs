//! Who can be reached how: contact details, channel preferences and quiet hours, and the
//! admin's overrides of the notification rule table.

use sqlx::{AnyConnection, FromRow};

use crate::Result;

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct PrefsRow {
    pub user_id: String,
    pub email_enabled: i64,
    pub sms_enabled: i64,
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    pub time_zone: String,
    pub updated_at: i64,
}

/// A person an event may reach, with everything the dispatcher needs to decide how.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct ContactRow {
    pub id: String,
    pub role: String,
    /// 1 for the store's owners (team role owner, or its first seller account).
    pub is_owner: i64,
    /// A seller's team role; NULL: an account older than teams (an owner).
    pub team_role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The store's site zone, for users bound to a store.
    pub site_time_zone: Option<String>,
    pub email_enabled: Option<i64>,
    pub sms_enabled: Option<i64>,
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    pub time_zone: Option<String>,
    /// The person's chosen language, if any, and their store's site (for the default).
    pub language: Option<String>,
    pub site_code: Option<String>,
}

/// The sellers of a store and/or all reviewers, with their contact details.
pub async fn contacts(
    c: &mut AnyConnection,
    store_id: &str,
    sellers: bool,
    reviewers: bool,
) -> Result<Vec<ContactRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.role,
                CASE WHEN u.role = 'seller' AND (u.team_role = 'owner'
                       OR u.id = (SELECT min(o.id) FROM users o WHERE o.role = 'seller' AND o.store_id = u.store_id))
                     THEN 1 ELSE 0 END AS is_owner, u.team_role,
                u.email, u.phone, si.time_zone AS site_time_zone,
                p.email_enabled, p.sms_enabled, p.quiet_start, p.quiet_end, p.time_zone,
                u.language, st.site_code
         FROM users u
         LEFT JOIN stores st ON st.id = u.store_id
         LEFT JOIN sites si ON si.code = st.site_code
         LEFT JOIN notification_prefs p ON p.user_id = u.id
         WHERE u.disabled_at IS NULL
           AND (($1 = 1 AND u.role = 'seller' AND u.store_id = $2) OR ($3 = 1 AND u.role = 'reviewer'))
         ORDER BY u.id",
    )
    .bind(i64::from(sellers))
    .bind(store_id)
    .bind(i64::from(reviewers))
    .fetch_all(c)
    .await?)
}

pub async fn contact(c: &mut AnyConnection, user_id: &str) -> Result<Option<ContactRow>> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.role, 0 AS is_owner, u.team_role, u.email, u.phone, si.time_zone AS site_time_zone,
                p.email_enabled, p.sms_enabled, p.quiet_start, p.quiet_end, p.time_zone,
                u.language, st.site_code
         FROM users u
         LEFT JOIN stores st ON st.id = u.store_id
         LEFT JOIN sites si ON si.code = st.site_code
         LEFT JOIN notification_prefs p ON p.user_id = u.id
         WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(c)
    .await?)
}

pub async fn set_language(c: &mut AnyConnection, user_id: &str, language: &str) -> Result<()> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
        .bind(language)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn set_contact(
    c: &mut AnyConnection,
    user_id: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE users SET email = $1, phone = $2 WHERE id = $3")
        .bind(email)
        .bind(phone)
        .bind(user_id)
        .execute(c)
        .await?;
    Ok(())
}

pub async fn upsert_prefs(c: &mut AnyConnection, p: &PrefsRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO notification_prefs (user_id, email_enabled, sms_enabled, quiet_start, quiet_end, time_zone, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET email_enabled = excluded.email_enabled, sms_enabled = excluded.sms_enabled,
           quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, time_zone = excluded.time_zone,
           updated_at = excluded.updated_at",
    )
    .bind(&p.user_id)
    .bind(p.email_enabled)
    .bind(p.sms_enabled)
    .bind(&p.quiet_start)
    .bind(&p.quiet_end)
    .bind(&p.time_zone)
    .bind(p.updated_at)
    .execute(c)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct RuleRow {
    pub event_type: String,
    pub severity: String,
    pub to_owner: i64,
    pub to_staff: i64,
    pub to_reviewers: i64,
    /// Comma-separated channel names.
    pub channels: String,
    pub updated_at: i64,
}

pub async fn rule_overrides(c: &mut AnyConnection) -> Result<Vec<RuleRow>> {
    Ok(sqlx::query_as(
        "SELECT event_type, severity, to_owner, to_staff, to_reviewers, channels, updated_at
         FROM notification_rules ORDER BY event_type",
    )
    .fetch_all(c)
    .await?)
}

pub async fn upsert_rule(c: &mut AnyConnection, r: &RuleRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO notification_rules (event_type, severity, to_owner, to_staff, to_reviewers, channels, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (event_type) DO UPDATE SET severity = excluded.severity, to_owner = excluded.to_owner,
           to_staff = excluded.to_staff, to_reviewers = excluded.to_reviewers, channels = excluded.channels,
           updated_at = excluded.updated_at",
    )
    .bind(&r.event_type)
    .bind(&r.severity)
    .bind(r.to_owner)
    .bind(r.to_staff)
    .bind(r.to_reviewers)
    .bind(&r.channels)
    .bind(r.updated_at)
    .execute(c)
    .await?;
    Ok(())
}

/// Whether the user has read every inbox message of this event (an acknowledgement
/// stops the escalation of a red alert). False when there is no message at all.
pub async fn acknowledged(c: &mut AnyConnection, event_id: &str, user_id: &str) -> Result<bool> {
    let read: Option<Option<i64>> =
        sqlx::query_scalar("SELECT read_at FROM inbox WHERE event_id = $1 AND user_id = $2")
            .bind(event_id)
            .bind(user_id)
            .fetch_optional(c)
            .await?;
    Ok(matches!(read, Some(Some(_))))
}
