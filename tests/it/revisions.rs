//! Stories that change in place (issue 16), through the real binary and a
//! local site whose pages the test rewrites between passes: revised feed
//! entries, the `revisit` bound, live pages, SIGUSR1 and feed discovery.
//!
//! Time is explicit: each pass is a `figwatch once`, and "an hour later"
//! is the entry's last fetch moved back in the database, never a sleep.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

use super::support::{Daemon, Workspace};

/// A site whose every path serves what the test last set, with an ETag
/// (so a page unchanged since the last poll answers 304), counting
/// requests per path; and a webhook receiver.
#[derive(Default)]
struct Site {
    bodies: Mutex<HashMap<String, (&'static str, String)>>,
    requests: Mutex<HashMap<String, usize>>,
    requests_changed: Condvar,
    hooks: Mutex<Vec<serde_json::Value>>,
}

/// In a body, replaced by the number of requests for its path so far: a
/// feed that rewrites its entries on every poll.
const REQUEST_NUMBER: &str = "{request}";

impl Site {
    fn set(&self, path: &str, content_type: &'static str, body: String) {
        self.bodies
            .lock()
            .unwrap()
            .insert(path.to_string(), (content_type, body));
    }

    fn requests(&self, path: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Waits (bounded) until `path` was requested at least `n` times.
    fn wait_for_requests(&self, path: &str, n: usize) -> usize {
        let requests = self.requests.lock().unwrap();
        let (requests, _) = self
            .requests_changed
            .wait_timeout_while(requests, Duration::from_secs(20), |requests| {
                requests.get(path).copied().unwrap_or(0) < n
            })
            .unwrap();
        requests.get(path).copied().unwrap_or(0)
    }

    fn hooks(&self) -> Vec<serde_json::Value> {
        self.hooks.lock().unwrap().clone()
    }
}

async fn serve_path(State(site): State<Arc<Site>>, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().to_string();
    let n_request = {
        let mut requests = site.requests.lock().unwrap();
        let count = requests.entry(path.clone()).or_default();
        *count += 1;
        *count
    };
    site.requests_changed.notify_all();
    let Some((content_type, body)) = site.bodies.lock().unwrap().get(&path).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let body = body.replace(REQUEST_NUMBER, &n_request.to_string());
    let etag = format!("\"{:x}\"", fxhash(&body));
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        == Some(etag.as_str());
    if not_modified {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

/// A small stable hash for ETags.
fn fxhash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

async fn hook(State(site): State<Arc<Site>>, body: Bytes) -> StatusCode {
    let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    site.hooks.lock().unwrap().push(body);
    StatusCode::OK
}

struct Local {
    site: Arc<Site>,
    addr: std::net::SocketAddr,
}

impl Local {
    fn start() -> Local {
        let site = Arc::new(Site::default());
        let app = Router::new()
            .route("/hook", post(hook))
            .fallback(serve_path)
            .with_state(Arc::clone(&site));
        let addr = super::support::serve(app);
        Local { site, addr }
    }

    /// The site with the wire's first version of the refugees story, as
    /// its feed and its page.
    fn with_first_story() -> Local {
        let local = Local::start();
        local.set_feed(
            "2026-03-01T09:00:00Z",
            FIRST_TITLE,
            "The UN gives new figures.",
        );
        local.set_story(FIRST_TITLE, FIRST_LEAD);
        local
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The wire's Atom feed: one entry, updated at `updated`, linking the
    /// refugees story.
    fn set_feed(&self, updated: &str, title: &str, summary: &str) {
        let feed = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title><id>urn:wire</id>
<updated>{updated}</updated>
<entry><id>urn:wire:refugees</id><title>{title}</title>
<link href="{link}"/><published>2026-03-01T09:00:00Z</published>
<updated>{updated}</updated><summary>{summary}</summary></entry></feed>"#,
            link = self.url(STORY)
        );
        self.site.set("/wire.xml", "application/atom+xml", feed);
    }

    fn set_story(&self, title: &str, lead: &str) {
        self.site
            .set(STORY, "text/html; charset=utf-8", page_html(title, lead));
    }
}

const STORY: &str = "/story/refugees.html";
const LIVE: &str = "/live/crossings.html";

fn page_html(title: &str, lead: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{title}</h1>
<p>{lead}</p>
<p>Aid agencies in the neighbouring countries said reception centres were full and that
volunteers were working through the night to register new arrivals at the border.</p>
<p>Officials in Kyiv said the situation in the east of Ukraine remained difficult, with
shelling reported in several towns overnight and power cuts across the region.</p>
</article><footer>Copyright The Wire</footer></body></html>"#
    )
}

fn config(local: &Local, baseline: bool, revisit: &str, pages: &str) -> String {
    format!(
        r#"[daemon]
database = "figwatch.db"
# The local site links to its own pages on 127.0.0.1.
allow_private_articles = true
timeout = "5s"
poll_interval = "1h"
baseline = {baseline}

[[feed]]
url = "{feed}"
name = "The Wire"
revisit = "{revisit}"
{pages}
[watch.ukraine]
query = 'Ukraine AND refugees'

[watch.ukraine.figure.refugees]
terms = ["refugees"]

[sink.hook]
type = "webhook"
url = "{hook}"
"#,
        feed = local.url("/wire.xml"),
        hook = local.url("/hook"),
    )
}

fn once(work: &Workspace) -> String {
    let output = work
        .figwatch(&["once"])
        .assert()
        .success()
        .get_output()
        .clone();
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const FIRST_TITLE: &str = "More than 8 million refugees have fled Ukraine";
const FIRST_LEAD: &str = "More than 8 million refugees have fled Ukraine since the invasion, \
     the UN refugee agency said on Tuesday.";

#[test]
fn entry_updated_in_place_with_a_new_figure_alerts_once_as_a_revision() {
    let local = Local::with_first_story();
    let work = Workspace::new(&config(&local, true, "0s", ""));
    once(&work);
    assert!(
        local.site.hooks().is_empty(),
        "the first poll is the baseline"
    );

    let title = "Refugees who fled Ukraine now 8.6 million, UN says";
    local.set_feed("2026-03-01T14:00:00Z", title, "The UN gives new figures.");
    local.set_story(
        title,
        "Some 8.6 million refugees have fled Ukraine since the invasion, the UN refugee agency \
         said on Tuesday afternoon.",
    );
    let log = once(&work);
    assert!(log.contains("Revised article recorded"), "{log}");
    // Seen again unchanged: nothing is fetched or raised.
    once(&work);
    assert_eq!(local.site.requests(STORY), 2);

    let hooks = local.site.hooks();
    assert_eq!(hooks.len(), 1, "{hooks:#?}");
    let alert = &hooks[0];
    assert_eq!(alert["kind"], "figure_changed");
    assert_eq!(alert["revision"], true);
    assert_eq!(alert["previous"]["value"], 8_000_000);
    assert_eq!(alert["current"]["value"], 8_600_000);
    assert_eq!(alert["current"]["article"]["url"], local.url(STORY));
    assert_eq!(alert["previous"]["article"]["url"], local.url(STORY));
    // One article, two observations of it: the revision is dated by the
    // entry's <updated>.
    assert_eq!(work.sql_count("SELECT COUNT(*) FROM articles"), 1);
    assert_eq!(
        work.sql_text("SELECT group_concat(observed_at || '=' || value, ' ') FROM (SELECT * FROM observations ORDER BY revision)"),
        "2026-03-01T09:00:00.000Z=8000000.0 2026-03-01T14:00:00.000Z=8600000.0"
    );
    let history = work.stdout(&["history", "ukraine", "refugees"]);
    assert!(
        history.contains("8.6 million") || history.contains("8,600,000"),
        "{history}"
    );
    // The revision says what it is.
    assert!(history.contains("changed (revision 1)"), "{history}");
}

#[test]
fn update_that_changes_no_figure_alerts_nothing() {
    let local = Local::with_first_story();
    let work = Workspace::new(&config(&local, false, "0s", ""));
    once(&work);
    let first = local.site.hooks();
    assert_eq!(first.len(), 1, "{first:#?}");
    assert_eq!(first[0]["kind"], "figure_first_seen");
    assert!(first[0].get("revision").is_none(), "{:#}", first[0]);

    // Reworded, same number.
    let title = "UN: more than 8 million refugees have left Ukraine";
    local.set_feed("2026-03-01T11:30:00Z", title, "Reworded by the desk.");
    local.set_story(
        title,
        "More than 8 million refugees have left Ukraine since the invasion began, the UN \
         refugee agency said on Tuesday, in a statement reworded by its press office.",
    );
    let log = once(&work);
    assert!(log.contains("Revised article recorded"), "{log}");
    assert_eq!(
        local.site.hooks().len(),
        1,
        "an unchanged figure alerts nothing"
    );
    assert_eq!(work.sql_count("SELECT revision FROM articles"), 1);
    assert_eq!(
        work.sql_text(
            "SELECT group_concat(decision, ' ') FROM (SELECT * FROM observations ORDER BY revision)"
        ),
        "first_seen unchanged"
    );
}

#[test]
fn feed_rewriting_its_entries_every_poll_refetches_an_article_once_per_revisit() {
    let local = Local::start();
    // Every request for the feed gives its entry another summary.
    local.set_feed(
        "2026-03-01T09:00:00Z",
        FIRST_TITLE,
        "Live: rewritten for the {request}th time.",
    );
    local.set_story(FIRST_TITLE, FIRST_LEAD);
    let work = Workspace::new(&config(&local, true, "1h", ""));
    for _ in 0..4 {
        once(&work);
    }
    assert_eq!(local.site.requests("/wire.xml"), 4);
    assert_eq!(local.site.requests(STORY), 1, "revisits wait for `revisit`");

    // An hour later (the article's last fetch moved back): one revisit, and
    // the next pass waits again.
    work.sql("UPDATE entries SET seen_at = '2026-01-01T00:00:00.000Z'");
    once(&work);
    once(&work);
    assert_eq!(local.site.requests(STORY), 2);
    // The text did not change: no revision was stored.
    assert_eq!(work.sql_count("SELECT revision FROM articles"), 0);
    assert_eq!(work.sql_count("SELECT COUNT(*) FROM observations"), 1);
}

fn live_page(crossings: &str) -> String {
    page_html(
        "Situation report: border crossings from Ukraine",
        &format!(
            "{crossings} refugees from Ukraine crossed into Moldova in the past week, the \
             border police said in its daily update."
        ),
    )
}

#[test]
fn live_page_changed_three_times_gives_three_observations_and_the_right_alerts() {
    let local = Local::start();
    local.set_feed("2026-03-01T09:00:00Z", "Weather", "Sunny.");
    let pages = format!(
        "\n[[page]]\nurl = \"{}\"\nname = \"Border police\"\nwatches = [\"ukraine\"]\n",
        local.url(LIVE)
    );
    let work = Workspace::new(&config(&local, false, "1h", &pages));
    for crossings in ["12,000", "15,000", "18,000"] {
        local
            .site
            .set(LIVE, "text/html; charset=utf-8", live_page(crossings));
        once(&work);
    }
    // Unchanged: a 304, nothing read.
    once(&work);
    assert_eq!(local.site.requests(LIVE), 4);

    assert_eq!(work.sql_count("SELECT COUNT(*) FROM articles"), 1);
    assert_eq!(
        work.sql_text(
            "SELECT group_concat(value, ' ') FROM (SELECT * FROM observations ORDER BY revision)"
        ),
        "12000.0 15000.0 18000.0"
    );
    let hooks = local.site.hooks();
    let kinds: Vec<(&str, bool)> = hooks
        .iter()
        .map(|hook| {
            let revision = hook.get("revision").is_some_and(|r| r == true);
            (hook["kind"].as_str().unwrap_or(""), revision)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("figure_first_seen", false),
            ("figure_changed", true),
            ("figure_changed", true)
        ]
    );
    assert_eq!(hooks[2]["previous"]["value"], 15_000);
    assert_eq!(hooks[2]["current"]["value"], 18_000);
    assert_eq!(hooks[2]["current"]["article"]["source"], "Border police");
    let figures = work.stdout(&["figures", "--json"]);
    assert!(figures.contains(&local.url(LIVE)), "{figures}");
    assert!(figures.contains("18000"), "{figures}");
}

#[test]
fn sigusr1_makes_the_running_daemon_poll_every_feed_and_page_now() {
    let local = Local::with_first_story();
    local
        .site
        .set(LIVE, "text/html; charset=utf-8", live_page("12,000"));
    let pages = format!("\n[[page]]\nurl = \"{}\"\n", local.url(LIVE));
    let work = Workspace::new(&config(&local, true, "1h", &pages));
    let daemon = Daemon::spawn(&work);
    daemon.wait_for_log("Figwatch started");
    // The first polls (nothing is due again for an hour).
    assert_eq!(local.site.wait_for_requests("/wire.xml", 1), 1);
    assert_eq!(local.site.wait_for_requests(LIVE, 1), 1);

    daemon.signal("USR1");
    daemon.wait_for_log("SIGUSR1");
    assert_eq!(local.site.wait_for_requests("/wire.xml", 2), 2);
    assert_eq!(local.site.wait_for_requests(LIVE, 2), 2);
    assert!(daemon.stop().success());
}

#[test]
fn html_page_linking_its_feed_is_polled_through_the_feed() {
    let local = Local::with_first_story();
    local.site.set(
        "/home.html",
        "text/html; charset=utf-8",
        r#"<!DOCTYPE html><html><head><title>The Wire</title>
<link rel="alternate" type="application/atom+xml" title="The Wire" href="/wire.xml">
</head><body><h1>The Wire</h1><p>Front page.</p></body></html>"#
            .to_string(),
    );
    let toml = config(&local, true, "1h", "").replace("/wire.xml", "/home.html");
    let work = Workspace::new(&toml);
    let log = once(&work);
    let notice = log
        .lines()
        .find(|line| line.contains("polling the feed it links to"))
        .unwrap_or_else(|| panic!("no notice in:\n{log}"));
    assert!(notice.contains(&local.url("/wire.xml")), "{notice}");
    assert_eq!(work.sql_count("SELECT COUNT(*) FROM articles"), 1);
    assert_eq!(local.site.requests(STORY), 1);

    let check = work.stdout(&["check", "--online"]);
    assert!(
        check.contains(&format!(
            "HTML page linking the feed {}",
            local.url("/wire.xml")
        )),
        "{check}"
    );
}
