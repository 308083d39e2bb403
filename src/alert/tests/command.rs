//! The command sink with small shell scripts.

use super::*;
use crate::alert::to_json;

fn command_sink(script: &str, args: &[&str], timeout: Duration) -> Sinks {
    let mut command = vec![
        String::from("sh"),
        String::from("-c"),
        script.to_owned(),
        String::from("figwatch-test"),
    ];
    command.extend(args.iter().map(|arg| (*arg).to_owned()));
    Sinks::new(
        &[sink(
            "script",
            SinkKind::Command {
                command,
                timeout,
                env: Vec::new(),
            },
        )],
        WAIT,
    )
}

#[tokio::test]
async fn command_gets_the_json_on_stdin_and_fields_in_env() {
    let dir = tempfile::tempdir().expect("temp dir");
    let stdin_file = dir.path().join("stdin.json");
    let env_file = dir.path().join("env.txt");
    let script = r#"cat > "$1"; printf '%s\n' "$FIGWATCH_ALERT_ID" "$FIGWATCH_KIND" "$FIGWATCH_WATCH" "$FIGWATCH_FIGURE" "$FIGWATCH_VALUE" "$FIGWATCH_PREVIOUS" "$FIGWATCH_URL" "$FIGWATCH_TITLE" "$FIGWATCH_CREATED_AT" > "$2"; printf '%s' "$FIGWATCH_MESSAGE" > "$2.message""#;
    let sinks = command_sink(
        script,
        &[
            stdin_file.to_str().expect("path"),
            env_file.to_str().expect("path"),
        ],
        WAIT,
    );
    let alert = changed_alert();
    sinks
        .send("script", &alert)
        .await
        .expect("exit 0 is a delivery");

    assert_eq!(
        std::fs::read_to_string(&stdin_file).expect("stdin written"),
        to_json(&alert)
    );
    let env = std::fs::read_to_string(&env_file).expect("env written");
    assert_eq!(
        env.lines().collect::<Vec<_>>(),
        [
            "01JKZ3M7Q8X4T2B6N9C5D1F0GH",
            "figure_changed",
            "nk-russia",
            "artillery",
            "200",
            "160",
            NEW_URL,
            "nk-russia · artillery: more than 160 → more than 200 (+40, +25%)",
            "2025-02-11T09:12:00Z",
        ]
    );
    let message =
        std::fs::read_to_string(dir.path().join("env.txt.message")).expect("message written");
    assert_eq!(message, crate::alert::message(&alert).text());
}

#[tokio::test]
async fn command_that_ignores_stdin_still_delivers() {
    let sinks = command_sink("exit 0", &[], WAIT);
    sinks
        .send("script", &changed_alert())
        .await
        .expect("exit 0 is a delivery");
}

#[tokio::test]
async fn non_zero_exit_is_an_error_with_code_and_stderr_tail() {
    let sinks = command_sink(
        "cat > /dev/null; i=0; while [ $i -lt 500 ]; do echo \"noise $i\" >&2; i=$((i+1)); done; echo 'relay refused the alert' >&2; exit 3",
        &[],
        WAIT,
    );
    let err = sinks
        .send("script", &changed_alert())
        .await
        .expect_err("exit 3 fails");
    match &err {
        Error::Exit {
            sink,
            program,
            code,
            stderr,
        } => {
            assert_eq!(sink, "script");
            assert_eq!(program, "sh");
            assert_eq!(*code, Some(3));
            assert!(
                stderr.ends_with("noise 499 relay refused the alert"),
                "{stderr}"
            );
            assert!(stderr.chars().count() <= 301, "{stderr}");
        }
        other => panic!("expected an exit error, got {other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("sink script: sh exited with status 3: …"),
        "{err}"
    );
}

#[tokio::test]
async fn command_past_its_timeout_is_killed_and_an_error() {
    let sinks = command_sink("exec sleep 30", &[], Duration::from_millis(300));
    let started = std::time::Instant::now();
    let err = sinks
        .send("script", &changed_alert())
        .await
        .expect_err("too slow");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(err.to_string(), "sink script: timed out after 300ms");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn missing_program_is_a_spawn_error() {
    let sinks = Sinks::new(
        &[sink(
            "script",
            SinkKind::Command {
                command: vec![String::from("/nonexistent/figwatch-notify")],
                timeout: WAIT,
                env: Vec::new(),
            },
        )],
        WAIT,
    );
    let err = sinks
        .send("script", &changed_alert())
        .await
        .expect_err("no program");
    assert!(matches!(err, Error::Spawn { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("sink script: cannot run /nonexistent/figwatch-notify: "),
        "{err}"
    );
}

#[test]
fn environment_values_never_hold_nul() {
    let mut alert = changed_alert();
    alert.watch = String::from("nk\0russia");
    let environment = crate::alert::command::environment(&alert);
    assert!(environment.iter().all(|(_, value)| !value.contains('\0')));
    assert!(environment.contains(&("FIGWATCH_WATCH", String::from("nkrussia"))));
}
