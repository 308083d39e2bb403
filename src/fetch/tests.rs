//! Tests of the fetch stage: pure helpers (charset, address classes, cache
//! headers) directly, and the client against a real axum server on
//! 127.0.0.1 that misbehaves in the ways servers in the wild do.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::get;
use bytes::Bytes;
use encoding_rs::{EUC_KR, Encoding, SHIFT_JIS, WINDOWS_1252};
use futures_util::stream;
use url::Url;

use super::*;

mod guard;
mod pure;

/// The body cap of the test client.
const CAP: u64 = 64 * 1024;
const USER_AGENT: &str = "figwatch-test/0 (+https://example.org/bot)";
/// A feed fetch whose own origin (a test server on 127.0.0.1) is allowed.
const FEED: Target = Target::Feed {
    allow_private: true,
    allow_private_redirects: false,
};
const ETAG: &str = "\"rev-7\"";
const LAST_MODIFIED: &str = "Wed, 21 Oct 2026 07:28:00 GMT";

const KOREAN: &str = "국방부는 오늘 포병 200문과 병력 11,000명이 훈련에 참가했다고 밝혔다.";
const FRENCH: &str = "Le ministère a confirmé qu’au moins deux cents pièces d’artillerie \
    étaient déployées près de la frontière ; le coût estimé dépasse 3 millions d’€, \
    selon un rapport présenté à côté du château.";
const JAPANESE: &str = "陸上自衛隊は火砲二百門を配備したと発表した。";

// ---------------------------------------------------------------- server

/// Starts the misbehaving test server and returns its address.
#[allow(
    clippy::disallowed_methods,
    reason = "a test server that lives as long as the test's runtime"
)]
async fn serve() -> SocketAddr {
    let router = Router::new()
        .route("/feed", get(conditional))
        .route("/dated", get(dated))
        .route(
            "/accept",
            get(|headers: HeaderMap| async move { header_of(&headers, header::ACCEPT) }),
        )
        .route(
            "/ua",
            get(|headers: HeaderMap| async move { header_of(&headers, header::USER_AGENT) }),
        )
        .route("/exact", get(|| async { vec![b'a'; CAP as usize] }))
        .route("/big", get(|| async { vec![b'a'; CAP as usize + 1] }))
        .route("/endless", get(endless))
        .route("/bomb", get(|| async { gzipped(gzip_bomb()) }))
        .route(
            "/gzip",
            get(|| async { gzipped(gzip(b"small and squeezed")) }),
        )
        .route("/trickle", get(trickle))
        .route(
            "/loop-a",
            get(|| async { redirect(StatusCode::FOUND, "/loop-b") }),
        )
        .route(
            "/loop-b",
            get(|| async { redirect(StatusCode::FOUND, "/loop-a") }),
        )
        .route(
            "/old",
            get(|| async { redirect(StatusCode::MOVED_PERMANENTLY, "/new") }),
        )
        .route(
            "/older",
            get(|| async { redirect(StatusCode::PERMANENT_REDIRECT, "/old") }),
        )
        .route(
            "/temp",
            get(|| async { redirect(StatusCode::FOUND, "/new") }),
        )
        .route(
            "/temp-then-old",
            get(|| async { redirect(StatusCode::TEMPORARY_REDIRECT, "/old") }),
        )
        .route(
            "/to-ftp",
            get(|| async { redirect(StatusCode::MOVED_PERMANENTLY, "ftp://example.org/feed") }),
        )
        .route("/new", get(|| async { "the new home" }))
        .route(
            "/busy",
            get(|| async {
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, "120")],
                    "slow down",
                )
            }),
        )
        .route(
            "/gone",
            get(|| async { (StatusCode::NOT_FOUND, [(header::RETRY_AFTER, "120")], "no") }),
        )
        .route(
            "/euc-kr",
            get(|| async { encoded("text/html; charset=EUC-KR", EUC_KR, KOREAN) }),
        )
        .route(
            "/cp1252",
            get(|| async { encoded("text/plain", WINDOWS_1252, FRENCH) }),
        )
        .route(
            "/sjis",
            get(|| async { encoded("text/html", SHIFT_JIS, &sjis_page()) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

/// 304 when the request carries our ETag, else the feed with validators.
async fn conditional(headers: HeaderMap) -> HttpResponse {
    if header_of(&headers, header::IF_NONE_MATCH) == ETAG {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [
            (header::ETAG, ETAG),
            (header::LAST_MODIFIED, LAST_MODIFIED),
            (header::CACHE_CONTROL, "public, max-age=600"),
            (header::CONTENT_TYPE, "application/rss+xml"),
        ],
        "<rss version=\"2.0\"></rss>",
    )
        .into_response()
}

/// 304 when the request's If-Modified-Since is our Last-Modified.
async fn dated(headers: HeaderMap) -> HttpResponse {
    if header_of(&headers, header::IF_MODIFIED_SINCE) == LAST_MODIFIED {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    ([(header::LAST_MODIFIED, LAST_MODIFIED)], "dated body").into_response()
}

fn header_of(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// A chunked body that never ends.
async fn endless() -> Body {
    Body::from_stream(stream::repeat_with(|| {
        Ok::<_, Infallible>(Bytes::from_static(&[b'x'; 4096]))
    }))
}

/// A body that sends one byte every 100 ms, forever.
async fn trickle() -> Body {
    Body::from_stream(stream::unfold((), |()| async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        Some((Ok::<_, Infallible>(Bytes::from_static(b"x")), ()))
    }))
}

fn redirect(status: StatusCode, location: &'static str) -> HttpResponse {
    (status, [(header::LOCATION, location)]).into_response()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// 4 MiB of zeros in a few kilobytes: 64 times the cap once inflated.
fn gzip_bomb() -> Vec<u8> {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| gzip(&vec![0; 4 << 20])).clone()
}

fn gzipped(body: Vec<u8>) -> HttpResponse {
    ([(header::CONTENT_ENCODING, "gzip")], body).into_response()
}

fn encoded(content_type: &'static str, encoding: &'static Encoding, text: &str) -> HttpResponse {
    let (bytes, _, unmappable) = encoding.encode(text);
    assert!(
        !unmappable,
        "fixture not representable in {}",
        encoding.name()
    );
    ([(header::CONTENT_TYPE, content_type)], bytes.into_owned()).into_response()
}

fn sjis_page() -> String {
    format!(
        "<html><head><meta charset=\"Shift_JIS\"><title>発表</title></head><body><p>{JAPANESE}</p></body></html>"
    )
}

// ---------------------------------------------------------------- client

fn client(timeout: Duration) -> Client {
    Client::new(Options::new(timeout, CAP, USER_AGENT)).unwrap()
}

fn at(addr: SocketAddr, path: &str) -> Url {
    Url::parse(&format!("http://{addr}{path}")).unwrap()
}

#[track_caller]
fn fetched(outcome: Outcome) -> Response {
    match outcome {
        Outcome::Fetched(response) => response,
        other => panic!("expected a fetched response, got {other:?}"),
    }
}

#[track_caller]
fn failed(outcome: Outcome) -> Error {
    match outcome {
        Outcome::Failed(error) => error,
        other => panic!("expected a failure, got {other:?}"),
    }
}

async fn get_feed(addr: SocketAddr, path: &str) -> Outcome {
    client(Duration::from_secs(5))
        .get(&at(addr, path), &Validators::default(), FEED)
        .await
}

#[tokio::test]
async fn etag_from_a_200_makes_the_next_request_not_modified() {
    let addr = serve().await;
    let client = client(Duration::from_secs(5));
    let url = at(addr, "/feed");

    let first = fetched(client.get(&url, &Validators::default(), FEED).await);
    assert_eq!(first.body, b"<rss version=\"2.0\"></rss>");
    assert_eq!(first.content_type.as_deref(), Some("application/rss+xml"));
    assert_eq!(first.max_age, Some(Duration::from_secs(600)));
    let expected = Validators {
        etag: Some(ETAG.to_owned()),
        last_modified: Some(LAST_MODIFIED.to_owned()),
    };
    assert_eq!(first.validators, expected);

    let second = client.get(&url, &first.validators, FEED).await;
    assert!(matches!(second, Outcome::NotModified), "{second:?}");
}

#[tokio::test]
async fn last_modified_alone_makes_the_request_conditional() {
    let addr = serve().await;
    let client = client(Duration::from_secs(5));
    let url = at(addr, "/dated");
    let first = fetched(client.get(&url, &Validators::default(), FEED).await);
    assert_eq!(first.validators.etag, None);
    let second = client.get(&url, &first.validators, FEED).await;
    assert!(matches!(second, Outcome::NotModified), "{second:?}");
}

#[tokio::test]
async fn validator_that_is_not_a_header_value_is_dropped() {
    let addr = serve().await;
    let validators = Validators {
        etag: Some("\"broken\nvalue\"".to_owned()),
        last_modified: None,
    };
    let outcome = client(Duration::from_secs(5))
        .get(&at(addr, "/feed"), &validators, FEED)
        .await;
    assert_eq!(fetched(outcome).validators.etag.as_deref(), Some(ETAG));
}

#[tokio::test]
async fn user_agent_comes_from_the_options() {
    let addr = serve().await;
    assert_eq!(
        fetched(get_feed(addr, "/ua").await).body,
        USER_AGENT.as_bytes()
    );
}

#[tokio::test]
async fn accept_header_depends_on_the_target() {
    let addr = serve().await;
    let feed = fetched(get_feed(addr, "/accept").await).text();
    assert!(feed.starts_with("application/rss+xml"), "{feed}");
    let outcome = client(Duration::from_secs(5))
        .get(
            &at(addr, "/accept"),
            &Validators::default(),
            Target::Article {
                allow_private: true,
            },
        )
        .await;
    let article = fetched(outcome).text();
    assert!(article.starts_with("text/html"), "{article}");
}

#[tokio::test]
async fn body_of_exactly_the_cap_is_read() {
    let addr = serve().await;
    assert_eq!(
        fetched(get_feed(addr, "/exact").await).body.len() as u64,
        CAP
    );
}

#[tokio::test]
async fn body_over_the_cap_is_too_large() {
    let addr = serve().await;
    let error = failed(get_feed(addr, "/big").await);
    assert!(
        matches!(error, Error::TooLarge { limit: CAP, .. }),
        "{error}"
    );
    assert_eq!(error.url(), &at(addr, "/big"));
    assert!(error.to_string().contains("/big"), "{error}");
}

#[tokio::test]
async fn endless_chunked_body_stops_at_the_cap() {
    let addr = serve().await;
    let error = failed(get_feed(addr, "/endless").await);
    assert!(
        matches!(error, Error::TooLarge { limit: CAP, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn gzip_body_is_decompressed() {
    let addr = serve().await;
    assert_eq!(
        fetched(get_feed(addr, "/gzip").await).body,
        b"small and squeezed"
    );
}

#[tokio::test]
async fn gzip_bomb_stops_at_the_cap() {
    let addr = serve().await;
    let error = failed(get_feed(addr, "/bomb").await);
    assert!(
        matches!(error, Error::TooLarge { limit: CAP, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn trickling_body_times_out() {
    let addr = serve().await;
    let timeout = Duration::from_millis(500);
    let started = Instant::now();
    let outcome = client(timeout)
        .get(&at(addr, "/trickle"), &Validators::default(), FEED)
        .await;
    let error = failed(outcome);
    assert!(
        matches!(error, Error::Timeout { after, .. } if after == timeout),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    assert!(error.to_string().contains("/trickle"), "{error}");
}

#[tokio::test]
async fn redirect_loop_fails_naming_the_hops() {
    let addr = serve().await;
    let error = failed(get_feed(addr, "/loop-a").await);
    let message = error.to_string();
    assert!(matches!(error, Error::Network { .. }), "{message}");
    assert!(message.contains("redirect loop"), "{message}");
    assert!(message.contains("/loop-b"), "{message}");
}

#[tokio::test]
async fn too_many_redirects_fail() {
    let addr = serve().await;
    let mut options = Options::new(Duration::from_secs(5), CAP, USER_AGENT);
    options.max_redirects = 1;
    let client = Client::new(options).unwrap();
    let outcome = client
        .get(&at(addr, "/older"), &Validators::default(), FEED)
        .await;
    let message = failed(outcome).to_string();
    assert!(message.contains("more than 1 redirects"), "{message}");
}

#[track_caller]
fn check_moved(response: &Response, addr: SocketAddr, moved_to: Option<&str>) {
    assert_eq!(response.url, at(addr, "/new"));
    assert_eq!(response.body, b"the new home");
    assert_eq!(response.moved_to, moved_to.map(|path| at(addr, path)));
}

#[tokio::test]
async fn permanent_redirects_are_recorded_and_temporary_ones_are_not() {
    let addr = serve().await;
    check_moved(&fetched(get_feed(addr, "/old").await), addr, Some("/new"));
    check_moved(&fetched(get_feed(addr, "/older").await), addr, Some("/new"));
    check_moved(&fetched(get_feed(addr, "/temp").await), addr, None);
    check_moved(&fetched(get_feed(addr, "/temp-then-old").await), addr, None);
}

#[tokio::test]
async fn redirect_to_another_scheme_is_refused() {
    let addr = serve().await;
    let error = failed(get_feed(addr, "/to-ftp").await);
    let message = error.to_string();
    assert!(matches!(error, Error::Refused { .. }), "{message}");
    assert!(message.contains("ftp"), "{message}");
}

#[tokio::test]
async fn non_http_url_is_refused() {
    let client = client(Duration::from_secs(5));
    let url = Url::parse("file:///etc/passwd").unwrap();
    let error = failed(client.get(&url, &Validators::default(), FEED).await);
    assert!(matches!(error, Error::Refused { .. }), "{error}");
}

#[tokio::test]
async fn too_many_requests_carries_retry_after() {
    let addr = serve().await;
    let error = failed(get_feed(addr, "/busy").await);
    assert!(
        matches!(error, Error::Status { status: 429, retry_after: Some(after), .. } if after == Duration::from_secs(120)),
        "{error:?}"
    );
}

#[tokio::test]
async fn retry_after_is_ignored_outside_429_and_503() {
    let addr = serve().await;
    let error = failed(get_feed(addr, "/gone").await);
    assert!(
        matches!(
            error,
            Error::Status {
                status: 404,
                retry_after: None,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn header_charset_decodes_euc_kr() {
    let addr = serve().await;
    assert_eq!(fetched(get_feed(addr, "/euc-kr").await).text(), KOREAN);
}

#[tokio::test]
async fn undeclared_windows_1252_is_detected() {
    let addr = serve().await;
    assert_eq!(fetched(get_feed(addr, "/cp1252").await).text(), FRENCH);
}

#[tokio::test]
async fn meta_charset_decodes_shift_jis() {
    let addr = serve().await;
    assert_eq!(fetched(get_feed(addr, "/sjis").await).text(), sjis_page());
}

#[tokio::test]
async fn article_on_a_loopback_address_is_refused_unless_allowed() {
    let addr = serve().await;
    let client = client(Duration::from_secs(5));
    let url = at(addr, "/new");
    let outcome = client
        .get(
            &url,
            &Validators::default(),
            Target::Article {
                allow_private: false,
            },
        )
        .await;
    let error = failed(outcome);
    let message = error.to_string();
    assert!(matches!(error, Error::Refused { .. }), "{message}");
    assert!(
        message.contains("127.0.0.1 is a loopback address"),
        "{message}"
    );

    let allowed = client
        .get(
            &url,
            &Validators::default(),
            Target::Article {
                allow_private: true,
            },
        )
        .await;
    assert_eq!(fetched(allowed).body, b"the new home");
}

#[tokio::test]
async fn article_host_resolving_to_loopback_is_refused() {
    let addr = serve().await;
    let url = Url::parse(&format!("http://localhost:{}/new", addr.port())).unwrap();
    let client = client(Duration::from_secs(5));
    let outcome = client
        .get(
            &url,
            &Validators::default(),
            Target::Article {
                allow_private: false,
            },
        )
        .await;
    let error = failed(outcome);
    let message = error.to_string();
    assert!(matches!(error, Error::Refused { .. }), "{message}");
    assert!(message.contains("localhost resolves to"), "{message}");
    assert!(message.contains("loopback"), "{message}");
}

#[tokio::test]
async fn feed_on_a_loopback_address_is_fetched() {
    let addr = serve().await;
    let url = Url::parse(&format!("http://localhost:{}/new", addr.port())).unwrap();
    let outcome = client(Duration::from_secs(5))
        .get(&url, &Validators::default(), FEED)
        .await;
    assert_eq!(fetched(outcome).body, b"the new home");
    assert!(crate::fetch::is_private_literal(&url));
}

#[tokio::test]
async fn connection_refused_is_a_network_error_naming_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let error = failed(get_feed(addr, "/closed").await);
    let message = error.to_string();
    assert!(matches!(error, Error::Network { .. }), "{message}");
    assert!(
        message.contains(&format!("http://{addr}/closed")),
        "{message}"
    );
    assert!(message.contains(": connection failed: "), "{message}");
    assert!(message.to_lowercase().contains("refused"), "{message}");
}

#[tokio::test]
async fn unresolvable_host_fails_within_the_timeout() {
    let url = Url::parse("http://figwatch-test.invalid/feed").unwrap();
    let started = Instant::now();
    let outcome = client(Duration::from_secs(3))
        .get(&url, &Validators::default(), FEED)
        .await;
    let error = failed(outcome);
    let message = error.to_string();
    assert!(
        matches!(error, Error::Network { .. } | Error::Timeout { .. }),
        "{message}"
    );
    assert!(message.contains("figwatch-test.invalid"), "{message}");
    if matches!(error, Error::Network { .. }) {
        assert!(message.contains(": DNS lookup failed: "), "{message}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn redirect_hop_to_a_private_address_is_refused_for_guarded_fetches() {
    let requested = Url::parse("http://news.example.com/a").unwrap();
    let hop = Url::parse("http://10.0.0.7/admin").unwrap();
    let error = check_hop(&requested, &hop, Some(&[])).unwrap_err();
    let message = error.to_string();
    assert!(
        message
            .starts_with("http://news.example.com/a: refused: redirect to http://10.0.0.7/admin"),
        "{message}"
    );
    assert!(message.contains("private"), "{message}");
    assert!(check_hop(&requested, &hop, None).is_ok());
}
