//! Tests of the alert module: fixtures (in our own words) and the local
//! receivers the sink tests talk to, all on 127.0.0.1.

mod command;
mod email;
mod http;
mod json;
mod message;

use super::{
    Alert, Article, Change, DEFAULT_MAX_ATTEMPTS, Error, Kind, Observation, Sinks, retry_delay,
};
use crate::config::{self, Secret, SinkKind};
use crate::figures::{self, Qualifier};
use crate::store::{AlertKind, AlertRow, ArticleRef, ObservationRow};
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri};
use chrono::{TimeZone, Utc};
use std::time::Duration;
use tokio::sync::mpsc;

/// Bound on waiting for anything in a test; never reached when it passes.
const WAIT: Duration = Duration::from_secs(10);

/// URL of the article with the newer figure.
const NEW_URL: &str = "https://news.example/world/2025/02/11/shells-and-guns";

fn article(url: &str, title: &str, source: &str, date: (i32, u32, u32)) -> Article {
    Article {
        url: url.to_owned(),
        title: title.to_owned(),
        source: source.to_owned(),
        published_at: Utc
            .with_ymd_and_hms(date.0, date.1, date.2, 6, 30, 0)
            .single(),
    }
}

fn observation(
    value: f64,
    qualifier: Qualifier,
    text: &str,
    quote: &str,
    article: Article,
) -> Observation {
    Observation {
        value,
        low: Some(value),
        high: None,
        qualifier,
        text: text.to_owned(),
        quote: quote.to_owned(),
        kind: figures::Kind::Count,
        unit: None,
        claimed_by: None,
        article,
    }
}

/// The motivating case: artillery pieces went from "more than 160" to
/// "more than 200".
fn changed_alert() -> Alert {
    let older = article(
        "https://wire.example/asia/2024/11/07/artillery-deliveries",
        "Officials detail weapons flowing from Pyongyang",
        "Asia Wire",
        (2024, 11, 7),
    );
    let newer = article(
        NEW_URL,
        "Pyongyang ships more guns and soldiers to Moscow",
        "Korea Daily",
        (2025, 2, 11),
    );
    Alert {
        id: String::from("01JKZ3M7Q8X4T2B6N9C5D1F0GH"),
        kind: Kind::Stored(AlertKind::FigureChanged),
        created_at: Utc
            .with_ymd_and_hms(2025, 2, 11, 9, 12, 0)
            .single()
            .unwrap_or_default(),
        watch: String::from("nk-russia"),
        figure: Some(String::from("artillery")),
        claimant: None,
        previous: Some(observation(
            160.0,
            Qualifier::MoreThan,
            "more than 160 pieces",
            "The officials said more than 160 pieces had crossed the border by rail.",
            older,
        )),
        current: Some(observation(
            200.0,
            Qualifier::MoreThan,
            "more than 200 long-range artillery pieces",
            "Seoul's intelligence service says Pyongyang has now shipped more than 200 long-range artillery pieces to Moscow.",
            newer,
        )),
        change: Some(Change {
            absolute: 40.0,
            relative: Some(0.25),
        }),
        article: None,
        message: None,
        revision: false,
    }
}

/// [`changed_alert`] as an `article_matched` alert: no figure, the article
/// with `headline`.
fn matched_alert(headline: &str) -> Alert {
    Alert {
        kind: Kind::Stored(AlertKind::ArticleMatched),
        figure: None,
        previous: None,
        current: None,
        change: None,
        article: Some(article(NEW_URL, headline, "Korea Daily", (2025, 2, 11))),
        ..changed_alert()
    }
}

/// `alert` as a `figure_first_seen` alert: no previous value, no change.
fn first_seen(alert: Alert) -> Alert {
    Alert {
        kind: Kind::Stored(AlertKind::FigureFirstSeen),
        previous: None,
        change: None,
        ..alert
    }
}

/// The error `sink`, the one sink configured, reports for the motivating
/// case.
async fn send_error(sink: config::Sink) -> Error {
    let name = sink.name.clone();
    let sinks = Sinks::new(&[sink], WAIT);
    let sent = sinks.send(&name, &changed_alert()).await;
    sent.expect_err("the sink fails")
}

/// A feed or test alert: no watch, no figure, free text.
fn text_alert(kind: impl Into<Kind>, text: &str) -> Alert {
    let created_at = Utc
        .with_ymd_and_hms(2025, 3, 1, 12, 0, 0)
        .single()
        .unwrap_or_default();
    Alert::text(kind.into(), created_at, text.to_owned())
}

/// A figure alert as the outbox hands it over: the row [`changed_alert`]
/// is made from, a figure's state from 160 pieces to 200.
fn stored_row() -> AlertRow {
    let stored = |value: f64, text: &str, quote: &str, article: &Article| ObservationRow {
        value,
        low: Some(value),
        high: None,
        qualifier: Qualifier::MoreThan,
        text: text.to_owned(),
        quote: quote.to_owned(),
        kind: figures::Kind::Count,
        unit: None,
        claimed_by: None,
        article: ArticleRef {
            url: article.url.clone(),
            title: article.title.clone(),
            source: article.source.clone(),
            published_at: article.published_at,
        },
    };
    let alert = changed_alert();
    let [Some(previous), Some(current)] = [&alert.previous, &alert.current] else {
        unreachable!("the motivating case has both observations");
    };
    AlertRow {
        id: alert.id.clone(),
        kind: AlertKind::FigureChanged,
        created_at: alert.created_at,
        watch: alert.watch.clone(),
        figure: alert.figure.clone(),
        claimant: None,
        previous: Some(stored(
            160.0,
            &previous.text,
            &previous.quote,
            &previous.article,
        )),
        current: Some(stored(
            200.0,
            &current.text,
            &current.quote,
            &current.article,
        )),
        change: Some((40.0, Some(0.25))),
        article: None,
        feed: None,
        revision: false,
        message: None,
    }
}

fn sink(name: &str, kind: SinkKind) -> config::Sink {
    config::Sink {
        name: name.to_owned(),
        kind,
        policy: config::DeliveryPolicy::default(),
        template: None,
    }
}

fn secret(value: &str) -> Secret {
    Secret::new(value)
}

/// One request a [`Receiver`] saw.
#[derive(Debug)]
struct Captured {
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

impl Captured {
    #[track_caller]
    fn header(&self, name: &str) -> &str {
        match self.headers.get(name).map(|value| value.to_str()) {
            Some(Ok(value)) => value,
            _ => panic!("no (text) header {name} in {:?}", self.headers),
        }
    }

    #[track_caller]
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|err| panic!("body is not JSON ({err}): {:?}", self.body))
    }
}

/// An HTTP server on 127.0.0.1 that records every request and answers with
/// a fixed status and body (`{authorization}` in the body is replaced by the
/// request's Authorization header, to play a server that echoes it).
struct Receiver {
    url: String,
    requests: mpsc::UnboundedReceiver<Captured>,
}

impl Receiver {
    #[allow(
        clippy::disallowed_methods,
        reason = "a test server that lives as long as the test's runtime"
    )]
    async fn start(status: StatusCode, reply: &'static str) -> Receiver {
        let (sender, requests) = mpsc::unbounded_channel();
        let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap, body: Bytes| {
            let sender = sender.clone();
            async move {
                let authorization = headers
                    .get("authorization")
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                let _ = sender.send(Captured { uri, headers, body });
                (status, reply.replace("{authorization}", &authorization))
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver {
            url: format!("http://{address}"),
            requests,
        }
    }

    /// A server that accepts requests and never answers.
    #[allow(
        clippy::disallowed_methods,
        reason = "a test server that lives as long as the test's runtime"
    )]
    async fn silent() -> String {
        let app = axum::Router::new().fallback(std::future::pending::<&'static str>);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{address}")
    }

    /// The request `sink`, the one sink configured, sent this receiver
    /// for `alert`.
    async fn sent(&mut self, sink: config::Sink, alert: &Alert) -> Captured {
        let name = sink.name.clone();
        let sinks = Sinks::new(&[sink], WAIT);
        sinks.send(&name, alert).await.expect("delivered");
        self.next().await
    }

    async fn next(&mut self) -> Captured {
        tokio::time::timeout(WAIT, self.requests.recv())
            .await
            .expect("the receiver got no request in time")
            .expect("the receiver stopped")
    }
}

/// A URL on 127.0.0.1 where nothing listens.
async fn closed_port_url(path: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{address}{path}")
}

fn url(text: &str) -> url::Url {
    url::Url::parse(text).expect("test URL")
}

#[test]
fn retry_delay_doubles_from_30s_to_an_hour_with_jitter() {
    let expected = |attempts: u32| -> f64 {
        let base = 30.0 * 2f64.powi(attempts.saturating_sub(1).min(20) as i32);
        base.min(3600.0)
    };
    for attempts in [0, 1, 2, 3, 5, 7, 8, 9, 20, 1000, u32::MAX] {
        let base = expected(attempts);
        let mut seen_below = false;
        let mut seen_above = false;
        for _ in 0..200 {
            let delay = retry_delay(attempts).as_secs_f64();
            assert!(
                delay >= base * 0.8 - 1e-9 && delay <= base * 1.2 + 1e-9,
                "attempts {attempts}: {delay}s outside {base}s ±20%"
            );
            seen_below |= delay < base;
            seen_above |= delay > base;
        }
        assert!(
            seen_below && seen_above,
            "attempts {attempts}: no jitter in 200 draws"
        );
    }
    assert_eq!(expected(1), 30.0);
    assert_eq!(expected(2), 60.0);
    assert!(retry_delay(u32::MAX) <= Duration::from_secs(72 * 60));
}

#[test]
fn default_max_attempts_retries_for_hours() {
    let total: f64 = (1..DEFAULT_MAX_ATTEMPTS)
        .map(|attempts| retry_delay(attempts).as_secs_f64())
        .sum();
    assert!(total > 6.0 * 3600.0, "only {total}s of retrying");
}

#[test]
fn retryable_errors_are_told_apart_from_permanent_ones() {
    let status = |status: u16| Error::Status {
        sink: String::from("hook"),
        status,
        body: String::new(),
    };
    assert!(status(500).is_retryable());
    assert!(status(503).is_retryable());
    assert!(status(429).is_retryable());
    assert!(status(408).is_retryable());
    assert!(!status(404).is_retryable());
    assert!(!status(400).is_retryable());
    let unknown = Error::UnknownSink {
        sink: String::from("nope"),
    };
    assert!(!unknown.is_retryable());
}

#[tokio::test]
async fn unknown_sink_is_an_error_naming_it() {
    let sinks = Sinks::new(&[sink("phone", SinkKind::Log)], WAIT);
    let err = sinks
        .send("pager", &changed_alert())
        .await
        .expect_err("no such sink");
    assert!(matches!(err, Error::UnknownSink { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "sink pager: no sink of that name in the config"
    );
    assert_eq!(
        sinks.get("phone").map(|sink| sink.name.as_str()),
        Some("phone")
    );
}

#[tokio::test]
async fn log_sink_writes_one_info_event_with_the_alert_fields() {
    use std::sync::{Arc, Mutex};
    let buffer = Arc::new(Mutex::new(Vec::<u8>::new()));
    let writer = {
        let buffer = Arc::clone(&buffer);
        move || LogWriter(Arc::clone(&buffer))
    };
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let sinks = Sinks::new(&[sink("journal", SinkKind::Log)], WAIT);
    {
        // A current-thread test runtime: the event is emitted on this thread.
        let _guard = tracing::subscriber::set_default(subscriber);
        sinks
            .send("journal", &changed_alert())
            .await
            .expect("log sink never fails");
    }
    let logged = String::from_utf8(buffer.lock().expect("lock").clone()).expect("UTF-8 log");
    assert_eq!(logged.lines().count(), 1, "{logged}");
    assert!(logged.contains(" INFO "), "{logged}");
    assert!(
        logged.contains("Alert: nk-russia · artillery: more than 160 → more than 200 (+40, +25%)"),
        "{logged}"
    );
    // The text field carries the whole message, not an empty string.
    assert!(
        logged.contains(
            "text=nk-russia · artillery: more than 160 → more than 200 (+40, +25%) \"Seoul's"
        ),
        "{logged}"
    );
    for field in [
        "watch=nk-russia",
        "figure_changed",
        "artillery",
        "id=01JKZ3M7Q8X4T2B6N9C5D1F0GH",
        "sink=\"journal\"",
        "Korea Daily, 2025-02-11",
        "shipped more than 200 long-range artillery pieces",
    ] {
        assert!(logged.contains(field), "{field} missing from {logged}");
    }
}

struct LogWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One attempt at `delivery` with at most `max_attempts`, now.
async fn deliver(
    sinks: &Sinks,
    delivery: &crate::store::Delivery,
    max_attempts: u32,
) -> crate::alert::Outcome {
    let policy = crate::config::DeliveryPolicy {
        max_attempts,
        ..Default::default()
    };
    sinks
        .deliver_with(delivery, &policy, chrono::Utc::now())
        .await
}

fn delivery(sink_name: &str, attempts: u32) -> crate::store::Delivery {
    crate::store::Delivery {
        id: 7,
        sink: sink_name.to_owned(),
        attempts,
        alert: stored_row(),
    }
}

#[tokio::test]
async fn deliver_says_delivered_retry_or_give_up() {
    let down = closed_port_url("/alerts").await;
    let sinks = Sinks::new(
        &[
            sink("journal", SinkKind::Log),
            sink(
                "hook",
                SinkKind::Webhook {
                    secret_headers: Default::default(),
                    url: url(&down),
                    secret: None,
                    headers: std::collections::BTreeMap::new(),
                },
            ),
        ],
        WAIT,
    );
    assert!(matches!(
        deliver(&sinks, &delivery("journal", 0), 3).await,
        crate::alert::Outcome::Delivered
    ));
    match deliver(&sinks, &delivery("hook", 0), 3).await {
        crate::alert::Outcome::Retry { error, after } => {
            assert!(matches!(error, Error::Connect { .. }), "{error:?}");
            assert!(
                after >= Duration::from_secs(24) && after <= Duration::from_secs(36),
                "{after:?}"
            );
        }
        other => panic!("expected a retry, got {other:?}"),
    }
    match deliver(&sinks, &delivery("hook", 1), 3).await {
        crate::alert::Outcome::Retry { after, .. } => {
            assert!(
                after >= Duration::from_secs(48) && after <= Duration::from_secs(72),
                "{after:?}"
            );
        }
        other => panic!("expected a retry, got {other:?}"),
    }
    assert!(matches!(
        deliver(&sinks, &delivery("hook", 2), 3).await,
        crate::alert::Outcome::GiveUp { .. }
    ));
    // A sink removed from the config cannot heal by waiting.
    assert!(matches!(
        deliver(&sinks, &delivery("gone", 0), 3).await,
        crate::alert::Outcome::GiveUp {
            error: Error::UnknownSink { .. }
        }
    ));
}

#[tokio::test]
async fn a_4xx_answer_is_given_up_at_once() {
    let mut receiver = Receiver::start(StatusCode::NOT_FOUND, "no such hook").await;
    let hook = sink(
        "hook",
        SinkKind::Webhook {
            secret_headers: Default::default(),
            url: url(&receiver.url),
            secret: None,
            headers: std::collections::BTreeMap::new(),
        },
    );
    let sinks = Sinks::new(&[hook], WAIT);
    let outcome = deliver(&sinks, &delivery("hook", 0), DEFAULT_MAX_ATTEMPTS).await;
    let _ = receiver.next().await;
    assert!(
        matches!(
            outcome,
            crate::alert::Outcome::GiveUp {
                error: Error::Status { status: 404, .. }
            }
        ),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn test_alert_names_the_sink_and_has_a_fresh_id() {
    let first = Alert::test("phone");
    let second = Alert::test("phone");
    assert_ne!(first.id, second.id);
    assert_eq!(first.id.len(), 26, "a ULID");
    assert_eq!(first.kind, Kind::Test);
    let message = crate::alert::message(&first);
    assert_eq!(message.title, "figwatch · test alert");
    assert!(
        message.body.contains("through sink phone"),
        "{}",
        message.body
    );
    let sinks = Sinks::new(&[sink("phone", SinkKind::Log)], WAIT);
    sinks
        .send("phone", &first)
        .await
        .expect("log sink never fails");
}

#[test]
fn retry_in_honours_max_attempts_and_give_up_after() {
    let raised = Utc.with_ymd_and_hms(2025, 2, 11, 9, 0, 0).unwrap();
    let policy = config::DeliveryPolicy {
        max_attempts: 5,
        give_up_after: Some(Duration::from_secs(600)),
        rate_limit: None,
    };
    let minutes = |n: i64| raised + chrono::Duration::minutes(n);
    // Early on: the usual backoff (30 s ± 20 %).
    let first = super::retry_in(true, 1, &policy, raised, minutes(0)).unwrap();
    assert!(first >= Duration::from_secs(24) && first <= Duration::from_secs(36));
    // Close to the deadline: the retry is pulled in to it, not past it.
    assert_eq!(
        super::retry_in(true, 4, &policy, raised, minutes(9)),
        Some(Duration::from_secs(60))
    );
    // At or past the deadline, out of attempts, or permanent: give up.
    assert_eq!(super::retry_in(true, 2, &policy, raised, minutes(10)), None);
    assert_eq!(super::retry_in(true, 5, &policy, raised, minutes(0)), None);
    assert_eq!(super::retry_in(false, 1, &policy, raised, minutes(0)), None);
    // Without give_up_after only attempts count.
    let patient = config::DeliveryPolicy::default();
    assert!(super::retry_in(true, 3, &patient, raised, minutes(60 * 24 * 365)).is_some());
}

#[test]
fn digest_lists_every_alert_as_json_and_as_text() {
    let alerts = vec![
        changed_alert(),
        text_alert(AlertKind::FeedFailing, "feed down"),
    ];
    let (digest, json) = super::digest::digest(&alerts);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["kind"], "digest");
    assert_eq!(value["id"], digest.id.as_str());
    let alerts = value["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 2);
    assert_eq!(alerts[0]["kind"], "figure_changed");
    assert_eq!(alerts[0]["current"]["value"], 200);
    assert_eq!(alerts[1]["kind"], "feed_failing");

    let message = super::message(&digest);
    assert_eq!(message.title, "figwatch · digest");
    let body: Vec<&str> = message.body.lines().collect();
    assert_eq!(body[0], "2 alerts");
    assert!(
        body[1].starts_with("• nk-russia · artillery: more than 160 → more than 200"),
        "{body:?}"
    );
    assert!(body[1].ends_with(NEW_URL), "{body:?}");
    assert_eq!(body[2], "• figwatch · feed failing");
}
