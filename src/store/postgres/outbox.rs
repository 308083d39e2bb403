//! The alert outbox in PostgreSQL: alert rows, one delivery row per
//! (alert, sink), claims on deliveries (`FOR UPDATE SKIP LOCKED`), and the
//! delivery state; also how an alert row is read back.

use chrono::{DateTime, Utc};
use postgres::GenericClient;

use super::super::Outbox;
use super::super::outbox::new_alert_id;
use super::super::{
    AlertDraft, AlertKind, AlertRow, ArticleRef, Delivery, Error, FeedFacts, ObservationRow,
};
use super::{Postgres, count, int};
use crate::figures::{Kind, Qualifier};

/// Inserts an alert and a pending delivery for each sink; returns its id.
pub(super) fn insert_alert(
    client: &mut impl GenericClient,
    draft: &AlertDraft<'_>,
    now: DateTime<Utc>,
    sinks: &[&str],
) -> Result<String, postgres::Error> {
    let id = new_alert_id(now);
    let feed = draft.feed;
    client.execute(
        "INSERT INTO alerts (id, kind, created_at, watch, figure, previous_observation_id, \
         current_observation_id, article_id, change_absolute, change_relative, claimant, \
         feed_url, feed_failures, feed_failing_since, feed_error) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        &[
            &id,
            &draft.kind.as_str(),
            &now,
            &draft.watch,
            &draft.figure,
            &draft.previous_observation_id,
            &draft.current_observation_id,
            &draft.article_id,
            &draft.change.map(|(absolute, _)| absolute),
            &draft.change.and_then(|(_, relative)| relative),
            &draft.claimant,
            &feed.map(|facts| facts.url.as_str()),
            &feed.and_then(|facts| facts.failures).map(int),
            &feed.and_then(|facts| facts.failing_since),
            &feed.and_then(|facts| facts.error.as_deref()),
        ],
    )?;
    for sink in sinks {
        client.execute(
            "INSERT INTO deliveries (alert_id, sink, next_attempt_at) VALUES ($1, $2, $3) \
             ON CONFLICT (alert_id, sink) DO NOTHING",
            &[&id, sink, &now],
        )?;
    }
    Ok(id)
}

/// The columns [`observation_from`] reads, from `observations o` joined
/// with `articles a`.
pub(super) const OBSERVATION_COLUMNS: &str = "o.value, o.low, o.high, o.qualifier, o.text, o.quote, \
     a.url, a.title, a.source, a.published_at, o.kind, o.unit, o.claimed_by";

/// How many columns [`OBSERVATION_COLUMNS`] names.
pub(super) const N_OBSERVATION_COLUMNS: usize = 13;

/// Reads an [`ObservationRow`] from `row`, whose columns from `base` on are
/// [`OBSERVATION_COLUMNS`].
pub(super) fn observation_from(row: &postgres::Row, base: usize) -> ObservationRow {
    let qualifier: String = row.get(base + 3);
    let kind: String = row.get(base + 10);
    ObservationRow {
        value: row.get(base),
        low: row.get(base + 1),
        high: row.get(base + 2),
        qualifier: Qualifier::from_name(&qualifier).unwrap_or(Qualifier::Exact),
        text: row.get(base + 4),
        quote: row.get(base + 5),
        article: ArticleRef {
            url: row.get(base + 6),
            title: row.get(base + 7),
            source: row.get(base + 8),
            published_at: row.get(base + 9),
        },
        kind: Kind::from_name(&kind).unwrap_or(Kind::Count),
        unit: row.get(base + 11),
        claimed_by: row.get(base + 12),
    }
}

fn observation(
    client: &mut impl GenericClient,
    id: Option<i64>,
) -> Result<Option<ObservationRow>, postgres::Error> {
    let Some(id) = id else {
        return Ok(None);
    };
    let row = client.query_opt(
        &format!(
            "SELECT {OBSERVATION_COLUMNS} \
             FROM observations o JOIN articles a ON a.id = o.article_id WHERE o.id = $1"
        ),
        &[&id],
    )?;
    Ok(row.map(|row| observation_from(&row, 0)))
}

fn article_ref(
    client: &mut impl GenericClient,
    id: Option<i64>,
) -> Result<Option<ArticleRef>, postgres::Error> {
    let Some(id) = id else {
        return Ok(None);
    };
    let row = client.query_opt(
        "SELECT url, title, source, published_at FROM articles WHERE id = $1",
        &[&id],
    )?;
    Ok(row.map(|row| ArticleRef {
        url: row.get(0),
        title: row.get(1),
        source: row.get(2),
        published_at: row.get(3),
    }))
}

/// Loads one alert with its observations and article.
pub(super) fn load_alert(
    client: &mut impl GenericClient,
    id: &str,
) -> Result<Option<AlertRow>, postgres::Error> {
    let Some(row) = client.query_opt(
        "SELECT kind, created_at, watch, figure, previous_observation_id, current_observation_id, \
         article_id, change_absolute, change_relative, message, claimant, feed_url, \
         feed_failures, feed_failing_since, feed_error, \
         (SELECT o.revision > 0 FROM observations o WHERE o.id = current_observation_id) \
         FROM alerts WHERE id = $1",
        &[&id],
    )?
    else {
        return Ok(None);
    };
    let kind_name: String = row.get(0);
    // A row this version cannot read is skipped with a warning, never
    // sent as some other alert: a newer version may have written it.
    let Some(kind) = AlertKind::from_name(&kind_name) else {
        tracing::warn!(
            alert = id,
            kind = kind_name,
            "Skipping an alert of a kind this version does not know"
        );
        return Ok(None);
    };
    let article = match kind {
        AlertKind::ArticleMatched => article_ref(client, row.get(6))?,
        _ => None,
    };
    let feed_url: Option<String> = row.get(11);
    let feed_failures: Option<i32> = row.get(12);
    let feed = feed_url.map(|url| FeedFacts {
        url,
        failures: feed_failures.map(count),
        failing_since: row.get(13),
        error: row.get(14),
    });
    let absolute: Option<f64> = row.get(7);
    let relative: Option<f64> = row.get(8);
    Ok(Some(AlertRow {
        id: id.to_string(),
        kind,
        created_at: row.get(1),
        watch: row.get(2),
        figure: row.get(3),
        claimant: row.get(10),
        previous: observation(client, row.get(4))?,
        current: observation(client, row.get(5))?,
        change: absolute.map(|absolute| (absolute, relative)),
        article,
        feed,
        revision: row.get::<_, Option<bool>>(15).unwrap_or(false),
        message: row.get(9),
    }))
}

impl Outbox for Postgres {
    fn due_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>, Error> {
        let mut conn = self.conn()?;
        let rows = conn
            .query(
                "SELECT id, alert_id, sink, attempts FROM deliveries \
                 WHERE state = 'pending' AND next_attempt_at <= $1 \
                 AND (claimed_until IS NULL OR claimed_until <= $1) \
                 ORDER BY next_attempt_at, id LIMIT $2",
                &[&now, &(limit as i64)],
            )
            .map_err(self.err())?;
        let mut deliveries = Vec::with_capacity(rows.len());
        for row in rows {
            let alert_id: String = row.get(1);
            if let Some(alert) = load_alert(&mut *conn, &alert_id).map_err(self.err())? {
                deliveries.push(Delivery {
                    id: row.get(0),
                    sink: row.get(2),
                    attempts: count(row.get(3)),
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
        let mut conn = self.conn()?;
        // A row another instance is claiming this instant is skipped, not
        // waited for: it will be that instance's.
        let n_claimed = conn
            .execute(
                "UPDATE deliveries SET claimed_by = $2, claimed_until = $4 WHERE id = (\
                 SELECT id FROM deliveries WHERE id = $1 AND state = 'pending' \
                 AND next_attempt_at <= $3 \
                 AND (claimed_until IS NULL OR claimed_until <= $3 OR claimed_by = $2) \
                 FOR UPDATE SKIP LOCKED)",
                &[&delivery_id, &instance, &now, &until],
            )
            .map_err(self.err())?;
        Ok(n_claimed == 1)
    }

    fn next_delivery_at(&self) -> Result<Option<DateTime<Utc>>, Error> {
        let mut conn = self.conn()?;
        // A claimed delivery is due again when its claim runs out.
        let row = conn
            .query_one(
                "SELECT min(greatest(next_attempt_at, claimed_until)) FROM deliveries \
                 WHERE state = 'pending'",
                &[],
            )
            .map_err(self.err())?;
        Ok(row.get(0))
    }

    fn delivery_succeeded(&self, delivery_id: i64, now: DateTime<Utc>) -> Result<(), Error> {
        let mut conn = self.conn()?;
        conn.execute(
            "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = $2, \
             last_error = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = $1",
            &[&delivery_id, &now],
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
        let mut conn = self.conn()?;
        match retry_at {
            Some(retry_at) => conn.execute(
                "UPDATE deliveries SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, \
                 claimed_by = NULL, claimed_until = NULL WHERE id = $1",
                &[&delivery_id, &error, &retry_at],
            ),
            None => conn.execute(
                "UPDATE deliveries SET state = 'dead', attempts = attempts + 1, last_error = $2, \
                 claimed_by = NULL, claimed_until = NULL WHERE id = $1",
                &[&delivery_id, &error],
            ),
        }
        .map_err(self.err())?;
        Ok(())
    }

    fn delivered_since(&self, sink: &str, since: DateTime<Utc>) -> Result<usize, Error> {
        let mut conn = self.conn()?;
        let n: i64 = conn
            .query_one(
                "SELECT count(*) FROM deliveries WHERE sink = $1 AND state = 'delivered' \
                 AND delivered_at >= $2",
                &[&sink, &since],
            )
            .map_err(self.err())?
            .get(0);
        Ok(usize::try_from(n).unwrap_or(0))
    }

    fn digest_delivered(
        &self,
        delivery_ids: &[i64],
        digest_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let mut conn = self.conn()?;
        conn.execute(
            "UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = $2, \
             last_error = NULL, digest_id = $3, claimed_by = NULL, claimed_until = NULL \
             WHERE id = ANY($1)",
            &[&delivery_ids, &now, &digest_id],
        )
        .map_err(self.err())?;
        Ok(())
    }
}
