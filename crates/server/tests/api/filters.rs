//! The list page: every filter, keyset pages that cover everything exactly once.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

crate::on_both_backends!(filters_and_pages);

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

async fn filters_and_pages(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let mut on_sale = Vec::new();
    for i in 0..5 {
        on_sale.push(
            app.on_sale(&seller, &store, &format!("Wireless Earbuds {i}"))
                .await,
        );
    }
    let lamp = app.on_sale(&seller, &store, "LED Desk Lamp 50%_off").await;
    let (_, _) = app.delist(&seller, &on_sale[0], "seasonal").await;
    let (_, _) = app.delist(&seller, &on_sale[1], "slow_selling").await;
    let draft = app.create_product(&seller, &store, "Draft Kettle").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let base = format!("/api/v1/stores/{store}/products");
    let get = |q: &str| {
        let path = format!("{base}?{q}");
        let app = &app;
        let seller = seller.clone();
        async move {
            let (s, page) = app.get(&seller, &path).await;
            assert_eq!(s, StatusCode::OK, "{path}: {page}");
            page
        }
    };

    let all = get("").await;
    assert_eq!(ids(&all).len(), 7);
    let mut sorted = ids(&all);
    sorted.sort();
    sorted.reverse();
    assert_eq!(ids(&all), sorted, "newest first");

    assert_eq!(ids(&get("state=draft").await), std::slice::from_ref(&draft));
    assert_eq!(ids(&get("state=delisted").await).len(), 2);
    assert_eq!(
        ids(&get("reason_code=seasonal").await),
        [on_sale[0].clone()]
    );
    assert_eq!(ids(&get("delist_kind=voluntary").await).len(), 2);
    assert_eq!(ids(&get("label=grey").await).len(), 2);
    assert_eq!(ids(&get("label=green").await).len(), 4);
    assert_eq!(ids(&get("label=red").await).len(), 0);
    assert_eq!(
        ids(&get("state=on_sale&label=grey").await).len(),
        0,
        "contradicting filters match nothing"
    );
    assert_eq!(
        ids(&get("q=EARBUDS").await).len(),
        5,
        "text search ignores case"
    );
    assert_eq!(
        ids(&get("q=50%25_off").await),
        std::slice::from_ref(&lamp),
        "wildcards in the search are literal"
    );
    assert_eq!(ids(&get("q=0%25").await), std::slice::from_ref(&lamp));
    // A NUL in the search used to end SQLite's pattern early and match every product.
    let (s, p) = app.get(&seller, &format!("{base}?q=%00")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(crate::helpers::fields(&p), ["q"]);
    assert_eq!(ids(&get("category=toys&state=on_sale").await).len(), 4);
    assert_eq!(ids(&get("category=garden").await).len(), 0);
    assert_eq!(
        ids(&get("created_from=2000-01-01T00:00:00Z").await).len(),
        7
    );
    assert_eq!(ids(&get("created_to=2000-01-01T00:00:00Z").await).len(), 0);
    let recent = get("updated_from=2000-01-01T00:00:00Z&state=delisted").await;
    assert_eq!(ids(&recent).len(), 2);

    // Keyset pages of 2 cover all 7 exactly once, then stop.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("limit=2&cursor={c}"),
            None => "limit=2".to_string(),
        };
        let page = get(&q).await;
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, ids(&all));
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 7);
    assert_eq!(all["next_cursor"], json!(null));
}
