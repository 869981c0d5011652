//! Evidence files: checked by content, stored once by hash, cited by delists.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{TestApp, fields, read};

crate::on_both_backends!(evidence_is_checked_and_cited);

/// A real 1×1 PNG (decodes, so it is accepted as a picture).
pub fn tiny_png() -> Vec<u8> {
    png_of(0)
}

/// A 2×2 PNG of one grey `shade`: pictures with bytes of their own.
pub fn png_of(shade: u8) -> Vec<u8> {
    let side = if shade == 0 { 1 } else { 2 };
    let picture = image::RgbImage::from_pixel(side, side, image::Rgb([shade, shade, shade]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()));
    let res = app
        .client
        .post(app.url("/api/v1/evidence"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    read(res).await
}

async fn evidence_is_checked_and_cited(app: TestApp) {
    let (store, seller) = app.seller_store("UK", "self_operated").await;
    let png = tiny_png();
    let (s, ev) = upload(&app, &seller, "label.png", png.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{ev}");
    assert_eq!(ev["content_type"], "image/png");
    assert_eq!(ev["size"], png.len());
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&png))
    };
    assert_eq!(ev["sha256"], sha);
    let (_, again) = upload(&app, &seller, "copy.png", png.clone()).await;
    assert_eq!(again["sha256"], sha, "same content, same address");
    assert_ne!(again["id"], ev["id"]);

    let (s, p) = upload(&app, &seller, "notes.png", b"just text pretending".to_vec()).await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "judged by content, not by name: {p}"
    );
    assert_eq!(fields(&p), ["file"]);
    let (s, _) = upload(&app, &seller, "empty.pdf", Vec::new()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b'0');
    let (s, p) = upload(&app, &seller, "big.pdf", big).await;
    assert!(
        s == StatusCode::PAYLOAD_TOO_LARGE || s == StatusCode::UNPROCESSABLE_ENTITY,
        "{s} {p}"
    );
    let res = app
        .client
        .post(app.url("/api/v1/evidence"))
        .bearer_auth(&seller)
        .multipart(Form::new().text("note", "no file"))
        .send()
        .await
        .unwrap();
    assert_eq!(read(res).await.0, StatusCode::UNPROCESSABLE_ENTITY);

    let id = app.on_sale(&seller, &store, "Umbrella").await;
    let (s, _) = app
        .post(&seller, &format!("/api/v1/products/{id}/delist"), json!({"reason_code": "quality_defect", "reason_text": "Ribs break", "evidence_ids": [ev["id"]]}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let timeline = app.timeline(&seller, &id).await;
    assert_eq!(timeline.last().unwrap()["evidence_ids"], json!([ev["id"]]));

    // The stored bytes are the uploaded bytes.
    assert_eq!(app.service.blobs.get(&sha).await.unwrap().to_vec(), png);
}
