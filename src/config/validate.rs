//! Raw config → typed values. Every problem is collected with its location;
//! nothing stops at the first.

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;
use url::Url;

use super::raw::*;
use super::*;
use crate::watch;

pub(super) struct Validator<'a> {
    pub(super) source: &'a str,
    pub(super) base_dir: PathBuf,
    pub(super) env: &'a dyn Fn(&str) -> Option<String>,
    pub(super) problems: Vec<Problem>,
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

    pub(super) fn config(&mut self, raw: RawConfig, path: &Path) -> Config {
        let daemon = self.daemon(raw.daemon);
        let feeds = raw
            .feed
            .into_iter()
            .filter_map(|feed| self.feed(feed))
            .collect();
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
            let password = self.secret("daemon", "database_password", password_env, password_file);
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

    fn feed(&mut self, raw: RawFeed) -> Option<Feed> {
        let url = self.http_url(&raw.url, "feed url");
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
        Some(Feed {
            url: url?,
            name: raw.name.filter(|name| !name.trim().is_empty()),
            interval,
            article_selector,
        })
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
        let terms = self.word_list(watch, &name, "terms", raw.terms.into_inner(), "\"troops\"");
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
        let of = raw.of.map_or_else(Vec::new, |of| {
            self.word_list(watch, &name, "of", of, "\"North Korea\"")
        });
        let exclude = raw.exclude.map_or_else(Vec::new, |exclude| {
            self.word_list(watch, &name, "exclude", exclude, "\"civilians\"")
        });
        let kind = self.figure_kind(watch, &name, raw.kind, &terms, terms_span.start);
        let unit = raw
            .unit
            .and_then(|unit| self.figure_unit(watch, &name, kind, unit));
        Figure {
            name,
            terms,
            alert_on,
            min_change,
            of,
            exclude,
            kind,
            unit,
            by_source: raw.by_source.unwrap_or(false),
        }
    }

    /// A figure's list of words (`terms`, `of`, `exclude`), trimmed; an
    /// empty item is a problem at its place.
    fn word_list(
        &mut self,
        watch: &str,
        figure: &str,
        key: &str,
        items: Vec<Spanned<String>>,
        example: &str,
    ) -> Vec<String> {
        let mut words = Vec::with_capacity(items.len());
        for item in items {
            let word = item.get_ref().trim();
            if word.is_empty() {
                self.problem(
                    item.span().start,
                    format!(
                        "watch {watch}, figure {figure}: {key} holds an empty string; expected a word or phrase like {example}"
                    ),
                );
            } else {
                words.push(word.to_string());
            }
        }
        words
    }

    /// `kind`, or without it the kind the old marker terms imply ("$" →
    /// money, "percent" → percent; both at once is a problem).
    fn figure_kind(
        &mut self,
        watch: &str,
        figure: &str,
        kind: Option<Spanned<String>>,
        terms: &[String],
        terms_offset: usize,
    ) -> FigureKind {
        if let Some(kind) = kind {
            return match FigureKind::from_name(kind.get_ref().trim()) {
                Some(kind) => kind,
                None => {
                    self.problem(
                        kind.span().start,
                        format!(
                            "watch {watch}, figure {figure}: unknown kind {:?}; expected \"count\", \"money\", \"percent\" or \"measure\", e.g. kind = \"money\"",
                            kind.get_ref()
                        ),
                    );
                    FigureKind::Count
                }
            };
        }
        let money = terms
            .iter()
            .find(|term| kind_marker(term) == Some(FigureKind::Money));
        let percent = terms
            .iter()
            .find(|term| kind_marker(term) == Some(FigureKind::Percent));
        if let (Some(money), Some(percent)) = (money, percent) {
            self.problem(
                terms_offset,
                format!(
                    "watch {watch}, figure {figure}: terms mark both money ({money:?}) and a percentage ({percent:?}); set kind = \"money\" or kind = \"percent\" and drop the other term"
                ),
            );
        }
        FigureKind::inferred_from(terms)
    }

    /// `unit`: a currency code for money (any case, stored upper case),
    /// "%" for a percentage, any unit for a measure, nothing for a count.
    fn figure_unit(
        &mut self,
        watch: &str,
        figure: &str,
        kind: FigureKind,
        unit: Spanned<String>,
    ) -> Option<String> {
        let offset = unit.span().start;
        let text = unit.get_ref().trim();
        let problem = match kind {
            FigureKind::Money => {
                let code = text.to_ascii_uppercase();
                if is_currency_code(&code) {
                    return Some(code);
                }
                format!(
                    "unit {text:?} is not an ISO 4217 currency code; expected three letters like unit = \"USD\", \"EUR\" or \"KRW\""
                )
            }
            FigureKind::Percent if text == "%" => return Some(text.to_string()),
            FigureKind::Percent => {
                format!(
                    "unit {text:?} does not fit a percent figure; expected unit = \"%\" or no unit"
                )
            }
            FigureKind::Measure if !text.is_empty() => return Some(text.to_string()),
            FigureKind::Measure => {
                "unit is empty; expected a unit of measure like unit = \"km\"".to_string()
            }
            FigureKind::Count => format!(
                "unit {text:?} needs a kind that has units; expected e.g. kind = \"money\" with unit = \"USD\", or kind = \"measure\" with unit = \"km\""
            ),
        };
        self.problem(offset, format!("watch {watch}, figure {figure}: {problem}"));
        None
    }

    /// A secret from `<key>_env` or `<key>_file`; both or an unset variable
    /// or unreadable file is a problem.
    fn secret(
        &mut self,
        owner: &str,
        key: &str,
        env_name: Option<Spanned<String>>,
        file: Option<Spanned<String>>,
    ) -> Option<Secret> {
        match (env_name, file) {
            (None, None) => None,
            (Some(env_name), Some(_)) => {
                self.problem(
                    env_name.span().start,
                    format!("{owner}: set {key}_env or {key}_file, not both"),
                );
                None
            }
            (Some(env_name), None) => match (self.env)(env_name.get_ref()) {
                Some(value) if !value.trim().is_empty() => Some(Secret::new(value.trim())),
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
                    Ok(value) if !value.trim().is_empty() => Some(Secret::new(value.trim())),
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
            "log" => &["template", "template_file"],
            "webhook" => &["url", "secret_env", "secret_file", "headers"],
            "ntfy" => &[
                "url",
                "token_env",
                "token_file",
                "username",
                "password_env",
                "password_file",
                "priority",
                "tags",
                "template",
                "template_file",
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
                "template",
                "template_file",
            ],
            "slack" | "discord" => &["url", "url_env", "url_file", "template", "template_file"],
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

        let policy = self.delivery_policy(&name, &raw);
        let template = self.template(&name, raw.template.clone(), raw.template_file.clone());
        let kind = match kind_name.as_str() {
            "log" => SinkKind::Log,
            "webhook" => {
                let url = self.required_url(&name, raw.url.as_ref(), span.start)?;
                SinkKind::Webhook {
                    secret: self.secret(
                        &format!("sink {name}"),
                        "secret",
                        raw.secret_env,
                        raw.secret_file,
                    ),
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
                    token: self.secret(
                        &format!("sink {name}"),
                        "token",
                        raw.token_env,
                        raw.token_file,
                    ),
                    username: raw.username,
                    password: self.secret(
                        &format!("sink {name}"),
                        "password",
                        raw.password_env,
                        raw.password_file,
                    ),
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
                        let secret =
                            self.secret(&format!("sink {name}"), "url", raw.url_env, raw.url_file)?;
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
                    password: self.secret(
                        &format!("sink {name}"),
                        "password",
                        raw.password_env,
                        raw.password_file,
                    ),
                    from: from.into_inner(),
                    to: to.into_inner(),
                    cc: raw.cc.unwrap_or_default(),
                })
            }
            _ => return None,
        };
        Some(Sink {
            name,
            kind,
            policy,
            template,
        })
    }

    /// `template` or `template_file` (not both), compiled now so that a
    /// syntax error is a config error.
    fn template(
        &mut self,
        name: &str,
        inline: Option<Spanned<String>>,
        file: Option<Spanned<String>>,
    ) -> Option<Template> {
        let (source, offset, origin) = match (inline, file) {
            (None, None) => return None,
            (Some(_), Some(file)) => {
                self.problem(
                    file.span().start,
                    format!("sink {name}: set template or template_file, not both"),
                );
                return None;
            }
            (Some(inline), None) => {
                let offset = inline.span().start;
                (inline.into_inner(), offset, String::from("template"))
            }
            (None, Some(file)) => {
                let path = self.base_dir.join(file.get_ref());
                match std::fs::read_to_string(&path) {
                    Ok(text) => (text, file.span().start, path.display().to_string()),
                    Err(err) => {
                        self.problem(
                            file.span().start,
                            format!(
                                "sink {name}: cannot read template_file {}: {err}",
                                path.display()
                            ),
                        );
                        return None;
                    }
                }
            }
        };
        let env = minijinja::Environment::new();
        match env.template_from_str(&source) {
            Ok(_) => Some(Template { source }),
            Err(err) => {
                let line = err
                    .line()
                    .map(|line| format!(" (line {line} of {origin})"))
                    .unwrap_or_default();
                self.problem(
                    offset,
                    format!(
                        "sink {name}: template does not compile{line}: {}",
                        err.detail().unwrap_or(&err.kind().to_string())
                    ),
                );
                None
            }
        }
    }

    /// The keys every sink type takes: `max_attempts`, `give_up_after`,
    /// `burst` and `window` (the last two together or not at all).
    fn delivery_policy(&mut self, name: &str, raw: &RawSink) -> DeliveryPolicy {
        let defaults = DeliveryPolicy::default();
        let max_attempts = raw
            .max_attempts
            .clone()
            .map_or(defaults.max_attempts, |value| {
                let count = self.count(Some(value), 1, &format!("sink {name}: max_attempts"));
                u32::try_from(count).unwrap_or(u32::MAX)
            });
        let give_up_after = raw
            .give_up_after
            .clone()
            .map(|value| self.duration(Some(value), Duration::MAX));
        let rate_limit = match (raw.burst.clone(), raw.window.clone()) {
            (None, None) => None,
            (Some(burst), Some(window)) => Some(RateLimit {
                burst: self.count(Some(burst), 1, &format!("sink {name}: burst")),
                window: self.duration(Some(window), Duration::from_secs(60)),
            }),
            (Some(burst), None) => {
                self.problem(
                    burst.span().start,
                    format!("sink {name}: burst needs a window, e.g. window = \"10m\""),
                );
                None
            }
            (None, Some(window)) => {
                self.problem(
                    window.span().start,
                    format!("sink {name}: window needs a burst, e.g. burst = 5"),
                );
                None
            }
        };
        DeliveryPolicy {
            max_attempts,
            give_up_after,
            rate_limit,
        }
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
        push("template", self.template.is_some(), at(&self.template));
        push(
            "template_file",
            self.template_file.is_some(),
            at(&self.template_file),
        );
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

/// "5%" → relative 0.05; "500" or "1,000" → absolute.
pub(super) fn parse_min_change(text: &str) -> Option<MinChange> {
    let text = text.trim();
    if let Some(percent) = text.strip_suffix('%') {
        let value: f64 = percent.trim().parse().ok()?;
        Some(MinChange::Relative(value / 100.0))
    } else {
        let value: f64 = text.replace(',', "").parse().ok()?;
        Some(MinChange::Absolute(value))
    }
}
