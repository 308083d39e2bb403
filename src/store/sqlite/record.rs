//! One matched article in SQLite, in one transaction: the entry, the
//! article, its mentions (with their claims), each watch's match and
//! observations, the figure states they move, and the alerts and
//! deliveries they raise. What is not SQL, and the order of the steps, is
//! in `store/record.rs`; this is SQLite's [`ArticleSql`].

use chrono::{DateTime, Utc};
use rusqlite::types::ToSqlOutput;
use rusqlite::{OptionalExtension, ToSql, Transaction, params};

use super::super::Record;
use super::super::record::{ArticleSql, Observation, State, StateKey, Stored, record};
use super::super::{AlertDraft, EntryStatus, Error, NewArticle, Recorded, time_text};
use super::feeds::upsert_entry;
use super::outbox::insert_alert;
use super::{Sqlite, stored_time, write_transaction};
use crate::config;
use crate::figures::{self, Qualifier};

impl Record for Sqlite {
    fn record_article(&self, article: &NewArticle<'_>) -> Result<Recorded, Error> {
        let mut conn = self.lock();
        let mut tx = write_transaction(&mut conn).map_err(self.err())?;
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

impl ArticleSql for Transaction<'_> {
    type Error = rusqlite::Error;

    fn stored_article(&mut self, article: &NewArticle<'_>) -> rusqlite::Result<Option<Stored>> {
        let stored = |row: &rusqlite::Row<'_>| {
            Ok(Stored {
                id: row.get(0)?,
                hash: row.get(1)?,
                revision: row.get(2)?,
            })
        };
        let by_url = self
            .query_row(
                "SELECT id, content_hash, revision FROM articles WHERE url = ?1",
                params![article.url],
                stored,
            )
            .optional()?;
        if by_url.is_some() || article.revised_at.is_none() {
            return Ok(by_url);
        }
        self.query_row(
            "SELECT a.id, a.content_hash, a.revision FROM entries e JOIN articles a ON a.id = e.article_id \
             WHERE e.feed_id = ?1 AND e.key = ?2",
            params![article.feed_id, article.entry.key],
            stored,
        )
        .optional()
    }

    fn same_text(&mut self, hash: &str) -> rusqlite::Result<Option<i64>> {
        self.query_row(
            "SELECT id FROM articles WHERE content_hash = ?1 AND length(text) > 0 LIMIT 1",
            params![hash],
            |row| row.get(0),
        )
        .optional()
    }

    fn insert_article(
        &mut self,
        article: &NewArticle<'_>,
        hash: &str,
    ) -> rusqlite::Result<Option<i64>> {
        let now = article.fetched_at;
        let sort_at = article.published_at.unwrap_or(now);
        self.execute(
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
        Ok(Some(self.last_insert_rowid()))
    }

    fn article_by_url(&mut self, url: &str) -> rusqlite::Result<i64> {
        self.query_row("SELECT id FROM articles WHERE url = ?1", [url], |row| {
            row.get(0)
        })
    }

    fn revise_article(
        &mut self,
        article_id: i64,
        article: &NewArticle<'_>,
        hash: &str,
        revision: u32,
        revised_at: DateTime<Utc>,
    ) -> rusqlite::Result<()> {
        self.execute(
            "UPDATE articles SET title = ?2, text = ?3, content_hash = ?4, revision = ?5, \
             revised_at = ?6 WHERE id = ?1",
            params![
                article_id,
                article.title,
                article.text,
                hash,
                revision,
                time_text(revised_at)
            ],
        )?;
        self.execute(
            "DELETE FROM mentions WHERE article_id = ?1",
            params![article_id],
        )?;
        Ok(())
    }

    fn entry(
        &mut self,
        article: &NewArticle<'_>,
        status: EntryStatus,
        article_id: i64,
    ) -> rusqlite::Result<()> {
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
    ) -> rusqlite::Result<()> {
        let mut insert = self.prepare_cached(
            "INSERT INTO mentions (article_id, in_title, value, low, high, qualifier, kind, unit, claimed_by, \
             previous, event, owner, text, sentence, noun, start, end, increment) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        )?;
        for (idx, mention) in reading.mentions.iter().enumerate() {
            let in_title = idx < reading.n_title;
            let (start, end) = (mention.start as i64, mention.end as i64);
            let shared = mention_values(mention)?;
            let mut values: Vec<&dyn ToSql> = vec![&article_id, &in_title];
            values.extend(shared.iter().map(|value| value as &dyn ToSql));
            values.extend([
                &mention.noun as &dyn ToSql,
                &start,
                &end,
                &mention.increment,
            ]);
            insert.execute(&*values)?;
        }
        Ok(())
    }

    fn insert_match(&mut self, article_id: i64, watch: &str) -> rusqlite::Result<()> {
        self.execute(
            "INSERT OR IGNORE INTO matches (article_id, watch) VALUES (?1, ?2)",
            params![article_id, watch],
        )?;
        Ok(())
    }

    fn insert_alert(
        &mut self,
        draft: &AlertDraft<'_>,
        now: DateTime<Utc>,
        sinks: &[&str],
    ) -> rusqlite::Result<()> {
        insert_alert(self, draft, now, sinks).map(drop)
    }

    fn figure_state(&mut self, key: &StateKey<'_>) -> rusqlite::Result<Option<State>> {
        self.query_row(
            "SELECT o.id, o.value, o.qualifier, o.observed_at, o.kind, o.unit FROM figure_state s \
             JOIN observations o ON o.id = s.observation_id \
             WHERE s.watch = ?1 AND s.figure = ?2 AND s.claimant = ?3",
            params![key.watch, key.figure, key.claimant],
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
        .optional()
    }

    fn pair_in_baseline(&mut self, feed_id: i64, key: &StateKey<'_>) -> rusqlite::Result<bool> {
        let feed_last_success: Option<String> = self
            .query_row(
                "SELECT last_success_at FROM feeds WHERE id = ?1",
                params![feed_id],
                |row| row.get(0),
            )
            .optional()?
            .flatten();
        let known: Option<(bool, String)> = self
            .query_row(
                "SELECT baseline, first_seen_at FROM known_figures WHERE watch = ?1 AND figure = ?2",
                params![key.watch, key.figure],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        Ok(match known {
            Some((true, first_seen_at)) => feed_last_success
                .as_deref()
                .is_none_or(|last| last < first_seen_at.as_str()),
            // Unknown pairs (a store used without a config) and pairs
            // registered without baseline alert as before.
            Some((false, _)) | None => false,
        })
    }

    fn insert_observation(
        &mut self,
        observation: &Observation<'_>,
    ) -> rusqlite::Result<Option<i64>> {
        let Observation {
            key,
            reading,
            mention,
            decision,
        } = observation;
        let observed_at = time_text(reading.observed_at);
        let shared = mention_values(mention)?;
        let mut values: Vec<&dyn ToSql> =
            vec![&reading.article_id, &key.watch, &key.figure, &key.claimant];
        values.extend(shared.iter().map(|value| value as &dyn ToSql));
        values.extend([decision as &dyn ToSql, &observed_at, &reading.revision]);
        let n_inserted = self.execute(
            "INSERT OR IGNORE INTO observations (article_id, watch, figure, claimant, value, low, high, qualifier, \
             kind, unit, claimed_by, previous, event, owner, text, quote, decision, observed_at, revision) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
            &*values,
        )?;
        Ok((n_inserted > 0).then(|| self.last_insert_rowid()))
    }

    fn set_state(
        &mut self,
        key: &StateKey<'_>,
        observation_id: i64,
        now: DateTime<Utc>,
    ) -> rusqlite::Result<()> {
        self.execute(
            "INSERT INTO figure_state (watch, figure, claimant, observation_id, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (watch, figure, claimant) DO UPDATE SET observation_id = excluded.observation_id, \
             updated_at = excluded.updated_at",
            params![
                key.watch,
                key.figure,
                key.claimant,
                observation_id,
                time_text(now)
            ],
        )?;
        Ok(())
    }
}

/// What `mentions` and `observations` both keep of a mention, in the order
/// both statements list it: value, low, high, qualifier, kind, unit,
/// claimed_by, previous, event, owner, text and its sentence.
fn mention_values(mention: &figures::Mention) -> rusqlite::Result<[ToSqlOutput<'_>; 12]> {
    Ok([
        mention.value.to_sql()?,
        mention.low.to_sql()?,
        mention.high.to_sql()?,
        mention.qualifier.as_str().to_sql()?,
        mention.kind.as_str().to_sql()?,
        mention.unit.to_sql()?,
        mention.claimed_by.to_sql()?,
        mention.previous.to_sql()?,
        mention.event.to_sql()?,
        mention.owner.to_sql()?,
        mention.text.to_sql()?,
        mention.sentence.to_sql()?,
    ])
}
