//! `figwatch demo`: the newcomer's first minute, through the real binary.

use std::io::BufRead as _;
use std::time::Duration;

use predicates::prelude::*;

use super::support::{free_port, http_get};

fn demo(args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("figwatch").unwrap();
    cmd.arg("demo")
        .args(args)
        // No config anywhere: the demo needs none.
        .env_remove("FIGWATCH_CONFIG")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60));
    cmd
}

#[test]
fn demo_tells_the_story_with_its_alerts_and_ends_with_the_figures_table() {
    let output = demo(&[]).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // The motivating alert, as the pipeline raised and the webhook carried it.
    assert!(
        stdout.contains("ALERT nk-russia · artillery: more than 160 → more than 200 (+40, +25%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ALERT nk-russia · troops: about 11,000 (South Korea's intelligence service) → more than 12,000 (+1,000, +9.1%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("ALERT nk-russia · casualties: about 3,000 (first seen)"),
        "{stdout}"
    );
    // Exactly these three: the baseline day and the traps alert nothing.
    assert_eq!(stdout.matches("ALERT ").count(), 3, "{stdout}");
    let day = |n: usize| {
        let start = stdout.find(&format!("Day {n} ·")).unwrap();
        let end = stdout[start + 1..]
            .find("\nDay ")
            .map_or(stdout.len(), |idx| start + 1 + idx);
        stdout[start..end].to_string()
    };
    for quiet_day in [1, 2, 5] {
        assert!(!day(quiet_day).contains("ALERT"), "{}", day(quiet_day));
    }
    assert!(stdout.contains("3 alerts delivered."), "{stdout}");
    // The figures table closes the run.
    let table = &stdout[stdout.find("WATCH ").expect("a figures table")..];
    for row in [
        ("artillery", "more than 200"),
        ("troops", "more than 12,000"),
        ("casualties", "about 3,000"),
    ] {
        assert!(
            table
                .lines()
                .any(|line| line.contains(row.0) && line.contains(row.1)),
            "{row:?} not in\n{table}"
        );
    }
    // Its log says only what went wrong: nothing.
    assert!(
        !stderr.contains("WARN") && !stderr.contains("ERROR"),
        "{stderr}"
    );
}

#[test]
fn demo_dir_keeps_a_database_the_other_commands_read() {
    let dir = tempfile::tempdir().unwrap();
    let keep = dir.path().join("demo");
    demo(&["--dir", keep.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("history nk-russia artillery"));
    let config = keep.join("figwatch.toml");
    let mut history = assert_cmd::Command::cargo_bin("figwatch").unwrap();
    history
        .arg("--config")
        .arg(&config)
        .args(["history", "nk-russia", "artillery"])
        .assert()
        .success()
        .stdout(predicate::str::contains("more than 160"))
        .stdout(predicate::str::contains("more than 200"))
        // The late January article is history, not a change.
        .stdout(predicate::str::contains("150"));
    // A second run would find the old state and alert nothing: refused.
    demo(&["--dir", keep.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already holds a figwatch.db"));
}

#[test]
fn demo_listen_keeps_the_status_page_up_until_sigterm() {
    let port = free_port();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("figwatch"))
        .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
        .env_remove("FIGWATCH_CONFIG")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // A failed assertion below must not leave the demo running.
    struct KillOnDrop(Option<std::process::Child>);
    impl Drop for KillOnDrop {
        fn drop(&mut self) {
            if let Some(mut child) = self.0.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
    let mut guard = KillOnDrop(Some(child));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = rx
            .recv_timeout(left)
            .expect("the demo never announced its status page");
        if line.contains(&format!("Status page: http://127.0.0.1:{port}/")) {
            break;
        }
    }
    // The daemon binds before it reports ready; wait (bounded) for it.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "status page never came up"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (status, body) = http_get(port, "/");
    assert_eq!(status, 200);
    assert!(
        body.contains("artillery") && body.contains("casualties"),
        "{body}"
    );
    let mut child = guard.0.take().unwrap();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });
    let exit = done_rx
        .recv_timeout(Duration::from_secs(15))
        .expect("the demo did not stop within 15 s of SIGTERM")
        .unwrap();
    assert!(exit.success(), "{exit:?}");
}
