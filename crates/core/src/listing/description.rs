//! A listing's description: plain text with a small, safe subset of Markdown — paragraphs,
//! line breaks, emphasis, strong, lists, inline code and code blocks, and links to http(s)
//! or mailto addresses. Everything else a seller types is shown as text: raw HTML is
//! escaped, headings become strong paragraphs, images become their description, and a link
//! to any other scheme (`javascript:`, `data:`) is its text alone. The rendered HTML is what
//! the console and e-mail may embed as it is.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

fn safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

/// The description as HTML, safe to embed.
pub fn render(description: &str) -> String {
    let mut dropped_links = 0usize;
    let mut events: Vec<Event> = Vec::new();
    for e in Parser::new_ext(description, Options::empty()) {
        match e {
            Event::Html(t) | Event::InlineHtml(t) => events.push(Event::Text(t)),
            Event::Start(Tag::Heading { .. }) => {
                events.push(Event::Start(Tag::Paragraph));
                events.push(Event::Start(Tag::Strong));
            }
            Event::End(TagEnd::Heading(_)) => {
                events.push(Event::End(TagEnd::Strong));
                events.push(Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::Link { dest_url, .. }) if !safe_link(&dest_url) => {
                dropped_links += 1;
            }
            Event::End(TagEnd::Link) if dropped_links > 0 => dropped_links -= 1,
            // A picture in a description would load from anywhere: its words stay.
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::BlockQuote(_)) | Event::End(TagEnd::BlockQuote(_)) => {}
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(description.len() * 2);
    html::push_html(&mut out, events.into_iter());
    // Links leave the marketplace: no referrer, no ranking credit.
    out.replace("<a href=", "<a rel=\"nofollow noopener noreferrer\" href=")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_subset_renders_and_the_rest_is_text() {
        let html = render(
            "# Warm light\n\n**Bright** and *dimmable*.\n\n- 3 modes\n- USB-C\n\n<script>alert(1)</script>\n\n[manual](https://example.com/m.pdf) [x](javascript:alert(1)) ![logo](https://evil.test/x.png)",
        );
        assert!(
            html.contains("<p><strong>Warm light</strong></p>"),
            "{html}"
        );
        assert!(
            html.contains("<strong>Bright</strong> and <em>dimmable</em>"),
            "{html}"
        );
        assert!(html.contains("<li>3 modes</li>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("<a rel=\"nofollow noopener noreferrer\" href=\"https://example.com/m.pdf\">manual</a>"),
            "{html}"
        );
        assert!(
            !html.contains("javascript:") && !html.contains("<img"),
            "{html}"
        );
        assert!(
            html.contains(">x<") || html.contains(" x "),
            "the link's text stays: {html}"
        );
        assert!(html.contains("logo"), "an image's words stay: {html}");
    }

    proptest! {
        /// Whatever a seller types, no markup of their own and no script URL comes out.
        #[test]
        fn nothing_typed_becomes_markup(s in "[ -~\n]{0,200}") {
            let html = render(&s);
            let lower = html.to_ascii_lowercase();
            prop_assert!(!lower.contains("<script"), "{}", html);
            prop_assert!(!lower.contains("<img"), "{}", html);
            prop_assert!(!lower.contains("<iframe"), "{}", html);
            prop_assert!(!lower.contains("href=\"javascript:"), "{}", html);
            prop_assert!(!lower.contains("href=\"data:"), "{}", html);
        }
    }
}
