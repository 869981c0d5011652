//! The sandbox clock (`serve --clock manual`), like Stripe's test clocks.

use axum::Json;
use axum::extract::State;
use jiff::{SignedDuration, Span, SpanRelativeTo, Timestamp};
use marketdesk_core::FieldError;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::AppState;
use crate::extract::{Caller, JsonBody};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::views::{ClockBody, ClockView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(move_clock, read_clock))
}

fn invalid(field: &str, message: &str) -> ApiError {
    ApiError(Problem::validation(vec![FieldError {
        field: field.into(),
        message: message.into(),
    }]))
}

fn clock_view(s: &AppState) -> ClockView {
    let mode = if s.service.clock.as_manual().is_some() {
        "manual"
    } else {
        "system"
    };
    ClockView {
        now: s.service.clock.now().to_string(),
        mode: mode.into(),
    }
}

#[utoipa::path(get, path = "/api/v1/admin/clock", tag = "admin", responses((status = 200, body = ClockView)))]
async fn read_clock(State(s): State<AppState>, Caller(_caller): Caller) -> Json<ClockView> {
    Json(clock_view(&s))
}

#[utoipa::path(post, path = "/api/v1/admin/clock", tag = "admin", request_body = ClockBody,
    responses((status = 200, body = ClockView), (status = 409, description = "Not started with --clock manual", body = Problem), (status = 403, body = Problem)))]
async fn move_clock(
    State(s): State<AppState>,
    Caller(actor): Caller,
    JsonBody(b): JsonBody<ClockBody>,
) -> ApiResult<Json<ClockView>> {
    let (to, by) = match (b.advance_by, b.set_to) {
        (Some(d), None) => {
            let span: Span = d.parse().map_err(|_| {
                invalid(
                    "advance_by",
                    "must be an ISO 8601 duration such as PT72H or P3D",
                )
            })?;
            let by: SignedDuration = span
                .to_duration(SpanRelativeTo::days_are_24_hours())
                .map_err(|_| {
                    invalid(
                        "advance_by",
                        "use days, hours, minutes or seconds (no months or years)",
                    )
                })?;
            (None, Some(by))
        }
        (None, Some(t)) => {
            let to: Timestamp = t.parse().map_err(|_| {
                invalid(
                    "set_to",
                    "must be an RFC 3339 instant such as 2026-11-27T15:00:00Z",
                )
            })?;
            (Some(to), None)
        }
        _ => return Err(invalid("body", "give exactly one of advance_by and set_to")),
    };
    s.service.move_sandbox_clock(&actor, to, by).await?;
    Ok(Json(clock_view(&s)))
}
