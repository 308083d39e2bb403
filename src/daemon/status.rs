//! The optional HTTP status server (`[daemon] listen`): `/healthz`,
//! `/metrics` (the registry of `daemon/metrics.rs` in Prometheus text, plus
//! each figure's value read per scrape) and a status page at `/` (`page`).

mod chart;
pub(super) mod guard;
mod page;

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use tokio_util::sync::CancellationToken;

use super::Context;
/// Kept where the pipeline imports them from until it imports
/// `daemon::metrics` (issue 20).
pub use super::metrics::Metrics;
use super::metrics::escape_label;
use crate::store::Store;

/// Matched articles listed on the status page.
const LATEST_ARTICLES: usize = 20;
/// Alerts (and alerts with failed deliveries) listed on the status page.
const RECENT_ALERTS: usize = 10;
#[derive(Clone)]
struct AppState {
    metrics: Arc<Metrics>,
    store: Store,
    /// The running context, followed across reloads.
    contexts: tokio::sync::watch::Receiver<Arc<Context>>,
    /// The daemon's tracker: store reads run on its blocking threads.
    tracker: tokio_util::task::TaskTracker,
}

/// Serves the status endpoints on `listener` until `cancel`; connections
/// are bounded in number and time (`status/guard.rs`), each served on
/// `tracker`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    metrics: Arc<Metrics>,
    store: Store,
    contexts: tokio::sync::watch::Receiver<Arc<Context>>,
    allowed_hosts: Arc<guard::AllowedHosts>,
    tracker: tokio_util::task::TaskTracker,
    cancel: CancellationToken,
) {
    let app = Router::new()
        .route("/", get(page))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .layer(axum::middleware::from_fn_with_state(
            allowed_hosts,
            guard::check_host,
        ))
        .layer(axum::middleware::map_response(guard::security_headers))
        .with_state(AppState {
            metrics,
            store,
            contexts,
            tracker: tracker.clone(),
        });
    guard::accept_loop(listener, app, tracker, cancel).await;
}

async fn healthz(State(state): State<AppState>) -> Response {
    let store = state.store.clone();
    let writable = state
        .tracker
        .spawn_blocking(move || store.writable())
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
        // A failed reload leaves the old config running: still 200.
        "config": state.metrics.config_state(),
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
    let mut text = state.metrics.render();
    let store = state.store.clone();
    // The figures themselves, to graph them (Grafana): read per scrape.
    match state
        .tracker
        .spawn_blocking(move || store.figures(None))
        .await
    {
        Ok(Ok(figures)) => render_figures(&mut text, &figures),
        Ok(Err(err)) => tracing::warn!(error = %err, "Cannot read figures for /metrics"),
        Err(err) => tracing::warn!(error = %err, "Cannot read figures for /metrics"),
    }
    // The store's view (leases, live instances) when it answers.
    let store = state.store.clone();
    if let Ok(Ok(instances)) = state
        .tracker
        .spawn_blocking(move || page::Instances::read(&store))
        .await
    {
        text.push_str(&instances.metrics());
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

/// `figwatch_figure_value{watch,figure}`: each figure's current value; a
/// `by_source` figure's states also carry `claimant`.
fn render_figures(out: &mut String, figures: &[crate::store::FigureSummary]) {
    let _ = writeln!(
        out,
        "# HELP figwatch_figure_value The current value of each tracked figure.\n# TYPE figwatch_figure_value gauge"
    );
    for figure in figures {
        let claimant = if figure.claimant.is_empty() {
            String::new()
        } else {
            format!(",claimant=\"{}\"", escape_label(&figure.claimant))
        };
        let _ = writeln!(
            out,
            "figwatch_figure_value{{watch=\"{}\",figure=\"{}\"{claimant}}} {}",
            escape_label(&figure.watch),
            escape_label(&figure.figure),
            figure.current.value
        );
    }
}

async fn page(State(state): State<AppState>) -> Response {
    let store = state.store.clone();
    let config = state.contexts.borrow().config.clone();
    let page_config = Arc::clone(&config);
    let data = state
        .tracker
        .spawn_blocking(move || {
            let figures = page::figure_states(
                store.figures(None)?,
                |watch, figure| page::by_source(&page_config, watch, figure),
                |watch, figure| store.history(watch, figure),
            )?;
            Ok::<_, crate::store::Error>(page::PageData {
                figures,
                feeds: store.feeds()?,
                articles: store.articles(None, None, LATEST_ARTICLES)?,
                alerts: store.alerts(RECENT_ALERTS, false)?,
                failed: store.alerts(RECENT_ALERTS, true)?,
                now: Some(Utc::now()),
                instances: Some(page::Instances::read(&store)?),
            })
        })
        .await;
    let Ok(Ok(data)) = data else {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
    };
    Html(page::render(Some(&config), &data)).into_response()
}
