//! One matched article in one transaction: the entry, the article, its
//! mentions (with their claims), each watch's match and observations, the
//! figure states they move, and the alerts and deliveries they raise.
//!
//! A figure's state is kept per claimant ([`figures::state_claimant`]: `""`
//! unless the figure is `by_source`), and an observation is compared only
//! with its own claimant's state, and only when it has the state's kind and
//! unit; one in another is stored with decision `other_unit` and moves
//! nothing.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::feeds::{EntryRecord, upsert_entry};
use super::outbox::insert_alert;
use super::{AlertKind, Error, Store, parse_time, time_text, write_transaction};
use crate::config;
use crate::figures::{self, Decision, Qualifier};

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
}

impl Store {
    /// Records a matched article and everything that follows from it in one
    /// transaction. An article already stored under the same canonical URL
    /// or with the same text is recorded as a duplicate entry only.
    pub fn record_article(&self, article: &NewArticle<'_>) -> Result<Recorded, Error> {
        let mut conn = self.lock();
        let tx = write_transaction(&mut conn).map_err(self.err())?;
        let recorded = record(&tx, article).map_err(self.err())?;
        tx.commit().map_err(self.err())?;
        Ok(recorded)
    }
}

impl Store {
    /// Registers each configured (watch, figure) pair the store does not know
    /// yet as first seen at `now`; returns how many were new. With `baseline`
    /// (`daemon.baseline`), each feed's next successful poll after `now` is
    /// the pair's baseline: its values are recorded, not alerted, just as a
    /// new feed's first poll is. Pairs removed from the config are kept, so a
    /// watch that comes back compares with what it last saw.
    pub fn register_figures(
        &self,
        watches: &[config::Watch],
        baseline: bool,
        now: DateTime<Utc>,
    ) -> Result<usize, Error> {
        let mut conn = self.lock();
        let tx = write_transaction(&mut conn).map_err(self.err())?;
        let mut n_new = 0;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO known_figures (watch, figure, first_seen_at, baseline) \
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(self.err())?;
            for watch in watches {
                for figure in &watch.figures {
                    n_new += insert
                        .execute(params![watch.name, figure.name, time_text(now), baseline])
                        .map_err(self.err())?;
                }
            }
        }
        tx.commit().map_err(self.err())?;
        Ok(n_new)
    }
}

/// Whether this poll of the feed is the baseline of a (watch, figure) pair
/// added to an existing config: the pair asked for one and the feed has not
/// been polled successfully since the pair was first seen.
fn pair_in_baseline(
    tx: &Transaction<'_>,
    feed_id: i64,
    watch: &config::Watch,
    figure: &config::Figure,
) -> rusqlite::Result<bool> {
    let feed_last_success: Option<String> = tx
        .query_row(
            "SELECT last_success_at FROM feeds WHERE id = ?1",
            params![feed_id],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    let known: Option<(bool, String)> = tx
        .query_row(
            "SELECT baseline, first_seen_at FROM known_figures WHERE watch = ?1 AND figure = ?2",
            params![watch.name, figure.name],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    Ok(match known {
        Some((true, first_seen_at)) => feed_last_success
            .as_deref()
            .is_none_or(|last| last < first_seen_at.as_str()),
        // Unknown pairs (a store used without a config) and pairs registered
        // without baseline alert as before.
        Some((false, _)) | None => false,
    })
}

fn content_hash(title: &str, text: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(title.trim().as_bytes());
    hasher.update([0]);
    hasher.update(text.trim().as_bytes());
    hex::encode(hasher.finalize())
}

fn record(tx: &Transaction<'_>, article: &NewArticle<'_>) -> rusqlite::Result<Recorded> {
    let now = article.fetched_at;
    let hash = content_hash(article.title, article.text);
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM articles WHERE url = ?1 OR (content_hash = ?2 AND length(text) > 0) LIMIT 1",
            params![article.url, hash],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(article_id) = existing {
        upsert_entry(
            tx,
            article.feed_id,
            &article.entry,
            "duplicate",
            None,
            Some(article_id),
            now,
        )?;
        return Ok(Recorded {
            article_id,
            duplicate: true,
            ..Recorded::default()
        });
    }

    let sort_at = article.published_at.unwrap_or(now);
    tx.execute(
        "INSERT INTO articles (url, title, text, content_hash, source, feed_id, published_at, fetched_at, sort_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            article.url,
            article.title,
            article.text,
            hash,
            article.source,
            article.feed_id,
            article.published_at.map(time_text),
            time_text(now),
            time_text(sort_at)
        ],
    )?;
    let article_id = tx.last_insert_rowid();
    upsert_entry(
        tx,
        article.feed_id,
        &article.entry,
        "matched",
        None,
        Some(article_id),
        now,
    )?;

    // Mentions do not depend on the watch; store them once.
    if let Some(first) = article.watches.first() {
        let mut insert = tx.prepare_cached(
            "INSERT INTO mentions (article_id, in_title, value, low, high, qualifier, kind, text, noun, sentence, start, end, \
             unit, event, owner, claimed_by, previous, increment) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        )?;
        for (idx, mention) in first.reading.mentions.iter().enumerate() {
            insert.execute(params![
                article_id,
                idx < first.reading.n_title,
                mention.value,
                mention.low,
                mention.high,
                mention.qualifier.as_str(),
                mention.kind.as_str(),
                mention.text,
                mention.noun,
                mention.sentence,
                mention.start as i64,
                mention.end as i64,
                mention.unit,
                mention.event,
                mention.owner,
                mention.claimed_by,
                mention.previous,
                mention.increment
            ])?;
        }
    }

    let mut recorded = Recorded {
        article_id,
        ..Recorded::default()
    };
    for watch_reading in &article.watches {
        let watch = watch_reading.watch;
        tx.execute(
            "INSERT OR IGNORE INTO matches (article_id, watch) VALUES (?1, ?2)",
            params![article_id, watch.name],
        )?;
        if watch.new_articles && !article.baseline {
            insert_alert(
                tx,
                &AlertDraft {
                    kind: AlertKind::ArticleMatched,
                    watch: &watch.name,
                    article_id: Some(article_id),
                    ..AlertDraft::default()
                },
                now,
                &watch_reading.sinks,
            )?;
            recorded.n_alerts += 1;
        }
        for &(figure_idx, mention_idx) in &watch_reading.reading.observations {
            let (Some(figure), Some(mention)) = (
                watch.figures.get(figure_idx),
                watch_reading.reading.mentions.get(mention_idx),
            ) else {
                continue;
            };
            let observed = observe(
                tx,
                article,
                article_id,
                watch_reading,
                figure,
                mention,
                sort_at,
            )?;
            if let Some(n_alerts) = observed {
                recorded.n_observations += 1;
                recorded.n_alerts += n_alerts;
            }
        }
    }
    Ok(recorded)
}

/// The fields of an alert row; the rest default to none.
#[derive(Debug, Default)]
pub(super) struct AlertDraft<'a> {
    pub(super) kind: AlertKind,
    pub(super) watch: &'a str,
    pub(super) figure: Option<&'a str>,
    /// The claimant of a `by_source` figure's alert; `None` for others.
    pub(super) claimant: Option<&'a str>,
    pub(super) previous_observation_id: Option<i64>,
    pub(super) current_observation_id: Option<i64>,
    pub(super) article_id: Option<i64>,
    pub(super) change: Option<(f64, Option<f64>)>,
    pub(super) message: Option<&'a str>,
}

/// A figure's current state as `observe` compares with it.
struct State {
    observation_id: i64,
    value: figures::Value,
    kind: String,
    unit: Option<String>,
}

/// Whether a candidate of `kind` in `unit` may be compared with `state`: the
/// same kind, and the same unit where both know theirs (a unit the text did
/// not give, or a state stored before units were, is no conflict). A value
/// in another unit ("€" against a "$" state) is history only: decision
/// `other_unit`, no state change, no alert.
fn same_unit(state: &State, kind: figures::Kind, unit: Option<&str>) -> bool {
    state.kind == kind.as_str()
        && match (state.unit.as_deref(), unit) {
            (Some(state_unit), Some(unit)) => state_unit.eq_ignore_ascii_case(unit),
            _ => true,
        }
}

/// Records one observation, moves the state of its figure and claimant
/// (see [`figures::state_claimant`]) and raises its alert unless `baseline`.
/// Returns the number of alerts raised (0 or 1), or `None` when the article
/// already has an observation of this figure and claimant (nothing written).
fn observe(
    tx: &Transaction<'_>,
    article: &NewArticle<'_>,
    article_id: i64,
    watch_reading: &WatchReading<'_>,
    figure: &config::Figure,
    mention: &figures::Mention,
    observed_at: DateTime<Utc>,
) -> rusqlite::Result<Option<usize>> {
    let watch = watch_reading.watch;
    let claimant = figures::state_claimant(figure, mention);
    let current: Option<State> = tx
        .query_row(
            "SELECT o.id, o.value, o.qualifier, o.observed_at, o.kind, o.unit FROM figure_state s \
             JOIN observations o ON o.id = s.observation_id \
             WHERE s.watch = ?1 AND s.figure = ?2 AND s.claimant = ?3",
            params![watch.name, figure.name, claimant],
            |row| {
                let qualifier: String = row.get(2)?;
                let observed_at: String = row.get(3)?;
                Ok(State {
                    observation_id: row.get(0)?,
                    value: figures::Value {
                        value: row.get(1)?,
                        qualifier: Qualifier::from_name(&qualifier).unwrap_or(Qualifier::Exact),
                        published: parse_time(&observed_at).unwrap_or(observed_at_fallback()),
                    },
                    kind: row.get(4)?,
                    unit: row.get(5)?,
                })
            },
        )
        .optional()?;
    let candidate = figures::Value {
        value: mention.value,
        qualifier: mention.qualifier,
        published: observed_at,
    };
    let other_unit = current
        .as_ref()
        .is_some_and(|state| !same_unit(state, mention.kind, mention.unit.as_deref()));
    let decision = figures::decide(
        figure,
        current.as_ref().map(|state| &state.value),
        &candidate,
    );
    let baseline = article.baseline || pair_in_baseline(tx, article.feed_id, watch, figure)?;
    let decision_name = match (decision, baseline) {
        _ if other_unit => "other_unit",
        (Decision::Older, _) => "older",
        (_, true) => "baseline",
        (Decision::FirstSeen, false) => "first_seen",
        (Decision::Changed { .. }, false) => "changed",
        (Decision::Filtered { .. }, false) => "filtered",
        (Decision::Unchanged, false) => "unchanged",
    };
    let n_inserted = tx.execute(
        "INSERT OR IGNORE INTO observations (article_id, watch, figure, claimant, value, low, high, qualifier, \
         kind, unit, claimed_by, previous, event, owner, text, quote, decision, observed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            article_id,
            watch.name,
            figure.name,
            claimant,
            mention.value,
            mention.low,
            mention.high,
            mention.qualifier.as_str(),
            mention.kind.as_str(),
            mention.unit,
            mention.claimed_by,
            mention.previous,
            mention.event,
            mention.owner,
            mention.text,
            mention.sentence,
            decision_name,
            time_text(observed_at)
        ],
    )?;
    // This article already observed this figure and claimant (a reading
    // with two observations of one state): the first one stands.
    if n_inserted == 0 {
        return Ok(None);
    }
    let observation_id = tx.last_insert_rowid();
    if other_unit || decision == Decision::Older {
        return Ok(Some(0));
    }
    tx.execute(
        "INSERT INTO figure_state (watch, figure, claimant, observation_id, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (watch, figure, claimant) DO UPDATE SET observation_id = excluded.observation_id, \
         updated_at = excluded.updated_at",
        params![
            watch.name,
            figure.name,
            claimant,
            observation_id,
            time_text(article.fetched_at)
        ],
    )?;
    if baseline {
        return Ok(Some(0));
    }
    let draft_claimant = figure.by_source.then_some(claimant);
    let draft = match decision {
        Decision::Changed { absolute, relative } => AlertDraft {
            kind: AlertKind::FigureChanged,
            watch: &watch.name,
            figure: Some(&figure.name),
            claimant: draft_claimant,
            previous_observation_id: current.as_ref().map(|state| state.observation_id),
            current_observation_id: Some(observation_id),
            article_id: Some(article_id),
            change: Some((absolute, relative)),
            message: None,
        },
        Decision::FirstSeen => AlertDraft {
            kind: AlertKind::FigureFirstSeen,
            watch: &watch.name,
            figure: Some(&figure.name),
            claimant: draft_claimant,
            current_observation_id: Some(observation_id),
            article_id: Some(article_id),
            ..AlertDraft::default()
        },
        Decision::Filtered { .. } | Decision::Unchanged | Decision::Older => return Ok(Some(0)),
    };
    insert_alert(tx, &draft, article.fetched_at, &watch_reading.sinks)?;
    Ok(Some(1))
}

/// A stored time that does not parse cannot happen (the store writes them);
/// treating it as the epoch keeps a newer article winning.
fn observed_at_fallback() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}
