//! Retention on SQLite: one batch of [`Backend::prune`](super::Backend).

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::super::retention::Pruned;
use super::super::{Error, time_text};
use super::{Sqlite, write_transaction};

/// One batch of retention before `cutoff`: at most `batch` rows of each
/// kind, in one short write transaction.
pub(super) fn prune(db: &Sqlite, cutoff: DateTime<Utc>, batch: usize) -> Result<Pruned, Error> {
    let cutoff = time_text(cutoff);
    let limit = i64::try_from(batch).unwrap_or(i64::MAX);
    let mut conn = db.lock();
    let tx = write_transaction(&mut conn).map_err(db.err())?;
    // Rows are scanned in id order, which is insertion order: the old ones
    // come first, so a batch stops early.
    let entries = tx
        .execute(
            "DELETE FROM entries WHERE id IN (
                 SELECT id FROM entries
                 WHERE seen_at < ?1 AND status != 'matched'
                 ORDER BY id LIMIT ?2)",
            params![cutoff, limit],
        )
        .map_err(db.err())?;
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
        .map_err(db.err())?;
    let emptied: Vec<i64> = {
        let mut statement = tx
            .prepare(
                "SELECT id FROM articles WHERE fetched_at < ?1 AND text != ''
                 ORDER BY id LIMIT ?2",
            )
            .map_err(db.err())?;
        statement
            .query_map(params![cutoff, limit], |row| row.get(0))
            .map_err(db.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(db.err())?
    };
    for article_id in &emptied {
        tx.execute(
            "UPDATE articles SET text = '' WHERE id = ?1",
            params![article_id],
        )
        .map_err(db.err())?;
        tx.execute(
            "DELETE FROM mentions WHERE article_id = ?1",
            params![article_id],
        )
        .map_err(db.err())?;
    }
    tx.commit().map_err(db.err())?;
    Ok(Pruned {
        entries,
        articles,
        texts: emptied.len(),
    })
}
