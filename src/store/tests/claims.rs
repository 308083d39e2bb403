//! Claims in the store: who says a number, per-claimant state for
//! `by_source` figures, units that are never compared, and migration 0004
//! from a version 3 database that holds rows.

use super::*;

/// A troops mention of `value`, claimed by `claimed_by`.
fn claim(value: f64, claimed_by: Option<&str>) -> Mention {
    let mut mention = reading(value).mentions.remove(0);
    mention.claimed_by = claimed_by.map(str::to_string);
    mention
}

/// A money mention of `value` in `unit`.
fn money(value: f64, unit: Option<&str>) -> Mention {
    let mut mention = reading(value).mentions.remove(0);
    mention.kind = Kind::Money;
    mention.unit = unit.map(str::to_string);
    mention.noun = "aid".to_string();
    mention
}

fn troops_watch(by_source: bool) -> Watch {
    let mut watch = watch();
    watch.figures[0].by_source = by_source;
    watch
}

/// Records an article published on `day` whose body holds `mentions`, all
/// assigned to figure 0, read by `figures::observations`.
fn record_mentions(
    store: &Store,
    watch: &Watch,
    key: &str,
    day: u32,
    mentions: Vec<Mention>,
) -> Recorded {
    let assignments = vec![
        Assignment {
            also: Vec::new(),
            figure: Some(0),
            reason: "test".to_string(),
        };
        mentions.len()
    ];
    let observations = crate::figures::observations(&mentions, &assignments, &watch.figures);
    let reading = Reading {
        mentions,
        n_title: 0,
        assignments,
        observations,
    };
    record_reading(store, watch, key, day, reading)
}

fn record_reading(store: &Store, watch: &Watch, key: &str, day: u32, reading: Reading) -> Recorded {
    let feed = store.feed("https://news.example/rss").unwrap();
    let url = format!("https://news.example/{key}");
    let title = format!("Report {key}");
    let text = format!("Body of report {key}.");
    store
        .record_article(&NewArticle {
            feed_id: feed.id,
            entry: EntryRecord {
                key,
                url: Some(&url),
                title: &title,
                published_at: Some(at(day)),
                hash: None,
            },
            url: &url,
            title: &title,
            text: &text,
            source: "Test Wire",
            published_at: Some(at(day)),
            fetched_at: at(day),
            watches: vec![WatchReading {
                watch,
                reading,
                sinks: vec!["hook"],
            }],
            baseline: false,
            revised_at: None,
        })
        .unwrap()
}

/// (claimant, value, claimed_by) of every current state.
fn states(store: &Store) -> Vec<(String, f64, Option<String>)> {
    store
        .figures(None)
        .unwrap()
        .into_iter()
        .map(|f| (f.claimant, f.current.value, f.current.claimed_by))
        .collect()
}

fn alerts_of(store: &Store) -> Vec<AlertRow> {
    let mut alerts: Vec<AlertRow> = store
        .alerts(50, false)
        .unwrap()
        .into_iter()
        .map(|summary| summary.alert)
        .collect();
    alerts.reverse();
    alerts
}

#[test]
fn by_source_figure_keeps_one_state_per_claimant() {
    each_backend(|store| {
        let watch = troops_watch(true);
        let first = record_mentions(
            store,
            &watch,
            "a",
            1,
            vec![
                claim(11_000.0, Some("NIS")),
                claim(12_000.0, Some("Kyiv")),
                claim(11_500.0, Some("NIS")),
            ],
        );
        assert_eq!((first.n_observations, first.n_alerts), (2, 2));
        // NIS moves; Kyiv's state is not what NIS's new value is compared with.
        let second = record_mentions(store, &watch, "b", 2, vec![claim(12_000.0, Some("NIS"))]);
        assert_eq!(second.n_alerts, 1);
        let third = record_mentions(store, &watch, "c", 3, vec![claim(12_000.0, Some("Kyiv"))]);
        assert_eq!(third.n_alerts, 0, "Kyiv said 12,000 before");

        assert_eq!(
            states(store),
            [
                ("Kyiv".to_string(), 12_000.0, Some("Kyiv".to_string())),
                ("NIS".to_string(), 12_000.0, Some("NIS".to_string())),
            ]
        );
        let alerts = alerts_of(store);
        let changed: Vec<&AlertRow> = alerts
            .iter()
            .filter(|alert| alert.kind == AlertKind::FigureChanged)
            .collect();
        assert_eq!(changed.len(), 1);
        assert_eq!(changed[0].claimant.as_deref(), Some("NIS"));
        assert_eq!(changed[0].previous.as_ref().unwrap().value, 11_000.0);
        assert_eq!(changed[0].change, Some((1_000.0, Some(1_000.0 / 11_000.0))));
        // One article's alerts share a creation time: their order is not kept.
        let mut first_seen: Vec<Option<&str>> = alerts
            .iter()
            .filter(|alert| alert.kind == AlertKind::FigureFirstSeen)
            .map(|alert| alert.claimant.as_deref())
            .collect();
        first_seen.sort_unstable();
        assert_eq!(first_seen, [Some("Kyiv"), Some("NIS")]);

        let history = store.history("nk", "troops").unwrap();
        let rows: Vec<(&str, f64, &str)> = history
            .iter()
            .map(|row| {
                (
                    row.claimant.as_str(),
                    row.observation.value,
                    row.decision.as_str(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("NIS", 11_000.0, "first_seen"),
                ("Kyiv", 12_000.0, "first_seen"),
                ("NIS", 12_000.0, "changed"),
                ("Kyiv", 12_000.0, "unchanged"),
            ]
        );
        // The figure's previous value is the claimant's own.
        let nis = store
            .figures(None)
            .unwrap()
            .into_iter()
            .find(|f| f.claimant == "NIS")
            .unwrap();
        assert_eq!(nis.previous_value, Some(11_000.0));
    });
}

#[test]
fn unattributed_numbers_are_one_more_claimant_of_a_by_source_figure() {
    each_backend(|store| {
        let watch = troops_watch(true);
        record_mentions(store, &watch, "a", 1, vec![claim(9_000.0, None)]);
        let recorded = record_mentions(store, &watch, "b", 2, vec![claim(10_000.0, Some("NIS"))]);
        assert_eq!(recorded.n_alerts, 1);
        let alerts = alerts_of(store);
        assert_eq!(alerts[0].claimant.as_deref(), Some(""));
        assert_eq!(alerts[1].kind, AlertKind::FigureFirstSeen, "NIS is new");
        assert_eq!(states(store).len(), 2);
    });
}

#[test]
fn other_figures_compare_every_claimant_with_one_state() {
    each_backend(|store| {
        let watch = troops_watch(false);
        record_mentions(store, &watch, "a", 1, vec![claim(11_000.0, Some("NIS"))]);
        let recorded = record_mentions(
            store,
            &watch,
            "b",
            2,
            vec![claim(12_000.0, Some("Kyiv")), claim(13_000.0, Some("NIS"))],
        );
        assert_eq!((recorded.n_observations, recorded.n_alerts), (1, 1));
        assert_eq!(
            states(store),
            [(String::new(), 12_000.0, Some("Kyiv".to_string()))]
        );
        let alerts = alerts_of(store);
        let changed = alerts.last().unwrap();
        assert_eq!(changed.claimant, None);
        assert_eq!(
            changed.previous.as_ref().unwrap().claimed_by.as_deref(),
            Some("NIS")
        );
        assert_eq!(
            changed.current.as_ref().unwrap().claimed_by.as_deref(),
            Some("Kyiv")
        );
    });
}

#[test]
fn a_value_in_another_unit_is_history_and_never_alerts() {
    each_backend(|store| {
        let mut watch = watch();
        watch.figures[0].name = "aid".to_string();
        record_mentions(store, &watch, "a", 1, vec![money(3.2e9, Some("USD"))]);
        let euros = record_mentions(store, &watch, "b", 2, vec![money(4.0e9, Some("EUR"))]);
        assert_eq!(euros.n_alerts, 0);
        let state = &store.figures(None).unwrap()[0].current;
        assert_eq!((state.value, state.unit.as_deref()), (3.2e9, Some("USD")));
        assert_eq!(state.kind, Kind::Money);

        // A count is no money either.
        let count = record_mentions(store, &watch, "c", 3, vec![claim(5.0, None)]);
        assert_eq!(count.n_alerts, 0);
        // Dollars again: compared with the dollar state, not the euros.
        let dollars = record_mentions(store, &watch, "d", 4, vec![money(3.5e9, Some("usd"))]);
        assert_eq!(dollars.n_alerts, 1);
        let changed = alerts_of(store).pop().unwrap();
        assert_eq!(changed.previous.as_ref().unwrap().value, 3.2e9);
        // A currency the text did not give is no conflict.
        let unknown = record_mentions(store, &watch, "e", 5, vec![money(3.9e9, None)]);
        assert_eq!(unknown.n_alerts, 1);

        let decisions: Vec<String> = store
            .history("nk", "aid")
            .unwrap()
            .into_iter()
            .map(|row| row.decision)
            .collect();
        assert_eq!(
            decisions,
            [
                "first_seen",
                "other_unit",
                "other_unit",
                "changed",
                "changed"
            ]
        );
        // other_unit values are not the "previous value" either.
        assert_eq!(store.figures(None).unwrap()[0].previous_value, Some(3.5e9));
    });
}

#[test]
fn one_state_observed_twice_in_one_reading_records_the_first_only() {
    each_backend(|store| {
        let watch = troops_watch(false);
        let mut reading = reading(11_000.0);
        reading.mentions.push(claim(12_000.0, None));
        reading.assignments.push(reading.assignments[0].clone());
        // A reading that breaks `read`'s contract: two observations of one state.
        reading.observations = vec![(0, 0), (0, 1)];
        let recorded = record_reading(store, &watch, "a", 1, reading);
        assert_eq!((recorded.n_observations, recorded.n_alerts), (1, 1));
        let history = store.history("nk", "troops").unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].observation.value, 11_000.0);
        assert_eq!(alerts_of(store).len(), 1);
    });
}

#[test]
fn mentions_keep_their_claim_fields() {
    let (dir, store) = open();
    {
        let watch = troops_watch(false);
        let mut mention = claim(600.0, Some("the ministry"));
        mention.event = Some("killed".to_string());
        mention.owner = Some("Russia".to_string());
        mention.previous = Some(300.0);
        let mut increment = claim(100.0, None);
        increment.increment = true;
        let recorded = record_mentions(&store, &watch, "a", 1, vec![increment, mention]);
        assert_eq!(
            recorded.n_observations, 1,
            "the increment is no observation"
        );
        type Row = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<f64>,
            bool,
        );
        let rows: Vec<Row> = sqlite_conn(&dir)
            .prepare(
                "SELECT event, owner, claimed_by, previous, increment FROM mentions ORDER BY id",
            )
            .unwrap()
            .query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            [
                (None, None, None, None, true),
                (
                    Some("killed".to_string()),
                    Some("Russia".to_string()),
                    Some("the ministry".to_string()),
                    Some(300.0),
                    false
                ),
            ]
        );
        let observed: (Option<String>, Option<String>, Option<f64>) = sqlite_conn(&dir)
            .query_row(
                "SELECT event, owner, previous FROM observations",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            observed,
            (
                Some("killed".to_string()),
                Some("Russia".to_string()),
                Some(300.0)
            )
        );
    }
}

/// A SQLite file in a new directory at migration 3, with `rows` run in it.
fn version_three(rows: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v3.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    for sql in &sqlite::MIGRATIONS[..3] {
        conn.execute_batch(sql).unwrap();
    }
    conn.execute_batch(rows).unwrap();
    (dir, path)
}

#[test]
fn database_at_version_three_migrates_keeping_its_rows() {
    let (_dir, path) = version_three(
        "PRAGMA foreign_keys = ON;
             INSERT INTO feeds (id, url) VALUES (1, 'https://news.example/rss');
             INSERT INTO articles (id, url, title, text, content_hash, source, feed_id, published_at, fetched_at, sort_at)
               VALUES (7, 'https://news.example/old', 'Old report', 'Donors pledged $2 billion.', 'h', 'Test Wire', 1,
                       '2025-01-01T12:00:00.000Z', '2025-01-01T12:00:00.000Z', '2025-01-01T12:00:00.000Z');
             INSERT INTO mentions (article_id, in_title, value, qualifier, kind, text, noun, sentence, start, end)
               VALUES (7, 0, 2000000000.0, 'exact', 'money', '$2 billion', '', 'Donors pledged $2 billion.', 15, 25);
             INSERT INTO observations (id, article_id, watch, figure, value, low, high, qualifier, text, quote, decision, observed_at)
               VALUES (40, 7, 'nk', 'aid', 2000000000.0, 2000000000.0, 2000000000.0, 'exact', '$2 billion',
                       'Donors pledged $2 billion.', 'first_seen', '2025-01-01T12:00:00.000Z');
             INSERT INTO figure_state (watch, figure, observation_id, updated_at)
               VALUES ('nk', 'aid', 40, '2025-01-01T12:00:00.000Z');
             INSERT INTO alerts (id, kind, created_at, watch, figure, current_observation_id, article_id)
               VALUES ('01OLDALERT', 'figure_first_seen', '2025-01-01T12:00:00.000Z', 'nk', 'aid', 40, 7);
             INSERT INTO deliveries (alert_id, sink, state, next_attempt_at)
               VALUES ('01OLDALERT', 'hook', 'delivered', '2025-01-01T12:00:00.000Z');
             PRAGMA user_version = 3;",
    );
    let store = Store::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version as usize, sqlite::MIGRATIONS.len());
    assert!(store.integrity_check().unwrap());
    let foreign_keys: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
        .unwrap();
    assert_eq!(foreign_keys, 1, "foreign keys are back on after migrating");

    // The state, its observation (kind taken from its mention) and the alert
    // pointing at it all survive, under the empty claimant.
    let figures = store.figures(None).unwrap();
    assert_eq!(figures.len(), 1);
    assert_eq!(figures[0].claimant, "");
    assert_eq!(figures[0].current.value, 2e9);
    assert_eq!(figures[0].current.kind, Kind::Money);
    assert_eq!(figures[0].current.claimed_by, None);
    let alerts = store.alerts(10, false).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].alert.current.as_ref().unwrap().text, "$2 billion");
    assert_eq!(alerts[0].deliveries[0].state, "delivered");
    assert_eq!(store.articles(None, Some("donors"), 10).unwrap().len(), 1);

    // New observations compare with the migrated state.
    let mut watch = watch();
    watch.figures[0].name = "aid".to_string();
    let recorded = record_mentions(&store, &watch, "new", 2, vec![money(2.5e9, Some("USD"))]);
    assert_eq!(recorded.n_alerts, 1);
    let changed = alerts_of(&store).pop().unwrap();
    assert_eq!(changed.kind, AlertKind::FigureChanged);
    assert_eq!(changed.previous.as_ref().unwrap().value, 2e9);
}

#[test]
fn a_failed_migration_leaves_the_database_as_it_was() {
    // Two alerts on one observation: migration 4's unique index refuses
    // them (figwatch never writes this; a hand-edited file might).
    let (_dir, path) = version_three(
        "INSERT INTO articles (id, url, title, text, content_hash, source, fetched_at, sort_at)
               VALUES (1, 'https://news.example/a', 't', 'x', 'h', 's', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
             INSERT INTO observations (id, article_id, watch, figure, value, qualifier, text, quote, decision, observed_at)
               VALUES (5, 1, 'nk', 'troops', 1.0, 'exact', '1 troops', '1 troops', 'first_seen', '2025-01-01T00:00:00.000Z');
             INSERT INTO alerts (id, kind, created_at, watch, figure, current_observation_id)
               VALUES ('A1', 'figure_first_seen', '2025-01-01T00:00:00.000Z', 'nk', 'troops', 5),
                      ('A2', 'figure_first_seen', '2025-01-01T00:00:00.000Z', 'nk', 'troops', 5);
             PRAGMA user_version = 3;",
    );
    let err = Store::open(&path).unwrap_err();
    assert!(err.to_string().contains("migration 4 failed"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 3);
    // The old tables, without the new columns, and every row.
    let n_rows: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM observations) + (SELECT count(*) FROM alerts)",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(n_rows, 3);
    assert!(
        conn.prepare("SELECT claimant FROM observations").is_err(),
        "migration 4 rolled back"
    );
}
