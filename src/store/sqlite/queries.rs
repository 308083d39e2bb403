//! Reads in SQLite behind `figwatch figures`, `history`, `articles` and
//! `alerts`, and the instances' heartbeat rows.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::super::Queries;
use super::super::queries::substring_pattern;
use super::super::{
    AlertSummary, ArticleSummary, DeliveryState, Error, FigureSummary, HistoryRow, Instance,
    opt_time, parse_time, time_text,
};
use super::Sqlite;
use super::outbox::{N_OBSERVATION_COLUMNS, OBSERVATION_COLUMNS, load_alert, observation_from};

impl Queries for Sqlite {
    fn figures(&self, watch: Option<&str>) -> Result<Vec<FigureSummary>, Error> {
        let conn = self.lock();
        let sql = format!(
            "SELECT s.watch, s.figure, s.claimant, s.updated_at, {OBSERVATION_COLUMNS}, \
                 (SELECT p.value FROM observations p WHERE p.watch = s.watch AND p.figure = s.figure \
                  AND p.claimant = s.claimant AND p.value != o.value \
                  AND p.decision NOT IN ('older', 'other_unit') AND p.id < o.id ORDER BY p.id DESC LIMIT 1) \
                 FROM figure_state s JOIN observations o ON o.id = s.observation_id \
                 JOIN articles a ON a.id = o.article_id \
                 WHERE ?1 IS NULL OR s.watch = ?1 ORDER BY s.watch, s.figure, s.claimant"
        );
        let mut stmt = conn.prepare(&sql).map_err(self.err())?;
        stmt.query_map([watch], |row| {
            Ok(FigureSummary {
                watch: row.get(0)?,
                figure: row.get(1)?,
                claimant: row.get(2)?,
                updated_at: opt_time(row.get(3)?),
                current: observation_from(row, 4)?,
                previous_value: row.get(4 + N_OBSERVATION_COLUMNS)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(self.err())
    }

    fn history(&self, watch: &str, figure: &str) -> Result<Vec<HistoryRow>, Error> {
        let conn = self.lock();
        let sql = format!(
            "SELECT o.decision, o.observed_at, o.claimant, o.revision, {OBSERVATION_COLUMNS} \
                 FROM observations o JOIN articles a ON a.id = o.article_id \
                 WHERE o.watch = ?1 AND o.figure = ?2 ORDER BY o.observed_at, o.id"
        );
        let mut stmt = conn.prepare(&sql).map_err(self.err())?;
        stmt.query_map(params![watch, figure], |row| {
            Ok(HistoryRow {
                decision: row.get(0)?,
                observed_at: opt_time(row.get(1)?),
                claimant: row.get(2)?,
                revision: row.get(3)?,
                observation: observation_from(row, 4)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(self.err())
    }

    fn articles(
        &self,
        watch: Option<&str>,
        search: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ArticleSummary>, Error> {
        let conn = self.lock();
        let Some(search) = search else {
            return list_articles(&conn, watch, Search::All, limit).map_err(self.err());
        };
        match list_articles(&conn, watch, Search::FullText(search), limit) {
            Ok(articles) => Ok(articles),
            // A query FTS5 cannot parse ("C++", "50%", "long-range", an
            // unbalanced quote) is still a fine substring. A failure that is
            // not about the query fails the substring search too, and that
            // error is reported.
            Err(_) => {
                list_articles(&conn, watch, Search::Substring(search), limit).map_err(self.err())
            }
        }
    }

    fn alerts(&self, limit: usize, failed_only: bool) -> Result<Vec<AlertSummary>, Error> {
        let conn = self.lock();
        let ids: Vec<String> = conn
            .prepare(
                "SELECT id FROM alerts a WHERE ?1 = 0 OR EXISTS (SELECT 1 FROM deliveries d \
                     WHERE d.alert_id = a.id AND (d.state = 'dead' OR d.last_error IS NOT NULL)) \
                     ORDER BY created_at DESC, id DESC LIMIT ?2",
            )
            .and_then(|mut stmt| {
                stmt.query_map(params![failed_only, limit as i64], |row| row.get(0))?
                    .collect()
            })
            .map_err(self.err())?;
        let mut summaries = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(alert) = load_alert(&conn, &id).map_err(self.err())? else {
                continue;
            };
            let deliveries = conn
                    .prepare_cached(
                        "SELECT sink, state, attempts, last_error FROM deliveries WHERE alert_id = ?1 ORDER BY sink",
                    )
                    .and_then(|mut stmt| {
                        stmt.query_map([&id], |row| {
                            Ok(DeliveryState {
                                sink: row.get(0)?,
                                state: row.get(1)?,
                                attempts: row.get(2)?,
                                last_error: row.get(3)?,
                            })
                        })?
                        .collect()
                    })
                    .map_err(self.err())?;
            summaries.push(AlertSummary { alert, deliveries });
        }
        Ok(summaries)
    }

    fn heartbeat(&self, instance: &Instance) -> Result<(), Error> {
        let conn = self.lock();
        conn.execute(
            "INSERT INTO instances (id, hostname, pid, started_at, heartbeat_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
            params![
                instance.id,
                instance.hostname,
                instance.pid,
                time_text(instance.started_at),
                time_text(instance.heartbeat_at)
            ],
        )
        .map_err(self.err())?;
        Ok(())
    }

    fn live_instances(&self, since: DateTime<Utc>) -> Result<Vec<Instance>, Error> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(
                "SELECT id, hostname, pid, started_at, heartbeat_at FROM instances \
                 WHERE heartbeat_at >= ?1 ORDER BY started_at, id",
            )
            .map_err(self.err())?;
        stmt.query_map([time_text(since)], |row| {
            let started_at: String = row.get(3)?;
            let heartbeat_at: String = row.get(4)?;
            let id: String = row.get(0)?;
            let (Some(started_at), Some(heartbeat_at)) =
                (parse_time(&started_at), parse_time(&heartbeat_at))
            else {
                tracing::warn!(
                    instance = id,
                    started_at,
                    heartbeat_at,
                    "Skipping an instance whose times do not parse"
                );
                return Ok(None);
            };
            Ok(Some(Instance {
                id,
                hostname: row.get(1)?,
                pid: row.get(2)?,
                started_at,
                heartbeat_at,
            }))
        })
        .and_then(|rows| rows.filter_map(Result::transpose).collect())
        .map_err(self.err())
    }

    fn leased_feeds(&self, instance: &str, now: DateTime<Utc>) -> Result<usize, Error> {
        let conn = self.lock();
        let count: i64 = conn
            .query_row(
                "SELECT count(*) FROM feeds WHERE lease_owner = ?1 AND lease_until > ?2",
                params![instance, time_text(now)],
                |row| row.get(0),
            )
            .map_err(self.err())?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    fn holders(&self) -> Result<Vec<String>, Error> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(
                "SELECT lease_owner FROM feeds WHERE lease_owner IS NOT NULL \
                 UNION SELECT claimed_by FROM deliveries WHERE claimed_by IS NOT NULL",
            )
            .map_err(self.err())?;
        stmt.query_map([], |row| row.get(0))
            .and_then(Iterator::collect)
            .map_err(self.err())
    }

    fn release_all(&self, instance: &str) -> Result<usize, Error> {
        let mut conn = self.lock();
        let tx = super::write_transaction(&mut conn).map_err(self.err())?;
        let n_feeds = tx
            .execute(
                "UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?1",
                [instance],
            )
            .map_err(self.err())?;
        let n_deliveries = tx
            .execute(
                "UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?1",
                [instance],
            )
            .map_err(self.err())?;
        tx.commit().map_err(self.err())?;
        Ok(n_feeds + n_deliveries)
    }
}

/// How `articles` filters by text.
#[derive(Debug, Clone, Copy)]
enum Search<'a> {
    All,
    FullText(&'a str),
    Substring(&'a str),
}

fn list_articles(
    conn: &rusqlite::Connection,
    watch: Option<&str>,
    search: Search<'_>,
    limit: usize,
) -> rusqlite::Result<Vec<ArticleSummary>> {
    let (condition, parameter) = match search {
        Search::All => ("?2 IS NULL", None),
        Search::FullText(query) => (
            "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?2)",
            Some(query.to_owned()),
        ),
        Search::Substring(text) => (
            "(a.title LIKE ?2 ESCAPE '\\' OR a.text LIKE ?2 ESCAPE '\\')",
            Some(substring_pattern(text)),
        ),
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT a.url, a.title, a.source, a.published_at, \
         (SELECT group_concat(m.watch, ',') FROM matches m WHERE m.article_id = a.id) \
         FROM articles a \
         WHERE (?1 IS NULL OR EXISTS (SELECT 1 FROM matches m WHERE m.article_id = a.id AND m.watch = ?1)) \
         AND {condition} \
         ORDER BY a.sort_at DESC, a.id DESC LIMIT ?3"
    ))?;
    stmt.query_map(params![watch, parameter, limit as i64], |row| {
        let watches: Option<String> = row.get(4)?;
        Ok(ArticleSummary {
            url: row.get(0)?,
            title: row.get(1)?,
            source: row.get(2)?,
            published_at: opt_time(row.get(3)?),
            watches: watches
                .map(|text| text.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    })?
    .collect()
}
