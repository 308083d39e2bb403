//! What the benches share: the synthetic news (entry titles, RSS feeds and
//! article pages about one watched topic), the feeds' conditional answers,
//! the watch and sink every bench config ends with, a local server, and a
//! process's memory from /proc (Linux only).

#![allow(
    dead_code,
    unused_imports,
    unreachable_pub,
    reason = "each bench uses its part; `serve` is shared with the tests"
)]

mod serve;

use std::fmt::Write as _;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub(crate) use serve::serve;

/// One entry in this many is about the watched topic (its page is fetched).
pub(crate) const MATCH_EVERY: usize = 200;

/// The watch and the sink of every bench config: North Korea's artillery
/// and troops, alerts logged.
pub(crate) const WATCH_AND_SINK: &str = "[watch.nk]\nquery = '(\"North Korea\" OR Pyongyang) AND Russia'\n\
     [watch.nk.figure.artillery]\nterms = [\"artillery pieces\", \"artillery\"]\n\
     [watch.nk.figure.troops]\nterms = [\"troops\"]\n\n[sink.journal]\ntype = \"log\"\n";

/// Whether entry `entry` of feed `feed` (of `per_feed` entries) is about
/// the watched topic.
pub(crate) fn entry_is_match(feed: usize, entry: usize, per_feed: usize) -> bool {
    (feed * per_feed + entry).is_multiple_of(MATCH_EVERY)
}

/// The title of entry `entry` of feed `feed`: about the watched topic one
/// time in [`MATCH_EVERY`], local news otherwise.
pub(crate) fn entry_title(feed: usize, entry: usize, per_feed: usize) -> String {
    if entry_is_match(feed, entry, per_feed) {
        format!(
            "North Korea sent Russia more than {} artillery pieces, Seoul says",
            100 + feed
        )
    } else {
        format!("Council approves budget for park number {entry} in district {feed}")
    }
}

/// Feed `feed` as RSS 2.0 with `per_feed` entries linking to `base`'s
/// article pages.
pub(crate) fn rss(feed: usize, per_feed: usize, base: &str) -> String {
    let mut items = String::new();
    for entry in 0..per_feed {
        let _ = write!(
            items,
            "<item><title>{}</title><link>{base}/article/{feed}/{entry}.html</link><guid>f{feed}-e{entry}</guid>\
             <pubDate>Tue, 11 Feb 2025 09:{:02}:00 GMT</pubDate><description>Local news item {entry} from district {feed}.</description></item>",
            entry_title(feed, entry, per_feed),
            entry % 60
        );
    }
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {feed}</title>{items}</channel></rss>"
    )
}

/// The feed number of a `/feed/{name}` request (`17.rss` is 17) and its
/// ETag, or the status to answer when there is nothing to send: 404 for a
/// name that is not a number, 304 when the request has the ETag.
pub(crate) fn feed_request(name: &str, headers: &HeaderMap) -> Result<(usize, String), StatusCode> {
    let Some(feed) = name.split('.').next().and_then(|n| n.parse().ok()) else {
        return Err(StatusCode::NOT_FOUND);
    };
    let etag = format!("\"feed-{feed}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Err(StatusCode::NOT_MODIFIED);
    }
    Ok((feed, etag))
}

/// The article page of entry `entry` (`7.html`) of feed `feed`: the
/// watched topic's figures in a story between a menu and a footer.
pub(crate) fn article(feed: usize, entry: &str, per_feed: usize) -> Response {
    let entry: usize = entry.trim_end_matches(".html").parse().unwrap_or(0);
    let title = entry_title(feed, entry, per_feed);
    let body = format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><nav>Home | World</nav><article><h1>{title}</h1>\
         <p>North Korea has supplied Russia with more than {} artillery pieces and about {} troops, officials in Seoul said on Tuesday.</p>\
         <p>The ministry said the transfers were continuing.</p></article><footer>Call 555-0100</footer></body></html>",
        100 + feed,
        10_000 + feed
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

/// A field of `/proc/{pid}/status` in KiB (`VmHWM:` the peak resident
/// set, `VmRSS:` the current one); `pid` may be `self`. 0 when unreadable.
pub(crate) fn status_kib(pid: &str, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
