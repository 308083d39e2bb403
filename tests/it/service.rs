//! figwatch as a system service: the systemd unit's sandbox rating, SIGHUP
//! reload, logs under journald and as JSON, secrets kept out of the logs.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use super::support::{Daemon, Servers, Workspace, free_port, http_get, motivating_config};

/// The overall exposure `systemd-analyze security` gives a unit file.
fn exposure_rating(unit: &Path) -> (f64, String) {
    let output = std::process::Command::new("systemd-analyze")
        .args(["security", "--offline=true"])
        .arg(unit)
        .output()
        .expect("systemd-analyze (systemd) must be installed to test the unit");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let line = stdout
        .lines()
        .find(|line| line.contains("Overall exposure level"))
        .unwrap_or_else(|| {
            panic!(
                "no rating in systemd-analyze output:\n{stdout}\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    // "→ Overall exposure level for figwatch.service: 1.2 OK 🙂"
    let rating = line
        .rsplit_once(':')
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("cannot read the rating in {line:?}"));
    (rating, line.to_string())
}

#[test]
fn systemd_unit_is_rated_ok_by_systemd_analyze() {
    let unit = Path::new(env!("CARGO_MANIFEST_DIR")).join("systemd/figwatch.service");
    let (rating, line) = exposure_rating(&unit);
    assert!(rating <= 2.0, "{line}");
    assert!(line.contains("OK"), "{line}");
}

#[test]
fn systemd_analyze_rating_is_read_from_a_weak_unit_too() {
    // The parser must not pass a unit it cannot read: an unhardened unit
    // rates far above 2.0.
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("weak.service");
    std::fs::write(
        &unit,
        "[Unit]\nDescription=weak\n\n[Service]\nExecStart=/usr/bin/true\n",
    )
    .unwrap();
    let (rating, line) = exposure_rating(&unit);
    assert!(rating > 5.0, "{line}");
}

/// Checks `condition` every 20 ms until it holds; fails after 20 s.
#[track_caller]
fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !condition() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The motivating config with the status server on `port`.
fn config_with_listen(servers: &Servers, port: u16) -> String {
    motivating_config(servers, &[], false).replace(
        "baseline = false",
        &format!("baseline = false\nlisten = \"127.0.0.1:{port}\""),
    )
}

#[test]
fn sighup_reload_applies_feeds_and_watches_and_rejects_an_invalid_config() {
    let servers = Servers::start();
    let port = free_port();
    let work = Workspace::new(&config_with_listen(&servers, port));
    let daemon = Daemon::spawn(&work);
    daemon.wait_for_log("Article recorded");
    assert_eq!(servers.site.feed_requests.load(Ordering::SeqCst), 1);

    // The new config drops the news feed, adds the wire feed (which now
    // carries the February story) and a second watch.
    servers.site.feed_version.store(2, Ordering::SeqCst);
    let news = servers.url("/news/feed.xml");
    let wire = servers.url("/wire/atom.xml");
    let reloaded = config_with_listen(&servers, port)
        .replace(
            &format!("url = \"{news}\"\nname = \"Korea Daily\""),
            &format!("url = \"{wire}\"\nname = \"Wire\""),
        )
        .replace(
            "[sink.hook]",
            "[watch.arms]\nquery = 'Pyongyang AND artillery'\n\n\
             [watch.arms.figure.guns]\nterms = [\"artillery pieces\"]\n\n[sink.hook]",
        );
    assert!(reloaded.contains(&wire) && !reloaded.contains(&news));
    std::fs::write(work.config(), &reloaded).unwrap();
    daemon.signal("HUP");
    let line = daemon.wait_for_line("Config reloaded");
    assert!(
        line.contains("feeds=1") && line.contains("watches=2"),
        "{line}"
    );

    // The wire feed is polled at once and the new watch matches its story.
    let line = daemon.wait_for_line("long-range-artillery.html");
    assert!(line.contains("Article recorded"), "{line}");
    assert_eq!(
        work.sql_count("SELECT COUNT(*) FROM matches WHERE watch = 'arms'"),
        1
    );
    assert_eq!(
        work.sql_count(
            "SELECT COUNT(*) FROM observations WHERE watch = 'arms' AND figure = 'guns' AND value = 200"
        ),
        1
    );
    // The poll is recorded after its articles: wait (bounded) for it.
    let polled =
        format!("SELECT COUNT(*) FROM feeds WHERE url = '{wire}' AND last_polled_at IS NOT NULL");
    wait_until("the wire feed's poll is recorded", || {
        work.sql_count(&polled) == 1
    });
    // The removed feed is not polled again.
    assert_eq!(servers.site.feed_requests.load(Ordering::SeqCst), 1);

    // An invalid config is rejected, naming file:line:col; the daemon keeps
    // running on the config it has.
    let invalid = reloaded.replace("poll_interval = \"1h\"", "poll_interval = \"often\"");
    let line_number = invalid
        .lines()
        .position(|line| line.contains("often"))
        .unwrap()
        + 1;
    std::fs::write(work.config(), &invalid).unwrap();
    daemon.signal("HUP");
    let line = daemon.wait_for_line("Config reload failed");
    let location = format!("{}:{line_number}:17", work.config().display());
    assert!(line.contains(&location), "{location} not in {line}");
    assert!(line.contains("ERROR"), "{line}");
    // /healthz says so (still 200: the old config runs), and /metrics.
    let (status, body) = http_get(port, "/healthz");
    assert_eq!(status, 200, "{body}");
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    let config_state = health["config"].as_str().unwrap_or_default();
    assert!(
        config_state.starts_with("reload failed at ") && config_state.contains(&location),
        "{body}"
    );
    assert!(
        config_state.contains("invalid duration \"often\""),
        "{body}"
    );
    let (_, metrics) = http_get(port, "/metrics");
    assert!(
        metrics.contains("\nfigwatch_config_last_reload_successful 0\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("\nfigwatch_config_last_reload_success_timestamp_seconds "),
        "{metrics}"
    );
    let (status, body) = http_get(port, "/");
    assert_eq!(status, 200);
    assert!(body.contains("arms"), "{body}");

    // A valid config that moves the status server: applied, with a warning
    // naming the key that needs a restart; the server stays where it was.
    let other_port = free_port();
    let moved = reloaded.replace(
        &format!("listen = \"127.0.0.1:{port}\""),
        &format!("listen = \"127.0.0.1:{other_port}\""),
    );
    assert_ne!(moved, reloaded);
    std::fs::write(work.config(), &moved).unwrap();
    daemon.signal("HUP");
    let line = daemon.wait_for_line("takes effect on restart");
    assert!(
        line.contains("key=\"daemon.listen\"") || line.contains("key=daemon.listen"),
        "{line}"
    );
    assert!(line.contains("WARN"), "{line}");
    daemon.wait_for_line("Config reloaded");
    let (_, body) = http_get(port, "/healthz");
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["config"], "ok", "{body}");
    let (_, metrics) = http_get(port, "/metrics");
    assert!(
        metrics.contains("\nfigwatch_config_last_reload_successful 1\n"),
        "{metrics}"
    );
    // Each figure's value, to graph it.
    assert!(
        metrics.contains("# TYPE figwatch_figure_value gauge\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("\nfigwatch_figure_value{watch=\"arms\",figure=\"guns\"} 200\n"),
        "{metrics}"
    );

    let mut daemon = daemon;
    assert!(daemon.is_running());
    let status = daemon.stop();
    assert!(status.success(), "exit status {status:?}");
}

const SECRET: &str = "hunter2-do-not-log-7f3a";

/// The motivating config whose webhook signs with a secret from the
/// environment.
fn signed_config(servers: &Servers) -> String {
    motivating_config(servers, &[], false).replace(
        "[sink.hook]\ntype = \"webhook\"",
        "[sink.hook]\ntype = \"webhook\"\nsecret_env = \"FIGWATCH_TEST_SECRET\"",
    )
}

fn run_once(work: &Workspace, args: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut cmd = work.figwatch(args);
    for (name, value) in env {
        cmd.env(name, value);
    }
    let output = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "{stderr}");
    (stdout, stderr)
}

#[test]
fn json_logs_are_one_object_per_line() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &["/bad/error.xml"], false));
    let (_, stderr) = run_once(&work, &["--log-format", "json", "-v", "once"], &[]);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines.len() >= 3, "{stderr}");
    for line in &lines {
        let object: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|err| panic!("not JSON ({err}): {line}"));
        assert!(object.is_object(), "{line}");
        assert!(object["level"].is_string(), "{line}");
        assert!(object["fields"]["message"].is_string(), "{line}");
    }
    assert!(
        lines.iter().any(|line| line.contains("Pass done")),
        "{stderr}"
    );
    // A warning carries the feed at fault as a field.
    let bad = servers.url("/bad/error.xml");
    assert!(
        lines
            .iter()
            .any(|line| line.contains("\"WARN\"") && line.contains(&bad)),
        "{stderr}"
    );
}

/// Whether a text log line opens with an RFC 3339 timestamp.
fn starts_with_timestamp(line: &str) -> bool {
    let bytes = line.trim_start().as_bytes();
    bytes.len() > 11
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
}

#[test]
fn under_journald_text_logs_carry_no_timestamp() {
    let servers = Servers::start();
    let work = Workspace::new(&motivating_config(&servers, &[], false));
    let (_, plain) = run_once(&work, &["once"], &[]);
    assert!(
        plain.lines().all(starts_with_timestamp),
        "outside journald every line is timestamped:\n{plain}"
    );
    let (_, journal) = run_once(&work, &["once"], &[("JOURNAL_STREAM", "8:4242")]);
    assert!(!journal.trim().is_empty());
    for line in journal.lines() {
        assert!(!starts_with_timestamp(line), "{line}");
        assert!(
            line.trim_start().starts_with("INFO")
                || line.trim_start().starts_with("WARN")
                || line.trim_start().starts_with("DEBUG"),
            "a journald line starts with its level: {line}"
        );
        assert!(!line.contains('\u{1b}'), "no colour codes: {line:?}");
    }
}

#[test]
fn webhook_secret_never_appears_in_any_log() {
    let servers = Servers::start();
    let port = free_port();
    let work = Workspace::new(&signed_config(&servers).replace(
        "baseline = false",
        &format!("baseline = false\nlisten = \"127.0.0.1:{port}\""),
    ));
    let env = [("FIGWATCH_TEST_SECRET", SECRET)];
    let mut seen = String::new();
    for args in [
        &["-vv", "once"][..],
        &["--log-format", "json", "-vv", "once"][..],
        &["-vv", "check"][..],
        &["-vv", "test-sink", "hook"][..],
    ] {
        let (stdout, stderr) = run_once(&work, args, &env);
        assert!(!stdout.contains(SECRET), "{args:?} printed the secret");
        assert!(!stderr.contains(SECRET), "{args:?} logged the secret");
        seen.push_str(&stderr);
    }
    // The logs were verbose (trace) and the webhook really was signed with
    // the secret, so there was something to leak.
    assert!(seen.contains("TRACE") || seen.contains("DEBUG"), "{seen}");
    let hooks = servers.site.wait_for_hooks(3, Duration::from_secs(10));
    assert!(hooks.len() >= 3, "{hooks:#?}");
    assert!(
        hooks[0]
            .headers
            .iter()
            .any(|(name, value)| name.contains("signature") && !value.is_empty()),
        "{:?}",
        hooks[0].headers
    );

    // The daemon at -vv, through a reload, does not log it either.
    let daemon = Daemon::spawn_with(&work, &["-vv"], &env);
    daemon.wait_for_log("Figwatch started");
    daemon.signal("HUP");
    let line = daemon.wait_for_line("Config reloaded");
    assert!(!line.contains(SECRET));
    let (_, page) = http_get(port, "/");
    let (_, metrics) = http_get(port, "/metrics");
    assert!(!page.contains(SECRET) && !metrics.contains(SECRET));
    let (status, rest) = daemon.stop_with_logs();
    assert!(status.success());
    assert!(
        rest.iter().any(|line| line.contains("Figwatch stopped")),
        "{rest:?}"
    );
    for line in &rest {
        assert!(!line.contains(SECRET), "{line}");
    }
}

/// One sample line of the Prometheus text format.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: Vec<(String, String)>,
    value: f64,
}

fn valid_metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Parses the whole exposition, failing on any line it does not understand.
/// Returns the samples and the declared type of each family.
fn parse_exposition(text: &str) -> (Vec<Sample>, std::collections::HashMap<String, String>) {
    let mut types = std::collections::HashMap::new();
    let mut samples = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest.split_once(' ').unwrap_or((rest, ""));
            assert!(valid_metric_name(name), "{line}");
            assert!(!help.is_empty(), "HELP without text: {line}");
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap();
            assert!(valid_metric_name(name), "{line}");
            assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
            assert!(
                types.insert(name.to_string(), kind.to_string()).is_none(),
                "TYPE declared twice: {line}"
            );
            continue;
        }
        assert!(!line.starts_with('#') && !line.is_empty(), "{line:?}");
        let (series, value) = line.rsplit_once(' ').unwrap();
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            value => value
                .parse()
                .unwrap_or_else(|_| panic!("bad value: {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            None => (series, Vec::new()),
            Some((name, rest)) => {
                let body = rest.strip_suffix('}').unwrap_or_else(|| panic!("{line}"));
                let mut labels = Vec::new();
                // Label values in our metrics hold no commas or escapes.
                for pair in body.split(',') {
                    let (label, quoted) = pair.split_once('=').unwrap();
                    assert!(valid_metric_name(label), "{line}");
                    let value = quoted
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .unwrap_or_else(|| panic!("unquoted label: {line}"));
                    labels.push((label.to_string(), value.to_string()));
                }
                (name, labels)
            }
        };
        assert!(valid_metric_name(name), "{line}");
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| {
                name.strip_suffix(suffix)
                    .filter(|base| types.get(*base).is_some_and(|t| t == "histogram"))
            })
            .unwrap_or(name);
        assert!(types.contains_key(family), "sample before its TYPE: {line}");
        if types[family] == "counter" {
            assert!(
                name.ends_with("_total"),
                "counter not named *_total: {line}"
            );
        }
        samples.push(Sample {
            name: name.to_string(),
            labels,
            value,
        });
    }
    (samples, types)
}

fn sample(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    samples
        .iter()
        .find(|s| {
            s.name == name
                && s.labels.len() == labels.len()
                && labels
                    .iter()
                    .all(|(k, v)| s.labels.iter().any(|(lk, lv)| lk == k && lv == v))
        })
        .map(|s| s.value)
        .unwrap_or_else(|| panic!("no {name}{labels:?}"))
}

/// Checks a histogram's invariants and returns its count.
fn check_histogram(samples: &[Sample], name: &str) -> f64 {
    let buckets: Vec<(f64, f64)> = samples
        .iter()
        .filter(|s| s.name == format!("{name}_bucket"))
        .map(|s| {
            let le = &s.labels.iter().find(|(k, _)| k == "le").unwrap().1;
            let le = if le == "+Inf" {
                f64::INFINITY
            } else {
                le.parse().unwrap()
            };
            (le, s.value)
        })
        .collect();
    assert!(buckets.len() >= 2, "{name}: {buckets:?}");
    assert!(
        buckets
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1),
        "{name}: {buckets:?}"
    );
    assert_eq!(buckets.last().unwrap().0, f64::INFINITY);
    let count = sample(samples, &format!("{name}_count"), &[]);
    assert_eq!(buckets.last().unwrap().1, count, "{name}");
    assert!(sample(samples, &format!("{name}_sum"), &[]) >= 0.0);
    count
}

#[test]
fn metrics_parse_as_prometheus_text_and_count_by_kind() {
    let servers = Servers::start();
    let port = free_port();
    let config = motivating_config(&servers, &["/bad/error.xml", "/bad/malformed.xml"], false)
        .replace(
            "baseline = false",
            &format!("baseline = false\nlisten = \"127.0.0.1:{port}\""),
        );
    let work = Workspace::new(&config);
    let daemon = Daemon::spawn(&work);
    servers.site.wait_for_hooks(2, Duration::from_secs(20));
    daemon.wait_for_log("Delivery round done");

    // Wait (bounded) until all three feeds went through the pipeline.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let (samples, types) = loop {
        let (status, body) = http_get(port, "/metrics");
        assert_eq!(status, 200);
        let (samples, types) = parse_exposition(&body);
        if check_histogram(&samples, "figwatch_pipeline_duration_seconds") >= 3.0 {
            break (samples, types);
        }
        assert!(std::time::Instant::now() < deadline, "{body}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(types["figwatch_poll_duration_seconds"], "histogram");
    assert_eq!(
        check_histogram(&samples, "figwatch_poll_duration_seconds"),
        3.0
    );
    assert_eq!(sample(&samples, "figwatch_feed_polls_total", &[]), 3.0);
    let errors = |kind| {
        sample(
            &samples,
            "figwatch_fetch_errors_total",
            &[("target", "feed"), ("kind", kind)],
        )
    };
    assert_eq!(errors("status"), 1.0);
    assert_eq!(errors("parse"), 1.0);
    assert_eq!(errors("timeout"), 0.0);
    assert_eq!(errors("refused"), 0.0);
    assert_eq!(
        sample(
            &samples,
            "figwatch_alerts_by_kind_total",
            &[("kind", "figure_first_seen")]
        ),
        2.0,
        "two alerts, each counted once though sent to two sinks"
    );
    assert_eq!(
        sample(
            &samples,
            "figwatch_alerts_by_kind_total",
            &[("kind", "figure_changed")]
        ),
        0.0
    );
    assert_eq!(
        sample(
            &samples,
            "figwatch_deliveries_total",
            &[("sink", "hook"), ("outcome", "delivered")]
        ),
        2.0
    );
    assert_eq!(
        sample(
            &samples,
            "figwatch_deliveries_total",
            &[("sink", "journal"), ("outcome", "delivered")]
        ),
        2.0
    );
    assert!(daemon.stop().success());
}

/// Debian's chromium, when installed (`.ci/run` installs it).
const CHROMIUM: &str = "/usr/bin/chromium";

/// The DOM headless Chromium builds from `url`, serialised.
fn chromium_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = std::process::Command::new("timeout")
        .args(["60", CHROMIUM])
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", url])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

/// A screenshot of `url` at a laptop's window size, to `path`.
fn chromium_screenshot(url: &str, path: &Path) {
    let profile = tempfile::tempdir().unwrap();
    let output = std::process::Command::new("timeout")
        .args(["60", CHROMIUM])
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--window-size=1440,900",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", path.display()))
        .arg(url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The text between `<... id="ID"` and the end of that element's tag name.
fn section<'a>(page: &'a str, id: &str, end: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {page}"));
    let rest = &page[start..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// What issue 17 added to the page: labelled axes, the change, alerts with
/// their delivery, feeds with last and next poll, a failing feed's URL
/// once, the refresh, two columns.
#[track_caller]
fn check_status_page_details(page: &str, failing_url: &str) {
    // The artillery chart runs from 0 to 200 (not from 160), labelled.
    assert!(page.contains("class=\"axis-min\""), "{page}");
    assert!(page.contains(">200</text>"), "{page}");
    assert!(!page.contains("max 200"), "{page}");
    let figures = section(page, "figures", "</table>");
    assert!(figures.contains("+40 (+25%)"), "{figures}");
    let alerts = section(page, "alerts", "</table>");
    assert!(alerts.contains("more than 160 → more than 200"), "{alerts}");
    assert!(alerts.contains("hook: delivered"), "{alerts}");
    assert!(section(page, "failed-deliveries", "</ul>").contains("none"));
    let feeds = section(page, "feeds", "</table>");
    assert!(feeds.contains("Korea Daily"), "{feeds}");
    assert!(feeds.contains("Next poll"), "{feeds}");
    let failing = section(page, "failing", "</ul>");
    assert_eq!(failing.matches(failing_url).count(), 1, "{failing}");
    assert!(
        failing.contains("HTTP 500") && failing.contains("next try"),
        "{failing}"
    );
    assert!(
        page.contains("http-equiv=\"refresh\" content=\"60\""),
        "{page}"
    );
    assert!(page.contains("grid-template-columns"), "{page}");
}

/// What the status page must show, whether read as sent or as a browser
/// built it.
#[track_caller]
fn check_status_page(page: &str, failing_url: &str) {
    assert_eq!(
        page.matches("<svg").count(),
        2,
        "one chart per figure:\n{page}"
    );
    // Each chart has both observations, oldest first, with their text.
    assert_eq!(page.matches("<circle").count(), 4, "{page}");
    let older = page.find("more than 160").expect("older artillery value");
    let newer = page[older..].find("more than 200");
    assert!(newer.is_some(), "{page}");
    assert!(page.contains("11,000"), "{page}");
    assert!(page.contains("<polyline"), "{page}");
    // Watches, latest articles, failing feeds.
    assert!(page.contains("nk-russia"), "{page}");
    assert!(page.contains("Pyongyang"), "{page}");
    assert!(page.contains("long-range-artillery.html"), "{page}");
    assert!(page.contains(failing_url), "{page}");
    assert!(page.contains("HTTP 500"), "{page}");
    assert!(!page.contains("<script"), "no JavaScript:\n{page}");
}

#[test]
fn status_page_charts_figure_history_and_lists_failing_feeds() {
    let servers = Servers::start();
    let port = free_port();
    let config = motivating_config(&servers, &["/bad/error.xml"], true).replace(
        "baseline = true",
        &format!("baseline = true\nlisten = \"127.0.0.1:{port}\""),
    );
    let work = Workspace::new(&config);
    // November is the baseline; February arrives while the daemon runs.
    work.figwatch(&["once"]).assert().success();
    servers.site.feed_version.store(2, Ordering::SeqCst);
    work.sql("UPDATE feeds SET next_poll_at = NULL");
    let daemon = Daemon::spawn(&work);
    servers.site.wait_for_hooks(2, Duration::from_secs(20));
    daemon.wait_for_log("Delivery round done");
    wait_until("the failing feed's poll is recorded", || {
        work.sql_count("SELECT COUNT(*) FROM feeds WHERE failures > 0") == 1
    });

    let (status, page) = http_get(port, "/");
    assert_eq!(status, 200);
    let failing_url = servers.url("/bad/error.xml");
    check_status_page(&page, &failing_url);
    check_status_page_details(&page, &failing_url);

    if Path::new(CHROMIUM).exists() {
        let url = format!("http://127.0.0.1:{port}/");
        let dom = chromium_dom(&url);
        check_status_page(&dom, &failing_url);
        check_status_page_details(&dom, &failing_url);
        // The browser parsed the charts as SVG with their tooltips.
        assert!(dom.contains("<title>more than 200"), "{dom}");
        // A laptop-sized screenshot, kept in the tests' output folder.
        let png = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("status-page.png");
        chromium_screenshot(&url, &png);
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 10_000,
            "{}",
            png.display()
        );
        println!("status page screenshot: {}", png.display());
    }
    assert!(daemon.stop().success());
}

#[test]
fn export_opml_round_trips_through_import_opml() {
    let first = Workspace::new(
        r#"[[feed]]
url = "https://news.example/world.rss"
name = "World & Asia <daily> \"news\""

[[feed]]
url = "https://wire.example/atom.xml?lang=en&section=asia"

[sink.journal]
type = "log"
"#,
    );
    let output = first.figwatch(&["export-opml"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let opml = String::from_utf8(output.stdout).unwrap();
    assert!(opml.starts_with("<?xml"), "{opml}");
    assert!(opml.contains("<opml version=\"2.0\""), "{opml}");
    assert_eq!(opml.matches("type=\"rss\"").count(), 2, "{opml}");
    assert!(!opml.contains("<daily>"), "names are escaped:\n{opml}");

    // Into a config with no feeds, then out again: the same document.
    let second = Workspace::new("[sink.journal]\ntype = \"log\"\n");
    let opml_path = second.dir.path().join("feeds.opml");
    std::fs::write(&opml_path, &opml).unwrap();
    second
        .figwatch(&["import-opml", opml_path.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::contains("Added 2 feed(s)"));
    second.figwatch(&["check"]).assert().success();
    let again = second.figwatch(&["export-opml"]).output().unwrap();
    assert!(again.status.success());
    let again = String::from_utf8(again.stdout).unwrap();
    let outlines = |doc: &str| -> Vec<String> {
        doc.split("<outline")
            .skip(1)
            .map(|outline| outline.split("/>").next().unwrap().to_string())
            .collect()
    };
    assert_eq!(outlines(&again), outlines(&opml));
    assert!(again.contains("World &amp; Asia"), "{again}");
    assert!(again.contains("lang=en&amp;section=asia"), "{again}");
}
