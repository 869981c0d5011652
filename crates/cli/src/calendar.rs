//! `marketdesk calendar due` (the server's own deadline function) and `marketdesk clock`.

use std::sync::Arc;

use clap::Subcommand;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, SpanRelativeTo, Timestamp};
use marketdesk_core::calendar::{SiteCalendar, Span as Deadline};
use marketdesk_core::site::default_sites;
use marketdesk_service::{ManualClock, SystemClock};

use crate::DataArgs;
use crate::serve::{Announce, open_bootstrapped};

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Print when a deadline falls due, as an RFC 3339 instant in UTC.
    Due {
        /// Site code: US, UK, DE, FR, ES, IT, CN (or one an admin added).
        #[arg(long)]
        site: String,
        /// Start instant, RFC 3339.
        #[arg(long)]
        from: String,
        #[arg(long, group = "span")]
        business_days: Option<u32>,
        #[arg(long, group = "span")]
        hours: Option<i64>,
        #[arg(long, group = "span")]
        calendar_days: Option<i64>,
        /// Use this database's calendars (with admins' edits) instead of the built-in
        /// defaults. Implied when --data-dir names an existing folder.
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand)]
pub enum ClockCommand {
    /// Move the sandbox clock forward by an ISO 8601 duration (PT72H, P3D).
    Advance {
        by: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Show the sandbox clock.
    Show {
        #[command(flatten)]
        data: DataArgs,
    },
}

pub async fn calendar(c: CalendarCommand) -> anyhow::Result<()> {
    let CalendarCommand::Due {
        site,
        from,
        business_days,
        hours,
        calendar_days,
        data,
    } = c;
    let from: Timestamp = from.parse().map_err(|_| {
        anyhow::anyhow!("--from must be an RFC 3339 instant such as 2026-11-25T15:00:00Z")
    })?;
    let span = Deadline::parse(business_days, hours, calendar_days)
        .map_err(|m| anyhow::anyhow!("{m} (--business-days, --hours or --calendar-days)"))?;
    let use_database = data.database_url.is_some() || data.data_dir.is_dir();
    let due = if use_database {
        open_bootstrapped(&data, Arc::new(SystemClock), Announce::Stderr)
            .await?
            .due(&site, from, span)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?
    } else {
        let known = default_sites();
        let s = known.iter().find(|s| s.code == site).ok_or_else(|| {
            let codes: Vec<&str> = known.iter().map(|s| s.code.as_str()).collect();
            anyhow::anyhow!("unknown site {site}; known: {}", codes.join(", "))
        })?;
        SiteCalendar::default_for(&s.code, TimeZone::get(&s.time_zone)?).due(from, span)?
    };
    println!("{due}");
    Ok(())
}

pub async fn clock(c: ClockCommand) -> anyhow::Result<()> {
    let (data, by) = match c {
        ClockCommand::Advance { by, data } => (data, Some(by)),
        ClockCommand::Show { data } => (data, None),
    };
    let start = Timestamp::now();
    let service =
        open_bootstrapped(&data, Arc::new(ManualClock::new(start)), Announce::Stderr).await?;
    // Adopt the stored sandbox time (if any) before moving it.
    service
        .sync_sandbox_clock()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = match by {
        Some(by) => {
            let span: Span = by.parse().map_err(|_| {
                anyhow::anyhow!("{by}: not an ISO 8601 duration such as PT72H or P3D")
            })?;
            let d: SignedDuration = span.to_duration(SpanRelativeTo::days_are_24_hours())?;
            // Moving the clock here fires nothing: the servers' workers fire what fell due.
            let manual = service.clock.as_manual().expect("manual clock");
            let now = manual.advance(d).map_err(|m| anyhow::anyhow!(m))?;
            service
                .sync_sandbox_clock()
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            now
        }
        None => service.clock.now(),
    };
    println!("{now}");
    Ok(())
}
