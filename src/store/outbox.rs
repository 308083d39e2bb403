//! The alert outbox: alert rows, one delivery row per (alert, sink), and
//! the delivery state the dispatcher in `alert` moves forward.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::queries::{OBSERVATION_COLUMNS, observation_from};
use super::record::AlertDraft;
use super::{
    AlertKind, AlertRow, ArticleRef, Delivery, Error, ObservationRow, Store, opt_time, parse_time,
    time_text, write_transaction,
};

/// Inserts an alert and a pending delivery for each sink; returns its id.
pub(super) fn insert_alert(
    conn: &Connection,
    draft: &AlertDraft<'_>,
    now: DateTime<Utc>,
    sinks: &[&str],
) -> rusqlite::Result<String> {
    let id = ulid::Ulid::from_datetime(now.into()).to_string();
    conn.prepare_cached(
        "INSERT INTO alerts (id, kind, created_at, watch, figure, previous_observation_id, \
         current_observation_id, article_id, change_absolute, change_relative, message, claimant) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
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
        draft.message,
        draft.claimant
    ])?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO deliveries (alert_id, sink, next_attempt_at) VALUES (?1, ?2, ?3)",
    )?;
    for sink in sinks {
        insert.execute(params![id, sink, time_text(now)])?;
    }
    Ok(id)
}

pub(super) fn insert_feed_alert(
    conn: &Connection,
    kind: AlertKind,
    message: &str,
    now: DateTime<Utc>,
    sinks: &[&str],
) -> rusqlite::Result<String> {
    insert_alert(
        conn,
        &AlertDraft {
            kind,
            message: Some(message),
            ..AlertDraft::default()
        },
        now,
        sinks,
    )
}

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

pub(super) fn article_ref(
    conn: &Connection,
    id: Option<i64>,
) -> rusqlite::Result<Option<ArticleRef>> {
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

/// Loads one alert with its observations and article.
pub(super) fn load_alert(conn: &Connection, id: &str) -> rusqlite::Result<Option<AlertRow>> {
    type Raw = (
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<f64>,
        Option<f64>,
        Option<String>,
        Option<String>,
    );
    let raw: Option<Raw> = conn
        .prepare_cached(
            "SELECT kind, created_at, watch, figure, previous_observation_id, current_observation_id, \
             article_id, change_absolute, change_relative, message, claimant FROM alerts WHERE id = ?1",
        )?
        .query_row([id], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
                row.get(7)?,
                row.get(8)?,
                row.get(9)?,
                row.get(10)?,
            ))
        })
        .optional()?;
    let Some((
        kind,
        created_at,
        watch,
        figure,
        previous,
        current,
        article,
        absolute,
        relative,
        message,
        claimant,
    )) = raw
    else {
        return Ok(None);
    };
    let kind = AlertKind::from_name(&kind).unwrap_or(AlertKind::Test);
    let article = match kind {
        AlertKind::ArticleMatched => article_ref(conn, article)?,
        _ => None,
    };
    Ok(Some(AlertRow {
        id: id.to_string(),
        kind,
        created_at: parse_time(&created_at).unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
        watch,
        figure,
        claimant,
        previous: observation(conn, previous)?,
        current: observation(conn, current)?,
        change: absolute.map(|absolute| (absolute, relative)),
        article,
        message,
    }))
}

impl Store {
    /// Pending deliveries whose next attempt is due at `now`, oldest first.
    pub fn due_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>, Error> {
        let conn = self.lock();
        let rows: Vec<(i64, String, String, u32)> = conn
            .prepare_cached(
                "SELECT id, alert_id, sink, attempts FROM deliveries \
                 WHERE state = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
            )
            .and_then(|mut stmt| {
                stmt.query_map(params![time_text(now), limit as i64], |row| {
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

    /// When the next pending delivery is due, if any.
    pub fn next_delivery_at(&self) -> Result<Option<DateTime<Utc>>, Error> {
        let conn = self.lock();
        let next: Option<String> = conn
            .query_row(
                "SELECT MIN(next_attempt_at) FROM deliveries WHERE state = 'pending'",
                [],
                |row| row.get(0),
            )
            .map_err(self.err())?;
        Ok(opt_time(next))
    }

    /// Marks a delivery sent; it is never sent again.
    pub fn delivery_succeeded(&self, delivery_id: i64, now: DateTime<Utc>) -> Result<(), Error> {
        let conn = self.lock();
        conn.execute(
            "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = ?2, \
             last_error = NULL WHERE id = ?1",
            params![delivery_id, time_text(now)],
        )
        .map_err(self.err())?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or dead when `None`.
    pub fn delivery_failed(
        &self,
        delivery_id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), Error> {
        let conn = self.lock();
        match retry_at {
            Some(retry_at) => conn.execute(
                "UPDATE deliveries SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 \
                 WHERE id = ?1",
                params![delivery_id, error, time_text(retry_at)],
            ),
            None => conn.execute(
                "UPDATE deliveries SET state = 'dead', attempts = attempts + 1, last_error = ?2 \
                 WHERE id = ?1",
                params![delivery_id, error],
            ),
        }
        .map_err(self.err())?;
        Ok(())
    }

    /// How many deliveries through `sink` were delivered at or after `since`
    /// (a rate limit's recent sends; a digest counts each alert it carried).
    pub fn delivered_since(&self, sink: &str, since: DateTime<Utc>) -> Result<usize, Error> {
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

    /// Marks deliveries sent together in the digest `digest_id`, in one
    /// transaction; none is sent again.
    pub fn digest_delivered(
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
                     delivered_at = ?2, last_error = NULL, digest_id = ?3 WHERE id = ?1",
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
