//! 周复盘 and 合规指数 in the console: a store's weekly review with its charts, its
//! compliance score with the parts it is made of, and the CSV download; for platform
//! staff without a store, every store's review in one table.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use marketdesk_service::monitoring::ComplianceView;
use marketdesk_service::weekly_review::{self, WeeklyReport};

use crate::ConsoleState;
use crate::charts;
use crate::page::{Chrome, refusal, render};
use crate::session::Signed;
use crate::web::Fields;

#[derive(Template)]
#[template(path = "report_weekly.html")]
struct WeeklyPage {
    chrome: Chrome,
    r: WeeklyReport,
    score: ComplianceView,
    /// (component's word, earned points as text, weight, measured)
    components: Vec<(&'static str, String, u32, String)>,
    /// (reason's word, delists)
    reasons: Vec<(String, i64)>,
    reasons_svg: String,
    trend_svg: String,
    csv_href: String,
    previous_href: String,
    next_href: String,
}

#[derive(Template)]
#[template(path = "report_platform.html")]
struct PlatformPage {
    chrome: Chrome,
    week: String,
    reports: Vec<WeeklyReport>,
    csv_href: String,
}

fn week_href(path: &str, store_id: Option<&str>, week: &str) -> String {
    match store_id {
        Some(s) => format!("{path}?store_id={s}&week={week}"),
        None => format!("{path}?week={week}"),
    }
}

/// The ISO week before or after `week` (`2026-W49`), as the page's links name it.
fn neighbour(week: &str, days: i64) -> String {
    weekly_review::parse_week(Some(week), jiff::civil::date(2026, 1, 1))
        .ok()
        .and_then(|d| d.checked_add(jiff::Span::new().days(days)).ok())
        .map(marketdesk_core::monitoring::schedule::iso_week_name)
        .unwrap_or_else(|| week.to_string())
}

fn query(uri: &Uri) -> (Option<String>, Option<String>) {
    let f = Fields::parse(uri.query().unwrap_or_default().as_bytes());
    (f.text("store_id"), f.text("week"))
}

pub async fn weekly(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    let chrome = s.chrome.clone();
    let (store_id, week) = query(&uri);
    let store_id = store_id.or_else(|| s.actor().store_id.clone());
    let Some(store_id) = store_id else {
        // Platform staff: every store's review.
        return match st
            .service
            .platform_weekly_review(s.actor(), week.as_deref())
            .await
        {
            Ok(reports) => {
                let week = reports.first().map(|r| r.week.clone()).unwrap_or_default();
                let view = PlatformPage {
                    csv_href: week_href("/reports/weekly.csv", None, &week),
                    chrome,
                    week,
                    reports,
                };
                render(StatusCode::OK, &view)
            }
            Err(e) => refusal(chrome, e),
        };
    };
    let loaded = async {
        let r = st
            .service
            .weekly_review(s.actor(), &store_id, week.as_deref())
            .await?;
        let score = st.service.store_compliance(s.actor(), &store_id).await?;
        Ok::<_, marketdesk_service::ServiceError>((r, score))
    };
    let (r, score) = match loaded.await {
        Ok(v) => v,
        Err(e) => return refusal(chrome, e),
    };
    let reason_word = |code: &str| {
        let key = format!("reason.{code}");
        if chrome.lang.has(&key) {
            chrome.lang.text(&key).to_string()
        } else {
            code.to_string()
        }
    };
    let reasons: Vec<(String, i64)> = r
        .delists_by_reason
        .iter()
        .map(|(c, n)| (reason_word(c), *n))
        .collect();
    let reasons_svg = charts::bars(
        chrome.t("reports.chart_reasons"),
        &reasons.iter().map(|(w, _)| w.clone()).collect::<Vec<_>>(),
        &reasons.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
    );
    let trend_svg = charts::line(
        chrome.t("reports.chart_trend"),
        &r.trend
            .iter()
            .map(|t| {
                t.week
                    .split_once('-')
                    .map(|x| x.1)
                    .unwrap_or(&t.week)
                    .to_string()
            })
            .collect::<Vec<_>>(),
        &r.trend
            .iter()
            .map(|t| t.violation_delists)
            .collect::<Vec<_>>(),
    );
    let components = score
        .components
        .iter()
        .map(|c| {
            (
                chrome.t(&format!("reports.component.{}", c.name)),
                format!(
                    "{}.{}",
                    c.earned_milli / 1000,
                    (c.earned_milli % 1000) / 100
                ),
                c.weight,
                c.measured.clone(),
            )
        })
        .collect();
    let view = WeeklyPage {
        csv_href: week_href("/reports/weekly.csv", Some(&r.store_id), &r.week),
        previous_href: week_href(
            "/reports/weekly",
            Some(&r.store_id),
            &neighbour(&r.week, -7),
        ),
        next_href: week_href("/reports/weekly", Some(&r.store_id), &neighbour(&r.week, 7)),
        chrome,
        components,
        reasons,
        reasons_svg,
        trend_svg,
        score,
        r,
    };
    render(StatusCode::OK, &view)
}

/// The same review as a CSV download (one store's, or every store's for staff).
pub async fn weekly_csv(State(st): State<ConsoleState>, s: Signed, uri: Uri) -> Response {
    let (store_id, week) = query(&uri);
    let store_id = store_id.or_else(|| s.actor().store_id.clone());
    let reports = match store_id {
        Some(id) => st
            .service
            .weekly_review(s.actor(), &id, week.as_deref())
            .await
            .map(|r| vec![r]),
        None => {
            st.service
                .platform_weekly_review(s.actor(), week.as_deref())
                .await
        }
    };
    match reports {
        Ok(reports) => {
            let week = reports
                .first()
                .map(|r| r.week.clone())
                .unwrap_or_else(|| "none".into());
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"weekly-review-{week}.csv\""),
                    ),
                ],
                weekly_review::csv(&reports),
            )
                .into_response()
        }
        Err(e) => refusal(s.chrome.clone(), e),
    }
}
