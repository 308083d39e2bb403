//! Retention on PostgreSQL: one batch of [`Backend::prune`](super::Backend).

use chrono::{DateTime, Utc};

use super::super::Error;
use super::super::retention::Pruned;
use super::Postgres;

/// One batch of retention before `cutoff`: at most `batch` rows of each
/// kind, in one short transaction.
pub(super) fn prune(db: &Postgres, cutoff: DateTime<Utc>, batch: usize) -> Result<Pruned, Error> {
    let limit = i64::try_from(batch).unwrap_or(i64::MAX);
    let mut conn = db.conn()?;
    let mut tx = conn.transaction().map_err(db.err())?;
    let entries = tx
        .execute(
            "DELETE FROM entries WHERE id IN (
                 SELECT id FROM entries
                 WHERE seen_at < $1 AND status != 'matched'
                 ORDER BY id LIMIT $2)",
            &[&cutoff, &limit],
        )
        .map_err(db.err())?;
    let articles = tx
        .execute(
            "DELETE FROM articles WHERE id IN (
                 SELECT a.id FROM articles a
                 WHERE a.fetched_at < $1
                   AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.article_id = a.id)
                   AND NOT EXISTS (SELECT 1 FROM alerts l WHERE l.article_id = a.id)
                 ORDER BY a.id LIMIT $2)",
            &[&cutoff, &limit],
        )
        .map_err(db.err())?;
    let emptied: Vec<i64> = tx
        .query(
            "SELECT id FROM articles WHERE fetched_at < $1 AND text != ''
             ORDER BY id LIMIT $2",
            &[&cutoff, &limit],
        )
        .map_err(db.err())?
        .iter()
        .map(|row| row.get(0))
        .collect();
    for article_id in &emptied {
        tx.execute("UPDATE articles SET text = '' WHERE id = $1", &[article_id])
            .map_err(db.err())?;
        tx.execute("DELETE FROM mentions WHERE article_id = $1", &[article_id])
            .map_err(db.err())?;
    }
    tx.commit().map_err(db.err())?;
    Ok(Pruned {
        entries: usize::try_from(entries).unwrap_or(usize::MAX),
        articles: usize::try_from(articles).unwrap_or(usize::MAX),
        texts: emptied.len(),
    })
}
