//! One matched article in SQLite, in one transaction: the entry, the
//! article, its mentions (with their claims), each watch's match and
//! observations, the figure states they move, and the alerts and
//! deliveries they raise. What is not SQL is in `store/record.rs`.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::super::record::{Plan, Reading, State, Stored, content_hash, judge, plan};
use super::super::{
    AlertDraft, AlertKind, EntryStatus, Error, NewArticle, Recorded, WatchReading, time_text,
};
use super::feeds::upsert_entry;
use super::outbox::insert_alert;
use super::{Sqlite, stored_time, write_transaction};
use crate::config;
use crate::figures::{self, Qualifier};

pub(super) fn record_article(db: &Sqlite, article: &NewArticle<'_>) -> Result<Recorded, Error> {
    let mut conn = db.lock();
    let tx = write_transaction(&mut conn).map_err(db.err())?;
    let recorded = record(&tx, article).map_err(db.err())?;
    tx.commit().map_err(db.err())?;
    Ok(recorded)
}

pub(super) fn register_figures(
    db: &Sqlite,
    watches: &[config::Watch],
    baseline: bool,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let mut conn = db.lock();
    let tx = write_transaction(&mut conn).map_err(db.err())?;
    let mut n_new = 0;
    {
        let mut insert = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO known_figures (watch, figure, first_seen_at, baseline) \
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(db.err())?;
        for watch in watches {
            for figure in &watch.figures {
                n_new += insert
                    .execute(params![watch.name, figure.name, time_text(now), baseline])
                    .map_err(db.err())?;
            }
        }
    }
    tx.commit().map_err(db.err())?;
    Ok(n_new)
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

fn record(tx: &Transaction<'_>, article: &NewArticle<'_>) -> rusqlite::Result<Recorded> {
    let hash = content_hash(article.title, article.text);
    let same_url = stored_article(tx, article)?;
    let same_text: Option<i64> = tx
        .query_row(
            "SELECT id FROM articles WHERE content_hash = ?1 AND length(text) > 0 LIMIT 1",
            params![hash],
            |row| row.get(0),
        )
        .optional()?;
    match plan(article, &hash, same_url, same_text) {
        Plan::Duplicate(article_id) => duplicate(tx, article, article_id),
        Plan::New => {
            let article_id = insert_article(tx, article, &hash)?;
            let sort_at = article.published_at.unwrap_or(article.fetched_at);
            read(
                tx,
                article,
                Reading {
                    article_id,
                    revision: 0,
                    observed_at: sort_at,
                },
            )
        }
        Plan::Revise(stored) => {
            let revision = stored.revision + 1;
            let observed_at = article.revised_at.unwrap_or(article.fetched_at);
            tx.execute(
                "UPDATE articles SET title = ?2, text = ?3, content_hash = ?4, revision = ?5, \
                 revised_at = ?6 WHERE id = ?1",
                params![
                    stored.id,
                    article.title,
                    article.text,
                    hash,
                    revision,
                    time_text(observed_at)
                ],
            )?;
            // The mentions are the text's as it stands; each revision's
            // observations keep the numbers it read.
            tx.execute(
                "DELETE FROM mentions WHERE article_id = ?1",
                params![stored.id],
            )?;
            read(
                tx,
                article,
                Reading {
                    article_id: stored.id,
                    revision,
                    observed_at,
                },
            )
        }
    }
}

/// The article `article` may revise: the one stored under its URL, else
/// (for a revision) the one its entry recorded.
fn stored_article(
    tx: &Transaction<'_>,
    article: &NewArticle<'_>,
) -> rusqlite::Result<Option<Stored>> {
    let stored = |row: &rusqlite::Row<'_>| {
        Ok(Stored {
            id: row.get(0)?,
            hash: row.get(1)?,
            revision: row.get(2)?,
        })
    };
    let by_url = tx
        .query_row(
            "SELECT id, content_hash, revision FROM articles WHERE url = ?1",
            params![article.url],
            stored,
        )
        .optional()?;
    if by_url.is_some() || article.revised_at.is_none() {
        return Ok(by_url);
    }
    tx.query_row(
        "SELECT a.id, a.content_hash, a.revision FROM entries e JOIN articles a ON a.id = e.article_id \
         WHERE e.feed_id = ?1 AND e.key = ?2",
        params![article.feed_id, article.entry.key],
        stored,
    )
    .optional()
}

/// Records the entry of an article stored already: a duplicate of another
/// feed's, or a revisit that found the text unchanged.
fn duplicate(
    tx: &Transaction<'_>,
    article: &NewArticle<'_>,
    article_id: i64,
) -> rusqlite::Result<Recorded> {
    let status = if article.revised_at.is_some() {
        EntryStatus::Matched
    } else {
        EntryStatus::Duplicate
    };
    upsert_entry(
        tx,
        article.feed_id,
        &article.entry,
        status,
        None,
        Some(article_id),
        article.fetched_at,
    )?;
    Ok(Recorded {
        article_id,
        duplicate: true,
        ..Recorded::default()
    })
}

fn insert_article(
    tx: &Transaction<'_>,
    article: &NewArticle<'_>,
    hash: &str,
) -> rusqlite::Result<i64> {
    let now = article.fetched_at;
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
    Ok(tx.last_insert_rowid())
}

/// One reading of an article: its entry, mentions, matches, observations,
/// states and alerts.
fn read(
    tx: &Transaction<'_>,
    article: &NewArticle<'_>,
    reading: Reading,
) -> rusqlite::Result<Recorded> {
    let article_id = reading.article_id;
    let now = article.fetched_at;
    upsert_entry(
        tx,
        article.feed_id,
        &article.entry,
        EntryStatus::Matched,
        None,
        Some(article_id),
        now,
    )?;
    if let Some(first) = article.watches.first() {
        insert_mentions(tx, article_id, &first.reading)?;
    }
    let mut recorded = Recorded {
        article_id,
        revision: reading.revision,
        ..Recorded::default()
    };
    for watch_reading in &article.watches {
        let watch = watch_reading.watch;
        tx.execute(
            "INSERT OR IGNORE INTO matches (article_id, watch) VALUES (?1, ?2)",
            params![article_id, watch.name],
        )?;
        // A revision is not a newly matched article.
        if watch.new_articles && !article.baseline && reading.revision == 0 {
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
            if let Some(n_alerts) = observe(tx, article, reading, watch_reading, figure, mention)? {
                recorded.n_observations += 1;
                recorded.n_alerts += n_alerts;
            }
        }
    }
    Ok(recorded)
}

/// Mentions do not depend on the watch; they are stored once.
fn insert_mentions(
    tx: &Transaction<'_>,
    article_id: i64,
    reading: &figures::Reading,
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO mentions (article_id, in_title, value, low, high, qualifier, kind, text, noun, sentence, start, end, \
         unit, event, owner, claimed_by, previous, increment) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    for (idx, mention) in reading.mentions.iter().enumerate() {
        insert.execute(params![
            article_id,
            idx < reading.n_title,
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
    Ok(())
}

/// Records one observation, moves the state of its figure and claimant
/// (see [`figures::state_claimant`]) and raises its alert unless `baseline`.
/// Returns the number of alerts raised (0 or 1), or `None` when the article
/// already has an observation of this figure and claimant (nothing written).
fn observe(
    tx: &Transaction<'_>,
    article: &NewArticle<'_>,
    reading: Reading,
    watch_reading: &WatchReading<'_>,
    figure: &config::Figure,
    mention: &figures::Mention,
) -> rusqlite::Result<Option<usize>> {
    let Reading {
        article_id,
        revision,
        observed_at,
    } = reading;
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
                        published: stored_time(&observed_at, 3)?,
                    },
                    kind: row.get(4)?,
                    unit: row.get(5)?,
                })
            },
        )
        .optional()?;
    let baseline = article.baseline || pair_in_baseline(tx, article.feed_id, watch, figure)?;
    let judged = judge(figure, mention, current.as_ref(), observed_at, baseline);
    let n_inserted = tx.execute(
        "INSERT OR IGNORE INTO observations (article_id, watch, figure, claimant, value, low, high, qualifier, \
         kind, unit, claimed_by, previous, event, owner, text, quote, decision, observed_at, revision) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
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
            judged.name,
            time_text(observed_at),
            revision
        ],
    )?;
    // This article already observed this figure and claimant (a reading
    // with two observations of one state): the first one stands.
    if n_inserted == 0 {
        return Ok(None);
    }
    let observation_id = tx.last_insert_rowid();
    if !judged.moves_state {
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
    match judged.alert(
        watch,
        figure,
        claimant,
        current.as_ref(),
        observation_id,
        article_id,
    ) {
        Some(draft) => {
            insert_alert(tx, &draft, article.fetched_at, &watch_reading.sinks)?;
            Ok(Some(1))
        }
        None => Ok(Some(0)),
    }
}
