//! Several figwatch processes on one database share the work without
//! doing it twice: a feed is leased before it is polled, a delivery claimed
//! before it is sent.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use super::support::{Servers, Workspace, motivating_config};

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
