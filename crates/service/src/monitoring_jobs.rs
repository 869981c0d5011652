//! The daily inspection (日巡检) and the weekly review (周复盘) as durable deadlines, one
//! pending run of each per store, so they run at the right local time on the sandbox
//! clock too, fire once when a run was missed while nothing ran, and are shared between
//! processes like every other deadline. Each run schedules the next.

use jiff::Timestamp;
use jiff::ToSpan;
use marketdesk_core::deadline::{DeadlineKind, DeadlineState};
use marketdesk_core::monitoring::schedule::{self, DAILY_AT, WEEKLY_AT};
use marketdesk_store::catalog::{self, StoreRow};
use marketdesk_store::deadlines::{self, DeadlineRow, StoredKind};
use marketdesk_store::inspection;
use serde_json::json;
use sqlx::AnyConnection;

use crate::change::Change;
use crate::weekly_review::parse_week;
use crate::{Actor, Service, ServiceResult};

pub const DAILY_EVENT: &str = "monitoring.daily_inspection";
pub const WEEKLY_EVENT: &str = "monitoring.weekly_review";

fn next_run(kind: DeadlineKind, now: Timestamp, tz: &jiff::tz::TimeZone) -> Option<Timestamp> {
    match kind {
        DeadlineKind::WeeklyReview => schedule::next_weekly(now, tz, WEEKLY_AT),
        _ => schedule::next_daily(now, tz, DAILY_AT),
    }
}

impl Service {
    /// Gives every store without one its next daily and weekly run; returns how many were
    /// scheduled. Run at start and after a store is created.
    pub async fn ensure_monitoring_schedules(&self) -> ServiceResult<usize> {
        let mut tx = self.db.begin().await?;
        let stores = catalog::stores(&mut tx, None).await?;
        let now = self.clock.now();
        let mut added = 0;
        for kind in [DeadlineKind::DailyInspection, DeadlineKind::WeeklyReview] {
            let have = deadlines::pending_subjects(&mut tx, kind).await?;
            for store in stores.iter().filter(|s| !have.contains(&s.id)) {
                let tz = self.zone_of(&mut tx, &store.site_code).await?;
                let Some(at) = next_run(kind, now, &tz) else {
                    continue;
                };
                // Named by what it is, so two processes starting together schedule it once.
                deadlines::insert_once(
                    &mut tx,
                    &DeadlineRow {
                        id: format!("{}:{}:{}", kind.as_str(), store.id, at.as_microsecond()),
                        store_id: store.id.clone(),
                        kind: StoredKind::Known(kind),
                        subject_id: store.id.clone(),
                        due_at: at.as_microsecond(),
                        state: DeadlineState::Pending,
                        created_at: now.as_microsecond(),
                        fired_at: None,
                        fired_by: None,
                    },
                )
                .await?;
                added += 1;
            }
        }
        self.commit(tx).await?;
        Ok(added)
    }

    /// The store a run is for, its site's zone and the time of the run.
    async fn job_context(
        &self,
        tx: &mut AnyConnection,
        store_id: &str,
    ) -> ServiceResult<(StoreRow, jiff::tz::TimeZone, Timestamp)> {
        let store = catalog::store(tx, store_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("monitoring run for a missing store {store_id}"))?;
        let tz = self.zone_of(tx, &store.site_code).await?;
        Ok((store, tz, self.clock.now()))
    }

    /// The morning's list: what is due today or overdue, and the day's score, to the
    /// store's inbox and e-mail; then tomorrow's run.
    pub(crate) async fn daily_inspection(
        &self,
        tx: &mut AnyConnection,
        store_id: &str,
    ) -> ServiceResult<()> {
        let (store, tz, now) = self.job_context(tx, store_id).await?;
        let today = now.to_zoned(tz.clone()).date();
        let until = today
            .checked_add(1.day())
            .ok()
            .and_then(|d| schedule::start_of(d, &tz))
            .ok_or_else(|| anyhow::anyhow!("date out of range"))?;
        let items = inspection::due_items(tx, &store.id, until.as_microsecond() - 1).await?;
        let score = self
            .record_compliance(tx, &store, &today.to_string(), now)
            .await?;
        let now_us = now.as_microsecond();
        let listed: Vec<serde_json::Value> = items
            .iter()
            .map(|i| {
                json!({
                    "kind": i.kind,
                    "subject_id": i.subject_id,
                    "about": i.about,
                    "due_at": i.due_at.map(crate::instant),
                    "overdue": i.due_at.is_some_and(|d| d < now_us),
                })
            })
            .collect();
        // A day with nothing due sends nothing: a list that is empty every morning
        // teaches people to stop reading it.
        let mut change = Change::in_store(&store.id);
        if !listed.is_empty() {
            change = change.event(
                DAILY_EVENT,
                &store.id,
                json!({"day": today.to_string(), "items": listed, "score": score.score, "healthy": score.healthy}),
            );
        }
        if let Some(next) = next_run(DeadlineKind::DailyInspection, now, &tz) {
            change = change.deadline(
                DeadlineKind::DailyInspection,
                &store.id,
                next.as_microsecond(),
            );
        }
        self.record(tx, &Actor::system(), change).await
    }

    /// Monday's review of the week that ended, to the store's inbox and e-mail (the page
    /// and the CSV are one link away); then next Monday's run.
    pub(crate) async fn weekly_review_run(
        &self,
        tx: &mut AnyConnection,
        store_id: &str,
    ) -> ServiceResult<()> {
        let (store, tz, now) = self.job_context(tx, store_id).await?;
        let monday = parse_week(None, now.to_zoned(tz.clone()).date())?;
        let r = self.weekly_report(tx, &store, &tz, monday).await?;
        let link = format!(
            "{}/reports/weekly?store_id={}&week={}",
            self.public_url, store.id, r.week
        );
        let mut change = Change::in_store(&store.id).event(
            WEEKLY_EVENT,
            &store.id,
            json!({
                "week": r.week, "from": r.from, "to": r.to,
                "violation_delists": r.violation_delists,
                "violation_delist_rate": r.violation_delist_rate.to_string(),
                "delists_by_reason": r.delists_by_reason,
                "relists": r.relists, "relist_cycle_days": r.relist_cycle_days,
                "relists_within_goal": r.relists_within_goal,
                "tickets_on_time": format!("{}/{}", r.tickets.on_time, r.tickets.due),
                "aftersales_on_time": format!("{}/{}", r.cases.on_time, r.cases.due),
                "fulfilment_on_time": format!("{}/{}", r.fulfilment.on_time, r.fulfilment.due),
                "score": r.score, "healthy": r.healthy,
                "report_url": link,
            }),
        );
        if let Some(next) = next_run(DeadlineKind::WeeklyReview, now, &tz) {
            change = change.deadline(DeadlineKind::WeeklyReview, &store.id, next.as_microsecond());
        }
        self.record(tx, &Actor::system(), change).await
    }
}

/// The lines of a daily inspection or weekly review message, in `language`, instants in
/// the reader's zone: one per due item, or the review's figures.
pub(crate) fn message_lines(
    event_type: &str,
    v: &serde_json::Value,
    tz: &jiff::tz::TimeZone,
    language: marketdesk_core::Language,
) -> Vec<(String, String)> {
    let s = |k: &str| match v.get(k) {
        Some(serde_json::Value::String(x)) => x.clone(),
        Some(serde_json::Value::Null) | None => "-".into(),
        Some(other) => other.to_string(),
    };
    let mut out = Vec::new();
    match event_type {
        DAILY_EVENT => {
            out.push((language.text("inspection.day").into(), s("day")));
            out.push((language.text("inspection.score").into(), s("score")));
            let items = v
                .get("items")
                .and_then(|i| i.as_array())
                .cloned()
                .unwrap_or_default();
            if items.is_empty() {
                out.push((
                    language.text("inspection.items").into(),
                    language.text("inspection.nothing").into(),
                ));
            }
            for i in items {
                let get = |k: &str| i.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
                let kind = language.text(&format!("inspection.kind.{}", get("kind")));
                let due = i
                    .get("due_at")
                    .and_then(|d| d.as_str())
                    .and_then(|d| d.parse::<Timestamp>().ok())
                    .map(|t| {
                        t.to_zoned(tz.clone())
                            .strftime("%Y-%m-%d %H:%M")
                            .to_string()
                    });
                let overdue = i.get("overdue").and_then(|o| o.as_bool()).unwrap_or(false);
                let value = match (due, overdue) {
                    (Some(d), true) => language.fill(
                        "inspection.item_overdue",
                        &[("about", &get("about")), ("due", &d)],
                    ),
                    (Some(d), false) => language.fill(
                        "inspection.item_due",
                        &[("about", &get("about")), ("due", &d)],
                    ),
                    (None, _) => get("about"),
                };
                out.push((kind.into(), value));
            }
        }
        WEEKLY_EVENT => {
            for key in [
                "week",
                "violation_delists",
                "violation_delist_rate",
                "relists",
                "relist_cycle_days",
                "relists_within_goal",
                "tickets_on_time",
                "aftersales_on_time",
                "fulfilment_on_time",
                "score",
            ] {
                out.push((language.text(&format!("weekly.{key}")).into(), s(key)));
            }
            if let Some(reasons) = v.get("delists_by_reason").and_then(|r| r.as_array()) {
                for pair in reasons {
                    let code = pair.get(0).and_then(|c| c.as_str()).unwrap_or("");
                    let n = pair.get(1).map(|n| n.to_string()).unwrap_or_default();
                    let key = format!("reason.{code}");
                    let name = if language.has(&key) {
                        language.text(&key)
                    } else {
                        code
                    };
                    out.push((language.fill("weekly.delists_of", &[("reason", name)]), n));
                }
            }
            out.push((language.text("weekly.report_url").into(), s("report_url")));
        }
        _ => {}
    }
    out
}
