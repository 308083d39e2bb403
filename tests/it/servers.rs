//! Bad servers: each case runs `figwatch once` with one misbehaving feed
//! next to the good news feed, and checks that the run ends normally, in
//! bounded time, with a warning naming the bad feed, and that the good
//! feed's article was still stored.

use std::convert::Infallible;
use std::io::Write as _;
use std::net::SocketAddr;
use std::process::Output;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use futures_util::StreamExt as _;
use futures_util::stream;

use super::support::{Servers, Workspace};

/// The body cap the cases run with.
const MAX_BODY: usize = 1 << 20;
/// Longest a whole `once` run with one bad feed may take: the 2 s timeout
/// plus generous room for a loaded CI machine.
const BOUND: Duration = Duration::from_secs(15);

/// The misbehaving server, on its own thread until the test ends.
struct BadServer {
    addr: SocketAddr,
}

impl BadServer {
    fn start() -> BadServer {
        let app = Router::new()
            .route("/trickle.xml", get(trickle))
            .route("/bomb.xml", get(bomb))
            .route("/loop/a.xml", get(|| async { found("/loop/b.xml") }))
            .route("/loop/b.xml", get(|| async { found("/loop/a.xml") }))
            .route("/endless.xml", get(endless))
            .route("/page.xml", get(|| async { page() }))
            .route("/latin1.xml", get(|| async { latin1_feed() }))
            .route("/anonymous.xml", get(|| async { rss(ANONYMOUS_FEED) }))
            .route("/limited.xml", get(|| async { limited() }))
            .route("/ttl.xml", get(|| async { rss(TTL_FEED) }));
        let addr = super::support::serve(app);
        BadServer { addr }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

fn rss(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "application/rss+xml")], body).into_response()
}

fn found(location: &'static str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

/// A feed's start, then one byte a second, forever.
async fn trickle() -> Response {
    let head = stream::once(async {
        Ok::<_, Infallible>(Bytes::from_static(b"<?xml version=\"1.0\"?><rss"))
    });
    let drip = stream::unfold((), |()| async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        Some((Ok::<_, Infallible>(Bytes::from_static(b" ")), ()))
    });
    (
        [(header::CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(head.chain(drip)),
    )
        .into_response()
}

/// 32 MiB of spaces gzipped into a few tens of kilobytes: 32 times the cap.
async fn bomb() -> Response {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    let body = BOMB.get_or_init(|| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(b"<?xml version=\"1.0\"?>").unwrap();
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..32 {
            encoder.write_all(&spaces).unwrap();
        }
        encoder.finish().unwrap()
    });
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml"),
            (header::CONTENT_ENCODING, "gzip"),
        ],
        body.clone(),
    )
        .into_response()
}

/// A chunked body that never ends, as fast as the client reads.
async fn endless() -> Response {
    let chunks = stream::repeat_with(|| Ok::<_, Infallible>(Bytes::from_static(&[b'x'; 8192])));
    (
        [(header::CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(chunks),
    )
        .into_response()
}

/// A 200 with a web page where the feed should be.
fn page() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!DOCTYPE html><html><head><title>Moved to our app</title></head>\
         <body><p>Download our app for the news.</p></body></html>",
    )
        .into_response()
}

/// Declares UTF-8 but holds Latin-1 bytes (è as 0xE8, é as 0xE9), as
/// hand-edited feeds do.
fn latin1_feed() -> Response {
    let mut body = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
        <title>Le Quotidien</title><item><title>Pyongyang: North Korea sent Russia more than 300 artillery pieces, says the minist"
        .to_vec();
    body.push(0xE8);
    body.extend_from_slice(
        b"re</title><guid>quotidien-1</guid><description>North Korea and Russia, \xE9t\xE9 2025.</description></item>\
        </channel></rss>",
    );
    (
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Items with neither guid nor link: the entry itself is the article.
const ANONYMOUS_FEED: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel>
<title>Bulletin</title>
<item><title>North Korea sent Russia about 250 artillery pieces, ministry says</title>
<description>Seoul says North Korea has shipped about 250 artillery pieces to Russia.</description></item>
<item><title>Library opening hours change</title><description>The library opens at nine.</description></item>
</channel></rss>"#;

/// Asks to be polled every 600 minutes.
const TTL_FEED: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel>
<title>Slow news</title><ttl>600</ttl>
<item><title>Nothing happened today</title><guid>slow-1</guid></item>
</channel></rss>"#;

fn limited() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, "7200")],
        "slow down",
    )
        .into_response()
}

/// The good news feed plus `extra` feed URLs, the motivating watch, a log
/// sink; no baseline, so the good feed's article is stored and alerts.
fn config(good: &Servers, extra: &[&str]) -> String {
    let mut feeds = format!(
        "[[feed]]\nurl = \"{}\"\nname = \"Korea Daily\"\n",
        good.url("/news/feed.xml")
    );
    for url in extra {
        feeds.push_str(&format!("\n[[feed]]\nurl = \"{url}\"\n"));
    }
    format!(
        r#"[daemon]
database = "figwatch.db"
# The test news site links to its own pages on 127.0.0.1.
allow_private_articles = true
timeout = "2s"
max_body = "{MAX_BODY}"
poll_interval = "1h"
baseline = false

{feeds}
[watch.nk-russia]
query = '("North Korea" OR DPRK OR Pyongyang) AND (Russia OR Moscow)'

[watch.nk-russia.figure.artillery]
terms = ["artillery pieces", "artillery", "howitzers"]

[sink.journal]
type = "log"
"#
    )
}

/// One `figwatch once` over the good feed and `bad`.
struct Run {
    work: Workspace,
    output: Output,
    elapsed: Duration,
}

impl Run {
    fn new(good: &Servers, bad: &[&str]) -> Run {
        let work = Workspace::new(&config(good, bad));
        let run = Run::again(work);
        run.assert_good_feed_stored(good);
        run
    }

    /// Runs `once` in `work`; asserts it succeeded within the bound.
    fn again(work: Workspace) -> Run {
        let start = Instant::now();
        let output = work.figwatch(&["once"]).output().unwrap();
        let elapsed = start.elapsed();
        let run = Run {
            work,
            output,
            elapsed,
        };
        assert!(run.output.status.success(), "{}", run.stderr());
        assert!(
            run.elapsed < BOUND,
            "took {:?}:\n{}",
            run.elapsed,
            run.stderr()
        );
        run
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// The WARN line naming `url`; fails the test when there is none.
    #[track_caller]
    fn warning_about(&self, url: &str) -> String {
        let stderr = self.stderr();
        stderr
            .lines()
            .find(|line| line.contains("WARN") && line.contains(url))
            .unwrap_or_else(|| panic!("no warning naming {url}:\n{stderr}"))
            .to_owned()
    }

    #[track_caller]
    fn assert_good_feed_stored(&self, good: &Servers) {
        let article = good.url("/news/2024/11/artillery.html");
        assert_eq!(
            self.work.sql_count(&format!(
                "SELECT COUNT(*) FROM articles WHERE url = '{article}'"
            )),
            1,
            "the good feed's article was not stored:\n{}",
            self.stderr()
        );
    }

    fn failures(&self, url: &str) -> i64 {
        self.work
            .sql_count(&format!("SELECT failures FROM feeds WHERE url = '{url}'"))
    }

    fn feed_text(&self, url: &str, column: &str) -> Option<String> {
        let conn = rusqlite::Connection::open(self.work.database()).unwrap();
        conn.query_row(
            &format!("SELECT {column} FROM feeds WHERE url = ?1"),
            [url],
            |row| row.get(0),
        )
        .unwrap()
    }

    fn next_poll_at(&self, url: &str) -> DateTime<Utc> {
        let text = self.feed_text(url, "next_poll_at").unwrap();
        DateTime::parse_from_rfc3339(&text).unwrap().to_utc()
    }
}

/// Runs the bad feed at `path` and returns the warning naming it.
#[track_caller]
fn check_bad(path: &str) -> (Run, String) {
    let good = Servers::start();
    let bad = BadServer::start();
    let url = bad.url(path);
    let run = Run::new(&good, &[&url]);
    let warning = run.warning_about(&url);
    assert_eq!(run.failures(&url), 1, "{}", run.stderr());
    (run, warning)
}

#[test]
fn body_trickling_one_byte_a_second_times_out() {
    let (run, warning) = check_bad("/trickle.xml");
    assert!(warning.contains("timed out after 2s"), "{warning}");
    assert!(run.elapsed < Duration::from_secs(10), "{:?}", run.elapsed);
}

#[test]
fn gzip_bomb_stops_at_the_body_cap() {
    let (_, warning) = check_bad("/bomb.xml");
    assert!(
        warning.contains(&format!("response larger than {MAX_BODY} bytes")),
        "{warning}"
    );
}

#[test]
fn redirect_loop_is_detected() {
    let (_, warning) = check_bad("/loop/a.xml");
    assert!(warning.contains("redirect loop"), "{warning}");
}

#[test]
fn endless_chunked_body_stops_at_the_body_cap() {
    let (_, warning) = check_bad("/endless.xml");
    assert!(warning.contains("response larger than"), "{warning}");
}

#[test]
fn html_page_instead_of_a_feed_is_a_parse_failure() {
    let (_, warning) = check_bad("/page.xml");
    assert!(warning.contains("Feed parse failed"), "{warning}");
}

#[test]
fn unresolvable_name_fails_with_a_dns_error() {
    let good = Servers::start();
    let url = "http://feed.figwatch-test.invalid/rss.xml";
    let run = Run::new(&good, &[url]);
    let warning = run.warning_about(url);
    assert!(warning.contains("DNS lookup failed"), "{warning}");
    assert_eq!(run.failures(url), 1);
}

#[test]
fn refused_connection_fails_with_a_connect_error() {
    let good = Servers::start();
    let url = format!("http://127.0.0.1:{}/feed.xml", super::support::free_port());
    let run = Run::new(&good, &[&url]);
    let warning = run.warning_about(&url);
    assert!(warning.contains("connection failed"), "{warning}");
    assert_eq!(run.failures(&url), 1);
}

#[test]
fn too_many_requests_waits_at_least_retry_after() {
    let started = Utc::now();
    let (run, warning) = check_bad("/limited.xml");
    assert!(warning.contains("HTTP 429"), "{warning}");
    let url = run
        .work
        .sql_text("SELECT url FROM feeds WHERE url LIKE '%/limited.xml'");
    let next = run.next_poll_at(&url);
    assert!(
        next >= started + chrono::Duration::seconds(7200),
        "next poll at {next}, before Retry-After from {started}"
    );
    assert!(
        next <= Utc::now() + chrono::Duration::seconds(7920),
        "next poll at {next}, more than 10% after Retry-After"
    );
}

#[test]
fn invalid_utf8_in_a_feed_is_decoded_and_processed() {
    let good = Servers::start();
    let bad = BadServer::start();
    let url = bad.url("/latin1.xml");
    let run = Run::new(&good, &[&url]);
    assert_eq!(run.failures(&url), 0, "{}", run.stderr());
    let title = run
        .work
        .sql_text("SELECT title FROM articles WHERE title LIKE '%300 artillery%'");
    assert!(
        title.starts_with("Pyongyang: North Korea sent Russia"),
        "{title}"
    );
    // Decoded, lossily or as Latin-1: never a parse failure or mojibake
    // spread into the rest of the title.
    assert!(
        title.ends_with("ministère") || title.ends_with("minist\u{FFFD}re"),
        "{title}"
    );
}

#[test]
fn entries_without_guid_or_link_are_processed_once() {
    let good = Servers::start();
    let bad = BadServer::start();
    let url = bad.url("/anonymous.xml");
    let run = Run::new(&good, &[&url]);
    assert_eq!(run.failures(&url), 0, "{}", run.stderr());
    let count = |work: &Workspace| {
        (
            work.sql_count("SELECT COUNT(*) FROM articles"),
            work.sql_count("SELECT COUNT(*) FROM entries"),
            work.sql_count("SELECT COUNT(*) FROM alerts"),
        )
    };
    let first = count(&run.work);
    // The good feed's article and the bulletin's matching entry; the
    // bulletin's two entries and the good feed's one.
    assert_eq!(first.0, 2, "{}", run.stderr());
    assert_eq!(first.1, 3);
    // Which article is first seen depends on which feed finishes first.
    assert!(first.2 >= 1, "alerts: {first:?}");
    let stored = run
        .work
        .sql_count("SELECT COUNT(*) FROM articles WHERE title LIKE '%250 artillery%'");
    assert_eq!(stored, 1);

    let again = Run::again(run.work);
    assert_eq!(count(&again.work), first, "{}", again.stderr());
}

#[test]
fn rss_ttl_stretches_the_next_poll() {
    let good = Servers::start();
    let bad = BadServer::start();
    let url = bad.url("/ttl.xml");
    let started = Utc::now();
    let run = Run::new(&good, &[&url]);
    // 600 minutes, less at most 10% jitter; the 1 h interval would be far less.
    let next = run.next_poll_at(&url);
    assert!(
        next >= started + chrono::Duration::minutes(540),
        "next poll at {next}"
    );
    let good_next = run.next_poll_at(&good.url("/news/feed.xml"));
    assert!(
        good_next <= Utc::now() + chrono::Duration::minutes(66),
        "{good_next}"
    );
}

#[test]
fn permanent_redirect_is_recorded_and_reported_once() {
    let good = Servers::start();
    let target = good.url("/news/feed.xml");
    let moved = MovedServer::start(&target);
    let old = moved.url();
    let work = Workspace::new(
        // The mirror moved to another local server: another private
        // origin, which only allow_private lets a redirect reach.
        &config(&good, &[]).replace(
            &format!("url = \"{target}\""),
            &format!("url = \"{old}\"\nallow_private = true"),
        ),
    );
    let run = Run::again(work);
    run.assert_good_feed_stored(&good);
    let line = run.warning_about(&old);
    assert!(line.contains("moved permanently"), "{line}");
    assert!(line.contains(&target), "{line}");
    assert_eq!(
        run.feed_text(&old, "moved_to").as_deref(),
        Some(target.as_str())
    );

    // Already known: not repeated on the next run.
    let again = Run::again(run.work);
    assert!(
        !again.stderr().contains("moved permanently"),
        "{}",
        again.stderr()
    );
}

/// A server whose feed has moved (301) to `target`.
struct MovedServer {
    addr: SocketAddr,
}

impl MovedServer {
    fn start(target: &str) -> MovedServer {
        let target = target.to_owned();
        let app = Router::new().route(
            "/old.xml",
            get(move || {
                let target = target.clone();
                async move { (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, target)]) }
            }),
        );
        let addr = super::support::serve(app);
        MovedServer { addr }
    }

    fn url(&self) -> String {
        format!("http://{}/old.xml", self.addr)
    }
}
