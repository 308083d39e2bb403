use std::time::Duration;

use chrono::TimeZone;

use super::*;
use crate::config::{Figure, Watch};
use crate::figures::{Assignment, Kind, Mention, Reading};

mod claims_of_work;
mod copy;
mod pg;
mod revisions;
mod sqlite_only;

/// A SQLite store in a new directory (a subdirectory the store creates).
fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("sub/figwatch.db")).unwrap();
    (dir, store)
}

/// A direct connection to the SQLite file of [`open`], for what only a
/// query shows.
fn sqlite_conn(dir: &tempfile::TempDir) -> rusqlite::Connection {
    rusqlite::Connection::open(dir.path().join("sub/figwatch.db")).unwrap()
}

/// Runs `test` with two instances on one new database: two stores on one
/// SQLite file, then two pools on one PostgreSQL schema when
/// `FIGWATCH_TEST_DATABASE_URL` is set.
#[track_caller]
fn each_backend_twice(test: impl Fn(&Store, &Store)) {
    let (dir, first) = open();
    let second = Store::open(&dir.path().join("sub/figwatch.db")).unwrap();
    assert_ne!(first.instance(), second.instance());
    test(&first, &second);
    if let Some(db) = pg::TestDatabase::new() {
        let second = db.another_instance();
        test(&db.store, &second);
    }
}

/// Runs `test` against a new SQLite store, then, when
/// `FIGWATCH_TEST_DATABASE_URL` names a PostgreSQL database, against a new
/// schema in it.
#[track_caller]
fn each_backend(test: impl Fn(&Store)) {
    let (_dir, store) = open();
    test(&store);
    if let Some(db) = pg::TestDatabase::new() {
        test(&db.store);
    }
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, day, 12, 0, 0).unwrap()
}

fn watch() -> Watch {
    Watch {
        name: "nk".to_string(),
        query_text: "Russia".to_string(),
        query: crate::watch::Query::parse("Russia").unwrap(),
        notify: None,
        new_articles: false,
        figures: vec![Figure::new("troops", &["troops"])],
    }
}

fn reading(value: f64) -> Reading {
    Reading {
        mentions: vec![Mention::exact_count(
            value,
            "troops",
            &format!("Officials counted {value} troops."),
        )],
        n_title: 0,
        assignments: vec![Assignment {
            also: Vec::new(),
            figure: Some(0),
            reason: "test".to_string(),
        }],
        observations: vec![(0, 0)],
    }
}

struct Article {
    key: &'static str,
    url: String,
    value: f64,
    published: DateTime<Utc>,
    baseline: bool,
}

fn record(store: &Store, feed_id: i64, watch: &Watch, article: Article) -> Recorded {
    let title = format!("Report on {}", article.key);
    let text = format!("Officials counted {} troops.", article.value);
    store
        .record_article(&NewArticle {
            feed_id,
            entry: EntryRecord {
                key: article.key,
                url: Some(&article.url),
                title: &title,
                published_at: Some(article.published),
                hash: None,
            },
            url: &article.url,
            title: &title,
            text: &text,
            source: "Test Wire",
            published_at: Some(article.published),
            fetched_at: at(20),
            watches: vec![WatchReading {
                watch,
                reading: reading(article.value),
                sinks: vec!["hook", "log"],
            }],
            baseline: article.baseline,
            revised_at: None,
        })
        .unwrap()
}

#[test]
fn seen_entry_is_not_processed_twice_but_failed_ones_are_retried() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let entry = |key| EntryRecord {
            key,
            url: None,
            title: "t",
            published_at: None,
            hash: None,
        };
        // Entry `b`'s article fetch failed on `day`.
        let fail_b = |day| {
            store
                .record_entry(
                    feed.id,
                    &entry("b"),
                    EntryStatus::Failed,
                    Some("HTTP 500"),
                    at(day),
                )
                .unwrap();
        };
        assert_eq!(
            store.unseen_entries(feed.id, &["a", "b"], 3).unwrap(),
            vec![true, true]
        );
        store
            .record_entry(feed.id, &entry("a"), EntryStatus::Skipped, None, at(1))
            .unwrap();
        fail_b(1);
        assert_eq!(
            store.unseen_entries(feed.id, &["a", "b"], 3).unwrap(),
            vec![false, true]
        );
        fail_b(2);
        fail_b(3);
        assert_eq!(
            store.unseen_entries(feed.id, &["b"], 3).unwrap(),
            vec![false]
        );
    });
}

#[test]
fn baseline_records_state_without_alerting() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let watch = watch();
        let recorded = record(store, feed.id, &watch, article("a", 10_000.0, 1).baseline());
        assert_eq!(recorded.n_observations, 1);
        assert_eq!(recorded.n_alerts, 0);
        let figures = store.figures(None).unwrap();
        assert_eq!(figures.len(), 1);
        assert_eq!(figures[0].current.value, 10_000.0);
        assert!(store.due_deliveries(at(30), 10).unwrap().is_empty());
    });
}

#[test]
fn newer_article_with_new_value_alerts_every_sink_once() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let watch = watch();
        record(store, feed.id, &watch, article("a", 10_000.0, 1).baseline());
        let recorded = record(store, feed.id, &watch, article("b", 11_000.0, 5));
        assert_eq!(recorded.n_alerts, 1);

        let due = store.due_deliveries(at(30), 10).unwrap();
        assert_eq!(due.len(), 2);
        let alert = &due[0].alert;
        assert_eq!(alert.kind, AlertKind::FigureChanged);
        assert_eq!(alert.figure.as_deref(), Some("troops"));
        assert_eq!(alert.previous.as_ref().unwrap().value, 10_000.0);
        assert_eq!(alert.current.as_ref().unwrap().value, 11_000.0);
        assert_eq!(
            alert.current.as_ref().unwrap().article.url,
            "https://news.example/b"
        );
        assert_eq!(alert.current.as_ref().unwrap().article.source, "Test Wire");
        assert_eq!(alert.change, Some((1000.0, Some(0.1))));
        assert_eq!(
            due[0].alert.id, due[1].alert.id,
            "one alert, one delivery per sink"
        );

        store.delivery_succeeded(due[0].id, at(21)).unwrap();
        store
            .delivery_failed(due[1].id, "HTTP 503", Some(at(25)))
            .unwrap();
        let due = store.due_deliveries(at(22), 10).unwrap();
        assert!(due.is_empty(), "the failed one waits for its retry time");
        let due = store.due_deliveries(at(26), 10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].attempts, 1);
        store.delivery_failed(due[0].id, "HTTP 503", None).unwrap();
        assert!(
            store.due_deliveries(at(30), 10).unwrap().is_empty(),
            "dead is final"
        );
        let alerts = store.alerts(10, true).unwrap();
        assert_eq!(alerts.len(), 1);
        assert!(alerts[0].deliveries.iter().any(|d| d.state == "dead"));
    });
}

#[test]
fn older_article_is_history_only() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let watch = watch();
        record(
            store,
            feed.id,
            &watch,
            article("new", 11_000.0, 10).baseline(),
        );
        let recorded = record(store, feed.id, &watch, article("old", 9_000.0, 2));
        assert_eq!(recorded.n_alerts, 0);
        assert_eq!(store.figures(None).unwrap()[0].current.value, 11_000.0);
        let history = store.history("nk", "troops").unwrap();
        let values: Vec<(f64, &str)> = history
            .iter()
            .map(|h| (h.observation.value, h.decision.as_str()))
            .collect();
        assert_eq!(values, vec![(9_000.0, "older"), (11_000.0, "baseline")]);
    });
}

#[test]
fn same_article_again_is_a_duplicate_and_alerts_nothing() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let other = store.feed("https://wire.example/atom").unwrap();
        let watch = watch();
        let first = record(store, feed.id, &watch, article("a", 5.0, 1));
        assert_eq!(first.n_alerts, 1, "first seen without baseline");
        let again = record(
            store,
            other.id,
            &watch,
            Article {
                url: "https://news.example/a".to_string(),
                ..article("wire-a", 5.0, 1)
            },
        );
        assert!(again.duplicate);
        assert_eq!(again.article_id, first.article_id);
        assert_eq!(again.n_alerts, 0);
        assert_eq!(store.due_deliveries(at(30), 10).unwrap().len(), 2);
    });
}

#[test]
fn long_failing_feed_alerts_once_and_recovery_alerts_once() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let failed = PollResult::Failed {
            error: "HTTP 500".to_string(),
        };
        let day = Duration::from_secs(86_400);
        let sinks = ["hook"];
        assert_eq!(
            store
                .record_poll(feed.id, &failed, at(1), at(2), day, &sinks, "test")
                .unwrap(),
            1
        );
        assert!(store.due_deliveries(at(30), 10).unwrap().is_empty());
        store
            .record_poll(feed.id, &failed, at(3), at(4), day, &sinks, "test")
            .unwrap();
        store
            .record_poll(feed.id, &failed, at(4), at(5), day, &sinks, "test")
            .unwrap();
        let due = store.due_deliveries(at(30), 10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].alert.kind, AlertKind::FeedFailing);
        let facts = due[0].alert.feed.as_ref().unwrap();
        assert_eq!(facts.url, "https://news.example/rss");
        assert_eq!(facts.failures, Some(2));
        assert_eq!(facts.failing_since, Some(at(1)));
        assert_eq!(facts.error.as_deref(), Some("HTTP 500"));
        store.delivery_succeeded(due[0].id, at(5)).unwrap();

        let ok = PollResult::Fetched {
            title: Some("News".to_string()),
            validators: crate::fetch::Validators {
                etag: Some("\"v1\"".to_string()),
                last_modified: None,
            },
            moved_to: None,
        };
        assert_eq!(
            store
                .record_poll(feed.id, &ok, at(6), at(7), day, &sinks, "test")
                .unwrap(),
            0
        );
        let due = store.due_deliveries(at(30), 10).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].alert.kind, AlertKind::FeedRecovered);
        let state = store.feed("https://news.example/rss").unwrap();
        assert_eq!(state.failures, 0);
        assert!(state.polled_ok);
        assert_eq!(state.validators.etag.as_deref(), Some("\"v1\""));
        assert_eq!(state.next_poll_at, Some(at(7)));
    });
}

fn poll_ok(store: &Store, feed_id: i64, now: DateTime<Utc>) {
    store
        .record_poll(
            feed_id,
            &PollResult::NotModified,
            now,
            now + chrono::Duration::hours(1),
            Duration::from_secs(3600),
            &[],
            "test",
        )
        .unwrap();
}

impl Article {
    /// The same article, recorded as a baseline.
    fn baseline(self) -> Article {
        Article {
            baseline: true,
            ..self
        }
    }
}

/// The article of entry `key` at `https://news.example/{key}`, of `value`
/// troops, published on `day`.
fn article(key: &'static str, value: f64, day: u32) -> Article {
    Article {
        key,
        url: format!("https://news.example/{key}"),
        value,
        published: at(day),
        baseline: false,
    }
}

#[test]
fn pair_added_to_an_old_feed_is_a_baseline_until_the_next_successful_poll() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        poll_ok(store, feed.id, at(1));
        let watch = watch();
        assert_eq!(
            store
                .register_figures(std::slice::from_ref(&watch), true, at(2))
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .register_figures(std::slice::from_ref(&watch), true, at(3))
                .unwrap(),
            0,
            "a known pair keeps its first-seen time"
        );

        // The poll that follows the registration (its predecessor started
        // before it) records silently, even a change within the same poll.
        let first = record(store, feed.id, &watch, article("a", 100.0, 2));
        let second = record(store, feed.id, &watch, article("b", 200.0, 3));
        assert_eq!((first.n_alerts, second.n_alerts), (0, 0));
        assert!(store.due_deliveries(at(30), 10).unwrap().is_empty());

        // Once the feed has been polled since, the pair alerts as usual.
        poll_ok(store, feed.id, at(4));
        let third = record(store, feed.id, &watch, article("c", 300.0, 5));
        assert_eq!(third.n_alerts, 1);
        let due = store.due_deliveries(at(30), 10).unwrap();
        assert_eq!(due[0].alert.kind, AlertKind::FigureChanged);
        assert_eq!(due[0].alert.previous.as_ref().unwrap().value, 200.0);
    });
}

#[test]
fn pair_registered_without_baseline_or_never_registered_alerts_first_seen() {
    for register in [Some(false), None] {
        each_backend(|store| {
            let feed = store.feed("https://news.example/rss").unwrap();
            poll_ok(store, feed.id, at(1));
            let watch = watch();
            if let Some(baseline) = register {
                store
                    .register_figures(std::slice::from_ref(&watch), baseline, at(2))
                    .unwrap();
            }
            let recorded = record(store, feed.id, &watch, article("a", 100.0, 2));
            assert_eq!(recorded.n_alerts, 1, "register = {register:?}");
            let due = store.due_deliveries(at(30), 10).unwrap();
            assert_eq!(due[0].alert.kind, AlertKind::FigureFirstSeen);
        });
    }
}

#[test]
fn article_search_uses_full_text_syntax_and_falls_back_to_substring() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let watch = watch();
        record(store, feed.id, &watch, article("a", 10_000.0, 1));
        record(store, feed.id, &watch, article("b", 11_000.0, 2));
        let urls = |search: &str| -> Vec<String> {
            store
                .articles(None, Some(search), 10)
                .unwrap()
                .into_iter()
                .map(|article| article.url)
                .collect()
        };
        // Words in any case and order, newest first.
        assert_eq!(
            urls("TROOPS officials"),
            ["https://news.example/b", "https://news.example/a"]
        );
        assert_eq!(urls("\"report on b\""), ["https://news.example/b"]);
        assert_eq!(urls("troops NOT 11000"), ["https://news.example/a"]);
        assert_eq!(
            urls("offic*"),
            ["https://news.example/b", "https://news.example/a"]
        );
        // Not FTS5 syntax (the full stop): matched as a substring, so a word
        // fragment (FTS5 would want the whole word "counted") is found.
        assert_eq!(urls("unted 11000 troops."), ["https://news.example/b"]);
        assert!(urls("helicopters").is_empty());
    });
}
mod claims;

#[test]
fn entries_recorded_together_may_list_a_key_twice() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let entry = |key, title| EntryRecord {
            key,
            url: None,
            title,
            published_at: Some(at(1)),
            hash: None,
        };
        let listed = [entry("a", "first"), entry("b", "b"), entry("a", "again")];
        store
            .record_entries(feed.id, &listed, EntryStatus::Skipped, at(1))
            .unwrap();
        assert_eq!(
            store.unseen_entries(feed.id, &["a", "b", "c"], 3).unwrap(),
            vec![false, false, true]
        );
        // Seen again in a later poll: still recorded, not an error.
        store
            .record_entries(feed.id, &listed[..1], EntryStatus::Skipped, at(2))
            .unwrap();
    });
}
