//! Sink types: what a `[sink.NAME]` table becomes ([`Sink`], [`SinkKind`])
//! and [`SINK_TYPES`], the one table of types. A type is its `type` name,
//! the keys it takes and a short builder from the raw table; adding one is
//! an entry here, a [`SinkKind`] variant and its file in `alert/`
//! (ARCHITECTURE.md, "Adding things"). The keys every type takes (the
//! delivery policy, `template`) and how secrets and templates are read are
//! `validate/sink.rs`'s.

use std::collections::BTreeMap;
use std::time::Duration;

use toml::Spanned;
use url::Url;

use super::raw::{RawAddresses, RawSink};
use super::validate::Validator;
use super::{DEFAULT_COMMAND_TIMEOUT, DEFAULT_MAX_ATTEMPTS, Secret};

/// One sink type: its `type` name, the keys it takes besides
/// [`POLICY_KEYS`], and its builder (`None` when a problem was reported).
pub(super) struct SinkType {
    /// The `type` value.
    pub(super) name: &'static str,
    /// Keys the type takes; any other set key is a problem.
    pub(super) keys: &'static [&'static str],
    /// The typed settings from the raw table; `offset` is the table's.
    pub(super) build: fn(&mut Validator<'_>, &str, RawSink, usize) -> Option<SinkKind>,
}

/// Keys every sink type takes: its delivery policy.
pub(super) const POLICY_KEYS: &[&str] = &["max_attempts", "give_up_after", "burst", "window"];

const TEMPLATE: [&str; 2] = ["template", "template_file"];
const URL: [&str; 3] = ["url", "url_env", "url_file"];

/// Every sink type, in the order the "unknown type" problem lists them.
pub(super) const SINK_TYPES: &[SinkType] = &[
    SinkType {
        name: "log",
        keys: &TEMPLATE,
        build: |_, _, _, _| Some(SinkKind::Log),
    },
    SinkType {
        name: "webhook",
        keys: &[
            URL[0],
            URL[1],
            URL[2],
            "secret_env",
            "secret_file",
            "headers",
            "headers_env",
            "headers_file",
        ],
        build: webhook,
    },
    SinkType {
        name: "ntfy",
        keys: &[
            URL[0],
            URL[1],
            URL[2],
            "token_env",
            "token_file",
            "username",
            "password_env",
            "password_file",
            "priority",
            "tags",
            "update_in_place",
            TEMPLATE[0],
            TEMPLATE[1],
        ],
        build: ntfy,
    },
    SinkType {
        name: "email",
        keys: &[
            "host",
            "port",
            "tls",
            "username",
            "password_env",
            "password_file",
            "from",
            "to",
            "cc",
            TEMPLATE[0],
            TEMPLATE[1],
        ],
        build: email,
    },
    SinkType {
        name: "slack",
        keys: &[URL[0], URL[1], URL[2], TEMPLATE[0], TEMPLATE[1]],
        build: |validator, name, raw, offset| {
            chat_url(validator, name, raw, offset).map(|url| SinkKind::Slack { url })
        },
    },
    SinkType {
        name: "discord",
        keys: &[URL[0], URL[1], URL[2], TEMPLATE[0], TEMPLATE[1]],
        build: |validator, name, raw, offset| {
            chat_url(validator, name, raw, offset).map(|url| SinkKind::Discord { url })
        },
    },
    SinkType {
        name: "command",
        keys: &["command", "timeout", "env"],
        build: command,
    },
];

/// The type named `name`.
pub(super) fn sink_type(name: &str) -> Option<&'static SinkType> {
    SINK_TYPES.iter().find(|sink_type| sink_type.name == name)
}

fn webhook(v: &mut Validator<'_>, name: &str, raw: RawSink, offset: usize) -> Option<SinkKind> {
    let url = v.required_url(name, &raw, offset)?;
    // Header values named by headers_env / headers_file are secrets, read
    // only by the commands that send.
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
            if let Some(value) = v.secret(name, "headers", env_name, file) {
                secret_headers.insert(header, value);
            }
        }
    }
    Some(SinkKind::Webhook {
        secret: v.secret(name, "secret", raw.secret_env, raw.secret_file),
        headers: raw.headers.unwrap_or_default(),
        secret_headers,
        url,
    })
}

fn ntfy(v: &mut Validator<'_>, name: &str, raw: RawSink, offset: usize) -> Option<SinkKind> {
    let url = v.required_url(name, &raw, offset)?;
    let priority = raw
        .priority
        .and_then(|priority| match u8::try_from(*priority.get_ref()) {
            Ok(p @ 1..=5) => Some(p),
            _ => {
                v.problem(
                    priority.span().start,
                    format!("sink {name}: priority must be 1 (min) to 5 (max)"),
                );
                None
            }
        });
    Some(SinkKind::Ntfy {
        url,
        token: v.secret(name, "token", raw.token_env, raw.token_file),
        username: raw.username,
        password: v.secret(name, "password", raw.password_env, raw.password_file),
        priority,
        tags: raw.tags.unwrap_or_default(),
        update_in_place: raw
            .update_in_place
            .as_ref()
            .is_none_or(|value| *value.get_ref()),
    })
}

/// The URL of a Slack or Discord sink: a secret (it is the credential).
fn chat_url(v: &mut Validator<'_>, name: &str, raw: RawSink, offset: usize) -> Option<Secret> {
    match (&raw.url, raw.url_env.is_some() || raw.url_file.is_some()) {
        (Some(url), false) => v
            .http_url(url, &format!("sink {name}: url"))
            .map(|url| Secret::new(url.to_string())),
        (None, true) => v.secret(name, "url", raw.url_env, raw.url_file),
        _ => {
            v.problem(
                offset,
                format!("sink {name}: set exactly one of url, url_env or url_file"),
            );
            None
        }
    }
}

fn command(v: &mut Validator<'_>, name: &str, raw: RawSink, offset: usize) -> Option<SinkKind> {
    let Some(command) = raw.command else {
        v.problem(
            offset,
            format!("sink {name}: command sink needs command = [\"/path/to/program\", \"arg\", …]"),
        );
        return None;
    };
    if command.get_ref().is_empty() || command.get_ref()[0].trim().is_empty() {
        v.problem(
            command.span().start,
            format!("sink {name}: command must name a program"),
        );
        return None;
    }
    let mut env = Vec::new();
    for variable in raw.env.unwrap_or_default() {
        let valid = !variable.get_ref().is_empty() && !variable.get_ref().contains(['=', '\0']);
        if valid {
            env.push(variable.into_inner());
        } else {
            v.problem(
                variable.span().start,
                format!(
                    "sink {name}: env {:?} is not an environment variable name",
                    variable.get_ref()
                ),
            );
        }
    }
    Some(SinkKind::Command {
        timeout: v.duration(raw.timeout, DEFAULT_COMMAND_TIMEOUT),
        command: command.into_inner(),
        env,
    })
}

fn email(v: &mut Validator<'_>, name: &str, raw: RawSink, offset: usize) -> Option<SinkKind> {
    let (Some(host), Some(from), Some(to)) = (
        raw.host,
        raw.from,
        raw.to.map(|to| {
            let span = to.span();
            Spanned::new(span, to.into_inner().into_vec())
        }),
    ) else {
        v.problem(
            offset,
            format!("sink {name}: email sink needs host, from and to, e.g. host = \"smtp.example.org\", from = \"figwatch@example.org\", to = [\"me@example.org\"]"),
        );
        return None;
    };
    let tls = match raw.tls.as_ref().map(|tls| tls.get_ref().as_str()) {
        None | Some("starttls") => EmailTls::Starttls,
        Some("implicit") | Some("tls") => EmailTls::Implicit,
        Some("none") => EmailTls::None,
        Some(other) => {
            v.problem(
                raw.tls.as_ref().map_or(offset, |tls| tls.span().start),
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
            v.problem(port.span().start, format!("sink {name}: invalid port"));
            default_port
        }),
    };
    email_addresses(v, name, &from, &to);
    Some(SinkKind::Email(Email {
        host: host.into_inner(),
        port,
        tls,
        username: raw.username,
        password: v.secret(name, "password", raw.password_env, raw.password_file),
        from: from.into_inner(),
        to: to.into_inner(),
        cc: raw.cc.map(RawAddresses::into_vec).unwrap_or_default(),
    }))
}

/// At least one `to`, and every address with an `@`, each problem reported
/// where its address is written.
fn email_addresses(
    v: &mut Validator<'_>,
    name: &str,
    from: &Spanned<String>,
    to: &Spanned<Vec<String>>,
) {
    if to.get_ref().is_empty() {
        v.problem(
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
            v.problem(
                offset,
                format!("sink {name}: {address:?} is not an email address"),
            );
        }
    }
}

/// `[sink.NAME]`.
#[derive(Debug, Clone)]
pub struct Sink {
    /// The NAME in `[sink.NAME]`.
    pub name: String,
    /// What the sink is and its settings.
    pub kind: SinkKind,
    /// How hard and how often alerts are sent through it.
    pub policy: DeliveryPolicy,
    /// `template` / `template_file` of a text sink: a minijinja template
    /// for its message, checked at load.
    pub template: Option<Template>,
}

/// A message template (minijinja syntax) that compiled at load. Its output's
/// first line is the message title, the rest the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The template text.
    pub source: String,
}

/// A sink's delivery policy: `max_attempts`, `give_up_after`, `burst` and
/// `window` in `[sink.NAME]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryPolicy {
    /// Attempts per delivery before it is marked dead.
    pub max_attempts: u32,
    /// A delivery still failing this long after its alert was raised is
    /// marked dead, whatever attempts remain.
    pub give_up_after: Option<Duration>,
    /// At most this many messages per window; more go as one digest.
    pub rate_limit: Option<RateLimit>,
}

impl Default for DeliveryPolicy {
    fn default() -> DeliveryPolicy {
        DeliveryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            give_up_after: None,
            rate_limit: None,
        }
    }
}

/// `burst` alerts per `window`: when more than `burst` alerts for one sink
/// are due within `window`, they go as one digest message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Alerts sent one by one per window.
    pub burst: usize,
    /// The window.
    pub window: Duration,
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
        /// Extra request headers whose values are secrets (`headers_env`,
        /// `headers_file`).
        secret_headers: BTreeMap<String, Secret>,
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
        /// `update_in_place`: one notification per figure, replaced when
        /// the figure changes again (ntfy's sequence id), not a stack.
        update_in_place: bool,
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
        /// `env`: names of the daemon's environment variables passed on,
        /// beside PATH, HOME, LANG, TZ and the `FIGWATCH_*` alert
        /// variables. Nothing else is: the daemon's environment holds the
        /// other sinks' secrets.
        env: Vec<String>,
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
