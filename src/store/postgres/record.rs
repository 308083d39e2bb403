//! One matched article in PostgreSQL, in one transaction (see
//! `store/record.rs` for what is not SQL). Concurrent instances are kept
//! apart by advisory locks held to the end of the transaction: one on the
//! article's content hash (the same story through two feeds), one per
//! figure state the article may move, taken in sorted order before any is
//! read.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use postgres::Transaction;

use super::super::record::{State, content_hash, judge};
use super::super::{AlertDraft, AlertKind, EntryStatus, Error, NewArticle, Recorded, WatchReading};
use super::Postgres;
use super::feeds::upsert_entry;
use super::outbox::insert_alert;
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
    let now = article.fetched_at;
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

    let existing: Option<i64> = tx
        .query_opt(
            "SELECT id FROM articles WHERE url = $1 OR (content_hash = $2 AND length(text) > 0) LIMIT 1",
            &[&article.url, &hash],
        )?
        .map(|row| row.get(0));
    let sort_at = article.published_at.unwrap_or(now);
    let inserted: Option<i64> = match existing {
        Some(_) => None,
        None => tx
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
            .map(|row| row.get(0)),
    };
    let Some(article_id) = inserted else {
        // Stored before, or by another instance a moment ago (same URL).
        let article_id: i64 = match existing {
            Some(id) => id,
            None => tx
                .query_one("SELECT id FROM articles WHERE url = $1", &[&article.url])?
                .get(0),
        };
        upsert_entry(
            tx,
            article.feed_id,
            &article.entry,
            EntryStatus::Duplicate,
            None,
            Some(article_id),
            now,
        )?;
        return Ok(Recorded {
            article_id,
            duplicate: true,
            ..Recorded::default()
        });
    };
    upsert_entry(
        tx,
        article.feed_id,
        &article.entry,
        EntryStatus::Matched,
        None,
        Some(article_id),
        now,
    )?;

    // Mentions do not depend on the watch; store them once.
    if let Some(first) = article.watches.first() {
        let insert = tx.prepare(
            "INSERT INTO mentions (article_id, in_title, value, low, high, qualifier, kind, text, noun, \
             sentence, start, \"end\", unit, event, owner, claimed_by, previous, increment) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )?;
        for (idx, mention) in first.reading.mentions.iter().enumerate() {
            tx.execute(
                &insert,
                &[
                    &article_id,
                    &(idx < first.reading.n_title),
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
    }

    let mut recorded = Recorded {
        article_id,
        ..Recorded::default()
    };
    for watch_reading in &article.watches {
        let watch = watch_reading.watch;
        tx.execute(
            "INSERT INTO matches (article_id, watch) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&article_id, &watch.name],
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

/// Records one observation, moves its state and raises its alert (as
/// SQLite's `observe`); the state's advisory lock is held already.
fn observe(
    tx: &mut Transaction<'_>,
    article: &NewArticle<'_>,
    article_id: i64,
    watch_reading: &WatchReading<'_>,
    figure: &config::Figure,
    mention: &figures::Mention,
    observed_at: DateTime<Utc>,
) -> Result<Option<usize>, postgres::Error> {
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
         kind, unit, claimed_by, previous, event, owner, text, quote, decision, observed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
         ON CONFLICT (article_id, watch, figure, claimant) DO NOTHING RETURNING id",
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
