//! A local news site and webhook receiver on 127.0.0.1, and helpers to run
//! the real `figwatch` binary against them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::fixtures;

/// What the local site serves and what the receiver got.
#[derive(Default)]
pub struct Site {
    /// Which version of the news feed is served (1 or 2).
    pub feed_version: AtomicUsize,
    /// Status the webhook answers with.
    pub hook_status: AtomicU16,
    /// How long the webhook takes to answer, in milliseconds.
    pub hook_delay_ms: AtomicU64,
    /// Bodies and headers the webhook received.
    pub hooks: Mutex<Vec<Hook>>,
    hooks_changed: Condvar,
    /// Requests for the news feed, and how many were answered 304.
    pub feed_requests: AtomicUsize,
    pub feed_not_modified: AtomicUsize,
}

/// One webhook request.
#[derive(Debug, Clone)]
pub struct Hook {
    pub headers: Vec<(String, String)>,
    pub body: serde_json::Value,
}

impl Site {
    /// Waits until at least `n` webhook requests arrived (bounded by
    /// `within`), and returns all received so far.
    pub fn wait_for_hooks(&self, n: usize, within: Duration) -> Vec<Hook> {
        let hooks = self.hooks.lock().unwrap();
        let (hooks, _) = self
            .hooks_changed
            .wait_timeout_while(hooks, within, |hooks| hooks.len() < n)
            .unwrap();
        hooks.clone()
    }

    pub fn hooks(&self) -> Vec<Hook> {
        self.hooks.lock().unwrap().clone()
    }
}

/// The servers, running on their own thread until the test ends.
pub struct Servers {
    pub addr: SocketAddr,
    pub site: Arc<Site>,
}

impl Servers {
    pub fn start() -> Servers {
        let site = Arc::new(Site::default());
        site.feed_version.store(1, Ordering::SeqCst);
        site.hook_status.store(200, Ordering::SeqCst);
        let app = Router::new()
            .route("/news/feed.xml", get(news_feed))
            .route("/wire/atom.xml", get(wire_feed))
            .route("/news/2024/11/artillery.html", get(|| async { html(fixtures::ARTICLE_NOVEMBER) }))
            .route("/news/2025/02/long-range-artillery.html", get(|| async { html(fixtures::ARTICLE_FEBRUARY) }))
            .route("/news/2025/02/weather.html", get(|| async { html(fixtures::ARTICLE_UNRELATED) }))
            .route("/bad/malformed.xml", get(|| async { xml("<rss version=\"2.0\"><channel><title>Broken</title><item><title>cut off") }))
            .route("/bad/error.xml", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "database on fire") }))
            .route("/bad/slow.xml", get(slow))
            .route("/bad/page.html", get(|| async { html("<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>Our homepage</h1><p>No feed here.</p></body></html>") }))
            .route("/hook", post(hook))
            .with_state(Arc::clone(&site));
        let addr = serve(app);
        Servers { addr, site }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

// The benches serve their sites with the same helper.
#[path = "../../benches/common/serve.rs"]
mod serve;
pub use serve::serve;

fn html(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn xml(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "application/rss+xml")], body).into_response()
}

async fn news_feed(State(site): State<Arc<Site>>, headers: HeaderMap) -> Response {
    site.feed_requests.fetch_add(1, Ordering::SeqCst);
    let version = site.feed_version.load(Ordering::SeqCst);
    let etag = format!("\"news-v{version}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        site.feed_not_modified.fetch_add(1, Ordering::SeqCst);
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let body = fixtures::news_feed(version);
    (
        [
            (
                header::CONTENT_TYPE,
                "application/rss+xml; charset=utf-8".to_string(),
            ),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

async fn wire_feed(State(site): State<Arc<Site>>) -> Response {
    let version = site.feed_version.load(Ordering::SeqCst);
    (
        [(header::CONTENT_TYPE, "application/atom+xml")],
        fixtures::wire_feed(version),
    )
        .into_response()
}

async fn slow() -> Response {
    // Longer than any timeout the tests configure: the client must give up.
    tokio::time::sleep(Duration::from_secs(30)).await;
    xml("<rss version=\"2.0\"><channel><title>Too late</title></channel></rss>")
}

async fn hook(State(site): State<Arc<Site>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let delay = site.hook_delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let status = StatusCode::from_u16(site.hook_status.load(Ordering::SeqCst)).unwrap();
    if status.is_success() {
        let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        site.hooks.lock().unwrap().push(Hook { headers, body });
        site.hooks_changed.notify_all();
    }
    status
}

/// A temporary directory holding a config file.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new(config: &str) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("figwatch.toml"), config).unwrap();
        Workspace { dir }
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("figwatch.toml")
    }

    pub fn database(&self) -> PathBuf {
        self.dir.path().join("figwatch.db")
    }

    /// `figwatch --config <config> ARGS…`, ready to run.
    pub fn figwatch(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("figwatch").unwrap();
        cmd.arg("--config")
            .arg(self.config())
            .args(args)
            .env_remove("FIGWATCH_CONFIG")
            .env_remove("RUST_LOG")
            .env_remove("JOURNAL_STREAM")
            .env("NO_COLOR", "1")
            .timeout(Duration::from_secs(60));
        cmd
    }

    /// Runs an SQL statement against the database, as an operator (or time)
    /// would change it.
    /// Runs `figwatch args…`, which must succeed, and returns its stdout.
    pub fn stdout(&self, args: &[&str]) -> String {
        let output = self.figwatch(args).assert().success().get_output().clone();
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    pub fn sql(&self, statement: &str) {
        let conn = rusqlite::Connection::open(self.database()).unwrap();
        conn.execute_batch(statement).unwrap();
    }

    pub fn sql_text(&self, query: &str) -> String {
        let conn = rusqlite::Connection::open(self.database()).unwrap();
        conn.query_row(query, [], |row| row.get(0)).unwrap()
    }

    pub fn sql_count(&self, query: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.database()).unwrap();
        conn.query_row(query, [], |row| row.get(0)).unwrap()
    }
}

/// The config of the motivating case: the news feed (and optionally more
/// feeds), one watch with two figures, a webhook to the local receiver.
pub fn motivating_config(servers: &Servers, extra_feeds: &[&str], baseline: bool) -> String {
    let mut feeds = format!(
        "[[feed]]\nurl = \"{}\"\nname = \"Korea Daily\"\n",
        servers.url("/news/feed.xml")
    );
    for feed in extra_feeds {
        feeds.push_str(&format!("\n[[feed]]\nurl = \"{}\"\n", servers.url(feed)));
    }
    format!(
        r#"[daemon]
database = "figwatch.db"
# The test news site links to its own pages on 127.0.0.1.
allow_private_articles = true
timeout = "2s"
poll_interval = "1h"
baseline = {baseline}

{feeds}
[watch.nk-russia]
query = '("North Korea" OR DPRK OR Pyongyang) AND (Russia OR Moscow)'

[watch.nk-russia.figure.artillery]
terms = ["artillery pieces", "artillery", "howitzers"]

[watch.nk-russia.figure.troops]
terms = ["troops", "soldiers"]

[sink.hook]
type = "webhook"
url = "{hook}"

[sink.journal]
type = "log"
"#,
        hook = servers.url("/hook")
    )
}

/// A free port on 127.0.0.1 (bound, then released for the daemon to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A plain HTTP/1.0 GET; returns the status code and body.
pub fn http_get(port: u16, path: &str) -> (u16, String) {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    (status, body)
}

/// The daemon as a child process, its log lines read on a thread.
pub struct Daemon {
    /// `None` once stopped or killed.
    child: Option<std::process::Child>,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Daemon {
    /// `figwatch --config <config> run`.
    pub fn spawn(work: &Workspace) -> Daemon {
        Daemon::spawn_with(work, &[], &[])
    }

    /// `figwatch --config <config> ARGS… run` with extra environment.
    pub fn spawn_with(work: &Workspace, args: &[&str], env: &[(&str, &str)]) -> Daemon {
        use std::io::BufRead as _;
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("figwatch"))
            .arg("--config")
            .arg(work.config())
            .args(args)
            .arg("run")
            .env_remove("RUST_LOG")
            .env_remove("JOURNAL_STREAM")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Daemon {
            child: Some(child),
            lines,
        }
    }

    fn child(&mut self) -> &mut std::process::Child {
        self.child.as_mut().expect("daemon already stopped")
    }

    /// Waits (bounded) for a log line containing `needle`.
    pub fn wait_for_log(&self, needle: &str) {
        self.wait_for_line(needle);
    }

    /// Waits (bounded) for a log line containing `needle` and returns it.
    /// Lines before it are consumed.
    pub fn wait_for_line(&self, needle: &str) -> String {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(line) => seen.push(line),
                Err(_) => panic!(
                    "no log line containing {needle:?} within 20 s; before it:\n{}",
                    seen.join("\n")
                ),
            }
        }
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        self.child().try_wait().unwrap().is_none()
    }

    /// Sends a signal (`"HUP"`, `"TERM"`) to the daemon.
    pub fn signal(&self, name: &str) {
        let pid = self
            .child
            .as_ref()
            .expect("daemon already stopped")
            .id()
            .to_string();
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Kills the daemon with SIGKILL, as the OOM killer would (no chance to
    /// clean up), and reaps it.
    pub fn kill(mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
    }

    /// Sends SIGTERM and waits (bounded) for the exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        self.signal("TERM");
        let mut child = self.child.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait());
        });
        rx.recv_timeout(Duration::from_secs(15))
            .expect("daemon did not stop within 15 s after SIGTERM")
            .unwrap()
    }

    /// Sends SIGTERM, waits (bounded) for the exit status, and returns it
    /// with every log line not yet read.
    pub fn stop_with_logs(mut self) -> (std::process::ExitStatus, Vec<String>) {
        self.signal("TERM");
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        let mut lines = Vec::new();
        // The reader thread ends when the daemon closes stderr on exit.
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => lines.push(line),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    panic!("daemon did not stop within 15 s after SIGTERM")
                }
            }
        }
        let status = self.child.take().unwrap().wait().unwrap();
        (status, lines)
    }
}

/// A test that fails half-way does not leave its daemon running.
impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
