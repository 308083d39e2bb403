//! An HTML page → title, main text, canonical URL, published time. Boilerplate
//! (navigation, asides, related links, footers, banners) is removed so its
//! numbers never reach `figures`. Pure: no IO, no panic on any input.
//!
//! Owns: cutting script, style and SVG bodies from the raw HTML so the
//! parse is half as long (`prune`), parsing the page once (`dom_query`,
//! html5ever underneath), reading its metadata (`metadata`), choosing the
//! main text among a configured CSS selector, the JSON-LD `articleBody` and
//! a readability pass (`dom_smoothie`) checked against a second opinion
//! from shallow text features (`density`), the page-level fallback walk
//! (`text`), and the paragraph-level cleanup of captions, promos and link
//! lists that survive inside a story's container (`clean`). Does not own: fetching or
//! charset decoding (`fetch` hands us a `&str`), or what the text means
//! (`figures`).

mod clean;
mod density;
mod metadata;
mod prune;
mod text;
mod widgets;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use dom_query::Document;
use url::Url;

/// Pages bigger than this are cut before parsing: no news article needs
/// more, and it bounds parse time and memory.
pub const MAX_HTML_BYTES: usize = 8 * 1024 * 1024;

/// Pages whose tags nest deeper than this are not parsed into a DOM at
/// all (html5ever is quadratic in depth); their text comes from a tag
/// stripper and their metadata is not read.
const MAX_PARSE_DEPTH: usize = 2_000;

/// Deeper trees skip the readability pass (its helpers are not all
/// iterative) and go through the iterative fallback walk only.
const MAX_READABILITY_DEPTH: usize = 256;

/// More elements than this skip the readability pass, to bound time.
const MAX_READABILITY_ELEMENTS: usize = 100_000;

/// What the extractor found in one page.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Article {
    /// Headline, cleaned of the site-name suffix.
    pub title: Option<String>,
    /// Main text: paragraphs in order separated by blank lines.
    pub text: String,
    /// `<link rel="canonical">` (or og:url), absolute and canonicalised.
    pub canonical_url: Option<Url>,
    /// Published time from the page's metadata.
    pub published: Option<DateTime<Utc>>,
    /// Site name (og:site_name), when the page says.
    pub site_name: Option<String>,
    /// Language (`<html lang>`), when the page says.
    pub language: Option<String>,
}

/// Extracts the article from `html`, fetched from `page_url`. When `selector`
/// (a CSS selector from the feed's `article_selector`) matches, its text is
/// the main text.
pub fn extract(html: &str, page_url: &Url, selector: Option<&str>) -> Article {
    let html = &html[..html.floor_char_boundary(MAX_HTML_BYTES)];
    let pruned = prune::strip_raw_text(html);
    let html: &str = &pruned;
    if text::estimated_depth(html) > MAX_PARSE_DEPTH {
        return Article {
            text: text::strip_tags(html),
            ..Article::default()
        };
    }
    let doc = Document::from(html);
    let meta = metadata::read(&doc, page_url);
    let text = main_text(html, doc, page_url, selector, meta.json_ld_body.as_deref());
    Article {
        title: meta.title,
        text,
        canonical_url: meta.canonical_url,
        published: meta.published,
        site_name: meta.site_name,
        language: meta.language,
    }
}

/// Chooses the main text: configured selector, else readability (checked
/// against JSON-LD), else the page-level fallback walk.
fn main_text(
    html: &str,
    doc: Document,
    page_url: &Url,
    selector: Option<&str>,
    json_ld_body: Option<&str>,
) -> String {
    let root = doc.root();
    let text::TreeSize { too_deep, too_big } =
        text::tree_size(&root, MAX_READABILITY_DEPTH, MAX_READABILITY_ELEMENTS);

    if let Some(selector) = selector.map(str::trim).filter(|s| !s.is_empty())
        && !too_deep
        && let Some(text) = selector_text(&doc, selector)
    {
        return text;
    }
    if too_deep || too_big {
        widgets::unwrap_container_forms(&doc);
        return json_ld_body
            .map(str::to_string)
            .unwrap_or_else(|| fallback_text(&doc));
    }

    let noted = widgets::remove_boilerplate(&doc);
    let tidy = |text: String| {
        text::trim_tail(&clean::clean_paragraphs(&widgets::drop_noted(text, &noted)))
    };
    let dense = doc
        .select("body")
        .nodes()
        .first()
        .map(density::densest_run)
        .unwrap_or_default();
    let readable = readability_text(doc, html, page_url, json_ld_body)
        .map(tidy)
        .unwrap_or_default();
    let readable = second_opinion(readable, dense, tidy);
    choose(readable, json_ld_body, || {
        let doc = Document::from(html);
        widgets::unwrap_container_forms(&doc);
        clean::clean_paragraphs(&fallback_text(&doc))
    })
}

/// Picks among the candidate texts by word counts: readability by default;
/// JSON-LD when it is at least as complete; the fallback when readability
/// found nothing.
fn choose(
    readable: String,
    json_ld_body: Option<&str>,
    fallback: impl FnOnce() -> String,
) -> String {
    let n_readable = word_count(&readable);
    if let Some(body) = json_ld_body {
        let n_body = word_count(body);
        if n_body >= 50 && n_body * 10 >= n_readable * 8 {
            return body.to_string();
        }
    }
    if n_readable > 0 {
        return readable;
    }
    // Readability found nothing: the page-level walk (a rare second parse)
    // is better than an empty text.
    fallback()
}

/// The densest run of story blocks replaces readability's text when it
/// holds this many times its story words…
const SECOND_OPINION_RATIO: usize = 3;

/// …and at least this many story words more.
const SECOND_OPINION_MIN_GAIN: usize = 60;

/// …and shares less than this part of readability's text.
const SECOND_OPINION_MAX_OVERLAP: f64 = 0.5;

/// Keeps readability's text unless the densest run of story-like blocks
/// (`density`) is much longer in story words and mostly elsewhere on the
/// page: then readability chose a menu, a promo box, a pop-up or a second
/// story, and the run is the story.
fn second_opinion(readable: String, dense: String, tidy: impl FnOnce(String) -> String) -> String {
    let n_readable = density::story_words(&readable);
    let n_dense = density::story_words(&dense);
    let much_longer = n_dense >= n_readable * SECOND_OPINION_RATIO
        && n_dense >= n_readable + SECOND_OPINION_MIN_GAIN;
    // When readability's text is a piece of the run, it chose the story
    // and cut comments or link lists the run kept.
    if much_longer && density::overlap(&readable, &dense) < SECOND_OPINION_MAX_OVERLAP {
        return tidy(dense);
    }
    density::trim_outside(readable, &dense)
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Text of every element `selector` matches, in document order; `None` when
/// the selector is invalid or matches only empty elements.
fn selector_text(doc: &Document, selector: &str) -> Option<String> {
    let selection = doc.try_select(selector)?;
    let parts: Vec<String> = selection
        .nodes()
        .iter()
        .map(|node| text::block_text(node, text::Filter::Minimal))
        .filter(|text| !text.is_empty())
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\n\n"))
    }
}

/// The page-level fallback: the body (or `<article>`/`<main>` when present)
/// minus navigation, asides, footers and class/id boilerplate.
fn fallback_text(doc: &Document) -> String {
    for container in ["article", "main", "body"] {
        if let Some(node) = doc.select(container).nodes().first() {
            let text = text::block_text(node, text::Filter::Boilerplate);
            if !text.is_empty() {
                return text;
            }
        }
    }
    text::block_text(&doc.root(), text::Filter::Boilerplate)
}

/// Readability results shorter than this (in characters) send us back
/// to dom_smoothie's full sieve; it is dom_smoothie's own threshold for
/// accepting its first, strictest attempt.
const READABILITY_MIN_CHARS: usize = 500;

/// dom_smoothie's `min_score_to_adjust` (its default is 5).
const READABILITY_MIN_SCORE_TO_ADJUST: f32 = 10.0;

/// dom_smoothie's readability pass over the already parsed document.
///
/// The strict attempt alone is what dom_smoothie's full `parse` returns
/// whenever that attempt finds enough text, and it skips the document copy
/// `parse` makes for its later attempts. Only when it comes back short is
/// the page parsed again for the full sieve.
fn readability_text(
    doc: Document,
    html: &str,
    page_url: &Url,
    json_ld_body: Option<&str>,
) -> Option<String> {
    let strict = readability_article(doc, page_url, Some(dom_smoothie::ParsePolicy::Strict));
    let strict_chars = strict.as_deref().map_or(0, |text| text.chars().count());
    if strict_chars >= READABILITY_MIN_CHARS {
        return strict;
    }
    // A JSON-LD body longer than the sieve's threshold wins in `choose`
    // over any short readability text: no need to parse again.
    if json_ld_body
        .is_some_and(|body| body.chars().count() >= READABILITY_MIN_CHARS.max(strict_chars))
    {
        return strict;
    }
    let doc = Document::from(html);
    // Same page: the first pass has noted its captions and slides.
    let _ = widgets::remove_boilerplate(&doc);
    readability_article(doc, page_url, None).or(strict)
}

fn readability_article(
    doc: Document,
    page_url: &Url,
    policy: Option<dom_smoothie::ParsePolicy>,
) -> Option<String> {
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        max_elements_to_parse: MAX_READABILITY_ELEMENTS,
        // `metadata` reads JSON-LD once for us; dom_smoothie's own copy
        // would only feed metadata we do not use.
        disable_json_ld: true,
        // Fewer link-density checks while scoring; dom_smoothie documents
        // 5–10 as enough, and 10 gave the same text on every corpus page.
        min_score_to_adjust: READABILITY_MIN_SCORE_TO_ADJUST,
        ..Default::default()
    };
    let mut readability =
        dom_smoothie::Readability::with_document(doc, Some(page_url.as_str()), Some(config))
            .ok()?;
    let article = match policy {
        Some(policy) => readability.parse_with_policy(policy),
        None => readability.parse(),
    }
    .ok()?;
    Some(text::normalize_paragraphs(&article.text_content))
}

/// Query parameters that only track where a click came from.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "ref",
    "ref_src",
    "ref_url",
    "cmpid",
    "_ga",
    "_gl",
    "ocid",
    "yclid",
    "twclid",
    "s_cid",
    "wt_mc",
    "ito",
    "icid",
    "mkt_tok",
    "spm",
    "__twitter_impression",
    "smid",
    "smtyp",
    "cid",
    "sr_share",
];

/// Prefixes of tracking parameter names (`utm_source`, `at_medium`, …).
const TRACKING_PREFIXES: &[&str] = &["utm_", "at_", "pk_", "mtm_", "hsa_", "__hs", "_hs"];

fn is_tracking_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    TRACKING_PARAMS.contains(&name.as_str())
        || TRACKING_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
}

/// Canonical form of an article URL: tracking parameters (`utm_*`, `fbclid`,
/// `gclid`, …) and the fragment dropped, host lower-cased. One article
/// reached through two feeds has one canonical URL.
pub fn canonical_url(url: &Url) -> Url {
    let mut canonical = url.clone();
    canonical.set_fragment(None);
    // The url crate already lower-cases hosts of http(s) URLs and drops
    // their default ports; other schemes keep what they were given.
    if let Some(host) = canonical.host_str() {
        let lower = host.to_ascii_lowercase();
        if lower != host {
            // Setting an equivalent lower-cased host cannot fail in a way
            // that matters: on error the URL keeps its original host.
            let _ = canonical.set_host(Some(&lower));
        }
    }
    if let Some(query) = canonical.query() {
        // Filter the raw pairs, not decoded ones, so kept parameters keep
        // their exact encoding and order.
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| {
                let name = pair.split('=').next().unwrap_or_default();
                let decoded = percent_decode(name);
                !is_tracking_param(&decoded)
            })
            .collect();
        let kept = kept.join("&");
        canonical.set_query(if kept.is_empty() { None } else { Some(&kept) });
    }
    canonical
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(text.as_bytes())
        .next()
        .map(|(name, _)| name.into_owned())
        .unwrap_or_default()
}
