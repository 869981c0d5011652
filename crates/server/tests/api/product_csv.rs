//! Products as CSV through HTTP: a 10,000-product round trip (import, export, change every
//! price in the file, import, export again and compare), and files refused whole — a wrong
//! header, a bad price in row 70,000, a product of another store — with nothing changed.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, read};

crate::on_both_backends!(
    ten_thousand_products_round_trip_through_csv,
    a_file_with_any_bad_row_changes_nothing,
);

const HEADER: &str = "product_id,title,category,description,state,sku_code,price,currency,stock";

async fn import(app: &TestApp, token: &str, store: &str, csv: String) -> (StatusCode, Value) {
    let res = app
        .client
        .post(app.url(&format!("/api/v1/stores/{store}/products/import")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    read(res).await
}

async fn export(app: &TestApp, token: &str, store: &str, query: &str) -> String {
    let res = app
        .client
        .get(app.url(&format!("/api/v1/stores/{store}/products?{query}")))
        .bearer_auth(token)
        .header("accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        res.headers()["content-disposition"],
        format!("attachment; filename=\"products-{store}.csv\"").as_str()
    );
    res.text().await.unwrap()
}

/// The export's rows by SKU code, each as its columns.
fn by_code(csv: &str) -> BTreeMap<String, Vec<String>> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>().join(","),
        HEADER
    );
    r.records()
        .map(|rec| {
            let rec: Vec<String> = rec.unwrap().iter().map(str::to_string).collect();
            (rec[5].clone(), rec)
        })
        .collect()
}

fn write(rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER.split(',')).unwrap();
    for r in rows {
        w.write_record(&r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

async fn ten_thousand_products_round_trip_through_csv(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    // 10,000 new products, the last 100 with a second SKU (rows sharing a title).
    let mut rows = Vec::new();
    for i in 0..10_000 {
        let title = format!("Lamp {i:05}, \"warm\" light");
        let row = |code: String, price: String| {
            vec![
                String::new(),
                title.clone(),
                "home".into(),
                "Line one\nline two".into(),
                String::new(),
                code,
                price,
                "USD".into(),
                "7".into(),
            ]
        };
        rows.push(row(
            format!("L-{i:05}"),
            format!("{}.{:02}", 10 + i % 90, i % 100),
        ));
        if i >= 9_900 {
            rows.push(row(format!("L-{i:05}-XL"), "99.99".into()));
        }
    }
    let (s, b) = import(&app, &seller, &store, write(rows)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        (
            b["rows"].as_i64(),
            b["created"].as_i64(),
            b["updated"].as_i64()
        ),
        (Some(10_100), Some(10_000), Some(0))
    );

    let first = by_code(&export(&app, &seller, &store, "").await);
    assert_eq!(first.len(), 10_100);
    let lamp = &first["L-00042"];
    assert_eq!(
        lamp[1], "Lamp 00042, \"warm\" light",
        "quotes and commas survive"
    );
    assert_eq!(lamp[3], "Line one\nline two");
    assert_eq!(
        (lamp[4].as_str(), lamp[6].as_str(), lamp[8].as_str()),
        ("draft", "52.42", "7")
    );
    assert_eq!(
        first["L-09950"][0], first["L-09950-XL"][0],
        "one product, two SKUs"
    );

    // Every price up by one dollar, in the exported file itself.
    let changed: Vec<Vec<String>> = first
        .values()
        .map(|r| {
            let mut r = r.clone();
            let p: rust_decimal::Decimal = r[6].parse().unwrap();
            r[6] = (p + rust_decimal::Decimal::ONE).to_string();
            r
        })
        .collect();
    let (s, b) = import(&app, &seller, &store, write(changed.clone())).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        (
            b["created"].as_i64(),
            b["updated"].as_i64(),
            b["unchanged"].as_i64()
        ),
        (Some(0), Some(10_000), Some(0))
    );
    let second = by_code(&export(&app, &seller, &store, "").await);
    let expected: BTreeMap<String, Vec<String>> =
        changed.into_iter().map(|r| (r[5].clone(), r)).collect();
    assert_eq!(second, expected, "the second export is the edited file");
    assert_eq!(second["L-00042"][6], "53.42");

    // Each price change is an edit on the product's timeline, before → after.
    let id = &second["L-00042"][0];
    let timeline = app.timeline(&seller, id).await;
    let edit = timeline
        .iter()
        .find(|t| t["action"] == "edit")
        .expect("an edit row");
    assert!(
        edit.to_string().contains("52.42") && edit.to_string().contains("53.42"),
        "{edit}"
    );
    // The same file again changes nothing and says so.
    let (s, b) = import(
        &app,
        &seller,
        &store,
        export(&app, &seller, &store, "").await,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        (b["updated"].as_i64(), b["unchanged"].as_i64()),
        (Some(0), Some(10_000))
    );
    // The export takes the list's filters.
    let some = by_code(&export(&app, &seller, &store, "q=Lamp%200999").await);
    assert_eq!(some.len(), 10 + 10, "Lamp 09990–09999, each with an XL");
}

async fn a_file_with_any_bad_row_changes_nothing(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let (other_store, other) = app.seller_store("US", "self_operated").await;
    let theirs = app.create_product(&other, &other_store, "Their lamp").await;
    let mine = app.on_sale(&seller, &store, "My lamp").await;
    let (_, before) = app.get(&seller, &format!("/api/v1/products/{mine}")).await;

    let field_of = |b: &Value| -> Vec<String> {
        b["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect()
    };
    // A wrong header.
    let (s, b) = import(&app, &seller, &store, "name,price\nLamp,1\n".into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b.to_string().contains("unknown column \\\"name\\\""), "{b}");
    // Not CSV at all.
    let res = app
        .client
        .post(app.url(&format!("/api/v1/stores/{store}/products/import")))
        .bearer_auth(&seller)
        .json(&serde_json::json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // 70,000 good rows and a bad price in the last; plus an edit of my product.
    let mut rows: Vec<Vec<String>> = (0..70_000)
        .map(|i| {
            vec![
                String::new(),
                format!("P{i}"),
                "home".into(),
                String::new(),
                String::new(),
                format!("P-{i}"),
                "5.00".into(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    rows[69_999][6] = "12,50".into();
    rows.push(vec![
        mine.clone(),
        "Renamed".into(),
        "home".into(),
        String::new(),
        String::new(),
        before["skus"][0]["code"].as_str().unwrap().into(),
        "1.00".into(),
        String::new(),
        String::new(),
    ]);
    let (s, b) = import(&app, &seller, &store, write(rows)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(field_of(&b), ["line 70001: price"], "{b}");

    // Another store's product, a code used twice, a stock edit, a bad stock.
    let my_code = before["skus"][0]["code"].as_str().unwrap().to_string();
    let csv = write([
        vec![
            theirs["id"].as_str().unwrap().into(),
            "Taken".into(),
            "home".into(),
            String::new(),
            String::new(),
            "T-1".into(),
            "1.00".into(),
            String::new(),
            String::new(),
        ],
        vec![
            String::new(),
            "New".into(),
            "home".into(),
            String::new(),
            String::new(),
            my_code.clone(),
            "1.00".into(),
            String::new(),
            String::new(),
        ],
        vec![
            mine.clone(),
            "My lamp".into(),
            "home".into(),
            String::new(),
            String::new(),
            my_code.clone(),
            "1.00".into(),
            String::new(),
            "999".into(),
        ],
        vec![
            String::new(),
            "Other".into(),
            "home".into(),
            String::new(),
            String::new(),
            "O-1".into(),
            "1.00".into(),
            String::new(),
            "-3".into(),
        ],
        vec![
            String::new(),
            String::new(),
            "home".into(),
            String::new(),
            String::new(),
            "O-2".into(),
            "1.00".into(),
            String::new(),
            String::new(),
        ],
    ]);
    let (s, b) = import(&app, &seller, &store, csv).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let fields = field_of(&b);
    for want in [
        "line 2: product_id",
        "line 3: sku_code",
        "line 4: stock",
        "line 5: stock",
        "line 6: title",
    ] {
        assert!(
            fields.contains(&want.to_string()),
            "{want} not in {fields:?}: {b}"
        );
    }
    assert!(
        !b.to_string().contains("Their lamp"),
        "nothing of the other store is told"
    );

    // Nothing changed: my product as it was, no new products, theirs untouched.
    let (_, after) = app.get(&seller, &format!("/api/v1/products/{mine}")).await;
    assert_eq!(after, before);
    assert_eq!(by_code(&export(&app, &seller, &store, "").await).len(), 1);
    let (_, t) = app
        .get(
            &other,
            &format!("/api/v1/products/{}", theirs["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(t["title"], "Their lamp");
    // A seller cannot import into another store.
    let (s, _) = import(
        &app,
        &seller,
        &other_store,
        format!("{HEADER}\n,A,home,,,A-1,1.00,,\n"),
    )
    .await;
    assert!(
        s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN,
        "{s}"
    );
}
