//! `figwatch migrate-store`: a SQLite store copied into PostgreSQL reads
//! back the same, and goes on from where it was.

use super::*;

#[test]
fn a_sqlite_store_copied_into_postgres_reads_the_same_and_sends_nothing_twice() {
    let Some(db) = pg::TestDatabase::new() else {
        return;
    };
    let (dir, sqlite) = open();
    let feed = sqlite.feed("https://news.example/rss").unwrap();
    let watch = watch();
    record(&sqlite, feed.id, &watch, article("a", 10_000.0, 1));
    record(&sqlite, feed.id, &watch, article("b", 11_000.0, 5));
    let failed = PollResult::Failed {
        error: "HTTP 500".to_string(),
    };
    for day in [6, 8] {
        sqlite
            .record_poll(
                feed.id,
                &failed,
                at(day),
                at(day + 1),
                Duration::from_secs(3600),
                &["hook"],
                "old",
            )
            .unwrap();
    }
    let due = sqlite.due_deliveries(at(30), 10).unwrap();
    assert_eq!(
        due.len(),
        5,
        "two figure alerts to hook and log, feed_failing to hook"
    );
    sqlite.delivery_succeeded(due[0].id, at(21)).unwrap();
    sqlite.delivery_failed(due[1].id, "HTTP 503", None).unwrap();
    drop(sqlite);

    let path = dir.path().join("sub/figwatch.db");
    let copied =
        crate::store::copy::sqlite_to_postgres(&path, &db.url(), None, Duration::from_secs(30))
            .unwrap();
    let rows = |table: &str| {
        copied
            .tables
            .iter()
            .find(|(name, _)| *name == table)
            .unwrap()
            .1
    };
    assert_eq!(rows("articles"), 2);
    assert_eq!(rows("alerts"), 3);
    assert_eq!(rows("deliveries"), 5);

    let sqlite = Store::open(&path).unwrap();
    let postgres = &db.store;
    assert_eq!(
        postgres.figures(None).unwrap(),
        sqlite.figures(None).unwrap()
    );
    assert_eq!(
        postgres.history("nk", "troops").unwrap(),
        sqlite.history("nk", "troops").unwrap()
    );
    assert_eq!(
        postgres.alerts(50, false).unwrap(),
        sqlite.alerts(50, false).unwrap()
    );
    assert_eq!(
        postgres.articles(None, Some("troops"), 10).unwrap(),
        sqlite.articles(None, Some("troops"), 10).unwrap()
    );
    assert_eq!(postgres.feeds().unwrap(), sqlite.feeds().unwrap());
    // The delivered and the dead delivery are not due again; the rest are.
    let due_ids = |store: &Store| -> Vec<i64> {
        store
            .due_deliveries(at(30), 10)
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect()
    };
    assert_eq!(due_ids(postgres), due_ids(&sqlite));
    assert!(!due_ids(postgres).contains(&due[0].id));
    assert!(!due_ids(postgres).contains(&due[1].id));

    // The copy goes on: new rows get new ids, the state compares with the
    // copied one.
    let recorded = record(postgres, feed.id, &watch, article("c", 12_000.0, 9));
    assert_eq!(recorded.n_alerts, 1);
    assert!(recorded.article_id > 2);
    let alerts = postgres.alerts(50, false).unwrap();
    let changed = alerts
        .iter()
        .map(|summary| &summary.alert)
        .find(|alert| alert.current.as_ref().is_some_and(|c| c.value == 12_000.0))
        .unwrap();
    assert_eq!(changed.previous.as_ref().unwrap().value, 11_000.0);

    // A second copy into a database that holds rows is refused.
    let err =
        crate::store::copy::sqlite_to_postgres(&path, &db.url(), None, Duration::from_secs(30))
            .unwrap_err();
    assert!(
        err.to_string().contains("already holds figwatch rows"),
        "{err}"
    );
}

#[test]
fn a_store_with_a_live_instance_is_not_copied() {
    let Some(db) = pg::TestDatabase::new() else {
        return;
    };
    let (dir, sqlite) = open();
    sqlite
        .heartbeat(&Instance {
            id: sqlite.instance().to_string(),
            hostname: hostname(),
            pid: 1,
            started_at: Utc::now(),
            heartbeat_at: Utc::now(),
        })
        .unwrap();
    let err = crate::store::copy::sqlite_to_postgres(
        &dir.path().join("sub/figwatch.db"),
        &db.url(),
        None,
        Duration::from_secs(30),
    )
    .unwrap_err();
    assert!(err.to_string().contains("stop it first"), "{err}");
}
