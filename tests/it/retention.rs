//! Retention through the real binary: old entries and article texts go,
//! observations, figure states and alerts stay, in batches.

use super::support::{Servers, Workspace, motivating_config};

/// More than two of the store's prune batches (500 rows).
const OLD_SKIPPED: usize = 1_234;

fn counts(work: &Workspace) -> [i64; 4] {
    [
        work.sql_count("SELECT COUNT(*) FROM observations"),
        work.sql_count("SELECT COUNT(*) FROM figure_state"),
        work.sql_count("SELECT COUNT(*) FROM alerts"),
        work.sql_count("SELECT COUNT(*) FROM deliveries"),
    ]
}

#[test]
fn retention_prunes_old_entries_and_texts_and_keeps_figures_and_alerts() {
    let servers = Servers::start();
    let config = motivating_config(&servers, &[], false);
    let work = Workspace::new(&config.replace(
        "baseline = false",
        "baseline = false\nretention = \"forever\"",
    ));
    work.figwatch(&["once"]).assert().success();
    let kept = counts(&work);
    assert!(kept[0] > 0 && kept[2] > 0, "{kept:?}");
    let n_articles = work.sql_count("SELECT COUNT(*) FROM articles");
    let n_matched = work.sql_count("SELECT COUNT(*) FROM entries WHERE status = 'matched'");
    assert!(n_articles > 0 && n_matched > 0);

    // Everything becomes old, and a flood of old skipped entries arrives.
    work.sql(&format!(
        "UPDATE entries SET seen_at = '2020-01-01T00:00:00Z';
         UPDATE articles SET fetched_at = '2020-01-01T00:00:00Z';
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {OLD_SKIPPED})
         INSERT INTO entries (feed_id, key, title, seen_at, status)
             SELECT (SELECT MIN(id) FROM feeds), 'old-' || i, 'Old', '2020-01-01T00:00:00Z', 'skipped'
             FROM n;"
    ));
    let n_entries = work.sql_count("SELECT COUNT(*) FROM entries");

    // "forever" prunes nothing.
    work.figwatch(&["once"]).assert().success();
    assert_eq!(work.sql_count("SELECT COUNT(*) FROM entries"), n_entries);

    // 30 days: old unmatched entries and every old article text go.
    std::fs::write(
        work.config(),
        config.replace("baseline = false", "baseline = false\nretention = \"30d\""),
    )
    .unwrap();
    let output = work.figwatch(&["once"]).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Pruned the store"), "{stderr}");
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM entries WHERE key LIKE 'old-%'"),
        0
    );
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM entries WHERE status != 'matched'"),
        0
    );
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM entries WHERE status = 'matched'"),
        n_matched
    );
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM articles WHERE text != ''"),
        0
    );
    assert_eq!(work.sql_count("SELECT COUNT(*) FROM mentions"), 0);
    // Articles an observation or alert points to keep their row.
    assert_eq!(
        work.sql_count(
            "SELECT COUNT(*) FROM observations o LEFT JOIN articles a ON a.id = o.article_id
             WHERE a.id IS NULL"
        ),
        0
    );
    assert_eq!(counts(&work), kept);

    // What the user reads is intact.
    let figures = work.figwatch(&["figures"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&figures.stdout);
    assert!(stdout.contains("artillery"), "{stdout}");
}
