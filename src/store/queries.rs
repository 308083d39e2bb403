//! The shapes of the reads behind `figwatch figures`, `history`,
//! `articles` and `alerts`, the status page, and the instances sharing a
//! database.

use chrono::{DateTime, Utc};

use super::{AlertRow, ObservationRow};

/// A tracked figure's current value.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSummary {
    /// Watch name.
    pub watch: String,
    /// Figure name.
    pub figure: String,
    /// The claimant whose state this is, for a `by_source` figure; `""`
    /// for other figures and for numbers attributed to nobody.
    pub claimant: String,
    /// The current state.
    pub current: ObservationRow,
    /// The value before it, if any (the newest older observation with a
    /// different value).
    pub previous_value: Option<f64>,
    /// When the state last moved.
    pub updated_at: Option<DateTime<Utc>>,
}

/// One observation in a figure's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    /// The observation.
    pub observation: ObservationRow,
    /// What it did: first_seen, changed, filtered, unchanged, older,
    /// baseline, or other_unit (a value in another unit or kind than the
    /// state's: history only).
    pub decision: String,
    /// The state it was compared with: the claimant of a `by_source`
    /// figure, `""` otherwise.
    pub claimant: String,
    /// The time it is ordered by (published, else fetched).
    pub observed_at: Option<DateTime<Utc>>,
    /// Which reading of its article it is: 0 the first, 1 its first
    /// revision, …
    pub revision: i64,
}

/// A matched article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleSummary {
    /// Canonical URL.
    pub url: String,
    /// Headline.
    pub title: String,
    /// Source name.
    pub source: String,
    /// Published time, when known.
    pub published_at: Option<DateTime<Utc>>,
    /// Watches it matched.
    pub watches: Vec<String>,
}

/// One sink's delivery state for an alert.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryState {
    /// Sink name.
    pub sink: String,
    /// pending, delivered or dead.
    pub state: String,
    /// Attempts made.
    pub attempts: u32,
    /// Last error, if the last attempt failed.
    pub last_error: Option<String>,
}

/// An alert with its deliveries.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertSummary {
    /// The alert.
    pub alert: AlertRow,
    /// Its deliveries.
    pub deliveries: Vec<DeliveryState>,
}

/// A figwatch process sharing the database, as its heartbeat row says.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Its id ([`super::instance_id`]).
    pub id: String,
    /// The machine it runs on.
    pub hostname: String,
    /// Its process id.
    pub pid: u32,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// Its last heartbeat.
    pub heartbeat_at: DateTime<Utc>,
}

/// The LIKE pattern (escaped with a backslash) that finds `text` anywhere: what
/// an article search falls back to when it is not full-text syntax.
pub(super) fn substring_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
