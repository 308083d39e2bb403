//! The alert outbox in SQLite: alert rows, one delivery row per (alert,
//! sink), claims on deliveries, and the delivery state the dispatcher in
//! `daemon` moves forward. Also how an alert row is read back, with its
//! observations and article.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::super::Outbox;
use super::super::outbox::new_alert_id;
use super::super::{
    AlertDraft, AlertKind, AlertRow, ArticleRef, Delivery, Error, FeedFacts, ObservationRow,
    opt_time, parse_time, time_text,
};
use super::{Sqlite, write_transaction};
use crate::figures::{Kind, Qualifier};

/// Inserts an alert and a pending delivery for each sink; returns its id.
pub(super) fn insert_alert(
    conn: &Connection,
    draft: &AlertDraft<'_>,
    now: DateTime<Utc>,
    sinks: &[&str],
) -> rusqlite::Result<String> {
    let id = new_alert_id(now);
    let feed = draft.feed;
    conn.prepare_cached(
        "INSERT INTO alerts (id, kind, created_at, watch, figure, previous_observation_id, \
         current_observation_id, article_id, change_absolute, change_relative, claimant, \
         feed_url, feed_failures, feed_failing_since, feed_error) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id,
        draft.kind.as_str(),
        time_text(now),
        draft.watch,
        draft.figure,
        draft.previous_observation_id,
        draft.current_observation_id,
        draft.article_id,
        draft.change.map(|(absolute, _)| absolute),
        draft.change.and_then(|(_, relative)| relative),
        draft.claimant,
        feed.map(|facts| &facts.url),
        feed.and_then(|facts| facts.failures),
        feed.and_then(|facts| facts.failing_since).map(time_text),
        feed.and_then(|facts| facts.error.as_deref()),
    ])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO deliveries (alert_id, sink, next_attempt_at) VALUES (?1, ?2, ?3)",
    )?;
    for sink in sinks {
        insert.execute(params![id, sink, time_text(now)])?;
    }
    Ok(id)
}

/// Reads an [`ObservationRow`] from `row`, whose columns from `base` on are
/// [`OBSERVATION_COLUMNS`].
pub(super) fn observation_from(
    row: &rusqlite::Row<'_>,
    base: usize,
) -> rusqlite::Result<ObservationRow> {
    let qualifier: String = row.get(base + 3)?;
    let kind: String = row.get(base + 10)?;
    Ok(ObservationRow {
        value: row.get(base)?,
        low: row.get(base + 1)?,
        high: row.get(base + 2)?,
        qualifier: Qualifier::from_name(&qualifier).unwrap_or(Qualifier::Exact),
        text: row.get(base + 4)?,
        quote: row.get(base + 5)?,
        article: ArticleRef {
            url: row.get(base + 6)?,
            title: row.get(base + 7)?,
            source: row.get(base + 8)?,
            published_at: opt_time(row.get(base + 9)?),
        },
        kind: Kind::from_name(&kind).unwrap_or(Kind::Count),
        unit: row.get(base + 11)?,
        claimed_by: row.get(base + 12)?,
    })
}

/// The columns [`observation_from`] reads, from `observations o` joined
/// with `articles a`.
pub(super) const OBSERVATION_COLUMNS: &str = "o.value, o.low, o.high, o.qualifier, o.text, o.quote, \
     a.url, a.title, a.source, a.published_at, o.kind, o.unit, o.claimed_by";

/// How many columns [`OBSERVATION_COLUMNS`] names.
pub(super) const N_OBSERVATION_COLUMNS: usize = 13;

fn observation(conn: &Connection, id: Option<i64>) -> rusqlite::Result<Option<ObservationRow>> {
    let Some(id) = id else {
        return Ok(None);
    };
    conn.prepare_cached(&format!(
        "SELECT {OBSERVATION_COLUMNS} \
         FROM observations o JOIN articles a ON a.id = o.article_id WHERE o.id = ?1"
    ))?
    .query_row([id], |row| observation_from(row, 0))
    .optional()
}

fn article_ref(conn: &Connection, id: Option<i64>) -> rusqlite::Result<Option<ArticleRef>> {
    let Some(id) = id else {
        return Ok(None);
    };
    conn.prepare_cached("SELECT url, title, source, published_at FROM articles WHERE id = ?1")?
        .query_row([id], |row| {
            Ok(ArticleRef {
                url: row.get(0)?,
                title: row.get(1)?,
                source: row.get(2)?,
                published_at: opt_time(row.get(3)?),
            })
        })
        .optional()
}

/// The columns of an alert row [`load_alert`] reads.
struct RawAlert {
    kind: String,
    created_at: String,
    watch: String,
    figure: Option<String>,
    previous: Option<i64>,
    current: Option<i64>,
    article: Option<i64>,
    absolute: Option<f64>,
    relative: Option<f64>,
    message: Option<String>,
    claimant: Option<String>,
    feed_url: Option<String>,
    feed_failures: Option<u32>,
    feed_failing_since: Option<String>,
    feed_error: Option<String>,
    revision: bool,
}

/// Loads one alert with its observations and article.
pub(super) fn load_alert(conn: &Connection, id: &str) -> rusqlite::Result<Option<AlertRow>> {
    let raw: Option<RawAlert> = conn
        .prepare_cached(
            "SELECT kind, created_at, watch, figure, previous_observation_id, current_observation_id, \
             article_id, change_absolute, change_relative, message, claimant, feed_url, \
             feed_failures, feed_failing_since, feed_error, \
             (SELECT o.revision > 0 FROM observations o WHERE o.id = current_observation_id) \
             FROM alerts WHERE id = ?1",
        )?
        .query_row([id], |row| {
            Ok(RawAlert {
                kind: row.get(0)?,
                created_at: row.get(1)?,
                watch: row.get(2)?,
                figure: row.get(3)?,
                previous: row.get(4)?,
                current: row.get(5)?,
                article: row.get(6)?,
                absolute: row.get(7)?,
                relative: row.get(8)?,
                message: row.get(9)?,
                claimant: row.get(10)?,
                feed_url: row.get(11)?,
                feed_failures: row.get(12)?,
                feed_failing_since: row.get(13)?,
                feed_error: row.get(14)?,
                revision: row.get::<_, Option<bool>>(15)?.unwrap_or(false),
            })
        })
        .optional()?;
    let Some(raw) = raw else {
        return Ok(None);
    };
    // A row this version cannot read is skipped with a warning, never
    // sent as some other alert: a newer version may have written it.
    let Some(kind) = AlertKind::from_name(&raw.kind) else {
        tracing::warn!(
            alert = id,
            kind = raw.kind,
            "Skipping an alert of a kind this version does not know"
        );
        return Ok(None);
    };
    let Some(created_at) = parse_time(&raw.created_at) else {
        tracing::warn!(
            alert = id,
            created_at = raw.created_at,
            "Skipping an alert whose time does not parse"
        );
        return Ok(None);
    };
    let article = match kind {
        AlertKind::ArticleMatched => article_ref(conn, raw.article)?,
        _ => None,
    };
    let feed = raw.feed_url.map(|url| FeedFacts {
        url,
        failures: raw.feed_failures,
        failing_since: opt_time(raw.feed_failing_since),
        error: raw.feed_error,
    });
    Ok(Some(AlertRow {
        id: id.to_string(),
        kind,
        created_at,
        watch: raw.watch,
        figure: raw.figure,
        claimant: raw.claimant,
        previous: observation(conn, raw.previous)?,
        current: observation(conn, raw.current)?,
        change: raw.absolute.map(|absolute| (absolute, raw.relative)),
        article,
        feed,
        revision: raw.revision,
        message: raw.message,
    }))
}

impl Outbox for Sqlite {
    fn due_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>, Error> {
        let conn = self.lock();
        let now_text = time_text(now);
        let rows: Vec<(i64, String, String, u32)> = conn
            .prepare_cached(
                "SELECT id, alert_id, sink, attempts FROM deliveries \
                 WHERE state = 'pending' AND next_attempt_at <= ?1 \
                 AND (claimed_until IS NULL OR claimed_until <= ?1) \
                 ORDER BY next_attempt_at, id LIMIT ?2",
            )
            .and_then(|mut stmt| {
                stmt.query_map(params![now_text, limit as i64], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })?
                .collect()
            })
            .map_err(self.err())?;
        let mut deliveries = Vec::with_capacity(rows.len());
        for (id, alert_id, sink, attempts) in rows {
            if let Some(alert) = load_alert(&conn, &alert_id).map_err(self.err())? {
                deliveries.push(Delivery {
                    id,
                    sink,
                    attempts,
                    alert,
                });
            }
        }
        Ok(deliveries)
    }

    fn claim_delivery(
        &self,
        delivery_id: i64,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, Error> {
        let conn = self.lock();
        // One statement: SQLite runs it under the write lock, so two processes
        // cannot both see the delivery unclaimed.
        let n_claimed = conn
            .execute(
                "UPDATE deliveries SET claimed_by = ?2, claimed_until = ?4 \
                 WHERE id = ?1 AND state = 'pending' AND next_attempt_at <= ?3 \
                 AND (claimed_until IS NULL OR claimed_until <= ?3 OR claimed_by = ?2)",
                params![delivery_id, instance, time_text(now), time_text(until)],
            )
            .map_err(self.err())?;
        Ok(n_claimed == 1)
    }

    fn next_delivery_at(&self) -> Result<Option<DateTime<Utc>>, Error> {
        let conn = self.lock();
        // A claimed delivery is due again when its claim runs out (its
        // instance may have died holding it).
        let next: Option<String> = conn
            .query_row(
                "SELECT MIN(max(next_attempt_at, coalesce(claimed_until, ''))) FROM deliveries \
                 WHERE state = 'pending'",
                [],
                |row| row.get(0),
            )
            .map_err(self.err())?;
        Ok(opt_time(next))
    }

    fn delivery_succeeded(&self, delivery_id: i64, now: DateTime<Utc>) -> Result<(), Error> {
        let conn = self.lock();
        conn.execute(
            "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = ?2, \
             last_error = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = ?1",
            params![delivery_id, time_text(now)],
        )
        .map_err(self.err())?;
        Ok(())
    }

    fn delivery_failed(
        &self,
        delivery_id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), Error> {
        let conn = self.lock();
        match retry_at {
            Some(retry_at) => conn.execute(
                "UPDATE deliveries SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3, \
                 claimed_by = NULL, claimed_until = NULL WHERE id = ?1",
                params![delivery_id, error, time_text(retry_at)],
            ),
            None => conn.execute(
                "UPDATE deliveries SET state = 'dead', attempts = attempts + 1, last_error = ?2, \
                 claimed_by = NULL, claimed_until = NULL WHERE id = ?1",
                params![delivery_id, error],
            ),
        }
        .map_err(self.err())?;
        Ok(())
    }

    fn delivered_since(&self, sink: &str, since: DateTime<Utc>) -> Result<usize, Error> {
        let conn = self.lock();
        let count: i64 = conn
            .query_row(
                "SELECT count(*) FROM deliveries WHERE sink = ?1 AND state = 'delivered' \
                 AND delivered_at >= ?2",
                params![sink, time_text(since)],
                |row| row.get(0),
            )
            .map_err(self.err())?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    fn digest_delivered(
        &self,
        delivery_ids: &[i64],
        digest_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let mut conn = self.lock();
        let tx = write_transaction(&mut conn).map_err(self.err())?;
        {
            let mut update = tx
                .prepare_cached(
                    "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, \
                     delivered_at = ?2, last_error = NULL, digest_id = ?3, claimed_by = NULL, \
                     claimed_until = NULL WHERE id = ?1",
                )
                .map_err(self.err())?;
            for id in delivery_ids {
                update
                    .execute(params![id, time_text(now), digest_id])
                    .map_err(self.err())?;
            }
        }
        tx.commit().map_err(self.err())
    }
}
