//! A webhook URL with a public name is accepted when saved, but the name is resolved
//! again at every send: one that answers 127.0.0.1 is refused and the delivery
//! dead-lettered with the reason, and the receiver on this machine hears nothing.

use std::time::Duration;

use marketdesk_service::channel_config::ChannelConfig;
use reqwest::StatusCode;
use serde_json::json;

use crate::channel_receivers::HttpReceiver;
use crate::helpers::{Backend, TestApp};

crate::on_each_backend!(a_public_name_resolving_to_this_machine_is_refused_at_send_time);

async fn one_delist_to(app: &TestApp, url: &str) -> serde_json::Value {
    let (store, seller) = app.seller_store("UK", "self_operated").await;
    let (s, b) = app
        .post(
            &seller,
            &format!("/api/v1/stores/{store}/webhooks"),
            json!({"url": url, "event_types": ["product.delisted"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let product = app.on_sale(&seller, &store, "Kettle").await;
    let (s, b) = app.delist(&seller, &product, "seasonal").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let page = app
        .wait_for(&seller, "/api/v1/deliveries?channel=webhook", |b| {
            b["items"]
                .as_array()
                .is_some_and(|i| i.len() == 1 && i[0]["state"] != "pending")
        })
        .await;
    page["items"][0].clone()
}

async fn a_public_name_resolving_to_this_machine_is_refused_at_send_time(backend: Backend) {
    let rx = HttpReceiver::start().await;
    let port = rx.base.rsplit(':').next().unwrap().to_string();
    let hosts = [(
        "hooks.example.com".to_string(),
        "127.0.0.1".parse().unwrap(),
    )];
    let url = format!("http://hooks.example.com:{port}/hook");

    // Control: where private targets are allowed, the fixed entry reaches the receiver.
    let allowed = TestApp::spawn_with_channels(
        backend.clone(),
        ChannelConfig {
            allow_private_targets: true,
            webhook_hosts: hosts.clone().into_iter().collect(),
            ..Default::default()
        },
    )
    .await;
    let d = one_delist_to(&allowed, &url).await;
    assert_eq!(d["state"], "delivered", "{d}");
    assert_eq!(rx.wait_for("hook", 1).await.len(), 1);

    // Where they are not (the default), the name is accepted when saved — it is public
    // — and refused when it resolves to this machine: dead at the first attempt.
    let guarded = TestApp::spawn_with_channels(
        backend,
        ChannelConfig {
            max_attempts: 5,
            request_timeout: Duration::from_secs(2),
            webhook_hosts: hosts.into_iter().collect(),
            ..Default::default()
        },
    )
    .await;
    let (store, seller) = guarded.seller_store("UK", "self_operated").await;
    let (s, p) = guarded
        .post(
            &seller,
            &format!("/api/v1/stores/{store}/webhooks"),
            json!({"url": format!("http://127.0.0.1:{port}/hook"), "event_types": ["*"]}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a literal loopback address: {p}"
    );
    let d = one_delist_to(&guarded, &url).await;
    assert_eq!(d["state"], "dead", "{d}");
    assert_eq!(d["attempts"], 1, "{d}");
    let why = d["last_error"].as_str().unwrap();
    assert!(
        why.contains("hooks.example.com resolves only to loopback, private or reserved addresses"),
        "{why}"
    );
    assert_eq!(
        rx.received("hook").len(),
        1,
        "only the control's request arrived"
    );
}
