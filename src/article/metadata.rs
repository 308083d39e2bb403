//! Page metadata: title, published time, canonical URL, site name, language
//! and the JSON-LD article body. Reads the parsed document; never mutates it.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use dom_query::Document;
use serde_json::Value;
use url::Url;

/// What the page says about itself, before any text extraction.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub(crate) title: Option<String>,
    pub(crate) published: Option<DateTime<Utc>>,
    pub(crate) canonical_url: Option<Url>,
    pub(crate) site_name: Option<String>,
    pub(crate) language: Option<String>,
    /// JSON-LD `articleBody`, whitespace-normalised, when the page has one.
    pub(crate) json_ld_body: Option<String>,
}

/// The first article-like JSON-LD object's fields we use.
#[derive(Debug, Default)]
struct JsonLdArticle {
    headline: Option<String>,
    date_published: Option<String>,
    article_body: Option<String>,
}

/// The elements metadata comes from, gathered in one walk of the tree
/// instead of one selector pass each.
#[derive(Default)]
struct Scan {
    /// `(lower-cased property or name, content)` of every `<meta>` in order.
    metas: Vec<(String, String)>,
    /// Text of every `application/ld+json` script, in order.
    json_ld: Vec<String>,
    first_h1: Option<String>,
    first_title: Option<String>,
    /// `datetime` of every `<time>`, in order.
    times: Vec<String>,
    /// `href` of the first `<link rel="canonical">`.
    canonical: Option<String>,
    /// `lang` of the first element that has one among `<html>` elements.
    lang: Option<String>,
}

fn scan(doc: &Document) -> Scan {
    let mut found = Scan::default();
    let mut stack = vec![doc.root()];
    while let Some(node) = stack.pop() {
        if let Some(name) = node.node_name() {
            match &*name {
                "meta" => {
                    let key = node
                        .attr("property")
                        .or_else(|| node.attr("name"))
                        .or_else(|| node.attr("itemprop"));
                    if let (Some(key), Some(content)) = (key, node.attr("content")) {
                        found
                            .metas
                            .push((key.trim().to_ascii_lowercase(), content.trim().to_string()));
                    }
                }
                "script" => {
                    let is_json_ld = node.attr("type").is_some_and(|kind| {
                        kind.trim().eq_ignore_ascii_case("application/ld+json")
                    });
                    if is_json_ld {
                        found.json_ld.push(node.text().to_string());
                    }
                    continue;
                }
                "h1" if found.first_h1.is_none() => {
                    found.first_h1 = Some(collapse(&node.text()));
                }
                "title" if found.first_title.is_none() => {
                    found.first_title = Some(collapse(&node.text()));
                }
                "time" => {
                    if let Some(value) = node.attr("datetime") {
                        found.times.push(value.to_string());
                    }
                }
                "link" if found.canonical.is_none() => {
                    let is_canonical = node.attr("rel").is_some_and(|rel| {
                        rel.split_whitespace()
                            .any(|word| word.eq_ignore_ascii_case("canonical"))
                    });
                    if is_canonical && let Some(href) = node.attr("href") {
                        found.canonical = Some(href.trim().to_string());
                    }
                }
                "html" if found.lang.is_none() => {
                    found.lang = node.attr("lang").map(|lang| lang.trim().to_string());
                }
                // Never hold page metadata; an SVG's <title> is not the page's.
                "style" | "svg" => continue,
                _ => {}
            }
        }
        stack.extend(node.children_it(true));
    }
    found
}

/// Reads all metadata from `doc`, resolving URLs against `page_url`.
pub(crate) fn read(doc: &Document, page_url: &Url) -> PageMeta {
    let scan = scan(doc);
    let meta = |key: &str| {
        scan.metas
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, content)| content.clone())
            .filter(|content| !content.is_empty())
    };
    let json_ld = json_ld_article(&scan.json_ld);

    let site_name = meta("og:site_name").or_else(|| meta("application-name"));
    let h1 = scan.first_h1.clone().filter(|text| !text.is_empty());
    let title_tag = scan.first_title.clone().filter(|text| !text.is_empty());
    let raw_title = meta("og:title")
        .or_else(|| json_ld.headline.clone())
        .or_else(|| meta("twitter:title"))
        .or(h1)
        .or(title_tag);
    let title = raw_title.map(|title| clean_title(&collapse(&title), site_name.as_deref()));

    let published = json_ld
        .date_published
        .as_deref()
        .and_then(parse_date)
        .or_else(|| {
            meta("article:published_time")
                .as_deref()
                .and_then(parse_date)
        })
        .or_else(|| meta("datepublished").as_deref().and_then(parse_date))
        .or_else(|| scan.times.iter().find_map(|value| parse_date(value)));

    let canonical_href = scan
        .canonical
        .clone()
        .filter(|href| !href.is_empty())
        .or_else(|| meta("og:url"));
    let canonical_url = canonical_href
        .and_then(|href| page_url.join(&href).ok())
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .map(|url| super::canonical_url(&url));

    let language = scan
        .lang
        .clone()
        .filter(|lang| !lang.is_empty())
        .or_else(|| meta("og:locale"));

    PageMeta {
        title: title.filter(|title| !title.is_empty()),
        published,
        canonical_url,
        site_name: site_name.map(|name| collapse(&name)),
        language,
        json_ld_body: json_ld
            .article_body
            .map(|body| body_text(&body))
            .filter(|body| !body.is_empty()),
    }
}

/// Plain text of a JSON-LD `articleBody`. Some sites put the story's HTML
/// there, tags and all; those tags must not reach the text.
fn body_text(body: &str) -> String {
    let has_markup = body
        .as_bytes()
        .windows(2)
        .any(|pair| pair[0] == b'<' && (pair[1].is_ascii_alphabetic() || pair[1] == b'/'));
    if has_markup {
        super::text::strip_tags(body)
    } else {
        super::text::normalize_paragraphs(body)
    }
}

/// The first JSON-LD object whose `@type` names an article.
fn json_ld_article(scripts: &[String]) -> JsonLdArticle {
    let mut found = JsonLdArticle::default();
    for text in scripts {
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        // Iterative walk: @graph arrays and nested objects can hold the article.
        let mut stack = vec![&value];
        while let Some(value) = stack.pop() {
            match value {
                Value::Array(items) => stack.extend(items.iter().rev()),
                Value::Object(object) => {
                    if is_article_type(object.get("@type")) {
                        let field = |key: &str| {
                            object
                                .get(key)
                                .and_then(Value::as_str)
                                .map(str::trim)
                                .filter(|text| !text.is_empty())
                                .map(str::to_string)
                        };
                        found.headline = found.headline.or_else(|| field("headline"));
                        found.date_published =
                            found.date_published.or_else(|| field("datePublished"));
                        found.article_body = found.article_body.or_else(|| field("articleBody"));
                    }
                    if let Some(graph) = object.get("@graph") {
                        stack.push(graph);
                    }
                    if let Some(main) = object.get("mainEntity") {
                        stack.push(main);
                    }
                }
                _ => {}
            }
        }
    }
    found
}

fn is_article_type(kind: Option<&Value>) -> bool {
    let names: Vec<&str> = match kind {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => return false,
    };
    names
        .iter()
        .any(|name| name.ends_with("Article") || *name == "BlogPosting" || *name == "Report")
}

/// Parses the date formats pages actually use: RFC 3339 with or without
/// fractional seconds or colon in the offset, naive times (taken as UTC),
/// bare dates, and RFC 2822.
pub(crate) fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Some(time.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(time) = DateTime::parse_from_str(text, format) {
            return Some(time.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(text.trim_end_matches('Z'), format) {
            return Some(time.and_utc());
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date.and_hms_opt(0, 0, 0).map(|time| time.and_utc());
    }
    DateTime::parse_from_rfc2822(text)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Drops a trailing (or leading) " | Site" / " - Site" part of a title: the
/// part naming the site when it matches `site_name`, else a short last part
/// after a separator when what remains still reads as a headline.
pub(crate) fn clean_title(title: &str, site_name: Option<&str>) -> String {
    const SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " · ", " :: ", " » "];
    let site = site_name.map(|name| name.trim().to_lowercase());
    // The site name can sit on either side.
    for separator in SEPARATORS {
        if let (Some(site), Some((head, tail))) = (&site, title.rsplit_once(separator))
            && tail.trim().to_lowercase() == *site
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
        if let (Some(site), Some((head, tail))) = (&site, title.split_once(separator))
            && head.trim().to_lowercase() == *site
            && !tail.trim().is_empty()
        {
            return tail.trim().to_string();
        }
    }
    for separator in SEPARATORS {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            let tail_words = tail.split_whitespace().count();
            let head_words = head.split_whitespace().count();
            if tail_words <= 4 && head_words >= 3 && head_words > tail_words {
                return head.trim().to_string();
            }
        }
    }
    title.trim().to_string()
}
