//! What only the SQLite backend has: its file, its migrations under
//! `PRAGMA user_version`.

use super::*;

#[test]
fn open_migrates_once_and_reopens() {
    let (dir, store) = open();
    assert!(store.integrity_check().unwrap());
    drop(store);
    let store = Store::open(&dir.path().join("sub/figwatch.db")).unwrap();
    let version: i64 = sqlite_conn(&dir)
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version as usize, sqlite::MIGRATIONS.len());
    store.writable().unwrap();
}

#[test]
fn database_newer_than_the_code_is_refused() {
    let (dir, store) = open();
    sqlite_conn(&dir)
        .pragma_update(None, "user_version", 99)
        .unwrap();
    drop(store);
    let err = Store::open(&dir.path().join("sub/figwatch.db")).unwrap_err();
    assert!(
        err.to_string().contains("schema version 99 is newer"),
        "{err}"
    );
}

#[test]
fn migration_two_treats_already_observed_pairs_as_known() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(sqlite::MIGRATIONS[0]).unwrap();
        conn.execute_batch(
            "INSERT INTO feeds (id, url) VALUES (1, 'https://news.example/rss');
             INSERT INTO articles (id, url, title, text, content_hash, source, fetched_at, sort_at)
               VALUES (1, 'https://news.example/a', 't', 'x', 'h', 's', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
             INSERT INTO observations (article_id, watch, figure, value, qualifier, text, quote, decision, observed_at)
               VALUES (1, 'nk', 'troops', 1.0, 'exact', '1 troops', '1 troops', 'first_seen', '2025-01-01T00:00:00.000Z');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.register_figures(&[watch()], true, at(2)).unwrap(), 0);
    // Migration three indexes the articles already stored.
    let found = store.articles(None, Some("x"), 10).unwrap();
    assert_eq!(found.len(), 1);
}

/// A store with one figure-changed alert due for its two sinks.
fn one_alert_due(store: &Store) {
    let feed = store.feed("https://news.example/rss").unwrap();
    let watch = watch();
    record(store, feed.id, &watch, article("a", 10_000.0, 1).baseline());
    record(store, feed.id, &watch, article("b", 11_000.0, 5));
    assert_eq!(store.due_deliveries(at(30), 10).unwrap().len(), 2);
}

#[test]
fn an_alert_of_a_kind_this_version_does_not_know_is_skipped_not_sent_as_a_test() {
    let (dir, store) = open();
    one_alert_due(&store);
    sqlite_conn(&dir)
        .execute("UPDATE alerts SET kind = 'figure_vanished'", [])
        .unwrap();
    assert!(store.due_deliveries(at(30), 10).unwrap().is_empty());
    assert!(store.alerts(10, false).unwrap().is_empty());
    if let Some(db) = pg::TestDatabase::new() {
        one_alert_due(&db.store);
        let mut client = ::postgres::Client::connect(&db.url(), ::postgres::NoTls).unwrap();
        client
            .execute("UPDATE alerts SET kind = 'figure_vanished'", &[])
            .unwrap();
        assert!(db.store.due_deliveries(at(30), 10).unwrap().is_empty());
        assert!(db.store.alerts(10, false).unwrap().is_empty());
    }
}

#[test]
fn a_stored_time_that_does_not_parse_is_never_read_as_1970() {
    let (dir, store) = open();
    one_alert_due(&store);
    let conn = sqlite_conn(&dir);
    conn.execute("UPDATE alerts SET created_at = 'yesterday'", [])
        .unwrap();
    assert!(store.due_deliveries(at(30), 10).unwrap().is_empty());

    store
        .heartbeat(&Instance {
            id: "a".to_string(),
            hostname: "h".to_string(),
            pid: 1,
            started_at: at(1),
            heartbeat_at: at(2),
        })
        .unwrap();
    conn.execute("UPDATE instances SET started_at = 'never'", [])
        .unwrap();
    assert!(store.live_instances(at(1)).unwrap().is_empty());

    // The figure's current observation: comparing a new article with a
    // made-up 1970 would call it newer; the article is not recorded.
    conn.execute("UPDATE observations SET observed_at = 'soon'", [])
        .unwrap();
    let feed = store.feed("https://news.example/rss").unwrap();
    let watch = watch();
    let new_article = NewArticle {
        feed_id: feed.id,
        entry: EntryRecord {
            key: "c",
            url: Some("https://news.example/c"),
            title: "c",
            published_at: Some(at(6)),
            hash: None,
        },
        url: "https://news.example/c",
        title: "c",
        text: "Officials counted 12000 troops.",
        source: "Test Wire",
        published_at: Some(at(6)),
        fetched_at: at(20),
        watches: vec![WatchReading {
            watch: &watch,
            reading: reading(12_000.0),
            sinks: vec!["hook"],
        }],
        baseline: false,
        revised_at: None,
    };
    let err = store.record_article(&new_article).unwrap_err();
    assert!(err.to_string().contains("\"soon\""), "{err}");
}

/// The store blocks, so a call on a thread that drives async tasks is a
/// bug: PostgreSQL's client panics there by itself, and SQLite, in debug
/// builds, panics the same way instead of stalling the worker. The same
/// call off the workers (here `spawn_blocking`) works.
#[cfg(debug_assertions)]
#[test]
fn a_store_call_on_an_async_worker_panics_and_off_it_works() {
    let (_dir, store) = open();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    let on_worker = store.clone();
    let result = runtime.block_on(async move {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| on_worker.feeds()))
    });
    assert!(
        result.is_err(),
        "a store call on an async worker must panic"
    );
    let off_worker = runtime.block_on(runtime.spawn_blocking(move || store.feeds()));
    assert!(off_worker.unwrap().unwrap().is_empty());
}
