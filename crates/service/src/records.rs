//! What the use cases answer with: the stored things as the interfaces see them, typed,
//! and owned by this crate so that HTTP, console and CLI never depend on how a row is
//! laid out. Each record is made from its row once, when a use case answers; flags
//! become booleans, JSON lists become lists, and secrets stay behind.

use marketdesk_core::aftersales::{
    CaseState, CaseType, ReshipmentState, TicketKind, TicketState, TicketTimeout,
};
use marketdesk_core::listing::content::FieldChange;
use marketdesk_core::notify::{DeliveryChannel, DeliveryState};
use marketdesk_core::violation::{Outcome, Progress, Severity};
use marketdesk_store as store;

/// Declares a record and its conversion from a row: each field moves across as it is,
/// or through the function after `=>`, which gets that field of the row.
macro_rules! record {
    ($(#[$m:meta])* $name:ident from $row:path {
        $($(#[$fm:meta])* $f:ident : $t:ty $(=> $conv:expr)?),* $(,)?
    }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name { $($(#[$fm])* pub $f: $t),* }

        impl From<$row> for $name {
            fn from(r: $row) -> Self {
                $name { $($f: record!(@field r, $f $(, $conv)?)),* }
            }
        }
    };
    (@field $r:ident, $f:ident) => { $r.$f };
    (@field $r:ident, $f:ident, $conv:expr) => { ($conv)($r.$f) };
}

/// Rows to records, in order.
pub(crate) fn records<R, T: From<R>>(rows: Vec<R>) -> Vec<T> {
    rows.into_iter().map(T::from).collect()
}

fn flag(v: i64) -> bool {
    v != 0
}

/// A JSON list of ids as the store keeps it; rows are only written from lists.
fn id_list(json: String) -> Vec<String> {
    serde_json::from_str(&json).unwrap_or_default()
}

record!(Site from store::catalog::SiteRow {
    code: String,
    name: String,
    currency: String,
    time_zone: String,
});

record!(Store from store::catalog::StoreRow {
    id: String,
    name: String,
    site_code: String,
    fulfilment_mode: String,
    created_at: i64,
    safety_threshold: i64,
    suspended_at: Option<i64>,
    suspension_reason: Option<String>,
    parent_store_id: Option<String>,
    program_state: Option<marketdesk_core::programs::fully_managed::ProgramState>,
});

record!(
    /// A line of a store's own timeline: suspended or reinstated, by whom and why.
    StoreEvent from store::catalog::StoreEventRow {
    id: String,
    store_id: String,
    at: i64,
    actor_id: String,
    actor_role: String,
    action: String,
    reason: String,
});

record!(User from store::catalog::UserRow {
    id: String,
    name: String,
    role: String,
    store_id: Option<String>,
    created_at: i64,
    login: Option<String>,
    team_role: Option<String>,
    disabled_at: Option<i64>,
});

record!(
    /// An uploaded file: evidence, a listing image, a return label.
    File from store::evidence::EvidenceRow {
    id: String,
    store_id: Option<String>,
    sha256: String,
    size: i64,
    content_type: String,
    filename: String,
    uploaded_by: String,
    created_at: i64,
    thumbnail_sha256: Option<String>,
    width: Option<i64>,
    height: Option<i64>,
});

record!(
    /// One line of a product's timeline (操作时间轴).
    TimelineItem from store::timeline::TimelineRow {
    id: String,
    store_id: String,
    product_id: String,
    at: i64,
    actor_id: String,
    actor_role: String,
    action: String,
    from_state: Option<String>,
    to_state: String,
    delist_kind: Option<String>,
    reason_code: Option<String>,
    reason_text: Option<String>,
    evidence_ids: Vec<String> => id_list,
    changes: Vec<FieldChange>,
    classified_code: Option<String>,
});

record!(
    /// An event a change wrote to the outbox: what subscribers and inboxes hear.
    Event from store::outbox::OutboxRow {
    id: String,
    store_id: String,
    event_type: String,
    subject_id: String,
    payload: serde_json::Value => |p: String| serde_json::from_str(&p).unwrap_or(serde_json::Value::Null),
    created_at: i64,
    dispatched_at: Option<i64>,
});

record!(Supplier from store::suppliers::SupplierRow {
    id: String,
    store_id: String,
    name: String,
    lead_time_days: i64,
    on_time_rate: String,
    created_at: i64,
});

record!(StockMovement from store::stock::MovementRow {
    id: String,
    store_id: String,
    sku_id: String,
    kind: String,
    on_hand_delta: i64,
    reserved_delta: i64,
    on_hand_after: i64,
    reserved_after: i64,
    reason: Option<String>,
    order_id: Option<String>,
    actor_id: String,
    at: i64,
});

record!(StockFigures from store::stock::StockRow {
    id: String,
    product_id: String,
    store_id: String,
    code: String,
    price: String,
    currency: String,
    stock: i64,
    reserved: i64,
    safety_threshold: Option<i64>,
    low_alerted: bool => flag,
    presale_cap: Option<i64>,
    presale_sold: i64,
    presale_ship_by: Option<i64>,
});

record!(
    /// A violation case (违规单).
    Violation from store::violations::ViolationRow {
    id: String,
    store_id: String,
    product_id: String,
    site_code: String,
    rule_code: String,
    rule_version: i64,
    severity: Severity,
    details: String,
    evidence_ids: Vec<String> => id_list,
    state: Progress,
    outcome: Option<Outcome>,
    resume_state: Option<Progress>,
    rectify_due_at: i64,
    rectified_at: Option<i64>,
    rectify_deadline_passed: bool => flag,
    review_due_at: Option<i64>,
    review_overdue: bool => flag,
    appeal_due_at: i64,
    created_by: String,
    created_at: i64,
    updated_at: i64,
    closed_at: Option<i64>,
});

record!(
    /// A rule clause a takedown cites.
    Rule from store::rules::RuleRow {
    code: String,
    title: String,
    text: String,
    severity: String,
    reason_code: String,
    created_at: i64,
    version: i64,
    sites: Vec<String> => id_list,
    retired_at: Option<i64>,
});

record!(
    /// One published version of a rule clause.
    RuleVersion from store::rules::RuleVersionRow {
    code: String,
    version: i64,
    title: String,
    text: String,
    severity: String,
    reason_code: String,
    sites: Vec<String> => id_list,
    retired_at: Option<i64>,
    changed_by: String,
    changed_at: i64,
});

record!(
    /// An announcement (公告) to the sellers of some sites.
    Announcement from store::announcements::AnnouncementRow {
    id: String,
    title: String,
    body: String,
    sites: Vec<String> => id_list,
    rule_code: Option<String>,
    rule_version: Option<i64>,
    created_by: String,
    created_at: i64,
});

record!(Rectification from store::violations::RectificationRow {
    id: String,
    violation_id: String,
    plan: String,
    evidence_ids: Vec<String> => id_list,
    submitted_by: String,
    submitted_at: i64,
    edit_ids: Vec<String> => id_list,
});

record!(Appeal from store::violations::AppealRow {
    id: String,
    violation_id: String,
    statement: String,
    evidence_ids: Vec<String> => id_list,
    state: marketdesk_core::violation::AppealState,
    submitted_by: String,
    submitted_at: i64,
    decided_by: Option<String>,
    decided_at: Option<i64>,
    decision_note: Option<String>,
});

record!(OrderHeader from store::orders::OrderRow {
    id: String,
    store_id: String,
    state: marketdesk_core::OrderState,
    currency: String,
    total: String,
    placed_by: String,
    created_at: i64,
    updated_at: i64,
    buyer_id: Option<String>,
    affiliate_id: Option<String>,
    jit_due_at: Option<i64>,
    inbound_at: Option<i64>,
    jit_overdue_at: Option<i64>,
});

record!(OrderLine from store::orders::LineRow {
    id: String,
    order_id: String,
    store_id: String,
    sku_id: String,
    product_id: String,
    quantity: i64,
    unit_price: String,
    amount: String,
    presale: bool => flag,
    ship_by: Option<i64>,
    shipped_late: bool => flag,
    position: i64,
});

record!(
    /// An after-sales case (售后单).
    AftersalesCase from store::aftersales::CaseRow {
    id: String,
    store_id: String,
    order_id: String,
    order_line_id: Option<String>,
    case_type: CaseType,
    state: CaseState,
    reason: String,
    quantity: Option<i64>,
    requested_amount: String,
    refund_amount: Option<String>,
    currency: String,
    policy_id: Option<String>,
    decided_by: Option<marketdesk_core::aftersales::DecidedBy>,
    due_at: Option<i64>,
    label_mode: Option<marketdesk_core::aftersales::LabelMode>,
    label_due_at: Option<i64>,
    carrier: Option<String>,
    tracking_number: Option<String>,
    label_file_id: Option<String>,
    warehouse_id: Option<String>,
    evidence_ids: Vec<String> => id_list,
    note: String,
    created_by: String,
    created_at: i64,
    updated_at: i64,
});

record!(Refund from store::aftersales::RefundRow {
    id: String,
    store_id: String,
    case_id: String,
    order_id: String,
    order_line_id: String,
    amount: String,
    currency: String,
    created_at: i64,
});

record!(
    /// A customer-service ticket (工单).
    Ticket from store::aftersales::TicketRow {
    id: String,
    store_id: String,
    order_id: String,
    order_line_id: Option<String>,
    kind: TicketKind,
    state: TicketState,
    on_timeout: TicketTimeout,
    buyer_address: Option<String>,
    address_visible_until: Option<i64>,
    reshipment_agreed: Option<bool> => |v: Option<i64>| v.map(flag),
    tracking_number: Option<String>,
    due_at: i64,
    answered_at: Option<i64>,
    created_by: String,
    created_at: i64,
    updated_at: i64,
});

record!(TicketMessage from store::aftersales::MessageRow {
    id: String,
    ticket_id: String,
    author_id: String,
    author_role: String,
    body: String,
    evidence_ids: Vec<String> => id_list,
    created_at: i64,
});

record!(Reshipment from store::aftersales::ReshipmentRow {
    id: String,
    store_id: String,
    order_id: String,
    state: ReshipmentState,
    reason: String,
    carrier: Option<String>,
    tracking_number: Option<String>,
    due_at: i64,
    created_by: String,
    created_at: i64,
    decided_at: Option<i64>,
});

record!(
    /// A return warehouse (退货仓).
    Warehouse from store::aftersales::WarehouseRow {
    id: String,
    store_id: String,
    country: String,
    name: String,
    address: String,
    is_default: bool => flag,
    created_at: i64,
    updated_at: i64,
});

record!(
    /// A refund-only policy (仅退款策略).
    RefundPolicy from store::aftersales::PolicyRow {
    id: String,
    store_id: String,
    reason: String,
    ceiling: String,
    ratio: i64,
    created_at: i64,
});

record!(AftersalesSettings from store::aftersales::SettingsRow {
    store_id: String,
    negotiated_enabled: bool => flag,
    uploads_labels: bool => flag,
    updated_at: i64,
});

record!(Delivery from store::deliveries::DeliveryRow {
    id: String,
    store_id: String,
    event_id: String,
    event_type: String,
    channel: DeliveryChannel,
    recipient: String,
    target: String,
    severity: String,
    state: DeliveryState,
    attempts: i64,
    next_attempt_at: i64,
    last_error: Option<String>,
    created_at: i64,
    delivered_at: Option<i64>,
});

record!(DeliveryAttempt from store::deliveries::AttemptRow {
    id: String,
    delivery_id: String,
    at: i64,
    ok: bool => flag,
    detail: String,
});

record!(InboxMessage from store::inbox::MessageRow {
    id: String,
    user_id: String,
    store_id: String,
    event_id: String,
    event_type: String,
    severity: String,
    title: String,
    body: String,
    subject_id: String,
    created_at: i64,
    read_at: Option<i64>,
});

/// A webhook subscription as its owner sees it: never its signing secret, which is shown
/// once, when the subscription is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSubscription {
    pub id: String,
    pub store_id: String,
    pub url: String,
    /// Event types, or `["*"]` for every one.
    pub event_types: Vec<String>,
    pub created_at: i64,
}

impl From<store::webhooks::SubscriptionRow> for WebhookSubscription {
    fn from(r: store::webhooks::SubscriptionRow) -> Self {
        WebhookSubscription {
            id: r.id,
            store_id: r.store_id,
            url: r.url,
            event_types: r
                .event_types
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            created_at: r.created_at,
        }
    }
}

/// A case cites the version it was decided under, shown as the clause it was.
impl From<store::rules::RuleVersionRow> for Rule {
    fn from(r: store::rules::RuleVersionRow) -> Self {
        Rule {
            code: r.code,
            title: r.title,
            text: r.text,
            severity: r.severity,
            reason_code: r.reason_code,
            created_at: r.changed_at,
            version: r.version,
            sites: id_list(r.sites),
            retired_at: r.retired_at,
        }
    }
}
