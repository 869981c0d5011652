//! Site calendars (站点日历) for admins: a year view with holidays, make-up working days
//! (调休) and weekends; add or remove a day, and every deadline counted afterwards follows.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::http::Uri;
use axum::response::Response;
use jiff::civil::{Date, Weekday};
use marketdesk_service::ServiceError;

use crate::ConsoleState;
use crate::page::{Chrome, fixable, refusal, render};
use crate::session::Signed;
use crate::staff::{Desk, desk_form, refused};
use crate::web::{Fields, see_other};

/// One day of the year view.
pub struct Cell {
    pub day: i8,
    /// holiday, workday (a make-up working day), weekend, or empty.
    pub class: &'static str,
    /// The kind in words, for readers who do not see the colour.
    pub word: &'static str,
    pub name: String,
}

pub struct Month {
    pub title: String,
    /// Weeks from Monday; None before the 1st and after the last day.
    pub weeks: Vec<Vec<Option<Cell>>>,
}

pub struct Entry {
    pub date: String,
    pub kind: &'static str,
    pub name: String,
}

#[derive(Template)]
#[template(path = "admin_calendars.html")]
struct CalendarPage {
    chrome: Chrome,
    site: String,
    sites: Vec<(String, bool)>,
    year: i16,
    time_zone: String,
    months: Vec<Month>,
    entries: Vec<Entry>,
    weekdays: Vec<&'static str>,
    errors: Vec<String>,
}

fn month(
    chrome: &Chrome,
    year: i16,
    m: i8,
    days: &HashMap<String, (String, String)>,
    weekend: &[Weekday],
) -> Option<Month> {
    let first = Date::new(year, m, 1).ok()?;
    let mut weeks = Vec::new();
    let mut week: Vec<Option<Cell>> = (1..first.weekday().to_monday_one_offset())
        .map(|_| None)
        .collect();
    let mut d = first;
    while d.month() == m && d.year() == year {
        let key = d.to_string();
        let (class, name) = match days.get(&key) {
            Some((kind, name)) if kind == "holiday" => ("holiday", name.clone()),
            Some((_, name)) => ("workday", name.clone()),
            None if weekend.contains(&d.weekday()) => ("weekend", String::new()),
            None => ("", String::new()),
        };
        let word = match class {
            "" => "",
            c => chrome.t(&format!("admin.day_{c}")),
        };
        week.push(Some(Cell {
            day: d.day(),
            class,
            word,
            name,
        }));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        d = match d.tomorrow() {
            Ok(n) => n,
            Err(_) => break,
        };
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push(None);
        }
        weeks.push(week);
    }
    Some(Month {
        title: chrome.t(&format!("month.{m}")).to_owned(),
        weeks,
    })
}

async fn calendar_page(
    st: &ConsoleState,
    s: &Signed,
    site: Option<String>,
    year: Option<i16>,
    status: StatusCode,
    errors: Vec<String>,
) -> Response {
    if let Some(r) = refused(s, Desk::Admin) {
        return r;
    }
    let chrome = s.chrome.clone();
    let site = site.unwrap_or_else(|| "CN".into()).to_uppercase();
    let year = year.unwrap_or_else(|| {
        st.service
            .clock
            .now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .year()
    });
    let loaded = async {
        let sites = st.service.sites().await?;
        let cal = st.service.calendar(&site, Some(year)).await?;
        Ok::<_, ServiceError>((sites, cal))
    };
    let (sites, cal) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let days: HashMap<String, (String, String)> = cal
        .days
        .iter()
        .map(|d| (d.day.clone(), (d.kind.clone(), d.name.clone())))
        .collect();
    let weekend = marketdesk_service::calendars::parse_weekend(&cal.weekend);
    let view = CalendarPage {
        months: (1..=12)
            .filter_map(|m| month(&chrome, year, m, &days, &weekend))
            .collect(),
        entries: cal
            .days
            .iter()
            .map(|d| Entry {
                date: d.day.clone(),
                kind: chrome.t(&format!("calendar.{}", d.kind)),
                name: d.name.clone(),
            })
            .collect(),
        sites: sites
            .into_iter()
            .map(|x| {
                let on = x.code == site;
                (x.code, on)
            })
            .collect(),
        weekdays: (1..=7).map(|d| chrome.t(&format!("weekday.{d}"))).collect(),
        time_zone: cal.time_zone,
        site,
        year,
        errors,
        chrome,
    };
    render(status, &view)
}

pub async fn show(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    let year = match f.text("year").map(|y| y.parse::<i16>()) {
        Some(Ok(y)) if (1900..=2100).contains(&y) => Some(y),
        Some(_) => {
            let line = "year: must be a year between 1900 and 2100".to_string();
            return calendar_page(
                &st,
                &s,
                f.text("site"),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![line],
            )
            .await;
        }
        None => None,
    };
    calendar_page(&st, &s, f.text("site"), year, StatusCode::OK, vec![]).await
}

fn year_of(date: &str) -> Option<i16> {
    date.get(..4).and_then(|y| y.parse().ok())
}

pub async fn set_day(
    State(st): State<ConsoleState>,
    s: Signed,
    Path(site): Path<String>,
    req: Request,
) -> Response {
    let f = match desk_form(&s, Desk::Admin, req).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let date = f.text("date").unwrap_or_default();
    let r = st
        .service
        .set_calendar_day(
            s.actor(),
            &site,
            &date,
            f.get("kind").unwrap_or_default(),
            f.get("name").unwrap_or_default(),
        )
        .await;
    match r.map_err(fixable) {
        Ok(d) => see_other(&format!(
            "/admin/calendars?site={site}&year={}",
            year_of(&d.day).unwrap_or_default()
        )),
        Err(Ok((status, lines))) => {
            calendar_page(&st, &s, Some(site), year_of(&date), status, lines).await
        }
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}

pub async fn remove_day(
    State(st): State<ConsoleState>,
    s: Signed,
    Path((site, date)): Path<(String, String)>,
    req: Request,
) -> Response {
    if let Err(r) = desk_form(&s, Desk::Admin, req).await {
        return r;
    }
    match st
        .service
        .delete_calendar_day(s.actor(), &site, &date)
        .await
        .map_err(fixable)
    {
        Ok(()) => see_other(&format!(
            "/admin/calendars?site={site}&year={}",
            year_of(&date).unwrap_or(2026)
        )),
        Err(Ok((status, lines))) => {
            calendar_page(&st, &s, Some(site), year_of(&date), status, lines).await
        }
        Err(Err(e)) => refusal(s.chrome.clone(), e),
    }
}
