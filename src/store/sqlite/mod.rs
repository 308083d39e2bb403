//! The SQLite backend: one file in WAL mode, `PRAGMA foreign_keys=ON`,
//! numbered migrations in `migrations/` under `PRAGMA user_version`. One
//! connection behind a mutex, used from blocking threads; readers such as
//! the CLI open their own, which WAL lets run beside the daemon's writes.
//! Every write transaction takes the write lock up front (IMMEDIATE), which
//! is what makes a lease or a claim atomic between processes on one file.

mod feeds;
mod outbox;
mod queries;
mod record;
mod retention;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::{
    AlertSummary, ArticleSummary, Backend, Delivery, EntryRecord, EntryStatus, Error, FeedState,
    FigureSummary, HistoryRow, Instance, Lease, NewArticle, PollResult, Recorded,
};

/// Numbered migrations, applied in order under `PRAGMA user_version`.
pub(super) const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_known_figures.sql"),
    include_str!("migrations/0003_articles_fts.sql"),
    include_str!("migrations/0004_claims.sql"),
    include_str!("migrations/0005_claims_of_work.sql"),
    include_str!("migrations/0006_revisions.sql"),
];

/// How long a connection waits for another's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A SQLite database file.
#[derive(Debug)]
pub(super) struct Sqlite {
    name: String,
    conn: Mutex<Connection>,
}

impl Sqlite {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub(super) fn open(path: &Path) -> Result<Sqlite, Error> {
        let name = path.display().to_string();
        let open_err = |source: rusqlite::Error| Error::Open {
            database: name.clone(),
            source: Box::new(source),
        };
        if let Some(parent) = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty() && !p.exists())
        {
            std::fs::create_dir_all(parent).map_err(|err| Error::Open {
                database: name.clone(),
                source: Box::new(err),
            })?;
        }
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        retry_busy(|| conn.pragma_update(None, "journal_mode", "WAL")).map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        migrate(&mut conn, &name)?;
        Ok(Sqlite {
            name,
            conn: Mutex::new(conn),
        })
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Connection> {
        super::blocking::assert_may_block();
        // A panic while holding the lock cannot leave a transaction half
        // applied (rusqlite rolls back on drop), so a poisoned lock is safe
        // to reuse.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |source| Error::Sqlite {
            database: self.name.clone(),
            source,
        }
    }
}

/// Runs `step` of opening the database again while SQLite answers "busy",
/// until the busy timeout. Switching a new file into WAL takes an exclusive
/// lock, and reading a WAL file another process is just creating can meet
/// its recovery; for neither does SQLite call the busy handler, so several
/// processes opening one new file together (`once` beside `run`, instances
/// started at once) would be told "database is locked" at once.
fn retry_busy<T>(mut step: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match step() {
            Err(rusqlite::Error::SqliteFailure(err, _))
                if err.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            result => return result,
        }
    }
}

fn migrate(conn: &mut Connection, name: &str) -> Result<(), Error> {
    let user_version = |conn: &Connection| -> rusqlite::Result<usize> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        Ok(usize::try_from(version).unwrap_or(usize::MAX))
    };
    let version = retry_busy(|| user_version(conn)).map_err(|source| Error::Open {
        database: name.to_string(),
        source: Box::new(source),
    })?;
    if version > MIGRATIONS.len() {
        return Err(Error::TooNew {
            database: name.to_string(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    // Up to date (every open but the first): no write lock is taken, so a
    // reader such as `figwatch figures` never waits for the daemon's writes.
    for (idx, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let number = idx + 1;
        let migrate_err = |source: rusqlite::Error| Error::Migrate {
            database: name.to_string(),
            version: number,
            source: Box::new(source),
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

/// A stored time read back as a time: one that does not parse is an error
/// (a column named by `column_idx`), never a made-up time such as 1970.
pub(super) fn stored_time(text: &str, column_idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    super::parse_time(text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column_idx,
            rusqlite::types::Type::Text,
            format!("stored time {text:?} is not RFC 3339").into(),
        )
    })
}

/// Opens a write transaction that takes SQLite's write lock up front
/// (IMMEDIATE), so a second writer (`once` beside `run`) waits on the busy
/// timeout instead of failing on a read-to-write lock upgrade.
pub(super) fn write_transaction(
    conn: &mut Connection,
) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

impl Backend for Sqlite {
    fn database(&self) -> &str {
        &self.name
    }

    fn backend_name(&self) -> &'static str {
        "sqlite"
    }

    fn connections(&self) -> u32 {
        1
    }

    fn integrity_check(&self) -> Result<bool, Error> {
        let conn = self.lock();
        let result: String = conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(self.err())?;
        Ok(result == "ok")
    }

    fn writable(&self) -> Result<(), Error> {
        let conn = self.lock();
        conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
            .map_err(self.err())
    }

    fn prune(&self, cutoff: DateTime<Utc>, batch: usize) -> Result<super::Pruned, Error> {
        retention::prune(self, cutoff, batch)
    }

    fn feed(&self, url: &str) -> Result<FeedState, Error> {
        feeds::feed(self, url)
    }

    fn feeds(&self) -> Result<Vec<FeedState>, Error> {
        feeds::feeds(self)
    }

    fn lease_feed(
        &self,
        url: &str,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        due_only: bool,
    ) -> Result<Lease, Error> {
        feeds::lease_feed(self, url, instance, now, until, due_only)
    }

    fn renew_lease(
        &self,
        feed_id: i64,
        instance: &str,
        until: DateTime<Utc>,
    ) -> Result<bool, Error> {
        feeds::renew_lease(self, feed_id, instance, until)
    }

    fn release_feed(&self, feed_id: i64, instance: &str) -> Result<(), Error> {
        feeds::release_feed(self, feed_id, instance)
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
        feeds::record_poll(
            self,
            feed_id,
            result,
            now,
            next_poll_at,
            failing_after,
            sinks,
            instance,
        )
    }

    fn unseen_entries(
        &self,
        feed_id: i64,
        keys: &[&str],
        max_attempts: u32,
    ) -> Result<Vec<bool>, Error> {
        feeds::unseen_entries(self, feed_id, keys, max_attempts)
    }

    fn revisits(&self, feed_id: i64, keys: &[&str]) -> Result<Vec<Option<super::Revisit>>, Error> {
        feeds::revisits(self, feed_id, keys)
    }

    fn record_entry(
        &self,
        feed_id: i64,
        entry: &EntryRecord<'_>,
        status: EntryStatus,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        feeds::record_entry(self, feed_id, entry, status, error, now)
    }

    fn record_entries(
        &self,
        feed_id: i64,
        entries: &[EntryRecord<'_>],
        status: EntryStatus,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        feeds::record_entries(self, feed_id, entries, status, now)
    }

    fn record_article(&self, article: &NewArticle<'_>) -> Result<Recorded, Error> {
        record::record_article(self, article)
    }

    fn register_figures(
        &self,
        watches: &[crate::config::Watch],
        baseline: bool,
        now: DateTime<Utc>,
    ) -> Result<usize, Error> {
        record::register_figures(self, watches, baseline, now)
    }

    fn due_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>, Error> {
        outbox::due_deliveries(self, now, limit)
    }

    fn claim_delivery(
        &self,
        delivery_id: i64,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, Error> {
        outbox::claim_delivery(self, delivery_id, instance, now, until)
    }

    fn next_delivery_at(&self) -> Result<Option<DateTime<Utc>>, Error> {
        outbox::next_delivery_at(self)
    }

    fn delivery_succeeded(&self, delivery_id: i64, now: DateTime<Utc>) -> Result<(), Error> {
        outbox::delivery_succeeded(self, delivery_id, now)
    }

    fn delivery_failed(
        &self,
        delivery_id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), Error> {
        outbox::delivery_failed(self, delivery_id, error, retry_at)
    }

    fn delivered_since(&self, sink: &str, since: DateTime<Utc>) -> Result<usize, Error> {
        outbox::delivered_since(self, sink, since)
    }

    fn digest_delivered(
        &self,
        delivery_ids: &[i64],
        digest_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        outbox::digest_delivered(self, delivery_ids, digest_id, now)
    }

    fn figures(&self, watch: Option<&str>) -> Result<Vec<FigureSummary>, Error> {
        queries::figures(self, watch)
    }

    fn history(&self, watch: &str, figure: &str) -> Result<Vec<HistoryRow>, Error> {
        queries::history(self, watch, figure)
    }

    fn articles(
        &self,
        watch: Option<&str>,
        search: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ArticleSummary>, Error> {
        queries::articles(self, watch, search, limit)
    }

    fn alerts(&self, limit: usize, failed_only: bool) -> Result<Vec<AlertSummary>, Error> {
        queries::alerts(self, limit, failed_only)
    }

    fn heartbeat(&self, instance: &Instance) -> Result<(), Error> {
        queries::heartbeat(self, instance)
    }

    fn live_instances(&self, since: DateTime<Utc>) -> Result<Vec<Instance>, Error> {
        queries::live_instances(self, since)
    }

    fn leased_feeds(&self, instance: &str, now: DateTime<Utc>) -> Result<usize, Error> {
        queries::leased_feeds(self, instance, now)
    }

    fn holders(&self) -> Result<Vec<String>, Error> {
        queries::holders(self)
    }

    fn release_all(&self, instance: &str) -> Result<usize, Error> {
        queries::release_all(self, instance)
    }
}
