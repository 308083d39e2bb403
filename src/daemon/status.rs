//! The optional HTTP status server (`[daemon] listen`): `/healthz`,
//! `/metrics` (Prometheus text) and a small status page at `/`.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use crate::store::Store;

/// The main loop is considered stuck when it has not turned for this long.
const STUCK_AFTER: Duration = Duration::from_secs(3 * 60 * 60);

/// Counters the pipeline bumps; read by `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Feed polls finished.
    pub feeds_polled: AtomicU64,
    /// Feed polls that failed.
    pub feed_errors: AtomicU64,
    /// Feed polls answered 304.
    pub feeds_not_modified: AtomicU64,
    /// New entries seen.
    pub entries_seen: AtomicU64,
    /// Articles stored.
    pub articles_matched: AtomicU64,
    /// Alerts raised.
    pub alerts: AtomicU64,
    /// Deliveries that reached their sink.
    pub deliveries_ok: AtomicU64,
    /// Failed delivery attempts.
    pub deliveries_failed: AtomicU64,
    last_loop: std::sync::Mutex<Option<Instant>>,
    last_success: std::sync::Mutex<Option<DateTime<Utc>>>,
}

impl Metrics {
    /// Adds `n` to a counter.
    pub fn add(counter: &AtomicU64, n: usize) {
        counter.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// The main loop turned.
    pub fn loop_turned(&self) {
        *self.last_loop.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
    }

    /// A feed was polled successfully.
    pub fn poll_succeeded(&self, at: DateTime<Utc>) {
        *self.last_success.lock().unwrap_or_else(|p| p.into_inner()) = Some(at);
    }

    fn last_success(&self) -> Option<DateTime<Utc>> {
        *self.last_success.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn stuck(&self) -> bool {
        self.last_loop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some_and(|at| at.elapsed() > STUCK_AFTER)
    }

    /// The metrics in Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counters: [(&str, &str, &AtomicU64); 8] = [
            (
                "figwatch_feed_polls_total",
                "Feed polls finished.",
                &self.feeds_polled,
            ),
            (
                "figwatch_feed_errors_total",
                "Feed polls that failed.",
                &self.feed_errors,
            ),
            (
                "figwatch_feed_not_modified_total",
                "Feed polls answered 304 Not Modified.",
                &self.feeds_not_modified,
            ),
            (
                "figwatch_entries_seen_total",
                "New feed entries seen.",
                &self.entries_seen,
            ),
            (
                "figwatch_articles_matched_total",
                "Matched articles stored.",
                &self.articles_matched,
            ),
            ("figwatch_alerts_total", "Alerts raised.", &self.alerts),
            (
                "figwatch_deliveries_ok_total",
                "Alert deliveries that reached their sink.",
                &self.deliveries_ok,
            ),
            (
                "figwatch_deliveries_failed_total",
                "Failed alert delivery attempts.",
                &self.deliveries_failed,
            ),
        ];
        for (name, help, counter) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        if let Some(at) = self.last_success() {
            let _ = writeln!(
                out,
                "# HELP figwatch_last_successful_poll_seconds Unix time of the last successful feed poll.\n# TYPE figwatch_last_successful_poll_seconds gauge\nfigwatch_last_successful_poll_seconds {}",
                at.timestamp()
            );
        }
        out
    }
}

#[derive(Clone)]
struct AppState {
    metrics: Arc<Metrics>,
    store: Store,
}

/// Serves the status endpoints on `listener` until `cancel`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    metrics: Arc<Metrics>,
    store: Store,
    cancel: CancellationToken,
) {
    let app = Router::new()
        .route("/", get(page))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .with_state(AppState { metrics, store });
    if let Err(err) = axum::serve(listener, app)
        .with_graceful_shutdown(async move { cancel.cancelled().await })
        .await
    {
        tracing::error!(error = %err, "Status server failed");
    }
}

async fn healthz(State(state): State<AppState>) -> Response {
    let store = state.store.clone();
    let writable = tokio::task::spawn_blocking(move || store.writable())
        .await
        .map_err(|err| err.to_string())
        .and_then(|result| result.map_err(|err| err.to_string()));
    let last = state.metrics.last_success().map(|t| t.to_rfc3339());
    let (status, problem) = match writable {
        Err(err) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Some(format!("database not writable: {err}")),
        ),
        Ok(()) if state.metrics.stuck() => (
            StatusCode::SERVICE_UNAVAILABLE,
            Some("main loop stuck".to_string()),
        ),
        Ok(()) => (StatusCode::OK, None),
    };
    let body = serde_json::json!({
        "status": if status == StatusCode::OK { "ok" } else { "unhealthy" },
        "problem": problem,
        "last_successful_poll": last,
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn page(State(state): State<AppState>) -> Response {
    let store = state.store.clone();
    let data = tokio::task::spawn_blocking(move || {
        Ok::<_, crate::store::Error>((
            store.figures(None)?,
            store.feeds()?,
            store.articles(None, None, 20)?,
        ))
    })
    .await;
    let Ok(Ok((figures, feeds, articles))) = data else {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
    };
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>figwatch</title>\
         <style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}\
         td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left}</style></head><body><h1>figwatch</h1>",
    );
    html.push_str("<h2>Figures</h2><table><tr><th>Watch</th><th>Figure</th><th>Value</th><th>Source</th><th>Date</th></tr>");
    for figure in &figures {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}</td></tr>",
            escape(&figure.watch),
            escape(&figure.figure),
            escape(&crate::alert::format_observation(&figure.current)),
            escape(&figure.current.article.url),
            escape(&figure.current.article.source),
            figure
                .current
                .article
                .published_at
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        );
    }
    html.push_str("</table><h2>Latest articles</h2><ul>");
    for article in &articles {
        let _ = write!(
            html,
            "<li><a href=\"{}\">{}</a> — {}</li>",
            escape(&article.url),
            escape(&article.title),
            escape(&article.source)
        );
    }
    html.push_str("</ul><h2>Failing feeds</h2><ul>");
    for feed in feeds.iter().filter(|feed| feed.failures > 0) {
        let _ = write!(
            html,
            "<li>{} — {} failure(s): {}</li>",
            escape(&feed.url),
            feed.failures,
            escape(feed.last_error.as_deref().unwrap_or(""))
        );
    }
    html.push_str("</ul></body></html>");
    Html(html).into_response()
}
