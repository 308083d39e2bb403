//! Loads, validates and explains the TOML config (DESIGN.md "Config").
//!
//! The file is read into raw serde types (`deny_unknown_fields`, spans kept
//! where a value needs checking) and then validated into typed values. All
//! problems are collected before any is reported, each with `file:line:col`.
//! Secrets are read from the environment or a file here and wrapped in
//! [`Secret`], whose `Debug` and `Display` redact them.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use url::Url;

use crate::watch;

/// Where the config lives when neither `--config` nor `FIGWATCH_CONFIG` says.
pub const DEFAULT_PATH: &str = "/etc/figwatch/figwatch.toml";
/// Database file, relative to the config file.
pub const DEFAULT_DATABASE: &str = "figwatch.db";
/// How often a feed is polled unless it or the server says otherwise.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(15 * 60);
/// Fetches in flight at once.
pub const DEFAULT_CONCURRENCY: usize = 16;
/// Fetches in flight per host.
pub const DEFAULT_PER_HOST: usize = 2;
/// Total time for one HTTP request, body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest response body read; larger ones are cut off and fail.
pub const DEFAULT_MAX_BODY: u64 = 8 * 1024 * 1024;
/// Shortest poll interval a server's hints may ask for.
pub const DEFAULT_MIN_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// Longest poll interval a server's hints or backoff may stretch to.
pub const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);
/// A feed failing for this long raises one `feed_failing` alert.
pub const DEFAULT_FAILING_AFTER: Duration = Duration::from_secs(24 * 60 * 60);
/// Time a `command` sink may run.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// User-Agent sent with every request.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "figwatch/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/figwatch/figwatch)"
);

/// A validated config.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// `[daemon]`.
    pub daemon: Daemon,
    /// `[[feed]]`, in file order.
    pub feeds: Vec<Feed>,
    /// `[watch.NAME]`, sorted by name.
    pub watches: Vec<Watch>,
    /// `[sink.NAME]`, sorted by name.
    pub sinks: Vec<Sink>,
}

/// `[daemon]`: process-wide settings.
#[derive(Debug, Clone)]
pub struct Daemon {
    /// SQLite file (absolute; relative paths are resolved against the config file).
    pub database: PathBuf,
    /// Default poll interval of every feed.
    pub poll_interval: Duration,
    /// Lower clamp for server-suggested intervals.
    pub min_interval: Duration,
    /// Upper clamp for server-suggested intervals and backoff.
    pub max_interval: Duration,
    /// Fetches in flight at once.
    pub concurrency: usize,
    /// Fetches in flight per host.
    pub per_host: usize,
    /// Total time for one request.
    pub timeout: Duration,
    /// Body size cap in bytes.
    pub max_body: u64,
    /// User-Agent header.
    pub user_agent: String,
    /// First poll of a new feed records figures without alerting.
    pub baseline: bool,
    /// Address of the optional HTTP status server.
    pub listen: Option<SocketAddr>,
    /// How long a feed may fail before a `feed_failing` alert.
    pub failing_after: Duration,
    /// Fetch article links that resolve to private or loopback addresses.
    pub allow_private_articles: bool,
}

/// `[[feed]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// Feed URL (http or https).
    pub url: Url,
    /// Display name; `None` means the feed's own title.
    pub name: Option<String>,
    /// Poll interval overriding `[daemon] poll_interval`.
    pub interval: Option<Duration>,
    /// CSS selector for the article text of this feed's pages.
    pub article_selector: Option<String>,
}

/// `[watch.NAME]`.
#[derive(Debug, Clone)]
pub struct Watch {
    /// The NAME in `[watch.NAME]`.
    pub name: String,
    /// The query as written.
    pub query_text: String,
    /// The parsed query.
    pub query: watch::Query,
    /// Sink names to notify; `None` means every sink.
    pub notify: Option<Vec<String>>,
    /// Also alert on every newly matched article.
    pub new_articles: bool,
    /// `[watch.NAME.figure.FIGURE]`, sorted by name.
    pub figures: Vec<Figure>,
}

impl Watch {
    /// Names of the sinks this watch's alerts go to.
    pub fn sink_names<'a>(&'a self, sinks: &'a [Sink]) -> Vec<&'a str> {
        match &self.notify {
            Some(names) => names.iter().map(String::as_str).collect(),
            None => sinks.iter().map(|sink| sink.name.as_str()).collect(),
        }
    }
}

/// `[watch.NAME.figure.FIGURE]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The FIGURE in the table name.
    pub name: String,
    /// Terms whose presence in a noun phrase makes a mention this figure's.
    pub terms: Vec<String>,
    /// Which changes alert.
    pub alert_on: AlertOn,
    /// Smallest change that alerts.
    pub min_change: Option<MinChange>,
}

/// `alert_on`: which direction of change alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertOn {
    /// Any change.
    Change,
    /// Only a rise.
    Increase,
    /// Only a fall.
    Decrease,
}

/// `min_change`: "5%" relative or "500" absolute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MinChange {
    /// A fraction of the previous value (0.05 for "5%").
    Relative(f64),
    /// An absolute difference.
    Absolute(f64),
}

/// `[sink.NAME]`.
#[derive(Debug, Clone)]
pub struct Sink {
    /// The NAME in `[sink.NAME]`.
    pub name: String,
    /// What the sink is and its settings.
    pub kind: SinkKind,
}

/// The sink types and their settings.
#[derive(Debug, Clone)]
pub enum SinkKind {
    /// A tracing event per alert.
    Log,
    /// POST of the alert JSON.
    Webhook {
        /// Receiver URL.
        url: Url,
        /// HMAC-SHA256 key for the signature header.
        secret: Option<Secret>,
        /// Extra request headers.
        headers: BTreeMap<String, String>,
    },
    /// An ntfy topic.
    Ntfy {
        /// Topic URL (`https://ntfy.sh/my-topic`).
        url: Url,
        /// Bearer token.
        token: Option<Secret>,
        /// Basic-auth user (with `password`).
        username: Option<String>,
        /// Basic-auth password.
        password: Option<Secret>,
        /// Message priority 1–5.
        priority: Option<u8>,
        /// Tags (emoji short codes or words).
        tags: Vec<String>,
    },
    /// SMTP mail.
    Email(Email),
    /// Slack incoming webhook.
    Slack {
        /// Incoming-webhook URL.
        url: Secret,
    },
    /// Discord webhook.
    Discord {
        /// Webhook URL.
        url: Secret,
    },
    /// A program given the alert JSON on stdin.
    Command {
        /// Program and arguments.
        command: Vec<String>,
        /// How long it may run.
        timeout: Duration,
    },
}

impl SinkKind {
    /// The `type` name as written in the config.
    pub fn type_name(&self) -> &'static str {
        match self {
            SinkKind::Log => "log",
            SinkKind::Webhook { .. } => "webhook",
            SinkKind::Ntfy { .. } => "ntfy",
            SinkKind::Email(_) => "email",
            SinkKind::Slack { .. } => "slack",
            SinkKind::Discord { .. } => "discord",
            SinkKind::Command { .. } => "command",
        }
    }
}

/// Settings of an `email` sink.
#[derive(Debug, Clone)]
pub struct Email {
    /// SMTP server host.
    pub host: String,
    /// SMTP port (587 for STARTTLS, 465 for implicit TLS, 25 for none).
    pub port: u16,
    /// Transport security.
    pub tls: EmailTls,
    /// Login user.
    pub username: Option<String>,
    /// Login password.
    pub password: Option<Secret>,
    /// From address.
    pub from: String,
    /// Recipients.
    pub to: Vec<String>,
    /// Copy recipients.
    pub cc: Vec<String>,
}

/// How an `email` sink secures its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailTls {
    /// STARTTLS upgrade (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Implicit,
    /// Plain text; only for a local relay.
    None,
}

/// A secret value (token, password, signing key, webhook URL with a key in
/// it). Never printed: `Debug` and `Display` show `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// One thing wrong with a config, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Why a config could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read.
    #[error("{path}: cannot read config: {source}")]
    Read {
        /// The config file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// The file was read but is not a valid config.
    #[error("{}", format_problems(path, problems))]
    Invalid {
        /// The config file.
        path: PathBuf,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
}

fn format_problems(path: &Path, problems: &[Problem]) -> String {
    let mut out = String::new();
    for (idx, problem) in problems.iter().enumerate() {
        if idx > 0 {
            out.push('\n');
        }
        out.push_str(&path.display().to_string());
        if let (Some(line), Some(column)) = (problem.line, problem.column) {
            out.push_str(&format!(":{line}:{column}"));
        }
        out.push_str(": ");
        out.push_str(&problem.message);
    }
    out
}

impl Config {
    /// Reads and validates the config at `path`.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let source = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&source, path, &|name| std::env::var(name).ok())
    }

    /// Validates `source` as if read from `path`; `env` looks up environment
    /// variables (a parameter so tests need not touch the process env).
    pub fn parse(
        source: &str,
        path: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, Error> {
        let raw: RawConfig = match toml::from_str(source) {
            Ok(raw) => raw,
            Err(err) => {
                let (line, column) = match err.span() {
                    Some(span) => {
                        let (line, column) = line_col(source, span.start);
                        (Some(line), Some(column))
                    }
                    None => (None, None),
                };
                let message = err.message().trim().replace('\n', "; ");
                return Err(Error::Invalid {
                    path: path.to_path_buf(),
                    problems: vec![Problem {
                        line,
                        column,
                        message,
                    }],
                });
            }
        };
        let mut validator = Validator {
            source,
            base_dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            env,
            problems: Vec::new(),
        };
        let config = validator.config(raw, path);
        if validator.problems.is_empty() {
            Ok(config)
        } else {
            let mut problems = validator.problems;
            problems.sort_by_key(|problem| (problem.line, problem.column));
            Err(Error::Invalid {
                path: path.to_path_buf(),
                problems,
            })
        }
    }

    /// The sink named `name`.
    pub fn sink(&self, name: &str) -> Option<&Sink> {
        self.sinks.iter().find(|sink| sink.name == name)
    }
}

/// 1-based line and character column of byte `offset` in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |idx| idx + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

// ---- raw, as written -------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    daemon: RawDaemon,
    #[serde(default)]
    feed: Vec<RawFeed>,
    #[serde(default)]
    watch: BTreeMap<String, Spanned<RawWatch>>,
    #[serde(default)]
    sink: BTreeMap<String, Spanned<RawSink>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDaemon {
    database: Option<String>,
    poll_interval: Option<Spanned<String>>,
    min_interval: Option<Spanned<String>>,
    max_interval: Option<Spanned<String>>,
    concurrency: Option<Spanned<i64>>,
    per_host: Option<Spanned<i64>>,
    timeout: Option<Spanned<String>>,
    max_body: Option<Spanned<RawSize>>,
    user_agent: Option<String>,
    baseline: Option<bool>,
    listen: Option<Spanned<String>>,
    failing_after: Option<Spanned<String>>,
    allow_private_articles: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawSize {
    Bytes(i64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: Spanned<String>,
    name: Option<String>,
    interval: Option<Spanned<String>>,
    article_selector: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWatch {
    query: Spanned<String>,
    notify: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    new_articles: bool,
    #[serde(default)]
    figure: BTreeMap<String, Spanned<RawFigure>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    terms: Spanned<Vec<String>>,
    alert_on: Option<Spanned<String>>,
    min_change: Option<Spanned<RawNumberOrText>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawNumberOrText {
    Integer(i64),
    Float(f64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSink {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    url: Option<Spanned<String>>,
    url_env: Option<Spanned<String>>,
    url_file: Option<Spanned<String>>,
    secret_env: Option<Spanned<String>>,
    secret_file: Option<Spanned<String>>,
    token_env: Option<Spanned<String>>,
    token_file: Option<Spanned<String>>,
    username: Option<String>,
    password_env: Option<Spanned<String>>,
    password_file: Option<Spanned<String>>,
    headers: Option<BTreeMap<String, String>>,
    priority: Option<Spanned<i64>>,
    tags: Option<Vec<String>>,
    command: Option<Spanned<Vec<String>>>,
    timeout: Option<Spanned<String>>,
    host: Option<Spanned<String>>,
    port: Option<Spanned<i64>>,
    tls: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<Vec<String>>>,
    cc: Option<Vec<String>>,
}

// ---- validation ------------------------------------------------------------

struct Validator<'a> {
    source: &'a str,
    base_dir: PathBuf,
    env: &'a dyn Fn(&str) -> Option<String>,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn problem(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = line_col(self.source, offset);
        self.problems.push(Problem {
            line: Some(line),
            column: Some(column),
            message: message.into(),
        });
    }

    fn config(&mut self, raw: RawConfig, path: &Path) -> Config {
        let daemon = self.daemon(raw.daemon);
        let feeds = raw.feed.into_iter().map(|feed| self.feed(feed)).collect();
        let sinks: Vec<Sink> = raw
            .sink
            .into_iter()
            .filter_map(|(name, sink)| self.sink(name, sink))
            .collect();
        let sink_names: Vec<&str> = sinks.iter().map(|sink| sink.name.as_str()).collect();
        let watches = raw
            .watch
            .into_iter()
            .filter_map(|(name, watch)| self.watch(name, watch, &sink_names))
            .collect();
        Config {
            path: path.to_path_buf(),
            daemon,
            feeds,
            watches,
            sinks,
        }
    }

    fn duration(&mut self, value: Option<Spanned<String>>, default: Duration) -> Duration {
        let Some(value) = value else {
            return default;
        };
        match humantime::parse_duration(value.get_ref()) {
            Ok(duration) if !duration.is_zero() => duration,
            Ok(_) => {
                self.problem(value.span().start, "duration must be greater than zero");
                default
            }
            Err(err) => {
                self.problem(
                    value.span().start,
                    format!(
                        "invalid duration {:?}: {err}; expected e.g. \"90s\", \"15m\", \"1h 30m\"",
                        value.get_ref()
                    ),
                );
                default
            }
        }
    }

    fn count(&mut self, value: Option<Spanned<i64>>, default: usize, what: &str) -> usize {
        let Some(value) = value else {
            return default;
        };
        match usize::try_from(*value.get_ref()) {
            Ok(count) if count > 0 => count,
            _ => {
                self.problem(
                    value.span().start,
                    format!("{what} must be a positive integer"),
                );
                default
            }
        }
    }

    fn daemon(&mut self, raw: RawDaemon) -> Daemon {
        let database = self.base_dir.join(
            raw.database
                .as_deref()
                .unwrap_or(DEFAULT_DATABASE)
                .to_string(),
        );
        let poll_interval = self.duration(raw.poll_interval, DEFAULT_POLL_INTERVAL);
        let min_interval = self.duration(raw.min_interval, DEFAULT_MIN_INTERVAL);
        let max_interval = self.duration(raw.max_interval, DEFAULT_MAX_INTERVAL);
        let concurrency = self.count(raw.concurrency, DEFAULT_CONCURRENCY, "concurrency");
        let per_host = self.count(raw.per_host, DEFAULT_PER_HOST, "per_host");
        let timeout = self.duration(raw.timeout, DEFAULT_TIMEOUT);
        let failing_after = self.duration(raw.failing_after, DEFAULT_FAILING_AFTER);
        let max_body = match raw.max_body {
            None => DEFAULT_MAX_BODY,
            Some(size) => {
                let parsed = match size.get_ref() {
                    RawSize::Bytes(bytes) => u64::try_from(*bytes).ok().filter(|b| *b > 0),
                    RawSize::Text(text) => parse_size(text),
                };
                parsed.unwrap_or_else(|| {
                    self.problem(
                        size.span().start,
                        "invalid max_body; expected a byte count or a size like \"8MiB\", \"500KB\"",
                    );
                    DEFAULT_MAX_BODY
                })
            }
        };
        let listen = raw
            .listen
            .and_then(|listen| match listen.get_ref().parse() {
                Ok(addr) => Some(addr),
                Err(_) => {
                    self.problem(
                        listen.span().start,
                        format!(
                            "invalid listen address {:?}; expected IP:PORT like \"127.0.0.1:9464\"",
                            listen.get_ref()
                        ),
                    );
                    None
                }
            });
        Daemon {
            database,
            poll_interval,
            min_interval,
            max_interval,
            concurrency,
            per_host,
            timeout,
            max_body,
            user_agent: raw
                .user_agent
                .unwrap_or_else(|| DEFAULT_USER_AGENT.to_string()),
            baseline: raw.baseline.unwrap_or(true),
            listen,
            failing_after,
            allow_private_articles: raw.allow_private_articles.unwrap_or(false),
        }
    }

    fn http_url(&mut self, value: &Spanned<String>, what: &str) -> Option<Url> {
        match Url::parse(value.get_ref().trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Some(url),
            Ok(_) => {
                self.problem(
                    value.span().start,
                    format!("{what} {:?} must be an http or https URL", value.get_ref()),
                );
                None
            }
            Err(err) => {
                self.problem(
                    value.span().start,
                    format!(
                        "invalid {what} {:?}: {err}; expected e.g. \"https://example.org/feed.xml\"",
                        value.get_ref()
                    ),
                );
                None
            }
        }
    }

    fn feed(&mut self, raw: RawFeed) -> Feed {
        let url = self
            .http_url(&raw.url, "feed url")
            .unwrap_or_else(|| Url::parse("http://invalid.invalid/").expect("literal URL parses"));
        let interval = raw
            .interval
            .map(|interval| self.duration(Some(interval), DEFAULT_POLL_INTERVAL));
        let article_selector = raw.article_selector.and_then(|selector| {
            match scraper::Selector::parse(selector.get_ref()) {
                Ok(_) => Some(selector.into_inner()),
                Err(err) => {
                    self.problem(
                        selector.span().start,
                        format!("invalid CSS selector {:?}: {err}", selector.get_ref()),
                    );
                    None
                }
            }
        });
        Feed {
            url,
            name: raw.name.filter(|name| !name.trim().is_empty()),
            interval,
            article_selector,
        }
    }

    fn watch(
        &mut self,
        name: String,
        raw: Spanned<RawWatch>,
        sink_names: &[&str],
    ) -> Option<Watch> {
        let span = raw.span();
        let raw = raw.into_inner();
        if !valid_name(&name) {
            self.problem(
                span.start,
                format!("watch name {name:?} may only hold letters, digits, '-' and '_'"),
            );
        }
        let query = match watch::Query::parse(raw.query.get_ref()) {
            Ok(query) => Some(query),
            Err(err) => {
                // +1 skips the opening quote of the TOML string.
                self.problem(
                    raw.query.span().start + 1 + err.offset,
                    format!("watch {name}: invalid query: {}", err.message),
                );
                None
            }
        };
        let notify = raw.notify.map(|names| {
            names
                .into_iter()
                .filter_map(|sink| {
                    if sink_names.contains(&sink.get_ref().as_str()) {
                        Some(sink.into_inner())
                    } else {
                        let known = if sink_names.is_empty() {
                            "no sinks are defined".to_string()
                        } else {
                            format!("defined sinks: {}", sink_names.join(", "))
                        };
                        self.problem(
                            sink.span().start,
                            format!(
                                "watch {name}: notify names unknown sink {:?} ({known})",
                                sink.get_ref()
                            ),
                        );
                        None
                    }
                })
                .collect()
        });
        let figures = raw
            .figure
            .into_iter()
            .map(|(figure_name, figure)| self.figure(&name, figure_name, figure))
            .collect();
        Some(Watch {
            query_text: raw.query.into_inner(),
            query: query?,
            name,
            notify,
            new_articles: raw.new_articles,
            figures,
        })
    }

    fn figure(&mut self, watch: &str, name: String, raw: Spanned<RawFigure>) -> Figure {
        let span = raw.span();
        let raw = raw.into_inner();
        if !valid_name(&name) {
            self.problem(
                span.start,
                format!("figure name {name:?} may only hold letters, digits, '-' and '_'"),
            );
        }
        let terms_span = raw.terms.span();
        let terms: Vec<String> = raw
            .terms
            .into_inner()
            .into_iter()
            .map(|term| term.trim().to_string())
            .filter(|term| !term.is_empty())
            .collect();
        if terms.is_empty() {
            self.problem(
                terms_span.start,
                format!(
                    "watch {watch}, figure {name}: terms must hold at least one word or phrase"
                ),
            );
        }
        let alert_on = match raw.alert_on {
            None => AlertOn::Change,
            Some(value) => match value.get_ref().as_str() {
                "change" => AlertOn::Change,
                "increase" => AlertOn::Increase,
                "decrease" => AlertOn::Decrease,
                other => {
                    self.problem(
                        value.span().start,
                        format!(
                            "watch {watch}, figure {name}: unknown alert_on {other:?}; expected \"change\", \"increase\" or \"decrease\""
                        ),
                    );
                    AlertOn::Change
                }
            },
        };
        let min_change = raw.min_change.and_then(|value| {
            let parsed = match value.get_ref() {
                RawNumberOrText::Integer(n) => Some(MinChange::Absolute(*n as f64)),
                RawNumberOrText::Float(n) => Some(MinChange::Absolute(*n)),
                RawNumberOrText::Text(text) => parse_min_change(text),
            };
            match parsed {
                Some(MinChange::Absolute(n) | MinChange::Relative(n)) if n.is_finite() && n >= 0.0 => parsed,
                _ => {
                    self.problem(
                        value.span().start,
                        format!(
                            "watch {watch}, figure {name}: invalid min_change; expected \"5%\" (relative) or \"500\" (absolute)"
                        ),
                    );
                    None
                }
            }
        });
        Figure {
            name,
            terms,
            alert_on,
            min_change,
        }
    }

    /// A secret from `<key>_env` or `<key>_file`; both or an unset variable
    /// or unreadable file is a problem.
    fn secret(
        &mut self,
        sink: &str,
        key: &str,
        env_name: Option<Spanned<String>>,
        file: Option<Spanned<String>>,
    ) -> Option<Secret> {
        match (env_name, file) {
            (None, None) => None,
            (Some(env_name), Some(_)) => {
                self.problem(
                    env_name.span().start,
                    format!("sink {sink}: set {key}_env or {key}_file, not both"),
                );
                None
            }
            (Some(env_name), None) => match (self.env)(env_name.get_ref()) {
                Some(value) if !value.trim().is_empty() => Some(Secret::new(value.trim())),
                _ => {
                    self.problem(
                        env_name.span().start,
                        format!(
                            "sink {sink}: environment variable {} ({key}_env) is not set",
                            env_name.get_ref()
                        ),
                    );
                    None
                }
            },
            (None, Some(file)) => {
                let path = self.base_dir.join(file.get_ref());
                match std::fs::read_to_string(&path) {
                    Ok(value) if !value.trim().is_empty() => Some(Secret::new(value.trim())),
                    Ok(_) => {
                        self.problem(
                            file.span().start,
                            format!("sink {sink}: {key}_file {} is empty", path.display()),
                        );
                        None
                    }
                    Err(err) => {
                        self.problem(
                            file.span().start,
                            format!(
                                "sink {sink}: cannot read {key}_file {}: {err}",
                                path.display()
                            ),
                        );
                        None
                    }
                }
            }
        }
    }

    fn sink(&mut self, name: String, raw: Spanned<RawSink>) -> Option<Sink> {
        let span = raw.span();
        let raw = raw.into_inner();
        if !valid_name(&name) {
            self.problem(
                span.start,
                format!("sink name {name:?} may only hold letters, digits, '-' and '_'"),
            );
        }
        let kind_name = raw.kind.get_ref().clone();
        let kind_offset = raw.kind.span().start;

        // Which keys each type accepts; anything else set is a problem.
        let allowed: &[&str] = match kind_name.as_str() {
            "log" => &[],
            "webhook" => &["url", "secret_env", "secret_file", "headers", "timeout"],
            "ntfy" => &[
                "url",
                "token_env",
                "token_file",
                "username",
                "password_env",
                "password_file",
                "priority",
                "tags",
            ],
            "email" => &[
                "host",
                "port",
                "tls",
                "username",
                "password_env",
                "password_file",
                "from",
                "to",
                "cc",
            ],
            "slack" | "discord" => &["url", "url_env", "url_file"],
            "command" => &["command", "timeout"],
            other => {
                self.problem(
                    kind_offset,
                    format!(
                        "sink {name}: unknown type {other:?}; expected one of log, webhook, ntfy, email, slack, discord, command"
                    ),
                );
                return None;
            }
        };
        for (key, offset) in raw.set_keys() {
            if !allowed.contains(&key) {
                self.problem(
                    offset.unwrap_or(span.start),
                    format!("sink {name}: key {key:?} does not apply to a {kind_name} sink"),
                );
            }
        }

        let kind = match kind_name.as_str() {
            "log" => SinkKind::Log,
            "webhook" => {
                let url = self.required_url(&name, raw.url.as_ref(), span.start)?;
                SinkKind::Webhook {
                    secret: self.secret(&name, "secret", raw.secret_env, raw.secret_file),
                    headers: raw.headers.unwrap_or_default(),
                    url,
                }
            }
            "ntfy" => {
                let url = self.required_url(&name, raw.url.as_ref(), span.start)?;
                let priority =
                    raw.priority
                        .and_then(|priority| match u8::try_from(*priority.get_ref()) {
                            Ok(p @ 1..=5) => Some(p),
                            _ => {
                                self.problem(
                                    priority.span().start,
                                    format!("sink {name}: priority must be 1 (min) to 5 (max)"),
                                );
                                None
                            }
                        });
                SinkKind::Ntfy {
                    url,
                    token: self.secret(&name, "token", raw.token_env, raw.token_file),
                    username: raw.username,
                    password: self.secret(&name, "password", raw.password_env, raw.password_file),
                    priority,
                    tags: raw.tags.unwrap_or_default(),
                }
            }
            "slack" | "discord" => {
                let url = match (&raw.url, raw.url_env.is_some() || raw.url_file.is_some()) {
                    (Some(url), false) => self
                        .http_url(url, &format!("sink {name}: url"))
                        .map(|url| Secret::new(url.to_string())),
                    (None, true) => {
                        let secret = self.secret(&name, "url", raw.url_env, raw.url_file)?;
                        if Url::parse(secret.expose()).is_err() {
                            self.problem(
                                span.start,
                                format!("sink {name}: the webhook URL from url_env/url_file is not a URL"),
                            );
                            return None;
                        }
                        Some(secret)
                    }
                    _ => {
                        self.problem(
                            span.start,
                            format!("sink {name}: set exactly one of url, url_env or url_file"),
                        );
                        None
                    }
                }?;
                if kind_name == "slack" {
                    SinkKind::Slack { url }
                } else {
                    SinkKind::Discord { url }
                }
            }
            "command" => {
                let Some(command) = raw.command else {
                    self.problem(
                        span.start,
                        format!("sink {name}: command sink needs command = [\"/path/to/program\", \"arg\", …]"),
                    );
                    return None;
                };
                if command.get_ref().is_empty() || command.get_ref()[0].trim().is_empty() {
                    self.problem(
                        command.span().start,
                        format!("sink {name}: command must name a program"),
                    );
                    return None;
                }
                SinkKind::Command {
                    timeout: self.duration(raw.timeout, DEFAULT_COMMAND_TIMEOUT),
                    command: command.into_inner(),
                }
            }
            "email" => {
                let (Some(host), Some(from), Some(to)) = (raw.host, raw.from, raw.to) else {
                    self.problem(
                        span.start,
                        format!("sink {name}: email sink needs host, from and to"),
                    );
                    return None;
                };
                let tls = match raw.tls.as_ref().map(|tls| tls.get_ref().as_str()) {
                    None | Some("starttls") => EmailTls::Starttls,
                    Some("implicit") | Some("tls") => EmailTls::Implicit,
                    Some("none") => EmailTls::None,
                    Some(other) => {
                        self.problem(
                            raw.tls.as_ref().map_or(span.start, |tls| tls.span().start),
                            format!("sink {name}: unknown tls {other:?}; expected \"starttls\", \"implicit\" or \"none\""),
                        );
                        EmailTls::Starttls
                    }
                };
                let default_port = match tls {
                    EmailTls::Starttls => 587,
                    EmailTls::Implicit => 465,
                    EmailTls::None => 25,
                };
                let port = match raw.port {
                    None => default_port,
                    Some(port) => u16::try_from(*port.get_ref()).unwrap_or_else(|_| {
                        self.problem(port.span().start, format!("sink {name}: invalid port"));
                        default_port
                    }),
                };
                if to.get_ref().is_empty() {
                    self.problem(
                        to.span().start,
                        format!("sink {name}: to needs at least one address"),
                    );
                }
                for address in to.get_ref().iter().chain(std::iter::once(from.get_ref())) {
                    if !address.contains('@') {
                        self.problem(
                            from.span().start,
                            format!("sink {name}: {address:?} is not an email address"),
                        );
                    }
                }
                SinkKind::Email(Email {
                    host: host.into_inner(),
                    port,
                    tls,
                    username: raw.username,
                    password: self.secret(&name, "password", raw.password_env, raw.password_file),
                    from: from.into_inner(),
                    to: to.into_inner(),
                    cc: raw.cc.unwrap_or_default(),
                })
            }
            _ => return None,
        };
        Some(Sink { name, kind })
    }

    fn required_url(
        &mut self,
        sink: &str,
        url: Option<&Spanned<String>>,
        offset: usize,
    ) -> Option<Url> {
        match url {
            Some(url) => self.http_url(url, &format!("sink {sink}: url")),
            None => {
                self.problem(offset, format!("sink {sink}: url is required"));
                None
            }
        }
    }
}

impl RawSink {
    /// Keys set besides `type`, with their offsets where known.
    fn set_keys(&self) -> Vec<(&'static str, Option<usize>)> {
        fn at<T>(value: &Option<Spanned<T>>) -> Option<usize> {
            value.as_ref().map(|v| v.span().start)
        }
        let mut keys = Vec::new();
        let mut push = |key, set: bool, offset| {
            if set {
                keys.push((key, offset));
            }
        };
        push("url", self.url.is_some(), at(&self.url));
        push("url_env", self.url_env.is_some(), at(&self.url_env));
        push("url_file", self.url_file.is_some(), at(&self.url_file));
        push(
            "secret_env",
            self.secret_env.is_some(),
            at(&self.secret_env),
        );
        push(
            "secret_file",
            self.secret_file.is_some(),
            at(&self.secret_file),
        );
        push("token_env", self.token_env.is_some(), at(&self.token_env));
        push(
            "token_file",
            self.token_file.is_some(),
            at(&self.token_file),
        );
        push("username", self.username.is_some(), None);
        push(
            "password_env",
            self.password_env.is_some(),
            at(&self.password_env),
        );
        push(
            "password_file",
            self.password_file.is_some(),
            at(&self.password_file),
        );
        push("headers", self.headers.is_some(), None);
        push("priority", self.priority.is_some(), at(&self.priority));
        push("tags", self.tags.is_some(), None);
        push("command", self.command.is_some(), at(&self.command));
        push("timeout", self.timeout.is_some(), at(&self.timeout));
        push("host", self.host.is_some(), at(&self.host));
        push("port", self.port.is_some(), at(&self.port));
        push("tls", self.tls.is_some(), at(&self.tls));
        push("from", self.from.is_some(), at(&self.from));
        push("to", self.to.is_some(), at(&self.to));
        push("cc", self.cc.is_some(), None);
        keys
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// "8MiB", "500KB", "1GB", "1024" → bytes.
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let multiplier: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "kib" => 1024.0,
        "mb" | "m" => 1e6,
        "mib" => 1024.0 * 1024.0,
        "gb" | "g" => 1e9,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    let bytes = number * multiplier;
    (bytes >= 1.0 && bytes < 1e15).then_some(bytes as u64)
}

/// "5%" → relative 0.05; "500" or "1,000" → absolute.
fn parse_min_change(text: &str) -> Option<MinChange> {
    let text = text.trim();
    if let Some(percent) = text.strip_suffix('%') {
        let value: f64 = percent.trim().parse().ok()?;
        Some(MinChange::Relative(value / 100.0))
    } else {
        let value: f64 = text.replace(',', "").parse().ok()?;
        Some(MinChange::Absolute(value))
    }
}

#[cfg(test)]
mod tests;
