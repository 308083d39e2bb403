//! Loads, validates and explains the TOML config (DESIGN.md "Config").
//!
//! The file is read into raw serde types (`deny_unknown_fields`, spans kept
//! where a value needs checking) and then validated into typed values. All
//! problems are collected before any is reported, each with `file:line:col`.
//! Secrets are only named at load; `secret.rs` reads them from the
//! environment or a file when a sink is built for sending, into
//! [`Secret`], whose `Debug` and `Display` redact them.

mod figure;
mod database;
mod raw;
pub mod redact;
mod secret;
mod sink;
mod validate;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use url::Url;

use crate::watch;
pub use figure::{is_currency_code, kind_marker};
use raw::RawConfig;
pub use secret::Secret;
pub use sink::{DeliveryPolicy, Email, EmailTls, RateLimit, Sink, SinkKind, Template};
use validate::Validator;

pub use database::{Database, redact_url};
#[cfg(feature = "daemon")]
pub(crate) use validate::css_selector_problem;
#[cfg(test)]
use validate::{parse_min_change, parse_size};

/// How many attempts a delivery gets before it is given up as dead: with
/// `alert::retry_delay` that is about thirteen hours of retrying, enough to
/// ride out a receiver's overnight outage. Lives here, not in `alert`, so
/// the config loader builds without the delivery stack (see the `daemon`
/// feature).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 20;

/// Where the config lives when neither `--config` nor `FIGWATCH_CONFIG` says.
pub const DEFAULT_PATH: &str = "/etc/figwatch/figwatch.toml";
/// Database file, relative to the config file.
pub const DEFAULT_DATABASE: &str = "figwatch.db";
/// How often a feed is polled unless it or the server says otherwise.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(15 * 60);
/// How often, at most, a changed entry's article is fetched again.
pub const DEFAULT_REVISIT: Duration = Duration::from_secs(60 * 60);
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
/// Entries and articles older than this are pruned (`retention`); their
/// observations, figure states and alerts stay.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(90 * 24 * 60 * 60);
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
    /// `[[page]]`, in file order: live pages polled beside the feeds.
    pub pages: Vec<Page>,
    /// `[watch.NAME]`, sorted by name.
    pub watches: Vec<Watch>,
    /// `[sink.NAME]`, sorted by name.
    pub sinks: Vec<Sink>,
}

/// `[daemon]`: process-wide settings.
#[derive(Debug, Clone)]
pub struct Daemon {
    /// The store: a SQLite file (absolute; relative paths are resolved
    /// against the config file) or a PostgreSQL URL.
    pub database: Database,
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
    /// Fetch article links that resolve to private or loopback addresses
    /// (every feed's default; a feed's own `allow_private_articles` wins).
    pub allow_private_articles: bool,
    /// `allowed_hosts`: names the status server answers to besides IP
    /// addresses and `localhost` (its `Host` check against DNS rebinding).
    pub allowed_hosts: Vec<String>,
    /// `retention`: entries and articles older than this are pruned, their
    /// observations, figure states and alerts kept. `None` ("forever"):
    /// nothing is pruned.
    pub retention: Option<Duration>,
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
    /// `allow_private`: the feed URL, and the redirects it answers with,
    /// may reach non-public addresses. A literal private address or
    /// `localhost` needs it only for redirects to another origin.
    pub allow_private: bool,
    /// `allow_private_articles`: this feed's article links may reach
    /// non-public addresses; `None` takes `[daemon]`'s.
    pub allow_private_articles: Option<bool>,
    /// `revisit`: an entry seen again with changes has its article fetched
    /// again at most this often.
    pub revisit: Duration,
    /// `category`: a label (OPML import keeps its outline), shown by
    /// `check` and the status page.
    pub category: Option<String>,
}

/// `[[page]]`: a live page (a situation report, a live blog) that is not a
/// feed; each change of its main text is a revision of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Page URL (http or https).
    pub url: Url,
    /// Display name; `None` means the page's host.
    pub name: Option<String>,
    /// Poll interval overriding `[daemon] poll_interval`.
    pub interval: Option<Duration>,
    /// CSS selector for the page's main text.
    pub selector: Option<String>,
    /// Watches that read the page; `None` means every watch.
    pub watches: Option<Vec<String>>,
    /// The page may be on (or redirect to) a non-public address.
    pub allow_private: bool,
}

impl Page {
    /// Whether the page's own origin may be non-public (as
    /// [`Feed::private_origin_allowed`]).
    #[cfg(feature = "daemon")]
    pub fn private_origin_allowed(&self) -> bool {
        self.allow_private || crate::fetch::is_private_literal(&self.url)
    }

    /// Whether the watch named `watch` reads this page.
    pub fn read_by(&self, watch: &str) -> bool {
        self.watches
            .as_ref()
            .is_none_or(|names| names.iter().any(|name| name == watch))
    }
}

impl Feed {
    /// Whether the feed URL's own origin may be non-public: the config
    /// says so, or the URL names a private host itself (a literal address,
    /// `localhost`). Never decided by what the name resolves to.
    #[cfg(feature = "daemon")]
    pub fn private_origin_allowed(&self) -> bool {
        self.allow_private || crate::fetch::is_private_literal(&self.url)
    }

    /// Whether this feed's article links may reach non-public addresses.
    pub fn private_articles_allowed(&self, daemon: &Daemon) -> bool {
        self.allow_private_articles
            .unwrap_or(daemon.allow_private_articles)
    }
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
    /// `of`: names of the owner ("North Korea", "Pyongyang"). A mention
    /// whose known owner matches none of them is never this figure's; one
    /// with no owner counts only when its sentence names no other owner.
    /// Empty: any owner.
    pub of: Vec<String>,
    /// `exclude`: a mention whose noun phrase or event holds one of these
    /// words is never this figure's.
    pub exclude: Vec<String>,
    /// `kind`: what the figure measures. Without `kind` in the file, money
    /// or percent when a term is an old-style marker ("$", "percent"; see
    /// [`kind_marker`], deprecated), else count.
    pub kind: FigureKind,
    /// `unit`: for money, the ISO currency ("USD"); for a measure, its unit.
    /// Only mentions in this unit are the figure's. `None`: any unit, but a
    /// state is only ever compared with a value in the same unit.
    pub unit: Option<String>,
    /// `by_source = true`: one state per claimant, so "NIS says 12,000" and
    /// "Kyiv says 11,000" are two values side by side, not a change.
    pub by_source: bool,
}

/// `kind`: what a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FigureKind {
    /// A count of things: "11,000 troops" (the default).
    #[default]
    Count,
    /// Money: "$3.2 billion".
    Money,
    /// A percentage: "25%".
    Percent,
    /// A measurement with a unit: "37 km".
    Measure,
}

impl FigureKind {
    /// The name used in the config (`count`, `money`, `percent`, `measure`).
    pub fn as_str(self) -> &'static str {
        match self {
            FigureKind::Count => "count",
            FigureKind::Money => "money",
            FigureKind::Percent => "percent",
            FigureKind::Measure => "measure",
        }
    }

    /// Inverse of [`FigureKind::as_str`].
    pub fn from_name(name: &str) -> Option<FigureKind> {
        Some(match name {
            "count" => FigureKind::Count,
            "money" => FigureKind::Money,
            "percent" => FigureKind::Percent,
            "measure" => FigureKind::Measure,
            _ => return None,
        })
    }
}

impl Figure {
    /// A figure as the config's defaults make it: any change alerts, no
    /// smallest change, any owner, the kind its terms imply (count unless a
    /// term is an old-style money or percent marker).
    pub fn new(name: &str, terms: &[&str]) -> Figure {
        Figure {
            name: name.to_string(),
            terms: terms.iter().map(|term| term.to_string()).collect(),
            alert_on: AlertOn::Change,
            min_change: None,
            of: Vec::new(),
            exclude: Vec::new(),
            kind: FigureKind::inferred_from(terms),
            unit: None,
            by_source: false,
        }
    }
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
        Config::parse(&source, path)
    }

    /// Validates `source` as if read from `path`. Secrets are named, not
    /// read: see [`Config::resolve_secrets`] (but a `url_env` / `url_file`
    /// is read now: the URL is needed to know the feed or sink at all).
    pub fn parse(source: &str, path: &Path) -> Result<Config, Error> {
        Config::parse_with_env(source, path, &|name| std::env::var(name).ok())
    }

    /// [`Config::parse`] with `env` looking up the variables of `url_env`.
    pub fn parse_with_env(
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
            problems: Vec::new(),
            env,
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

/// 1-based line and character column of byte `offset` in `source`. It
/// scans `source` up to `offset`, so it is for problems, not for every key.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    #[cfg(test)]
    LINE_COL_CALLS.with(|calls| calls.set(calls.get() + 1));
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |idx| idx + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
thread_local! {
    /// How often [`line_col`] ran on this thread, for a test to count.
    static LINE_COL_CALLS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
mod tests;
