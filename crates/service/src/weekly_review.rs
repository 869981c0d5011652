//! The weekly review (周复盘): for a store and an ISO week of its site's calendar, the
//! delists by reason, the violation delist rate and its eight-week trend, the relist
//! cycle against seed 000's goal of 3 working days, on-time rates and the compliance
//! score. Everything is read from the monitoring counters (at most 168 hours per metric
//! and store) and short indexed ranges of the week's cases, never by scanning products or
//! the timeline, so a store with a million listings reports as fast as a small one.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use marketdesk_core::Invalid;
use marketdesk_core::monitoring::benchmark::rate_per_100;
use marketdesk_core::monitoring::compliance::RELIST_GOAL_WORKING_DAYS;
use marketdesk_core::monitoring::counters::{self, HOUR_US, hour_of};
use marketdesk_core::monitoring::schedule::{iso_week_name, start_of};
use marketdesk_store::catalog::{self, StoreRow};
use marketdesk_store::compliance_inputs;
use marketdesk_store::monitoring as store_counts;
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::AnyConnection;

use crate::{Actor, Service, ServiceError, ServiceResult};

/// Weeks in the trend, this one included.
pub const TREND_WEEKS: i64 = 8;

#[derive(Debug, Clone, Serialize)]
pub struct WeeklyReport {
    pub store_id: String,
    pub store_name: String,
    pub site_code: String,
    pub time_zone: String,
    /// `2026-W49`.
    pub week: String,
    /// The week's Monday and Sunday, local dates.
    pub from: String,
    pub to: String,
    pub listings: i64,
    /// Delists of every kind by reason code (free text counted under its classified code).
    pub delists_by_reason: Vec<(String, i64)>,
    pub violation_delists: i64,
    /// Violation delists per 100 listings.
    #[serde(with = "rust_decimal::serde::str")]
    pub violation_delist_rate: Decimal,
    /// Oldest first, this week last: (week, violation delists, rate per 100 listings).
    pub trend: Vec<TrendPoint>,
    pub relists: i64,
    /// Mean working days from takedown to relist, to one decimal; none without relists.
    pub relist_cycle_days: Option<String>,
    pub relists_within_goal: i64,
    pub tickets: OnTime,
    pub cases: OnTime,
    pub fulfilment: OnTime,
    pub score: u32,
    pub healthy: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    pub week: String,
    pub violation_delists: i64,
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct OnTime {
    pub due: i64,
    pub on_time: i64,
}

/// A week named `2026-W49`, or the last whole week before `today` when none is named.
pub fn parse_week(week: Option<&str>, today: Date) -> ServiceResult<Date> {
    let Some(w) = week.filter(|w| !w.is_empty()) else {
        let monday = today
            .checked_sub((today.weekday().to_monday_zero_offset() as i64).days())
            .map_err(|e| anyhow::anyhow!(e))?;
        return Ok(monday
            .checked_sub(7.days())
            .map_err(|e| anyhow::anyhow!(e))?);
    };
    let bad = || ServiceError::from(Invalid::one("week", "must be an ISO week such as 2026-W49"));
    let (y, n) = w.split_once("-W").ok_or_else(bad)?;
    let (y, n): (i16, i8) = (y.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    let iso =
        jiff::civil::ISOWeekDate::new(y, n, jiff::civil::Weekday::Monday).map_err(|_| bad())?;
    Ok(iso.date())
}

impl Service {
    /// A store's weekly review for the ISO week starting on `monday` (the store's sellers
    /// and platform staff).
    pub async fn weekly_review(
        &self,
        actor: &Actor,
        store_id: &str,
        week: Option<&str>,
    ) -> ServiceResult<WeeklyReport> {
        let mut c = self.db.reader().await?;
        let store = self.visible_store(&mut c, actor, store_id).await?;
        let tz = self.zone_of(&mut c, &store.site_code).await?;
        let today = self.clock.now().to_zoned(tz.clone()).date();
        let monday = parse_week(week, today)?;
        self.weekly_report(&mut c, &store, &tz, monday).await
    }

    /// The same review for every store (admins and reviewers): the platform's view.
    pub async fn platform_weekly_review(
        &self,
        actor: &Actor,
        week: Option<&str>,
    ) -> ServiceResult<Vec<WeeklyReport>> {
        if !actor.role.is_platform() {
            return Err(ServiceError::Forbidden(
                "the platform's review is for platform staff".into(),
            ));
        }
        let mut c = self.db.reader().await?;
        let mut out = Vec::new();
        for store in self.all_stores(&mut c).await? {
            let tz = self.zone_of(&mut c, &store.site_code).await?;
            let today = self.clock.now().to_zoned(tz.clone()).date();
            let monday = parse_week(week, today)?;
            out.push(self.weekly_report(&mut c, &store, &tz, monday).await?);
        }
        Ok(out)
    }

    pub(crate) async fn zone_of(
        &self,
        c: &mut AnyConnection,
        site_code: &str,
    ) -> ServiceResult<TimeZone> {
        // The zone only: the site's whole calendar is not needed for it.
        let site = catalog::site(c, site_code)
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("no site {site_code}")))?;
        TimeZone::get(&site.time_zone)
            .map_err(|e| anyhow::anyhow!("site {site_code} zone: {e}").into())
    }

    pub(crate) async fn weekly_report(
        &self,
        c: &mut AnyConnection,
        store: &StoreRow,
        tz: &TimeZone,
        monday: Date,
    ) -> ServiceResult<WeeklyReport> {
        let day = |d: Date| -> ServiceResult<Timestamp> {
            start_of(d, tz).ok_or_else(|| anyhow::anyhow!("week out of range").into())
        };
        let next_monday = monday
            .checked_add(7.days())
            .map_err(|e| anyhow::anyhow!(e))?;
        let (from, to) = (day(monday)?, day(next_monday)?);
        let (from_us, to_us) = (from.as_microsecond(), to.as_microsecond());
        let week_counts =
            store_counts::store_counts(c, &store.id, hour_of(from_us), hour_of(to_us)).await?;
        let mut delists_by_reason: Vec<(String, i64)> = Vec::new();
        let mut violation_delists = 0;
        for k in &week_counts {
            if k.metric.starts_with("delist.") {
                match delists_by_reason.iter_mut().find(|(c, _)| *c == k.code) {
                    Some((_, n)) => *n += k.n,
                    None => delists_by_reason.push((k.code.clone(), k.n)),
                }
            }
            if k.metric == counters::DELIST_VIOLATION {
                violation_delists += k.n;
            }
        }
        delists_by_reason.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        // Counts over the week (`to` excluded) and the score as of the week's end.
        let counts = compliance_inputs::counts(c, &store.id, from_us, to_us - 1).await?;
        let listings = counts.listings;
        let first = monday
            .checked_sub(((TREND_WEEKS - 1) * 7).days())
            .map_err(|e| anyhow::anyhow!(e))?;
        let hours = store_counts::store_hours(
            c,
            Some(&store.id),
            counters::DELIST_VIOLATION,
            hour_of(day(first)?.as_microsecond()),
            hour_of(to_us),
        )
        .await?;
        let mut trend = Vec::new();
        for w in 0..TREND_WEEKS {
            let start = first
                .checked_add((w * 7).days())
                .map_err(|e| anyhow::anyhow!(e))?;
            let end = start
                .checked_add(7.days())
                .map_err(|e| anyhow::anyhow!(e))?;
            let (h0, h1) = (
                day(start)?.as_microsecond() / HOUR_US,
                day(end)?.as_microsecond() / HOUR_US,
            );
            let n: i64 = hours
                .iter()
                .filter(|(h, _)| *h >= h0 && *h < h1)
                .map(|(_, n)| n)
                .sum();
            trend.push(TrendPoint {
                week: iso_week_name(start),
                violation_delists: n,
                rate: rate_per_100(n, listings),
            });
        }
        let calendar = self.site_calendar(c, &store.site_code).await?;
        let relists = compliance_inputs::relists(c, &store.id, from_us, to_us - 1).await?;
        let cycles = crate::monitoring::relist_cycles(&calendar, &relists);
        let relist_cycle_days = (!cycles.is_empty()).then(|| {
            (Decimal::from(cycles.iter().sum::<i64>()) / Decimal::from(cycles.len() as i64))
                .round_dp(1)
                .to_string()
        });
        let score = self
            .compliance_on(c, store, &calendar, to.min(self.clock.now()))
            .await?;
        Ok(WeeklyReport {
            store_id: store.id.clone(),
            store_name: store.name.clone(),
            site_code: store.site_code.clone(),
            time_zone: tz.iana_name().unwrap_or("UTC").to_string(),
            week: iso_week_name(monday),
            from: monday.to_string(),
            to: next_monday
                .yesterday()
                .map_err(|e| anyhow::anyhow!(e))?
                .to_string(),
            listings,
            delists_by_reason,
            violation_delists,
            violation_delist_rate: rate_per_100(violation_delists, listings),
            trend,
            relists: cycles.len() as i64,
            relists_within_goal: cycles
                .iter()
                .filter(|d| **d <= RELIST_GOAL_WORKING_DAYS)
                .count() as i64,
            relist_cycle_days,
            tickets: OnTime {
                due: counts.tickets_due,
                on_time: counts.tickets_on_time,
            },
            cases: OnTime {
                due: counts.cases_due,
                on_time: counts.cases_on_time,
            },
            fulfilment: OnTime {
                due: counts.punctual_due,
                on_time: counts.punctual_on_time,
            },
            score: score.score,
            healthy: score.healthy,
        })
    }
}

/// The review as CSV: one `section,key,value` row per figure, so a spreadsheet can pivot
/// several stores' files together.
pub fn csv(reports: &[WeeklyReport]) -> String {
    let mut out = String::from("store_id,week,section,key,value\n");
    let esc = |s: &str| {
        if s.contains([',', '"', '\n']) || s.starts_with(['=', '+', '-', '@']) {
            format!("\"'{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    for r in reports {
        let mut row = |section: &str, key: &str, value: String| {
            out.push_str(&format!(
                "{},{},{},{},{}\n",
                esc(&r.store_id),
                esc(&r.week),
                section,
                esc(key),
                esc(&value)
            ));
        };
        row("summary", "listings", r.listings.to_string());
        row(
            "summary",
            "violation_delists",
            r.violation_delists.to_string(),
        );
        row(
            "summary",
            "violation_delist_rate",
            r.violation_delist_rate.to_string(),
        );
        row("summary", "relists", r.relists.to_string());
        row(
            "summary",
            "relists_within_goal",
            r.relists_within_goal.to_string(),
        );
        row(
            "summary",
            "relist_cycle_days",
            r.relist_cycle_days.clone().unwrap_or_default(),
        );
        row("summary", "compliance_score", r.score.to_string());
        for (name, t) in [
            ("tickets", r.tickets),
            ("aftersales", r.cases),
            ("fulfilment", r.fulfilment),
        ] {
            row("on_time", &format!("{name}_due"), t.due.to_string());
            row("on_time", &format!("{name}_on_time"), t.on_time.to_string());
        }
        for (code, n) in &r.delists_by_reason {
            row("delists_by_reason", code, n.to_string());
        }
        for t in &r.trend {
            row(
                "trend_violation_delists",
                &t.week,
                t.violation_delists.to_string(),
            );
        }
    }
    out
}
