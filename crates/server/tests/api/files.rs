//! Uploaded files served back: to the owning store's users and the platform's staff, 404
//! for anyone else (as for an id that does not exist); with their type, name, ETag and
//! caching; pictures with a thumbnail made at upload, and only real pictures accepted.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::json;

use crate::evidence::{png_of, tiny_png, upload};
use crate::helpers::{TestApp, fields};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
const PNG_MAGIC: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

crate::on_both_backends!(
    files_are_served_to_their_store_and_the_platform_only,
    only_real_pictures_are_accepted
);

async fn status_of(app: &TestApp, token: &str, path: &str) -> StatusCode {
    app.client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
}

async fn files_are_served_to_their_store_and_the_platform_only(app: TestApp) {
    let (store, seller) = app.seller_store("CN", "self_operated").await;
    let (stranger_store, stranger) = app.seller_store("CN", "self_operated").await;
    let reviewer = app.create_user("reviewer", None).await;
    let cs = app.create_user("cs_agent", None).await;

    let (s, image) = upload(&app, &seller, "主图 photo.png", tiny_png()).await;
    assert_eq!(s, StatusCode::CREATED, "{image}");
    assert_eq!(
        (image["width"].as_i64(), image["height"].as_i64()),
        (Some(1), Some(1))
    );
    let (s, doc) = upload(&app, &seller, "licence.pdf", PDF.to_vec()).await;
    assert_eq!(s, StatusCode::CREATED, "{doc}");
    assert!(
        doc["thumbnail_url"].is_null(),
        "a document has no thumbnail: {doc}"
    );
    let image_url = image["url"].as_str().unwrap().to_string();
    let thumb_url = image["thumbnail_url"].as_str().unwrap().to_string();
    let doc_url = doc["url"].as_str().unwrap().to_string();

    // The owner reads its picture with its type, name, validator and caching.
    let res = app
        .client
        .get(app.url(&image_url))
        .bearer_auth(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[CONTENT_TYPE], "image/png");
    let disposition = res.headers()[CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("inline;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%E4%B8%BB%E5%9B%BE%20photo.png"),
        "the Chinese name survives: {disposition}"
    );
    let etag = res.headers()[ETAG].to_str().unwrap().to_string();
    assert_eq!(etag, format!("\"{}\"", image["sha256"].as_str().unwrap()));
    assert!(
        res.headers()[CACHE_CONTROL]
            .to_str()
            .unwrap()
            .starts_with("private")
    );
    assert_eq!(&res.bytes().await.unwrap()[..], &tiny_png()[..]);
    let again = app
        .client
        .get(app.url(&image_url))
        .bearer_auth(&seller)
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());

    let thumb = app
        .client
        .get(app.url(&thumb_url))
        .bearer_auth(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), StatusCode::OK);
    assert_eq!(thumb.headers()[CONTENT_TYPE], "image/png");
    assert!(thumb.bytes().await.unwrap().starts_with(PNG_MAGIC));
    assert_eq!(
        status_of(&app, &seller, &format!("{doc_url}/thumbnail")).await,
        StatusCode::NOT_FOUND
    );
    let res = app
        .client
        .get(app.url(&doc_url))
        .bearer_auth(&seller)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()[CONTENT_TYPE], "application/pdf");

    // A reviewer's evidence becomes the store's to read once a takedown of its product
    // cites it, and never another store's.
    let (s, proof) = upload(&app, &reviewer, "screenshot.png", png_of(7)).await;
    assert_eq!(s, StatusCode::CREATED, "{proof}");
    let proof_url = proof["url"].as_str().unwrap().to_string();
    assert_eq!(
        status_of(&app, &seller, &proof_url).await,
        StatusCode::NOT_FOUND,
        "not cited yet"
    );
    let product = app.on_sale(&seller, &store, "Earbuds").await;
    let (s, v) = app
        .post(&reviewer, &format!("/api/v1/products/{product}/violations"),
            json!({"rule_code": "IM-1", "severity": "normal", "details": "Logo", "evidence_ids": [proof["id"]]}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");

    for (who, token, expected) in [
        ("the owner", seller.as_str(), [200, 200, 200, 200]),
        ("another store", stranger.as_str(), [404, 404, 404, 404]),
        ("a reviewer", reviewer.as_str(), [200, 200, 200, 200]),
        ("customer service", cs.as_str(), [200, 200, 200, 200]),
    ] {
        let got = [
            status_of(&app, token, &image_url).await.as_u16(),
            status_of(&app, token, &thumb_url).await.as_u16(),
            status_of(&app, token, &doc_url).await.as_u16(),
            status_of(&app, token, &proof_url).await.as_u16(),
        ];
        assert_eq!(
            got, expected,
            "{who}: picture, thumbnail, document, cited evidence"
        );
    }
    // Another store cannot cite its way into the platform's file: citing it is refused,
    // and the file stays unreadable to it.
    let theirs = app.on_sale(&stranger, &stranger_store, "Lamp").await;
    let (s, e) = app
        .post(
            &stranger,
            &format!("/api/v1/products/{theirs}/delist"),
            json!({"reason_code": "seasonal", "reason_text": "Winter", "evidence_ids": [proof["id"]]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(fields(&e), ["evidence_ids[0]"]);
    assert_eq!(
        status_of(&app, &stranger, &proof_url).await,
        StatusCode::NOT_FOUND
    );
    // The store the file is about may cite it back, in its rectification.
    let (s, r) = app
        .post(
            &seller,
            &format!(
                "/api/v1/violations/{}/rectifications",
                v["id"].as_str().unwrap()
            ),
            json!({"plan": "Own photo now", "evidence_ids": [proof["id"]]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    for path in [
        "/api/v1/files/not-an-id",
        "/api/v1/files/01a23333-0000-7000-8000-000000000000",
    ] {
        assert_eq!(
            status_of(&app, &seller, path).await,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

async fn only_real_pictures_are_accepted(app: TestApp) {
    let (_, seller) = app.seller_store("US", "self_operated").await;
    // The first bytes of a PNG and then nothing a decoder can read.
    let mut fake = PNG_MAGIC.to_vec();
    fake.extend_from_slice(b"not really a picture at all");
    let (s, b) = upload(&app, &seller, "fake.png", fake).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert_eq!(fields(&b), ["file"]);
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("picture"),
        "{b}"
    );
}
