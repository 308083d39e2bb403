//! The alert outbox's shared shape: the draft of an alert row, which each
//! backend's `insert_alert` writes with one pending delivery per sink, and
//! the facts a feed alert carries.

use chrono::{DateTime, Utc};

use super::AlertKind;

/// The fields of an alert row; the rest default to none.
#[derive(Debug, Default)]
pub struct AlertDraft<'a> {
    /// What happened.
    pub kind: AlertKind,
    /// Watch name ("" for feed alerts).
    pub watch: &'a str,
    /// Figure name, for figure alerts.
    pub figure: Option<&'a str>,
    /// The claimant of a `by_source` figure's alert; `None` for others.
    pub claimant: Option<&'a str>,
    /// The state before (figure_changed).
    pub previous_observation_id: Option<i64>,
    /// The observation the alert is about.
    pub current_observation_id: Option<i64>,
    /// The article the alert is about.
    pub article_id: Option<i64>,
    /// current - previous and its ratio to previous.
    pub change: Option<(f64, Option<f64>)>,
    /// The facts of a feed alert.
    pub feed: Option<&'a FeedFacts>,
}

/// What a feed_failing or feed_recovered alert is about; `alert` turns it
/// into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedFacts {
    /// The feed's URL.
    pub url: String,
    /// Consecutive failures so far (feed_failing).
    pub failures: Option<u32>,
    /// Since when it fails (feed_failing).
    pub failing_since: Option<DateTime<Utc>>,
    /// The last error (feed_failing).
    pub error: Option<String>,
}

/// A new alert's id: a ULID of its creation time.
pub(super) fn new_alert_id(now: DateTime<Utc>) -> String {
    ulid::Ulid::from_datetime(now.into()).to_string()
}
