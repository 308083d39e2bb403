//! The operator's daily routine (issue 17): read-only commands without the
//! sinks' secrets, failures that show in the exit status, config mistakes
//! that say what to write, the log sink's text.

use predicates::prelude::*;

use super::support::{Servers, Workspace, motivating_config};

const SECRET_VAR: &str = "FIGWATCH_OPS_TEST_SECRET";

/// The motivating config with a signed webhook whose secret comes from
/// `SECRET_VAR`, and the log sink.
fn config_with_secret(servers: &Servers) -> String {
    motivating_config(servers, &[], false).replace(
        "[sink.hook]\ntype = \"webhook\"",
        &format!("[sink.hook]\ntype = \"webhook\"\nsecret_env = \"{SECRET_VAR}\""),
    )
}

/// The config line that names the sink's secret.
fn secret_line(work: &Workspace) -> usize {
    let text = std::fs::read_to_string(work.config()).expect("the config");
    text.lines()
        .position(|line| line.starts_with("secret_env"))
        .expect("a secret_env line")
        + 1
}

#[test]
fn read_only_commands_work_without_the_sinks_secrets() {
    let servers = Servers::start();
    let work = Workspace::new(&config_with_secret(&servers));
    // Sending needs the secret, and says which one is missing (exit 2).
    work.figwatch(&["once"])
        .env_remove(SECRET_VAR)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "figwatch.toml:{}:14: sink hook: environment variable {SECRET_VAR} (secret_env) is not set",
            secret_line(&work)
        )));
    work.figwatch(&["once"])
        .env(SECRET_VAR, "s3cret-for-the-hook")
        .assert()
        .success();

    // Everything that only reads works without it, as `sudo figwatch
    // figures` on a server whose secrets live in the unit's EnvironmentFile.
    for args in [
        &["figures"][..],
        &["figures", "nk-russia"],
        &["history", "nk-russia", "artillery"],
        &["articles"],
        &["alerts"],
        &["export-opml"],
        &["extract", "--plain", "-"],
    ] {
        work.figwatch(args)
            .env_remove(SECRET_VAR)
            .write_stdin("North Korea sent 200 artillery pieces to Russia.")
            .assert()
            .success();
    }
    work.figwatch(&["figures"])
        .env_remove(SECRET_VAR)
        .assert()
        .stdout(predicate::str::contains("more than 160"));

    // check: a warning naming the variable, exit 0; --strict: an error.
    work.figwatch(&["check"])
        .env_remove(SECRET_VAR)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "secret: from environment variable {SECRET_VAR} (secret_env)"
        )))
        .stderr(predicate::str::contains(format!(
            "warning: {}:{}:14: sink hook: environment variable {SECRET_VAR} (secret_env) is not set",
            work.config().display(),
            secret_line(&work)
        )));
    work.figwatch(&["check", "--strict"])
        .env_remove(SECRET_VAR)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "environment variable {SECRET_VAR} (secret_env) is not set"
        )));
    work.figwatch(&["check", "--strict"])
        .env(SECRET_VAR, "s3cret-for-the-hook")
        .assert()
        .success()
        .stderr(predicate::str::contains("warning").not());
    // test-sink needs only the secrets of the sink it tests.
    work.figwatch(&["test-sink", "journal"])
        .env_remove(SECRET_VAR)
        .assert()
        .success();
    work.figwatch(&["test-sink", "hook"])
        .env_remove(SECRET_VAR)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "sink hook: environment variable {SECRET_VAR} (secret_env) is not set"
        )));
}

#[test]
fn once_exits_1_when_no_feed_could_be_fetched() {
    let servers = Servers::start();
    let config = motivating_config(&servers, &[], false).replace(
        &servers.url("/news/feed.xml"),
        &servers.url("/bad/error.xml"),
    );
    let work = Workspace::new(&config);
    work.figwatch(&["once"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no feed could be fetched (1 of 1 failed",
        ));
    // One good feed beside a failing one is a pass that worked.
    let work = Workspace::new(&motivating_config(&servers, &["/bad/error.xml"], false));
    work.figwatch(&["once"]).assert().success();
}

#[test]
fn a_feed_url_listed_twice_is_a_config_error_naming_both_lines() {
    let work = Workspace::new(
        "[[feed]]\nurl = \"https://news.example/world.rss\"\n\n[[feed]]\nurl = \"https://news.example/world.rss\"\nname = \"again\"\n",
    );
    work.figwatch(&["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:5:7: feed url https://news.example/world.rss is listed twice (first at line 2)",
            work.config().display()
        )));
}

#[test]
fn a_number_for_a_duration_says_what_a_duration_looks_like() {
    let work = Workspace::new("[daemon]\npoll_interval = 60\n");
    work.figwatch(&["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            ":2:17: invalid duration 60: a number needs a unit; expected a duration such as \"60s\" or \"15m\"",
        ));
}

#[test]
fn check_shows_how_an_email_sink_connects() {
    let work = Workspace::new(
        r#"[sink.mail]
type = "email"
host = "smtp.example.org"
tls = "tls"
username = "figwatch"
password_env = "FIGWATCH_OPS_SMTP_PASSWORD"
from = "figwatch@example.org"
to = "me@example.org"

[sink.relay]
type = "email"
host = "localhost"
tls = "none"
from = "figwatch@example.org"
to = ["me@example.org", "you@example.org"]
"#,
    );
    work.figwatch(&["check"])
        .env_remove("FIGWATCH_OPS_SMTP_PASSWORD")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "mail (email): mail via smtp.example.org:465 (TLS from the first byte) from figwatch@example.org to me@example.org, login figwatch",
        ))
        .stdout(predicate::str::contains(
            "relay (email): mail via localhost:25 (plain text, no TLS)",
        ))
        .stderr(predicate::str::contains(
            "FIGWATCH_OPS_SMTP_PASSWORD (password_env) is not set",
        ));
}

#[test]
fn the_log_sink_prints_the_whole_message_of_a_figure_alert() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &[], false));
    let output = work.figwatch(&["once"]).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let alert_line = stderr
        .lines()
        .find(|line| line.contains("Alert: nk-russia · artillery"))
        .unwrap_or_else(|| panic!("no log-sink line for artillery:\n{stderr}"));
    // `text` is the whole message on one line: title, quote, source, link.
    let text = alert_line
        .split_once(" text=")
        .map(|(_, text)| text)
        .unwrap_or_else(|| panic!("no text field: {alert_line}"));
    assert!(
        text.starts_with("nk-russia · artillery: more than 160 (first seen) \"Seoul: North Korea has sent Russia more than 160 artillery pieces\" Korea Daily, 2024-11-20 — http://"),
        "{alert_line}"
    );
}

/// Requests a local stand-in for an ntfy server received: (path, title,
/// X-Sequence-ID).
type NtfyLog = std::sync::Arc<std::sync::Mutex<Vec<(String, String, Option<String>)>>>;

fn ntfy_receiver() -> (std::net::SocketAddr, NtfyLog) {
    use axum::http::HeaderMap;
    let log = NtfyLog::default();
    let seen = std::sync::Arc::clone(&log);
    let app = axum::Router::new().route(
        "/{topic}",
        axum::routing::post(
            move |axum::extract::Path(topic): axum::extract::Path<String>, headers: HeaderMap| {
                let seen = std::sync::Arc::clone(&seen);
                async move {
                    let text = |name: &str| {
                        headers
                            .get(name)
                            .and_then(|value| value.to_str().ok())
                            .map(str::to_string)
                    };
                    seen.lock().unwrap().push((
                        topic,
                        text("title").unwrap_or_default(),
                        text("x-sequence-id"),
                    ));
                    "{}"
                }
            },
        ),
    );
    (super::support::serve(app), log)
}

#[test]
fn ntfy_replaces_a_figures_notification_instead_of_stacking_them() {
    use std::sync::atomic::Ordering;
    let servers = Servers::start();
    let (ntfy_addr, log) = ntfy_receiver();
    let config = motivating_config(&servers, &[], false).replace(
        "[sink.journal]",
        &format!(
            "[sink.phone]\ntype = \"ntfy\"\nurl = \"http://{ntfy_addr}/nk-watch\"\n\n[sink.journal]"
        ),
    );
    let work = Workspace::new(&config);
    work.figwatch(&["once"]).assert().success();
    servers.site.feed_version.store(2, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();

    let log = log.lock().unwrap().clone();
    let count = |id: &str| {
        log.iter()
            .filter(|(_, _, sequence)| sequence.as_deref() == Some(id))
            .count()
    };
    // Each figure first seen, then changed: two notifications in one
    // sequence per figure, four in all, none without a sequence.
    assert_eq!(log.len(), 4, "{log:?}");
    assert_eq!(count("figwatch_nk-russia_artillery"), 2, "{log:?}");
    assert_eq!(count("figwatch_nk-russia_troops"), 2, "{log:?}");
    // The replacement carries the new text.
    let artillery_titles: Vec<&String> = log
        .iter()
        .filter(|(_, _, sequence)| sequence.as_deref() == Some("figwatch_nk-russia_artillery"))
        .map(|(_, title, _)| title)
        .collect();
    assert_ne!(artillery_titles[0], artillery_titles[1]);

    // update_in_place = false: every alert its own notification.
    let (stack_addr, stack_log) = ntfy_receiver();
    let config = motivating_config(&servers, &[], false).replace(
        "[sink.journal]",
        &format!("[sink.phone]\ntype = \"ntfy\"\nurl = \"http://{stack_addr}/nk-watch\"\nupdate_in_place = false\n\n[sink.journal]"),
    );
    let work = Workspace::new(&config);
    work.figwatch(&["once"]).assert().success();
    let stack_log = stack_log.lock().unwrap().clone();
    assert!(!stack_log.is_empty());
    assert!(
        stack_log.iter().all(|(_, _, id)| id.is_none()),
        "{stack_log:?}"
    );
}

#[test]
fn figures_and_history_csv_parse_back_with_raw_numbers() {
    use std::sync::atomic::Ordering;
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &[], false));
    work.figwatch(&["once"]).assert().success();
    servers.site.feed_version.store(2, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();

    let output = work.figwatch(&["figures", "--csv"]).output().unwrap();
    assert!(output.status.success());
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let artillery = rows
        .iter()
        .find(|row| &row[column("figure")] == "artillery")
        .expect("an artillery row");
    assert_eq!(&artillery[column("watch")], "nk-russia");
    assert_eq!(&artillery[column("value")], "200");
    assert_eq!(&artillery[column("qualifier")], "more_than");
    assert_eq!(&artillery[column("previous_value")], "160");
    assert_eq!(&artillery[column("change")], "40");
    assert!(artillery[column("published_at")].starts_with("2025-02-11T09:12:00"));
    // A quote with commas survives the round trip.
    assert!(
        artillery[column("title")].contains("Russia, Seoul estimates"),
        "{artillery:?}"
    );

    let output = work
        .figwatch(&["history", "nk-russia", "artillery", "--csv"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let value = header.iter().position(|h| h == "value").unwrap();
    let decision = header.iter().position(|h| h == "decision").unwrap();
    let rows: Vec<(String, String)> = reader
        .records()
        .map(|row| {
            let row = row.unwrap();
            (row[value].to_string(), row[decision].to_string())
        })
        .collect();
    assert_eq!(rows.first().map(|r| r.0.as_str()), Some("160"), "{rows:?}");
    assert!(
        rows.iter().any(|r| r.0 == "200" && r.1 == "changed"),
        "{rows:?}"
    );

    // --csv and --json are one or the other.
    work.figwatch(&["figures", "--csv", "--json"])
        .assert()
        .code(2);
}

/// Every place that tells how to install the system config names the same
/// file: the one whose database is in the state directory.
#[test]
fn the_unit_file_readme_and_package_install_the_same_system_config() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut n_places = 0;
    for file in ["README.md", "systemd/figwatch.service", "Cargo.toml"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        // A line naming a source and the destination.
        for line in text.lines().filter(|line| {
            line.contains("etc/figwatch/figwatch.toml")
                && line.matches("figwatch.toml").count() >= 2
        }) {
            n_places += 1;
            assert!(
                line.contains("systemd/figwatch.toml") && !line.contains("config/figwatch.toml"),
                "{file}: {line}"
            );
        }
    }
    assert!(n_places >= 3, "found {n_places} install lines");
}

/// The README's first command is the demo, which needs nothing but a build.
#[test]
fn the_readmes_first_command_is_the_demo() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    let block = readme.split("```sh\n").nth(1).unwrap();
    let first = block.lines().next().unwrap();
    assert!(first.starts_with("cargo run --release -- demo "), "{first}");
    let second = block.lines().nth(1).unwrap();
    assert!(second.starts_with("cargo test "), "{second}");
}
