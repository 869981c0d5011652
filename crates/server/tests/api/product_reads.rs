//! Product reads that arrive together share one statement (see the service's
//! `product_reads`). Each still gets its own product, a seller still gets only their own
//! store's, and a read sent after a write sees that write.

use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp};

crate::on_both_backends!(reads_sent_together_each_get_their_own_product);

async fn reads_sent_together_each_get_their_own_product(app: TestApp) {
    let (store_a, seller_a) = app.seller_store("US", "self_operated").await;
    let (store_b, seller_b) = app.seller_store("US", "self_operated").await;
    let mut mine = Vec::new();
    for n in 0..12 {
        mine.push((
            app.on_sale(&seller_a, &store_a, &format!("A lamp {n}"))
                .await,
            format!("A lamp {n}"),
        ));
    }
    let theirs = app.on_sale(&seller_b, &store_b, "B kettle").await;
    let missing = "0190c3a0-0000-7000-8000-000000000000";

    // 240 reads at once: the store's own products, another store's, one that does not
    // exist and a malformed id, by the seller; the other store's by an admin.
    let reads = (0..240).map(|i| {
        let (token, path, want): (&str, String, Option<String>) = match i % 16 {
            12 => (&seller_a, format!("/api/v1/products/{theirs}"), None),
            13 => (&seller_a, format!("/api/v1/products/{missing}"), None),
            14 => (&seller_a, "/api/v1/products/not-an-id".into(), None),
            15 => (
                ADMIN_TOKEN,
                format!("/api/v1/products/{theirs}"),
                Some("B kettle".into()),
            ),
            k => (
                &seller_a,
                format!("/api/v1/products/{}", mine[k].0),
                Some(mine[k].1.clone()),
            ),
        };
        let app = &app;
        async move { (path.clone(), want, app.get(token, &path).await) }
    });
    for (path, want, (status, body)) in join_all(reads).await {
        match want {
            Some(title) => {
                assert_eq!(status, StatusCode::OK, "{path}: {body}");
                assert_eq!(
                    body["title"],
                    title.as_str(),
                    "{path} answered another product"
                );
                assert!(
                    path.ends_with(body["id"].as_str().unwrap()),
                    "{path}: {body}"
                );
                assert_eq!(body["skus"].as_array().unwrap().len(), 1, "{body}");
            }
            None => {
                assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
                assert!(
                    !body.to_string().contains("kettle"),
                    "nothing of store B leaks: {body}"
                );
            }
        }
    }

    // A read sent after an edit's answer sees the edit, while other reads keep batches full.
    let (lamp, _) = &mine[0];
    let path = format!("/api/v1/products/{lamp}");
    let others: Vec<String> = (1..12)
        .map(|k| format!("/api/v1/products/{}", mine[k].0))
        .collect();
    let background = async {
        for _ in 0..20 {
            join_all(others.iter().map(|p| app.get(&seller_a, p))).await;
        }
    };
    let edits = async {
        for n in 0..20 {
            let title = format!("A lamp, edit {n}");
            let (s, b) = app.patch(&seller_a, &path, json!({"title": title})).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            let (s, b) = app.get(&seller_a, &path).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            assert_eq!(
                b["title"],
                title.as_str(),
                "the read after edit {n} is stale"
            );
        }
    };
    tokio::join!(background, edits);
}
