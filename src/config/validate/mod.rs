//! Raw config → typed values. Every problem is collected with its location;
//! nothing stops at the first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;
use url::Url;

use super::raw::*;
use super::*;

mod sink;
mod source;

use source::Urls;

mod watches;

#[cfg(test)]
pub(super) use watches::parse_min_change;

pub(super) struct Validator<'a> {
    pub(super) source: &'a str,
    pub(super) base_dir: PathBuf,
    pub(super) problems: Vec<Problem>,
    /// Looks up the environment variables of `url_env`.
    pub(super) env: &'a dyn Fn(&str) -> Option<String>,
}

impl Validator<'_> {
    pub(super) fn problem(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = line_col(self.source, offset);
        self.problems.push(Problem {
            line: Some(line),
            column: Some(column),
            message: message.into(),
        });
    }

    pub(super) fn config(&mut self, raw: RawConfig, path: &Path) -> Config {
        let daemon = self.daemon(raw.daemon);
        // Each URL once, feeds and pages alike: a second one with the same
        // URL would poll it twice under one state row.
        let mut urls = Urls::default();
        let feeds = self.feeds(raw.feed, &mut urls);
        let sinks: Vec<Sink> = raw
            .sink
            .into_iter()
            .filter_map(|(name, sink)| self.sink(name, sink))
            .collect();
        let sink_names: Vec<&str> = sinks.iter().map(|sink| sink.name.as_str()).collect();
        let watches: Vec<Watch> = raw
            .watch
            .into_iter()
            .filter_map(|(name, watch)| self.watch(name, watch, &sink_names))
            .collect();
        let watch_names: Vec<&str> = watches.iter().map(|watch| watch.name.as_str()).collect();
        let pages = self.pages(raw.page, &watch_names, &mut urls);
        Config {
            path: path.to_path_buf(),
            daemon,
            feeds,
            pages,
            watches,
            sinks,
        }
    }

    /// A humantime duration ("90s", "15m"); a bare number is a problem
    /// that says so, since TOML would otherwise only say "expected a string".
    pub(super) fn duration(
        &mut self,
        value: Option<Spanned<RawNumberOrText>>,
        default: Duration,
    ) -> Duration {
        const EXPECTED: &str = "expected a duration such as \"60s\" or \"15m\"";
        let Some(value) = value else {
            return default;
        };
        let text = match value.get_ref() {
            RawNumberOrText::Text(text) => text,
            RawNumberOrText::Integer(n) => {
                let example = format!("\"{n}s\"");
                self.problem(
                    value.span().start,
                    format!("invalid duration {n}: a number needs a unit; {EXPECTED} (a quoted string: {example} is {n} seconds)"),
                );
                return default;
            }
            RawNumberOrText::Float(n) => {
                self.problem(
                    value.span().start,
                    format!("invalid duration {n}: a number needs a unit; {EXPECTED}"),
                );
                return default;
            }
        };
        match humantime::parse_duration(text) {
            Ok(duration) if !duration.is_zero() => duration,
            Ok(_) => {
                self.problem(value.span().start, "duration must be greater than zero");
                default
            }
            Err(err) => {
                self.problem(
                    value.span().start,
                    format!("invalid duration {text:?}: {err}; {EXPECTED}"),
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

    /// `database` with its password: a PostgreSQL URL, else a SQLite file
    /// relative to the config file.
    fn database(
        &mut self,
        database: Option<Spanned<String>>,
        password_env: Option<Spanned<String>>,
        password_file: Option<Spanned<String>>,
    ) -> Database {
        let at = database
            .as_ref()
            .map_or(0, |database| database.span().start);
        let text = database
            .as_ref()
            .map_or(DEFAULT_DATABASE, |database| database.get_ref().as_str());
        if Database::is_postgres_url(text) {
            if let Err(err) = Url::parse(text) {
                self.problem(at, format!("daemon: database is not a valid URL: {err}"));
            }
            // Read now: every command, read-only ones too, opens the store.
            let password = self
                .secret_value_now("daemon", "database_password", password_env, password_file)
                .map(Secret::new);
            return Database::Postgres {
                url: text.to_string(),
                password,
            };
        }
        for key in [password_env, password_file].into_iter().flatten() {
            self.problem(
                key.span().start,
                "daemon: database_password_env and database_password_file apply to a postgres:// database, not a SQLite file",
            );
        }
        Database::Sqlite(self.base_dir.join(text))
    }

    fn daemon(&mut self, raw: RawDaemon) -> Daemon {
        let database = self.database(
            raw.database,
            raw.database_password_env,
            raw.database_password_file,
        );
        let poll_interval = self.duration(raw.poll_interval, DEFAULT_POLL_INTERVAL);
        let min_interval = self.duration(raw.min_interval, DEFAULT_MIN_INTERVAL);
        let max_interval = self.duration(raw.max_interval, DEFAULT_MAX_INTERVAL);
        let concurrency = self.count(raw.concurrency, DEFAULT_CONCURRENCY, "concurrency");
        let per_host = self.count(raw.per_host, DEFAULT_PER_HOST, "per_host");
        let timeout = self.duration(raw.timeout, DEFAULT_TIMEOUT);
        let failing_after = self.duration(raw.failing_after, DEFAULT_FAILING_AFTER);
        let retention = match raw.retention {
            Some(value) if value.get_ref().trim() == "forever" => None,
            value => Some(self.duration(
                value.map(|v| {
                    let span = v.span();
                    Spanned::new(span, RawNumberOrText::Text(v.into_inner()))
                }),
                DEFAULT_RETENTION,
            )),
        };
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
            allowed_hosts: raw.allowed_hosts.unwrap_or_default(),
            retention,
        }
    }

    /// `url`, or the URL read now from `url_env` / `url_file` (a URL with a
    /// token in it need not sit in the config; it is needed to know the
    /// feed or sink at all, so it is read at load); exactly one of them. A
    /// URL read from a secret is never quoted in a problem.
    pub(super) fn url_or_secret_url(
        &mut self,
        owner: &str,
        what: &str,
        (url, url_env, url_file): UrlSources,
        offset: usize,
    ) -> Option<Url> {
        let from_secret = url_env.is_some() || url_file.is_some();
        match (url, from_secret) {
            (Some(url), false) => self.http_url(&url, what),
            (None, true) => {
                let at = url_env
                    .as_ref()
                    .or(url_file.as_ref())
                    .map_or(offset, |value| value.span().start);
                let value = self.secret_value_now(owner, "url", url_env, url_file)?;
                match Url::parse(&value) {
                    Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                        Some(url)
                    }
                    _ => {
                        self.problem(
                            at,
                            format!(
                                "{owner}: the value of url_env/url_file is not an http or https URL"
                            ),
                        );
                        None
                    }
                }
            }
            (Some(_), true) => {
                self.problem(
                    offset,
                    format!("{owner}: set exactly one of url, url_env or url_file"),
                );
                None
            }
            (None, false) => {
                self.problem(offset, format!("{owner}: url is required"));
                None
            }
        }
    }

    /// The value of `{key}_env` or `{key}_file`, read now; problems start
    /// with `owner` ("feed", "sink hook").
    fn secret_value_now(
        &mut self,
        owner: &str,
        key: &str,
        env_name: Option<Spanned<String>>,
        file: Option<Spanned<String>>,
    ) -> Option<String> {
        match (env_name, file) {
            (None, None) => None,
            (Some(env_name), Some(_)) => {
                self.problem(
                    env_name.span().start,
                    format!("{owner}: set {key}_env or {key}_file, not both"),
                );
                None
            }
            (Some(env_name), None) => match (self.env)(env_name.get_ref().trim()) {
                Some(value) if !value.trim().is_empty() => Some(value.trim().to_string()),
                _ => {
                    self.problem(
                        env_name.span().start,
                        format!(
                            "{owner}: environment variable {} ({key}_env) is not set",
                            env_name.get_ref()
                        ),
                    );
                    None
                }
            },
            (None, Some(file)) => {
                let path = self.base_dir.join(file.get_ref());
                match std::fs::read_to_string(&path) {
                    Ok(value) if !value.trim().is_empty() => Some(value.trim().to_string()),
                    Ok(_) => {
                        self.problem(
                            file.span().start,
                            format!("{owner}: {key}_file {} is empty", path.display()),
                        );
                        None
                    }
                    Err(err) => {
                        self.problem(
                            file.span().start,
                            format!("{owner}: cannot read {key}_file {}: {err}", path.display()),
                        );
                        None
                    }
                }
            }
        }
    }

    pub(super) fn http_url(&mut self, value: &Spanned<String>, what: &str) -> Option<Url> {
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
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// "8MiB", "500KB", "1GB", "1024" → bytes.
pub(super) fn parse_size(text: &str) -> Option<u64> {
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
    (1.0..1e15).contains(&bytes).then_some(bytes as u64)
}

/// `url`, `url_env` and `url_file` as written.
pub(super) type UrlSources = (
    Option<Spanned<String>>,
    Option<Spanned<String>>,
    Option<Spanned<String>>,
);

/// What is wrong with a CSS selector, parsed by dom_query, the engine that
/// extraction matches it with (`article`), so the two cannot disagree;
/// `None` when it parses. Worded as the selector errors always were.
pub(crate) fn css_selector_problem(selector: &str) -> Option<String> {
    use cssparser::{BasicParseErrorKind as Basic, ParseErrorKind};
    use dom_query::Matcher;
    let err = Matcher::new(selector).err()?;
    let problem = match err.kind {
        ParseErrorKind::Basic(Basic::UnexpectedToken) => "Token was not expected",
        ParseErrorKind::Basic(Basic::EndOfInput) => "Unexpected EOL",
        ParseErrorKind::Basic(Basic::AtRuleInvalid) => "Invalid @-rule",
        ParseErrorKind::Basic(Basic::AtRuleBodyInvalid) => "The body of an @-rule was invalid",
        ParseErrorKind::Basic(Basic::QualifiedRuleInvalid) => "The qualified name was invalid",
        ParseErrorKind::Basic(Basic::TooManyNestedBlocks) => "Too many nested blocks",
        ParseErrorKind::Custom(kind) => return Some(format!("{kind:?}")),
    };
    Some(problem.to_string())
}
