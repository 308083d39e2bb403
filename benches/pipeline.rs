//! Pipeline benchmark: N synthetic feeds (RSS, Atom and JSON Feed, 50
//! entries each) served from an in-process server on 127.0.0.1, run through
//! full `daemon::once` passes with a watch that matches about 1 entry in 200.
//!
//! ```sh
//! cargo bench --bench pipeline            # N = 2000
//! FEEDS=500 cargo bench --bench pipeline
//! ```
//!
//! Prints the cold pass (everything new), the warm pass (everything 304),
//! entries stored per second, and peak RSS.

#![allow(
    clippy::print_stdout,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs
)]

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use axum::Router;
use axum::extract::Path as UrlPath;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use common::{MATCH_EVERY, entry_title};
use tokio_util::sync::CancellationToken;

const ENTRIES_PER_FEED: usize = 50;

/// Feed `feed` in the format its number picks (RSS, Atom, JSON Feed), with
/// links to `base`'s article pages.
fn feed_body(feed: usize, base: &str) -> (String, &'static str) {
    match feed % 3 {
        0 => (
            common::rss(feed, ENTRIES_PER_FEED, base),
            "application/rss+xml",
        ),
        1 => {
            let mut entries = String::new();
            for entry in 0..ENTRIES_PER_FEED {
                let _ = write!(
                    entries,
                    "<entry><title>{}</title><link href=\"{base}/article/{feed}/{entry}.html\"/><id>urn:f{feed}:e{entry}</id>\
                     <updated>2025-02-11T09:{:02}:00Z</updated><summary>Local news item {entry} from district {feed}.</summary></entry>",
                    entry_title(feed, entry, ENTRIES_PER_FEED),
                    entry % 60
                );
            }
            (
                format!(
                    "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Feed {feed}</title><id>urn:f{feed}</id><updated>2025-02-11T09:00:00Z</updated>{entries}</feed>"
                ),
                "application/atom+xml",
            )
        }
        _ => {
            let items: Vec<serde_json::Value> = (0..ENTRIES_PER_FEED)
                .map(|entry| {
                    serde_json::json!({
                        "id": format!("f{feed}-e{entry}"),
                        "url": format!("{base}/article/{feed}/{entry}.html"),
                        "title": entry_title(feed, entry, ENTRIES_PER_FEED),
                        "content_text": format!("Local news item {entry} from district {feed}."),
                        "date_published": format!("2025-02-11T09:{:02}:00Z", entry % 60),
                    })
                })
                .collect();
            (
                serde_json::json!({"version": "https://jsonfeed.org/version/1.1", "title": format!("Feed {feed}"), "items": items}).to_string(),
                "application/feed+json",
            )
        }
    }
}

async fn feed(UrlPath(name): UrlPath<String>, headers: HeaderMap) -> Response {
    let (feed, etag) = match common::feed_request(&name, &headers) {
        Ok(request) => request,
        Err(status) => return status.into_response(),
    };
    let port: u16 = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.rsplit(':').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or(80);
    let (body, content_type) = feed_body(feed, &format!("http://127.0.0.1:{port}"));
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

async fn article(UrlPath((feed, entry)): UrlPath<(usize, String)>) -> Response {
    common::article(feed, &entry, ENTRIES_PER_FEED)
}

fn config(n_feeds: usize, port: u16, dir: &Path) -> figwatch::config::Config {
    let mut toml = String::from(
        "[daemon]\ndatabase = \"bench.db\"\nallow_private_articles = true\nconcurrency = 64\nper_host = 64\ntimeout = \"30s\"\n\n",
    );
    for feed in 0..n_feeds {
        let ext = ["rss", "atom", "json"][feed % 3];
        let _ = writeln!(
            toml,
            "[[feed]]\nurl = \"http://127.0.0.1:{port}/feed/{feed}.{ext}\"\n"
        );
    }
    toml.push_str(common::WATCH_AND_SINK);
    figwatch::config::Config::parse(&toml, &dir.join("figwatch.toml"))
        .expect("bench config is valid")
}

#[allow(
    clippy::disallowed_methods,
    reason = "a test server that lives as long as the test's runtime"
)]
fn main() {
    let n_feeds: usize = std::env::var("FEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let runtime = figwatch::daemon::runtime().unwrap();
    let dir = tempfile::tempdir().unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let app = Router::new()
            .route("/feed/{name}", get(feed))
            .route("/article/{feed}/{entry}", get(article));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

        println!("pipeline bench: {n_feeds} feeds × {ENTRIES_PER_FEED} entries, 1 in {MATCH_EVERY} matches");
        let start = Instant::now();
        let report = figwatch::daemon::once(config(n_feeds, port, dir.path()), CancellationToken::new())
            .await
            .unwrap();
        let cold = start.elapsed();
        let entries: usize = report.feeds.iter().map(|f| f.n_new_entries).sum();
        let articles: usize = report.feeds.iter().map(|f| f.n_articles).sum();
        let failed = report.failed().count();
        println!(
            "cold pass: {:.2} s, {entries} entries ({:.0}/s), {articles} articles, {failed} failed feeds",
            cold.as_secs_f64(),
            entries as f64 / cold.as_secs_f64()
        );
        // Two passes are two `figwatch once` processes for a user: the
        // second does not hold the first one's report.
        drop(report);

        let start = Instant::now();
        let report = figwatch::daemon::once(config(n_feeds, port, dir.path()), CancellationToken::new())
            .await
            .unwrap();
        let warm = start.elapsed();
        let not_modified = report.feeds.iter().filter(|f| f.not_modified).count();
        println!(
            "warm pass: {:.2} s, {not_modified}/{n_feeds} feeds not modified",
            warm.as_secs_f64()
        );
    });
    let peak_rss_kib = common::status_kib("self", "VmHWM:");
    println!("peak RSS: {:.1} MB", peak_rss_kib as f64 / 1024.0);
}
