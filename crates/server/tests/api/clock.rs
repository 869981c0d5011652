//! The sandbox clock: moves only forward, only with --clock manual, only for admins.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, Backend, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manual_clock_travels_and_stamps_changes() {
    for backend in Backend::all() {
        let app = TestApp::spawn_manual(backend).await;
        let (s, c) = app
            .post(
                ADMIN_TOKEN,
                "/api/v1/admin/clock",
                json!({"advance_by": "PT72H"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{c}");
        assert_eq!(c["now"], "2026-11-28T15:00:00Z");
        assert_eq!(c["mode"], "manual");
        let (s, c) = app
            .post(
                ADMIN_TOKEN,
                "/api/v1/admin/clock",
                json!({"advance_by": "P1D"}),
            )
            .await;
        assert_eq!(
            (s, c["now"].as_str()),
            (StatusCode::OK, Some("2026-11-29T15:00:00Z"))
        );
        let (s, _) = app
            .post(
                ADMIN_TOKEN,
                "/api/v1/admin/clock",
                json!({"set_to": "2026-11-01T00:00:00Z"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "never backwards");
        let (s, _) = app
            .post(
                ADMIN_TOKEN,
                "/api/v1/admin/clock",
                json!({"advance_by": "P1M"}),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "months have no fixed length"
        );
        let (s, _) = app
            .post(
                ADMIN_TOKEN,
                "/api/v1/admin/clock",
                json!({"advance_by": "PT1H", "set_to": "2027-01-01T00:00:00Z"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

        let (store, seller) = app.seller_store("US", "self_operated").await;
        let (s, _) = app
            .post(
                &seller,
                "/api/v1/admin/clock",
                json!({"advance_by": "PT1H"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let id = app.on_sale(&seller, &store, "Clocked").await;
        app.post(
            ADMIN_TOKEN,
            "/api/v1/admin/clock",
            json!({"set_to": "2026-12-01T09:30:00Z"}),
        )
        .await;
        app.delist(&seller, &id, "seasonal").await;
        let timeline = app.timeline(&seller, &id).await;
        assert_eq!(timeline[1]["at"], "2026-11-29T15:00:00Z");
        assert_eq!(
            timeline[2]["at"], "2026-12-01T09:30:00Z",
            "changes are stamped with the sandbox time"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn system_clock_refuses_time_travel() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (s, p) = app
        .post(
            ADMIN_TOKEN,
            "/api/v1/admin/clock",
            json!({"advance_by": "PT1H"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    let (_, c) = app.get(ADMIN_TOKEN, "/api/v1/admin/clock").await;
    assert_eq!(c["mode"], "system");
}
