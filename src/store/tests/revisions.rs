//! Revisions: an article stored under a URL read again with another text is
//! a new observation of the same article, dated by the revision; the same
//! text again changes nothing; entries keep their fingerprint for the
//! pipeline to notice changes. Both backends.

use super::*;

/// Records `value` as the text of the one article `https://news.example/a`
/// of entry `a`: a first reading when `revised_at` is `None`.
fn read(
    store: &Store,
    feed_id: i64,
    watch: &Watch,
    value: f64,
    fingerprint: &str,
    revised_at: Option<DateTime<Utc>>,
) -> Recorded {
    let title = "Troops report".to_string();
    let text = format!("Officials counted {value} troops.");
    store
        .record_article(&NewArticle {
            feed_id,
            entry: EntryRecord {
                key: "a",
                url: Some("https://news.example/a"),
                title: &title,
                published_at: Some(at(1)),
                hash: Some(fingerprint),
            },
            url: "https://news.example/a",
            title: &title,
            text: &text,
            source: "Test Wire",
            published_at: Some(at(1)),
            fetched_at: revised_at.unwrap_or(at(1)),
            watches: vec![WatchReading {
                watch,
                reading: reading(value),
                sinks: vec!["hook"],
            }],
            baseline: false,
            revised_at,
        })
        .unwrap()
}

#[test]
fn revised_text_is_a_new_observation_of_the_same_article_and_alerts_once() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let watch = watch();
        let first = read(store, feed.id, &watch, 10_000.0, "v1", None);
        assert_eq!((first.revision, first.n_alerts), (0, 1));

        let revised = read(store, feed.id, &watch, 12_000.0, "v2", Some(at(3)));
        assert_eq!(revised.article_id, first.article_id);
        assert_eq!(
            (revised.revision, revised.n_observations, revised.n_alerts),
            (1, 1, 1)
        );
        // The same revision again (a crash before the entry was noticed
        // as done, another poll): nothing more.
        let again = read(store, feed.id, &watch, 12_000.0, "v2", Some(at(4)));
        assert!(again.duplicate);
        assert_eq!((again.revision, again.n_alerts), (0, 0));

        let history = store.history("nk", "troops").unwrap();
        let values: Vec<f64> = history.iter().map(|row| row.observation.value).collect();
        assert_eq!(values, [10_000.0, 12_000.0]);
        assert_eq!(store.figures(None).unwrap()[0].current.value, 12_000.0);
        let due = store.due_deliveries(at(30), 10).unwrap();
        let flags: Vec<(AlertKind, bool)> = due
            .iter()
            .map(|d| (d.alert.kind, d.alert.revision))
            .collect();
        assert_eq!(
            flags,
            [
                (AlertKind::FigureFirstSeen, false),
                (AlertKind::FigureChanged, true)
            ]
        );
        let changed = &due[1].alert;
        assert_eq!(changed.previous.as_ref().unwrap().value, 10_000.0);
        assert_eq!(
            changed.current.as_ref().unwrap().article.url,
            "https://news.example/a"
        );

        // The entry keeps the revision's fingerprint and when it was read.
        let revisits = store.revisits(feed.id, &["a", "b"]).unwrap();
        let revisit = revisits[0].as_ref().unwrap();
        assert_eq!(revisit.hash.as_deref(), Some("v2"));
        assert_eq!(revisit.fetched_at, at(4));
        assert_eq!(revisits[1], None);
    });
}

#[test]
fn revision_dated_before_the_state_is_history_only() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let watch = watch();
        read(store, feed.id, &watch, 10_000.0, "v1", None);
        // A newer article moves the state past the revision's date.
        let newer = record(store, feed.id, &watch, article("b", 11_000.0, 10));
        assert_eq!(newer.n_alerts, 1);
        let revised = read(store, feed.id, &watch, 9_000.0, "v2", Some(at(5)));
        assert_eq!((revised.revision, revised.n_alerts), (1, 0));
        assert_eq!(store.figures(None).unwrap()[0].current.value, 11_000.0);
    });
}

#[test]
fn revision_under_another_url_revises_its_entrys_article() {
    each_backend(|store| {
        let feed = store.feed("https://news.example/rss").unwrap();
        let watch = watch();
        let first = read(store, feed.id, &watch, 10_000.0, "v1", None);
        // The page now declares another canonical URL.
        let text = "Officials counted 13000 troops.";
        let revised = store
            .record_article(&NewArticle {
                feed_id: feed.id,
                entry: EntryRecord {
                    key: "a",
                    url: Some("https://news.example/a"),
                    title: "Troops report",
                    published_at: Some(at(1)),
                    hash: Some("v2"),
                },
                url: "https://news.example/story/a",
                title: "Troops report",
                text,
                source: "Test Wire",
                published_at: Some(at(1)),
                fetched_at: at(6),
                watches: vec![WatchReading {
                    watch: &watch,
                    reading: reading(13_000.0),
                    sinks: vec!["hook"],
                }],
                baseline: false,
                revised_at: Some(at(6)),
            })
            .unwrap();
        assert_eq!(revised.article_id, first.article_id);
        assert_eq!((revised.revision, revised.n_alerts), (1, 1));
        assert_eq!(store.history("nk", "troops").unwrap().len(), 2);
    });
}
