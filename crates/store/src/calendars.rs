//! Site calendars: time zone and weekend on the site row, dated days in `site_days`.

use sqlx::{AnyConnection, FromRow};

use crate::Result;

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
    Ok(sqlx::query_as(
        "SELECT site_code, day, kind, name FROM site_days
         WHERE site_code = $1 AND ($2 IS NULL OR day >= $2) AND ($3 IS NULL OR day < $3) ORDER BY day",
    )
    .bind(site_code)
    .bind(from)
    .bind(to)
    .fetch_all(c)
    .await?)
}

pub async fn weekend(c: &mut AnyConnection, site_code: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT weekend FROM sites WHERE code = $1")
            .bind(site_code)
            .fetch_optional(c)
            .await?,
    )
}
