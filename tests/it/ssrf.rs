//! Nothing gets in through a feed: the private-address guard and proxies,
//! through the real binary. Servers on 127.0.0.1 play both the public
//! internet and the private network; `FIGWATCH_RESOLVE` pins what a name
//! resolves to (the guard checks those answers like DNS ones), and a local
//! forward proxy records what it was asked for.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{RawQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::support::{Workspace, serve};

/// A private service: counts what reached it.
#[derive(Default)]
struct Private {
    hits: Mutex<Vec<String>>,
}

fn private_service() -> (std::net::SocketAddr, Arc<Private>) {
    let state = Arc::new(Private::default());
    let app = Router::new()
        .fallback(
            |State(state): State<Arc<Private>>, request: Request| async move {
                state.hits.lock().unwrap().push(request.uri().to_string());
                "internal admin: artillery 999"
            },
        )
        .with_state(Arc::clone(&state));
    (serve(app), state)
}

/// An RSS feed whose items link to `links`, each titled so the watch's
/// prefilter lets it through to an article fetch.
fn rss(links: &[String]) -> String {
    let items: String = links
        .iter()
        .enumerate()
        .map(|(idx, link)| {
            format!(
                "<item><title>Artillery report {idx}</title><link>{link}</link>\
                 <guid>item-{idx}</guid></item>"
            )
        })
        .collect();
    format!("<rss version=\"2.0\"><channel><title>Wire</title>{items}</channel></rss>")
}

/// A public-looking news site: `/feed.xml` lists `links`, `/to?URL`
/// redirects to URL.
fn news_site(links: Vec<String>) -> std::net::SocketAddr {
    let feed = rss(&links);
    let app = Router::new()
        .route(
            "/feed.xml",
            get(move || {
                let feed = feed.clone();
                async move { ([(header::CONTENT_TYPE, "application/rss+xml")], feed) }
            }),
        )
        .route(
            "/to",
            get(|RawQuery(query): RawQuery| async move {
                let location = query.unwrap_or_default();
                (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
            }),
        );
    serve(app)
}

fn config(feed_lines: &str) -> String {
    format!(
        r#"[daemon]
database = "figwatch.db"
timeout = "5s"
baseline = false

[[feed]]
{feed_lines}

[watch.guns]
query = 'artillery'

[watch.guns.figure.artillery]
terms = ["artillery"]

[sink.journal]
type = "log"
"#
    )
}

fn entry_statuses(work: &Workspace) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(work.database()).unwrap();
    let mut statement = conn
        .prepare("SELECT key, status || ' ' || COALESCE(error, '') FROM entries ORDER BY key")
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn article_links_of_a_private_feed_are_refused_unless_the_config_allows_them() {
    let (secret, private) = private_service();
    let links = vec![
        format!("http://{secret}/internal/admin"),
        format!("http://internal.test:{}/metadata", secret.port()),
    ];
    let site = news_site(links);
    // The feed's own host is private (it is configured, so it is fetched),
    // and its name's answer holds a public address beside the private one:
    // neither opens the door for its links.
    let work = Workspace::new(&config(&format!(
        "url = \"http://news.test:{}/feed.xml\"\nallow_private = true",
        site.port()
    )));
    work.figwatch(&["once"])
        .env(
            "FIGWATCH_RESOLVE",
            "news.test=127.0.0.1,93.184.216.34;internal.test=127.0.0.1",
        )
        .assert()
        .success();
    assert!(private.hits.lock().unwrap().is_empty());
    let statuses = entry_statuses(&work);
    assert_eq!(statuses.len(), 2, "{statuses:?}");
    assert!(
        statuses[0].1.starts_with("refused") && statuses[0].1.contains("is a loopback address"),
        "{statuses:?}"
    );
    assert!(
        statuses[1].1.starts_with("refused")
            && statuses[1]
                .1
                .contains("internal.test resolves to 127.0.0.1"),
        "{statuses:?}"
    );

    // Allowed for this feed by config, the same links are fetched.
    let allowed = Workspace::new(&config(&format!(
        "url = \"http://{site}/feed.xml\"\nallow_private_articles = true"
    )));
    allowed
        .figwatch(&["once"])
        .env("FIGWATCH_RESOLVE", "internal.test=127.0.0.1")
        .assert()
        .success();
    assert_eq!(private.hits.lock().unwrap().len(), 2);
}

#[test]
fn feed_on_a_public_name_that_resolves_privately_is_refused_unless_allowed() {
    let site = news_site(Vec::new());
    let work = Workspace::new(&config(&format!(
        "url = \"http://news.test:{}/feed.xml\"",
        site.port()
    )));
    let output = work
        .figwatch(&["once"])
        .env("FIGWATCH_RESOLVE", "news.test=127.0.0.1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("news.test resolves to 127.0.0.1, a loopback address"),
        "{stderr}"
    );
    let error = work.sql_text("SELECT last_error FROM feeds");
    assert!(error.contains("refused"), "{error}");
}

#[test]
fn feed_redirect_into_the_private_network_is_refused() {
    let (secret, private) = private_service();
    let site = news_site(Vec::new());
    let work = Workspace::new(&config(&format!(
        "url = \"http://{site}/to?http://{secret}/internal/admin\""
    )));
    // The only feed is refused: `once` says no feed could be fetched.
    work.figwatch(&["once"]).assert().code(1);
    assert!(private.hits.lock().unwrap().is_empty());
    let error = work.sql_text("SELECT last_error FROM feeds");
    assert!(
        error.contains(&format!("redirect to http://{secret}/internal/admin"))
            && error.contains("loopback"),
        "{error}"
    );
}

/// A forward proxy that answers for the "internet" itself: the feed at
/// `http://feed.test/feed.xml`, any other page with an article. Records
/// every request line's URI.
#[derive(Default)]
struct Proxy {
    requests: Mutex<Vec<String>>,
    feed: Mutex<String>,
}

fn proxy() -> (std::net::SocketAddr, Arc<Proxy>) {
    let state = Arc::new(Proxy::default());
    let app = Router::new()
        .fallback(
            |State(state): State<Arc<Proxy>>, request: Request| async move {
                let uri = request.uri().to_string();
                state.requests.lock().unwrap().push(uri.clone());
                let response: Response = if uri.ends_with("/feed.xml") {
                    let feed = state.feed.lock().unwrap().clone();
                    ([(header::CONTENT_TYPE, "application/rss+xml")], feed).into_response()
                } else {
                    (
                        [(header::CONTENT_TYPE, "text/html")],
                        "<html><head><title>Story</title></head><body><article><p>More than \
                     200 artillery pieces were sent.</p></article></body></html>",
                    )
                        .into_response()
                };
                response
            },
        )
        .with_state(Arc::clone(&state));
    (serve(app), state)
}

#[test]
fn behind_a_proxy_names_are_checked_and_the_proxy_host_is_no_exemption() {
    let (secret, private) = private_service();
    let (proxy_addr, proxy) = proxy();
    *proxy.feed.lock().unwrap() = rss(&[
        // NO_PROXY: connected to directly, by the proxy's own name.
        format!("http://localhost:{}/internal/admin", secret.port()),
        // Through the proxy, to a name that resolves privately.
        "http://internal.test/latest/meta-data".to_owned(),
        // Through the proxy, to a public name: fetched.
        "http://public.test/story.html".to_owned(),
    ]);
    let work = Workspace::new(&config("url = \"http://feed.test/feed.xml\""));
    work.figwatch(&["once"])
        .env(
            "HTTP_PROXY",
            format!("http://localhost:{}", proxy_addr.port()),
        )
        .env("NO_PROXY", "localhost")
        .env(
            "FIGWATCH_RESOLVE",
            "feed.test=93.184.216.34;public.test=93.184.216.35;internal.test=169.254.169.254",
        )
        .assert()
        .success();

    assert!(private.hits.lock().unwrap().is_empty());
    let requests = proxy.requests.lock().unwrap().clone();
    assert_eq!(
        requests,
        ["http://feed.test/feed.xml", "http://public.test/story.html"],
    );
    let statuses = entry_statuses(&work);
    assert!(
        statuses[0].1.starts_with("refused") && statuses[0].1.contains("proxy's host"),
        "{statuses:?}"
    );
    assert!(
        statuses[1].1.starts_with("refused") && statuses[1].1.contains("link-local"),
        "{statuses:?}"
    );
    assert!(!statuses[2].1.starts_with("refused"), "{statuses:?}");
}
