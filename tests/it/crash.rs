//! Crash safety and SQLite contention: the real daemon against a news site
//! whose feeds change on every request, killed with SIGKILL at seeded
//! pseudo-random moments and restarted, then drained and checked.
//!
//! What figwatch guarantees across a crash (DESIGN.md "Store"): nothing
//! recorded is lost or recorded twice — one alert per (watch, figure,
//! article), every alert delivered — and a delivery marked delivered is never
//! sent again. Delivery to a webhook is at-least-once: a kill after the
//! receiver answered 200 but before the daemon recorded it leaves the
//! delivery pending, and the restarted daemon sends it again with the same
//! alert id (DESIGN.md "Alert JSON": receivers drop repeats by id). No
//! protocol can close that window without losing alerts instead, so the test
//! allows exactly those repeats and no others.
//!
//! Articles are also revised in place (issue 16): each feed request revises
//! the articles already listed, up to [`REVISIONS`] times, with a new troop
//! figure, so kills land between reading a revision and storing it too. A
//! revision is stored once (one observation per figure per revision, one
//! alert per figure per revision) and none is lost: every article the
//! frozen feeds list ends with its last revision's text.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};

use super::desks::{self, Desks, Receiver};
use super::support::{Daemon, Workspace};

/// Feeds on the site.
const FEEDS: usize = 4;
/// Items each feed lists: the newest article and the ones before it, so an
/// article stays visible for this many polls.
const WINDOW: usize = 4;
/// Times an article is revised after it first appears.
const REVISIONS: usize = 2;
/// Fixed seed: a failure replays the same kill schedule (timing aside).
const SEED: u64 = 0x6669_6777_6174_6368;

/// The news site and the webhook receiver.
#[derive(Default)]
struct Site {
    desks: Desks<FEEDS>,
    /// Feed requests per feed.
    requests: [AtomicUsize; FEEDS],
    receiver: Arc<Receiver>,
}

/// Article `n` of feed `feed`: its position in publication order over the
/// whole site (later articles are published later).
fn sequence(feed: usize, n: usize) -> usize {
    n * FEEDS + feed
}

fn published(feed: usize, n: usize) -> DateTime<Utc> {
    desks::published(sequence(feed, n))
}

fn troops(feed: usize, n: usize, revision: usize) -> usize {
    10_000 + 100 * sequence(feed, n) + 10 * revision
}

/// Which revision of article `n` a feed whose newest article is `newest`
/// shows: one more per later article, up to [`REVISIONS`].
fn revision(n: usize, newest: usize) -> usize {
    newest.saturating_sub(n).min(REVISIONS)
}

fn artillery(feed: usize, n: usize) -> usize {
    // Changes every third article: the others observe an unchanged value.
    200 + 10 * (sequence(feed, n) / 3)
}

fn thousands(value: usize) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (idx, digit) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn article_path(feed: usize, n: usize) -> String {
    format!("/article/{feed}/{n}.html")
}

fn feed_items(feed: usize, newest: usize) -> String {
    let mut items = String::new();
    for n in (newest.saturating_sub(WINDOW - 1).max(1)..=newest).rev() {
        items.push_str(&format!(
            "<item><title>Report {feed}-{n}: North Korean troops in Russia</title>\
             <link>{link}</link><guid isPermaLink=\"false\">crash-{feed}-{n}</guid>\
             <pubDate>{date}</pubDate>\
             <description>Officials give new figures on Pyongyang and Moscow (update {revision}).</description></item>",
            link = article_path(feed, n),
            date = published(feed, n).to_rfc2822(),
            revision = revision(n, newest),
        ));
    }
    items
}

fn article_html(feed: usize, n: usize, revision: usize) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><title>Report {feed}-{n}: North Korean troops in Russia</title>
<meta property="article:published_time" content="{date}"></head>
<body><article><h1>Report {feed}-{n}: North Korean troops in Russia</h1>
<p>North Korea has now sent {troops} troops to Russia, officials in Seoul said on Saturday,
raising their estimate of the forces Pyongyang has committed to Moscow's war.</p>
<p>The officials also said Pyongyang had shipped more than {artillery} artillery pieces to
Russia since the autumn, along with large amounts of ammunition.</p>
<p>Analysts said the figures were hard to verify independently, but that the trend was
clear: the cooperation between the two governments keeps growing month after month.</p>
</article></body></html>"#,
        date = published(feed, n).to_rfc3339(),
        troops = thousands(troops(feed, n, revision)),
        artillery = artillery(feed, n),
    )
}

async fn feed(State(site): State<Arc<Site>>, UrlPath(name): UrlPath<String>) -> Response {
    let Some((feed, newest)) = site.desks.request(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    site.requests[feed].fetch_add(1, Ordering::SeqCst);
    desks::rss(feed, &feed_items(feed, newest))
}

async fn article(
    State(site): State<Arc<Site>>,
    UrlPath((feed, name)): UrlPath<(usize, String)>,
) -> Response {
    site.desks.article(feed, &name, |n| {
        article_html(feed, n, revision(n, site.desks.newest(feed)))
    })
}

/// Starts the site on its own thread; returns its address.
fn start_site(site: Arc<Site>) -> std::net::SocketAddr {
    let app = Router::new()
        .route("/feed/{name}", get(feed))
        .route("/article/{feed}/{name}", get(article))
        .with_state(Arc::clone(&site))
        .merge(site.receiver.route());
    super::support::serve(app)
}

fn config(addr: std::net::SocketAddr) -> String {
    let mut feeds = String::new();
    for feed in 0..FEEDS {
        feeds.push_str(&format!(
            "[[feed]]\nurl = \"http://{addr}/feed/{feed}.xml\"\nrevisit = \"0s\"\n\n"
        ));
    }
    format!(
        r#"[daemon]
database = "figwatch.db"
# The test news site links to its own pages on 127.0.0.1.
allow_private_articles = true
timeout = "10s"
poll_interval = "1s"
baseline = false

{feeds}[watch.nk-russia]
query = '("North Korea" OR Pyongyang) AND (Russia OR Moscow)'
new_articles = true

[watch.nk-russia.figure.troops]
terms = ["troops", "soldiers"]

[watch.nk-russia.figure.artillery]
terms = ["artillery pieces", "artillery"]

[sink.hook]
type = "webhook"
url = "http://{addr}/hook"
"#
    )
}

/// A read-only connection that waits for the daemon's locks like the CLI does.
fn connect(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.busy_timeout(Duration::from_secs(10)).unwrap();
    conn
}

fn has_schema(conn: &rusqlite::Connection) -> bool {
    conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE name = 'deliveries'",
        [],
        |row| row.get::<_, i64>(0),
    )
    .unwrap()
        > 0
}

fn strings(conn: &rusqlite::Connection, query: &str) -> Vec<String> {
    let mut stmt = conn.prepare(query).unwrap();
    stmt.query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn count(conn: &rusqlite::Connection, query: &str) -> i64 {
    conn.query_row(query, [], |row| row.get(0)).unwrap()
}

fn integrity_ok(conn: &rusqlite::Connection) {
    let result: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(result, "ok");
    assert_eq!(
        strings(conn, "SELECT \"table\" FROM pragma_foreign_key_check"),
        Vec::<String>::new()
    );
}

/// After kill number `kill`: which alerts the store had marked delivered,
/// and how many receipts the webhook had seen by then.
struct Snapshot {
    kill: usize,
    received: usize,
    delivered: HashSet<String>,
}

#[test]
fn sigkill_at_random_moments_loses_and_repeats_nothing() {
    const KILLS: usize = 55;
    let started = Instant::now();
    let site = Arc::new(Site::default());
    let addr = start_site(Arc::clone(&site));
    let work = Workspace::new(&config(addr));
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut snapshots = Vec::new();

    for kill in 0..KILLS {
        let daemon = Daemon::spawn(&work);
        let moment = rng.u8(0..4);
        if moment == 0 {
            // While it starts: opening, migrating, recovering the WAL.
            std::thread::sleep(Duration::from_millis(rng.u64(0..40)));
        } else {
            // Measured from start-up, so a slow machine still gets work done.
            daemon.wait_for_log("Figwatch started");
            if moment == 1 {
                // Right after the webhook answered: the at-least-once window.
                let seen = site.receiver.received().len();
                site.receiver
                    .wait_for_receipt_after(seen, Duration::from_secs(3));
                std::thread::sleep(Duration::from_micros(rng.u64(0..2_000)));
            } else {
                // Anywhere in polling, extracting, recording and delivering.
                std::thread::sleep(Duration::from_millis(rng.u64(0..400)));
            }
        }
        daemon.kill();

        let conn = connect(&work.database());
        integrity_ok(&conn);
        let delivered = if has_schema(&conn) {
            strings(
                &conn,
                "SELECT alert_id FROM deliveries WHERE sink = 'hook' AND state = 'delivered'",
            )
            .into_iter()
            .collect()
        } else {
            HashSet::new()
        };
        snapshots.push(Snapshot {
            kill,
            received: site.receiver.received().len(),
            delivered,
        });
    }
    let killing = started.elapsed();

    // The source stops changing; one more run drains everything.
    site.desks.freeze();
    let requests_at_freeze: Vec<usize> = site
        .requests
        .iter()
        .map(|r| r.load(Ordering::SeqCst))
        .collect();
    let daemon = Daemon::spawn(&work);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        // Two polls of every frozen feed: the first one's articles are
        // recorded before the second starts; then the outbox must empty.
        let polled_twice = site
            .requests
            .iter()
            .zip(&requests_at_freeze)
            .all(|(now, before)| now.load(Ordering::SeqCst) >= before + 2);
        let conn = connect(&work.database());
        if polled_twice
            && has_schema(&conn)
            && count(
                &conn,
                "SELECT COUNT(*) FROM deliveries WHERE state <> 'delivered'",
            ) == 0
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "outbox not drained within 30 s after the last restart"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(daemon.stop().success());

    let conn = connect(&work.database());
    integrity_ok(&conn);
    let received = site.receiver.received();
    let alerts: HashSet<String> = strings(&conn, "SELECT id FROM alerts")
        .into_iter()
        .collect();
    let distinct: HashSet<&String> = received.iter().collect();
    eprintln!(
        "{KILLS} kills in {killing:.1?}, {} alerts, {} receipts ({} repeats), {} articles, total {:.1?}",
        alerts.len(),
        received.len(),
        received.len() - distinct.len(),
        count(&conn, "SELECT COUNT(*) FROM articles"),
        started.elapsed()
    );

    // Enough happened for the kills to land in the middle of work.
    assert!(alerts.len() >= 30, "only {} alerts", alerts.len());

    // Every alert has its webhook delivery, delivered, and reached the receiver;
    // the receiver got nothing the store does not know.
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM alerts a WHERE NOT EXISTS (SELECT 1 FROM deliveries d \
             WHERE d.alert_id = a.id AND d.sink = 'hook' AND d.state = 'delivered')"
        ),
        0
    );
    let missing: Vec<&String> = alerts.iter().filter(|id| !distinct.contains(id)).collect();
    assert!(missing.is_empty(), "alerts never delivered: {missing:?}");
    let unknown: Vec<&&String> = distinct
        .iter()
        .filter(|id| !alerts.contains(**id))
        .collect();
    assert!(
        unknown.is_empty(),
        "receipts of unknown alerts: {unknown:?}"
    );

    // Repeats only where a kill interrupted a delivery: once the store says
    // delivered, the id never arrives again...
    for snapshot in &snapshots {
        let late: Vec<&String> = received[snapshot.received..]
            .iter()
            .filter(|id| snapshot.delivered.contains(*id))
            .collect();
        assert!(
            late.is_empty(),
            "sent again after kill {} although recorded as delivered: {late:?}",
            snapshot.kill
        );
    }
    // ...and one delivery is in flight to the webhook at a time, so each kill
    // can interrupt at most one.
    let mut times: HashMap<&String, usize> = HashMap::new();
    for id in &received {
        *times.entry(id).or_default() += 1;
    }
    let repeats: usize = times.values().map(|n| n - 1).sum();
    assert!(repeats <= KILLS, "{repeats} repeats for {KILLS} kills");

    // One alert per (watch, figure, article, revision), one article_matched
    // per (watch, article).
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM (SELECT 1 FROM alerts a JOIN observations o \
             ON o.id = a.current_observation_id WHERE a.figure IS NOT NULL \
             GROUP BY a.watch, a.figure, a.article_id, o.revision HAVING COUNT(*) > 1)"
        ),
        0
    );
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM (SELECT 1 FROM alerts WHERE kind = 'article_matched' \
             GROUP BY watch, article_id HAVING COUNT(*) > 1)"
        ),
        0
    );
    // Each article, and each of its revisions, was recorded whole: every
    // match has two observations per revision and its article_matched alert.
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM matches m JOIN articles r ON r.id = m.article_id WHERE \
             (SELECT COUNT(*) FROM observations o WHERE o.article_id = m.article_id AND o.watch = m.watch) \
             <> 2 * (1 + r.revision) \
             OR NOT EXISTS (SELECT 1 FROM alerts a WHERE a.kind = 'article_matched' AND a.article_id = m.article_id)"
        ),
        0
    );
    // A figure's state is its most recently published observation.
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM figure_state s JOIN observations o ON o.id = s.observation_id \
             WHERE o.observed_at < (SELECT MAX(observed_at) FROM observations x \
             WHERE x.watch = s.watch AND x.figure = s.figure)"
        ),
        0
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM figure_state"), 2);
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM entries WHERE status NOT IN ('matched')"
        ),
        0
    );
    // Nothing the frozen feeds still list is missing, nor its last revision.
    let texts: HashMap<String, String> = strings(&conn, "SELECT url || ' ' || text FROM articles")
        .into_iter()
        .filter_map(|row| {
            row.split_once(' ')
                .map(|(url, text)| (url.to_string(), text.to_string()))
        })
        .collect();
    for feed in 0..FEEDS {
        let newest = site.desks.newest(feed);
        for n in newest.saturating_sub(WINDOW - 1).max(1)..=newest {
            let url = format!("http://{addr}{}", article_path(feed, n));
            let text = texts
                .get(&url)
                .unwrap_or_else(|| panic!("{url} never recorded"));
            let last = format!(
                "sent {} troops",
                thousands(troops(feed, n, revision(n, newest)))
            );
            assert!(
                text.contains(&last),
                "{url} lacks its last revision: {text}"
            );
        }
    }
    // Revisions were read while the kills went on: at least one article
    // per desk. (How many more depends on how many polls a loaded machine
    // fits between kills; 9 to 30 are seen, so the bound stays well below.)
    let n_revised = count(&conn, "SELECT COUNT(*) FROM articles WHERE revision > 0");
    assert!(
        n_revised >= FEEDS as i64,
        "only {n_revised} revised articles"
    );
}

#[test]
fn read_commands_never_find_the_database_locked_while_the_daemon_writes() {
    let site = Arc::new(Site::default());
    let addr = start_site(Arc::clone(&site));
    let work = Workspace::new(&config(addr));
    let daemon = Daemon::spawn(&work);
    assert!(
        site.receiver
            .wait_for_receipt_after(0, Duration::from_secs(20)),
        "the daemon delivered nothing within 20 s"
    );
    let articles_before = count(&connect(&work.database()), "SELECT COUNT(*) FROM articles");

    let commands: [&[&str]; 6] = [
        &["figures"],
        &["figures", "--json"],
        &["history", "nk-russia", "troops"],
        &["articles"],
        &["articles", "--search", "troops"],
        &["alerts"],
    ];
    let until = Instant::now() + Duration::from_secs(5);
    let runs = std::thread::scope(|scope| {
        let readers: Vec<_> = (0..2)
            .map(|reader| {
                let work = &work;
                scope.spawn(move || {
                    let mut runs = 0;
                    while Instant::now() < until {
                        let args = commands[(runs + reader) % commands.len()];
                        let output = work.figwatch(args).output().unwrap();
                        let stderr = String::from_utf8_lossy(&output.stderr);
                        assert!(
                            output.status.success(),
                            "figwatch {args:?} failed while the daemon writes: {stderr}"
                        );
                        assert!(
                            !stderr.contains("locked") && !stderr.contains("busy"),
                            "{args:?}: {stderr}"
                        );
                        runs += 1;
                    }
                    runs
                })
            })
            .collect();
        readers
            .into_iter()
            .map(|reader| reader.join().unwrap())
            .sum::<usize>()
    });
    let articles_after = count(&connect(&work.database()), "SELECT COUNT(*) FROM articles");
    assert!(daemon.stop().success());
    assert!(runs >= 10, "only {runs} read commands ran");
    assert!(
        articles_after > articles_before,
        "the daemon wrote nothing while the readers ran ({articles_before} articles)"
    );
}

#[test]
fn processes_opening_a_new_database_at_once_migrate_it_once() {
    let site = Arc::new(Site::default());
    site.desks.freeze();
    let addr = start_site(Arc::clone(&site));
    let work = Workspace::new(&config(addr));
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| work.figwatch(&["once"]).output().unwrap()))
            .collect();
        for run in runs {
            let output = run.join().unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    });
    let conn = connect(&work.database());
    integrity_ok(&conn);
    let n_migrations = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/sqlite/migrations"),
    )
    .unwrap()
    .filter(|entry| {
        entry
            .as_ref()
            .is_ok_and(|e| e.path().extension().is_some_and(|ext| ext == "sql"))
    })
    .count();
    assert_eq!(count(&conn, "PRAGMA user_version"), n_migrations as i64);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM feeds"), FEEDS as i64);
}
