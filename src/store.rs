//! SQLite store (WAL, numbered migrations): feeds and their poll state,
//! seen entries, articles, matches, mentions, observations, figure state,
//! alerts and their deliveries (the outbox). One article is written in one
//! transaction, so a crash loses nothing and duplicates nothing.
//!
//! SKELETON: being written; the types below are the contract.

use chrono::{DateTime, Utc};

/// Kinds of alert (DESIGN.md "Alert JSON").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    /// A figure's value changed.
    FigureChanged,
    /// A figure was seen for the first time and baseline did not apply.
    FigureFirstSeen,
    /// A watch matched a new article (`new_articles = true`).
    ArticleMatched,
    /// A feed has failed for longer than `failing_after`.
    FeedFailing,
    /// A feed that was failing works again.
    FeedRecovered,
    /// `figwatch test-sink`.
    Test,
}

impl AlertKind {
    /// The `kind` string of the alert JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::FigureChanged => "figure_changed",
            AlertKind::FigureFirstSeen => "figure_first_seen",
            AlertKind::ArticleMatched => "article_matched",
            AlertKind::FeedFailing => "feed_failing",
            AlertKind::FeedRecovered => "feed_recovered",
            AlertKind::Test => "test",
        }
    }

    /// Inverse of [`AlertKind::as_str`].
    pub fn from_name(name: &str) -> Option<AlertKind> {
        Some(match name {
            "figure_changed" => AlertKind::FigureChanged,
            "figure_first_seen" => AlertKind::FigureFirstSeen,
            "article_matched" => AlertKind::ArticleMatched,
            "feed_failing" => AlertKind::FeedFailing,
            "feed_recovered" => AlertKind::FeedRecovered,
            "test" => AlertKind::Test,
            _ => return None,
        })
    }
}

/// An article as alerts and the CLI show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRef {
    /// Canonical URL.
    pub url: String,
    /// Headline.
    pub title: String,
    /// Source: the feed's name (or title).
    pub source: String,
    /// Published time, when known.
    pub published_at: Option<DateTime<Utc>>,
}

/// One stored observation of a figure, with its article.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationRow {
    /// Value (a range's midpoint).
    pub value: f64,
    /// Lower bound.
    pub low: Option<f64>,
    /// Upper bound.
    pub high: Option<f64>,
    /// Qualifier name (`more_than`, …).
    pub qualifier: crate::figures::Qualifier,
    /// The mention as written.
    pub text: String,
    /// The sentence it stands in.
    pub quote: String,
    /// The article it came from.
    pub article: ArticleRef,
}

/// An alert row with everything needed to render it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    /// Stable id (a ULID), the same across retries.
    pub id: String,
    /// What happened.
    pub kind: AlertKind,
    /// When the alert was created.
    pub created_at: DateTime<Utc>,
    /// Watch name ("" for feed and test alerts).
    pub watch: String,
    /// Figure name, for figure alerts.
    pub figure: Option<String>,
    /// The state before (figure_changed).
    pub previous: Option<ObservationRow>,
    /// The new observation (figure alerts).
    pub current: Option<ObservationRow>,
    /// current - previous and its ratio to previous.
    pub change: Option<(f64, Option<f64>)>,
    /// The matched article (article_matched).
    pub article: Option<ArticleRef>,
    /// Free text for feed_failing / feed_recovered / test alerts.
    pub message: Option<String>,
}

/// A delivery due for sending: one alert through one sink.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Row id of the delivery.
    pub id: i64,
    /// Sink name.
    pub sink: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// The alert.
    pub alert: AlertRow,
}
