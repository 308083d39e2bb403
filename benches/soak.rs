//! Soak: the real daemon for N minutes against a local site of many feeds
//! that each publish a new article on every poll, and a webhook receiver.
//! Reports the daemon's RSS, open file descriptors and database size over
//! time, and the latency from an entry's published time to its alert
//! reaching the webhook (p50/p99/max).
//!
//!     cargo bench --bench soak                    # 2,000 feeds, 2 minutes
//!     SOAK_MINUTES=30 SOAK_FEEDS=2000 SOAK_INTERVAL=60s cargo bench --bench soak
//!
//! Linux only (reads /proc).

#![allow(
    missing_docs,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, SecondsFormat, Utc};

struct Site {
    /// Newest article per feed; each feed request publishes one more.
    newest: Vec<AtomicUsize>,
    /// Published time of every article, by (feed, n).
    published: Mutex<std::collections::HashMap<(usize, usize), DateTime<Utc>>>,
    /// Milliseconds from an alert's article being published to the webhook
    /// receiving it.
    latencies: Mutex<Vec<i64>>,
    feed_requests: AtomicUsize,
}

fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

async fn feed(State(site): State<Arc<Site>>, UrlPath(name): UrlPath<String>) -> Response {
    let Some(feed) = name
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&f| f < site.newest.len())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    site.feed_requests.fetch_add(1, Ordering::Relaxed);
    let newest = site.newest[feed].fetch_add(1, Ordering::SeqCst) + 1;
    let now = Utc::now();
    let mut entries = String::new();
    {
        let mut published = site.published.lock().unwrap();
        published.insert((feed, newest), now);
        for n in (newest.saturating_sub(2).max(1)..=newest).rev() {
            let at = published.get(&(feed, n)).copied().unwrap_or(now);
            entries.push_str(&format!(
                "<entry><title>Desk {feed} report {n}: North Korean troops in Russia</title>\
                 <link rel=\"alternate\" href=\"/article/{feed}/{n}.html\"/>\
                 <id>urn:soak:{feed}:{n}</id><published>{at}</published><updated>{at}</updated>\
                 <summary>New figures on Pyongyang and Moscow.</summary></entry>",
                at = stamp(at)
            ));
        }
        // Only the listed window is ever needed again.
        if newest > 3 {
            published.remove(&(feed, newest - 3));
        }
    }
    (
        [(header::CONTENT_TYPE, "application/atom+xml")],
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
             <title>Desk {feed}</title><id>urn:soak:{feed}</id><updated>{}</updated>{entries}</feed>",
            stamp(now)
        ),
    )
        .into_response()
}

async fn article(
    State(site): State<Arc<Site>>,
    UrlPath((feed, name)): UrlPath<(usize, String)>,
) -> Response {
    let Some(n) = name
        .strip_suffix(".html")
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let at = site
        .published
        .lock()
        .unwrap()
        .get(&(feed, n))
        .copied()
        .unwrap_or_else(Utc::now);
    let troops = 10_000 + 10 * n + feed;
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!(
            r#"<!DOCTYPE html><html><head><title>Desk {feed} report {n}</title>
<meta property="article:published_time" content="{at}"></head><body><article>
<h1>Desk {feed} report {n}: North Korean troops in Russia</h1>
<p>North Korea has now sent {troops} troops to Russia, officials in Seoul said,
raising their estimate of the forces Pyongyang has committed to Moscow's war.</p>
<p>Analysts said the figure was hard to verify independently, but that the trend
was clear: cooperation between the two governments keeps growing.</p>
</article></body></html>"#,
            at = stamp(at)
        ),
    )
        .into_response()
}

async fn hook(State(site): State<Arc<Site>>, body: Bytes) -> StatusCode {
    let now = Utc::now();
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let published = body["article"]["published_at"]
        .as_str()
        .or_else(|| body["current"]["article"]["published_at"].as_str())
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok());
    if let Some(published) = published {
        let latency = now - published.with_timezone(&Utc);
        site.latencies
            .lock()
            .unwrap()
            .push(latency.num_milliseconds());
    }
    StatusCode::OK
}

fn start_site(site: Arc<Site>) -> SocketAddr {
    let app = Router::new()
        .route("/feed/{name}", get(feed))
        .route("/article/{feed}/{name}", get(article))
        .route("/hook", post(hook))
        .with_state(site);
    common::serve(app)
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_kib(pid: u32) -> u64 {
    common::status_kib(&pid.to_string(), "VmRSS:")
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |dir| dir.count())
}

fn database_bytes(dir: &Path) -> u64 {
    ["figwatch.db", "figwatch.db-wal"]
        .iter()
        .filter_map(|name| std::fs::metadata(dir.join(name)).ok())
        .map(|meta| meta.len())
        .sum()
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the args.
    let minutes: f64 = env_or("SOAK_MINUTES", 2.0);
    let feeds: usize = env_or("SOAK_FEEDS", 2000);
    let interval: String = env_or("SOAK_INTERVAL", "60s".to_string());
    let sample: u64 = env_or("SOAK_SAMPLE_SECS", 10);
    // Warm-up: the first third of the run (the first polls fill caches,
    // the database and SQLite's page cache); flatness is judged after it.
    let warmup = Duration::from_secs_f64(env_or("SOAK_WARMUP_SECS", minutes * 20.0));

    let site = Arc::new(Site {
        newest: (0..feeds).map(|_| AtomicUsize::new(0)).collect(),
        published: Mutex::default(),
        latencies: Mutex::default(),
        feed_requests: AtomicUsize::new(0),
    });
    let addr = start_site(Arc::clone(&site));
    let dir = tempfile::tempdir().unwrap();
    let mut config = format!(
        "[daemon]\ndatabase = \"figwatch.db\"\nallow_private_articles = true\npoll_interval = \"{interval}\"\n\
         concurrency = 32\nper_host = 32\ntimeout = \"30s\"\nbaseline = false\n\n"
    );
    for feed in 0..feeds {
        config.push_str(&format!(
            "[[feed]]\nurl = \"http://{addr}/feed/{feed}.xml\"\n"
        ));
    }
    config.push_str(&format!(
        "\n[watch.nk-russia]\nquery = '(\"North Korea\" OR Pyongyang) AND (Russia OR Moscow)'\n\
         new_articles = true\n\n[watch.nk-russia.figure.troops]\nterms = [\"troops\"]\n\n\
         [sink.hook]\ntype = \"webhook\"\nurl = \"http://{addr}/hook\"\n"
    ));
    std::fs::write(dir.path().join("figwatch.toml"), config).unwrap();

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_figwatch"))
        .arg("--config")
        .arg(dir.path().join("figwatch.toml"))
        .args(["-q", "run"])
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = child.id();
    println!(
        "soak: {feeds} feeds, poll_interval {interval}, {minutes} min; daemon pid {pid}, {} build",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    println!(
        "{:>7} {:>9} {:>5} {:>10} {:>9} {:>8} {:>8}",
        "t(s)", "RSS(MiB)", "fds", "db(MiB)", "polls", "alerts", "p99(ms)"
    );
    let started = Instant::now();
    let total = Duration::from_secs_f64(minutes * 60.0);
    let mut next = Duration::ZERO;
    // (RSS KiB, open fds) sampled after warm-up.
    let mut after_warmup: Vec<(u64, usize)> = Vec::new();
    loop {
        let elapsed = started.elapsed();
        if elapsed >= next {
            let mut latencies = site.latencies.lock().unwrap().clone();
            latencies.sort_unstable();
            let (rss, fds) = (rss_kib(pid), open_fds(pid));
            if elapsed >= warmup {
                after_warmup.push((rss, fds));
            }
            println!(
                "{:>7.0} {:>9.1} {:>5} {:>10.1} {:>9} {:>8} {:>8}",
                elapsed.as_secs_f64(),
                rss as f64 / 1024.0,
                fds,
                database_bytes(dir.path()) as f64 / 1048576.0,
                site.feed_requests.load(Ordering::Relaxed),
                latencies.len(),
                percentile(&latencies, 0.99),
            );
            next += Duration::from_secs(sample);
        }
        if elapsed >= total {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    let mut latencies = site.latencies.lock().unwrap().clone();
    latencies.sort_unstable();
    println!(
        "exit {status}; {} alerts delivered; published → delivered latency: p50 {} ms, p99 {} ms, max {} ms; database {:.1} MiB",
        latencies.len(),
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0),
        database_bytes(dir.path()) as f64 / 1048576.0
    );
    // Flat: after warm-up, RSS never rises more than 10 % (plus 2 MiB of
    // allocator slack) above its first post-warm-up sample, and open file
    // descriptors never more than 8 above theirs (in-flight connections).
    let Some(&(rss0, fds0)) = after_warmup.first() else {
        println!("flatness: no sample after warm-up; run longer");
        std::process::exit(1);
    };
    let rss_max = after_warmup.iter().map(|s| s.0).max().unwrap_or(rss0);
    let fds_max = after_warmup.iter().map(|s| s.1).max().unwrap_or(fds0);
    let flat = rss_max <= rss0 + rss0 / 10 + 2048 && fds_max <= fds0 + 8;
    println!(
        "flatness after {:.0} s warm-up ({} samples): RSS {:.1} → max {:.1} MiB, fds {fds0} → max {fds_max}: {}",
        warmup.as_secs_f64(),
        after_warmup.len(),
        rss0 as f64 / 1024.0,
        rss_max as f64 / 1024.0,
        if flat { "flat" } else { "GROWING" }
    );
    if !flat {
        std::process::exit(1);
    }
}
