//! The OpenAPI document lists every route the server answers.

use std::collections::BTreeSet;

use reqwest::StatusCode;

use crate::helpers::{TestApp, read};

crate::on_both_backends!(
    openapi_lists_every_route,
    every_documented_route_is_served,
    operations_sharing_a_body_document_their_own_rules
);

async fn openapi_lists_every_route(app: TestApp) {
    let res = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    let (s, doc) = read(res).await;
    assert_eq!(s, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/sites", "get"),
        ("/api/v1/stores", "post"),
        ("/api/v1/stores", "get"),
        ("/api/v1/stores/{store_id}", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/stores/{store_id}/products", "post"),
        ("/api/v1/stores/{store_id}/products", "get"),
        ("/api/v1/products/{id}", "get"),
        ("/api/v1/products/{id}/timeline", "get"),
        ("/api/v1/products/{id}/events", "get"),
        ("/api/v1/products/{id}/list", "post"),
        ("/api/v1/products/{id}/delist", "post"),
        ("/api/v1/products/{id}/relist", "post"),
        ("/api/v1/products/{id}/review/approve", "post"),
        ("/api/v1/products/{id}/review/reject", "post"),
        ("/api/v1/stores/{store_id}/products/batch-delist", "post"),
        ("/api/v1/evidence", "post"),
        ("/api/v1/admin/clock", "post"),
        ("/api/v1/admin/clock", "get"),
    ] {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is missing from the document"
        );
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    // And an undocumented path is not served.
    let (s, _) = app
        .get(crate::helpers::ADMIN_TOKEN, "/api/v1/nowhere")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// Every (method, path) the document lists, as a set.
fn documented() -> BTreeSet<(String, String)> {
    let doc = marketdesk_server::api_document::document();
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                ops.insert((method.clone(), path.clone()));
            }
        }
    }
    ops
}

/// Every handler the router mounts, read from the route modules: routes reach the router
/// only through `routes!(…)` on an `#[utoipa::path(METHOD, path = "…")]` handler, so these
/// attributes are the router's table. A plain axum `.route(` in a route module would
/// bypass the document; none may exist.
fn mounted() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/routes");
    let mut files = vec![];
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    let mut ops = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            !text.contains(".route("),
            "{}: a route outside routes!() is not documented",
            f.display()
        );
        for (i, _) in text.match_indices("#[utoipa::path(") {
            let rest = &text[i + "#[utoipa::path(".len()..];
            let method = rest.split(',').next().unwrap().trim().to_string();
            let path = rest
                .split("path = \"")
                .nth(1)
                .and_then(|p| p.split('"').next())
                .unwrap_or_else(|| panic!("{}: a path attribute without path", f.display()));
            ops.insert((method, path.to_string()));
        }
    }
    ops
}

/// The document and the router list the same operations, both ways, and each documented
/// operation is answered by its handler — never by the "no such route" fallback or a 405.
async fn every_documented_route_is_served(app: TestApp) {
    let doc = documented();
    let router = mounted();
    let missing_from_doc: Vec<_> = router.difference(&doc).collect();
    let missing_from_router: Vec<_> = doc.difference(&router).collect();
    assert!(
        missing_from_doc.is_empty(),
        "mounted, not documented: {missing_from_doc:?}"
    );
    assert!(
        missing_from_router.is_empty(),
        "documented, not mounted: {missing_from_router:?}"
    );
    assert!(doc.len() >= 89, "only {} operations", doc.len());
    for (method, path) in &doc {
        if path == "/api/v1/inbox/stream" {
            continue; // an endless event stream; its route is checked by the inbox tests
        }
        let concrete = path
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    "01900000-0000-7000-8000-000000000000"
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        let req = match method.as_str() {
            "get" => app.client.get(app.url(&concrete)),
            "post" => app
                .client
                .post(app.url(&concrete))
                .json(&serde_json::json!({})),
            "put" => app
                .client
                .put(app.url(&concrete))
                .json(&serde_json::json!({})),
            "patch" => app
                .client
                .patch(app.url(&concrete))
                .json(&serde_json::json!({})),
            "delete" => app.client.delete(app.url(&concrete)),
            other => panic!("method {other}"),
        };
        let res = req
            .bearer_auth(crate::helpers::ADMIN_TOKEN)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: serde_json::Value = res.json().await.unwrap_or_default();
        assert_ne!(
            status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {body}"
        );
        assert!(
            !(status == StatusCode::NOT_FOUND && body["detail"] == "no such route"),
            "{method} {path} is documented but not routed"
        );
        assert!(status.as_u16() < 500, "{method} {path}: {status} {body}");
    }
}

/// Bodies shared by several operations whose rules differ: each operation documents its
/// own (found by schemathesis: one `Decision` schema promised either word to both).
async fn operations_sharing_a_body_document_their_own_rules(app: TestApp) {
    let (_, doc) = read(
        app.client
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let body = |method: &str, path: &str| {
        doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"].clone()
    };
    assert_eq!(
        body("post", "/api/v1/violations/{id}/review")["properties"]["decision"]["enum"],
        serde_json::json!(["approve", "reject"])
    );
    assert_eq!(
        body("post", "/api/v1/violations/{id}/appeal-decision")["properties"]["decision"]["enum"],
        serde_json::json!(["uphold", "dismiss"])
    );
    // A store's threshold cannot be null (a SKU's can: it falls back to the store's).
    let store = body("put", "/api/v1/stores/{store_id}/safety-threshold");
    assert_eq!(store["required"], serde_json::json!(["threshold"]));
    assert_eq!(store["properties"]["threshold"]["type"], "integer");
    let sku = &doc["components"]["schemas"]["ThresholdBody"]["properties"]["threshold"];
    assert!(
        sku["type"].as_array().unwrap().contains(&"null".into()),
        "{sku}"
    );
    // A rejection needs its words; the other review moves take an optional note.
    let reject = body("post", "/api/v1/products/{id}/review/reject");
    assert_eq!(reject["required"], serde_json::json!(["reason_text"]));
    assert!(doc["components"]["schemas"]["NoteBody"]["required"].is_null());
    // ... but a note that is sent must say something: the same rule as the rejection's.
    assert_eq!(
        doc["components"]["schemas"]["NoteBody"]["properties"]["reason_text"]["pattern"],
        reject["properties"]["reason_text"]["pattern"]
    );
}
