//! SQLite store (WAL, numbered migrations): feeds and their poll state,
//! seen entries, articles, matches, mentions, observations, figure state,
//! alerts and their deliveries (the outbox). One article is written in one
//! transaction, so a crash loses nothing and duplicates nothing. Figure
//! state is kept per (watch, figure, claimant): one claimant, `""`, unless
//! the figure is `by_source`; observations and alerts carry who claimed the
//! value and its kind and unit.
//!
//! The store is one SQLite connection behind a mutex, used from blocking
//! threads (`spawn_blocking`); readers such as the CLI open their own
//! connections, which WAL lets run beside the daemon's writes. It is the only
//! module that knows SQL, so a second backend (PostgreSQL) can live here.

mod feeds;
mod outbox;
mod queries;
mod record;
mod retention;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;

pub use feeds::{EntryRecord, FeedState, PollResult};
pub use queries::{AlertSummary, ArticleSummary, DeliveryState, FigureSummary, HistoryRow};
pub use record::{NewArticle, Recorded, WatchReading};
pub use retention::{PRUNE_BATCH, Pruned};

/// Numbered migrations, applied in order under `PRAGMA user_version`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_known_figures.sql"),
    include_str!("migrations/0003_articles_fts.sql"),
    include_str!("migrations/0004_claims.sql"),
];

/// How long a connection waits for another's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// What went wrong in the store. Each variant names the database file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be opened or configured.
    #[error("{path}: cannot open database: {source}")]
    Open {
        /// Database file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// A migration failed; the database is left at the previous version.
    #[error("{path}: migration {version} failed: {source}")]
    Migrate {
        /// Database file.
        path: PathBuf,
        /// The migration's number.
        version: usize,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The database is newer than this figwatch.
    #[error(
        "{path}: database schema version {found} is newer than this figwatch knows ({known}); upgrade figwatch"
    )]
    TooNew {
        /// Database file.
        path: PathBuf,
        /// Version in the file.
        found: usize,
        /// Newest version known.
        known: usize,
    },
    /// A store call was abandoned because the runtime is shutting down; its
    /// transaction was not committed.
    #[error("{path}: store call interrupted by shutdown")]
    Interrupted {
        /// Database file.
        path: PathBuf,
    },
    /// A query failed.
    #[error("{path}: {source}")]
    Sqlite {
        /// Database file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

/// A handle on the database; cheap to clone, shared by all tasks.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Store, Error> {
        let open_err = |source| Error::Open {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty() && !p.exists())
        {
            std::fs::create_dir_all(parent)
                .map_err(|err| open_err(rusqlite::Error::ToSqlConversionFailure(Box::new(err))))?;
        }
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        migrate(&mut conn, path)?;
        Ok(Store {
            path: path.to_path_buf(),
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a transaction half
        // applied (rusqlite rolls back on drop), so a poisoned lock is safe
        // to reuse.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |source| Error::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Runs `PRAGMA integrity_check`; `Ok(true)` when the database is sound.
    pub fn integrity_check(&self) -> Result<bool, Error> {
        let conn = self.lock();
        let result: String = conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(self.err())?;
        Ok(result == "ok")
    }

    /// Checks the database takes writes (for health checks).
    pub fn writable(&self) -> Result<(), Error> {
        let conn = self.lock();
        conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
            .map_err(self.err())
    }
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), Error> {
    let user_version = |conn: &Connection| -> rusqlite::Result<usize> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        Ok(usize::try_from(version).unwrap_or(usize::MAX))
    };
    let version = user_version(conn).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    })?;
    if version > MIGRATIONS.len() {
        return Err(Error::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    // Up to date (every open but the first): no write lock is taken, so a
    // reader such as `figwatch figures` never waits for the daemon's writes.
    for (idx, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let number = idx + 1;
        let migrate_err = |source| Error::Migrate {
            path: path.to_path_buf(),
            version: number,
            source,
        };
        // SQLite's procedure for rebuilding a table others refer to (a key
        // cannot be altered): foreign keys off while the migration runs (the
        // pragma is a no-op inside a transaction, so it is set outside), and
        // checked before it commits.
        conn.pragma_update(None, "foreign_keys", "OFF")
            .map_err(migrate_err)?;
        let applied = apply_migration(conn, number, sql).map_err(migrate_err);
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(migrate_err)?;
        applied?;
    }
    Ok(())
}

/// Applies migration `number` in one write transaction unless another
/// process has applied it meanwhile; fails, leaving the database as it was,
/// when the migrated rows break a foreign key.
fn apply_migration(conn: &mut Connection, number: usize, sql: &str) -> rusqlite::Result<()> {
    // Take the write lock before looking again: another process opening the
    // same new database may have applied this migration meanwhile.
    let tx = write_transaction(conn)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if usize::try_from(version).unwrap_or(usize::MAX) >= number {
        return Ok(());
    }
    tx.execute_batch(sql)?;
    let n_broken: i64 =
        tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
            row.get(0)
        })?;
    if n_broken > 0 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(format!("{n_broken} row(s) break a foreign key")),
        ));
    }
    tx.pragma_update(None, "user_version", number as i64)?;
    tx.commit()
}

/// A time as stored: RFC 3339, UTC, milliseconds, `Z`.
pub(crate) fn time_text(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Inverse of [`time_text`]; tolerant of other RFC 3339 forms.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

fn opt_time(text: Option<String>) -> Option<DateTime<Utc>> {
    text.as_deref().and_then(parse_time)
}

/// Kinds of alert (DESIGN.md "Alert JSON").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertKind {
    /// A figure's value changed.
    #[default]
    FigureChanged,
    /// A figure was seen for the first time and baseline did not apply.
    FigureFirstSeen,
    /// A watch matched a new article (`new_articles = true`).
    ArticleMatched,
    /// A feed has failed for longer than `failing_after`.
    FeedFailing,
    /// A feed that was failing works again.
    FeedRecovered,
    /// `figwatch test-sink`.
    Test,
    /// Several alerts sent as one message by a sink's rate limit; made at
    /// send time, never stored.
    Digest,
}

impl AlertKind {
    /// The `kind` string of the alert JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::FigureChanged => "figure_changed",
            AlertKind::FigureFirstSeen => "figure_first_seen",
            AlertKind::ArticleMatched => "article_matched",
            AlertKind::FeedFailing => "feed_failing",
            AlertKind::FeedRecovered => "feed_recovered",
            AlertKind::Test => "test",
            AlertKind::Digest => "digest",
        }
    }

    /// Inverse of [`AlertKind::as_str`].
    pub fn from_name(name: &str) -> Option<AlertKind> {
        Some(match name {
            "figure_changed" => AlertKind::FigureChanged,
            "figure_first_seen" => AlertKind::FigureFirstSeen,
            "article_matched" => AlertKind::ArticleMatched,
            "feed_failing" => AlertKind::FeedFailing,
            "feed_recovered" => AlertKind::FeedRecovered,
            "test" => AlertKind::Test,
            "digest" => AlertKind::Digest,
            _ => return None,
        })
    }
}

/// An article as alerts and the CLI show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRef {
    /// Canonical URL.
    pub url: String,
    /// Headline.
    pub title: String,
    /// Source: the feed's name (or title).
    pub source: String,
    /// Published time, when known.
    pub published_at: Option<DateTime<Utc>>,
}

/// One stored observation of a figure, with its article.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservationRow {
    /// Value (a range's midpoint).
    pub value: f64,
    /// Lower bound.
    pub low: Option<f64>,
    /// Upper bound.
    pub high: Option<f64>,
    /// How the value is qualified.
    pub qualifier: crate::figures::Qualifier,
    /// The mention as written.
    pub text: String,
    /// The sentence it stands in.
    pub quote: String,
    /// What the value measures (count, money, percent, measure).
    pub kind: crate::figures::Kind,
    /// Its unit: an ISO currency, "%", a measurement unit; `None` for counts
    /// and where the text gave none.
    pub unit: Option<String>,
    /// Who the article attributes the value to, when it says.
    pub claimed_by: Option<String>,
    /// The article it came from.
    pub article: ArticleRef,
}

/// An alert row with everything needed to render it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRow {
    /// Stable id (a ULID), the same across retries.
    pub id: String,
    /// What happened.
    pub kind: AlertKind,
    /// When the alert was created.
    pub created_at: DateTime<Utc>,
    /// Watch name ("" for feed and test alerts).
    pub watch: String,
    /// Figure name, for figure alerts.
    pub figure: Option<String>,
    /// For a `by_source` figure's alert, the claimant whose state it is
    /// (`""`: numbers attributed to nobody); `None` for every other alert.
    pub claimant: Option<String>,
    /// The state before (figure_changed).
    pub previous: Option<ObservationRow>,
    /// The new observation (figure alerts).
    pub current: Option<ObservationRow>,
    /// current - previous and its ratio to previous.
    pub change: Option<(f64, Option<f64>)>,
    /// The matched article (article_matched).
    pub article: Option<ArticleRef>,
    /// Free text for feed_failing / feed_recovered / test alerts.
    pub message: Option<String>,
}

/// A delivery due for sending: one alert through one sink.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// Row id of the delivery.
    pub id: i64,
    /// Sink name.
    pub sink: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// The alert.
    pub alert: AlertRow,
}

/// Opens a write transaction that takes SQLite's write lock up front
/// (IMMEDIATE), so a second writer (`once` beside `run`) waits on the busy
/// timeout instead of failing on a read-to-write lock upgrade.
fn write_transaction(conn: &mut Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

#[cfg(test)]
mod tests;
