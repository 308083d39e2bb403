//! One matched article in PostgreSQL, in one transaction: its
//! [`ArticleSql`] (see `store/record.rs` for what is not SQL, and the order
//! of the steps). Concurrent instances are kept
//! apart by advisory locks held to the end of the transaction: one on the
//! article's content hash (the same story through two feeds), one per
//! figure state the article may move, taken in sorted order before any is
//! read.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use postgres::Transaction;
use postgres::types::ToSql;

use super::super::Record;
use super::super::record::{ArticleSql, Observation, State, StateKey, Stored, record};
use super::super::{AlertDraft, EntryStatus, Error, NewArticle, Recorded};
use super::feeds::upsert_entry;
use super::outbox::insert_alert;
use super::{Postgres, count, int};
use crate::config;
use crate::figures::{self, Qualifier};

impl Record for Postgres {
    fn record_article(&self, article: &NewArticle<'_>) -> Result<Recorded, Error> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction().map_err(self.err())?;
        let recorded = record(&mut tx, article).map_err(self.err())?;
        tx.commit().map_err(self.err())?;
        Ok(recorded)
    }

    fn register_figures(
        &self,
        watches: &[config::Watch],
        baseline: bool,
        now: DateTime<Utc>,
    ) -> Result<usize, Error> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction().map_err(self.err())?;
        let mut n_new = 0;
        for watch in watches {
            for figure in &watch.figures {
                n_new += tx
                    .execute(
                        "INSERT INTO known_figures (watch, figure, first_seen_at, baseline) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (watch, figure) DO NOTHING",
                        &[&watch.name, &figure.name, &now, &baseline],
                    )
                    .map_err(self.err())?;
            }
        }
        tx.commit().map_err(self.err())?;
        Ok(usize::try_from(n_new).unwrap_or(0))
    }
}

/// Takes the transaction's advisory lock on `key`.
fn lock(tx: &mut Transaction<'_>, key: &str) -> Result<(), postgres::Error> {
    tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&key])?;
    Ok(())
}

impl ArticleSql for Transaction<'_> {
    type Error = postgres::Error;

    fn lock_article(
        &mut self,
        article: &NewArticle<'_>,
        hash: &str,
    ) -> Result<(), postgres::Error> {
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
        lock(self, &format!("article\u{1f}{hash}"))?;
        for key in &states {
            lock(self, key)?;
        }
        Ok(())
    }

    fn stored_article(
        &mut self,
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
        let by_url = self
            .query_opt(
                "SELECT id, content_hash, revision FROM articles WHERE url = $1 FOR UPDATE",
                &[&article.url],
            )?
            .map(stored);
        if by_url.is_some() || article.revised_at.is_none() {
            return Ok(by_url);
        }
        Ok(self
            .query_opt(
                "SELECT a.id, a.content_hash, a.revision FROM entries e JOIN articles a ON a.id = e.article_id \
                 WHERE e.feed_id = $1 AND e.key = $2 FOR UPDATE OF a",
                &[&article.feed_id, &article.entry.key],
            )?
            .map(stored))
    }

    fn same_text(&mut self, hash: &str) -> Result<Option<i64>, postgres::Error> {
        Ok(self
            .query_opt(
                "SELECT id FROM articles WHERE content_hash = $1 AND length(text) > 0 LIMIT 1",
                &[&hash],
            )?
            .map(|row| row.get(0)))
    }

    fn insert_article(
        &mut self,
        article: &NewArticle<'_>,
        hash: &str,
    ) -> Result<Option<i64>, postgres::Error> {
        let now = article.fetched_at;
        let sort_at = article.published_at.unwrap_or(now);
        Ok(self
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

    fn article_by_url(&mut self, url: &str) -> Result<i64, postgres::Error> {
        Ok(self
            .query_one("SELECT id FROM articles WHERE url = $1", &[&url])?
            .get(0))
    }

    fn revise_article(
        &mut self,
        article_id: i64,
        article: &NewArticle<'_>,
        hash: &str,
        revision: u32,
        revised_at: DateTime<Utc>,
    ) -> Result<(), postgres::Error> {
        self.execute(
            "UPDATE articles SET title = $2, text = $3, content_hash = $4, revision = $5, \
             revised_at = $6 WHERE id = $1",
            &[
                &article_id,
                &article.title,
                &article.text,
                &hash,
                &int(revision),
                &revised_at,
            ],
        )?;
        self.execute("DELETE FROM mentions WHERE article_id = $1", &[&article_id])?;
        Ok(())
    }

    fn entry(
        &mut self,
        article: &NewArticle<'_>,
        status: EntryStatus,
        article_id: i64,
    ) -> Result<(), postgres::Error> {
        upsert_entry(
            self,
            article.feed_id,
            &article.entry,
            status,
            None,
            Some(article_id),
            article.fetched_at,
        )
    }

    fn insert_mentions(
        &mut self,
        article_id: i64,
        reading: &figures::Reading,
    ) -> Result<(), postgres::Error> {
        let insert = self.prepare(
            "INSERT INTO mentions (article_id, in_title, value, low, high, qualifier, kind, unit, \
             claimed_by, previous, event, owner, text, sentence, noun, start, \"end\", increment) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )?;
        for (idx, mention) in reading.mentions.iter().enumerate() {
            let in_title = idx < reading.n_title;
            let (start, end) = (mention.start as i64, mention.end as i64);
            let shared = MentionValues::of(mention);
            let mut values: Vec<&(dyn ToSql + Sync)> = vec![&article_id, &in_title];
            values.extend(shared.values());
            values.extend([
                &mention.noun as &(dyn ToSql + Sync),
                &start,
                &end,
                &mention.increment,
            ]);
            self.execute(&insert, &values)?;
        }
        Ok(())
    }

    fn insert_match(&mut self, article_id: i64, watch: &str) -> Result<(), postgres::Error> {
        self.execute(
            "INSERT INTO matches (article_id, watch) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&article_id, &watch],
        )?;
        Ok(())
    }

    fn insert_alert(
        &mut self,
        draft: &AlertDraft<'_>,
        now: DateTime<Utc>,
        sinks: &[&str],
    ) -> Result<(), postgres::Error> {
        insert_alert(self, draft, now, sinks).map(drop)
    }

    /// The state's advisory lock is held already ([`ArticleSql::lock_article`]).
    fn figure_state(&mut self, key: &StateKey<'_>) -> Result<Option<State>, postgres::Error> {
        Ok(self
            .query_opt(
                "SELECT o.id, o.value, o.qualifier, o.observed_at, o.kind, o.unit FROM figure_state s \
                 JOIN observations o ON o.id = s.observation_id \
                 WHERE s.watch = $1 AND s.figure = $2 AND s.claimant = $3 FOR UPDATE OF s",
                &[&key.watch, &key.figure, &key.claimant],
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
            }))
    }

    fn pair_in_baseline(
        &mut self,
        feed_id: i64,
        key: &StateKey<'_>,
    ) -> Result<bool, postgres::Error> {
        let feed_last_success: Option<DateTime<Utc>> = self
            .query_opt(
                "SELECT last_success_at FROM feeds WHERE id = $1",
                &[&feed_id],
            )?
            .and_then(|row| row.get(0));
        let known = self.query_opt(
            "SELECT baseline, first_seen_at FROM known_figures WHERE watch = $1 AND figure = $2",
            &[&key.watch, &key.figure],
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

    fn insert_observation(
        &mut self,
        observation: &Observation<'_>,
    ) -> Result<Option<i64>, postgres::Error> {
        let Observation {
            key,
            reading,
            mention,
            decision,
        } = observation;
        let revision = int(reading.revision);
        let shared = MentionValues::of(mention);
        let mut values: Vec<&(dyn ToSql + Sync)> =
            vec![&reading.article_id, &key.watch, &key.figure, &key.claimant];
        values.extend(shared.values());
        values.extend([
            decision as &(dyn ToSql + Sync),
            &reading.observed_at,
            &revision,
        ]);
        let inserted = self.query_opt(
            "INSERT INTO observations (article_id, watch, figure, claimant, value, low, high, qualifier, \
             kind, unit, claimed_by, previous, event, owner, text, quote, decision, observed_at, revision) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
             ON CONFLICT (article_id, watch, figure, claimant, revision) DO NOTHING RETURNING id",
            &values,
        )?;
        Ok(inserted.map(|row| row.get(0)))
    }

    fn set_state(
        &mut self,
        key: &StateKey<'_>,
        observation_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), postgres::Error> {
        self.execute(
            "INSERT INTO figure_state (watch, figure, claimant, observation_id, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (watch, figure, claimant) DO UPDATE SET observation_id = excluded.observation_id, \
             updated_at = excluded.updated_at",
            &[&key.watch, &key.figure, &key.claimant, &observation_id, &now],
        )?;
        Ok(())
    }
}

/// What `mentions` and `observations` both keep of a mention, in the order
/// both statements list it (as SQLite's `mention_values`).
struct MentionValues<'a> {
    mention: &'a figures::Mention,
    qualifier: &'static str,
    kind: &'static str,
}

impl<'a> MentionValues<'a> {
    fn of(mention: &'a figures::Mention) -> MentionValues<'a> {
        MentionValues {
            mention,
            qualifier: mention.qualifier.as_str(),
            kind: mention.kind.as_str(),
        }
    }

    /// Value, low, high, qualifier, kind, unit, claimed_by, previous,
    /// event, owner, text and its sentence.
    fn values(&self) -> [&(dyn ToSql + Sync); 12] {
        let mention = self.mention;
        [
            &mention.value,
            &mention.low,
            &mention.high,
            &self.qualifier,
            &self.kind,
            &mention.unit,
            &mention.claimed_by,
            &mention.previous,
            &mention.event,
            &mention.owner,
            &mention.text,
            &mention.sentence,
        ]
    }
}
