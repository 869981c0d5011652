//! The OpenAPI document lists every route the server answers.

use reqwest::StatusCode;

use crate::helpers::{TestApp, read};

crate::on_both_backends!(openapi_lists_every_route);

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
