//! Instances benchmark: N feeds served from an in-process server on
//! 127.0.0.1, polled for the first time by real `figwatch run` processes
//! (the release binary): one and three on one PostgreSQL, one and two on
//! one SQLite file. For each: how long until every feed's first poll is
//! recorded (feeds/s, entry rows/s), the most connections the instances
//! held to PostgreSQL at once, and each instance's peak RSS.
//!
//! ```sh
//! FIGWATCH_TEST_DATABASE_URL=postgres://figwatch@127.0.0.1:5432/figwatch_test \
//!     cargo bench --bench instances            # N = 20000
//! FEEDS=2000 cargo bench --bench instances
//! ```
//!
//! Without a PostgreSQL URL only the SQLite runs are made. Linux only
//! (reads /proc).

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used,
    missing_docs
)]

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Path as UrlPath;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const ENTRIES_PER_FEED: usize = 10;

async fn feed(UrlPath(name): UrlPath<String>, headers: HeaderMap) -> Response {
    let (feed, etag) = match common::feed_request(&name, &headers) {
        Ok(request) => request,
        Err(status) => return status.into_response(),
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    (
        [
            (header::CONTENT_TYPE, "application/rss+xml".to_string()),
            (header::ETAG, etag),
        ],
        common::rss(feed, ENTRIES_PER_FEED, &format!("http://{host}")),
    )
        .into_response()
}

async fn article(UrlPath((feed, entry)): UrlPath<(usize, String)>) -> Response {
    common::article(feed, &entry, ENTRIES_PER_FEED)
}

fn config(n_feeds: usize, port: u16, database: &str) -> String {
    let mut toml = format!(
        "[daemon]\ndatabase = \"{database}\"\nallow_private_articles = true\nconcurrency = 64\nper_host = 64\ntimeout = \"30s\"\n\
         poll_interval = \"1h\"\n\n"
    );
    for feed in 0..n_feeds {
        let _ = writeln!(
            toml,
            "[[feed]]\nurl = \"http://127.0.0.1:{port}/feed/{feed}.rss\"\n"
        );
    }
    toml.push_str(common::WATCH_AND_SINK);
    toml
}

/// Peak resident set of a process, in MiB.
fn peak_rss_mib(pid: u32) -> f64 {
    common::status_kib(&pid.to_string(), "VmHWM:") as f64 / 1024.0
}

/// Where the instances keep their store, and how the bench reads it.
enum Db {
    Sqlite(std::path::PathBuf),
    Postgres {
        admin: String,
        url: String,
        schema: String,
    },
}

impl Db {
    fn database(&self) -> String {
        match self {
            Db::Sqlite(path) => path.display().to_string(),
            Db::Postgres { url, .. } => url.clone(),
        }
    }

    fn count(&self, query: &str) -> i64 {
        match self {
            Db::Sqlite(path) => {
                let Ok(conn) = rusqlite::Connection::open(path) else {
                    return 0;
                };
                conn.busy_timeout(Duration::from_secs(30)).unwrap();
                conn.query_row(query, [], |row| row.get(0)).unwrap_or(0)
            }
            Db::Postgres { admin, schema, .. } => {
                let mut client = postgres::Client::connect(admin, postgres::NoTls).unwrap();
                client
                    .batch_execute(&format!("SET search_path = {schema}"))
                    .unwrap();
                client
                    .query_one(query, &[])
                    .map(|row| row.get(0))
                    .unwrap_or(0)
            }
        }
    }

    /// Connections figwatch holds to the database now.
    fn connections(&self) -> i64 {
        match self {
            Db::Sqlite(_) => 0,
            Db::Postgres { admin, .. } => {
                let mut client = postgres::Client::connect(admin, postgres::NoTls).unwrap();
                client
                    .query_one(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'figwatch' \
                         AND datname = current_database()",
                        &[],
                    )
                    .unwrap()
                    .get(0)
            }
        }
    }
}

struct Run {
    label: String,
    seconds: f64,
    entries: i64,
    articles: i64,
    connections: i64,
    rss_mib: Vec<f64>,
}

fn run(label: &str, n_feeds: usize, n_instances: usize, port: u16, db: &Db, dir: &Path) -> Run {
    let config_path = dir.join(format!("{label}.toml").replace(' ', "-"));
    std::fs::write(&config_path, config(n_feeds, port, &db.database())).unwrap();
    let started = Instant::now();
    let mut children: Vec<std::process::Child> = (0..n_instances)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_figwatch"))
                .arg("--config")
                .arg(&config_path)
                .arg("-q")
                .arg("run")
                .env_remove("RUST_LOG")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut connections = 0;
    let mut rss_mib = vec![0.0; n_instances];
    let deadline = started + Duration::from_secs(1800);
    loop {
        connections = connections.max(db.connections());
        for (child, peak) in children.iter().zip(&mut rss_mib) {
            *peak = peak_rss_mib(child.id()).max(*peak);
        }
        let polled = db.count("SELECT count(*) FROM feeds WHERE last_polled_at IS NOT NULL");
        if polled as usize >= n_feeds {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{label}: only {polled} feeds polled in 30 min"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    let seconds = started.elapsed().as_secs_f64();
    for child in &mut children {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
    }
    for child in &mut children {
        let _ = child.wait();
    }
    Run {
        label: label.to_string(),
        seconds,
        entries: db.count("SELECT count(*) FROM entries"),
        articles: db.count("SELECT count(*) FROM articles"),
        connections,
        rss_mib,
    }
}

fn postgres_db(admin: &str) -> Db {
    let schema = format!(
        "bench_{}",
        ulid::Ulid::generate().to_string().to_lowercase()
    );
    let mut client = postgres::Client::connect(admin, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .unwrap();
    let separator = if admin.contains('?') { '&' } else { '?' };
    Db::Postgres {
        admin: admin.to_string(),
        url: format!("{admin}{separator}options=-csearch_path%3D{schema}"),
        schema,
    }
}

fn main() {
    let n_feeds: usize = std::env::var("FEEDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let pg_url = std::env::var("FIGWATCH_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty());
    let runtime = figwatch::daemon::runtime().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new()
        .route("/feed/{name}", get(feed))
        .route("/article/{feed}/{entry}", get(article));
    runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
    let dir = tempfile::tempdir().unwrap();

    let mut runs = Vec::new();
    runs.push(run(
        "sqlite, 1 instance",
        n_feeds,
        1,
        port,
        &Db::Sqlite(dir.path().join("one.db")),
        dir.path(),
    ));
    runs.push(run(
        "sqlite, 2 instances",
        n_feeds,
        2,
        port,
        &Db::Sqlite(dir.path().join("two.db")),
        dir.path(),
    ));
    if let Some(admin) = &pg_url {
        for n_instances in [1, 3] {
            let db = postgres_db(admin);
            let label = format!(
                "postgres, {n_instances} instance{}",
                if n_instances > 1 { "s" } else { "" }
            );
            runs.push(run(&label, n_feeds, n_instances, port, &db, dir.path()));
            if let Db::Postgres { admin, schema, .. } = &db {
                let mut client = postgres::Client::connect(admin, postgres::NoTls).unwrap();
                client
                    .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
                    .unwrap();
            }
        }
    } else {
        eprintln!("FIGWATCH_TEST_DATABASE_URL not set: SQLite runs only");
    }

    println!(
        "{n_feeds} feeds x {ENTRIES_PER_FEED} entries, first poll of every feed ({} cores):",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!(
        "| run | time | feeds/s | entry rows/s | articles | PostgreSQL connections (peak) | peak RSS per instance |"
    );
    println!("|---|---|---|---|---|---|---|");
    for run in &runs {
        let rss: Vec<String> = run
            .rss_mib
            .iter()
            .map(|mib| format!("{mib:.0} MiB"))
            .collect();
        println!(
            "| {} | {:.1} s | {:.0} | {:.0} | {} | {} | {} |",
            run.label,
            run.seconds,
            n_feeds as f64 / run.seconds,
            run.entries as f64 / run.seconds,
            run.articles,
            if run.label.starts_with("postgres") {
                run.connections.to_string()
            } else {
                "-".to_string()
            },
            rss.join(", ")
        );
    }
}
