//! One matched article, what both backends share of recording it: the
//! article as the daemon hands it over, what recording did, the decisions
//! that are not SQL (a content hash, whether a value may be compared with a
//! state, what an observation's decision is called and which alert it
//! raises), and the steps of recording it ([`record`]), which ask each
//! backend's transaction for the SQL ([`ArticleSql`]).
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

/// The SQL of recording one article, implemented by each backend on its
/// transaction: what [`record`] asks of the database, in its words. The
/// order of the steps and every decision are [`record`]'s, so the two
/// backends record an article alike.
pub(super) trait ArticleSql {
    /// The backend's error.
    type Error;

    /// Takes what keeps concurrent instances apart while `article` (of
    /// content hash `hash`) is recorded; SQLite's write lock is held
    /// already, so there nothing.
    fn lock_article(&mut self, _article: &NewArticle<'_>, _hash: &str) -> Result<(), Self::Error> {
        Ok(())
    }
    /// The article `article` may revise: the one stored under its URL,
    /// else (for a revision) the one its entry recorded.
    fn stored_article(&mut self, article: &NewArticle<'_>) -> Result<Option<Stored>, Self::Error>;
    /// The stored article with this content hash and a text, if any.
    fn same_text(&mut self, hash: &str) -> Result<Option<i64>, Self::Error>;
    /// Inserts the article; `None` when another instance stored its URL
    /// first.
    fn insert_article(
        &mut self,
        article: &NewArticle<'_>,
        hash: &str,
    ) -> Result<Option<i64>, Self::Error>;
    /// The id of the article stored under `url`.
    fn article_by_url(&mut self, url: &str) -> Result<i64, Self::Error>;
    /// Replaces a stored article's title and text by `article`'s, as
    /// revision `revision` of `revised_at`, and drops its mentions (they
    /// are the text's as it stands; each revision's observations keep the
    /// numbers it read).
    fn revise_article(
        &mut self,
        article_id: i64,
        article: &NewArticle<'_>,
        hash: &str,
        revision: u32,
        revised_at: DateTime<Utc>,
    ) -> Result<(), Self::Error>;
    /// Records the article's entry with `status`, pointing at `article_id`.
    fn entry(
        &mut self,
        article: &NewArticle<'_>,
        status: super::EntryStatus,
        article_id: i64,
    ) -> Result<(), Self::Error>;
    /// Stores the mentions of a reading (they do not depend on the watch).
    fn insert_mentions(
        &mut self,
        article_id: i64,
        reading: &figures::Reading,
    ) -> Result<(), Self::Error>;
    /// Records that `watch` matched the article.
    fn insert_match(&mut self, article_id: i64, watch: &str) -> Result<(), Self::Error>;
    /// Inserts an alert and its deliveries to `sinks`.
    fn insert_alert(
        &mut self,
        draft: &AlertDraft<'_>,
        now: DateTime<Utc>,
        sinks: &[&str],
    ) -> Result<(), Self::Error>;
    /// The current state of one figure and claimant, if any.
    fn figure_state(&mut self, key: &StateKey<'_>) -> Result<Option<State>, Self::Error>;
    /// Whether this poll of the feed is the baseline of a (watch, figure)
    /// pair added to an existing config: the pair asked for one and the
    /// feed has not been polled successfully since the pair was first seen.
    fn pair_in_baseline(&mut self, feed_id: i64, key: &StateKey<'_>) -> Result<bool, Self::Error>;
    /// Inserts an observation; `None` when the article's reading has one
    /// of this figure and claimant already (nothing written).
    fn insert_observation(
        &mut self,
        observation: &Observation<'_>,
    ) -> Result<Option<i64>, Self::Error>;
    /// Makes `observation_id` the state of its figure and claimant.
    fn set_state(
        &mut self,
        key: &StateKey<'_>,
        observation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), Self::Error>;
}

/// The state one observation is compared with and may move.
pub(super) struct StateKey<'a> {
    /// The watch's name.
    pub(super) watch: &'a str,
    /// The figure's name.
    pub(super) figure: &'a str,
    /// Whose state ([`figures::state_claimant`]).
    pub(super) claimant: &'a str,
}

/// One observation as it is stored.
pub(super) struct Observation<'a> {
    /// Its figure and claimant.
    pub(super) key: StateKey<'a>,
    /// Its reading of its article.
    pub(super) reading: Reading,
    /// The mention it is.
    pub(super) mention: &'a figures::Mention,
    /// The decision its judgement named.
    pub(super) decision: &'static str,
}

/// Records `article` through `tx`, in the transaction `tx` is: the plan
/// (new, duplicate or revision), then one reading of it.
pub(super) fn record<T: ArticleSql>(
    tx: &mut T,
    article: &NewArticle<'_>,
) -> Result<Recorded, T::Error> {
    let hash = content_hash(article.title, article.text);
    tx.lock_article(article, &hash)?;
    let same_url = tx.stored_article(article)?;
    let same_text = tx.same_text(&hash)?;
    match plan(article, &hash, same_url, same_text) {
        Plan::Duplicate(article_id) => duplicate(tx, article, article_id),
        Plan::New => match tx.insert_article(article, &hash)? {
            Some(article_id) => {
                let observed_at = article.published_at.unwrap_or(article.fetched_at);
                let reading = Reading {
                    article_id,
                    revision: 0,
                    observed_at,
                };
                read(tx, article, reading)
            }
            // Stored by another instance a moment ago (same URL).
            None => {
                let article_id = tx.article_by_url(article.url)?;
                duplicate(tx, article, article_id)
            }
        },
        Plan::Revise(stored) => {
            let reading = Reading {
                article_id: stored.id,
                revision: stored.revision + 1,
                observed_at: article.revised_at.unwrap_or(article.fetched_at),
            };
            tx.revise_article(
                stored.id,
                article,
                &hash,
                reading.revision,
                reading.observed_at,
            )?;
            read(tx, article, reading)
        }
    }
}

/// Records the entry of an article stored already: a duplicate of another
/// feed's, or a revisit that found the text unchanged.
fn duplicate<T: ArticleSql>(
    tx: &mut T,
    article: &NewArticle<'_>,
    article_id: i64,
) -> Result<Recorded, T::Error> {
    let status = if article.revised_at.is_some() {
        super::EntryStatus::Matched
    } else {
        super::EntryStatus::Duplicate
    };
    tx.entry(article, status, article_id)?;
    Ok(Recorded {
        article_id,
        duplicate: true,
        ..Recorded::default()
    })
}

/// One reading of an article: its entry, mentions, matches, observations,
/// states and alerts.
fn read<T: ArticleSql>(
    tx: &mut T,
    article: &NewArticle<'_>,
    reading: Reading,
) -> Result<Recorded, T::Error> {
    let article_id = reading.article_id;
    tx.entry(article, super::EntryStatus::Matched, article_id)?;
    if let Some(first) = article.watches.first() {
        tx.insert_mentions(article_id, &first.reading)?;
    }
    let mut recorded = Recorded {
        article_id,
        revision: reading.revision,
        ..Recorded::default()
    };
    for watch_reading in &article.watches {
        let watch = watch_reading.watch;
        tx.insert_match(article_id, &watch.name)?;
        // A revision is not a newly matched article.
        if watch.new_articles && !article.baseline && reading.revision == 0 {
            let draft = AlertDraft {
                kind: AlertKind::ArticleMatched,
                watch: &watch.name,
                article_id: Some(article_id),
                ..AlertDraft::default()
            };
            tx.insert_alert(&draft, article.fetched_at, &watch_reading.sinks)?;
            recorded.n_alerts += 1;
        }
        for &(figure_idx, mention_idx) in &watch_reading.reading.observations {
            let (Some(figure), Some(mention)) = (
                watch.figures.get(figure_idx),
                watch_reading.reading.mentions.get(mention_idx),
            ) else {
                continue;
            };
            if let Some(n_alerts) = observe(tx, article, reading, watch_reading, figure, mention)? {
                recorded.n_observations += 1;
                recorded.n_alerts += n_alerts;
            }
        }
    }
    Ok(recorded)
}

/// Records one observation, moves the state of its figure and claimant
/// (see [`figures::state_claimant`]) and raises its alert unless `baseline`.
/// Returns the number of alerts raised (0 or 1), or `None` when the article
/// already has an observation of this figure and claimant (nothing written).
fn observe<T: ArticleSql>(
    tx: &mut T,
    article: &NewArticle<'_>,
    reading: Reading,
    watch_reading: &WatchReading<'_>,
    figure: &config::Figure,
    mention: &figures::Mention,
) -> Result<Option<usize>, T::Error> {
    let watch = watch_reading.watch;
    let key = StateKey {
        watch: &watch.name,
        figure: &figure.name,
        claimant: figures::state_claimant(figure, mention),
    };
    let current = tx.figure_state(&key)?;
    let baseline = article.baseline || tx.pair_in_baseline(article.feed_id, &key)?;
    let judged = judge(
        figure,
        mention,
        current.as_ref(),
        reading.observed_at,
        baseline,
    );
    let observation = Observation {
        key,
        reading,
        mention,
        decision: judged.name,
    };
    // This article already observed this figure and claimant (a reading
    // with two observations of one state): the first one stands.
    let Some(observation_id) = tx.insert_observation(&observation)? else {
        return Ok(None);
    };
    if !judged.moves_state {
        return Ok(Some(0));
    }
    let key = observation.key;
    tx.set_state(&key, observation_id, article.fetched_at)?;
    let alert = judged.alert(
        watch,
        figure,
        key.claimant,
        current.as_ref(),
        observation_id,
        reading.article_id,
    );
    match alert {
        Some(draft) => {
            tx.insert_alert(&draft, article.fetched_at, &watch_reading.sinks)?;
            Ok(Some(1))
        }
        None => Ok(Some(0)),
    }
}
