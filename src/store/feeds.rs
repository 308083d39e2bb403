//! Feed poll state (validators, schedule, failures) and seen entries.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{AlertKind, Error, Store, opt_time, time_text, write_transaction};
use crate::fetch::Validators;

/// A feed's poll state as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedState {
    /// Row id.
    pub id: i64,
    /// Feed URL as configured.
    pub url: String,
    /// The feed's own title, once seen.
    pub title: Option<String>,
    /// Validators for the next conditional GET.
    pub validators: Validators,
    /// When the feed is next due; `None` before the first poll.
    pub next_poll_at: Option<DateTime<Utc>>,
    /// Last successful poll.
    pub last_success_at: Option<DateTime<Utc>>,
    /// Whether any poll has succeeded (the baseline is done).
    pub polled_ok: bool,
    /// Consecutive failures.
    pub failures: u32,
    /// Start of the current run of failures.
    pub failing_since: Option<DateTime<Utc>>,
    /// Last error, while failing.
    pub last_error: Option<String>,
    /// Where a permanent redirect points, if one was seen.
    pub moved_to: Option<String>,
}

/// How a poll ended, as recorded on the feed.
#[derive(Debug, Clone, PartialEq)]
pub enum PollResult {
    /// A feed document was fetched and processed.
    Fetched {
        /// The feed's own title.
        title: Option<String>,
        /// New validators.
        validators: Validators,
        /// Target of a permanent redirect.
        moved_to: Option<String>,
    },
    /// 304 Not Modified.
    NotModified,
    /// The poll failed.
    Failed {
        /// What went wrong, for `figwatch` output and the feed_failing alert.
        error: String,
    },
}

const FEED_COLUMNS: &str = "id, url, title, etag, last_modified, next_poll_at, last_success_at, \
     polled_ok, failures, failing_since, last_error, moved_to";

fn feed_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<FeedState> {
    Ok(FeedState {
        id: row.get(0)?,
        url: row.get(1)?,
        title: row.get(2)?,
        validators: Validators {
            etag: row.get(3)?,
            last_modified: row.get(4)?,
        },
        next_poll_at: opt_time(row.get(5)?),
        last_success_at: opt_time(row.get(6)?),
        polled_ok: row.get(7)?,
        failures: row.get(8)?,
        failing_since: opt_time(row.get(9)?),
        last_error: row.get(10)?,
        moved_to: row.get(11)?,
    })
}

impl Store {
    /// The poll state of the feed at `url`, created on first use.
    pub fn feed(&self, url: &str) -> Result<FeedState, Error> {
        let conn = self.lock();
        conn.execute("INSERT OR IGNORE INTO feeds (url) VALUES (?1)", [url])
            .map_err(self.err())?;
        conn.query_row(
            &format!("SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?1"),
            [url],
            feed_from_row,
        )
        .map_err(self.err())
    }

    /// Every known feed, in id order.
    pub fn feeds(&self) -> Result<Vec<FeedState>, Error> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(&format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id"))
            .map_err(self.err())?;
        stmt.query_map([], feed_from_row)
            .and_then(Iterator::collect)
            .map_err(self.err())
    }

    /// Records how a poll ended and when the feed is next due. A failure
    /// that has lasted longer than `failing_after` raises one feed_failing
    /// alert to `sinks`; the first success after it, one feed_recovered.
    /// Returns the number of consecutive failures now recorded.
    pub fn record_poll(
        &self,
        feed_id: i64,
        result: &PollResult,
        now: DateTime<Utc>,
        next_poll_at: DateTime<Utc>,
        failing_after: std::time::Duration,
        sinks: &[&str],
    ) -> Result<u32, Error> {
        let mut conn = self.lock();
        let tx = write_transaction(&mut conn).map_err(self.err())?;
        let (url, failing_since, failing_alerted): (String, Option<String>, bool) = tx
            .query_row(
                "SELECT url, failing_since, failing_alerted FROM feeds WHERE id = ?1",
                [feed_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .map_err(self.err())?;
        let now_text = time_text(now);
        let next_text = time_text(next_poll_at);
        let failures = match result {
            PollResult::Fetched {
                title,
                validators,
                moved_to,
            } => {
                tx.execute(
                    "UPDATE feeds SET title = COALESCE(?2, title), etag = ?3, last_modified = ?4, \
                     moved_to = COALESCE(?5, moved_to), next_poll_at = ?6, last_polled_at = ?7, \
                     last_success_at = ?7, polled_ok = 1, failures = 0, failing_since = NULL, \
                     failing_alerted = 0, last_error = NULL WHERE id = ?1",
                    params![
                        feed_id,
                        title,
                        validators.etag,
                        validators.last_modified,
                        moved_to,
                        next_text,
                        now_text
                    ],
                )
                .map_err(self.err())?;
                0
            }
            PollResult::NotModified => {
                tx.execute(
                    "UPDATE feeds SET next_poll_at = ?2, last_polled_at = ?3, last_success_at = ?3, \
                     failures = 0, failing_since = NULL, failing_alerted = 0, last_error = NULL \
                     WHERE id = ?1",
                    params![feed_id, next_text, now_text],
                )
                .map_err(self.err())?;
                0
            }
            PollResult::Failed { error } => {
                tx.execute(
                    "UPDATE feeds SET next_poll_at = ?2, last_polled_at = ?3, failures = failures + 1, \
                     failing_since = COALESCE(failing_since, ?3), last_error = ?4 WHERE id = ?1",
                    params![feed_id, next_text, now_text, error],
                )
                .map_err(self.err())?;
                tx.query_row(
                    "SELECT failures FROM feeds WHERE id = ?1",
                    [feed_id],
                    |row| row.get(0),
                )
                .map_err(self.err())?
            }
        };
        match result {
            PollResult::Failed { error } if !failing_alerted => {
                let since = opt_time(failing_since).unwrap_or(now);
                let failing_for = (now - since).to_std().unwrap_or_default();
                if failing_for >= failing_after {
                    let message = format!(
                        "Feed {} has failed {failures} times since {}: {}",
                        crate::config::redact::url_text(&url),
                        since.format("%Y-%m-%d %H:%M UTC"),
                        crate::config::redact::urls_in(error)
                    );
                    super::outbox::insert_feed_alert(
                        &tx,
                        AlertKind::FeedFailing,
                        &message,
                        now,
                        sinks,
                    )
                    .map_err(self.err())?;
                    tx.execute(
                        "UPDATE feeds SET failing_alerted = 1 WHERE id = ?1",
                        [feed_id],
                    )
                    .map_err(self.err())?;
                }
            }
            PollResult::Fetched { .. } | PollResult::NotModified if failing_alerted => {
                let message = format!("Feed {} works again", crate::config::redact::url_text(&url));
                super::outbox::insert_feed_alert(
                    &tx,
                    AlertKind::FeedRecovered,
                    &message,
                    now,
                    sinks,
                )
                .map_err(self.err())?;
            }
            _ => {}
        }
        tx.commit().map_err(self.err())?;
        Ok(failures)
    }

    /// Which of `keys` this feed has not finished with: never seen, or whose
    /// article fetch failed fewer than `max_attempts` times. Parallel to `keys`.
    pub fn unseen_entries(
        &self,
        feed_id: i64,
        keys: &[&str],
        max_attempts: u32,
    ) -> Result<Vec<bool>, Error> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached("SELECT status, attempts FROM entries WHERE feed_id = ?1 AND key = ?2")
            .map_err(self.err())?;
        keys.iter()
            .map(|key| {
                let seen: Option<(String, u32)> = stmt
                    .query_row(params![feed_id, key], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()?;
                Ok(match seen {
                    None => true,
                    Some((status, attempts)) => status == "failed" && attempts < max_attempts,
                })
            })
            .collect::<rusqlite::Result<Vec<bool>>>()
            .map_err(self.err())
    }

    /// Records an entry that produced no article: `status` is `skipped`
    /// (no watch term), `unmatched` (the article did not match), `failed`
    /// (its article could not be fetched; retried on later polls) or
    /// `refused` (its link points where we do not fetch; final).
    pub fn record_entry(
        &self,
        feed_id: i64,
        entry: &EntryRecord<'_>,
        status: &str,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let conn = self.lock();
        upsert_entry(&conn, feed_id, entry, status, error, None, now).map_err(self.err())
    }

    /// Records `entries` with the same final `status` (as
    /// [`Store::record_entry`]) in one transaction: cheap for the many
    /// entries of a feed that mention no watched term.
    pub fn record_entries(
        &self,
        feed_id: i64,
        entries: &[EntryRecord<'_>],
        status: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let mut conn = self.lock();
        let tx = write_transaction(&mut conn).map_err(self.err())?;
        for entry in entries {
            upsert_entry(&tx, feed_id, entry, status, None, None, now).map_err(self.err())?;
        }
        tx.commit().map_err(self.err())
    }
}

/// The parts of a feed entry the store keeps.
#[derive(Debug, Clone, Copy)]
pub struct EntryRecord<'a> {
    /// Stable key within the feed.
    pub key: &'a str,
    /// Link, if any.
    pub url: Option<&'a str>,
    /// Title.
    pub title: &'a str,
    /// Published time from the feed.
    pub published_at: Option<DateTime<Utc>>,
}

pub(super) fn upsert_entry(
    conn: &rusqlite::Connection,
    feed_id: i64,
    entry: &EntryRecord<'_>,
    status: &str,
    error: Option<&str>,
    article_id: Option<i64>,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO entries (feed_id, key, url, title, published_at, seen_at, status, error, article_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
         ON CONFLICT (feed_id, key) DO UPDATE SET status = excluded.status, error = excluded.error, \
         article_id = excluded.article_id, attempts = attempts + 1, seen_at = excluded.seen_at",
    )?
    .execute(params![
        feed_id,
        entry.key,
        entry.url,
        entry.title,
        entry.published_at.map(time_text),
        time_text(now),
        status,
        error,
        article_id
    ])?;
    Ok(())
}
