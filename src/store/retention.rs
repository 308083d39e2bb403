//! Retention: what the store forgets, in small batches, so it stops growing
//! while the daemon polls.
//!
//! Older than the cutoff: entries that led to no article (skipped,
//! unmatched, refused, failed, duplicate) are deleted; articles that no
//! observation or alert refers to are deleted with their matches and
//! mentions; the remaining articles lose their text and mentions but keep
//! their row (URL, title, source, dates), which observations, figure
//! states, history and alerts point to. Observations, figure states,
//! alerts and deliveries are kept forever.
//!
//! An entry deleted while its feed still lists it is seen again as new on
//! the next poll: a skipped one is recorded again, one whose article was
//! fetched is fetched again and stored as the same article (its URL is
//! unique) without a second alert. With the default retention of 90 days
//! that concerns only feeds that list entries for longer.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Error, Store, time_text, write_transaction};

/// Rows deleted or emptied in one transaction of [`Store::prune`].
pub const PRUNE_BATCH: usize = 500;

/// What one [`Store::prune`] call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Entries deleted.
    pub entries: usize,
    /// Articles deleted.
    pub articles: usize,
    /// Articles whose text and mentions were dropped.
    pub texts: usize,
}

impl Pruned {
    /// Whether the batch was full somewhere, so another call may find more.
    pub fn more(self, batch: usize) -> bool {
        self.entries >= batch || self.articles >= batch || self.texts >= batch
    }
}

impl Store {
    /// One batch of retention before `cutoff`: at most `batch` rows of each
    /// kind, in one short write transaction. Call again while
    /// [`Pruned::more`]; other writers run in between.
    pub fn prune(&self, cutoff: DateTime<Utc>, batch: usize) -> Result<Pruned, Error> {
        let cutoff = time_text(cutoff);
        let limit = i64::try_from(batch).unwrap_or(i64::MAX);
        let mut conn = self.lock();
        let tx = write_transaction(&mut conn).map_err(self.err())?;
        // Rows are scanned in id order, which is insertion order: the old
        // ones come first, so a batch stops early.
        let entries = tx
            .execute(
                "DELETE FROM entries WHERE id IN (
                     SELECT id FROM entries
                     WHERE seen_at < ?1 AND status != 'matched'
                     ORDER BY id LIMIT ?2)",
                params![cutoff, limit],
            )
            .map_err(self.err())?;
        let articles = tx
            .execute(
                "DELETE FROM articles WHERE id IN (
                     SELECT a.id FROM articles a
                     WHERE a.fetched_at < ?1
                       AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.article_id = a.id)
                       AND NOT EXISTS (SELECT 1 FROM alerts l WHERE l.article_id = a.id)
                     ORDER BY a.id LIMIT ?2)",
                params![cutoff, limit],
            )
            .map_err(self.err())?;
        let emptied: Vec<i64> = {
            let mut statement = tx
                .prepare(
                    "SELECT id FROM articles WHERE fetched_at < ?1 AND text != ''
                     ORDER BY id LIMIT ?2",
                )
                .map_err(self.err())?;
            statement
                .query_map(params![cutoff, limit], |row| row.get(0))
                .map_err(self.err())?
                .collect::<rusqlite::Result<_>>()
                .map_err(self.err())?
        };
        for article_id in &emptied {
            tx.execute(
                "UPDATE articles SET text = '' WHERE id = ?1",
                params![article_id],
            )
            .map_err(self.err())?;
            tx.execute(
                "DELETE FROM mentions WHERE article_id = ?1",
                params![article_id],
            )
            .map_err(self.err())?;
        }
        tx.commit().map_err(self.err())?;
        Ok(Pruned {
            entries,
            articles,
            texts: emptied.len(),
        })
    }
}
