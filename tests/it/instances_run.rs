//! Several `figwatch run` processes on one database, one of them killed
//! with SIGKILL mid-pass and restarted: every entry is processed once,
//! every alert exists once and reaches the receiver, and no feed is
//! fetched twice within its interval. Three processes on PostgreSQL (when
//! `FIGWATCH_TEST_DATABASE_URL` is set) and two on one SQLite file.
//!
//! The exceptions are the ones a kill makes unavoidable and harmless: an
//! alert the killed process sent in the instant before it died arrives
//! again with its same id, and a feed it had fetched but not yet recorded
//! is fetched again (its entries were not processed).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::desks::{self, Desks, Receiver};
use super::support::{Daemon, Workspace};

/// Feeds on the site.
const FEEDS: usize = 6;
/// Items a feed lists: the newest article and the ones before it.
const WINDOW: usize = 3;
/// Every feed's poll interval; the schedule's jitter may shorten one
/// interval by a tenth, never more.
const INTERVAL: Duration = Duration::from_secs(2);
const SHORTEST_INTERVAL: Duration = Duration::from_millis(1_800);

/// The news site (its request log) and the webhook receiver.
#[derive(Default)]
struct Site {
    desks: Desks<FEEDS>,
    /// The request log: (feed, when), in arrival order.
    requests: Mutex<Vec<(usize, Instant)>>,
    receiver: Arc<Receiver>,
}

impl Site {
    fn requests_of(&self, feed: usize) -> Vec<Instant> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(f, _)| *f == feed)
            .map(|(_, at)| *at)
            .collect()
    }
}

fn feed_items(feed: usize, newest: usize) -> String {
    let mut items = String::new();
    for n in (newest.saturating_sub(WINDOW - 1).max(1)..=newest).rev() {
        items.push_str(&format!(
            "<item><title>Desk {feed} report {n}: North Korean troops in Russia</title>\
             <link>/article/{feed}/{n}.html</link><guid isPermaLink=\"false\">i-{feed}-{n}</guid>\
             <pubDate>{date}</pubDate>\
             <description>New figures on Pyongyang and Moscow.</description></item>",
            date = published(feed, n).to_rfc2822(),
        ));
    }
    items
}

fn published(feed: usize, n: usize) -> chrono::DateTime<chrono::Utc> {
    desks::published(n * FEEDS + feed)
}

fn article_html(feed: usize, n: usize) -> String {
    // Every article moves the troops figure (one alert each): alerts are
    // plentiful, so the kill lands among them.
    let troops = 10_000 + 100 * (n * FEEDS + feed);
    format!(
        r#"<!DOCTYPE html><html><head><title>Desk {feed} report {n}</title></head>
<body><article><h1>Desk {feed} report {n}: North Korean troops in Russia</h1>
<p>North Korea has now sent {troops} troops to Russia, officials in Seoul said,
raising their estimate of the forces Pyongyang has committed to Moscow's war.</p>
<p>Analysts said the figures were hard to verify independently.</p>
</article></body></html>"#
    )
}

async fn feed(State(site): State<Arc<Site>>, UrlPath(name): UrlPath<String>) -> Response {
    let Some((feed, newest)) = site.desks.request(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    site.requests.lock().unwrap().push((feed, Instant::now()));
    desks::rss(feed, &feed_items(feed, newest))
}

async fn article(
    State(site): State<Arc<Site>>,
    UrlPath((feed, name)): UrlPath<(usize, String)>,
) -> Response {
    // A little slow, as real sites are: a pass takes long enough for the
    // kill to land in the middle of one.
    tokio::time::sleep(Duration::from_millis(30)).await;
    site.desks.article(feed, &name, |n| article_html(feed, n))
}

fn start_site(site: Arc<Site>) -> std::net::SocketAddr {
    let app = Router::new()
        .route("/feed/{name}", get(feed))
        .route("/article/{feed}/{name}", get(article))
        .with_state(Arc::clone(&site))
        .merge(site.receiver.route());
    super::support::serve(app)
}

fn config(addr: std::net::SocketAddr, database: &str) -> String {
    let mut feeds = String::new();
    for feed in 0..FEEDS {
        feeds.push_str(&format!(
            "[[feed]]\nurl = \"http://{addr}/feed/{feed}.xml\"\n\n"
        ));
    }
    format!(
        r#"[daemon]
database = "{database}"
allow_private_articles = true
timeout = "5s"
poll_interval = "{interval}s"
baseline = false

{feeds}[watch.nk-russia]
query = '("North Korea" OR Pyongyang) AND (Russia OR Moscow)'

[watch.nk-russia.figure.troops]
terms = ["troops", "soldiers"]

[sink.hook]
type = "webhook"
url = "http://{addr}/hook"
"#,
        interval = INTERVAL.as_secs()
    )
}

/// The store as the test reads it: SQLite through rusqlite, PostgreSQL
/// through the postgres client.
enum Db {
    Sqlite(std::path::PathBuf),
    Postgres { url: String, schema: String },
}

impl Db {
    fn count(&self, query: &str) -> i64 {
        match self {
            Db::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.busy_timeout(Duration::from_secs(10)).unwrap();
                conn.query_row(query, [], |row| row.get(0)).unwrap()
            }
            Db::Postgres { url, schema } => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                client
                    .batch_execute(&format!("SET search_path = {schema}"))
                    .unwrap();
                client.query_one(query, &[]).unwrap().get(0)
            }
        }
    }

    fn strings(&self, query: &str) -> Vec<String> {
        match self {
            Db::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.busy_timeout(Duration::from_secs(10)).unwrap();
                let mut stmt = conn.prepare(query).unwrap();
                stmt.query_map([], |row| row.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            }
            Db::Postgres { url, schema } => {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                client
                    .batch_execute(&format!("SET search_path = {schema}"))
                    .unwrap();
                client
                    .query(query, &[])
                    .unwrap()
                    .iter()
                    .map(|row| row.get(0))
                    .collect()
            }
        }
    }

    /// Whether the schema exists yet (the first instance creates it).
    fn ready(&self) -> bool {
        match self {
            Db::Sqlite(path) => path.exists(),
            Db::Postgres { .. } => true,
        }
    }
}

/// Polls `condition` every 50 ms until it holds; fails after `within`.
#[track_caller]
fn wait_until(what: &str, within: Duration, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !condition() {
        assert!(Instant::now() < deadline, "{what}: not within {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn run_instances(n_instances: usize, database: &str, db: &Db) {
    let site = Arc::new(Site::default());
    let addr = start_site(Arc::clone(&site));
    let work = Workspace::new(&config(addr, database));
    let mut daemons: Vec<Daemon> = (0..n_instances).map(|_| Daemon::spawn(&work)).collect();
    for daemon in &daemons {
        daemon.wait_for_log("Figwatch started");
    }

    // Work is under way: alerts arrive.
    wait_until("ten alerts received", Duration::from_secs(60), || {
        site.receiver.received().len() >= 10
    });
    // SIGKILL one instance in the middle of its work, and restart it.
    let victim = daemons.remove(n_instances - 1);
    victim.kill();
    let killed_at = Instant::now();
    let restarted = Daemon::spawn(&work);
    restarted.wait_for_log("Figwatch started");
    daemons.push(restarted);
    // More work after the restart, then the source stops changing.
    let requests_at_restart = site.requests.lock().unwrap().len();
    wait_until(
        "feeds polled after the restart",
        Duration::from_secs(60),
        || site.requests.lock().unwrap().len() >= requests_at_restart + 2 * FEEDS,
    );
    site.desks.freeze();
    let frozen_at = Instant::now();
    // Drained: every feed polled twice since the freeze (so the articles it
    // listed are done), and nothing left in the outbox.
    wait_until("outbox drained", Duration::from_secs(90), || {
        let polled_twice = (0..FEEDS).all(|feed| {
            site.requests_of(feed)
                .iter()
                .filter(|at| **at > frozen_at)
                .count()
                >= 2
        });
        polled_twice
            && db.ready()
            && db.count("SELECT count(*) FROM deliveries WHERE state <> 'delivered'") == 0
    });
    for daemon in daemons {
        assert!(daemon.stop().success());
    }

    // Every entry processed once: recorded on its first attempt.
    let n_entries = db.count("SELECT count(*) FROM entries");
    let n_served: usize = (0..FEEDS).map(|feed| site.desks.newest(feed)).sum();
    assert_eq!(
        n_entries as usize, n_served,
        "every article served is an entry"
    );
    assert_eq!(
        db.strings("SELECT key FROM entries WHERE attempts <> 1 OR status <> 'matched'"),
        Vec::<String>::new(),
        "entries processed more than once, or not matched"
    );
    assert_eq!(db.count("SELECT count(*) FROM articles"), n_entries);

    // Every alert once: one per observation (the constraint), each
    // delivered and received; repeats only for the one kill.
    let alerts = db.strings("SELECT id FROM alerts");
    assert!(alerts.len() >= 10, "only {} alerts", alerts.len());
    assert_eq!(
        db.count("SELECT count(*) FROM alerts WHERE current_observation_id IS NOT NULL") as usize,
        alerts.len()
    );
    let received = site.receiver.received();
    let mut times: HashMap<&String, usize> = HashMap::new();
    for id in &received {
        *times.entry(id).or_default() += 1;
    }
    let missing: Vec<&String> = alerts.iter().filter(|id| !times.contains_key(id)).collect();
    assert!(missing.is_empty(), "alerts never received: {missing:?}");
    assert_eq!(times.len(), alerts.len(), "the receiver got unknown alerts");
    let repeats: usize = times.values().map(|n| n - 1).sum();
    assert!(
        repeats <= 1,
        "{repeats} repeated receipts for one kill: {times:?}"
    );

    // No feed fetched twice within its interval, but for a fetch the killed
    // instance made and never recorded, which is made again.
    let mut early = Vec::new();
    for feed in 0..FEEDS {
        let requests = site.requests_of(feed);
        for pair in requests.windows(2) {
            let gap = pair[1] - pair[0];
            let across_kill = pair[0] < killed_at && killed_at < pair[1];
            if gap < SHORTEST_INTERVAL && !across_kill {
                early.push((feed, gap));
            }
        }
    }
    assert!(
        early.is_empty(),
        "feeds fetched again within their interval: {early:?}"
    );
    eprintln!(
        "{n_instances} instances: {} feed requests, {n_entries} entries, {} alerts, {} receipts",
        site.requests.lock().unwrap().len(),
        alerts.len(),
        received.len()
    );
}

#[test]
fn two_instances_on_one_sqlite_file_share_the_work_through_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let database = path.display().to_string();
    run_instances(2, &database, &Db::Sqlite(path));
}

#[test]
fn three_instances_on_postgres_share_the_work_through_a_kill() {
    // Without a test database, the SQLite test above stands alone.
    let Some(url) = std::env::var("FIGWATCH_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        return;
    };
    let schema = format!("it_{}", ulid::Ulid::generate().to_string().to_lowercase());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let database = format!("{url}{separator}options=-csearch_path%3D{schema}");
    let db = Db::Postgres {
        url: url.clone(),
        schema: schema.clone(),
    };
    run_instances(3, &database, &db);
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
}
