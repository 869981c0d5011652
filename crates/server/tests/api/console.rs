//! The seller console over HTTP, as a browser without JavaScript uses it: sign-in with
//! CSRF and a wrong password refused, the product list, the two-step batch delist, another
//! store's product as 404, a forged POST as 403, the language switch, sign-out.

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;

use crate::helpers::{ADMIN_TOKEN, TestApp};

crate::on_both_backends!(a_seller_delists_three_products_in_two_steps);

const PASSWORD: &str = "correct horse battery";

pub(crate) fn browser() -> reqwest::Client {
    marketdesk_store::tls::install();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub(crate) fn csrf_of(html: &str) -> String {
    let at = html
        .find("name=\"csrf_token\" value=\"")
        .expect("a csrf field")
        + 25;
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

pub(crate) fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// Signs in through the form; the session cookie's `name=value`.
async fn sign_in(app: &TestApp, login: &str, password: &str) -> Result<String, StatusCode> {
    let b = browser();
    let res = b.get(app.url("/login")).send().await.unwrap();
    let login_cookie = cookie_value(&res, "marketdesk_login_csrf").unwrap();
    let login_cookie = login_cookie.split(';').next().unwrap().to_string();
    let token = csrf_of(&res.text().await.unwrap());
    let res = b
        .post(app.url("/login"))
        .header(COOKIE, &login_cookie)
        .form(&[
            ("login", login),
            ("password", password),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    if res.status() != StatusCode::SEE_OTHER {
        assert!(
            cookie_value(&res, "marketdesk_session").is_none(),
            "no session on a refusal"
        );
        return Err(res.status());
    }
    let set = cookie_value(&res, "marketdesk_session").expect("a session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"),
        "{set}"
    );
    Ok(set.split(';').next().unwrap().to_string())
}

pub(crate) async fn page(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, String) {
    let res = browser()
        .get(app.url(path))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap();
    (res.status(), res.text().await.unwrap())
}

async fn a_seller_delists_three_products_in_two_steps(app: TestApp) {
    let store = app.create_store("US", "self_operated").await;
    // Console accounts: a login needs a password of 12 characters or more.
    let (s, b) = app
        .post(ADMIN_TOKEN, "/api/v1/users", json!({"name": "Ann", "role": "seller", "store_id": store, "login": "ann", "password": "short"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (s, b) = app
        .post(ADMIN_TOKEN, "/api/v1/users", json!({"name": "Ann", "role": "seller", "store_id": store, "login": "Ann", "password": PASSWORD}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["login"], "ann", "logins compare without case");
    let token = b["token"].as_str().unwrap().to_string();
    let (s, _) = app
        .post(ADMIN_TOKEN, "/api/v1/users", json!({"name": "Ann 2", "role": "seller", "store_id": store, "login": "ANN", "password": PASSWORD}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "a login is unique");

    // Without a session every page leads to the login form.
    let res = browser().get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/login");
    assert_eq!(
        sign_in(&app, "ann", "not the password").await,
        Err(StatusCode::UNAUTHORIZED)
    );
    let cookie = sign_in(&app, "ann", PASSWORD).await.unwrap();

    let mut ids = Vec::new();
    for title in ["Red Kite", "Blue Kite", "Green Kite", "Yellow Kite"] {
        ids.push(app.on_sale(&token, &store, title).await);
    }
    let (s, html) = page(&app, &cookie, "/products?state=on_sale").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Red Kite") && html.contains("Yellow Kite"),
        "{html}"
    );
    let csrf = csrf_of(&html);

    // A POST without this session's token is refused and changes nothing.
    let forged = browser()
        .post(app.url("/products/delist/confirm"))
        .header(COOKIE, &cookie)
        .form(&[
            ("product_ids", ids[0].as_str()),
            ("reason_code", "seasonal"),
            ("reason_text", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.product(&ids[0]).await["state"], "on_sale");

    // Step one: three products chosen; the reason form.
    let chosen: Vec<(&str, &str)> = ids[..3]
        .iter()
        .map(|i| ("product_ids", i.as_str()))
        .collect();
    let mut form = chosen.clone();
    form.push(("csrf_token", &csrf));
    let res = browser()
        .post(app.url("/products/delist"))
        .header(COOKIE, &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Delist 3 products"), "{html}");
    // Step two: without a reason text the form comes back with the field named.
    let multipart = |text: &str| {
        let mut f = reqwest::multipart::Form::new()
            .text("csrf_token", csrf.clone())
            .text("reason_code", "seasonal")
            .text("reason_text", text.to_string())
            .part(
                "evidence",
                reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
            );
        for id in &ids[..3] {
            f = f.text("product_ids", id.clone());
        }
        f
    };
    let res = browser()
        .post(app.url("/products/delist/check"))
        .header(COOKIE, &cookie)
        .multipart(multipart(""))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("reason_text"));
    let res = browser()
        .post(app.url("/products/delist/check"))
        .header(COOKIE, &cookie)
        .multipart(multipart("end of the season"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    // 3 products × 5 units each stop selling; nothing has changed yet.
    assert!(html.contains("<dd id=\"units-frozen\">15</dd>"), "{html}");
    assert_eq!(app.product(&ids[0]).await["state"], "on_sale");
    // Confirm: all three move, with their timeline rows.
    let mut form = chosen.clone();
    form.extend([
        ("csrf_token", csrf.as_str()),
        ("reason_code", "seasonal"),
        ("reason_text", "end of the season"),
    ]);
    let res = browser()
        .post(app.url("/products/delist/confirm"))
        .header(COOKIE, &cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[LOCATION],
        "/products?state=delisted&delisted=3"
    );
    for id in &ids[..3] {
        let p = app.product(id).await;
        assert_eq!(
            (p["state"].as_str(), p["label"].as_str()),
            (Some("delisted"), Some("grey"))
        );
        assert_eq!(
            app.timeline(&token, id).await.last().unwrap()["reason_text"],
            "end of the season"
        );
    }
    assert_eq!(
        app.product(&ids[3]).await["state"],
        "on_sale",
        "the fourth was not chosen"
    );
    let (_, html) = page(
        &app,
        &cookie,
        "/products?state=delisted&delisted=3&reason_code=seasonal",
    )
    .await;
    assert!(
        html.contains("3 products delisted")
            && html.contains("label-grey")
            && !html.contains("Yellow Kite"),
        "{html}"
    );
    let (_, html) = page(&app, &cookie, &format!("/products/{}", ids[0])).await;
    assert!(
        html.contains("Voluntary delisting") && html.contains("end of the season"),
        "{html}"
    );

    // Another store's product reads as not found.
    let other = app.create_store("UK", "self_operated").await;
    let other_seller = app.create_user("seller", Some(&other)).await;
    let theirs = app.on_sale(&other_seller, &other, "Their Kite").await;
    let (s, html) = page(&app, &cookie, &format!("/products/{theirs}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!html.contains("Their Kite"));

    // 中文: the switch is remembered as the person's choice.
    let (_, html) = page(&app, &cookie, "/products?lang=zh-CN").await;
    assert!(
        html.contains("<html lang=\"zh-CN\">")
            && html.contains("在售")
            && html.contains("商品管理"),
        "{html}"
    );
    let (_, html) = page(&app, &cookie, "/inbox").await;
    assert!(
        html.contains("站内信"),
        "still Chinese without the parameter"
    );
    let (s, b) = app.get(&token, "/api/v1/me/notifications").await;
    assert_eq!(
        (s, b["language"].as_str()),
        (StatusCode::OK, Some("zh-CN")),
        "{b}"
    );

    // A new password ends other sessions; signing out ends this one on the server.
    let second = sign_in(&app, "ann", PASSWORD).await.unwrap();
    let (s, b) = app
        .put(
            &token,
            "/api/v1/me/password",
            json!({"current": "wrong", "new": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    let (s, _) = app
        .put(
            &token,
            "/api/v1/me/password",
            json!({"current": PASSWORD, "new": "a brand new passphrase"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        page(&app, &second, "/products").await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        sign_in(&app, "ann", PASSWORD).await,
        Err(StatusCode::UNAUTHORIZED)
    );
    let third = sign_in(&app, "ann", "a brand new passphrase")
        .await
        .unwrap();
    let (_, html) = page(&app, &third, "/products").await;
    let res = browser()
        .post(app.url("/logout"))
        .header(COOKIE, &third)
        .form(&[("csrf_token", csrf_of(&html))])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        page(&app, &third, "/products").await.0,
        StatusCode::SEE_OTHER,
        "the cookie no longer works"
    );
}
