//! `[sink.NAME]` tables → [`Sink`]: which keys each type takes, secrets
//! (named here, read only when a sink is built for sending: see
//! [`Config::resolve_secrets`]), templates and the delivery policy.

use std::time::Duration;

use toml::Spanned;
use url::Url;

use super::super::raw::*;
use super::super::*;
use super::{Validator, valid_name};

impl Validator<'_> {
    /// A secret named by `<key>_env` or `<key>_file` (both is a problem).
    /// Only named here: its value is read when a sink is built for sending
    /// ([`Config::resolve_secrets`]).
    fn secret(
        &mut self,
        sink: &str,
        key: &'static str,
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
            (Some(env_name), None) => {
                let at = line_col(self.source, env_name.span().start);
                let var = env_name.get_ref().trim();
                if var.is_empty() {
                    self.problem(
                        env_name.span().start,
                        format!("sink {sink}: {key}_env is empty; expected the name of an environment variable, e.g. {key}_env = \"FIGWATCH_{}\"", key.to_ascii_uppercase()),
                    );
                    return None;
                }
                Some(Secret::from_env(key, var, at))
            }
            (None, Some(file)) => {
                let at = line_col(self.source, file.span().start);
                Some(Secret::from_file(
                    key,
                    self.base_dir.join(file.get_ref()),
                    at,
                ))
            }
        }
    }

    pub(super) fn sink(&mut self, name: String, raw: Spanned<RawSink>) -> Option<Sink> {
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
            "webhook" => &[
                "url",
                "url_env",
                "url_file",
                "secret_env",
                "secret_file",
                "headers",
                "headers_env",
                "headers_file",
            ],
            "ntfy" => &[
                "url_env",
                "url_file",
                "url",
                "token_env",
                "token_file",
                "username",
                "password_env",
                "password_file",
                "priority",
                "tags",
                "update_in_place",
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
            "command" => &["command", "timeout", "env"],
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
                let url = self.required_url(&name, &raw, span.start)?;
                // Header values named by headers_env / headers_file are
                // secrets, read only by the commands that send.
                let mut secret_headers = BTreeMap::new();
                for (key, table) in [
                    ("headers_env", raw.headers_env),
                    ("headers_file", raw.headers_file),
                ] {
                    let Some(table) = table else { continue };
                    let offset = table.span().start;
                    for (header, source) in table.into_inner() {
                        let source = Spanned::new(offset..offset, source);
                        let (env_name, file) = if key == "headers_env" {
                            (Some(source), None)
                        } else {
                            (None, Some(source))
                        };
                        if let Some(value) = self.secret(&name, "headers", env_name, file) {
                            secret_headers.insert(header, value);
                        }
                    }
                }
                SinkKind::Webhook {
                    secret: self.secret(&name, "secret", raw.secret_env, raw.secret_file),
                    headers: raw.headers.unwrap_or_default(),
                    secret_headers,
                    url,
                }
            }
            "ntfy" => {
                let url = self.required_url(&name, &raw, span.start)?;
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
                    update_in_place: raw
                        .update_in_place
                        .as_ref()
                        .is_none_or(|value| *value.get_ref()),
                }
            }
            "slack" | "discord" => {
                let url = match (&raw.url, raw.url_env.is_some() || raw.url_file.is_some()) {
                    (Some(url), false) => self
                        .http_url(url, &format!("sink {name}: url"))
                        .map(|url| Secret::new(url.to_string())),
                    (None, true) => self.secret(&name, "url", raw.url_env, raw.url_file),
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
                let mut env = Vec::new();
                for variable in raw.env.unwrap_or_default() {
                    let valid =
                        !variable.get_ref().is_empty() && !variable.get_ref().contains(['=', '\0']);
                    if valid {
                        env.push(variable.into_inner());
                    } else {
                        self.problem(
                            variable.span().start,
                            format!(
                                "sink {name}: env {:?} is not an environment variable name",
                                variable.get_ref()
                            ),
                        );
                    }
                }
                SinkKind::Command {
                    timeout: self.duration(raw.timeout, DEFAULT_COMMAND_TIMEOUT),
                    command: command.into_inner(),
                    env,
                }
            }
            "email" => {
                let (Some(host), Some(from), Some(to)) = (
                    raw.host,
                    raw.from,
                    raw.to.map(|to| {
                        let span = to.span();
                        Spanned::new(span, to.into_inner().into_vec())
                    }),
                ) else {
                    self.problem(
                        span.start,
                        format!("sink {name}: email sink needs host, from and to, e.g. host = \"smtp.example.org\", from = \"figwatch@example.org\", to = [\"me@example.org\"]"),
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
                            format!("sink {name}: unknown tls {other:?}; expected \"starttls\" (port 587), \"tls\" (implicit TLS, port 465) or \"none\" (plain text, port 25)"),
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
                let to_addresses = to
                    .get_ref()
                    .iter()
                    .map(|address| (address, to.span().start));
                let from_address = (from.get_ref(), from.span().start);
                for (address, offset) in to_addresses.chain(std::iter::once(from_address)) {
                    if !address.contains('@') {
                        self.problem(
                            offset,
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
                    cc: raw.cc.map(RawAddresses::into_vec).unwrap_or_default(),
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

    /// A sink's `url`, or the URL in `url_env` / `url_file`.
    fn required_url(&mut self, sink: &str, raw: &RawSink, offset: usize) -> Option<Url> {
        let sources = (raw.url.clone(), raw.url_env.clone(), raw.url_file.clone());
        self.url_or_secret_url(
            &format!("sink {sink}"),
            &format!("sink {sink}: url"),
            sources,
            offset,
        )
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
        push(
            "headers_env",
            self.headers_env.is_some(),
            at(&self.headers_env),
        );
        push(
            "headers_file",
            self.headers_file.is_some(),
            at(&self.headers_file),
        );
        push("priority", self.priority.is_some(), at(&self.priority));
        push("tags", self.tags.is_some(), None);
        push(
            "update_in_place",
            self.update_in_place.is_some(),
            at(&self.update_in_place),
        );
        push("command", self.command.is_some(), at(&self.command));
        push("env", self.env.is_some(), None);
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
