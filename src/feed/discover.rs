//! Feed discovery in an HTML page: the feeds it links with
//! `<link rel="alternate" type="application/rss+xml|atom+xml|feed+json"
//! href="…">`, resolved against the page URL, in document order.

use dom_query::Document;
use url::Url;

/// The feed types a `<link rel="alternate">` may announce.
const FEED_TYPES: [&str; 4] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
];

/// The http(s) feeds `html` links to, resolved against `page_url`.
pub fn discover(html: &str, page_url: &Url) -> Vec<Url> {
    let document = Document::from(html);
    let links = document.select("link[href]");
    links
        .nodes()
        .iter()
        .filter(|link| {
            let alternate = link.attr("rel").is_some_and(|rel| {
                rel.split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("alternate"))
            });
            let feed_type = link.attr("type").is_some_and(|kind| {
                let kind = kind.split(';').next().unwrap_or("").trim();
                FEED_TYPES
                    .iter()
                    .any(|known| kind.eq_ignore_ascii_case(known))
            });
            alternate && feed_type
        })
        .filter_map(|link| page_url.join(link.attr("href")?.trim()).ok())
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(html: &str, expected: &[&str]) {
        let page = Url::parse("https://news.example/world/").unwrap();
        let found: Vec<String> = discover(html, &page).iter().map(Url::to_string).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn alternate_feed_links_are_found_in_order_and_resolved() {
        check(
            r#"<html><head><title>World</title>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/atom+xml" href="atom.xml">
            <link rel="alternate" type="application/rss+xml; charset=utf-8" href="https://news.example/rss">
            </head><body>News</body></html>"#,
            &[
                "https://news.example/world/atom.xml",
                "https://news.example/rss",
            ],
        );
    }

    #[test]
    fn other_links_and_schemes_are_not_feeds() {
        check(
            r#"<link rel="alternate" hreflang="fr" href="/fr/"><link rel="alternate"
            type="application/rss+xml" href="javascript:alert(1)"><a href="/feed.xml">feed</a>"#,
            &[],
        );
    }
}
