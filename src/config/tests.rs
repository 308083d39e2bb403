use super::*;

fn no_env(_: &str) -> Option<String> {
    None
}

fn parse(source: &str) -> Result<Config, Error> {
    Config::parse(source, Path::new("/etc/figwatch/figwatch.toml"))
}

/// Parses an invalid config and checks the rendered problems.
#[track_caller]
fn check_error(source: &str, expected: &[&str]) {
    let err = parse(source).expect_err("config should be invalid");
    let rendered = err.to_string();
    let lines: Vec<&str> = rendered.lines().collect();
    assert_eq!(lines, expected, "\nrendered:\n{rendered}");
}

const FULL: &str = r#"
[daemon]
database = "state/figwatch.db"
poll_interval = "10m"
concurrency = 4
per_host = 1
timeout = "20s"
max_body = "2MiB"
baseline = false
listen = "127.0.0.1:9464"

[[feed]]
url = "https://news.example/world.rss"
name = "Example World"
interval = "5m"
article_selector = "div.article-body"

[[feed]]
url = "https://other.example/atom.xml"

[watch.nk-russia]
query = '("North Korea" OR DPRK) AND (Russia OR Moscow)'
notify = ["hook"]
new_articles = true

[watch.nk-russia.figure.artillery]
terms = ["artillery pieces", "artillery"]
alert_on = "increase"
min_change = "5%"

[watch.nk-russia.figure.troops]
terms = ["troops", "soldiers"]
min_change = 500

[sink.hook]
type = "webhook"
url = "http://127.0.0.1:8080/alerts"

[sink.journal]
type = "log"
"#;

#[test]
fn full_config_is_read_into_typed_values() {
    let config = parse(FULL).unwrap();
    assert_eq!(
        config.daemon.database,
        Database::Sqlite(PathBuf::from("/etc/figwatch/state/figwatch.db"))
    );
    assert_eq!(config.daemon.poll_interval, Duration::from_secs(600));
    assert_eq!(config.daemon.concurrency, 4);
    assert_eq!(config.daemon.per_host, 1);
    assert_eq!(config.daemon.max_body, 2 * 1024 * 1024);
    assert!(!config.daemon.baseline);
    assert_eq!(
        config.daemon.listen,
        Some("127.0.0.1:9464".parse().unwrap())
    );
    assert_eq!(config.feeds.len(), 2);
    assert_eq!(config.feeds[0].name.as_deref(), Some("Example World"));
    assert_eq!(config.feeds[0].interval, Some(Duration::from_secs(300)));
    assert_eq!(
        config.feeds[0].article_selector.as_deref(),
        Some("div.article-body")
    );
    let watch = &config.watches[0];
    assert_eq!(watch.name, "nk-russia");
    assert_eq!(watch.notify.as_deref(), Some(&["hook".to_string()][..]));
    assert!(watch.new_articles);
    assert_eq!(watch.figures[0].name, "artillery");
    assert_eq!(watch.figures[0].alert_on, AlertOn::Increase);
    assert_eq!(watch.figures[0].min_change, Some(MinChange::Relative(0.05)));
    assert_eq!(
        watch.figures[1].min_change,
        Some(MinChange::Absolute(500.0))
    );
    assert_eq!(config.sinks.len(), 2);
    assert_eq!(watch.sink_names(&config.sinks), vec!["hook"]);
}

#[test]
fn empty_config_gets_defaults() {
    let config = parse("").unwrap();
    assert_eq!(config.daemon.poll_interval, DEFAULT_POLL_INTERVAL);
    assert_eq!(config.daemon.concurrency, DEFAULT_CONCURRENCY);
    assert_eq!(config.daemon.max_body, DEFAULT_MAX_BODY);
    assert!(config.daemon.baseline);
    assert_eq!(
        config.daemon.database,
        Database::Sqlite(PathBuf::from("/etc/figwatch/figwatch.db"))
    );
}

#[test]
fn watch_without_notify_goes_to_every_sink() {
    let config =
        parse("[watch.w]\nquery = 'x'\n[sink.a]\ntype = \"log\"\n[sink.b]\ntype = \"log\"\n")
            .unwrap();
    assert_eq!(config.watches[0].sink_names(&config.sinks), vec!["a", "b"]);
}

#[test]
fn unknown_key_is_reported_with_line_and_column() {
    check_error(
        "[daemon]\npoll_intervall = \"5m\"\n",
        &[
            "/etc/figwatch/figwatch.toml:2:1: unknown field `poll_intervall`, expected one of `database`, `database_password_env`, `database_password_file`, `poll_interval`, `min_interval`, `max_interval`, `concurrency`, `per_host`, `timeout`, `max_body`, `user_agent`, `baseline`, `listen`, `failing_after`, `allow_private_articles`, `allowed_hosts`, `retention`",
        ],
    );
}

#[test]
fn toml_syntax_error_is_located() {
    let err = parse("[daemon\n").unwrap_err().to_string();
    assert!(err.starts_with("/etc/figwatch/figwatch.toml:1:"), "{err}");
}

#[test]
fn all_problems_are_reported_together_in_file_order() {
    check_error(
        r#"
[daemon]
poll_interval = "soon"

[[feed]]
url = "ftp://files.example/feed"

[watch.w]
query = '"North Korea" AND'
notify = ["nowhere"]

[watch.w.figure.f]
terms = []
alert_on = "sometimes"
"#,
        &[
            "/etc/figwatch/figwatch.toml:3:17: invalid duration \"soon\": expected number at 0; expected a duration such as \"60s\" or \"15m\"",
            "/etc/figwatch/figwatch.toml:6:7: feed url \"ftp://files.example/feed\" must be an http or https URL",
            "/etc/figwatch/figwatch.toml:9:27: watch w: invalid query: expected a term or '(' after AND",
            "/etc/figwatch/figwatch.toml:10:11: watch w: notify names unknown sink \"nowhere\" (no sinks are defined)",
            "/etc/figwatch/figwatch.toml:13:9: watch w, figure f: terms must hold at least one word or phrase",
            "/etc/figwatch/figwatch.toml:14:12: watch w, figure f: unknown alert_on \"sometimes\"; expected \"change\", \"increase\" or \"decrease\"",
        ],
    );
}

#[test]
fn sink_keys_must_fit_the_type() {
    check_error(
        "[sink.s]\ntype = \"log\"\nurl = \"http://x.example/\"\n",
        &["/etc/figwatch/figwatch.toml:3:7: sink s: key \"url\" does not apply to a log sink"],
    );
}

#[test]
fn unknown_sink_type_is_named() {
    check_error(
        "[sink.s]\ntype = \"pager\"\n",
        &[
            "/etc/figwatch/figwatch.toml:2:8: sink s: unknown type \"pager\"; expected one of log, webhook, ntfy, email, slack, discord, command",
        ],
    );
}

#[test]
fn a_missing_secret_is_no_load_error_but_fails_resolution_naming_it() {
    let source = "[sink.s]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:1/\"\nsecret_env = \"HOOK_SECRET\"\n";
    let mut config = parse(source).expect("a config whose secret is unset still loads");
    let missing: Vec<String> = config
        .missing_secrets()
        .iter()
        .map(|problem| {
            format!(
                "{:?}:{:?}: {}",
                problem.line, problem.column, problem.message
            )
        })
        .collect();
    assert_eq!(
        missing,
        ["Some(4):Some(14): sink s: environment variable HOOK_SECRET (secret_env) is not set"]
    );
    let err = config.resolve_secrets_with(&no_env).unwrap_err();
    assert_eq!(
        err.to_string(),
        "/etc/figwatch/figwatch.toml:4:14: sink s: environment variable HOOK_SECRET (secret_env) is not set"
    );
}

#[test]
fn secrets_come_from_the_environment_and_are_redacted() {
    let env = |name: &str| (name == "HOOK_SECRET").then(|| "s3cr3t-value".to_string());
    let mut config = Config::parse(
        "[sink.s]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:1/\"\nsecret_env = \"HOOK_SECRET\"\n",
        Path::new("figwatch.toml"),
    )
    .unwrap();
    assert_eq!(
        config.sinks[0].kind.unresolved_secret().as_deref(),
        Some("environment variable HOOK_SECRET (secret_env)"),
        "nothing is read at load"
    );
    config.resolve_secrets_with(&env).unwrap();
    let SinkKind::Webhook { secret, .. } = &config.sinks[0].kind else {
        panic!("expected a webhook sink");
    };
    assert_eq!(secret.as_ref().map(Secret::expose), Some("s3cr3t-value"));
    assert_eq!(config.sinks[0].kind.unresolved_secret(), None);
    let debug = format!("{config:?}");
    assert!(!debug.contains("s3cr3t-value"), "{debug}");
    assert!(debug.contains("[redacted]"));
}

#[test]
fn urls_and_headers_come_from_the_environment_and_are_never_quoted() {
    let env = |name: &str| match name {
        "FEED_URL" => Some("https://u:feed-pass@news.example/rss?token=t0k3n".to_string()),
        "HOOK_URL" => Some("not a url but-a-s3cret".to_string()),
        "HOOK_AUTH" => Some("Bearer abc-s3cret".to_string()),
        _ => None,
    };
    let good = "[[feed]]\nurl_env = \"FEED_URL\"\nallow_private_articles = true\n\n\
         [sink.s]\ntype = \"ntfy\"\nurl_env = \"FEED_URL\"\n\n\
         [sink.h]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:1/\"\n\
         headers_env = { Authorization = \"HOOK_AUTH\" }\n";
    let mut config = Config::parse_with_env(good, Path::new("figwatch.toml"), &env).unwrap();
    config.resolve_secrets_with(&env).unwrap();
    assert_eq!(config.feeds[0].url.password(), Some("feed-pass"));
    assert_eq!(config.feeds[0].allow_private_articles, Some(true));
    let SinkKind::Webhook { secret_headers, .. } = &config.sinks[0].kind else {
        panic!("expected the webhook first");
    };
    assert_eq!(
        secret_headers.get("Authorization").map(Secret::expose),
        Some("Bearer abc-s3cret")
    );
    assert!(!format!("{config:?}").contains("abc-s3cret"));

    let bad = "[[feed]]\nurl_env = \"MISSING\"\n\n[sink.h]\ntype = \"webhook\"\nurl_env = \"HOOK_URL\"\n\n\
         [sink.g]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:1/\"\nurl_env = \"HOOK_URL\"\n";
    let error = Config::parse_with_env(bad, Path::new("figwatch.toml"), &env)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("feed: environment variable MISSING (url_env) is not set"),
        "{error}"
    );
    assert!(
        error.contains("sink h: the value of url_env/url_file is not an http or https URL"),
        "{error}"
    );
    assert!(
        error.contains("sink g: set exactly one of url, url_env or url_file"),
        "{error}"
    );
    assert!(!error.contains("s3cret"), "{error}");
}

#[test]
fn secrets_can_come_from_a_file_relative_to_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::parse(
        "[sink.p]\ntype = \"ntfy\"\nurl = \"https://ntfy.example/topic\"\ntoken_file = \"token\"\n",
        &dir.path().join("figwatch.toml"),
    )
    .unwrap();
    // The file is read when the sink is built for sending, not at load.
    std::fs::write(dir.path().join("token"), "tok-123\n").unwrap();
    config.resolve_secrets_with(&no_env).unwrap();
    let SinkKind::Ntfy { token, .. } = &config.sinks[0].kind else {
        panic!("expected an ntfy sink");
    };
    assert_eq!(token.as_ref().map(Secret::expose), Some("tok-123"));
}

#[test]
fn a_number_where_a_duration_belongs_says_what_a_duration_looks_like() {
    check_error(
        "[daemon]\npoll_interval = 60\n",
        &[
            "/etc/figwatch/figwatch.toml:2:17: invalid duration 60: a number needs a unit; expected a duration such as \"60s\" or \"15m\" (a quoted string: \"60s\" is 60 seconds)",
        ],
    );
}

#[test]
fn a_feed_url_listed_twice_is_an_error_at_the_second() {
    check_error(
        "[[feed]]\nurl = \"https://news.example/feed\"\n\n[[feed]]\nurl = \"https://news.example/feed\"\n",
        &[
            "/etc/figwatch/figwatch.toml:5:7: feed url https://news.example/feed is listed twice (first at line 2); remove one [[feed]]",
        ],
    );
}

#[test]
fn email_to_takes_one_address_or_a_list_and_tls_names_its_modes() {
    let config = parse(
        "[sink.m]\ntype = \"email\"\nhost = \"smtp.example.org\"\nfrom = \"a@example.org\"\nto = \"b@example.org\"\ntls = \"tls\"\n",
    )
    .unwrap();
    let SinkKind::Email(email) = &config.sinks[0].kind else {
        panic!("expected an email sink");
    };
    assert_eq!(email.to, ["b@example.org"]);
    assert_eq!((email.tls, email.port), (EmailTls::Implicit, 465));
    check_error(
        "[sink.m]\ntype = \"email\"\nhost = \"h\"\nfrom = \"a@b\"\nto = [\"c@d\"]\ntls = \"ssl\"\n",
        &[
            "/etc/figwatch/figwatch.toml:6:7: sink m: unknown tls \"ssl\"; expected \"starttls\" (port 587), \"tls\" (implicit TLS, port 465) or \"none\" (plain text, port 25)",
        ],
    );
}

#[test]
fn a_bad_email_address_is_reported_where_it_is_written() {
    check_error(
        "[sink.m]\ntype = \"email\"\nhost = \"h\"\nfrom = \"a@b\"\nto = [\"c@d\", \"nobody\"]\n",
        &["/etc/figwatch/figwatch.toml:5:6: sink m: \"nobody\" is not an email address"],
    );
    check_error(
        "[sink.m]\ntype = \"email\"\nhost = \"h\"\nfrom = \"sender\"\nto = \"c@d\"\n",
        &["/etc/figwatch/figwatch.toml:4:8: sink m: \"sender\" is not an email address"],
    );
}

#[test]
fn command_sink_needs_a_program() {
    check_error(
        "[sink.c]\ntype = \"command\"\ncommand = []\n",
        &["/etc/figwatch/figwatch.toml:3:11: sink c: command must name a program"],
    );
}

#[test]
fn invalid_selector_is_reported() {
    check_error(
        "[[feed]]\nurl = \"https://news.example/feed\"\narticle_selector = \"div[\"\n",
        &["/etc/figwatch/figwatch.toml:3:20: invalid CSS selector \"div[\": Unexpected EOL"],
    );
}

#[test]
fn sizes_and_min_changes_parse() {
    assert_eq!(parse_size("8MiB"), Some(8 * 1024 * 1024));
    assert_eq!(parse_size("500KB"), Some(500_000));
    assert_eq!(parse_size("1024"), Some(1024));
    assert_eq!(parse_size("lots"), None);
    assert_eq!(parse_min_change("5%"), Some(MinChange::Relative(0.05)));
    assert_eq!(parse_min_change("1,000"), Some(MinChange::Absolute(1000.0)));
    assert_eq!(parse_min_change("x"), None);
}

#[test]
fn a_valid_config_is_parsed_without_counting_lines() {
    // Counting the lines up to every feed's URL made parsing quadratic in
    // the feeds (issue 20): a line is worked out only for a problem.
    let toml: String = (0..500)
        .map(|feed| format!("[[feed]]\nurl = \"https://news{feed}.example/feed\"\n"))
        .collect();
    let before = LINE_COL_CALLS.with(std::cell::Cell::get);
    let config = parse(&toml).unwrap();
    assert_eq!(config.feeds.len(), 500);
    assert_eq!(LINE_COL_CALLS.with(std::cell::Cell::get) - before, 0);
}

#[test]
fn line_col_counts_characters() {
    assert_eq!(line_col("ab\ncdé f", 8), (2, 5));
    assert_eq!(line_col("", 10), (1, 1));
}

#[test]
fn sink_delivery_policy_keys_are_read_with_defaults() {
    let config = parse(
        "[sink.hook]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:1/x\"\nmax_attempts = 3\ngive_up_after = \"2h\"\nburst = 5\nwindow = \"10m\"\n[sink.journal]\ntype = \"log\"\n",
    )
    .unwrap();
    let hook = config.sink("hook").unwrap();
    assert_eq!(
        hook.policy,
        DeliveryPolicy {
            max_attempts: 3,
            give_up_after: Some(Duration::from_secs(2 * 3600)),
            rate_limit: Some(RateLimit {
                burst: 5,
                window: Duration::from_secs(600),
            }),
        }
    );
    assert_eq!(
        config.sink("journal").unwrap().policy,
        DeliveryPolicy::default()
    );
    assert_eq!(
        DeliveryPolicy::default().max_attempts,
        super::DEFAULT_MAX_ATTEMPTS
    );
}

#[test]
fn bad_delivery_policy_is_reported_with_line_and_column() {
    check_error(
        "[sink.journal]\ntype = \"log\"\nmax_attempts = 0\ngive_up_after = \"soon\"\nburst = 5\n",
        &[
            "/etc/figwatch/figwatch.toml:3:16: sink journal: max_attempts must be a positive integer",
            "/etc/figwatch/figwatch.toml:4:17: invalid duration \"soon\": expected number at 0; expected a duration such as \"60s\" or \"15m\"",
            "/etc/figwatch/figwatch.toml:5:9: sink journal: burst needs a window, e.g. window = \"10m\"",
        ],
    );
}

#[test]
fn sink_template_is_compiled_at_load() {
    let config = parse(
        "[sink.phone]\ntype = \"ntfy\"\nurl = \"http://127.0.0.1:1/t\"\ntemplate = \"{{ watch }}: {{ current.value }}\"\n",
    )
    .unwrap();
    assert_eq!(
        config.sink("phone").unwrap().template,
        Some(Template {
            source: String::from("{{ watch }}: {{ current.value }}")
        })
    );
    check_error(
        "[sink.journal]\ntype = \"log\"\ntemplate = \"{{ watch \"\n[sink.hook]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:1/x\"\ntemplate = \"x\"\n",
        &[
            "/etc/figwatch/figwatch.toml:3:12: sink journal: template does not compile (line 1 of template): unexpected end of input, expected end of variable block",
            "/etc/figwatch/figwatch.toml:7:12: sink hook: key \"template\" does not apply to a webhook sink",
        ],
    );
}

#[test]
fn figure_claim_keys_are_read() {
    let config = parse(
        r#"[watch.w]
query = 'x'
[watch.w.figure.troops]
terms = ["troops", "soldiers"]
of = ["North Korea", " Pyongyang "]
exclude = ["civilians"]
by_source = true
[watch.w.figure.aid]
terms = ["aid"]
kind = "money"
unit = "usd"
[watch.w.figure.range]
terms = ["range"]
kind = "measure"
unit = "km"
[watch.w.figure.turnout]
terms = ["turnout"]
kind = "percent"
unit = "%"
"#,
    )
    .unwrap();
    let figures = &config.watches[0].figures;
    let figure = |name: &str| figures.iter().find(|f| f.name == name).unwrap();
    let troops = figure("troops");
    assert_eq!(troops.of, ["North Korea", "Pyongyang"]);
    assert_eq!(troops.exclude, ["civilians"]);
    assert_eq!(troops.kind, FigureKind::Count);
    assert_eq!(troops.unit, None);
    assert!(troops.by_source);
    let aid = figure("aid");
    assert_eq!(aid.kind, FigureKind::Money);
    assert_eq!(
        aid.unit.as_deref(),
        Some("USD"),
        "currency stored upper case"
    );
    assert!(!aid.by_source);
    assert_eq!(figure("range").kind, FigureKind::Measure);
    assert_eq!(figure("range").unit.as_deref(), Some("km"));
    assert_eq!(figure("turnout").kind, FigureKind::Percent);
    assert_eq!(figure("turnout").unit.as_deref(), Some("%"));
}

#[test]
fn figure_claim_key_problems_are_all_reported_with_examples() {
    check_error(
        r#"[watch.w]
query = 'x'
[watch.w.figure.a]
terms = ["troops", ""]
of = ["North Korea", " "]
exclude = [""]
kind = "people"
[watch.w.figure.b]
terms = ["aid"]
kind = "money"
unit = "dollars"
[watch.w.figure.c]
terms = ["turnout"]
kind = "percent"
unit = "percent"
[watch.w.figure.d]
terms = ["troops"]
unit = "USD"
[watch.w.figure.e]
terms = ["aid"]
kind = "measure"
unit = " "
"#,
        &[
            "/etc/figwatch/figwatch.toml:4:20: watch w, figure a: terms holds an empty string; expected a word or phrase like \"troops\"",
            "/etc/figwatch/figwatch.toml:5:22: watch w, figure a: of holds an empty string; expected a word or phrase like \"North Korea\"",
            "/etc/figwatch/figwatch.toml:6:12: watch w, figure a: exclude holds an empty string; expected a word or phrase like \"civilians\"",
            "/etc/figwatch/figwatch.toml:7:8: watch w, figure a: unknown kind \"people\"; expected \"count\", \"money\", \"percent\" or \"measure\", e.g. kind = \"money\"",
            "/etc/figwatch/figwatch.toml:11:8: watch w, figure b: unit \"dollars\" is not an ISO 4217 currency code; expected three letters like unit = \"USD\", \"EUR\" or \"KRW\"",
            "/etc/figwatch/figwatch.toml:15:8: watch w, figure c: unit \"percent\" does not fit a percent figure; expected unit = \"%\" or no unit",
            "/etc/figwatch/figwatch.toml:18:8: watch w, figure d: unit \"USD\" needs a kind that has units; expected e.g. kind = \"money\" with unit = \"USD\", or kind = \"measure\" with unit = \"km\"",
            "/etc/figwatch/figwatch.toml:22:8: watch w, figure e: unit is empty; expected a unit of measure like unit = \"km\"",
        ],
    );
}

#[test]
fn unknown_figure_key_is_an_error() {
    let err = parse(
        "[watch.w]\nquery = 'x'\n[watch.w.figure.f]\nterms = [\"troops\"]\nowner = [\"Russia\"]\n",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("/etc/figwatch/figwatch.toml:5:1: unknown field `owner`"),
        "{err}"
    );
    assert!(err.contains("`of`") && err.contains("`by_source`"), "{err}");
}

#[test]
fn old_marker_terms_still_make_money_and_percent_figures() {
    let config = parse(
        "[watch.w]\nquery = 'x'\n[watch.w.figure.aid]\nterms = [\"aid\", \"$\"]\nunit = \"EUR\"\n[watch.w.figure.turnout]\nterms = [\"turnout\", \"percent\"]\n[watch.w.figure.europe]\nterms = [\"European troops\"]\n",
    )
    .unwrap();
    let figures = &config.watches[0].figures;
    assert_eq!(figures[0].name, "aid");
    assert_eq!(figures[0].kind, FigureKind::Money);
    assert_eq!(figures[0].unit.as_deref(), Some("EUR"));
    assert_eq!(figures[0].kind_marker_term(), Some("$"));
    assert_eq!(figures[1].kind, FigureKind::Count, "'European' is no euro");
    assert_eq!(figures[1].kind_marker_term(), None);
    assert_eq!(figures[2].kind, FigureKind::Percent);
    assert_eq!(figures[2].kind_marker_term(), Some("percent"));
    // Figure::new infers the same way.
    assert_eq!(
        Figure::new("aid", &["aid", "dollars"]).kind,
        FigureKind::Money
    );
    assert_eq!(Figure::new("troops", &["troops"]).kind, FigureKind::Count);
}

#[test]
fn explicit_kind_wins_over_marker_terms_and_both_markers_are_an_error() {
    let config = parse(
        "[watch.w]\nquery = 'x'\n[watch.w.figure.weight]\nterms = [\"pounds\"]\nkind = \"measure\"\nunit = \"lb\"\n",
    )
    .unwrap();
    assert_eq!(config.watches[0].figures[0].kind, FigureKind::Measure);
    assert_eq!(config.watches[0].figures[0].kind_marker_term(), None);
    check_error(
        "[watch.w]\nquery = 'x'\n[watch.w.figure.f]\nterms = [\"$\", \"%\"]\n",
        &[
            "/etc/figwatch/figwatch.toml:4:9: watch w, figure f: terms mark both money (\"$\") and a percentage (\"%\"); set kind = \"money\" or kind = \"percent\" and drop the other term",
        ],
    );
}

#[test]
fn kind_markers_match_whole_words_and_symbols() {
    assert_eq!(kind_marker("US dollars"), Some(FigureKind::Money));
    assert_eq!(kind_marker("€"), Some(FigureKind::Money));
    assert_eq!(kind_marker("per cent"), Some(FigureKind::Percent));
    assert_eq!(kind_marker("%"), Some(FigureKind::Percent));
    assert_eq!(kind_marker("Eurofighters"), None);
    assert_eq!(kind_marker("troops"), None);
    assert!(is_currency_code("KRW"));
    assert!(!is_currency_code("UDS"));
    assert!(!is_currency_code("usd"));
}

/// The keys a table accepts, from serde's "unknown field" message.
fn accepted_keys(probe: &str) -> Vec<String> {
    let err = parse(probe).expect_err("an unknown key").to_string();
    let list = err
        .split("expected one of ")
        .nth(1)
        .unwrap_or_else(|| panic!("no key list in {err}"));
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_reference_config_loads_lists_every_key_and_states_the_defaults() {
    let source = include_str!("../../config/reference.toml");
    let config = Config::parse(source, Path::new("/etc/figwatch/reference.toml"))
        .unwrap_or_else(|err| panic!("config/reference.toml does not load:\n{err}"));
    // Every default it writes down is the one figwatch uses.
    let daemon = &config.daemon;
    assert_eq!(
        daemon.database,
        Database::Sqlite(Path::new("/etc/figwatch").join(DEFAULT_DATABASE))
    );
    assert_eq!(daemon.poll_interval, DEFAULT_POLL_INTERVAL);
    assert_eq!(daemon.min_interval, DEFAULT_MIN_INTERVAL);
    assert_eq!(daemon.max_interval, DEFAULT_MAX_INTERVAL);
    assert_eq!(daemon.concurrency, DEFAULT_CONCURRENCY);
    assert_eq!(daemon.per_host, DEFAULT_PER_HOST);
    assert_eq!(daemon.timeout, DEFAULT_TIMEOUT);
    assert_eq!(daemon.max_body, DEFAULT_MAX_BODY);
    assert_eq!(daemon.failing_after, DEFAULT_FAILING_AFTER);
    assert!(daemon.baseline && !daemon.allow_private_articles);
    assert_eq!(config.feeds[0].revisit, DEFAULT_REVISIT);
    assert_eq!(
        config.pages[0].watches.as_deref(),
        Some(&["nk-russia".to_string()][..])
    );
    let sink = |name: &str| &config.sink(name).unwrap().kind;
    assert!(
        matches!(sink("script"), SinkKind::Command { timeout, .. } if *timeout == DEFAULT_COMMAND_TIMEOUT)
    );
    assert_eq!(
        config.sink("hook").unwrap().policy.max_attempts,
        DEFAULT_MAX_ATTEMPTS
    );
    let SinkKind::Email(email) = sink("mail") else {
        panic!("mail is an email sink");
    };
    assert_eq!((email.tls, email.port), (EmailTls::Starttls, 587));
    let figure = &config.watches[0].figures[1];
    assert_eq!(
        (figure.name.as_str(), figure.alert_on),
        ("artillery", AlertOn::Change)
    );
    // Every sink type is shown.
    let mut types: Vec<&str> = config.sinks.iter().map(|s| s.kind.type_name()).collect();
    types.sort_unstable();
    assert_eq!(
        types,
        [
            "command", "discord", "email", "log", "ntfy", "slack", "webhook"
        ]
    );
    // Every key figwatch accepts is listed (set or in a comment).
    let listed = |key: &str| {
        source.lines().any(|line| {
            let line = line.trim_start_matches(['#', ' ']);
            line.starts_with(&format!("{key} =")) || line.contains(&format!(", {key} ="))
        })
    };
    let probes = [
        ("[daemon]", "[daemon]\nzz_unknown = 1\n"),
        (
            "[[feed]]",
            "[[feed]]\nurl = \"https://a.example/\"\nzz_unknown = 1\n",
        ),
        (
            "[[page]]",
            "[[page]]\nurl = \"https://a.example/\"\nzz_unknown = 1\n",
        ),
        ("[watch.NAME]", "[watch.w]\nquery = \"x\"\nzz_unknown = 1\n"),
        (
            "[watch.NAME.figure.FIGURE]",
            "[watch.w]\nquery = \"x\"\n[watch.w.figure.f]\nterms = [\"x\"]\nzz_unknown = 1\n",
        ),
        ("[sink.NAME]", "[sink.s]\ntype = \"log\"\nzz_unknown = 1\n"),
    ];
    for (table, probe) in probes {
        let keys = accepted_keys(probe);
        assert!(keys.len() >= 3, "{table}: {keys:?}");
        for key in keys {
            let found = if key == "figure" {
                source.contains(".figure.")
            } else {
                listed(&key)
            };
            assert!(found, "config/reference.toml does not list {table} {key}");
        }
    }
}

#[test]
fn postgres_database_takes_its_password_from_the_environment_and_never_shows_it() {
    let env = |name: &str| (name == "FIGWATCH_DB_PASSWORD").then(|| "pg-s3cr3t".to_string());
    let config = Config::parse_with_env(
        "[daemon]\ndatabase = \"postgres://figwatch@db.internal/figwatch\"\n\
         database_password_env = \"FIGWATCH_DB_PASSWORD\"\n",
        Path::new("/etc/figwatch/figwatch.toml"),
        &env,
    )
    .unwrap();
    assert_eq!(
        config.daemon.database,
        Database::Postgres {
            url: "postgres://figwatch@db.internal/figwatch".to_string(),
            password: Some(Secret::new("pg-s3cr3t")),
        }
    );
    assert_eq!(config.daemon.database.backend_name(), "postgres");
    let shown = format!("{:?} {}", config.daemon, config.daemon.database.display());
    assert!(!shown.contains("pg-s3cr3t"), "{shown}");
    // A password written into the URL is not shown either.
    let config =
        parse("[daemon]\ndatabase = \"postgresql://figwatch:inline-pw@db.internal:5433/f\"\n")
            .unwrap();
    assert_eq!(
        config.daemon.database.display(),
        "postgresql://figwatch:redacted@db.internal:5433/f"
    );
}

#[test]
fn database_password_keys_are_refused_beside_a_sqlite_file() {
    check_error(
        "[daemon]\ndatabase = \"figwatch.db\"\ndatabase_password_file = \"pw\"\n",
        &[
            "/etc/figwatch/figwatch.toml:3:26: daemon: database_password_env and database_password_file apply to a postgres:// database, not a SQLite file",
        ],
    );
    check_error(
        "[daemon]\ndatabase = \"postgres://figwatch@db.internal/figwatch\"\ndatabase_password_env = \"NOT_SET_ANYWHERE\"\n",
        &[
            "/etc/figwatch/figwatch.toml:3:25: daemon: environment variable NOT_SET_ANYWHERE (database_password_env) is not set",
        ],
    );
}

#[test]
fn pages_name_known_watches_and_urls_no_feed_has() {
    check_error(
        "[[feed]]\nurl = \"https://a.example/live\"\n\
         [[page]]\nurl = \"https://a.example/live\"\n\
         [[page]]\nurl = \"https://b.example/live\"\nwatches = [\"nope\"]\n\
         [watch.w]\nquery = \"x\"\n",
        &[
            "/etc/figwatch/figwatch.toml:4:7: page url https://a.example/live is listed twice (first at line 2); remove one",
            "/etc/figwatch/figwatch.toml:7:12: page watches names unknown watch \"nope\" (defined watches: w)",
        ],
    );
}

#[test]
fn revisit_defaults_to_an_hour_and_zero_means_on_every_change() {
    let config = parse(
        "[[feed]]\nurl = \"https://a.example/feed\"\n\
         [[feed]]\nurl = \"https://b.example/feed\"\nrevisit = \"0s\"\ncategory = \"World\"\n\
         [[page]]\nurl = \"https://c.example/live\"\ninterval = \"5m\"\n",
    )
    .unwrap();
    assert_eq!(config.feeds[0].revisit, DEFAULT_REVISIT);
    assert_eq!(config.feeds[1].revisit, Duration::ZERO);
    assert_eq!(config.feeds[1].category.as_deref(), Some("World"));
    assert_eq!(config.pages[0].interval, Some(Duration::from_secs(300)));
    assert!(config.pages[0].read_by("any-watch"));
}
