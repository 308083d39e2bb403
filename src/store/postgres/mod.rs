//! The PostgreSQL backend: several figwatch instances on one database.
//!
//! Connections come from an r2d2 pool of synchronous `postgres` clients.
//! The store is called from blocking threads (`spawn_blocking`), like
//! SQLite's, so the synchronous client keeps one shape for both backends:
//! no second, async store interface, and the pool bounds the connections
//! an instance holds (`Pool::max_size`).
//!
//! Migrations are numbered as SQLite's (`migrations/`, recorded in
//! `figwatch_schema`) and run in one transaction under an advisory lock, so
//! instances started together apply each once. Work is claimed with `FOR
//! UPDATE SKIP LOCKED`: an instance never waits on a feed or a delivery
//! another is taking. A figure's state is updated under an advisory lock on
//! (watch, figure, claimant), taken for every state an article touches, in
//! one order, before any is read: two instances reading two articles about
//! one figure decide as one instance would, and cannot deadlock.

mod feeds;
mod outbox;
mod queries;
mod record;
mod retention;

use std::time::Duration;

use chrono::{DateTime, Utc};
use r2d2_postgres::PostgresConnectionManager;
use r2d2_postgres::postgres::NoTls;

use super::{Backend, Error};

/// Numbered migrations, applied in order; the version is kept in
/// `figwatch_schema`.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_revisions.sql"),
];

/// The advisory lock key migrations run under ("figwatch" in ASCII).
const MIGRATION_LOCK: i64 = 0x6669_6777_6174_6368;

/// How long getting a connection from the pool may take.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(30);

type Pool = r2d2::Pool<PostgresConnectionManager<NoTls>>;
type Connection = r2d2::PooledConnection<PostgresConnectionManager<NoTls>>;

/// A PostgreSQL database.
pub(super) struct Postgres {
    name: String,
    /// Always `Some` but while being dropped (see `Drop`).
    pool: Option<Pool>,
}

/// Closing a connection blocks on the client's own runtime, which must not
/// happen on an async worker (the daemon drops its store at the end of an
/// async function): the pool is closed on a thread of its own.
impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                // A panic while closing has nothing left to spoil.
                let _ = std::thread::spawn(move || drop(pool)).join();
            } else {
                drop(pool);
            }
        }
    }
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres")
            .field("database", &self.name)
            .finish_non_exhaustive()
    }
}

impl Postgres {
    /// Connects a pool of at most `max_connections` to `url` (with
    /// `password`, when given, over any in the URL) and migrates the
    /// database.
    pub(super) fn connect(
        url: &str,
        password: Option<&str>,
        max_connections: u32,
    ) -> Result<Postgres, Error> {
        let name = crate::config::redact_url(url);
        let open_err = |source: Box<dyn std::error::Error + Send + Sync>| Error::Open {
            database: name.clone(),
            source,
        };
        let mut config: ::postgres::Config = url.parse().map_err(|err| open_err(Box::new(err)))?;
        if let Some(password) = password {
            config.password(password);
        }
        if config.get_application_name().is_none() {
            config.application_name("figwatch");
        }
        let manager = PostgresConnectionManager::new(config, NoTls);
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            .min_idle(Some(1))
            .connection_timeout(CONNECTION_TIMEOUT)
            // A check before every loan is a round trip per store call; a
            // connection that broke is dropped when its call fails instead.
            .test_on_check_out(false)
            .build(manager)
            .map_err(|err| open_err(Box::new(err)))?;
        let db = Postgres {
            name,
            pool: Some(pool),
        };
        db.migrate()?;
        Ok(db)
    }

    pub(super) fn conn(&self) -> Result<Connection, Error> {
        let Some(pool) = &self.pool else {
            return Err(Error::Postgres {
                database: self.name.clone(),
                source: "the connection pool is closed".into(),
            });
        };
        pool.get().map_err(|err| Error::Postgres {
            database: self.name.clone(),
            source: Box::new(err),
        })
    }

    pub(super) fn err(&self) -> impl Fn(::postgres::Error) -> Error + '_ {
        move |source| Error::Postgres {
            database: self.name.clone(),
            source: Box::new(source),
        }
    }

    fn migrate(&self) -> Result<(), Error> {
        let mut conn = self.conn()?;
        let migrate_err = |version: usize| {
            move |source: ::postgres::Error| Error::Migrate {
                database: self.name.clone(),
                version,
                source: Box::new(source),
            }
        };
        let mut tx = conn.transaction().map_err(self.err())?;
        // Held to the end of the transaction: an instance starting beside
        // this one waits here, then finds the migrations applied.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .map_err(self.err())?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS figwatch_schema (version INTEGER PRIMARY KEY, \
             applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        )
        .map_err(self.err())?;
        let found: i32 = tx
            .query_one("SELECT coalesce(max(version), 0) FROM figwatch_schema", &[])
            .map_err(self.err())?
            .get(0);
        let found = usize::try_from(found).unwrap_or(0);
        if found > MIGRATIONS.len() {
            return Err(Error::TooNew {
                database: self.name.clone(),
                found,
                known: MIGRATIONS.len(),
            });
        }
        for (idx, sql) in MIGRATIONS.iter().enumerate().skip(found) {
            let number = idx + 1;
            tx.batch_execute(sql).map_err(migrate_err(number))?;
            tx.execute(
                "INSERT INTO figwatch_schema (version) VALUES ($1)",
                &[&(number as i32)],
            )
            .map_err(migrate_err(number))?;
        }
        tx.commit().map_err(self.err())
    }
}

impl Backend for Postgres {
    fn database(&self) -> &str {
        &self.name
    }

    fn backend_name(&self) -> &'static str {
        "postgres"
    }

    fn connections(&self) -> u32 {
        self.pool
            .as_ref()
            .map_or(0, |pool| pool.state().connections)
    }

    fn integrity_check(&self) -> Result<bool, Error> {
        // PostgreSQL keeps its own pages consistent; what can be checked
        // from here is that the schema is the one this figwatch knows.
        let mut conn = self.conn()?;
        let version: i32 = conn
            .query_one("SELECT max(version) FROM figwatch_schema", &[])
            .map_err(self.err())?
            .get(0);
        Ok(usize::try_from(version).ok() == Some(MIGRATIONS.len()))
    }

    fn writable(&self) -> Result<(), Error> {
        let mut conn = self.conn()?;
        let read_only: String = conn
            .query_one("SHOW transaction_read_only", &[])
            .map_err(self.err())?
            .get(0);
        if read_only == "on" {
            return Err(Error::Postgres {
                database: self.name.clone(),
                source: "the database is read-only (a standby?)".into(),
            });
        }
        Ok(())
    }

    fn prune(&self, cutoff: DateTime<Utc>, batch: usize) -> Result<super::Pruned, Error> {
        retention::prune(self, cutoff, batch)
    }
}

/// A count as PostgreSQL's `integer` holds it.
fn int(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// A stored `integer` count as figwatch counts.
fn count(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}
