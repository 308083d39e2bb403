//! Runs every feed of the feedparser test corpus through `feed::parse` and
//! counts how many parse. Usage:
//! `cargo run --release --example eval_feed [CORPUS_DIR] [--raw] [--fail]`
//! (`--raw` measures bare feed-rs for comparison, `--fail` lists failures).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::path::{Path, PathBuf};

const DEFAULT_CORPUS: &str = "/work/shared/corpora/feedparser-tests";

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("xml" | "json")
        ) {
            out.push(path);
        }
    }
}

/// `Content-Type` from the `Header:` lines some test files carry.
fn header_content_type(body: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&body[..body.len().min(2048)]);
    head.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("Header:")?.trim();
        let (name, value) = rest.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| value.trim().to_string())
    })
}

/// A 50-item RSS 2.0 feed with HTML descriptions, like a news site's.
fn synthetic_feed(feed_idx: usize) -> String {
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Synthetic</title>",
    );
    for item_idx in 0..50 {
        body.push_str(&format!(
            "<item><title>Story {item_idx} of feed {feed_idx}: council &amp; mayor agree</title>\
             <link>https://news.example/{feed_idx}/{item_idx}</link><guid>{feed_idx}-{item_idx}</guid>\
             <pubDate>Tue, 11 Feb 2025 09:00:00 GMT</pubDate><description><![CDATA[<p>The council \
             voted <b>7&ndash;2</b> on Tuesday to approve the harbour plan, officials said.</p><p>More \
             than 200 residents attended the meeting, which ran late into the evening &hellip;</p>]]>\
             </description></item>"
        ));
    }
    body.push_str("</channel></rss>");
    body
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let raw = args.iter().any(|a| a == "--raw");
    let show_failures = args.iter().any(|a| a == "--fail");
    let corpus = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or(DEFAULT_CORPUS, String::as_str);
    let mut files = Vec::new();
    collect(Path::new(corpus), &mut files);
    files.sort();
    let base = url::Url::parse("http://example.com/feed.xml").expect("constant URL");
    let (mut parsed, mut panicked, mut entries) = (0usize, 0usize, 0usize);
    let started = std::time::Instant::now();
    for path in &files {
        let Ok(body) = std::fs::read(path) else {
            continue;
        };
        let content_type = header_content_type(&body);
        let outcome = std::panic::catch_unwind(|| {
            if raw {
                feed_rs::parser::parse(&body[..])
                    .map(|f| f.entries.len())
                    .map_err(|e| e.to_string())
            } else {
                figwatch::feed::parse(&body, content_type.as_deref(), &base)
                    .map(|f| f.entries.len())
                    .map_err(|e| e.to_string())
            }
        });
        match outcome {
            Ok(Ok(n)) => {
                parsed += 1;
                entries += n;
            }
            Ok(Err(err)) => {
                if show_failures {
                    println!("FAIL {}: {err}", path.display());
                }
            }
            Err(_) => {
                panicked += 1;
                println!("PANIC {}", path.display());
            }
        }
    }
    if !raw {
        let feeds: Vec<String> = (0..2000).map(synthetic_feed).collect();
        let started = std::time::Instant::now();
        let mut n_entries = 0;
        for body in &feeds {
            n_entries +=
                figwatch::feed::parse(body.as_bytes(), None, &base).map_or(0, |f| f.entries.len());
        }
        let elapsed = started.elapsed();
        println!(
            "synthetic: 2000 RSS feeds, {n_entries} entries parsed in {elapsed:.2?} ({:.0} entries/s)",
            n_entries as f64 / elapsed.as_secs_f64()
        );
    }
    println!(
        "{} parsed {parsed} of {} files ({entries} entries), {panicked} panicked, in {:.2?}",
        if raw { "feed-rs alone" } else { "feed::parse" },
        files.len(),
        started.elapsed()
    );
}
