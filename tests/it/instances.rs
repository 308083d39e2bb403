//! Several figwatch processes on one database share the work without
//! doing it twice: a feed is leased before it is polled, a delivery claimed
//! before it is sent.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use std::time::{Duration, Instant};

use super::support::{Daemon, Servers, Workspace, free_port, http_get, motivating_config};

/// The regression of issue 15: three `figwatch once` started together on
/// one SQLite file used to deliver every alert three times. The alerts wait
/// in the outbox (the webhook was down), the webhook is slow now, and all
/// three processes find the same deliveries due at once.
#[test]
fn overlapping_once_runs_deliver_each_alert_once() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &["/wire/atom.xml"], false));
    servers.site.hook_status.store(503, Ordering::SeqCst);
    work.figwatch(&["once"]).assert().success();
    assert!(servers.site.hooks().is_empty());
    // Time passes: every retry is due.
    work.sql("UPDATE deliveries SET next_attempt_at = '2000-01-01T00:00:00.000Z'");
    servers.site.hook_status.store(200, Ordering::SeqCst);
    servers.site.hook_delay_ms.store(300, Ordering::SeqCst);
    let children: Vec<std::process::Child> = (0..3)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("figwatch"))
                .arg("--config")
                .arg(work.config())
                .arg("once")
                .env_remove("RUST_LOG")
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let n_alerts = work.sql_count("SELECT count(*) FROM alerts");
    assert!(n_alerts >= 2, "only {n_alerts} alerts");
    assert_eq!(
        work.sql_count(
            "SELECT count(*) FROM deliveries WHERE sink = 'hook' AND state = 'delivered'"
        ),
        n_alerts,
        "every alert delivered"
    );
    let mut times: HashMap<String, usize> = HashMap::new();
    for hook in servers.site.hooks() {
        *times
            .entry(hook.body["id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(
        times.len() as i64,
        n_alerts,
        "every alert reached the receiver"
    );
    let repeated: Vec<(&String, &usize)> = times.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeated.is_empty(),
        "alerts received more than once: {repeated:?}"
    );
    // No lease or claim is left behind by processes that finished.
    assert_eq!(
        work.sql_count("SELECT count(*) FROM feeds WHERE lease_owner IS NOT NULL"),
        0
    );
    assert_eq!(
        work.sql_count("SELECT count(*) FROM deliveries WHERE claimed_by IS NOT NULL"),
        0
    );
}

/// A new schema in the test database and a URL whose connections use it;
/// `None` without `FIGWATCH_TEST_DATABASE_URL`.
pub fn postgres_schema() -> Option<(String, String)> {
    let url = std::env::var("FIGWATCH_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())?;
    let schema = format!("it_{}", ulid::Ulid::generate().to_string().to_lowercase());
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    Some((
        format!("{url}{separator}options=-csearch_path%3D{schema}"),
        schema,
    ))
}

#[test]
fn migrate_store_moves_a_sqlite_store_to_postgres_and_sends_nothing_twice() {
    let Some((url, _schema)) = postgres_schema() else {
        return;
    };
    let servers = Servers::start();
    let sqlite_config = motivating_config(&servers, &[], false);
    let work = Workspace::new(&sqlite_config);
    work.figwatch(&["once"]).assert().success();
    let n_sent = servers.site.hooks().len();
    assert!(n_sent >= 2, "{n_sent} alerts sent");
    let figures_before = work
        .figwatch(&["figures", "--json"])
        .output()
        .unwrap()
        .stdout;

    let output = work
        .figwatch(&["migrate-store", "--to", &url])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.contains("alerts: 2"), "{printed}");

    // The same config on PostgreSQL: the same figures, nothing sent again.
    std::fs::write(
        work.config(),
        sqlite_config.replace(
            "database = \"figwatch.db\"",
            &format!("database = \"{url}\""),
        ),
    )
    .unwrap();
    let check = work.figwatch(&["check"]).output().unwrap();
    assert!(String::from_utf8_lossy(&check.stdout).contains("(postgres)"));
    let figures_after = work
        .figwatch(&["figures", "--json"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        String::from_utf8_lossy(&figures_after),
        String::from_utf8_lossy(&figures_before)
    );
    work.figwatch(&["once"]).assert().success();
    assert_eq!(servers.site.hooks().len(), n_sent, "nothing sent twice");

    // Copying from a store that is not SQLite is a usage error.
    let again = work
        .figwatch(&["migrate-store", "--to", &url])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not a SQLite file"));
}

#[test]
fn metrics_and_status_page_show_the_instance_its_leases_and_the_live_instances() {
    let servers = Servers::start();
    let port = free_port();
    let config = motivating_config(&servers, &[], true).replacen(
        "baseline = true",
        &format!("baseline = true\nlisten = \"127.0.0.1:{port}\""),
        1,
    );
    let work = Workspace::new(&config);
    let first = Daemon::spawn(&work);
    let started = first.wait_for_line("Figwatch started");
    let instance = started
        .split("instance=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    // A second instance on the same file, without a status server.
    let other_work = Workspace::new(&motivating_config(&servers, &[], true));
    std::fs::write(
        other_work.config(),
        motivating_config(&servers, &[], true).replace(
            "database = \"figwatch.db\"",
            &format!("database = \"{}\"", work.database().display()),
        ),
    )
    .unwrap();
    let second = Daemon::spawn(&other_work);
    second.wait_for_log("Figwatch started");

    let deadline = Instant::now() + Duration::from_secs(30);
    let metrics = loop {
        let (status, body) = http_get(port, "/metrics");
        if status == 200 && body.contains("figwatch_live_instances 2") {
            break body;
        }
        assert!(
            Instant::now() < deadline,
            "two live instances never shown:\n{body}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        metrics.contains(&format!(
            "figwatch_instance_info{{instance=\"{instance}\",backend=\"sqlite\"}} 1"
        )),
        "{metrics}"
    );
    assert!(metrics.contains("figwatch_leased_feeds "), "{metrics}");
    assert!(
        metrics.contains("figwatch_database_connections 1"),
        "{metrics}"
    );
    let (status, page) = http_get(port, "/");
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("This is instance {instance} (sqlite store)")),
        "{page}"
    );
    assert!(page.contains("(this one)"), "{page}");
    assert!(first.stop().success());
    assert!(second.stop().success());
}
