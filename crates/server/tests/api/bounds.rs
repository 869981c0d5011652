//! Input at the edges of time and of the code: absurd spans and instants are refused as
//! problems, and a panic anywhere answers a 500 problem instead of dropping the connection.

use reqwest::StatusCode;

use crate::helpers::{TestApp, fields};

crate::on_both_backends!(
    deadline_spans_are_bounded,
    a_corrupt_stored_name_is_a_read_error
);

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

/// A state or kind outside its closed list (a hand-edited or corrupted row) is refused
/// when the row is read, naming the column, instead of reaching a rule as text (where it
/// used to panic, or for a violation's outcome silently read as "relisted").
async fn a_corrupt_stored_name_is_a_read_error(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let id = app.on_sale(&seller, &store, "Lamp").await;
    let sound = app.on_sale(&seller, &store, "Chair").await;
    let mut c = app.service.db.reader().await.unwrap();
    sqlx::query("UPDATE products SET delist_kind = 'misplaced' WHERE id = $1")
        .bind(&id)
        .execute(&mut *c)
        .await
        .unwrap();
    let read = marketdesk_store::products::product(&mut c, &id).await;
    let err = read.expect_err("a corrupt delist kind must not read as a product");
    assert!(err.to_string().contains("delist_kind"), "{err}");
    drop(c);
    let (s, b) = app.get(&seller, &format!("/api/v1/products/{sound}")).await;
    assert_eq!(
        s,
        StatusCode::OK,
        "the store's other products still read: {b}"
    );
    assert_eq!(b["state"], "on_sale");
}
