//! The store: feeds and their poll state, seen entries, articles, matches,
//! mentions, observations, figure state, alerts and their deliveries (the
//! outbox), and the claims several instances take on that work. One article
//! is written in one transaction, so a crash loses nothing and duplicates
//! nothing. Figure state is kept per (watch, figure, claimant): one
//! claimant, `""`, unless the figure is `by_source`; observations and alerts
//! carry who claimed the value and its kind and unit.
//!
//! Two backends share one shape, the [`Backend`] trait: `sqlite/` (the
//! default, one file, WAL) and `postgres/` (several instances on one
//! database). Each keeps its SQL in its own module; what is not SQL (the
//! rows' types, the draft of an alert, the decision an observation records)
//! lives here, beside the trait. [`Store`] is a cheap handle on one of them.
//!
//! Work is claimed in the store, so several instances (`once` beside `run`,
//! two `run`s, N instances on PostgreSQL) share it without doing it twice:
//! a feed is leased before it is polled ([`Feeds::lease_feed`]) and a
//! delivery claimed before it is sent ([`Outbox::claim_delivery`]); both
//! expire, so the work of an instance killed mid-pass passes to the others.
//!
//! The store is only called from blocking threads (`spawn_blocking`). It is
//! the only module that knows SQL.

mod blocking;
pub mod copy;
mod feeds;
mod outbox;
mod postgres;
mod queries;
mod record;
mod retention;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::config::Database;

pub use feeds::{EntryRecord, EntryStatus, FeedState, Lease, PollResult, Revisit};
pub use outbox::{AlertDraft, FeedFacts};
pub use queries::{
    AlertSummary, ArticleSummary, DeliveryState, FigureSummary, HistoryRow, Instance,
};
pub use record::{NewArticle, Recorded, WatchReading, content_hash};
pub use retention::{PRUNE_BATCH, Pruned};

/// What went wrong in the store. Each variant names the database: the
/// SQLite file, or the PostgreSQL URL without its password.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be opened or configured.
    #[error("{database}: cannot open database: {source}")]
    Open {
        /// The database.
        database: String,
        /// The backend's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A migration failed; the database is left at the previous version.
    #[error("{database}: migration {version} failed: {source}")]
    Migrate {
        /// The database.
        database: String,
        /// The migration's number.
        version: usize,
        /// The backend's error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The database is newer than this figwatch.
    #[error(
        "{database}: database schema version {found} is newer than this figwatch knows ({known}); upgrade figwatch"
    )]
    TooNew {
        /// The database.
        database: String,
        /// Version in the database.
        found: usize,
        /// Newest version known.
        known: usize,
    },
    /// A store call was abandoned because the runtime is shutting down; its
    /// transaction was not committed.
    #[error("{database}: store call interrupted by shutdown")]
    Interrupted {
        /// The database.
        database: String,
    },
    /// A query failed in SQLite.
    #[error("{database}: {source}")]
    Sqlite {
        /// The database file.
        database: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// A query failed in PostgreSQL, or no connection could be had.
    #[error("{database}: {source}")]
    Postgres {
        /// The database URL, without its password.
        database: String,
        /// The error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// A handle on the database; cheap to clone, shared by all tasks. Its
/// methods are [`Backend`]'s (it dereferences to the open backend).
///
/// Each opened store is one instance of figwatch as the others see it: the
/// leases and claims it takes carry its [`Store::instance`] id.
#[derive(Clone)]
pub struct Store {
    backend: Arc<dyn Backend>,
    instance: Arc<str>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("database", &self.backend.database())
            .field("instance", &self.instance)
            .finish()
    }
}

impl std::ops::Deref for Store {
    type Target = dyn Backend;

    fn deref(&self) -> &Self::Target {
        self.backend.as_ref()
    }
}

impl Store {
    /// Opens (creating if needed) the SQLite database at `path` and
    /// migrates it.
    pub fn open(path: &Path) -> Result<Store, Error> {
        Ok(Store::new(Arc::new(sqlite::Sqlite::open(path)?)))
    }

    fn new(backend: Arc<dyn Backend>) -> Store {
        Store {
            backend,
            instance: Arc::from(instance_id()),
        }
    }

    /// This instance's id, which its leases and claims carry.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Opens the configured database and migrates it; for PostgreSQL a
    /// pool of at most `max_connections` connections.
    pub fn connect(database: &Database, max_connections: u32) -> Result<Store, Error> {
        match database {
            Database::Sqlite(path) => Store::open(path),
            Database::Postgres { url, password } => {
                Ok(Store::new(Arc::new(postgres::Postgres::connect(
                    url,
                    password.as_ref().map(crate::config::Secret::expose),
                    max_connections,
                )?)))
            }
        }
    }
}

/// Everything figwatch asks of a database; one implementation per backend.
/// Times are UTC; `instance` is the id of the process asking (see
/// [`instance_id`]). What is asked is split by the backends' seams, one
/// trait per file each backend implements it in ([`Feeds`], [`Record`],
/// [`Outbox`], [`Queries`]); a `dyn Backend` answers them all.
pub trait Backend: Feeds + Record + Outbox + Queries {
    /// The database as errors name it.
    fn database(&self) -> &str;
    /// `sqlite` or `postgres`.
    fn backend_name(&self) -> &'static str;
    /// Connections to the database this instance holds open now.
    fn connections(&self) -> u32;
    /// Checks the database's own consistency; `Ok(true)` when sound.
    fn integrity_check(&self) -> Result<bool, Error>;
    /// Checks the database takes writes (for health checks).
    fn writable(&self) -> Result<(), Error>;

    /// One batch of retention before `cutoff` (`retention.rs` of each
    /// backend): at most `batch` rows of each kind, in one short
    /// transaction. Call again while [`Pruned::more`].
    fn prune(&self, cutoff: DateTime<Utc>, batch: usize) -> Result<Pruned, Error>;
}

/// Feeds, their leases and their entries: `feeds.rs` of each backend.
pub trait Feeds: Send + Sync {
    /// The poll state of the feed at `url`, created on first use.
    fn feed(&self, url: &str) -> Result<FeedState, Error>;
    /// Every known feed, in id order.
    fn feeds(&self) -> Result<Vec<FeedState>, Error>;
    /// Leases the feed at `url` (created on first use) to `instance` until
    /// `until`, unless another instance holds an unexpired lease, or, with
    /// `due_only`, the feed is not due at `now`.
    fn lease_feed(
        &self,
        url: &str,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        due_only: bool,
    ) -> Result<Lease, Error>;
    /// Extends `instance`'s lease on a feed to `until`; `false` when the
    /// lease is no longer its own (it expired and another took it).
    fn renew_lease(
        &self,
        feed_id: i64,
        instance: &str,
        until: DateTime<Utc>,
    ) -> Result<bool, Error>;
    /// Gives up `instance`'s lease on a feed without recording a poll.
    fn release_feed(&self, feed_id: i64, instance: &str) -> Result<(), Error>;
    /// Records how a poll ended and when the feed is next due, and releases
    /// the lease of `instance`. A failure that has lasted longer than
    /// `failing_after` raises one feed_failing alert to `sinks`; the first
    /// success after it, one feed_recovered. Returns the number of
    /// consecutive failures now recorded.
    #[allow(clippy::too_many_arguments)]
    fn record_poll(
        &self,
        feed_id: i64,
        result: &PollResult,
        now: DateTime<Utc>,
        next_poll_at: DateTime<Utc>,
        failing_after: std::time::Duration,
        sinks: &[&str],
        instance: &str,
    ) -> Result<u32, Error>;
    /// Which of `keys` this feed has not finished with: never seen, or whose
    /// article fetch failed fewer than `max_attempts` times. Parallel to `keys`.
    fn unseen_entries(
        &self,
        feed_id: i64,
        keys: &[&str],
        max_attempts: u32,
    ) -> Result<Vec<bool>, Error>;
    /// For each of `keys`, when the feed's entry is finished with an
    /// article (matched or a duplicate): its fingerprint and when its
    /// article was last fetched, so a changed entry can be revisited.
    /// Parallel to `keys`; `None` for every other entry.
    fn revisits(&self, feed_id: i64, keys: &[&str]) -> Result<Vec<Option<Revisit>>, Error>;
    /// Records an entry that produced no article (see [`EntryStatus`]).
    fn record_entry(
        &self,
        feed_id: i64,
        entry: &EntryRecord<'_>,
        status: EntryStatus,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Error>;
    /// Records `entries` with the same final `status` in one transaction.
    fn record_entries(
        &self,
        feed_id: i64,
        entries: &[EntryRecord<'_>],
        status: EntryStatus,
        now: DateTime<Utc>,
    ) -> Result<(), Error>;
}

/// One article and the figures configured: `record.rs` of each backend.
pub trait Record: Send + Sync {
    /// Records a matched article and everything that follows from it in one
    /// transaction. An article already stored under the same canonical URL
    /// or with the same text is recorded as a duplicate entry only.
    fn record_article(&self, article: &NewArticle<'_>) -> Result<Recorded, Error>;
    /// Registers each configured (watch, figure) pair the store does not
    /// know yet as first seen at `now`; returns how many were new. With
    /// `baseline`, each feed's next successful poll after `now` is the
    /// pair's baseline.
    fn register_figures(
        &self,
        watches: &[crate::config::Watch],
        baseline: bool,
        now: DateTime<Utc>,
    ) -> Result<usize, Error>;
}

/// The outbox: `outbox.rs` of each backend.
pub trait Outbox: Send + Sync {
    /// Pending deliveries due at `now` that no instance has claimed (or
    /// whose claim expired), oldest first. Claim each with
    /// [`Outbox::claim_delivery`] before sending it.
    fn due_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>, Error>;
    /// Claims a due delivery for `instance` until `until`; `false` when
    /// another instance holds it or it is no longer due (sent meanwhile).
    fn claim_delivery(
        &self,
        delivery_id: i64,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool, Error>;
    /// When the next pending delivery is due, if any.
    fn next_delivery_at(&self) -> Result<Option<DateTime<Utc>>, Error>;
    /// Marks a delivery sent; it is never sent again.
    fn delivery_succeeded(&self, delivery_id: i64, now: DateTime<Utc>) -> Result<(), Error>;
    /// Records a failed attempt: retried at `retry_at`, or dead when `None`.
    fn delivery_failed(
        &self,
        delivery_id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), Error>;
    /// How many deliveries through `sink` were delivered at or after `since`.
    fn delivered_since(&self, sink: &str, since: DateTime<Utc>) -> Result<usize, Error>;
    /// Marks deliveries sent together in the digest `digest_id`, in one
    /// transaction; none is sent again.
    fn digest_delivered(
        &self,
        delivery_ids: &[i64],
        digest_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), Error>;
}

/// Reads for the CLI and the status page, and the instances:
/// `queries.rs` of each backend.
pub trait Queries: Send + Sync {
    /// Current value of every tracked figure, optionally of one watch.
    fn figures(&self, watch: Option<&str>) -> Result<Vec<FigureSummary>, Error>;
    /// Every observation of one figure, oldest (by publication) first.
    fn history(&self, watch: &str, figure: &str) -> Result<Vec<HistoryRow>, Error>;
    /// Matched articles, newest first, optionally searched by full text.
    fn articles(
        &self,
        watch: Option<&str>,
        search: Option<&str>,
        limit: usize,
    ) -> Result<Vec<ArticleSummary>, Error>;
    /// Recent alerts, newest first, with their deliveries.
    fn alerts(&self, limit: usize, failed_only: bool) -> Result<Vec<AlertSummary>, Error>;

    /// Records that `instance` is alive at `now` (its heartbeat row).
    fn heartbeat(&self, instance: &Instance) -> Result<(), Error>;
    /// Instances whose heartbeat is at or after `since`.
    fn live_instances(&self, since: DateTime<Utc>) -> Result<Vec<Instance>, Error>;
    /// How many feeds `instance` holds an unexpired lease on at `now`.
    fn leased_feeds(&self, instance: &str, now: DateTime<Utc>) -> Result<usize, Error>;
    /// The instances holding a feed lease or a delivery claim, expired or not.
    fn holders(&self) -> Result<Vec<String>, Error>;
    /// Frees every lease and claim of `instance` (known dead); returns how
    /// many there were.
    fn release_all(&self, instance: &str) -> Result<usize, Error>;
}

/// The host and process id an instance id names ([`instance_id`]).
pub fn instance_process(instance: &str) -> Option<(&str, u32)> {
    let mut parts = instance.rsplitn(3, '-');
    let _suffix = parts.next()?;
    let pid = parts.next()?.parse().ok()?;
    let host = parts.next()?;
    Some((host, pid))
}

/// This process's instance id: host, process id and a random suffix, so a
/// restarted process is a new instance.
pub fn instance_id() -> String {
    let host = hostname();
    let suffix = ulid::Ulid::generate().to_string();
    format!(
        "{host}-{}-{}",
        std::process::id(),
        &suffix[suffix.len() - 6..]
    )
}

/// The machine's name, `localhost` when it cannot be read.
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| String::from("localhost"))
}

/// A time as SQLite stores it: RFC 3339, UTC, milliseconds, `Z`.
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

/// The kinds of alert the store keeps (DESIGN.md "Alert JSON"); those made
/// at send time and never stored (a test, a digest) are `alert`'s.
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
}

impl AlertKind {
    /// Every kind, in the order the metrics list them.
    pub const ALL: [AlertKind; 5] = [
        AlertKind::FigureChanged,
        AlertKind::FigureFirstSeen,
        AlertKind::ArticleMatched,
        AlertKind::FeedFailing,
        AlertKind::FeedRecovered,
    ];

    /// The `kind` string of the alert JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::FigureChanged => "figure_changed",
            AlertKind::FigureFirstSeen => "figure_first_seen",
            AlertKind::ArticleMatched => "article_matched",
            AlertKind::FeedFailing => "feed_failing",
            AlertKind::FeedRecovered => "feed_recovered",
        }
    }

    /// Inverse of [`AlertKind::as_str`].
    pub fn from_name(name: &str) -> Option<AlertKind> {
        AlertKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
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
    /// Watch name ("" for feed alerts).
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
    /// The facts of a feed_failing / feed_recovered alert; `alert` words
    /// them when it makes the row an `alert::Alert`.
    pub feed: Option<FeedFacts>,
    /// Raised by a revised article (its current observation read a
    /// revision): `"revision": true` in the alert JSON.
    pub revision: bool,
    /// Free text of a feed alert stored before its facts were.
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

#[cfg(test)]
mod tests;
