//! Who hears of an event, how urgently, on which channels and when (多通道通知体系). Pure:
//! the dispatcher asks, then writes.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

use crate::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    /// Violation takedowns and overdue rectifications: escalated, never held back.
    Red,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Red => "red",
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "red" => Ok(Severity::Red),
            _ => Err(format!("\"{s}\" is not one of info, warning, red")),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A channel a rule can name for people. Webhooks are for systems and go by subscription;
/// voice calls only ever accompany a red alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    Inbox,
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Inbox, Channel::Email, Channel::Sms];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Inbox => "inbox",
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }
}

impl FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("\"{s}\" is not one of inbox, email, sms"))
    }
}

names!(DeliveryChannel {
    Email => "email",
    Sms => "sms",
    Voice => "voice",
    Webhook => "webhook",
});

names!(DeliveryState {
    Pending => "pending",
    Delivered => "delivered",
    Dead => "dead",
    Cancelled => "cancelled",
});

/// Which events reach whom, how urgently and on which channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub severity: Severity,
    /// The store's owner (its first seller account).
    pub owner: bool,
    /// The store's other seller accounts.
    pub staff: bool,
    /// The platform's reviewers.
    pub reviewers: bool,
    /// Sorted, without repeats.
    pub channels: Vec<Channel>,
}

impl Rule {
    fn new(severity: Severity, owner: bool, staff: bool, reviewers: bool) -> Rule {
        // Red reaches people wherever they are; the rest waits in the inbox and the mail.
        let channels = match severity {
            Severity::Red => vec![Channel::Inbox, Channel::Email, Channel::Sms],
            Severity::Warning => vec![Channel::Inbox, Channel::Email],
            Severity::Info => vec![Channel::Inbox],
        };
        Rule {
            severity,
            owner,
            staff,
            reviewers,
            channels,
        }
    }

    fn with(mut self, channel: Channel) -> Rule {
        if !self.has(channel) {
            self.channels.push(channel);
            self.channels.sort();
        }
        self
    }

    pub fn has(&self, channel: Channel) -> bool {
        self.channels.contains(&channel)
    }
}

/// The event types people can be told about; an admin may override each one's rule.
pub const EVENT_TYPES: &[&str] = &[
    "product.violation_delisted",
    "violation.opened",
    "violation.overdue",
    "violation.review_overdue",
    "product.review_requested",
    "product.protective_delisted",
    "stock.low",
    "product.delisted",
    "product.review_approved",
    "product.review_rejected",
    "product.relisted",
    "stock.recovered",
    "violation.appealed",
    "ticket.opened",
    "ticket.waived",
    "aftersales.opened",
    "aftersales.approved_on_timeout",
    "aftersales.label_missed",
    "reshipment.requested",
    "reshipment.rejected_on_timeout",
    "announcement.published",
    "store.suspended",
    "store.reinstated",
    "affiliate.exit_scheduled",
    "affiliate.exit_done",
    "affiliate.buyer_notice",
    "product.buyer_notice",
    "affiliate.exit_cancelled",
    "affiliate.product_left",
    "fully_managed.jit_received",
    "fully_managed.jit_line_overdue",
    "fully_managed.application_submitted",
    "fully_managed.application_message",
    "fully_managed.application_decided",
    "fully_managed.application_overdue",
    "fully_managed.store_opened",
    "fully_managed.jit_overdue",
    "deposit.refund_requested",
    "deposit.refund_decided",
    "deposit.refund_paid",
    "deposit.refund_overdue",
    "deposit.deducted",
    "monitoring.daily_inspection",
    "monitoring.weekly_review",
];

/// The built-in rule table. Events not listed reach no person (integrators still get
/// them by webhook).
pub fn default_rule(event_type: &str) -> Option<Rule> {
    let (t, f) = (true, false);
    Some(match event_type {
        "product.violation_delisted" | "violation.opened" => Rule::new(Severity::Red, t, t, f),
        "violation.overdue" => Rule::new(Severity::Red, t, t, t),
        "violation.review_overdue" => Rule::new(Severity::Warning, f, f, t),
        "product.review_requested" | "violation.appealed" => Rule::new(Severity::Info, f, f, t),
        "product.protective_delisted" | "stock.low" => Rule::new(Severity::Warning, t, t, f),
        // A colleague's delisting: the rest of the store's team should know, and every
        // delist notice goes by e-mail as well as the inbox.
        "product.delisted" => Rule::new(Severity::Info, t, t, f).with(Channel::Email),
        "product.review_approved"
        | "product.review_rejected"
        | "product.relisted"
        | "stock.recovered" => Rule::new(Severity::Info, t, t, f),
        // After-sales: the seller has a deadline to meet, or just missed one.
        "ticket.opened" | "aftersales.opened" | "reshipment.requested" => {
            Rule::new(Severity::Warning, t, t, f)
        }
        "ticket.waived"
        | "aftersales.approved_on_timeout"
        | "aftersales.label_missed"
        | "reshipment.rejected_on_timeout" => Rule::new(Severity::Warning, t, t, f),
        // A new, changed or retired rule clause, or the platform's own notice (公告).
        "announcement.published" => Rule::new(Severity::Info, t, t, f),
        // The whole team must know at once that nothing of the store can be changed.
        "store.suspended" => Rule::new(Severity::Warning, t, t, f),
        "store.reinstated" => Rule::new(Severity::Info, t, t, f).with(Channel::Email),
        // Programs (seeds 001 and 002). A buyer notice is for the platform's buyer
        // messaging, by webhook; the store's team sees the exit itself instead.
        "affiliate.buyer_notice"
        | "product.buyer_notice"
        | "affiliate.product_left"
        | "fully_managed.jit_received" => Rule::new(Severity::Info, f, f, f),
        "affiliate.exit_cancelled" => Rule::new(Severity::Info, t, t, f),
        // The order's event says it once; each product's line is for its timeline.
        "fully_managed.jit_line_overdue" => Rule::new(Severity::Info, f, f, f),
        "affiliate.exit_scheduled" | "affiliate.exit_done" => Rule::new(Severity::Info, t, t, f),
        // Staff work the applications' queue; the seller hears each answer and decision.
        "fully_managed.application_submitted" | "fully_managed.application_overdue" => {
            Rule::new(Severity::Info, f, f, t)
        }
        "fully_managed.application_message" | "fully_managed.application_decided" => {
            Rule::new(Severity::Info, t, t, f).with(Channel::Email)
        }
        "fully_managed.store_opened" => Rule::new(Severity::Info, t, t, f).with(Channel::Email),
        "fully_managed.jit_overdue" => Rule::new(Severity::Warning, t, t, f),
        "deposit.refund_requested" | "deposit.refund_overdue" => Rule::new(Severity::Info, f, f, t),
        "deposit.refund_decided" | "deposit.refund_paid" | "deposit.deducted" => {
            Rule::new(Severity::Info, t, t, f).with(Channel::Email)
        }
        // Seed 000's 日巡检 + 周复盘: the store's whole team, in the inbox and by e-mail.
        "monitoring.daily_inspection" | "monitoring.weekly_review" => {
            Rule::new(Severity::Info, t, t, f).with(Channel::Email)
        }
        _ => return None,
    })
}

/// A short title for the inbox list, the e-mail subject and the text message, in the
/// reader's language.
pub fn title(event_type: &str, language: Language) -> &'static str {
    let key = format!("event.{event_type}");
    if language.has(&key) {
        language.text(&key)
    } else {
        language.text("event.other")
    }
}

/// Daily quiet hours in civil time: from `start` (inclusive) to `end` (exclusive), across
/// midnight when `end` is earlier than `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: Time,
    pub end: Time,
}

impl QuietHours {
    /// Accepts `HH:MM`; start and end must differ (an always-quiet day would swallow
    /// everything but red alerts without saying so).
    pub fn parse(start: &str, end: &str) -> Result<QuietHours, String> {
        let parse = |s: &str| -> Result<Time, String> {
            let ok = s.len() == 5 && s.as_bytes()[2] == b':';
            let t = if ok { s.parse::<Time>().ok() } else { None };
            t.ok_or_else(|| format!("\"{s}\" is not a time of day as HH:MM"))
        };
        let q = QuietHours {
            start: parse(start)?,
            end: parse(end)?,
        };
        if q.start == q.end {
            return Err("quiet hours must start and end at different times".into());
        }
        Ok(q)
    }

    fn contains(&self, t: Time) -> bool {
        if self.start < self.end {
            self.start <= t && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }

    /// When a message that is not red may go out: `None` now, or the instant the quiet
    /// hours around `now` end in `tz` (a DST gap at the end moves it to the first
    /// existing instant after).
    pub fn held_until(&self, now: Timestamp, tz: &TimeZone) -> Option<Timestamp> {
        let here: Zoned = now.to_zoned(tz.clone());
        let t = here.time();
        if !self.contains(t) {
            return None;
        }
        let mut day = here.date();
        if self.start >= self.end && t >= self.start {
            day = day.tomorrow().ok()?;
        }
        let end = day.to_datetime(self.end);
        let z = tz.to_ambiguous_zoned(end).later().ok()?;
        Some(z.timestamp())
    }
}

/// What a person has asked for and can receive.
#[derive(Debug, Clone)]
pub struct Reachable {
    /// An address is on file, e-mail is configured, and the person has not turned it off.
    pub email: bool,
    /// A number is on file, the SMS provider is configured, and texts are not turned off.
    pub sms: bool,
    /// A number is on file and the provider is configured: escalation calls do not ask.
    pub voice: bool,
    pub quiet: Option<QuietHours>,
    pub time_zone: TimeZone,
}

/// When each channel should carry one event to one person. `None`: not on that channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub inbox: bool,
    pub email_at: Option<Timestamp>,
    pub sms_at: Option<Timestamp>,
    /// A red alert still unread in the inbox at this instant becomes a voice call.
    pub escalate_at: Option<Timestamp>,
}

/// Decides one person's channels for one event: the rule's channels that the person can
/// receive, held to the end of their quiet hours unless red. The inbox is never held: it
/// waits for the person anyway.
///
/// A red alert also places a phone call: at once, beside the text (seed 000: "APP弹窗+电话
/// 外呼双重保障"), or — when `call_if_unread_after` is not zero — only if the inbox message is
/// still unread that long after.
pub fn plan(rule: &Rule, who: &Reachable, now: Timestamp, call_if_unread_after: Duration) -> Plan {
    let red = rule.severity == Severity::Red;
    let send_at = if red {
        now
    } else {
        who.quiet
            .and_then(|q| q.held_until(now, &who.time_zone))
            .unwrap_or(now)
    };
    let escalate = red && who.voice && rule.has(Channel::Inbox);
    Plan {
        inbox: rule.has(Channel::Inbox),
        email_at: (rule.has(Channel::Email) && who.email).then_some(send_at),
        sms_at: (rule.has(Channel::Sms) && who.sms).then_some(send_at),
        escalate_at: escalate.then(|| {
            now.checked_add(
                jiff::SignedDuration::try_from(call_if_unread_after).unwrap_or_default(),
            )
            .unwrap_or(now)
        }),
    }
}

/// How long to wait before retrying after the `attempt`-th failure (1-based): 30 s
/// doubling, at most an hour — about a day and a half over ten attempts.
pub fn backoff(attempt: u32) -> Duration {
    let secs = 30u64.saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
    Duration::from_secs(secs.min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn takedowns_are_red_for_the_store_on_every_channel() {
        let r = default_rule("product.violation_delisted").unwrap();
        assert_eq!(r.severity, Severity::Red);
        assert!(r.owner && r.staff && !r.reviewers);
        assert!(r.has(Channel::Sms) && r.has(Channel::Email) && r.has(Channel::Inbox));
        assert!(default_rule("violation.overdue").unwrap().reviewers);
        for delist in [
            "product.delisted",
            "product.violation_delisted",
            "product.protective_delisted",
        ] {
            let r = default_rule(delist).unwrap();
            assert!(r.has(Channel::Inbox) && r.has(Channel::Email), "{delist}");
        }
        assert!(
            !default_rule("product.relisted")
                .unwrap()
                .has(Channel::Email)
        );
        assert!(
            default_rule("product.created").is_none(),
            "not every event is a notification"
        );
        for t in EVENT_TYPES {
            assert!(default_rule(t).is_some(), "{t}");
            for l in Language::ALL {
                assert_ne!(title(t, *l), title("x.y", *l), "{t} in {l}");
            }
        }
    }

    #[test]
    fn quiet_hours_in_the_zone_and_across_midnight() {
        let q = QuietHours::parse("22:00", "07:30").unwrap();
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        // 23:15 in Berlin (CET, UTC+1) → held until 07:30 the next morning.
        let now: Timestamp = "2026-11-25T22:15:00Z".parse().unwrap();
        assert_eq!(
            q.held_until(now, &berlin).unwrap().to_string(),
            "2026-11-26T06:30:00Z"
        );
        // 06:00 Berlin → held until 07:30 the same morning.
        let now: Timestamp = "2026-11-26T05:00:00Z".parse().unwrap();
        assert_eq!(
            q.held_until(now, &berlin).unwrap().to_string(),
            "2026-11-26T06:30:00Z"
        );
        // 07:30 Berlin exactly → free.
        let now: Timestamp = "2026-11-26T06:30:00Z".parse().unwrap();
        assert_eq!(q.held_until(now, &berlin), None);
        // The same instant is 01:30 in New York: quiet there.
        let ny = TimeZone::get("America/New_York").unwrap();
        assert!(q.held_until(now, &ny).is_some());
        assert!(QuietHours::parse("7:30", "08:00").is_err());
        assert!(QuietHours::parse("25:00", "08:00").is_err());
        assert!(QuietHours::parse("08:00", "08:00").is_err());
    }

    #[test]
    fn a_quiet_end_in_a_dst_gap_releases_at_the_first_existing_instant() {
        // Europe/Berlin skips 02:00–03:00 on 2026-03-29.
        let q = QuietHours::parse("23:00", "02:30").unwrap();
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let now: Timestamp = "2026-03-28T23:30:00Z".parse().unwrap(); // 00:30 CET
        assert_eq!(
            q.held_until(now, &berlin).unwrap().to_string(),
            "2026-03-29T01:30:00Z" // 03:30 CEST: 02:30 does not exist
        );
    }

    fn reachable(quiet: Option<QuietHours>) -> Reachable {
        Reachable {
            email: true,
            sms: true,
            voice: true,
            quiet,
            time_zone: TimeZone::get("Europe/Berlin").unwrap(),
        }
    }

    #[test]
    fn quiet_hours_hold_warnings_but_never_red_alerts() {
        let q = QuietHours::parse("22:00", "07:00").ok();
        let night: Timestamp = "2026-11-25T23:00:00Z".parse().unwrap(); // 00:00 in Berlin
        let ten = Duration::from_secs(600);
        let red = plan(
            &default_rule("violation.opened").unwrap(),
            &reachable(q),
            night,
            ten,
        );
        assert_eq!(red.email_at, Some(night));
        assert_eq!(red.sms_at, Some(night));
        assert_eq!(red.escalate_at.unwrap().to_string(), "2026-11-25T23:10:00Z");
        let warn = plan(
            &default_rule("stock.low").unwrap(),
            &reachable(q),
            night,
            ten,
        );
        assert!(warn.inbox, "the inbox is never held");
        assert_eq!(warn.email_at.unwrap().to_string(), "2026-11-26T06:00:00Z");
        assert_eq!(warn.sms_at, None, "warnings are not texted");
        assert_eq!(warn.escalate_at, None, "only red escalates");
        let mut off = reachable(None);
        off.email = false;
        off.sms = false;
        let red = plan(&default_rule("violation.opened").unwrap(), &off, night, ten);
        assert_eq!((red.email_at, red.sms_at), (None, None));
        assert!(red.escalate_at.is_some(), "escalation does not ask");
        // By default the call goes with the text, at once, even at night.
        let at_once = plan(
            &default_rule("violation.opened").unwrap(),
            &reachable(q),
            night,
            Duration::ZERO,
        );
        assert_eq!(at_once.escalate_at, Some(night));
        assert_eq!(at_once.sms_at, Some(night));
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(5), Duration::from_secs(480));
        assert_eq!(backoff(8), Duration::from_secs(3600));
        assert_eq!(backoff(u32::MAX), Duration::from_secs(3600));
    }

    proptest! {
        /// A held message is released at the end of the quiet hours: later than now,
        /// within a day, and at a local time outside the quiet hours; a free one is free.
        #[test]
        fn release_is_after_now_and_outside_the_quiet_hours(
            secs in 1_700_000_000i64..1_900_000_000,
            sh in 0i8..24, sm in 0i8..60, eh in 0i8..24, em in 0i8..60,
            zone in prop::sample::select(vec!["Europe/Berlin", "America/New_York", "Asia/Shanghai", "UTC", "Europe/London"]),
        ) {
            let start = Time::new(sh, sm, 0, 0).unwrap();
            let end = Time::new(eh, em, 0, 0).unwrap();
            prop_assume!(start != end);
            let q = QuietHours { start, end };
            let tz = TimeZone::get(zone).unwrap();
            let now = Timestamp::from_second(secs).unwrap();
            match q.held_until(now, &tz) {
                None => prop_assert!(!q.contains(now.to_zoned(tz.clone()).time())),
                Some(at) => {
                    prop_assert!(q.contains(now.to_zoned(tz.clone()).time()));
                    prop_assert!(at > now);
                    prop_assert!(at.duration_since(now).as_secs() <= 25 * 3600);
                    prop_assert!(!q.contains(at.to_zoned(tz.clone()).time()));
                }
            }
        }
    }
}
