//! Feed poll state, leases and seen entries in PostgreSQL.

use std::time::Duration;

use chrono::{DateTime, Utc};
use postgres::GenericClient;

use super::super::Feeds;
use super::super::feeds::{BeforePoll, PollAlert, decide_lease, granted, poll_alert};
use super::super::{EntryRecord, EntryStatus, Error, FeedState, Lease, PollResult, Revisit};
use super::outbox::insert_alert;
use super::{Postgres, count};
use crate::fetch::Validators;

const FEED_COLUMNS: &str = "id, url, title, etag, last_modified, next_poll_at, last_success_at, \
     polled_ok, failures, failing_since, last_error, moved_to, lease_owner, lease_until";

fn feed_from_row(row: &postgres::Row) -> FeedState {
    let lease_owner: Option<String> = row.get(12);
    let lease_until: Option<DateTime<Utc>> = row.get(13);
    FeedState {
        id: row.get(0),
        url: row.get(1),
        title: row.get(2),
        validators: Validators {
            etag: row.get(3),
            last_modified: row.get(4),
        },
        next_poll_at: row.get(5),
        last_success_at: row.get(6),
        polled_ok: row.get(7),
        failures: count(row.get(8)),
        failing_since: row.get(9),
        last_error: row.get(10),
        moved_to: row.get(11),
        lease: lease_owner.zip(lease_until),
    }
}

fn insert_feed(client: &mut impl GenericClient, url: &str) -> Result<(), postgres::Error> {
    client.execute(
        "INSERT INTO feeds (url) VALUES ($1) ON CONFLICT (url) DO NOTHING",
        &[&url],
    )?;
    Ok(())
}

impl Feeds for Postgres {
    fn feed(&self, url: &str) -> Result<FeedState, Error> {
        let mut conn = self.conn()?;
        insert_feed(&mut *conn, url).map_err(self.err())?;
        let row = conn
            .query_one(
                &format!("SELECT {FEED_COLUMNS} FROM feeds WHERE url = $1"),
                &[&url],
            )
            .map_err(self.err())?;
        Ok(feed_from_row(&row))
    }

    fn feeds(&self) -> Result<Vec<FeedState>, Error> {
        let mut conn = self.conn()?;
        let rows = conn
            .query(
                &format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id"),
                &[],
            )
            .map_err(self.err())?;
        Ok(rows.iter().map(feed_from_row).collect())
    }

    fn lease_feed(
        &self,
        url: &str,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        due_only: bool,
    ) -> Result<Lease, Error> {
        let mut conn = self.conn()?;
        insert_feed(&mut *conn, url).map_err(self.err())?;
        let mut tx = conn.transaction().map_err(self.err())?;
        let row = tx
            .query_opt(
                &format!("SELECT {FEED_COLUMNS} FROM feeds WHERE url = $1 FOR UPDATE SKIP LOCKED"),
                &[&url],
            )
            .map_err(self.err())?;
        let Some(row) = row else {
            // Another instance is taking the lease this instant: it will hold
            // it; look again in a moment.
            return Ok(Lease::Held {
                owner: String::from("another instance"),
                until: now + chrono::Duration::seconds(1),
            });
        };
        let state = feed_from_row(&row);
        if let Some(lease) = decide_lease(&state, instance, now, due_only) {
            return Ok(lease);
        }
        tx.execute(
            "UPDATE feeds SET lease_owner = $2, lease_until = $3 WHERE id = $1",
            &[&state.id, &instance, &until],
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
        let mut conn = self.conn()?;
        let n_updated = conn
            .execute(
                "UPDATE feeds SET lease_until = $3 WHERE id = $1 AND lease_owner = $2",
                &[&feed_id, &instance, &until],
            )
            .map_err(self.err())?;
        Ok(n_updated == 1)
    }

    fn release_feed(&self, feed_id: i64, instance: &str) -> Result<(), Error> {
        let mut conn = self.conn()?;
        conn.execute(
            "UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
            &[&feed_id, &instance],
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
        let mut conn = self.conn()?;
        let mut tx = conn.transaction().map_err(self.err())?;
        let row = tx
            .query_one(
                "SELECT url, failing_since, failing_alerted FROM feeds WHERE id = $1 FOR UPDATE",
                &[&feed_id],
            )
            .map_err(self.err())?;
        let before = BeforePoll {
            url: row.get(0),
            failing_since: row.get(1),
            failing_alerted: row.get(2),
        };
        let failures =
            update_poll_state(&mut tx, feed_id, result, now, next_poll_at).map_err(self.err())?;
        tx.execute(
            "UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2",
            &[&feed_id, &instance],
        )
        .map_err(self.err())?;
        if let Some(alert) = poll_alert(&before, result, failures, now, failing_after) {
            insert_alert(&mut tx, &alert.draft(), now, sinks).map_err(self.err())?;
            if let PollAlert::Failing(_) = alert {
                tx.execute(
                    "UPDATE feeds SET failing_alerted = true WHERE id = $1",
                    &[&feed_id],
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
        let mut conn = self.conn()?;
        // One round trip for the whole feed, not one per entry.
        let rows = conn
            .query(
                "SELECT key, status, attempts FROM entries WHERE feed_id = $1 AND key = ANY($2)",
                &[&feed_id, &keys],
            )
            .map_err(self.err())?;
        let seen: std::collections::HashMap<String, (String, i32)> = rows
            .iter()
            .map(|row| (row.get(0), (row.get(1), row.get(2))))
            .collect();
        Ok(keys
            .iter()
            .map(|key| match seen.get(*key) {
                None => true,
                Some((status, attempts)) => EntryStatus::from_name(status)
                    .is_some_and(|status| status.is_unfinished(count(*attempts), max_attempts)),
            })
            .collect())
    }

    fn revisits(&self, feed_id: i64, keys: &[&str]) -> Result<Vec<Option<Revisit>>, Error> {
        let mut conn = self.conn()?;
        // One round trip for the whole feed, not one per entry.
        let rows = conn
            .query(
                "SELECT key, hash, seen_at FROM entries WHERE feed_id = $1 AND key = ANY($2) \
                 AND status IN ('matched', 'duplicate') AND article_id IS NOT NULL",
                &[&feed_id, &keys],
            )
            .map_err(self.err())?;
        let mut found: std::collections::HashMap<String, Revisit> = rows
            .iter()
            .map(|row| {
                let revisit = Revisit {
                    hash: row.get(1),
                    fetched_at: row.get(2),
                };
                (row.get(0), revisit)
            })
            .collect();
        Ok(keys.iter().map(|key| found.remove(*key)).collect())
    }

    fn record_entry(
        &self,
        feed_id: i64,
        entry: &EntryRecord<'_>,
        status: EntryStatus,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let mut conn = self.conn()?;
        upsert_entry(&mut *conn, feed_id, entry, status, error, None, now).map_err(self.err())
    }

    fn record_entries(
        &self,
        feed_id: i64,
        entries: &[EntryRecord<'_>],
        status: EntryStatus,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        // One statement for the whole feed (arrays unnested), not one round
        // trip per entry. A key listed twice is written once (its last
        // listing): one statement may not update a row twice.
        let mut last_of_key = std::collections::HashMap::new();
        for (idx, entry) in entries.iter().enumerate() {
            last_of_key.insert(entry.key, idx);
        }
        let mut kept: Vec<usize> = last_of_key.into_values().collect();
        kept.sort_unstable();
        let keys: Vec<&str> = kept.iter().map(|&idx| entries[idx].key).collect();
        let urls: Vec<Option<&str>> = kept.iter().map(|&idx| entries[idx].url).collect();
        let titles: Vec<&str> = kept.iter().map(|&idx| entries[idx].title).collect();
        let published: Vec<Option<DateTime<Utc>>> =
            kept.iter().map(|&idx| entries[idx].published_at).collect();
        let mut conn = self.conn()?;
        conn.execute(
            "INSERT INTO entries (feed_id, key, url, title, published_at, seen_at, status) \
             SELECT $1, key, url, title, published_at, $6, $7 \
             FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) \
                  AS listed (key, url, title, published_at) \
             ON CONFLICT (feed_id, key) DO UPDATE SET status = excluded.status, error = NULL, \
             article_id = NULL, attempts = entries.attempts + 1, seen_at = excluded.seen_at",
            &[
                &feed_id,
                &keys,
                &urls,
                &titles,
                &published,
                &now,
                &status.as_str(),
            ],
        )
        .map_err(self.err())?;
        Ok(())
    }
}

pub(super) fn upsert_entry(
    client: &mut impl GenericClient,
    feed_id: i64,
    entry: &EntryRecord<'_>,
    status: EntryStatus,
    error: Option<&str>,
    article_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), postgres::Error> {
    client.execute(
        "INSERT INTO entries (feed_id, key, url, title, published_at, seen_at, status, error, article_id, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (feed_id, key) DO UPDATE SET status = excluded.status, error = excluded.error, \
         article_id = excluded.article_id, attempts = entries.attempts + 1, seen_at = excluded.seen_at, \
         hash = coalesce(excluded.hash, entries.hash)",
        &[
            &feed_id,
            &entry.key,
            &entry.url,
            &entry.title,
            &entry.published_at,
            &now,
            &status.as_str(),
            &error,
            &article_id,
            &entry.hash,
        ],
    )?;
    Ok(())
}

/// Records how a poll ended on the feed's row; returns its consecutive
/// failures now.
fn update_poll_state(
    tx: &mut postgres::Transaction<'_>,
    feed_id: i64,
    result: &PollResult,
    now: DateTime<Utc>,
    next_poll_at: DateTime<Utc>,
) -> Result<u32, postgres::Error> {
    match result {
        PollResult::Fetched {
            title,
            validators,
            moved_to,
        } => {
            tx.execute(
                "UPDATE feeds SET title = COALESCE($2, title), etag = $3, last_modified = $4, \
                 moved_to = COALESCE($5, moved_to), next_poll_at = $6, last_polled_at = $7, \
                 last_success_at = $7, polled_ok = true, failures = 0, failing_since = NULL, \
                 failing_alerted = false, last_error = NULL WHERE id = $1",
                &[
                    &feed_id,
                    title,
                    &validators.etag,
                    &validators.last_modified,
                    moved_to,
                    &next_poll_at,
                    &now,
                ],
            )?;
            Ok(0)
        }
        PollResult::NotModified => {
            tx.execute(
                "UPDATE feeds SET next_poll_at = $2, last_polled_at = $3, last_success_at = $3, \
                 failures = 0, failing_since = NULL, failing_alerted = false, last_error = NULL \
                 WHERE id = $1",
                &[&feed_id, &next_poll_at, &now],
            )?;
            Ok(0)
        }
        PollResult::Failed { error } => {
            let row = tx.query_one(
                "UPDATE feeds SET next_poll_at = $2, last_polled_at = $3, \
                 failures = failures + 1, failing_since = COALESCE(failing_since, $3), \
                 last_error = $4 WHERE id = $1 RETURNING failures",
                &[&feed_id, &next_poll_at, &now, error],
            )?;
            Ok(count(row.get(0)))
        }
    }
}
