//! The whole pipeline, end to end.

use std::sync::atomic::Ordering;
use std::time::Duration;

use predicates::prelude::*;
use serde_json::Value;

use super::support::{Daemon, Servers, Workspace, motivating_config};

fn figure_alerts(hooks: &[super::support::Hook]) -> Vec<&Value> {
    hooks
        .iter()
        .map(|hook| &hook.body)
        .filter(|body| body["kind"] == "figure_changed")
        .collect()
}

#[test]
fn motivating_case_alerts_once_per_changed_figure() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &["/wire/atom.xml"], true));

    // First poll: the November article is the silent baseline.
    work.figwatch(&["once"]).assert().success();
    assert!(servers.site.hooks().is_empty(), "baseline must not alert");

    // The February article arrives, through two feeds at once.
    servers.site.feed_version.store(2, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();
    let hooks = servers.site.wait_for_hooks(2, Duration::from_secs(10));
    assert_eq!(hooks.len(), 2, "{hooks:#?}");
    let alerts = figure_alerts(&hooks);
    assert_eq!(alerts.len(), 2, "{hooks:#?}");
    for hook in &hooks {
        let content_type = hook.headers.iter().find(|(k, _)| k == "content-type");
        assert!(
            content_type.is_some_and(|(_, v)| v.starts_with("application/json")),
            "{hook:?}"
        );
    }

    let article_url = servers.url("/news/2025/02/long-range-artillery.html");
    let previous_url = servers.url("/news/2024/11/artillery.html");
    let artillery = alerts
        .iter()
        .find(|a| a["figure"] == "artillery")
        .expect("artillery alert");
    assert_eq!(artillery["watch"], "nk-russia");
    assert_eq!(artillery["previous"]["value"], 160);
    assert_eq!(artillery["previous"]["qualifier"], "more_than");
    assert_eq!(
        artillery["previous"]["article"]["url"],
        previous_url.as_str()
    );
    assert_eq!(artillery["current"]["value"], 200);
    assert_eq!(artillery["current"]["qualifier"], "more_than");
    assert_eq!(artillery["current"]["article"]["url"], article_url.as_str());
    // Both feeds race to the article; the source is whichever recorded it.
    let source = artillery["current"]["article"]["source"].as_str().unwrap();
    assert!(["Korea Daily", "Wire"].contains(&source), "{source}");
    assert_eq!(artillery["previous"]["article"]["source"], "Korea Daily");
    assert_eq!(artillery["change"]["absolute"], 40);
    assert_eq!(artillery["change"]["relative"], 0.25);

    let troops = alerts
        .iter()
        .find(|a| a["figure"] == "troops")
        .expect("troops alert");
    assert_eq!(troops["previous"]["value"], 10000);
    assert_eq!(troops["current"]["value"], 11000);
    assert_eq!(troops["current"]["article"]["url"], article_url.as_str());
    assert_eq!(troops["change"]["absolute"], 1000);
    // Who claims it, what kind of value and its unit travel with each side.
    for side in ["previous", "current"] {
        assert_eq!(troops[side]["kind"], "count", "{troops}");
        assert!(troops[side]["unit"].is_null(), "{troops}");
    }
    assert_eq!(troops["previous"]["claimed_by"], "officials in Seoul");
    assert_eq!(troops["current"]["claimed_by"], "the ministry");
    assert!(troops.get("claimant").is_none(), "not a by_source figure");

    // A re-poll and a restart (each `once` is a new process) add nothing.
    work.figwatch(&["once"]).assert().success();
    work.figwatch(&["once"]).assert().success();
    assert_eq!(servers.site.hooks().len(), 2);

    // The feed's validators were stored: re-polls were conditional.
    assert!(servers.site.feed_not_modified.load(Ordering::SeqCst) >= 1);

    // The article reached through two feeds is one article.
    assert_eq!(work.sql_count("SELECT COUNT(*) FROM articles"), 2);
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM entries WHERE status = 'duplicate'"),
        1
    );
}

#[test]
fn figures_and_history_show_the_tracked_values() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &[], true));
    work.figwatch(&["once"]).assert().success();
    servers.site.feed_version.store(2, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();

    let output = work.figwatch(&["figures", "--json"]).output().unwrap();
    assert!(output.status.success());
    let figures: Value = serde_json::from_slice(&output.stdout).unwrap();
    let artillery = figures
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"] == "artillery")
        .unwrap();
    assert_eq!(artillery["current"]["value"], 200.0);
    assert_eq!(artillery["previous_value"], 160.0);

    work.figwatch(&["figures"])
        .assert()
        .success()
        .stdout(predicate::str::contains("more than 200"))
        .stdout(predicate::str::contains("11,000"));

    let output = work
        .figwatch(&["history", "nk-russia", "artillery", "--json"])
        .output()
        .unwrap();
    let history: Value = serde_json::from_slice(&output.stdout).unwrap();
    let values: Vec<f64> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, vec![160.0, 200.0]);

    work.figwatch(&["articles", "--search", "long-range"])
        .assert()
        .success()
        .stdout(predicate::str::contains("long-range-artillery.html"))
        .stdout(predicate::str::contains("artillery.html?").not());
}

#[test]
fn figures_and_history_show_who_claims_each_value() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &[], true));
    work.figwatch(&["once"]).assert().success();
    servers.site.feed_version.store(2, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();
    // What the claim scanner records: who the article credits the number to.
    work.sql(
        "UPDATE observations SET claimed_by = 'Seoul''s military' \
         WHERE figure = 'artillery' AND value = 200",
    );

    work.figwatch(&["figures"])
        .assert()
        .success()
        .stdout(predicate::str::contains("CLAIMED BY"))
        .stdout(predicate::str::contains("Seoul's military  more than 200"));
    let output = work.figwatch(&["figures", "--json"]).output().unwrap();
    let figures: Value = serde_json::from_slice(&output.stdout).unwrap();
    let artillery = figures
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"] == "artillery")
        .unwrap();
    assert_eq!(artillery["current"]["claimed_by"], "Seoul's military");
    assert_eq!(artillery["current"]["kind"], "count");
    assert_eq!(artillery["current"]["unit"], Value::Null);
    assert_eq!(artillery["by_source"], false);

    work.figwatch(&["history", "nk-russia", "artillery"])
        .assert()
        .success()
        .stdout(predicate::str::contains("CLAIMED BY"))
        .stdout(predicate::str::contains("Seoul's military"));
    let output = work
        .figwatch(&["history", "nk-russia", "artillery", "--json"])
        .output()
        .unwrap();
    let history: Value = serde_json::from_slice(&output.stdout).unwrap();
    let claimed: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["claimed_by"])
        .collect();
    assert_eq!(claimed, [&Value::Null, &Value::from("Seoul's military")]);
}

#[test]
fn webhook_that_is_down_gets_the_alert_later_exactly_once() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &[], true));
    work.figwatch(&["once"]).assert().success();

    servers.site.hook_status.store(503, Ordering::SeqCst);
    servers.site.feed_version.store(2, Ordering::SeqCst);
    work.figwatch(&["once"])
        .assert()
        .success()
        .stderr(predicate::str::contains("will retry"));
    assert!(servers.site.hooks().is_empty());
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM deliveries WHERE sink = 'hook' AND state = 'pending' AND attempts = 1"),
        2
    );

    // The receiver is back; time passes until the retry is due.
    servers.site.hook_status.store(200, Ordering::SeqCst);
    work.sql("UPDATE deliveries SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE state = 'pending'");
    work.figwatch(&["once"]).assert().success();
    assert_eq!(figure_alerts(&servers.site.hooks()).len(), 2);

    work.figwatch(&["once"]).assert().success();
    assert_eq!(
        servers.site.hooks().len(),
        2,
        "a delivered alert is never sent again"
    );
    work.figwatch(&["alerts"])
        .assert()
        .success()
        .stdout(predicate::str::contains("hook:delivered"));
}

#[test]
fn bad_feeds_are_reported_by_url_and_the_rest_still_processed() {
    let servers = Servers::start();
    let bad = [
        "/bad/malformed.xml",
        "/bad/error.xml",
        "/bad/slow.xml",
        "/bad/page.html",
    ];
    let work = Workspace::new(&motivating_config(&servers, &bad, false));
    let output = work.figwatch(&["once"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    for path in bad {
        let url = servers.url(path);
        assert!(
            stderr
                .lines()
                .any(|line| line.contains("WARN") && line.contains(&url)),
            "no warning naming {url}:\n{stderr}"
        );
    }
    assert!(stderr.contains("HTTP 500"), "{stderr}");
    assert!(stderr.contains("timed out"), "{stderr}");
    // The good feed went through: without a baseline, its figures are new.
    assert_eq!(work.sql_count("SELECT COUNT(*) FROM articles"), 1);
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM alerts WHERE kind = 'figure_first_seen'"),
        2
    );
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM feeds WHERE failures = 1"),
        4
    );
}

#[test]
fn sigterm_stops_the_daemon_cleanly_and_a_restart_repeats_nothing() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &[], false));

    let daemon = Daemon::spawn(&work);
    // Without a baseline the first article's figures are first seen: two alerts.
    let hooks = servers.site.wait_for_hooks(2, Duration::from_secs(20));
    assert_eq!(hooks.len(), 2, "{hooks:#?}");
    daemon.wait_for_log("Delivery round done");
    let status = daemon.stop();
    assert!(status.success(), "exit status {status:?}");
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM deliveries WHERE state = 'delivered'"),
        4,
        "two alerts, each to the webhook and the log"
    );

    // A restart finds nothing pending and nothing due (next poll in an hour).
    let daemon = Daemon::spawn(&work);
    daemon.wait_for_log("Figwatch started");
    let status = daemon.stop();
    assert!(status.success());
    assert_eq!(
        servers.site.hooks().len(),
        2,
        "restart must not repeat alerts"
    );
    assert_eq!(servers.site.feed_requests.load(Ordering::SeqCst), 1);
}

#[test]
fn status_server_reports_health_metrics_and_figures() {
    let servers = Servers::start();
    let port = super::support::free_port();
    let config = motivating_config(&servers, &[], false).replace(
        "baseline = false",
        &format!("baseline = false\nlisten = \"127.0.0.1:{port}\""),
    );
    let work = Workspace::new(&config);
    let daemon = Daemon::spawn(&work);
    servers.site.wait_for_hooks(2, Duration::from_secs(20));
    daemon.wait_for_log("Delivery round done");

    let (status, body) = super::support::http_get(port, "/healthz");
    assert_eq!(status, 200, "{body}");
    let health: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["status"], "ok");
    assert!(health["last_successful_poll"].is_string());

    let (status, body) = super::support::http_get(port, "/metrics");
    assert_eq!(status, 200);
    let metric = |name: &str| -> f64 {
        body.lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in:\n{body}"))
    };
    assert_eq!(metric("figwatch_feed_polls_total"), 1.0);
    assert_eq!(metric("figwatch_alerts_total"), 2.0);
    assert_eq!(metric("figwatch_articles_matched_total"), 1.0);

    let (status, body) = super::support::http_get(port, "/");
    assert_eq!(status, 200);
    assert!(body.contains("more than 160"), "{body}");

    assert!(daemon.stop().success());
}
