//! Site calendars: time zone and weekend on the site row, dated days in `site_days`.

use sqlx::{AnyConnection, FromRow};

use crate::Result;
use crate::filter::{Conditions, Param};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DayRow {
    pub site_code: String,
    /// `YYYY-MM-DD` in the site's own calendar.
    pub day: String,
    pub kind: String,
    pub name: String,
}

/// Marks the site's calendar as seeded; true only for the first caller, so defaults are
/// loaded once and an admin's later deletions are not undone at the next start.
pub async fn claim_seeding(c: &mut AnyConnection, site_code: &str) -> Result<bool> {
    let r =
        sqlx::query("UPDATE sites SET calendar_seeded = 1 WHERE code = $1 AND calendar_seeded = 0")
            .bind(site_code)
            .execute(c)
            .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn upsert_day(c: &mut AnyConnection, d: &DayRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO site_days (site_code, day, kind, name) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_code, day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
    )
    .bind(&d.site_code)
    .bind(&d.day)
    .bind(&d.kind)
    .bind(&d.name)
    .execute(c)
    .await?;
    Ok(())
}

pub async fn delete_day(c: &mut AnyConnection, site_code: &str, day: &str) -> Result<bool> {
    let r = sqlx::query("DELETE FROM site_days WHERE site_code = $1 AND day = $2")
        .bind(site_code)
        .bind(day)
        .execute(c)
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Days of a site, optionally within `[from, to)` (ISO dates compare as text).
pub async fn days(
    c: &mut AnyConnection,
    site_code: &str,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<DayRow>> {
    let mut w = Conditions::default();
    w.eq("site_code", Some(site_code));
    if let Some(from) = from {
        w.and("day >= $?", Param::Text(from.to_string()));
    }
    if let Some(to) = to {
        w.and("day < $?", Param::Text(to.to_string()));
    }
    let sql = format!(
        "SELECT site_code, day, kind, name FROM site_days{} ORDER BY day",
        w.clause()
    );
    w.fetch_all(c, sql).await
}

pub async fn weekend(c: &mut AnyConnection, site_code: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT weekend FROM sites WHERE code = $1")
            .bind(site_code)
            .fetch_optional(c)
            .await?,
    )
}
