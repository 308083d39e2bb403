//! Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) → entries with a stable
//! identity. Pure: bytes in, entries or a parse error out; no IO.
//!
//! This module owns cheap repairs of documents feed-rs would refuse, entry
//! identity, link resolution and the conversion of titles and summaries
//! to plain text. Bytes become text in `crate::text::decode` (BOM, HTTP
//! charset, XML declaration, detection), which `fetch` uses for pages too.
//! It does not fetch anything, does not remember which entries
//! were seen (that is `store`) and does not look at article pages (`article`).

mod decode;
mod discover;
mod text;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;
use url::Url;

pub use discover::discover;
pub use text::html_to_text;

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
    /// When the feed says the entry was last updated, if it says.
    pub updated: Option<DateTime<Utc>>,
    /// What the feed says of the entry, hashed: its updated date, title,
    /// summary and content. A change means the entry was revised in place.
    pub fingerprint: String,
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

/// Longest reason kept in [`Error::Malformed`]; parser messages can quote
/// whole documents.
const MAX_REASON_CHARS: usize = 200;

/// Longest entry title kept, in characters: a feed's 4 MB title would
/// otherwise travel into the store, alerts and the status page.
pub const MAX_TITLE_CHARS: usize = 1_000;
/// Longest entry summary kept, in characters (a link-less entry's summary
/// is its article text, so this is a long article's length).
pub const MAX_SUMMARY_CHARS: usize = 100_000;

/// Prefix of keys made by hashing, so they never collide with a real guid.
const HASH_KEY_PREFIX: &str = "sha256:";

/// Parses a feed document. `content_type` is the HTTP header, used for the
/// character set; `feed_url` resolves relative links.
pub fn parse(body: &[u8], content_type: Option<&str>, feed_url: &Url) -> Result<Feed, Error> {
    let text = crate::text::decode(body, content_type);
    let (repaired, root) = decode::repair(&text);
    let says_html = content_type.is_some_and(|ct| {
        let mime = ct.split(';').next().unwrap_or("").trim();
        mime.eq_ignore_ascii_case("text/html") || mime.eq_ignore_ascii_case("application/xhtml+xml")
    });
    match &root {
        decode::Root::Html => return Err(Error::Html),
        decode::Root::Nothing if says_html || looks_like_html(&repaired) => {
            return Err(Error::Html);
        }
        decode::Root::Nothing if repaired.trim().is_empty() => {
            return Err(Error::Malformed("empty document".into()));
        }
        decode::Root::Xml(name) if !is_feed_root(name) => {
            if says_html {
                return Err(Error::Html);
            }
            return Err(Error::Malformed(format!(
                "root element <{name}> is not a feed"
            )));
        }
        _ => {}
    }
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url.as_str()))
        // An empty id tells us the document had none; we pick the fallback.
        .id_generator(|_, _, _| String::new())
        .sanitize_content(false)
        .build();
    // feed-rs is third-party code on untrusted input: a panic inside it must
    // become a parse error, not bring down the daemon.
    let parsed = catch_unwind(AssertUnwindSafe(|| parser.parse(repaired.as_bytes())));
    let raw = match parsed {
        Ok(Ok(raw)) => raw,
        Ok(Err(err)) => {
            if says_html {
                return Err(Error::Html);
            }
            return Err(Error::Malformed(short_reason(&err.to_string())));
        }
        Err(_) => {
            return Err(Error::Malformed(
                "the feed parser crashed on this document".into(),
            ));
        }
    };
    let entries = raw
        .entries
        .iter()
        .map(|entry| convert_entry(entry, feed_url))
        .collect();
    let ttl = raw
        .ttl
        .filter(|minutes| *minutes > 0)
        .map(|minutes| Duration::from_secs(u64::from(minutes) * 60))
        .or_else(|| syndication_period(&repaired));
    Ok(Feed {
        title: raw
            .title
            .map(|title| html_to_text(&title.content))
            .filter(|t| !t.is_empty()),
        entries,
        ttl,
    })
}

fn is_feed_root(name: &str) -> bool {
    let local = name.rsplit(':').next().unwrap_or(name);
    matches!(local, "rss" | "feed" | "RDF" | "entry" | "channel")
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<html") || head.contains("<body") || head.contains("<head")
}

fn short_reason(message: &str) -> String {
    let mut reason: String = message.chars().take(MAX_REASON_CHARS).collect();
    if reason.len() < message.len() {
        reason.push('…');
    }
    reason
}

fn convert_entry(entry: &feed_rs::model::Entry, feed_url: &Url) -> Entry {
    let title = entry
        .title
        .as_ref()
        .map(|title| clean(&html_to_text(&title.content), MAX_TITLE_CHARS))
        .unwrap_or_default();
    let summary = entry
        .summary
        .as_ref()
        .map(|summary| html_to_text(&summary.content))
        .filter(|summary| !summary.is_empty())
        .or_else(|| {
            entry
                .content
                .as_ref()
                .and_then(|content| content.body.as_deref())
                .map(html_to_text)
        })
        .map(|summary| clean(&summary, MAX_SUMMARY_CHARS))
        .unwrap_or_default();
    let link = entry_link(entry, feed_url);
    let id = entry.id.trim();
    let key = if !id.is_empty() {
        id.to_string()
    } else if let Some(link) = &link {
        link.to_string()
    } else {
        hash_key(&title, &summary)
    };
    let content = entry
        .content
        .as_ref()
        .and_then(|content| content.body.as_deref());
    let fingerprint = fingerprint(entry.updated, &title, &summary, content);
    Entry {
        key,
        link,
        title,
        summary,
        published: entry.published.or(entry.updated),
        updated: entry.updated,
        fingerprint,
    }
}

/// The hash of what a feed says of one entry (see [`Entry::fingerprint`]).
fn fingerprint(
    updated: Option<DateTime<Utc>>,
    title: &str,
    summary: &str,
    content: Option<&str>,
) -> String {
    let updated = updated.map(|updated| updated.timestamp_millis().to_string());
    crate::text::sha256_hex(&[
        updated.as_deref().unwrap_or(""),
        title,
        summary,
        content.unwrap_or(""),
    ])
}

/// `text` without control characters (C0 but line feed and tab, DEL, C1:
/// they would reach notification bodies and a command's environment), cut
/// to `max_chars` with "…".
fn clean(text: &str, max_chars: usize) -> String {
    let mut kept = String::with_capacity(text.len().min(max_chars * 4));
    for (n_chars, c) in text
        .chars()
        .filter(|c| matches!(c, '\n' | '\t') || !c.is_control())
        .enumerate()
    {
        if n_chars == max_chars {
            kept.push('…');
            break;
        }
        kept.push(c);
    }
    kept
}

/// The article link: `rel="alternate"` (or no rel) first, else any link that
/// is not the feed itself, an enclosure or an edit endpoint.
fn entry_link(entry: &feed_rs::model::Entry, feed_url: &Url) -> Option<Url> {
    let is_alternate = |link: &&feed_rs::model::Link| {
        link.rel
            .as_deref()
            .is_none_or(|rel| rel.eq_ignore_ascii_case("alternate"))
    };
    let is_other = |link: &&feed_rs::model::Link| {
        !matches!(
            link.rel.as_deref(),
            Some("self" | "enclosure" | "edit" | "edit-media" | "replies" | "license")
        )
    };
    entry
        .links
        .iter()
        .filter(is_alternate)
        .chain(entry.links.iter().filter(is_other))
        .find_map(|link| resolve(&link.href, feed_url))
}

/// An absolute http(s) URL for `href`, resolved against the feed URL.
fn resolve(href: &str, feed_url: &Url) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let url = feed_url.join(href).ok()?;
    // feed-rs resolves a blank link to the base, i.e. the feed itself, which
    // is never an article.
    (matches!(url.scheme(), "http" | "https") && url != *feed_url).then_some(url)
}

fn hash_key(title: &str, summary: &str) -> String {
    format!(
        "{HASH_KEY_PREFIX}{}",
        crate::text::sha256_hex(&[title, summary])
    )
}

/// `sy:updatePeriod` / `sy:updateFrequency` (RSS syndication module): the
/// period divided by the frequency. Scanned from the text because feed-rs
/// drops the module.
fn syndication_period(text: &str) -> Option<Duration> {
    let period = element_text(text, "updatePeriod")?;
    let seconds: u64 = match period.trim() {
        "hourly" => 3600,
        "daily" => 86_400,
        "weekly" => 7 * 86_400,
        "monthly" => 30 * 86_400,
        "yearly" => 365 * 86_400,
        _ => return None,
    };
    let frequency = element_text(text, "updateFrequency")
        .and_then(|f| f.trim().parse::<u64>().ok())
        .filter(|f| *f > 0)
        .unwrap_or(1);
    Some(Duration::from_secs(seconds / frequency))
}

/// Text of the first element whose local name is `local` (any prefix).
fn element_text<'a>(text: &'a str, local: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(found) = text.get(from..)?.find(local) {
        let start = from + found;
        from = start + local.len();
        let before = text[..start].chars().next_back();
        if !matches!(before, Some(':' | '<')) {
            continue;
        }
        let after = text[from..].trim_start();
        let Some(content) = after.strip_prefix('>') else {
            continue;
        };
        return content.split('<').next();
    }
    None
}
