//! Read-only queries behind `figwatch figures`, `history`, `articles` and
//! `alerts`.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::outbox::load_alert;
use super::{AlertRow, Error, ObservationRow, Store, opt_time};
use crate::figures::{Kind, Qualifier};

/// A tracked figure's current value.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSummary {
    /// Watch name.
    pub watch: String,
    /// Figure name.
    pub figure: String,
    /// The claimant whose state this is, for a `by_source` figure; `""`
    /// for other figures and for numbers attributed to nobody.
    pub claimant: String,
    /// The current state.
    pub current: ObservationRow,
    /// The value before it, if any (the newest older observation with a
    /// different value).
    pub previous_value: Option<f64>,
    /// When the state last moved.
    pub updated_at: Option<DateTime<Utc>>,
}

/// One observation in a figure's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    /// The observation.
    pub observation: ObservationRow,
    /// What it did: first_seen, changed, filtered, unchanged, older,
    /// baseline, or other_unit (a value in another unit or kind than the
    /// state's: history only).
    pub decision: String,
    /// The state it was compared with: the claimant of a `by_source`
    /// figure, `""` otherwise.
    pub claimant: String,
    /// The time it is ordered by (published, else fetched).
    pub observed_at: Option<DateTime<Utc>>,
}

/// A matched article.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleSummary {
    /// Canonical URL.
    pub url: String,
    /// Headline.
    pub title: String,
    /// Source name.
    pub source: String,
    /// Published time, when known.
    pub published_at: Option<DateTime<Utc>>,
    /// Watches it matched.
    pub watches: Vec<String>,
}

/// One sink's delivery state for an alert.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryState {
    /// Sink name.
    pub sink: String,
    /// pending, delivered or dead.
    pub state: String,
    /// Attempts made.
    pub attempts: u32,
    /// Last error, if the last attempt failed.
    pub last_error: Option<String>,
}

/// An alert with its deliveries.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertSummary {
    /// The alert.
    pub alert: AlertRow,
    /// Its deliveries.
    pub deliveries: Vec<DeliveryState>,
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
        article: super::ArticleRef {
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
const N_OBSERVATION_COLUMNS: usize = 13;

impl Store {
    /// Current value of every tracked figure (one row per claimant of a
    /// `by_source` figure), optionally of one watch, ordered by watch,
    /// figure and claimant.
    pub fn figures(&self, watch: Option<&str>) -> Result<Vec<FigureSummary>, Error> {
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

    /// Every observation of one figure (of every claimant), oldest (by
    /// publication) first.
    pub fn history(&self, watch: &str, figure: &str) -> Result<Vec<HistoryRow>, Error> {
        let conn = self.lock();
        let sql = format!(
            "SELECT o.decision, o.observed_at, o.claimant, {OBSERVATION_COLUMNS} FROM observations o \
             JOIN articles a ON a.id = o.article_id WHERE o.watch = ?1 AND o.figure = ?2 \
             ORDER BY o.observed_at, o.id"
        );
        let mut stmt = conn.prepare(&sql).map_err(self.err())?;
        stmt.query_map(params![watch, figure], |row| {
            Ok(HistoryRow {
                decision: row.get(0)?,
                observed_at: opt_time(row.get(1)?),
                claimant: row.get(2)?,
                observation: observation_from(row, 3)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(self.err())
    }

    /// Matched articles, newest first. `search` is an SQLite FTS5 query
    /// over title and text (words, `"phrases"`, `AND`/`OR`/`NOT`, `prefix*`);
    /// text that is not valid FTS5 syntax is matched as a case-insensitive
    /// substring instead.
    pub fn articles(
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

    /// Recent alerts, newest first, with their deliveries; `failed_only`
    /// keeps alerts with a delivery that is dead or has failed at least once.
    pub fn alerts(&self, limit: usize, failed_only: bool) -> Result<Vec<AlertSummary>, Error> {
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
        Search::Substring(text) => {
            let escaped = text
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            (
                "(a.title LIKE ?2 ESCAPE '\\' OR a.text LIKE ?2 ESCAPE '\\')",
                Some(format!("%{escaped}%")),
            )
        }
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
