//! Editing a listing: how a seller rectifies what a reviewer took down, each change on
//! the timeline before → after; what an edit may not do, and that a refused edit
//! changes nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::evidence::{png_of, upload};
use crate::helpers::{TestApp, fields};
use crate::violations::{actions, case_post, run_all, setup, takedown};

/// A PNG the store uploads; `salt` makes its bytes (and so its blob) its own.
async fn image(app: &TestApp, token: &str, salt: u8) -> String {
    let (s, b) = upload(app, token, "photo.png", png_of(salt)).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    b["id"].as_str().unwrap().to_string()
}

fn change<'a>(item: &'a Value, field: &str) -> Option<&'a Value> {
    item["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_takedown_for_an_image_is_rectified_by_editing_the_listing() {
    run_all(async |b| {
        let c = setup(b).await;
        let path = format!("/api/v1/products/{}", c.product);
        let logo = image(&c.app, &c.seller, 1).await;
        let (s, p) = c
            .app
            .patch(&c.seller, &path, json!({"main_image_id": logo}))
            .await;
        assert_eq!(s, StatusCode::OK, "an on-sale listing is edited: {p}");
        assert_eq!(p["main_image_id"], logo.as_str());

        let v = takedown(&c, "normal").await;
        let case = v["id"].as_str().unwrap();
        let own = image(&c.app, &c.seller, 2).await;
        let version = c.app.product(&c.product).await["version"].clone();
        let (s, p) = c
            .app
            .patch(
                &c.seller,
                &path,
                json!({"main_image_id": own, "title": "Wireless Earbuds, own brand",
                       "description": "Our **own** photo.\nNo third-party logos. <img src=x onerror=alert(1)>",
                       "attributes": {"颜色": "白色"}, "version": version}),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::OK,
            "a violation-delisted listing is edited: {p}"
        );
        assert_eq!(
            (p["state"].as_str(), p["delist_kind"].as_str()),
            (Some("delisted"), Some("violation")),
            "an edit does not relist"
        );
        assert_eq!(p["title"], "Wireless Earbuds, own brand");
        assert_eq!(
            p["description_html"],
            "<p>Our <strong>own</strong> photo.\nNo third-party logos. &lt;img src=x onerror=alert(1)&gt;</p>\n",
            "the Markdown subset renders; markup the seller typed stays text"
        );
        assert_eq!(p["attributes"]["颜色"], "白色");

        let timeline = c.app.timeline(&c.seller, &c.product).await;
        let edit = timeline.last().unwrap();
        assert_eq!(edit["action"], "edit");
        let image_change = change(edit, "main_image_id").expect("the image change is recorded");
        assert_eq!(
            (
                image_change["before"].as_str(),
                image_change["after"].as_str()
            ),
            (Some(logo.as_str()), Some(own.as_str()))
        );
        let title = change(edit, "title").unwrap();
        assert_eq!(
            (title["before"].as_str(), title["after"].as_str()),
            (
                Some("Wireless Earbuds"),
                Some("Wireless Earbuds, own brand")
            )
        );
        assert!(change(edit, "attributes.颜色").unwrap()["before"].is_null());
        let edit_id = edit["id"].as_str().unwrap().to_string();

        // The edit made before the takedown is not this rectification's.
        let first_edit = timeline.iter().find(|t| t["action"] == "edit").unwrap()["id"].clone();
        let (s, e) = case_post(
            &c,
            &c.seller,
            case,
            "rectifications",
            json!({"plan": "Replaced the main image", "edit_ids": [first_edit]}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(fields(&e), ["edit_ids[0]"]);

        let (s, v) = case_post(
            &c,
            &c.seller,
            case,
            "rectifications",
            json!({"plan": "Replaced the main image with our own photo", "edit_ids": [edit_id]}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["rectifications"][0]["edit_ids"], json!([edit_id]));

        let (s, v) = case_post(&c, &c.seller, case, "relist-request", json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let under_review = c.app.product(&c.product).await;
        let (s, e) = c
            .app
            .patch(&c.seller, &path, json!({"title": "Changed under review"}))
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert_eq!(
            c.app.product(&c.product).await,
            under_review,
            "nothing changed"
        );

        let (s, v) = case_post(
            &c,
            &c.reviewer,
            case,
            "review",
            json!({"decision": "approve"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let p = c.app.product(&c.product).await;
        assert_eq!(p["state"], "on_sale");
        assert_eq!(p["main_image_id"], own.as_str(), "relisted as rectified");
        let seen = actions(&c.app.timeline(&c.seller, &c.product).await);
        let at = |a: &str| seen.iter().rposition(|x| x == a).unwrap();
        assert!(at("edit") < at("rectification_submitted"), "{seen:?}");
        assert!(
            at("rectification_submitted") < at("approve_review"),
            "{seen:?}"
        );
    })
    .await;
}

crate::on_both_backends!(
    skus_are_added_repriced_and_removed_by_code,
    refused_edits_change_nothing
);

async fn skus_are_added_repriced_and_removed_by_code(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let id = app.on_sale(&seller, &store, "Mug").await;
    let path = format!("/api/v1/products/{id}");
    let first = app.product(&id).await["skus"][0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, p) = app
        .patch(
            &seller,
            &path,
            json!({"skus": [
                {"code": first, "price": "12.50", "attributes": {"size": "L"}},
                {"code": format!("{first}-B"), "price": "8.00", "stock": 3}
            ]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let skus = p["skus"].as_array().unwrap();
    assert_eq!(skus.len(), 2);
    assert_eq!(skus[0]["price"]["amount"], "12.50");
    assert_eq!(skus[0]["attributes"]["size"], "L");
    assert_eq!(
        (skus[1]["stock"].as_i64(), skus[1]["available"].as_i64()),
        (Some(3), Some(3))
    );
    let edit = app.timeline(&seller, &id).await.pop().unwrap();
    let price = change(&edit, &format!("skus.{first}.price")).unwrap();
    assert_eq!(
        (price["before"].as_str(), price["after"].as_str()),
        (Some("9.90"), Some("12.50"))
    );
    let added = change(&edit, &format!("skus.{first}-B")).unwrap();
    assert_eq!(
        (added["before"].as_str(), added["after"].as_str()),
        (None, Some("8.00"))
    );
    let new_sku = skus[1]["id"].as_str().unwrap();
    let (_, ledger) = app
        .get(&seller, &format!("/api/v1/skus/{new_sku}/ledger"))
        .await;
    assert_eq!(
        ledger["items"][0]["on_hand_delta"], 3,
        "opening stock is the first receipt: {ledger}"
    );

    let (s, p) = app
        .patch(
            &seller,
            &path,
            json!({"skus": [{"code": first, "remove": true}]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["skus"].as_array().unwrap().len(), 1);
    // The product read (one statement, SKUs aggregated) and the list (products, then
    // their SKUs) show the same listing: the removed SKU gone, attributes and money whole.
    let (_, read) = app.get(&seller, &path).await;
    let (_, list) = app
        .get(&seller, &format!("/api/v1/stores/{store}/products"))
        .await;
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id.as_str())
        .unwrap();
    assert_eq!(&read, listed);
    assert_eq!(read, p, "the read shows what the edit answered");
    let (s, e) = app
        .patch(
            &seller,
            &path,
            json!({"skus": [{"code": first, "price": "1.00"}]}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a removed code is not reused: {e}"
    );
}

async fn refused_edits_change_nothing(app: TestApp) {
    let (store, seller) = app.seller_store("US", "self_operated").await;
    let (other_store, other_seller) = app.seller_store("US", "self_operated").await;
    let id = app.on_sale(&seller, &store, "Lamp").await;
    let path = format!("/api/v1/products/{id}");
    let theirs = image(&app, &other_seller, 3).await;
    let _ = other_store;
    let mine = image(&app, &seller, 4).await;
    let pdf = {
        let (s, b) = upload(
            &app,
            &seller,
            "cert.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec(),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b["id"].as_str().unwrap().to_string()
    };
    let sku = app.product(&id).await["skus"][0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let before = (app.product(&id).await, app.timeline(&seller, &id).await);
    let gallery: Vec<String> = (0..11).map(|_| mine.clone()).collect();
    for (body, status, field) in [
        (
            json!({"colour": "red"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "colour",
        ),
        (
            json!({"title": null}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "title",
        ),
        (
            json!({"title": "   "}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "title",
        ),
        (
            json!({"gallery": gallery}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "gallery",
        ),
        (
            json!({"main_image_id": theirs}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "main_image_id",
        ),
        (
            json!({"main_image_id": pdf}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "main_image_id",
        ),
        (
            json!({"attributes": {" padded": "x"}}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "attributes. padded",
        ),
        (
            json!({"skus": [{"code": sku, "price": "1.00"}, {"code": sku, "price": "2.00"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "skus[1].code",
        ),
        (
            json!({"skus": [{"code": sku, "stock": 50}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "skus[0].stock",
        ),
        (
            json!({"skus": [{"code": sku, "price": "-1"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "skus[0].price",
        ),
        (
            json!({"skus": [{"code": "NEW-1"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "skus[0].price",
        ),
        (
            json!({"skus": [{"code": sku, "remove": true}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "skus",
        ),
        (
            json!({"title": "Newer", "version": 1}),
            StatusCode::CONFLICT,
            "",
        ),
    ] {
        let (s, e) = app.patch(&seller, &path, body.clone()).await;
        assert_eq!(s, status, "{body}: {e}");
        assert_eq!(e["status"], status.as_u16(), "a problem document: {e}");
        if !field.is_empty() {
            assert!(fields(&e).iter().any(|f| f == field), "{body}: {e}");
        }
    }
    let (s, _) = app
        .patch(&other_seller, &path, json!({"title": "Mine now"}))
        .await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "another store's product does not exist for them"
    );
    let reviewer = app.create_user("reviewer", None).await;
    let (s, _) = app
        .patch(&reviewer, &path, json!({"title": "Fixed by staff"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "reviewers decide, sellers edit");
    let after = (app.product(&id).await, app.timeline(&seller, &id).await);
    assert_eq!(
        after, before,
        "no refused edit changed the product or its timeline"
    );

    // A patch that changes nothing writes nothing either.
    let (s, p) = app.patch(&seller, &path, json!({"title": "Lamp"})).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(app.timeline(&seller, &id).await.len(), before.1.len());
}
