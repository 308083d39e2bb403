//! One matched article in PostgreSQL, in one transaction (see
//! `store/record.rs` for what is not SQL). Concurrent instances are kept
//! apart by advisory locks held to the end of the transaction: one on the
//! article's content hash (the same story through two feeds), one per
//! figure state the article may move, taken in sorted order before any is
//! read.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use postgres::Transaction;

use super::super::record::{Plan, Reading, State, Stored, content_hash, judge, plan};
use super::super::{AlertDraft, AlertKind, EntryStatus, Error, NewArticle, Recorded, WatchReading};
use super::feeds::upsert_entry;
use super::outbox::insert_alert;
use super::{Postgres, count};
use crate::config;
use crate::figures::{self, Qualifier};

pub(super) fn record_article(db: &Postgres, article: &NewArticle<'_>) -> Result<Recorded, Error> {
    let mut conn = db.conn()?;
    let mut tx = conn.transaction().map_err(db.err())?;
    let recorded = record(&mut tx, article).map_err(db.err())?;
    tx.commit().map_err(db.err())?;
    Ok(recorded)
}

pub(super) fn register_figures(
    db: &Postgres,
    watches: &[config::Watch],
    baseline: bool,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let mut conn = db.conn()?;
    let mut tx = conn.transaction().map_err(db.err())?;
    let mut n_new = 0;
    for watch in watches {
        for figure in &watch.figures {
            n_new += tx
                .execute(
                    "INSERT INTO known_figures (watch, figure, first_seen_at, baseline) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (watch, figure) DO NOTHING",
                    &[&watch.name, &figure.name, &now, &baseline],
                )
                .map_err(db.err())?;
        }
    }
    tx.commit().map_err(db.err())?;
    Ok(usize::try_from(n_new).unwrap_or(0))
}

/// Takes the transaction's advisory lock on `key`.
fn lock(tx: &mut Transaction<'_>, key: &str) -> Result<(), postgres::Error> {
    tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&key])?;
    Ok(())
}

/// Whether this poll of the feed is the baseline of a (watch, figure) pair
/// added to an existing config (as SQLite's `pair_in_baseline`).
fn pair_in_baseline(
    tx: &mut Transaction<'_>,
    feed_id: i64,
    watch: &config::Watch,
    figure: &config::Figure,
) -> Result<bool, postgres::Error> {
    let feed_last_success: Option<DateTime<Utc>> = tx
        .query_opt(
            "SELECT last_success_at FROM feeds WHERE id = $1",
            &[&feed_id],
        )?
        .and_then(|row| row.get(0));
    let known = tx.query_opt(
        "SELECT baseline, first_seen_at FROM known_figures WHERE watch = $1 AND figure = $2",
        &[&watch.name, &figure.name],
    )?;
    Ok(match known {
        Some(row) => {
            let baseline: bool = row.get(0);
            let first_seen_at: Option<DateTime<Utc>> = row.get(1);
            match (baseline, first_seen_at) {
                (true, Some(first_seen_at)) => {
                    feed_last_success.is_none_or(|last| last < first_seen_at)
                }
                _ => false,
            }
        }
        None => false,
    })
}

fn record(tx: &mut Transaction<'_>, article: &NewArticle<'_>) -> Result<Recorded, postgres::Error> {
    let hash = content_hash(article.title, article.text);
    // Every figure state this article may move, locked in one order.
    let mut states = BTreeSet::new();
    for watch_reading in &article.watches {
        for &(figure_idx, mention_idx) in &watch_reading.reading.observations {
            if let (Some(figure), Some(mention)) = (
                watch_reading.watch.figures.get(figure_idx),
                watch_reading.reading.mentions.get(mention_idx),
            ) {
                states.insert(format!(
                    "state\u{1f}{}\u{1f}{}\u{1f}{}",
                    watch_reading.watch.name,
                    figure.name,
                    figures::state_claimant(figure, mention)
                ));
            }
        }
    }
    lock(tx, &format!("article\u{1f}{hash}"))?;
    for key in &states {
        lock(tx, key)?;
    }

    let same_url = stored_article(tx, article)?;
    let same_text: Option<i64> = tx
        .query_opt(
            "SELECT id FROM articles WHERE content_hash = $1 AND length(text) > 0 LIMIT 1",
            &[&hash],
        )?
        .map(|row| row.get(0));
    match plan(article, &hash, same_url, same_text) {
        Plan::Duplicate(article_id) => duplicate(tx, article, article_id),
        Plan::New => match insert_article(tx, article, &hash)? {
            Some(article_id) => {
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
            None => {
                // Stored by another instance a moment ago (same URL).
                let article_id: i64 = tx
                    .query_one("SELECT id FROM articles WHERE url = $1", &[&article.url])?
                    .get(0);
                duplicate(tx, article, article_id)
            }
        },
        Plan::Revise(stored) => {
            let revision = stored.revision + 1;
            let observed_at = article.revised_at.unwrap_or(article.fetched_at);
            tx.execute(
                "UPDATE articles SET title = $2, text = $3, content_hash = $4, revision = $5, \
                 revised_at = $6 WHERE id = $1",
                &[
                    &stored.id,
                    &article.title,
                    &article.text,
                    &hash,
                    &i32::try_from(revision).unwrap_or(i32::MAX),
                    &observed_at,
                ],
            )?;
            // The mentions are the text's as it stands; each revision's
            // observations keep the numbers it read.
            tx.execute("DELETE FROM mentions WHERE article_id = $1", &[&stored.id])?;
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

/// The article `article` may revise (as SQLite's `stored_article`).
fn stored_article(
    tx: &mut Transaction<'_>,
    article: &NewArticle<'_>,
) -> Result<Option<Stored>, postgres::Error> {
    let stored = |row: postgres::Row| {
        let revision: i32 = row.get(2);
        Stored {
            id: row.get(0),
            hash: row.get(1),
            revision: count(revision),
        }
    };
    let by_url = tx
        .query_opt(
            "SELECT id, content_hash, revision FROM articles WHERE url = $1 FOR UPDATE",
            &[&article.url],
        )?
        .map(stored);
    if by_url.is_some() || article.revised_at.is_none() {
        return Ok(by_url);
    }
    Ok(tx
        .query_opt(
            "SELECT a.id, a.content_hash, a.revision FROM entries e JOIN articles a ON a.id = e.article_id \
             WHERE e.feed_id = $1 AND e.key = $2 FOR UPDATE OF a",
            &[&article.feed_id, &article.entry.key],
        )?
        .map(stored))
}

/// Records the entry of an article stored already (as SQLite's).
fn duplicate(
    tx: &mut Transaction<'_>,
    article: &NewArticle<'_>,
    article_id: i64,
) -> Result<Recorded, postgres::Error> {
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

/// Inserts the article; `None` when another instance stored its URL first.
fn insert_article(
    tx: &mut Transaction<'_>,
    article: &NewArticle<'_>,
    hash: &str,
) -> Result<Option<i64>, postgres::Error> {
    let now = article.fetched_at;
    let sort_at = article.published_at.unwrap_or(now);
    Ok(tx
        .query_opt(
            "INSERT INTO articles (url, title, text, content_hash, source, feed_id, published_at, \
             fetched_at, sort_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (url) DO NOTHING RETURNING id",
            &[
                &article.url,
                &article.title,
                &article.text,
                &hash,
                &article.source,
                &article.feed_id,
                &article.published_at,
                &now,
                &sort_at,
            ],
        )?
        .map(|row| row.get(0)))
}

/// One reading of an article (as SQLite's `read`).
fn read(
    tx: &mut Transaction<'_>,
    article: &NewArticle<'_>,
    reading: Reading,
) -> Result<Recorded, postgres::Error> {
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
            "INSERT INTO matches (article_id, watch) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&article_id, &watch.name],
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
    tx: &mut Transaction<'_>,
    article_id: i64,
    reading: &figures::Reading,
) -> Result<(), postgres::Error> {
    let insert = tx.prepare(
        "INSERT INTO mentions (article_id, in_title, value, low, high, qualifier, kind, text, noun, \
         sentence, start, \"end\", unit, event, owner, claimed_by, previous, increment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )?;
    for (idx, mention) in reading.mentions.iter().enumerate() {
        tx.execute(
            &insert,
            &[
                &article_id,
                &(idx < reading.n_title),
                &mention.value,
                &mention.low,
                &mention.high,
                &mention.qualifier.as_str(),
                &mention.kind.as_str(),
                &mention.text,
                &mention.noun,
                &mention.sentence,
                &(mention.start as i64),
                &(mention.end as i64),
                &mention.unit,
                &mention.event,
                &mention.owner,
                &mention.claimed_by,
                &mention.previous,
                &mention.increment,
            ],
        )?;
    }
    Ok(())
}

/// Records one observation, moves its state and raises its alert (as
/// SQLite's `observe`); the state's advisory lock is held already.
fn observe(
    tx: &mut Transaction<'_>,
    article: &NewArticle<'_>,
    reading: Reading,
    watch_reading: &WatchReading<'_>,
    figure: &config::Figure,
    mention: &figures::Mention,
) -> Result<Option<usize>, postgres::Error> {
    let Reading {
        article_id,
        revision,
        observed_at,
    } = reading;
    let revision = i32::try_from(revision).unwrap_or(i32::MAX);
    let watch = watch_reading.watch;
    let claimant = figures::state_claimant(figure, mention);
    let current: Option<State> = tx
        .query_opt(
            "SELECT o.id, o.value, o.qualifier, o.observed_at, o.kind, o.unit FROM figure_state s \
             JOIN observations o ON o.id = s.observation_id \
             WHERE s.watch = $1 AND s.figure = $2 AND s.claimant = $3 FOR UPDATE OF s",
            &[&watch.name, &figure.name, &claimant],
        )?
        .map(|row| {
            let qualifier: String = row.get(2);
            State {
                observation_id: row.get(0),
                value: figures::Value {
                    value: row.get(1),
                    qualifier: Qualifier::from_name(&qualifier).unwrap_or(Qualifier::Exact),
                    published: row.get(3),
                },
                kind: row.get(4),
                unit: row.get(5),
            }
        });
    let baseline = article.baseline || pair_in_baseline(tx, article.feed_id, watch, figure)?;
    let judged = judge(figure, mention, current.as_ref(), observed_at, baseline);
    let inserted = tx.query_opt(
        "INSERT INTO observations (article_id, watch, figure, claimant, value, low, high, qualifier, \
         kind, unit, claimed_by, previous, event, owner, text, quote, decision, observed_at, revision) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
         ON CONFLICT (article_id, watch, figure, claimant, revision) DO NOTHING RETURNING id",
        &[
            &article_id,
            &watch.name,
            &figure.name,
            &claimant,
            &mention.value,
            &mention.low,
            &mention.high,
            &mention.qualifier.as_str(),
            &mention.kind.as_str(),
            &mention.unit,
            &mention.claimed_by,
            &mention.previous,
            &mention.event,
            &mention.owner,
            &mention.text,
            &mention.sentence,
            &judged.name,
            &observed_at,
            &revision,
        ],
    )?;
    // This article already observed this figure and claimant: the first
    // one stands.
    let Some(row) = inserted else {
        return Ok(None);
    };
    let observation_id: i64 = row.get(0);
    if !judged.moves_state {
        return Ok(Some(0));
    }
    tx.execute(
        "INSERT INTO figure_state (watch, figure, claimant, observation_id, updated_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (watch, figure, claimant) DO UPDATE SET observation_id = excluded.observation_id, \
         updated_at = excluded.updated_at",
        &[
            &watch.name,
            &figure.name,
            &claimant,
            &observation_id,
            &article.fetched_at,
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
