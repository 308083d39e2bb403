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

use super::{Backend, Error};

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
}
