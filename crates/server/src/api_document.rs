//! The OpenAPI document as clients and generated tests read it. utoipa writes what each
//! handler's attribute says; the answers every operation shares (a refused token, a
//! malformed body, a role or store that may not, the rate limit, a database that is
//! down) are added here once, in the media type the server really sends
//! (`application/problem+json`), instead of being repeated on 153 attributes.

use serde_json::{Map, Value, json};

const PROBLEM_JSON: &str = crate::problem::PROBLEM_JSON;
const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The finished document: utoipa's, with the shared answers and the problem media type.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(crate::openapi()).expect("OpenAPI document serializes");
    finish(&mut doc);
    crate::api_constraints::constrain(&mut doc);
    doc
}

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": { PROBLEM_JSON: { "schema": { "$ref": "#/components/schemas/Problem" } } }
    })
}

fn finish(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let has_path_params = path.contains('{');
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in METHODS {
            if let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) {
                finish_operation(op, has_path_params, method != "get");
            }
        }
    }
}

fn finish_operation(op: &mut Map<String, Value>, has_path_params: bool, writes: bool) {
    let has_body = op.contains_key("requestBody");
    let has_query = op
        .get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
    let responses = op
        .entry("responses")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("responses is an object");
    for (status, response) in responses.iter_mut() {
        let Some(response) = response.as_object_mut() else {
            continue;
        };
        let code: u16 = status.parse().unwrap_or(0);
        let blank = response
            .get("description")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if blank {
            let reason = axum::http::StatusCode::from_u16(code)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Answer");
            response.insert("description".into(), Value::String(reason.into()));
        }
        // Errors leave as problem+json (RFC 9457), whatever the attribute's `body = Problem`
        // defaulted to.
        if code >= 400
            && let Some(content) = response.get_mut("content").and_then(Value::as_object_mut)
            && let Some(schema) = content.remove("application/json")
        {
            content.insert(PROBLEM_JSON.into(), schema);
        }
    }
    let mut shared: Vec<(&str, &str)> = vec![
        (
            "401",
            "No token, an unknown, revoked or expired one, or a disabled user",
        ),
        (
            "403",
            "The caller's role or store may not do this, or the store is suspended",
        ),
        (
            "429",
            "Too many failed authentications from this address; see Retry-After",
        ),
        (
            "503",
            "The database is unavailable; retry after a moment (see Retry-After)",
        ),
    ];
    if has_body {
        shared.push(("400", "The body is not well-formed JSON"));
        shared.push(("415", "The body is not sent as JSON"));
        shared.push(("413", "The body is too large"));
    }
    if writes {
        shared.push((
            "409",
            "Not possible in the current state, or something of that name already exists",
        ));
    }
    if has_body || has_query {
        shared.push((
            "422",
            "A field is missing, of the wrong type or out of range",
        ));
    }
    if has_query {
        shared.push(("400", "The query string cannot be read"));
    }
    if has_path_params || has_body {
        shared.push((
            "404",
            "No such resource (in the path or named in the body), or not one of the caller's stores",
        ));
    }
    if has_path_params {
        shared.push(("400", "A path segment is not valid UTF-8"));
    }
    for (status, description) in shared {
        responses
            .entry(status)
            .or_insert_with(|| problem(description));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_response_is_described_and_errors_are_problems() {
        let doc = document();
        let mut ids = std::collections::BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let id = op["operationId"].as_str().unwrap().to_string();
                assert!(ids.insert(id.clone()), "operationId {id} used twice");
                assert!(
                    op["responses"].get("401").is_some(),
                    "{method} {path}: no 401"
                );
                for (status, r) in op["responses"].as_object().unwrap() {
                    assert!(
                        r["description"].as_str().is_some_and(|d| !d.is_empty()),
                        "{method} {path} {status}: no description"
                    );
                    if status.starts_with('4') || status.starts_with('5') {
                        assert!(
                            r["content"].get("application/json").is_none(),
                            "{method} {path} {status}: an error documented as plain JSON"
                        );
                    }
                }
            }
        }
    }

    /// utoipa names a schema after its type and keeps the last one registered: two types
    /// of one name (say, two `RuleView`s) would silently document one with the other.
    #[test]
    fn schema_names_are_unique() {
        let mut seen = std::collections::BTreeMap::new();
        let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let lines: Vec<&str> = text.lines().collect();
                for (i, line) in lines.iter().enumerate() {
                    if !(line.starts_with("#[derive(") && line.contains("ToSchema")) {
                        continue;
                    }
                    let mut renamed = None;
                    for next in &lines[i + 1..] {
                        if let Some(rest) = next.trim().strip_prefix("#[schema(as = ") {
                            renamed = rest.split(')').next().map(str::to_string);
                        }
                        let decl = next
                            .trim_start_matches("pub ")
                            .trim_start_matches("pub(super) ");
                        if let Some(rest) = decl
                            .strip_prefix("struct ")
                            .or_else(|| decl.strip_prefix("enum "))
                        {
                            let name = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap();
                            let name = renamed.take().unwrap_or_else(|| name.to_string());
                            if let Some(other) = seen.insert(name.clone(), path.clone()) {
                                panic!(
                                    "schema {name} in {} and {}",
                                    other.display(),
                                    path.display()
                                );
                            }
                            break;
                        }
                    }
                }
            }
        }
        assert!(seen.len() > 50, "found only {} schemas", seen.len());
    }
}
