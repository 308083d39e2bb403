//! Alert policy and delivery end to end: the real binary against the local
//! site and webhook receiver.

use std::sync::atomic::Ordering;

use super::support::{Servers, Workspace, motivating_config};

const ARMS_WATCH: &str = r#"
[watch.arms]
query = 'artillery OR howitzers'

[watch.arms.figure.artillery]
terms = ["artillery pieces", "artillery"]
"#;

#[test]
fn watch_added_to_an_existing_config_starts_with_a_silent_baseline() {
    let servers = Servers::start();
    let config = motivating_config(&servers, &[], true);
    let work = Workspace::new(&config);
    work.figwatch(&["once"]).assert().success();
    assert!(servers.site.hooks().is_empty(), "new feed is a baseline");

    // The user adds a watch; the feed brings a new article that both the
    // old watch and the new one match.
    std::fs::write(work.config(), format!("{config}{ARMS_WATCH}")).unwrap();
    servers.site.feed_version.store(2, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();

    // `once` delivers before it exits: everything sent is here.
    let hooks = servers.site.hooks();
    let watches: Vec<&str> = hooks
        .iter()
        .filter_map(|hook| hook.body["watch"].as_str())
        .collect();
    assert_eq!(watches, ["nk-russia", "nk-russia"], "{hooks:#?}");
    assert_eq!(
        work.sql_count(
            "SELECT count(*) FROM observations WHERE watch = 'arms' AND decision = 'baseline'"
        ),
        1,
        "the new watch's first value is recorded as its baseline"
    );
    assert_eq!(
        work.sql_count("SELECT count(*) FROM alerts WHERE watch = 'arms'"),
        0
    );
    let figures = work
        .figwatch(&["figures", "arms", "--json"])
        .output()
        .unwrap();
    assert!(figures.status.success());
    let figures: serde_json::Value = serde_json::from_slice(&figures.stdout).unwrap();
    assert!(
        figures.to_string().contains("200"),
        "the baseline value is tracked: {figures}"
    );

    // A restart neither re-registers the watch nor repeats anything.
    work.figwatch(&["once"]).assert().success();
    assert_eq!(servers.site.hooks().len(), 2);
    assert_eq!(
        work.sql_count("SELECT count(*) FROM known_figures WHERE watch = 'arms'"),
        1
    );
}

#[test]
fn alerts_over_a_sinks_burst_go_as_one_digest_marked_on_each_delivery() {
    let servers = Servers::start();
    // No baseline: the first poll raises figure_first_seen for both figures,
    // more than the hook's burst of one.
    let config = motivating_config(&servers, &[], false).replace(
        "type = \"webhook\"\n",
        "type = \"webhook\"\nburst = 1\nwindow = \"10m\"\nmax_attempts = 4\n",
    );
    let work = Workspace::new(&config);
    let check = work.figwatch(&["check"]).output().unwrap();
    let check = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.contains("delivery: up to 4 attempts, digest above 1 alerts per 10m"),
        "{check}"
    );

    work.figwatch(&["once"]).assert().success();
    let hooks = servers.site.hooks();
    assert_eq!(hooks.len(), 1, "{hooks:#?}");
    let digest = &hooks[0].body;
    assert_eq!(digest["kind"], "digest");
    let mut figures: Vec<&str> = digest["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|alert| {
            assert_eq!(alert["kind"], "figure_first_seen");
            alert["figure"].as_str().unwrap()
        })
        .collect();
    figures.sort_unstable();
    assert_eq!(figures, ["artillery", "troops"]);
    let digest_id = digest["id"].as_str().unwrap();
    assert_eq!(
        work.sql_count(&format!(
            "SELECT count(*) FROM deliveries WHERE sink = 'hook' AND state = 'delivered' AND digest_id = '{digest_id}'"
        )),
        2
    );
    // The log sink has no rate limit: one message each, no digest.
    assert_eq!(
        work.sql_count(
            "SELECT count(*) FROM deliveries WHERE sink = 'journal' AND state = 'delivered' AND digest_id IS NULL"
        ),
        2
    );
}

#[test]
fn articles_search_takes_full_text_queries_and_plain_text() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &[], true));
    servers.site.feed_version.store(2, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();
    let search = |text: &str| -> Vec<String> {
        let output = work
            .figwatch(&["articles", "--search", text, "--json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let articles: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        articles
            .as_array()
            .unwrap()
            .iter()
            .map(|article| article["url"].as_str().unwrap().to_string())
            .collect()
    };
    let november = servers.url("/news/2024/11/artillery.html");
    let february = servers.url("/news/2025/02/long-range-artillery.html");
    assert_eq!(
        search("SEOUL artillery"),
        [february.as_str(), november.as_str()]
    );
    assert_eq!(search("adviser NOT parliamentary"), [november.as_str()]);
    assert_eq!(search("\"long-range artillery\""), [february.as_str()]);
    // Not FTS5 syntax: a substring, inside words too.
    assert_eq!(search("ng-range artill"), [february.as_str()]);
}

#[test]
fn failing_sink_gives_up_after_its_max_attempts_or_give_up_after() {
    let servers = Servers::start();
    servers.site.hook_status.store(503, Ordering::SeqCst);
    let config = motivating_config(&servers, &[], false)
        .replace(
            "type = \"webhook\"\n",
            "type = \"webhook\"\nmax_attempts = 1\n",
        )
        .replace(
            "[sink.journal]\ntype = \"log\"\n",
            &format!(
                "[sink.patient]\ntype = \"webhook\"\nurl = \"{}\"\ngive_up_after = \"1h\"\n",
                servers.url("/hook")
            ),
        );
    let work = Workspace::new(&config);
    work.figwatch(&["once"]).assert().success();
    let count = |sink: &str, state: &str| {
        work.sql_count(&format!(
            "SELECT count(*) FROM deliveries WHERE sink = '{sink}' AND state = '{state}'"
        ))
    };
    // One attempt allowed: dead at once. The patient sink retries.
    assert_eq!(count("hook", "dead"), 2);
    assert_eq!(count("patient", "pending"), 2);

    // Two hours pass; the retry is due and fails again: past give_up_after.
    work.sql(
        "UPDATE alerts SET created_at = '2000-01-01T00:00:00.000Z';
         UPDATE deliveries SET next_attempt_at = '2000-01-01T02:00:00.000Z' WHERE state = 'pending';",
    );
    work.figwatch(&["once"]).assert().success();
    assert_eq!(count("patient", "dead"), 2);
    assert_eq!(
        work.sql_count("SELECT max(attempts) FROM deliveries WHERE sink = 'patient'"),
        2
    );
    assert!(servers.site.hooks().is_empty());
}
