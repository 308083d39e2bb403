//! Moving up: copies a SQLite store into an empty PostgreSQL one (`figwatch
//! migrate-store`), keeping every id, so the history, the figure states and
//! the delivery state of every alert carry over and nothing is sent twice.
//! Leases and claims are not copied: they belong to the processes of the
//! old database, which must be stopped first.

use std::path::Path;

use chrono::{DateTime, Utc};
use postgres::types::ToSql;

use super::postgres::Postgres;
use super::sqlite::Sqlite;
use super::{Backend, Error, Queries, parse_time};

/// How a column is read from SQLite and written to PostgreSQL.
#[derive(Debug, Clone, Copy)]
enum Column {
    /// Text.
    Text(&'static str),
    /// A 64-bit integer (ids, offsets).
    Int(&'static str),
    /// A count PostgreSQL keeps as `integer`.
    Count(&'static str),
    /// A float.
    Float(&'static str),
    /// SQLite's 0/1 as a boolean.
    Bool(&'static str),
    /// RFC 3339 text as `timestamptz` (text that is not a time is NULL).
    Time(&'static str),
}

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::Text(name)
            | Column::Int(name)
            | Column::Count(name)
            | Column::Float(name)
            | Column::Bool(name)
            | Column::Time(name) => name,
        }
    }
}

use Column::{Bool, Count, Float, Int, Text, Time};

/// The tables in an order foreign keys allow, with the columns copied.
const TABLES: &[(&str, &[Column])] = &[
    (
        "feeds",
        &[
            Int("id"),
            Text("url"),
            Text("title"),
            Text("etag"),
            Text("last_modified"),
            Time("next_poll_at"),
            Time("last_polled_at"),
            Time("last_success_at"),
            Bool("polled_ok"),
            Count("failures"),
            Time("failing_since"),
            Bool("failing_alerted"),
            Text("last_error"),
            Text("moved_to"),
        ],
    ),
    (
        "articles",
        &[
            Int("id"),
            Text("url"),
            Text("title"),
            Text("text"),
            Text("content_hash"),
            Text("source"),
            Int("feed_id"),
            Time("published_at"),
            Time("fetched_at"),
            Time("sort_at"),
            Count("revision"),
            Time("revised_at"),
        ],
    ),
    (
        "entries",
        &[
            Int("id"),
            Int("feed_id"),
            Text("key"),
            Text("url"),
            Text("title"),
            Time("published_at"),
            Time("seen_at"),
            Text("status"),
            Count("attempts"),
            Text("error"),
            Int("article_id"),
            Text("hash"),
        ],
    ),
    ("matches", &[Int("article_id"), Text("watch")]),
    (
        "mentions",
        &[
            Int("id"),
            Int("article_id"),
            Bool("in_title"),
            Float("value"),
            Float("low"),
            Float("high"),
            Text("qualifier"),
            Text("kind"),
            Text("text"),
            Text("noun"),
            Text("sentence"),
            Int("start"),
            Int("end"),
            Text("unit"),
            Text("event"),
            Text("owner"),
            Text("claimed_by"),
            Float("previous"),
            Bool("increment"),
        ],
    ),
    (
        "observations",
        &[
            Int("id"),
            Int("article_id"),
            Text("watch"),
            Text("figure"),
            Text("claimant"),
            Count("revision"),
            Float("value"),
            Float("low"),
            Float("high"),
            Text("qualifier"),
            Text("kind"),
            Text("unit"),
            Text("claimed_by"),
            Float("previous"),
            Text("event"),
            Text("owner"),
            Text("text"),
            Text("quote"),
            Text("decision"),
            Time("observed_at"),
        ],
    ),
    (
        "figure_state",
        &[
            Text("watch"),
            Text("figure"),
            Text("claimant"),
            Int("observation_id"),
            Time("updated_at"),
        ],
    ),
    (
        "known_figures",
        &[
            Text("watch"),
            Text("figure"),
            Time("first_seen_at"),
            Bool("baseline"),
        ],
    ),
    (
        "alerts",
        &[
            Text("id"),
            Text("kind"),
            Time("created_at"),
            Text("watch"),
            Text("figure"),
            Int("previous_observation_id"),
            Int("current_observation_id"),
            Int("article_id"),
            Float("change_absolute"),
            Float("change_relative"),
            Text("message"),
            Text("claimant"),
            Text("feed_url"),
            Count("feed_failures"),
            Time("feed_failing_since"),
            Text("feed_error"),
        ],
    ),
    (
        "deliveries",
        &[
            Int("id"),
            Text("alert_id"),
            Text("sink"),
            Text("state"),
            Count("attempts"),
            Time("next_attempt_at"),
            Text("last_error"),
            Time("delivered_at"),
            Text("digest_id"),
        ],
    ),
];

/// The tables whose ids are identity columns, to be moved past the copied ids.
const IDENTITY_TABLES: &[&str] = &[
    "feeds",
    "articles",
    "entries",
    "mentions",
    "observations",
    "deliveries",
];

/// What was copied: rows per table, in copy order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    /// (table, rows).
    pub tables: Vec<(&'static str, u64)>,
}

/// Copies the SQLite store at `from` (migrated first) into the PostgreSQL
/// database at `url`, which must hold no figwatch rows yet. One
/// transaction: a failure leaves the target as it was. Refused while an
/// instance on the SQLite file has sent a heartbeat within `live_within`.
pub fn sqlite_to_postgres(
    from: &Path,
    url: &str,
    password: Option<&str>,
    live_within: std::time::Duration,
) -> Result<Copied, Error> {
    let source = Sqlite::open(from)?;
    let since = Utc::now() - chrono::Duration::from_std(live_within).unwrap_or_default();
    if let Some(live) = source.live_instances(since)?.first() {
        return Err(Error::Open {
            database: source.database().to_string(),
            source: format!(
                "figwatch instance {} on {} (pid {}) is running on it; stop it first",
                live.id, live.hostname, live.pid
            )
            .into(),
        });
    }
    let target = Postgres::connect(url, password, 1)?;
    let mut conn = target.conn()?;
    let mut tx = conn.transaction().map_err(target.err())?;
    let n_rows: i64 = tx
        .query_one(
            "SELECT (SELECT count(*) FROM feeds) + (SELECT count(*) FROM articles) \
             + (SELECT count(*) FROM alerts)",
            &[],
        )
        .map_err(target.err())?
        .get(0);
    if n_rows > 0 {
        return Err(Error::Open {
            database: target.database().to_string(),
            source: "the database already holds figwatch rows; copy into an empty one".into(),
        });
    }
    let reader = source.lock();
    let mut copied = Copied::default();
    for (table, columns) in TABLES {
        let names: Vec<String> = columns
            .iter()
            .map(|column| format!("\"{}\"", column.name()))
            .collect();
        let placeholders: Vec<String> = (1..=columns.len()).map(|idx| format!("${idx}")).collect();
        let insert = tx
            .prepare(&format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                placeholders.join(", ")
            ))
            .map_err(target.err())?;
        let mut select = reader
            .prepare(&format!("SELECT {} FROM {table}", names.join(", ")))
            .map_err(source.err())?;
        let mut rows = select.query([]).map_err(source.err())?;
        let mut n_copied = 0;
        while let Some(row) = rows.next().map_err(source.err())? {
            let values = columns
                .iter()
                .enumerate()
                .map(|(idx, column)| value(row, idx, *column))
                .collect::<rusqlite::Result<Vec<Box<dyn ToSql + Sync>>>>()
                .map_err(source.err())?;
            let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(AsRef::as_ref).collect();
            tx.execute(&insert, &params).map_err(target.err())?;
            n_copied += 1;
        }
        copied.tables.push((table, n_copied));
    }
    for table in IDENTITY_TABLES {
        tx.execute(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            ),
            &[],
        )
        .map_err(target.err())?;
    }
    tx.commit().map_err(target.err())?;
    Ok(copied)
}

/// Column `idx` of `row` as PostgreSQL takes it.
fn value(
    row: &rusqlite::Row<'_>,
    idx: usize,
    column: Column,
) -> rusqlite::Result<Box<dyn ToSql + Sync>> {
    Ok(match column {
        Text(_) => Box::new(row.get::<_, Option<String>>(idx)?),
        Int(_) => Box::new(row.get::<_, Option<i64>>(idx)?),
        Count(_) => Box::new(
            row.get::<_, Option<i64>>(idx)?
                .map(|n| i32::try_from(n).unwrap_or(i32::MAX)),
        ),
        Float(_) => Box::new(row.get::<_, Option<f64>>(idx)?),
        Bool(_) => Box::new(row.get::<_, Option<i64>>(idx)?.map(|n| n != 0)),
        Time(_) => {
            let time: Option<DateTime<Utc>> = row
                .get::<_, Option<String>>(idx)?
                .as_deref()
                .and_then(parse_time);
            Box::new(time)
        }
    })
}
