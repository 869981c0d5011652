//! Announcements (公告) to the sellers of some sites.

use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::filter::{Conditions, Param};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct AnnouncementRow {
    pub id: String,
    pub title: String,
    pub body: String,
    /// A JSON array of site codes; empty: every site.
    pub sites: String,
    pub rule_code: Option<String>,
    pub rule_version: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, title, body, sites, rule_code, rule_version, created_by, created_at";

pub async fn insert(c: &mut AnyConnection, a: &AnnouncementRow) -> Result<()> {
    let sql =
        format!("INSERT INTO announcements ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&a.id)
        .bind(&a.title)
        .bind(&a.body)
        .bind(&a.sites)
        .bind(&a.rule_code)
        .bind(a.rule_version)
        .bind(&a.created_by)
        .bind(a.created_at)
        .execute(c)
        .await?;
    Ok(())
}

/// Newest first, below `before_id`; with `site`, only those for every site or naming it
/// (sites are stored as a JSON array of quoted codes).
pub async fn page(
    c: &mut AnyConnection,
    site: Option<&str>,
    before_id: Option<&str>,
    limit: i64,
) -> Result<Vec<AnnouncementRow>> {
    let mut w = Conditions::default();
    if let Some(s) = site {
        w.and(
            "(sites = '[]' OR sites LIKE $?)",
            Param::Text(format!("%\"{s}\"%")),
        );
    }
    if let Some(id) = before_id {
        w.and("id < $?", Param::Text(id.to_string()));
    }
    let limit = w.mark(Param::Int(limit));
    let sql = format!(
        "SELECT {COLUMNS} FROM announcements{} ORDER BY id DESC LIMIT {limit}",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

/// The stores on any of `sites` (every store when empty), for the fan-out to inboxes.
pub async fn stores_on(c: &mut AnyConnection, sites: &[String]) -> Result<Vec<String>> {
    let mut w = Conditions::default();
    if !sites.is_empty() {
        w.any_of("site_code", Some(sites));
    }
    let sql = format!("SELECT id FROM stores{} ORDER BY id", w.clause());
    let rows: Vec<(String,)> = w.fetch_all(c, sql).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
