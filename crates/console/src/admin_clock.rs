//! The sandbox clock for admins (`serve --clock manual`): what time it is on every site,
//! and moving it forward by hours or days or to a site's local time. Deadlines that fall
//! due in the jump fire at once, as `POST /api/v1/admin/clock` does.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::SignedDuration;

use marketdesk_service::records::Site;

use crate::ConsoleState;
use crate::format::{local, zone};
use crate::page::{Chrome, fixable, refusal, render};
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::web::{Fields, see_other};

/// The longest single jump the form offers, in days (a year and a bit of sandbox).
const MAX_DAYS: i64 = 400;

#[derive(Template)]
#[template(path = "admin_clock.html")]
struct ClockPage {
    chrome: Chrome,
    manual: bool,
    utc: String,
    sites: Vec<(String, String)>,
    errors: Vec<String>,
}

async fn page(st: &ConsoleState, s: &Signed, status: StatusCode, errors: Vec<String>) -> Response {
    if let Some(r) = refused(s, Desk::Admin) {
        return r;
    }
    let chrome = s.chrome.clone();
    let sites = match st.service.sites().await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let now = st.service.clock.now().as_microsecond();
    let view = ClockPage {
        manual: st.service.clock.as_manual().is_some(),
        utc: local(now, &jiff::tz::TimeZone::UTC),
        sites: sites
            .into_iter()
            .map(|x| {
                let tz = zone(&x.time_zone);
                (x.code, local(now, &tz))
            })
            .collect(),
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed) -> Response {
    page(&st, &s, StatusCode::OK, vec![]).await
}

/// How far forward the form asks to go: a whole number of hours or days, 1 to the cap.
fn jump(f: &Fields) -> Result<SignedDuration, String> {
    let n: i64 = f
        .text("amount")
        .and_then(|a| a.parse().ok())
        .filter(|n| (1..=MAX_DAYS * 24).contains(n))
        .ok_or_else(|| format!("amount: a whole number from 1 to {}", MAX_DAYS * 24))?;
    match f.text("unit").as_deref() {
        Some("hours") => Ok(SignedDuration::from_hours(n)),
        Some("days") if n <= MAX_DAYS => Ok(SignedDuration::from_hours(n * 24)),
        Some("days") => Err(format!("amount: at most {MAX_DAYS} days at once")),
        _ => Err("unit: hours or days".into()),
    }
}

/// The instant a site's local date and time names (`2027-01-11T09:00` in its zone).
fn local_instant(sites: &[Site], f: &Fields) -> Result<jiff::Timestamp, String> {
    let site = f.text("site").unwrap_or_default();
    let tz = sites
        .iter()
        .find(|x| x.code == site)
        .map(|x| zone(&x.time_zone))
        .ok_or_else(|| format!("site: unknown site \"{site}\""))?;
    let civil: jiff::civil::DateTime = f
        .text("at")
        .and_then(|t| t.parse().ok())
        .ok_or("at: a local date and time such as 2027-01-11T09:00")?;
    civil
        .to_zoned(tz)
        .map(|z| z.timestamp())
        .map_err(|e| format!("at: {e}"))
}

pub async fn move_clock(State(st): State<ConsoleState>, s: Signed, req: Request) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let sites = match st.service.sites().await {
        Ok(v) => v,
        Err(e) => return refusal(s.chrome.clone(), e),
    };
    let asked = if f.text("at").is_some() {
        local_instant(&sites, &f).map(|t| (Some(t), None))
    } else {
        jump(&f).map(|d| (None, Some(d)))
    };
    let (to, by) = match asked {
        Ok(v) => v,
        Err(m) => return page(&st, &s, StatusCode::UNPROCESSABLE_ENTITY, vec![m]).await,
    };
    let r = st.service.move_sandbox_clock(s.actor(), to, by).await;
    match r.map_err(fixable) {
        Ok(_) => see_other("/admin/clock"),
        Err(Ok((status, lines))) => page(&st, &s, status, lines).await,
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(s: &str) -> Fields {
        Fields::parse(s.as_bytes())
    }

    #[test]
    fn jumps_are_whole_hours_or_days_within_the_cap() {
        assert_eq!(
            jump(&form("amount=3&unit=days")),
            Ok(SignedDuration::from_hours(72))
        );
        assert_eq!(
            jump(&form("amount=5&unit=hours")),
            Ok(SignedDuration::from_hours(5))
        );
        assert!(jump(&form("amount=0&unit=hours")).is_err());
        assert!(jump(&form("amount=-2&unit=days")).is_err());
        assert!(jump(&form("amount=401&unit=days")).is_err());
        assert!(jump(&form("amount=1.5&unit=days")).is_err());
        assert!(jump(&form("amount=2&unit=weeks")).is_err());
        assert!(jump(&form("unit=days")).is_err());
    }
}
