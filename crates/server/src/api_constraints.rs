//! What the use cases require of each input, written into the OpenAPI document so that a
//! client (or a generated test) knows which values are valid before it sends them:
//! closed lists from `core`'s own names, instants, ids, decimal amounts, and the rule
//! every free text follows (not blank, no control characters but line breaks).
//!
//! Body rules apply to the schemas of request bodies sent as JSON (not merge patches,
//! where an empty string or `null` may mean "clear").

use std::collections::BTreeSet;

use marketdesk_core::{calendar::DayKind, violation::Severity};
use serde_json::{Map, Value, json};

/// Not blank, and no control character (C0 or C1) but tab and line feed: what
/// `validation::required_text` accepts.
const TEXT: &str =
    r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b-\x1f\x7f-\x9f]*$";
/// No control character but tab and line feed; may be empty (an optional text: several
/// use cases read "" as "none").
const OPTIONAL_TEXT: &str = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$";
/// What a webhook's address must look like before it is resolved: http(s), a host, no
/// spaces, at most 2,000 characters (private and loopback hosts are refused beyond this).
const WEBHOOK_URL: &str = r"^https?://[^/?#\s]+([/?#]\S*)?$";
/// A money amount as the API writes it: digits, and at most two decimals.
const AMOUNT: &str = r"^[0-9]{1,9}(\.[0-9]{1,2})?$";
/// An amount that must be above zero (payments, deductions, refunds, ceilings).
const POSITIVE_AMOUNT: &str = r"^([1-9][0-9]{0,8}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$";

fn names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|v| name(*v).to_string()).collect()
}

/// The closed list a body property takes, by (schema, property).
fn body_enum(schema: &str, property: &str) -> Option<Vec<String>> {
    use marketdesk_core::aftersales::{CaseType, RETURN_REASONS, TicketKind, TicketTimeout};
    use marketdesk_core::programs::affiliate::CompensationKind;
    use marketdesk_core::programs::fully_managed::{CategoryRule, Entity, Fulfilment};
    use marketdesk_core::team::TeamRole;
    use marketdesk_core::{FulfilmentMode, Language, ReasonCode, Role};
    let sites = || {
        marketdesk_core::site::default_sites()
            .into_iter()
            .map(|s| s.code)
            .collect::<Vec<_>>()
    };
    Some(match (schema, property) {
        (_, "reason_code") => names(ReasonCode::ALL, ReasonCode::as_str),
        ("OpenViolation" | "CreateRule" | "EditRule", "severity") => {
            names(&[Severity::Normal, Severity::Serious], Severity::as_str)
        }
        ("CreateStore", "fulfilment_mode") => names(&FulfilmentMode::ALL, FulfilmentMode::as_str),
        ("CreateStore", "site") | ("CreateAnnouncement" | "CreateRule" | "EditRule", "sites") => {
            sites()
        }
        ("CreateUser", "role") => names(
            &[Role::Admin, Role::Reviewer, Role::CsAgent, Role::Seller],
            Role::as_str,
        ),
        (_, "language") => names(Language::ALL, Language::as_str),
        ("InviteBody", "team_role") => names(&TeamRole::ALL, TeamRole::as_str),
        ("DayBody", "kind") => names(&[DayKind::Holiday, DayKind::Workday], DayKind::as_str),
        // Only the entities that may apply: the others are named in the refusal.
        ("ApplicationBody", "entity") => Entity::ALL
            .iter()
            .filter(|e| e.may_apply().is_ok())
            .map(|e| e.as_str().to_string())
            .collect(),
        ("CompensationBody", "kind") => names(CompensationKind::ALL, CompensationKind::as_str),
        ("FulfilmentBody" | "CreateProduct", "fulfilment") => {
            names(Fulfilment::ALL, Fulfilment::as_str)
        }
        ("SpecialCategoryBody", "rule") => names(CategoryRule::ALL, CategoryRule::as_str),
        ("TicketBody", "kind") => names(TicketKind::ALL, TicketKind::as_str),
        ("TicketBody", "on_timeout") => names(TicketTimeout::ALL, TicketTimeout::as_str),
        ("CaseBody", "type") => names(CaseType::ALL, CaseType::as_str),
        ("PolicyBody" | "CaseBody", "reason") => {
            RETURN_REASONS.iter().map(|r| r.to_string()).collect()
        }
        ("RuleBody", "severity") => {
            use marketdesk_core::notify::Severity as Level;
            names(&[Level::Info, Level::Warning, Level::Red], Level::as_str)
        }
        (_, "time_zone") => time_zones(),
        ("WebhookBody", "event_types") => std::iter::once("*")
            .chain(marketdesk_service::webhooks::SUBSCRIBABLE.iter().copied())
            .map(str::to_string)
            .collect(),
        _ => return None,
    })
}

/// The format or pattern a body property's text takes, by its name.
fn body_format(property: &str) -> Option<Value> {
    Some(match property {
        p if p.ends_with("_at") || p == "set_to" || p == "ship_by" => {
            json!({"format": "date-time"})
        }
        p if p.ends_with("_id") || p.ends_with("_ids") => json!({"format": "uuid"}),
        "email" | "contact_email" => json!({"format": "email"}),
        "amount" | "ceiling" => json!({"pattern": POSITIVE_AMOUNT}),
        "price" | "unit_cost" | "unit_price" => json!({"pattern": AMOUNT}),
        "country" => json!({"pattern": "^[A-Z]{2}$"}),
        "url" => json!({"pattern": WEBHOOK_URL, "maxLength": 2000}),
        "on_time_rate" => json!({"pattern": r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$"}),
        "password" | "new" => json!({"minLength": 12, "maxLength": 256}),
        "code" => json!({"pattern": r"^[A-Z0-9._-]{1,32}$"}),
        // Checked against lists that are data (carriers per site, zones, countries) or
        // read as durations and clock times: described in words, not constrained here.
        "carrier" | "advance_by" | "quiet_start" | "quiet_end" | "login" | "phone" | "current"
        | "description" => json!({}),
        _ => json!({"pattern": TEXT}),
    })
}

/// The range of a whole-number body property, by (schema, property).
fn integer_bounds(schema: &str, property: &str) -> Option<(i64, i64)> {
    use marketdesk_core::stock::PRESALE_MAX_CAP;
    use marketdesk_core::validation::MAX_STOCK;
    Some(match (schema, property) {
        (_, "stock" | "threshold") => (0, MAX_STOCK),
        ("ReceiptBody", "quantity") => (1, MAX_STOCK),
        (_, "cap") => (1, PRESALE_MAX_CAP),
        (_, "lead_time_days") => (0, 365),
        (_, "ratio_percent") => (5, 100),
        _ => return None,
    })
}

/// How many items a body's list takes, by (schema, property).
fn array_bounds(schema: &str, property: &str) -> Option<(usize, usize)> {
    use marketdesk_core::validation::{MAX_BATCH, MAX_EVIDENCE_PER_ACTION};
    Some(match property {
        "product_ids" if schema == "BatchDelistBody" => (1, MAX_BATCH),
        "product_ids" => (1, marketdesk_core::programs::affiliate::MAX_PRODUCTS),
        "event_types" => (1, 64),
        "lines" => (1, marketdesk_core::order::MAX_LINES),
        "document_ids" => (1, MAX_EVIDENCE_PER_ACTION),
        "evidence_ids" | "qualification_ids" | "deductions" | "missing" => {
            (0, MAX_EVIDENCE_PER_ACTION)
        }
        "gallery" => (0, marketdesk_core::listing::content::MAX_GALLERY),
        _ => return None,
    })
}

/// The IANA zone names this machine's time zone database knows.
fn time_zones() -> Vec<String> {
    let mut zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.to_string())
        .collect();
    zones.sort();
    zones
}

/// Which query parameters take closed lists or instants, by (path, parameter).
fn query_constraint(path: &str, param: &str) -> Option<Value> {
    use marketdesk_core::aftersales::{CaseState, CaseType, ReshipmentState, TicketState};
    use marketdesk_core::listing::{DelistKind, Label, State};
    use marketdesk_core::notify::{DeliveryChannel, DeliveryState};
    use marketdesk_core::order::OrderState;
    use marketdesk_core::violation::Progress;
    use marketdesk_core::{FulfilmentMode, ReasonCode, Role};
    let list = |v: Vec<String>| json!({"type": "string", "enum": v});
    Some(match param {
        // Cursors are the id of the last row of the page before (other id filters are
        // matched as given: an unknown one finds nothing).
        "cursor" => json!({"type": "string", "format": "uuid"}),
        p if p.ends_with("_from") || p.ends_with("_to") || p == "due_before" || p == "from" => {
            json!({"type": "string", "format": "date-time"})
        }
        "progress" => list(names(&Progress::ALL, Progress::as_str)),
        "reason_code" => list(names(ReasonCode::ALL, ReasonCode::as_str)),
        "fulfilment" => list(names(&FulfilmentMode::ALL, FulfilmentMode::as_str)),
        // A category filter names one: blank is refused, not read as "any".
        "category" => json!({"type": "string", "pattern": TEXT}),
        // Validated on the product lists; elsewhere an unknown site finds nothing.
        "site" if path == "/api/v1/products" => list(
            marketdesk_core::site::default_sites()
                .into_iter()
                .map(|s| s.code)
                .collect(),
        ),
        "role" => list(names(
            &[Role::Admin, Role::Reviewer, Role::CsAgent, Role::Seller],
            Role::as_str,
        )),
        "type" if path == "/api/v1/aftersales" => list(names(CaseType::ALL, CaseType::as_str)),
        "state" if path == "/api/v1/orders" => list(names(&OrderState::ALL, OrderState::as_str)),
        "state" if path.ends_with("/products") => list(names(&State::ALL, State::as_str)),
        "delist_kind" => list(names(
            &[
                DelistKind::Voluntary,
                DelistKind::Violation,
                DelistKind::Protective,
            ],
            DelistKind::as_str,
        )),
        "label" => list(names(
            &[Label::Green, Label::Grey, Label::Red],
            Label::as_str,
        )),
        "severity" => list(names(
            &[Severity::Normal, Severity::Serious],
            Severity::as_str,
        )),
        "channel" => list(names(DeliveryChannel::ALL, DeliveryChannel::as_str)),
        "format" => list(vec!["json".into(), "csv".into()]),
        "state" if path == "/api/v1/deliveries" => {
            list(names(DeliveryState::ALL, DeliveryState::as_str))
        }
        "state" if path == "/api/v1/aftersales" => list(names(CaseState::ALL, CaseState::as_str)),
        "state" if path == "/api/v1/tickets" => list(names(TicketState::ALL, TicketState::as_str)),
        "state" if path == "/api/v1/reshipments" => {
            list(names(ReshipmentState::ALL, ReshipmentState::as_str))
        }
        _ => return None,
    })
}

/// Writes the constraints into `doc`.
pub fn constrain(doc: &mut Value) {
    let bodies = request_body_schemas(doc);
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for name in &bodies {
            if schemas
                .get(name)
                .and_then(|s| s.get("properties"))
                .is_some_and(Value::is_object)
            {
                for prop in required_by_use_case(name) {
                    if let Some(obj) = schemas.get_mut(name).and_then(Value::as_object_mut) {
                        require(obj, prop, json!({}));
                    }
                }
                let required: BTreeSet<String> = schemas[name]["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
                let props = schemas
                    .get_mut(name)
                    .and_then(|s| s.get_mut("properties"))
                    .and_then(Value::as_object_mut)
                    .expect("checked above");
                for (prop, schema) in props.iter_mut() {
                    constrain_property(name, prop, required.contains(prop), schema);
                }
            }
        }
    }
    specialise_bodies(doc);
    // A listing's title and category may change but not be removed (`null`).
    if let Some(props) = doc
        .pointer_mut("/components/schemas/EditProduct/properties")
        .and_then(Value::as_object_mut)
    {
        for prop in ["title", "category"] {
            if let Some(p) = props.get_mut(prop).and_then(Value::as_object_mut) {
                p.insert("type".into(), json!("string"));
                p.insert("pattern".into(), json!(TEXT));
            }
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|m| m.values_mut())
        {
            for p in op
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if p["in"] != "path" {
                    continue;
                }
                match p["name"].as_str() {
                    Some("date") if path.contains("/calendar/") => {
                        p["schema"] = json!({"type": "string", "format": "date"});
                    }
                    Some("category") => p["schema"] = json!({"type": "string", "pattern": TEXT}),
                    _ => {}
                }
            }
        }
    }
    // `format=csv` answers the same review as CSV.
    for path in [
        "/api/v1/weekly-review",
        "/api/v1/stores/{store_id}/weekly-review",
    ] {
        if let Some(content) = paths
            .get_mut(path)
            .and_then(|i| i.pointer_mut("/get/responses/200/content"))
            .and_then(Value::as_object_mut)
        {
            content.insert("text/csv".into(), json!({"schema": {"type": "string"}}));
        }
    }
    for (path, item) in paths.iter_mut() {
        let Some(op) = item.get_mut("get").and_then(Value::as_object_mut) else {
            continue;
        };
        let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
            continue;
        };
        // One store's list takes neither another store nor a site.
        if path == "/api/v1/stores/{store_id}/products" {
            params.retain(|p| {
                !(p["in"] == "query" && (p["name"] == "store_id" || p["name"] == "site"))
            });
        }
        for p in params.iter_mut() {
            if p["in"] != "query" {
                continue;
            }
            let name = p["name"].as_str().unwrap_or_default().to_string();
            if path.ends_with("/calendar/due") && name == "from" {
                p["required"] = Value::Bool(true);
            }
            if let Some(c) = query_constraint(path, &name) {
                p["schema"] = c;
            } else if name == "buyer_id" {
                // An empty buyer is refused (422): it would otherwise answer every order.
                p["schema"]["minLength"] = json!(1);
            }
        }
    }
}

/// Texts a schema marks optional (`Option` in Rust, so that the use case, not serde, says
/// what is missing) but every call must send.
fn required_by_use_case(schema: &str) -> &'static [&'static str] {
    match schema {
        "AppealBody" => &["statement"],
        "RectificationBody" => &["plan"],
        _ => &[],
    }
}

/// Optional texts that, when sent, must say something: the note on a list, relist or
/// approval may be left out (or `null`), but an empty one is refused like any other blank
/// reason, because it would be recorded on the product's timeline as the reason given.
fn not_blank_when_sent(schema: &str, prop: &str) -> bool {
    matches!((schema, prop), ("NoteBody", "reason_text"))
}

/// Bodies shared by several operations whose rules differ by operation: the operation
/// gets its own copy of the schema, with its rules.
fn specialise_bodies(doc: &mut Value) {
    fn decision(values: [&'static str; 2]) -> impl FnOnce(&mut Map<String, Value>) {
        move |s| s["properties"]["decision"] = json!({"type": "string", "enum": values})
    }
    specialise(
        doc,
        "post",
        "/api/v1/violations/{id}/review",
        decision(["approve", "reject"]),
    );
    specialise(
        doc,
        "post",
        "/api/v1/violations/{id}/appeal-decision",
        decision(["uphold", "dismiss"]),
    );
    specialise(doc, "post", "/api/v1/products/{id}/review/reject", |s| {
        require(s, "reason_text", json!({"pattern": TEXT}));
    });
    // A store's own threshold has no default to fall back to.
    specialise(
        doc,
        "put",
        "/api/v1/stores/{store_id}/safety-threshold",
        |s| {
            use marketdesk_core::validation::MAX_STOCK;
            s["properties"]["threshold"] =
                json!({"type": "integer", "format": "int64", "minimum": 0, "maximum": MAX_STOCK});
            s.insert("required".into(), json!(["threshold"]));
        },
    );
    specialise(
        doc,
        "post",
        "/api/v1/stores/{store_id}/return-warehouses",
        |s| {
            require(s, "name", json!({"pattern": TEXT}));
            require(s, "address", json!({"pattern": TEXT}));
            require(s, "country", json!({"pattern": "^[A-Z]{2}$"}));
        },
    );
}

/// Replaces the body `$ref` of `method path` by a copy of the schema, changed by `change`.
fn specialise(
    doc: &mut Value,
    method: &str,
    path: &str,
    change: impl FnOnce(&mut Map<String, Value>),
) {
    let pointer = "/requestBody/content/application~1json/schema";
    let Some(name) = doc["paths"][path][method]
        .pointer(pointer)
        .and_then(|s| s.get("$ref"))
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
        .map(str::to_string)
    else {
        return;
    };
    let mut schema = doc["components"]["schemas"][&name].clone();
    if let Some(obj) = schema.as_object_mut() {
        change(obj);
    }
    if let Some(slot) = doc["paths"][path][method].pointer_mut(pointer) {
        *slot = schema;
    }
}

/// Makes `prop` a required, non-null text with `rule`.
fn require(s: &mut Map<String, Value>, prop: &str, rule: Value) {
    let mut text = json!({"type": "string"});
    if let (Some(t), Value::Object(r)) = (text.as_object_mut(), rule) {
        t.extend(r);
    }
    if let Some(old) = s.get("properties").and_then(|p| p.get(prop))
        && let Some(d) = old.get("description")
    {
        text["description"] = d.clone();
    }
    s.entry("properties").or_insert_with(|| json!({}))[prop] = text;
    let required = s.entry("required").or_insert_with(|| json!([]));
    if let Some(list) = required.as_array_mut()
        && !list.iter().any(|v| v == prop)
    {
        list.push(json!(prop));
    }
}

/// A property's schema: the enum or format it takes, for text and lists of text.
fn constrain_property(schema: &str, prop: &str, required: bool, s: &mut Value) {
    let Some(obj) = s.as_object_mut() else {
        return;
    };
    let nullable = is_type(obj, "null");
    if is_type(obj, "integer")
        && let Some((min, max)) = integer_bounds(schema, prop)
    {
        obj.insert("minimum".into(), json!(min));
        obj.insert("maximum".into(), json!(max));
    }
    if is_type(obj, "array")
        && let Some((min, max)) = array_bounds(schema, prop)
    {
        obj.insert("minItems".into(), json!(min));
        obj.insert("maxItems".into(), json!(max));
        // A product or file named twice is refused ("appears twice").
        if prop.ends_with("_ids") {
            obj.insert("uniqueItems".into(), json!(true));
        }
    }
    // Zero is no adjustment.
    if prop == "delta" {
        obj.insert("not".into(), json!({"const": 0}));
    }
    if is_type(obj, "array") {
        if let Some(items) = obj.get_mut("items").and_then(Value::as_object_mut)
            && is_type(items, "string")
        {
            apply(schema, prop, true, items);
        }
        return;
    }
    if is_type(obj, "string") {
        apply(schema, prop, required, obj);
        if nullable && let Some(values) = obj.get_mut("enum").and_then(Value::as_array_mut) {
            values.push(Value::Null);
        }
    }
}

/// Free text is held to [`TEXT`] where it is required; an optional text may be sent empty
/// (several use cases read "" as "none").
fn apply(schema: &str, prop: &str, required: bool, s: &mut Map<String, Value>) {
    if s.contains_key("enum") || s.contains_key("format") || s.contains_key("pattern") {
        return;
    }
    if let Some(values) = body_enum(schema, prop) {
        s.insert("enum".into(), json!(values));
        return;
    }
    if let Some(Value::Object(extra)) = body_format(prop) {
        let is_text_rule = extra.get("pattern").and_then(Value::as_str) == Some(TEXT);
        if required || !is_text_rule || not_blank_when_sent(schema, prop) {
            s.extend(extra);
        } else {
            s.insert("pattern".into(), json!(OPTIONAL_TEXT));
        }
    }
}

fn is_type(s: &Map<String, Value>, t: &str) -> bool {
    match s.get("type") {
        Some(Value::String(x)) => x == t,
        Some(Value::Array(xs)) => xs.iter().any(|x| x == t),
        _ => false,
    }
}

/// Names of the schemas a JSON request body (not a merge patch) reaches.
fn request_body_schemas(doc: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut todo: Vec<String> = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for item in paths.values() {
            for (method, op) in item.as_object().into_iter().flatten() {
                if method == "patch" {
                    continue;
                }
                if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") {
                    refs(schema, &mut todo);
                }
            }
        }
    }
    while let Some(name) = todo.pop() {
        if found.insert(name.clone()) {
            refs(&doc["components"]["schemas"][&name], &mut todo);
        }
    }
    found
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(r) = m.get("$ref").and_then(Value::as_str) {
                out.push(r.rsplit('/').next().unwrap_or_default().to_string());
            }
            for x in m.values() {
                refs(x, out);
            }
        }
        Value::Array(xs) => xs.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}
