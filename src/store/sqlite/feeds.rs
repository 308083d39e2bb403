//! Feed poll state, leases and seen entries in SQLite.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::super::Feeds;
use super::super::feeds::{BeforePoll, PollAlert, decide_lease, granted, poll_alert};
use super::super::{
    EntryRecord, EntryStatus, Error, FeedState, Lease, PollResult, Revisit, opt_time, time_text,
};
use super::outbox::insert_alert;
use super::{Sqlite, write_transaction};
use crate::fetch::Validators;

const FEED_COLUMNS: &str = "id, url, title, etag, last_modified, next_poll_at, last_success_at, \
     polled_ok, failures, failing_since, last_error, moved_to, lease_owner, lease_until";

fn feed_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<FeedState> {
    let lease_owner: Option<String> = row.get(12)?;
    let lease_until = opt_time(row.get(13)?);
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
        lease: lease_owner.zip(lease_until),
    })
}

fn select_feed(conn: &rusqlite::Connection, url: &str) -> rusqlite::Result<FeedState> {
    conn.execute("INSERT OR IGNORE INTO feeds (url) VALUES (?1)", [url])?;
    conn.query_row(
        &format!("SELECT {FEED_COLUMNS} FROM feeds WHERE url = ?1"),
        [url],
        feed_from_row,
    )
}

impl Feeds for Sqlite {
    fn feed(&self, url: &str) -> Result<FeedState, Error> {
        let conn = self.lock();
        select_feed(&conn, url).map_err(self.err())
    }

    fn feeds(&self) -> Result<Vec<FeedState>, Error> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(&format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id"))
            .map_err(self.err())?;
        stmt.query_map([], feed_from_row)
            .and_then(Iterator::collect)
            .map_err(self.err())
    }

    fn lease_feed(
        &self,
        url: &str,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        due_only: bool,
    ) -> Result<Lease, Error> {
        let mut conn = self.lock();
        // The write lock is taken first, so between looking and leasing no other
        // process can lease the same feed.
        let tx = write_transaction(&mut conn).map_err(self.err())?;
        let state = select_feed(&tx, url).map_err(self.err())?;
        let lease = decide_lease(&state, instance, now, due_only);
        if let Some(lease) = lease {
            return Ok(lease);
        }
        tx.execute(
            "UPDATE feeds SET lease_owner = ?2, lease_until = ?3 WHERE id = ?1",
            params![state.id, instance, time_text(until)],
        )
        .map_err(self.err())?;
        tx.commit().map_err(self.err())?;
        Ok(granted(state, instance, until))
    }

    fn renew_lease(
        &self,
        feed_id: i64,
        instance: &str,
        until: DateTime<Utc>,
    ) -> Result<bool, Error> {
        let conn = self.lock();
        let n_updated = conn
            .execute(
                "UPDATE feeds SET lease_until = ?3 WHERE id = ?1 AND lease_owner = ?2",
                params![feed_id, instance, time_text(until)],
            )
            .map_err(self.err())?;
        Ok(n_updated == 1)
    }

    fn release_feed(&self, feed_id: i64, instance: &str) -> Result<(), Error> {
        let conn = self.lock();
        conn.execute(
            "UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND lease_owner = ?2",
            params![feed_id, instance],
        )
        .map_err(self.err())?;
        Ok(())
    }

    fn record_poll(
        &self,
        feed_id: i64,
        result: &PollResult,
        now: DateTime<Utc>,
        next_poll_at: DateTime<Utc>,
        failing_after: Duration,
        sinks: &[&str],
        instance: &str,
    ) -> Result<u32, Error> {
        let mut conn = self.lock();
        let tx = write_transaction(&mut conn).map_err(self.err())?;
        let before = tx
            .query_row(
                "SELECT url, failing_since, failing_alerted FROM feeds WHERE id = ?1",
                [feed_id],
                |row| {
                    Ok(BeforePoll {
                        url: row.get(0)?,
                        failing_since: opt_time(row.get(1)?),
                        failing_alerted: row.get(2)?,
                    })
                },
            )
            .map_err(self.err())?;
        let failures =
            update_poll_state(&tx, feed_id, result, now, next_poll_at).map_err(self.err())?;
        tx.execute(
            "UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND lease_owner = ?2",
            params![feed_id, instance],
        )
        .map_err(self.err())?;
        if let Some(alert) = poll_alert(&before, result, failures, now, failing_after) {
            insert_alert(&tx, &alert.draft(), now, sinks).map_err(self.err())?;
            if let PollAlert::Failing(_) = alert {
                tx.execute(
                    "UPDATE feeds SET failing_alerted = 1 WHERE id = ?1",
                    [feed_id],
                )
                .map_err(self.err())?;
            }
        }
        tx.commit().map_err(self.err())?;
        Ok(failures)
    }

    fn unseen_entries(
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
                    Some((status, attempts)) => EntryStatus::from_name(&status)
                        .is_some_and(|status| status.is_unfinished(attempts, max_attempts)),
                })
            })
            .collect::<rusqlite::Result<Vec<bool>>>()
            .map_err(self.err())
    }

    fn revisits(&self, feed_id: i64, keys: &[&str]) -> Result<Vec<Option<Revisit>>, Error> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT hash, seen_at FROM entries WHERE feed_id = ?1 AND key = ?2 \
                 AND status IN ('matched', 'duplicate') AND article_id IS NOT NULL",
            )
            .map_err(self.err())?;
        keys.iter()
            .map(|key| {
                let found: Option<(Option<String>, String)> = stmt
                    .query_row(params![feed_id, key], |row| Ok((row.get(0)?, row.get(1)?)))
                    .optional()?;
                Ok(found.map(|(hash, seen_at)| Revisit {
                    hash,
                    fetched_at: super::super::parse_time(&seen_at).unwrap_or_default(),
                }))
            })
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.err())
    }

    fn record_entry(
        &self,
        feed_id: i64,
        entry: &EntryRecord<'_>,
        status: EntryStatus,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let conn = self.lock();
        upsert_entry(&conn, feed_id, entry, status, error, None, now).map_err(self.err())
    }

    fn record_entries(
        &self,
        feed_id: i64,
        entries: &[EntryRecord<'_>],
        status: EntryStatus,
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

pub(super) fn upsert_entry(
    conn: &rusqlite::Connection,
    feed_id: i64,
    entry: &EntryRecord<'_>,
    status: EntryStatus,
    error: Option<&str>,
    article_id: Option<i64>,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO entries (feed_id, key, url, title, published_at, seen_at, status, error, article_id, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
         ON CONFLICT (feed_id, key) DO UPDATE SET status = excluded.status, error = excluded.error, \
         article_id = excluded.article_id, attempts = attempts + 1, seen_at = excluded.seen_at, \
         hash = coalesce(excluded.hash, hash)",
    )?
    .execute(params![
        feed_id,
        entry.key,
        entry.url,
        entry.title,
        entry.published_at.map(time_text),
        time_text(now),
        status.as_str(),
        error,
        article_id,
        entry.hash
    ])?;
    Ok(())
}

/// Records how a poll ended on the feed's row; returns its consecutive
/// failures now.
fn update_poll_state(
    tx: &rusqlite::Transaction<'_>,
    feed_id: i64,
    result: &PollResult,
    now: DateTime<Utc>,
    next_poll_at: DateTime<Utc>,
) -> rusqlite::Result<u32> {
    let now_text = time_text(now);
    let next_text = time_text(next_poll_at);
    match result {
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
            )?;
            Ok(0)
        }
        PollResult::NotModified => {
            tx.execute(
                "UPDATE feeds SET next_poll_at = ?2, last_polled_at = ?3, last_success_at = ?3, \
                 failures = 0, failing_since = NULL, failing_alerted = 0, last_error = NULL \
                 WHERE id = ?1",
                params![feed_id, next_text, now_text],
            )?;
            Ok(0)
        }
        PollResult::Failed { error } => {
            tx.execute(
                "UPDATE feeds SET next_poll_at = ?2, last_polled_at = ?3, failures = failures + 1, \
                 failing_since = COALESCE(failing_since, ?3), last_error = ?4 WHERE id = ?1",
                params![feed_id, next_text, now_text, error],
            )?;
            tx.query_row(
                "SELECT failures FROM feeds WHERE id = ?1",
                [feed_id],
                |row| row.get(0),
            )
        }
    }
}
