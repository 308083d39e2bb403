//! Secrets stay where they belong, through the real binary: a `command`
//! sink's program sees only the environment it is allowed, and credentials
//! in URLs never reach logs, `check`, the status page or alerts.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::support::{Workspace, serve};

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
    for expected in [
        "PATH",
        "LANG",
        "EXTRA_OK",
        "FIGWATCH_KIND",
        "FIGWATCH_ALERT_ID",
    ] {
        assert!(names.contains(&expected), "{expected} missing: {env}");
    }
    assert!(env.contains("EXTRA_OK=passed on"), "{env}");
    assert!(env.contains("FIGWATCH_KIND=test"), "{env}");
    // What the shell adds itself (PWD, SHLVL, _) aside, nothing else.
    let unexpected: Vec<&&str> = names
        .iter()
        .filter(|name| {
            !name.starts_with("FIGWATCH_")
                && ![
                    "PATH", "HOME", "LANG", "TZ", "EXTRA_OK", "PWD", "SHLVL", "_", "OLDPWD",
                ]
                .contains(name)
        })
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:?} in {env}");

    let check = work
        .figwatch(&["check"])
        .env("HOOK_SECRET", "hook-s3cret-value")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.contains("environment: PATH HOME LANG TZ EXTRA_OK FIGWATCH_*"),
        "{stdout}"
    );
}

/// A feed of link-less entries (each one the article) and a receiver that
/// answers 500 quoting the credentials it got, in the raw and base64.
struct Leaky {
    addr: std::net::SocketAddr,
    hooks: Arc<Mutex<Vec<(String, String)>>>,
}

fn leaky_site() -> Leaky {
    let hooks: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let received = Arc::clone(&hooks);
    let items: String = (1..=3)
        .map(|idx| {
            format!(
                "<item><title>Artillery count {idx}</title><guid isPermaLink=\"false\">note-{idx}</guid>\
                 <description>More than {idx}00 artillery pieces were sent.</description></item>"
            )
        })
        .collect();
    let feed = format!("<rss version=\"2.0\"><channel><title>Notes</title>{items}</channel></rss>");
    let app = Router::new()
        .route(
            "/feed.xml",
            get(move || {
                let feed = feed.clone();
                async move { ([(header::CONTENT_TYPE, "application/rss+xml")], feed) }
            }),
        )
        .route("/missing.xml", get(|| async { StatusCode::NOT_FOUND }))
        .route(
            "/hook",
            post(move |headers: HeaderMap, body: String| {
                let received = Arc::clone(&received);
                async move {
                    let auth = headers
                        .get(header::AUTHORIZATION)
                        .and_then(|value| value.to_str().ok())
                        .unwrap_or("")
                        .to_owned();
                    received.lock().unwrap().push((auth.clone(), body));
                    let token = auth.trim_start_matches("Bearer ");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("token {token} rejected ({})", STANDARD.encode(token)),
                    )
                }
            }),
        );
    Leaky {
        addr: serve(app),
        hooks,
    }
}

#[test]
fn credentials_in_urls_and_headers_never_leave_in_any_form() {
    let site = leaky_site();
    let addr = site.addr;
    let work = Workspace::new(&format!(
        r#"[daemon]
database = "figwatch.db"
timeout = "5s"
baseline = false

[[feed]]
url = "http://reader:hunter2pass@{addr}/feed.xml?lang=en&token=feedtoken123"

[[feed]]
url_file = "missing-feed.url"

[watch.guns]
query = 'artillery'

[watch.guns.figure.artillery]
terms = ["artillery pieces"]

[sink.hook]
type = "webhook"
url_env = "HOOK_URL"
headers_env = {{ Authorization = "HOOK_AUTH" }}
max_attempts = 1
"#
    ));
    std::fs::write(
        work.dir.path().join("missing-feed.url"),
        format!("http://reader:hunter2pass@{addr}/missing.xml?token=feedtoken123\n"),
    )
    .unwrap();
    let hook_url = format!("http://{addr}/hook?api_key=hookkey456");
    let check = work
        .figwatch(&["check"])
        .env("HOOK_AUTH", "Bearer tok-abcdefgh12345")
        .env("HOOK_URL", &hook_url)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let once = work
        .figwatch(&["-v", "once"])
        .env("HOOK_AUTH", "Bearer tok-abcdefgh12345")
        .env("HOOK_URL", &hook_url)
        .output()
        .unwrap();
    let alerts = work
        .figwatch(&["alerts"])
        .env("HOOK_AUTH", "Bearer tok-abcdefgh12345")
        .env("HOOK_URL", &hook_url)
        .output()
        .unwrap();

    // The receiver got the header and the alerts; 3 link-less entries are
    // 3 articles, none of them named with the feed's credentials.
    let hooks = site.hooks.lock().unwrap().clone();
    assert!(!hooks.is_empty());
    assert!(alerts.status.success());
    assert!(
        hooks
            .iter()
            .all(|(auth, _)| auth == "Bearer tok-abcdefgh12345")
    );
    assert_eq!(work.sql_count("SELECT COUNT(*) FROM articles"), 3);
    let urls = work.sql_text("SELECT group_concat(url, ' ') FROM articles");
    assert!(urls.contains("#entry-"), "{urls}");

    let shown = [
        String::from_utf8_lossy(&check.stdout).into_owned(),
        String::from_utf8_lossy(&check.stderr).into_owned(),
        String::from_utf8_lossy(&once.stdout).into_owned(),
        String::from_utf8_lossy(&once.stderr).into_owned(),
        String::from_utf8_lossy(&alerts.stdout).into_owned(),
        urls,
        work.sql_text("SELECT group_concat(COALESCE(last_error, ''), ' ') FROM feeds"),
        work.sql_text("SELECT group_concat(COALESCE(last_error, ''), ' ') FROM deliveries"),
        hooks
            .iter()
            .map(|(_, body)| body.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    ];
    for (idx, text) in shown.iter().enumerate() {
        for secret in [
            "hunter2pass",
            "feedtoken123",
            "hookkey456",
            "tok-abcdefgh12345",
            &STANDARD.encode("tok-abcdefgh12345"),
        ] {
            assert!(!text.contains(secret), "{secret} in output {idx}: {text}");
        }
    }
    // What was shown instead: the URLs, redacted, and the receiver's error.
    assert!(
        shown[0].contains(&format!("http://{addr}/feed.xml?lang=en&token=[redacted]")),
        "{}",
        shown[0]
    );
    assert!(
        shown[3].contains(&format!(
            "http://{addr}/missing.xml?token=[redacted]: HTTP 404"
        )),
        "{}",
        shown[3]
    );
    assert!(
        shown[0].contains(&format!("POST http://{addr}/hook?api_key=[redacted]")),
        "{}",
        shown[0]
    );
    assert!(
        shown[7].contains("token [redacted] rejected ([redacted])"),
        "{}",
        shown[7]
    );
}
