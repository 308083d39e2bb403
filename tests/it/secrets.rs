//! Secrets stay where they belong, through the real binary: a `command`
//! sink's program sees only the environment it is allowed, and credentials
//! in URLs never reach logs, `check`, the status page or alerts.

use super::support::Workspace;

#[test]
fn command_sink_gets_a_cleared_environment_and_its_allow_list() {
    let work = Workspace::new("");
    let out = work.dir.path().join("env.txt");
    std::fs::write(
        work.config(),
        format!(
            r#"[daemon]
database = "figwatch.db"

[sink.hook]
type = "webhook"
url = "http://127.0.0.1:9/hook"
secret_env = "HOOK_SECRET"

[sink.script]
type = "command"
command = ["sh", "-c", "env > '{}'"]
env = ["EXTRA_OK"]
"#,
            out.display()
        ),
    )
    .unwrap();
    work.figwatch(&["test-sink", "script"])
        .env("HOOK_SECRET", "hook-s3cret-value")
        .env("SMTP_PASSWORD", "smtp-s3cret-value")
        .env("EXTRA_OK", "passed on")
        .env("LANG", "C.UTF-8")
        .assert()
        .success();
    let env = std::fs::read_to_string(&out).unwrap();
    assert!(!env.contains("s3cret"), "{env}");
    let names: Vec<&str> = env
        .lines()
        .filter_map(|line| line.split_once('=').map(|(name, _)| name))
        .collect();
    for expected in ["PATH", "LANG", "EXTRA_OK", "FIGWATCH_KIND", "FIGWATCH_ALERT_ID"] {
        assert!(names.contains(&expected), "{expected} missing: {env}");
    }
    assert!(env.contains("EXTRA_OK=passed on"), "{env}");
    assert!(env.contains("FIGWATCH_KIND=test"), "{env}");
    // What the shell adds itself (PWD, SHLVL, _) aside, nothing else.
    let unexpected: Vec<&&str> = names
        .iter()
        .filter(|name| {
            !name.starts_with("FIGWATCH_")
                && !["PATH", "HOME", "LANG", "TZ", "EXTRA_OK", "PWD", "SHLVL", "_", "OLDPWD"]
                    .contains(name)
        })
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:?} in {env}");

    let check = work.figwatch(&["check"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("environment: PATH HOME LANG TZ EXTRA_OK FIGWATCH_*"),
        "{stdout}"
    );
}
