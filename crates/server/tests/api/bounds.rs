//! Input at the edges of time and of the code: absurd spans and instants are refused as
//! problems, and a panic anywhere answers a 500 problem instead of dropping the connection.

use reqwest::StatusCode;

use crate::helpers::{TestApp, fields};

crate::on_both_backends!(deadline_spans_are_bounded);

async fn deadline_spans_are_bounded(app: TestApp) {
    let (_, seller) = app.seller_store("US", "self_operated").await;
    for query in [
        "from=2026-11-25T15:00:00Z&business_days=2147483647",
        "from=2026-11-25T15:00:00Z&business_days=4000000000",
        "from=2026-11-25T15:00:00Z&hours=100001",
        "from=2026-11-25T15:00:00Z&calendar_days=10001",
        "from=9999-12-30T15:00:00Z&hours=100",
        "from=9999-12-30T15:00:00Z&business_days=3",
        "from=9999-12-30T15:00:00Z&calendar_days=2",
    ] {
        let (s, b) = app
            .get(&seller, &format!("/api/v1/sites/US/calendar/due?{query}"))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {b}");
        assert!(!fields(&b).is_empty(), "{query}: {b}");
    }
    let (s, b) = app
        .get(
            &seller,
            "/api/v1/sites/US/calendar/due?from=2026-11-25T15:00:00Z&business_days=1",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["due"], "2026-11-27T15:00:00Z");
}

/// The layer every response goes through: a handler that panics still answers.
#[tokio::test]
async fn a_panic_answers_a_logged_500_problem() {
    async fn boom() -> &'static str {
        panic!("deliberate panic in a handler")
    }
    let app = marketdesk_server::catch_panics(
        axum::Router::new().route("/boom", axum::routing::get(boom)),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let res = reqwest::get(format!("http://{addr}/boom")).await.unwrap();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], 500);
    assert!(
        !body["detail"].as_str().unwrap().contains("deliberate"),
        "no panic text leaks: {body}"
    );
}
