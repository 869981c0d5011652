//! Which language a page is in: `?lang=` switches (and is remembered in the `lang`
//! cookie and, once signed in, in the person's settings); otherwise the signed-in
//! person's setting, then the cookie, then `Accept-Language`, then the site's default.

use axum::extract::Request;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;
use marketdesk_core::Language;

use crate::web::{LANG_COOKIE, cookie, set_cookie};

/// The `lang` query parameter, when it names a language marketdesk speaks.
pub fn asked(query: Option<&str>) -> Option<Language> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| v.parse().ok())
}

pub fn choose(
    query: Option<&str>,
    headers: &HeaderMap,
    chosen: Option<Language>,
    site_code: Option<&str>,
) -> Language {
    asked(query)
        .or(chosen)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(|c| c.parse().ok()))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Language::from_accept_language)
        })
        .unwrap_or_else(|| Language::for_site(site_code))
}

/// Remembers a `?lang=` switch in a cookie, for pages seen before signing in.
pub async fn remember(req: Request, next: Next) -> Response {
    let asked = asked(req.uri().query());
    let mut res = next.run(req).await;
    if let Some(l) = asked {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(LANG_COOKIE, l.as_str(), false, Some(365 * 24 * 3600)),
        );
    }
    res
}

/// The current address without its `lang` parameter, with `lang` set to `to`: the
/// language switch's link back to the same page.
pub fn switch_href(path: &str, query: Option<&str>, to: Language) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    if let Some(q) = query {
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            if k != "lang" {
                out.append_pair(&k, &v);
            }
        }
    }
    out.append_pair("lang", to.as_str());
    format!("{path}?{}", out.finish())
}
