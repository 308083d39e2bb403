//! The private-address guard through the real client and real servers on
//! 127.0.0.1: which hops a target may take, decided at connect time.
//! Names are pinned with resolver overrides (what `FIGWATCH_RESOLVE`
//! sets), which the guard checks like any DNS answer.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use url::Url;

use super::super::guard::parse_overrides;
use super::super::*;

/// A feed configured on a private origin, its redirects guarded.
const PRIVATE_FEED: Target = Target::Feed {
    allow_private: true,
    allow_private_redirects: false,
};

/// A server whose `/to?url=…` redirects anywhere and whose `/secret`
/// counts its hits, so a test can tell a refused request from a failed one.
#[allow(
    clippy::disallowed_methods,
    reason = "a test server that lives as long as the test's runtime"
)]
async fn serve_counting() -> (SocketAddr, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let router = Router::new()
        .route(
            "/secret",
            get(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                async { "internal admin" }
            }),
        )
        .route(
            "/to",
            get(|query: axum::extract::RawQuery| async move {
                let target = query.0.unwrap_or_default();
                (StatusCode::FOUND, [(header::LOCATION, target)]).into_response()
            }),
        )
        .route("/feed", get(|| async { "<rss version=\"2.0\"></rss>" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (addr, hits)
}

fn client_resolving(entries: &str) -> Client {
    let (resolve, invalid) = parse_overrides(entries);
    assert!(invalid.is_empty(), "{invalid:?}");
    let mut options = Options::new(Duration::from_secs(5), 64 * 1024, "figwatch-test/0");
    options.resolve = resolve;
    Client::new(options).unwrap()
}

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

#[track_caller]
fn refused(outcome: Outcome) -> String {
    match outcome {
        Outcome::Failed(error @ Error::Refused { .. }) => error.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn feed_redirect_to_another_private_origin_is_refused() {
    let (addr, hits) = serve_counting().await;
    let (other, other_hits) = serve_counting().await;
    let client = client_resolving("");
    let feed = url(&format!("http://{addr}/to?http://{other}/secret"));
    let message = refused(
        client
            .get(&feed, &Validators::default(), PRIVATE_FEED)
            .await,
    );
    assert!(
        message.contains(&format!("redirect to http://{other}/secret")),
        "{message}"
    );
    assert!(message.contains("loopback"), "{message}");
    assert_eq!(other_hits.load(Ordering::SeqCst), 0);

    // The configured origin itself stays reachable, redirects within it too.
    let same = url(&format!("http://{addr}/to?/secret"));
    let outcome = client
        .get(&same, &Validators::default(), PRIVATE_FEED)
        .await;
    assert!(matches!(outcome, Outcome::Fetched(_)), "{outcome:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn feed_redirect_to_a_name_resolving_privately_is_refused_at_connect() {
    let (addr, _) = serve_counting().await;
    let (other, other_hits) = serve_counting().await;
    let client = client_resolving("internal.test=127.0.0.1");
    let feed = url(&format!(
        "http://{addr}/to?http://internal.test:{}/secret",
        other.port()
    ));
    let message = refused(
        client
            .get(&feed, &Validators::default(), PRIVATE_FEED)
            .await,
    );
    assert!(
        message.contains("internal.test resolves to 127.0.0.1, a loopback address"),
        "{message}"
    );
    assert_eq!(other_hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn name_with_one_private_address_among_public_ones_is_refused() {
    let (addr, hits) = serve_counting().await;
    // The loopback address is the one that answers; the public one is a
    // documentation address nobody listens on.
    let client = client_resolving("mixed.test=93.184.216.34,127.0.0.1");
    let page = url(&format!("http://mixed.test:{}/secret", addr.port()));
    for target in [
        Target::Feed {
            allow_private: false,
            allow_private_redirects: false,
        },
        Target::Article {
            allow_private: false,
        },
    ] {
        let message = refused(client.get(&page, &Validators::default(), target).await);
        assert!(
            message.contains("mixed.test resolves to 127.0.0.1"),
            "{message}"
        );
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    // Allowed by config, the same name is fetched.
    let outcome = client
        .get(
            &page,
            &Validators::default(),
            Target::Article {
                allow_private: true,
            },
        )
        .await;
    assert!(matches!(outcome, Outcome::Fetched(_)), "{outcome:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[test]
fn overrides_parse_like_curl_resolve() {
    let (overrides, invalid) =
        parse_overrides(" a.test=127.0.0.2 ; B.test=[::1],10.0.0.1;junk;c=notanip");
    assert_eq!(
        overrides.get("a.test"),
        Some(&vec!["127.0.0.2".parse::<IpAddr>().unwrap()])
    );
    assert_eq!(overrides.get("b.test").map(Vec::len), Some(2));
    assert_eq!(invalid, ["junk", "c=notanip"]);
}

#[test]
fn only_literal_private_hosts_and_localhost_are_private_without_dns() {
    for private in [
        "http://127.0.0.1/",
        "http://10.1.2.3:8080/",
        "http://[::1]/",
        "http://localhost:9/",
        "http://feeds.localhost/",
    ] {
        assert!(is_private_literal(&url(private)), "{private}");
    }
    for public in [
        "http://93.184.216.34/",
        "http://example.org/",
        "http://localhost.example.org/",
    ] {
        assert!(!is_private_literal(&url(public)), "{public}");
    }
}

#[test]
fn guarded_hop_to_the_proxy_host_is_refused() {
    let requested = url("http://news.example.com/a");
    let proxies = ["localhost".to_owned()];
    let hop = url("http://LOCALHOST:8080/admin");
    let message = check_hop(&requested, &hop, Some(&proxies))
        .unwrap_err()
        .to_string();
    assert!(message.contains("proxy's host"), "{message}");
    assert!(check_hop(&requested, &url("http://example.org/"), Some(&proxies)).is_ok());
}

#[tokio::test]
async fn feed_allowed_private_follows_redirects_to_other_private_origins() {
    let (addr, _) = serve_counting().await;
    let (other, other_hits) = serve_counting().await;
    let client = client_resolving("");
    let feed = url(&format!("http://{addr}/to?http://{other}/secret"));
    let outcome = client
        .get(
            &feed,
            &Validators::default(),
            Target::Feed {
                allow_private: true,
                allow_private_redirects: true,
            },
        )
        .await;
    assert!(matches!(outcome, Outcome::Fetched(_)), "{outcome:?}");
    assert_eq!(other_hits.load(Ordering::SeqCst), 1);
}
