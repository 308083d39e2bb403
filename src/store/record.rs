//! One matched article, what both backends share of recording it: the
//! article as the daemon hands it over, what recording did, and the
//! decisions that are not SQL (a content hash, whether a value may be
//! compared with a state, what an observation's decision is called and
//! which alert it raises).
//!
//! A figure's state is kept per claimant ([`figures::state_claimant`]: `""`
//! unless the figure is `by_source`), and an observation is compared only
//! with its own claimant's state, and only when it has the state's kind and
//! unit; one in another is stored with decision `other_unit` and moves
//! nothing.

use chrono::{DateTime, Utc};

use super::{AlertDraft, AlertKind, EntryRecord};

/// A stored article that a new reading may revise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stored {
    /// Its row id.
    pub(super) id: i64,
    /// Its content hash.
    pub(super) hash: String,
    /// Its current revision number.
    pub(super) revision: u32,
}

/// Which reading of which article an observation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Reading {
    /// The article's row id.
    pub(super) article_id: i64,
    /// Its revision (0: the first reading).
    pub(super) revision: u32,
    /// The date figure states order it by: its publication, or its
    /// revision's date.
    pub(super) observed_at: DateTime<Utc>,
}

/// What to do with an article handed to `record_article`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Plan {
    /// Not stored yet: insert it.
    New,
    /// Stored with the same text (or, for a first reading, under the same
    /// URL or text): record the entry only.
    Duplicate(i64),
    /// Stored under its URL or entry with other text: a revision.
    Revise(Stored),
}

/// The plan for `article`, whose content hash is `hash`, given the article
/// stored under its URL (or its entry) and the one with the same text.
pub(super) fn plan(
    article: &NewArticle<'_>,
    hash: &str,
    same_url: Option<Stored>,
    same_text: Option<i64>,
) -> Plan {
    match (article.revised_at, same_url, same_text) {
        (Some(_), Some(stored), _) if stored.hash != hash => Plan::Revise(stored),
        (_, Some(stored), _) => Plan::Duplicate(stored.id),
        (_, None, Some(id)) => Plan::Duplicate(id),
        (_, None, None) => Plan::New,
    }
}
use crate::config;
use crate::figures::{self, Decision};

/// A matched article, ready to be recorded.
#[derive(Debug, Clone)]
pub struct NewArticle<'a> {
    /// The feed it came through.
    pub feed_id: i64,
    /// The feed entry that linked to it.
    pub entry: EntryRecord<'a>,
    /// Canonical URL (the article's identity).
    pub url: &'a str,
    /// Headline.
    pub title: &'a str,
    /// Main text.
    pub text: &'a str,
    /// Source name (the feed's name or title).
    pub source: &'a str,
    /// Published time (feed entry, else page metadata).
    pub published_at: Option<DateTime<Utc>>,
    /// When it was fetched.
    pub fetched_at: DateTime<Utc>,
    /// Every watch whose full query matched, with its reading.
    pub watches: Vec<WatchReading<'a>>,
    /// Record figures without alerting (first poll of a new feed).
    pub baseline: bool,
    /// `Some(date)` when the article may be a revision of one stored under
    /// its URL (or its entry's article): if its title and text differ from
    /// the stored ones, they replace them and its figures are read again as
    /// revision observations dated `date`; if not, only the entry is
    /// recorded. `None` for a first reading.
    pub revised_at: Option<DateTime<Utc>>,
}

/// One watch's view of an article.
#[derive(Debug, Clone)]
pub struct WatchReading<'a> {
    /// The watch.
    pub watch: &'a config::Watch,
    /// Its figures read from the article.
    pub reading: figures::Reading,
    /// Sinks its alerts go to.
    pub sinks: Vec<&'a str>,
}

/// What recording an article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Recorded {
    /// Row id of the article (the existing one for a duplicate).
    pub article_id: i64,
    /// The article was already stored (same URL or same text): nothing else
    /// was written.
    pub duplicate: bool,
    /// Observations written.
    pub n_observations: usize,
    /// Alerts raised.
    pub n_alerts: usize,
    /// The article's revision this recording read, when it stored one
    /// (1 for the first revision); 0 otherwise.
    pub revision: u32,
}

/// The hash two copies of one story share: title and text, trimmed.
pub fn content_hash(title: &str, text: &str) -> String {
    crate::text::sha256_hex(&[title.trim(), text.trim()])
}

/// A figure's current state as an observation is compared with it.
pub(super) struct State {
    /// The observation the state is.
    pub(super) observation_id: i64,
    /// Its value, qualifier and time.
    pub(super) value: figures::Value,
    /// Its kind's name.
    pub(super) kind: String,
    /// Its unit.
    pub(super) unit: Option<String>,
}

/// Whether a candidate of `kind` in `unit` may be compared with `state`: the
/// same kind, and the same unit where both know theirs (a unit the text did
/// not give, or a state stored before units were, is no conflict). A value
/// in another unit ("€" against a "$" state) is history only.
fn same_unit(state: &State, kind: figures::Kind, unit: Option<&str>) -> bool {
    state.kind == kind.as_str()
        && match (state.unit.as_deref(), unit) {
            (Some(state_unit), Some(unit)) => state_unit.eq_ignore_ascii_case(unit),
            _ => true,
        }
}

/// What one observation does to its figure's state.
pub(super) struct Judged {
    /// The decision stored with the observation.
    pub(super) name: &'static str,
    /// Whether the observation becomes the figure's state.
    pub(super) moves_state: bool,
    decision: Decision,
    baseline: bool,
}

/// Judges `mention`, observed at `observed_at`, against the `current`
/// state of its figure; `baseline` when its alert is to be withheld.
pub(super) fn judge(
    figure: &config::Figure,
    mention: &figures::Mention,
    current: Option<&State>,
    observed_at: DateTime<Utc>,
    baseline: bool,
) -> Judged {
    let candidate = figures::Value {
        value: mention.value,
        qualifier: mention.qualifier,
        published: observed_at,
    };
    let other_unit =
        current.is_some_and(|state| !same_unit(state, mention.kind, mention.unit.as_deref()));
    let decision = figures::decide(figure, current.map(|state| &state.value), &candidate);
    let name = match (decision, baseline) {
        _ if other_unit => "other_unit",
        (Decision::Older, _) => "older",
        (_, true) => "baseline",
        (Decision::FirstSeen, false) => "first_seen",
        (Decision::Changed { .. }, false) => "changed",
        (Decision::Filtered { .. }, false) => "filtered",
        (Decision::Unchanged, false) => "unchanged",
    };
    Judged {
        name,
        moves_state: !other_unit && decision != Decision::Older,
        decision,
        baseline,
    }
}

impl Judged {
    /// The alert a stored observation raises, if any.
    pub(super) fn alert<'a>(
        &self,
        watch: &'a config::Watch,
        figure: &'a config::Figure,
        claimant: &'a str,
        current: Option<&State>,
        observation_id: i64,
        article_id: i64,
    ) -> Option<AlertDraft<'a>> {
        if !self.moves_state || self.baseline {
            return None;
        }
        let claimant = figure.by_source.then_some(claimant);
        match self.decision {
            Decision::Changed { absolute, relative } => Some(AlertDraft {
                kind: AlertKind::FigureChanged,
                watch: &watch.name,
                figure: Some(&figure.name),
                claimant,
                previous_observation_id: current.map(|state| state.observation_id),
                current_observation_id: Some(observation_id),
                article_id: Some(article_id),
                change: Some((absolute, relative)),
                feed: None,
            }),
            Decision::FirstSeen => Some(AlertDraft {
                kind: AlertKind::FigureFirstSeen,
                watch: &watch.name,
                figure: Some(&figure.name),
                claimant,
                current_observation_id: Some(observation_id),
                article_id: Some(article_id),
                ..AlertDraft::default()
            }),
            Decision::Filtered { .. } | Decision::Unchanged | Decision::Older => None,
        }
    }
}
