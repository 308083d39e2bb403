//! An HTML page → title, main text, canonical URL, published time. Boilerplate
//! (navigation, asides, related links, footers, banners) is removed so its
//! numbers never reach `figures`. Pure: no IO, no panic on any input.
//!
//! SKELETON: the helper owning this module replaces the bodies.

use chrono::{DateTime, Utc};
use url::Url;

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
    let _ = (html, page_url, selector);
    todo!()
}

/// Canonical form of an article URL: tracking parameters (`utm_*`, `fbclid`,
/// `gclid`, …) and the fragment dropped, host lower-cased. One article
/// reached through two feeds has one canonical URL.
pub fn canonical_url(url: &Url) -> Url {
    let _ = url;
    todo!()
}
