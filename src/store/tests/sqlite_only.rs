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
