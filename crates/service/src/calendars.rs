//! Site calendars: seeded once from the generated defaults, editable by admins, and
//! the source of every deadline the service sets.

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use marketdesk_core::calendar::{DayKind, SiteCalendar, Span, default_days};
use marketdesk_core::{Invalid, validation};
use marketdesk_store::calendars::{self, DayRow};
use marketdesk_store::catalog;
use sqlx::AnyConnection;

use crate::{Actor, Service, ServiceError, ServiceResult, require_admin};

/// A stored weekend (`sat,sun`) as weekdays.
pub fn parse_weekend(text: &str) -> Vec<Weekday> {
    text.split(',')
        .filter_map(|d| match d.trim() {
            "mon" => Some(Weekday::Monday),
            "tue" => Some(Weekday::Tuesday),
            "wed" => Some(Weekday::Wednesday),
            "thu" => Some(Weekday::Thursday),
            "fri" => Some(Weekday::Friday),
            "sat" => Some(Weekday::Saturday),
            "sun" => Some(Weekday::Sunday),
            _ => None,
        })
        .collect()
}

/// A site's calendar with its dates: what `GET /sites/{code}/calendar` shows.
pub struct CalendarView {
    pub site: String,
    pub time_zone: String,
    pub weekend: String,
    pub days: Vec<DayRow>,
}

impl Service {
    /// Loads the generated holidays of each default site once, on first start.
    pub(crate) async fn seed_calendars(&self, tx: &mut AnyConnection) -> ServiceResult<()> {
        let days = default_days();
        for site in marketdesk_core::site::default_sites() {
            if !calendars::claim_seeding(tx, &site.code).await? {
                continue;
            }
            for d in days.iter().filter(|d| d.site == site.code) {
                let row = DayRow {
                    site_code: d.site.clone(),
                    day: d.date.to_string(),
                    kind: d.kind.as_str().into(),
                    name: d.name.clone(),
                };
                calendars::upsert_day(tx, &row).await?;
            }
        }
        Ok(())
    }

    /// The calendar deadlines of `site_code` are counted on.
    pub(crate) async fn site_calendar(
        &self,
        c: &mut AnyConnection,
        site_code: &str,
    ) -> ServiceResult<SiteCalendar> {
        let site = catalog::site(c, site_code)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no site {site_code}")))?;
        let tz = TimeZone::get(&site.time_zone)
            .map_err(|e| anyhow::anyhow!("site {site_code} zone: {e}"))?;
        let weekend = calendars::weekend(c, site_code)
            .await?
            .unwrap_or_else(|| "sat,sun".into());
        let mut days = Vec::new();
        for d in calendars::days(c, site_code, None, None).await? {
            let date: Date = d
                .day
                .parse()
                .map_err(|e| anyhow::anyhow!("stored day {}: {e}", d.day))?;
            let kind: DayKind = d.kind.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            days.push((date, kind));
        }
        let mut cal = SiteCalendar::new(tz, days);
        cal.weekend = parse_weekend(&weekend);
        Ok(cal)
    }

    /// When a deadline of `span` from `from` falls due on `site_code`'s calendar.
    pub async fn due(
        &self,
        site_code: &str,
        from: Timestamp,
        span: Span,
    ) -> ServiceResult<Timestamp> {
        let due = self.dues(site_code, from, &[span]).await?;
        Ok(due[0])
    }

    /// When each of `spans` from `from` falls due, on one read of the site's calendar
    /// (the take-down form shows every severity's deadline).
    pub async fn dues(
        &self,
        site_code: &str,
        from: Timestamp,
        spans: &[Span],
    ) -> ServiceResult<Vec<Timestamp>> {
        let mut c = self.db.reader().await?;
        let calendar = self.site_calendar(&mut c, site_code).await?;
        let mut out = Vec::with_capacity(spans.len());
        for span in spans {
            out.push(calendar.due(from, *span)?);
        }
        Ok(out)
    }

    pub async fn calendar(
        &self,
        site_code: &str,
        year: Option<i16>,
    ) -> ServiceResult<CalendarView> {
        if year.is_some_and(|y| !(1..=9998).contains(&y)) {
            return Err(Invalid::one("year", "must be between 1 and 9998").into());
        }
        let mut c = self.db.reader().await?;
        let site = catalog::site(&mut c, site_code)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no site {site_code}")))?;
        let (from, to) = match year {
            Some(y) => (
                Some(format!("{y:04}-01-01")),
                Some(format!("{:04}-01-01", y + 1)),
            ),
            None => (None, None),
        };
        let days = calendars::days(&mut c, site_code, from.as_deref(), to.as_deref()).await?;
        let weekend = calendars::weekend(&mut c, site_code)
            .await?
            .unwrap_or_default();
        Ok(CalendarView {
            site: site.code,
            time_zone: site.time_zone,
            weekend,
            days,
        })
    }

    /// Adds or changes a holiday or make-up working day (admins only).
    pub async fn set_calendar_day(
        &self,
        actor: &Actor,
        site_code: &str,
        date: &str,
        kind: &str,
        name: &str,
    ) -> ServiceResult<DayRow> {
        require_admin(actor)?;
        let mut errors = Invalid::default();
        let parsed: Option<Date> = date
            .parse()
            .map_err(|_| errors.push("date", "must be a date such as 2026-12-24"))
            .ok();
        let kind = kind
            .parse::<DayKind>()
            .map_err(|m| errors.push("kind", m))
            .ok();
        let name = validation::required_text(&mut errors, "name", name, validation::MAX_NAME);
        errors.into_result()?;
        let mut tx = self.db.begin().await?;
        if catalog::site(&mut tx, site_code).await?.is_none() {
            return Err(ServiceError::NotFound(format!("no site {site_code}")));
        }
        let row = DayRow {
            site_code: site_code.into(),
            day: parsed.expect("validated").to_string(),
            kind: kind.expect("validated").as_str().into(),
            name,
        };
        let before = calendars::days(
            &mut tx,
            site_code,
            Some(&row.day),
            Some(&format!("{}~", row.day)),
        )
        .await?
        .into_iter()
        .find(|d| d.day == row.day);
        calendars::upsert_day(&mut tx, &row).await?;
        self.commit(tx).await?;
        crate::audit::note(
            &format!("{site_code}/{}", row.day),
            "calendar.day_set",
            before
                .map(|d| serde_json::json!({"kind": d.kind, "name": d.name}))
                .unwrap_or(serde_json::Value::Null),
            serde_json::json!({"kind": row.kind, "name": row.name}),
        );
        Ok(row)
    }

    pub async fn delete_calendar_day(
        &self,
        actor: &Actor,
        site_code: &str,
        date: &str,
    ) -> ServiceResult<()> {
        require_admin(actor)?;
        let mut tx = self.db.begin().await?;
        let before = calendars::days(&mut tx, site_code, Some(date), Some(&format!("{date}~")))
            .await?
            .into_iter()
            .find(|d| d.day == date);
        if !calendars::delete_day(&mut tx, site_code, date).await? {
            return Err(ServiceError::NotFound(format!(
                "{site_code} has no calendar entry on {date}"
            )));
        }
        self.commit(tx).await?;
        crate::audit::note(
            &format!("{site_code}/{date}"),
            "calendar.day_removed",
            before
                .map(|d| serde_json::json!({"kind": d.kind, "name": d.name}))
                .unwrap_or(serde_json::Value::Null),
            serde_json::Value::Null,
        );
        Ok(())
    }
}
