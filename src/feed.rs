//! Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) → entries with a stable
//! identity. Pure: bytes in, entries or a parse error out; no IO.
//!
//! SKELETON: the helper owning this module replaces the bodies.

use chrono::{DateTime, Utc};
use std::time::Duration;
use url::Url;

/// A parsed feed.
#[derive(Debug, Clone, Default)]
pub struct Feed {
    /// The feed's own title, if it has one.
    pub title: Option<String>,
    /// Entries in document order.
    pub entries: Vec<Entry>,
    /// How often the publisher says to poll (RSS `ttl`, `sy:updatePeriod`).
    pub ttl: Option<Duration>,
}

/// One item of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Stable identity within the feed: the guid/id, else the link, else a
    /// hash of title and summary.
    pub key: String,
    /// The article link, absolute (resolved against the feed URL).
    pub link: Option<Url>,
    /// Title as plain text.
    pub title: String,
    /// Summary or content as plain text (markup removed).
    pub summary: String,
    /// Published (or else updated) time.
    pub published: Option<DateTime<Utc>>,
}

/// Why a document is not a feed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The body looks like an HTML page, not a feed.
    #[error("not a feed: the response is an HTML page")]
    Html,
    /// The parser rejected the document.
    #[error("malformed feed: {0}")]
    Malformed(String),
}

/// Parses a feed document. `content_type` is the HTTP header, used for the
/// character set; `feed_url` resolves relative links.
pub fn parse(body: &[u8], content_type: Option<&str>, feed_url: &Url) -> Result<Feed, Error> {
    let _ = (body, content_type, feed_url);
    todo!()
}
