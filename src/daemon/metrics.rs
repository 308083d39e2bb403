//! The metrics registry: counters, families by label and latency
//! histograms that the pipeline and the deliverer bump through named
//! methods (`metrics.feed_polled()`), rendered in the Prometheus text
//! format for the status server's `/metrics` (`status.rs`). Names follow
//! `figwatch_<name>_<unit>_total`. Adding a metric: a field here, a method
//! that bumps it, a line in [`Metrics::render`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::fetch;
use crate::store::{AlertKind, Delivery};

/// The main loop is considered stuck when it has not turned for this long.
const STUCK_AFTER: Duration = Duration::from_secs(3 * 60 * 60);

/// The kind of fetch error of a feed body that does not parse, beside
/// `fetch::Error::KINDS` in `figwatch_fetch_errors_total`.
pub(super) const PARSE_ERROR_KIND: &str = "parse";
/// Upper bounds (seconds) of the latency histograms' buckets.
const LATENCY_BUCKETS: [f64; 13] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];
/// Alert ids remembered so an alert sent to several sinks counts once.
const SEEN_ALERTS_CAP: usize = 4096;

/// A Prometheus histogram of durations with [`LATENCY_BUCKETS`].
#[derive(Debug, Default)]
struct Histogram {
    /// Observations per bucket (not cumulative; summed when rendered).
    buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    /// Observations above the last bucket.
    over: AtomicU64,
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    fn observe(&self, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        match LATENCY_BUCKETS.iter().position(|le| seconds <= *le) {
            Some(idx) => self.buckets[idx].fetch_add(1, Ordering::Relaxed),
            None => self.over.fetch_add(1, Ordering::Relaxed),
        };
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (le, bucket) in LATENCY_BUCKETS.iter().zip(&self.buckets) {
            cumulative += bucket.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {cumulative}");
        }
        cumulative += self.over.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {cumulative}");
    }
}

/// Counters keyed by their label values, in a stable order.
type Family = std::sync::Mutex<BTreeMap<Vec<String>, u64>>;

fn bump(family: &Family, labels: Vec<String>) {
    *family
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(labels)
        .or_insert(0) += 1;
}

fn render_family(out: &mut String, name: &str, help: &str, label_names: &[&str], family: &Family) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
    let family = family.lock().unwrap_or_else(|p| p.into_inner());
    for (values, count) in family.iter() {
        let labels: Vec<String> = label_names
            .iter()
            .zip(values)
            .map(|(label, value)| format!("{label}=\"{}\"", escape_label(value)))
            .collect();
        let _ = writeln!(out, "{name}{{{}}} {count}", labels.join(","));
    }
}

/// A label value as the text format wants it: `\\`, `\"` and `\n` escaped.
pub(super) fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Counters the pipeline bumps; read by `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Feed polls finished.
    feeds_polled: AtomicU64,
    /// Feed polls that failed.
    feed_errors: AtomicU64,
    /// Feed polls answered 304.
    feeds_not_modified: AtomicU64,
    /// New entries seen.
    entries_seen: AtomicU64,
    /// Articles stored.
    articles_matched: AtomicU64,
    /// Alerts raised.
    alerts: AtomicU64,
    /// Revisions stored: articles and pages read again after changing.
    revisions: AtomicU64,
    /// Fetch errors by target and kind.
    fetch_errors: Family,
    /// Alerts handed to the sinks, by kind.
    alerts_by_kind: Family,
    /// Alert ids already counted in `alerts_by_kind`.
    seen_alerts: std::sync::Mutex<std::collections::HashSet<String>>,
    /// Delivery attempts by sink and outcome.
    deliveries: Family,
    /// Time of one feed fetch.
    poll_latency: Histogram,
    /// Time of one feed through the whole pipeline.
    pipeline_latency: Histogram,
    last_loop: std::sync::Mutex<Option<Instant>>,
    last_success: std::sync::Mutex<Option<DateTime<Utc>>>,
    /// How the last config load (start or SIGHUP) went.
    reload: std::sync::Mutex<Reload>,
}

/// The outcome of the last config (re)load, for `/healthz` and `/metrics`.
#[derive(Debug, Default, Clone)]
struct Reload {
    /// When the running config was last loaded successfully.
    succeeded_at: Option<DateTime<Utc>>,
    /// The last attempt failed: when, and why (with `file:line:col`).
    failed: Option<(DateTime<Utc>, String)>,
}

/// Observes the time until it is dropped into one of the latency histograms.
#[derive(Debug)]
pub struct Timer {
    metrics: Arc<Metrics>,
    pipeline: bool,
    started: Instant,
}

impl Drop for Timer {
    fn drop(&mut self) {
        let histogram = if self.pipeline {
            &self.metrics.pipeline_latency
        } else {
            &self.metrics.poll_latency
        };
        histogram.observe(self.started.elapsed());
    }
}

impl Metrics {
    /// Adds `n` to a counter. The named methods ([`Metrics::feed_polled`]…)
    /// say which; this stays for the pipeline's calls until they move.
    fn add(counter: &AtomicU64, n: usize) {
        counter.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Times one feed fetch (`figwatch_poll_duration_seconds`) until dropped.
    pub fn poll_timer(self: &Arc<Self>) -> Timer {
        Timer {
            metrics: Arc::clone(self),
            pipeline: false,
            started: Instant::now(),
        }
    }

    /// Times one feed through the pipeline (`figwatch_pipeline_duration_seconds`)
    /// until dropped.
    pub fn pipeline_timer(self: &Arc<Self>) -> Timer {
        Timer {
            metrics: Arc::clone(self),
            pipeline: true,
            started: Instant::now(),
        }
    }

    /// Counts a failed fetch by its kind; other outcomes count nothing.
    pub fn fetched(&self, target: &fetch::Target, outcome: &fetch::Outcome) {
        if let fetch::Outcome::Failed(err) = outcome {
            self.fetch_failed(target.label(), err.kind());
        }
    }

    /// Counts a feed body that does not parse ([`PARSE_ERROR_KIND`]).
    pub fn feed_unparsable(&self) {
        self.fetch_failed("feed", PARSE_ERROR_KIND);
    }

    fn fetch_failed(&self, target: &str, kind: &str) {
        bump(
            &self.fetch_errors,
            vec![target.to_string(), kind.to_string()],
        );
    }

    /// A feed poll finished.
    pub fn feed_polled(&self) {
        Metrics::add(&self.feeds_polled, 1);
    }

    /// A feed poll failed.
    pub fn feed_failed(&self) {
        Metrics::add(&self.feed_errors, 1);
    }

    /// A feed poll was answered 304.
    pub fn feed_not_modified(&self) {
        Metrics::add(&self.feeds_not_modified, 1);
    }

    /// `n_entries` new entries were seen.
    pub fn entries_seen(&self, n_entries: usize) {
        Metrics::add(&self.entries_seen, n_entries);
    }

    /// `n_articles` articles were stored.
    pub fn articles_matched(&self, n_articles: usize) {
        Metrics::add(&self.articles_matched, n_articles);
    }

    /// `n_alerts` alerts were raised.
    pub fn alerts_raised(&self, n_alerts: usize) {
        Metrics::add(&self.alerts, n_alerts);
    }

    /// `n_revisions` revised articles or pages were read again.
    pub fn revisions(&self, n_revisions: usize) {
        Metrics::add(&self.revisions, n_revisions);
    }

    /// Counts one delivery attempt, and the alert's kind the first time the
    /// alert is seen.
    pub fn record_delivery(&self, delivery: &Delivery, outcome: &crate::alert::Outcome) {
        bump(
            &self.deliveries,
            vec![delivery.sink.clone(), outcome.label().to_string()],
        );
        let first_sighting = {
            let mut seen = self.seen_alerts.lock().unwrap_or_else(|p| p.into_inner());
            if seen.len() >= SEEN_ALERTS_CAP {
                // Old alerts are long delivered; forgetting them only risks
                // counting a retry of one of them twice.
                seen.clear();
            }
            delivery.attempts == 0 && seen.insert(delivery.alert.id.clone())
        };
        if first_sighting {
            bump(
                &self.alerts_by_kind,
                vec![delivery.alert.kind.as_str().to_string()],
            );
        }
    }

    /// The main loop turned.
    pub fn loop_turned(&self) {
        *self.last_loop.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
    }

    /// A feed was polled successfully.
    pub fn poll_succeeded(&self, at: DateTime<Utc>) {
        *self.last_success.lock().unwrap_or_else(|p| p.into_inner()) = Some(at);
    }

    /// The config was loaded (at start) or reloaded successfully at `at`.
    pub fn config_loaded(&self, at: DateTime<Utc>) {
        let mut reload = self.reload.lock().unwrap_or_else(|p| p.into_inner());
        reload.succeeded_at = Some(at);
        reload.failed = None;
    }

    /// A reload failed at `at`; the running config stays.
    pub fn config_reload_failed(&self, at: DateTime<Utc>, error: &str) {
        let mut reload = self.reload.lock().unwrap_or_else(|p| p.into_inner());
        reload.failed = Some((at, error.lines().collect::<Vec<_>>().join("; ")));
    }

    /// `"ok"`, or `"reload failed at TIME: file:line:col …"`.
    pub(super) fn config_state(&self) -> String {
        let reload = self.reload.lock().unwrap_or_else(|p| p.into_inner());
        match &reload.failed {
            None => "ok".to_string(),
            Some((at, error)) => format!(
                "reload failed at {}: {error}; the previous config keeps running",
                at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
        }
    }

    pub(super) fn last_success(&self) -> Option<DateTime<Utc>> {
        *self.last_success.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn stuck(&self) -> bool {
        self.last_loop
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some_and(|at| at.elapsed() > STUCK_AFTER)
    }

    /// The metrics in Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_counters(&mut out);
        self.list_every_kind();
        self.render_families(&mut out);
        self.render_gauges(&mut out);
        out
    }

    fn render_counters(&self, out: &mut String) {
        let counters: [(&str, &str, &AtomicU64); 7] = [
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
            (
                "figwatch_alerts_total",
                "Alerts raised by articles.",
                &self.alerts,
            ),
            (
                "figwatch_revisions_total",
                "Revised articles and live pages read again.",
                &self.revisions,
            ),
        ];
        for (name, help, counter) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                counter.load(Ordering::Relaxed)
            );
        }
    }

    /// Every kind is listed from the start, so a rate over an absent
    /// series is never needed.
    fn list_every_kind(&self) {
        {
            let mut errors = self.fetch_errors.lock().unwrap_or_else(|p| p.into_inner());
            let kinds = fetch::Error::KINDS.iter().chain([&PARSE_ERROR_KIND]);
            for target in fetch::Target::LABELS {
                for kind in kinds.clone() {
                    errors
                        .entry(vec![target.to_string(), kind.to_string()])
                        .or_insert(0);
                }
            }
        }
        {
            let mut alerts = self
                .alerts_by_kind
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            // The outbox's alerts; a digest is counted as the alerts it carries.
            for kind in AlertKind::ALL {
                alerts.entry(vec![kind.as_str().to_string()]).or_insert(0);
            }
        }
    }

    fn render_families(&self, out: &mut String) {
        render_family(
            out,
            "figwatch_fetch_errors_total",
            "Failed fetches of feeds and articles, by kind.",
            &["target", "kind"],
            &self.fetch_errors,
        );
        render_family(
            out,
            "figwatch_alerts_by_kind_total",
            "Alerts handed to the sinks (each alert once), by kind.",
            &["kind"],
            &self.alerts_by_kind,
        );
        render_family(
            out,
            "figwatch_deliveries_total",
            "Alert delivery attempts, by sink and outcome.",
            &["sink", "outcome"],
            &self.deliveries,
        );
        self.poll_latency.render(
            out,
            "figwatch_poll_duration_seconds",
            "Time to fetch one feed.",
        );
        self.pipeline_latency.render(
            out,
            "figwatch_pipeline_duration_seconds",
            "Time to take one feed through the whole pipeline (fetch, articles, store).",
        );
    }

    fn render_gauges(&self, out: &mut String) {
        {
            let reload = self
                .reload
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            // Alertmanager's and Prometheus's names for the same thing.
            let _ = writeln!(
                out,
                "# HELP figwatch_config_last_reload_successful Whether the last config reload (SIGHUP) succeeded.\n# TYPE figwatch_config_last_reload_successful gauge\nfigwatch_config_last_reload_successful {}",
                u8::from(reload.failed.is_none())
            );
            if let Some(at) = reload.succeeded_at {
                let _ = writeln!(
                    out,
                    "# HELP figwatch_config_last_reload_success_timestamp_seconds Unix time of the last successful config load.\n# TYPE figwatch_config_last_reload_success_timestamp_seconds gauge\nfigwatch_config_last_reload_success_timestamp_seconds {}",
                    at.timestamp()
                );
            }
        }
        if let Some(at) = self.last_success() {
            let _ = writeln!(
                out,
                "# HELP figwatch_last_successful_poll_seconds Unix time of the last successful feed poll.\n# TYPE figwatch_last_successful_poll_seconds gauge\nfigwatch_last_successful_poll_seconds {}",
                at.timestamp()
            );
        }
    }
}
