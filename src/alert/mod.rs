//! Alerts: the alert model ([`Alert`], its [`Kind`]; a stored alert
//! becomes one through `Alert::from(&store::AlertRow)`), its DESIGN.md JSON
//! ([`to_json`]), the human-readable message ([`message`]), the sinks that
//! carry them (log, webhook, ntfy, email, slack, discord, command:
//! [`Sinks`]) and the retry policy of the outbox ([`Sinks::deliver_with`],
//! [`retry_decision`], [`Outcome`], [`retry_delay`]).
//!
//! Owns: every sink's wire format (only this module knows them) and what a
//! failed delivery says ([`Error`], which names the sink and never holds a
//! secret). Does not own: the outbox itself (which alerts are due, attempts
//! counted, dead deliveries), which lives in `store`, nor the loop that
//! drains it, which is `daemon`'s; this module sends one alert through one
//! sink per [`Sinks::send`] / [`Sinks::deliver_with`] call and spawns no
//! tasks.

mod chat;
mod command;
mod delivery;
mod digest;
mod email;
mod http;
mod json;
mod message;
mod model;
mod ntfy;
mod webhook;

#[cfg(test)]
mod tests;

pub use command::environment_names as command_environment_names;
pub use delivery::{Outcome, retry_decision, retry_in};
pub use json::to_json;
pub use message::{
    MAX_QUOTE_CHARS, Message, format_compact, format_number, format_observation, format_value,
    message,
};
pub use model::{Alert, Article, Change, Kind, Observation};
pub use webhook::{ALERT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature};

use crate::config::{self, SinkKind};
use message::SinkTemplate;
use std::time::Duration;

pub use crate::config::DEFAULT_MAX_ATTEMPTS;

/// The wait before the first retry.
pub const RETRY_BASE: Duration = Duration::from_secs(30);

/// The longest wait between two attempts (before jitter).
pub const RETRY_MAX: Duration = Duration::from_secs(60 * 60);

/// How long to wait before the next attempt of a delivery that has failed
/// `attempts` times: 30 s, 1 min, 2 min, … doubling up to one hour, each
/// spread by ±20 % so that deliveries that failed together (a receiver
/// went down) do not all come back at the same instant. `attempts` 0 is
/// treated like 1.
pub fn retry_delay(attempts: u32) -> Duration {
    // 2^7 · 30 s already exceeds the cap; a small exponent cannot overflow.
    let exponent = attempts.saturating_sub(1).min(7);
    let base = RETRY_BASE.saturating_mul(1 << exponent).min(RETRY_MAX);
    base.mul_f64(0.8 + 0.4 * fastrand::f64())
}

/// A failed delivery. Every variant names the sink; none holds a secret
/// (tokens, passwords, signing keys and secret webhook URLs are scrubbed
/// from whatever a receiver or a library reports).
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// No sink of that name is configured.
    #[error("sink {sink}: no sink of that name in the config")]
    UnknownSink {
        /// The name asked for.
        sink: String,
    },
    /// The sink cannot be used as configured (an invalid header, an address
    /// lettre rejects, no HTTP client).
    #[error("sink {sink}: {reason}")]
    Setup {
        /// Sink name.
        sink: String,
        /// What is wrong.
        reason: String,
    },
    /// The receiver answered with a non-2xx status.
    #[error("sink {sink}: receiver answered HTTP {status}{}", snippet(body))]
    Status {
        /// Sink name.
        sink: String,
        /// HTTP status code.
        status: u16,
        /// The start of the response body, on one line.
        body: String,
    },
    /// No connection to the receiver.
    #[error("sink {sink}: cannot connect: {reason}")]
    Connect {
        /// Sink name.
        sink: String,
        /// Why, as the network stack says it.
        reason: String,
    },
    /// The receiver or the command took too long.
    #[error("sink {sink}: timed out after {}", humantime::format_duration(*timeout))]
    Timeout {
        /// Sink name.
        sink: String,
        /// The limit that passed.
        timeout: Duration,
    },
    /// The HTTP exchange failed some other way (a broken response, TLS).
    #[error("sink {sink}: request failed: {reason}")]
    Request {
        /// Sink name.
        sink: String,
        /// What went wrong.
        reason: String,
    },
    /// The command could not be started.
    #[error("sink {sink}: cannot run {program}: {reason}")]
    Spawn {
        /// Sink name.
        sink: String,
        /// The program from the config.
        program: String,
        /// Why, as the OS says it.
        reason: String,
    },
    /// The command ran and failed.
    #[error("sink {sink}: {program} {}{}", exit_status(*code), snippet(stderr))]
    Exit {
        /// Sink name.
        sink: String,
        /// The program from the config.
        program: String,
        /// Exit code; `None` when a signal ended it.
        code: Option<i32>,
        /// The end of what it wrote to stderr, on one line.
        stderr: String,
    },
    /// The mail server refused the message or the SMTP exchange failed.
    #[error("sink {sink}: mail not sent: {reason}")]
    Email {
        /// Sink name.
        sink: String,
        /// What the server or the exchange said.
        reason: String,
    },
}

impl Error {
    /// Whether trying again later can help. A missing sink, a broken sink
    /// configuration and a 4xx answer (other than 408 and 429) will fail the
    /// same way every time, so the outbox may give such a delivery up at once.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::UnknownSink { .. } | Error::Setup { .. } => false,
            Error::Status { status, .. } => {
                !(400..500).contains(status) || matches!(status, 408 | 429)
            }
            _ => true,
        }
    }
}

fn snippet(text: &str) -> String {
    if text.is_empty() {
        String::new()
    } else {
        format!(": {text}")
    }
}

fn exit_status(code: Option<i32>) -> String {
    match code {
        Some(code) => format!("exited with status {code}"),
        None => String::from("was killed by a signal"),
    }
}

/// The configured sinks, ready to send.
#[derive(Debug)]
pub struct Sinks {
    sinks: Vec<config::Sink>,
    /// Shared by the HTTP sinks; the error text when it could not be built.
    client: Result<reqwest::Client, String>,
    timeout: Duration,
}

impl Sinks {
    /// Sinks for `sinks`; every network exchange and command is bounded by
    /// `timeout` (a command sink's own `timeout` wins for that command).
    /// Their secrets must have been read (`Config::resolve_secrets`); a
    /// sink whose secret was not refuses to send rather than send without it.
    pub fn new(sinks: &[config::Sink], timeout: Duration) -> Sinks {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("figwatch/", env!("CARGO_PKG_VERSION")))
            // A receiver that redirects is misconfigured; following it could
            // carry a signed body or a token somewhere unexpected.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| {
                tracing::warn!(error = %err, "Cannot build the HTTP client; HTTP sinks will fail");
                format!("no HTTP client: {err}")
            });
        Sinks {
            sinks: sinks.to_vec(),
            client,
            timeout,
        }
    }

    /// The sink named `name`.
    pub fn get(&self, name: &str) -> Option<&config::Sink> {
        self.sinks.iter().find(|sink| sink.name == name)
    }

    /// Sends `alert` through the sink named `sink_name`, through the sink's
    /// template when it has one: one attempt, no retry (the outbox retries
    /// with [`retry_delay`]).
    ///
    /// # Errors
    ///
    /// [`Error::UnknownSink`] for a name not in the config; otherwise what
    /// the sink reported (see [`Error`]; [`Error::is_retryable`] tells
    /// whether another attempt can help).
    pub async fn send(&self, sink_name: &str, alert: &Alert) -> Result<(), Error> {
        let sink = self.ready(sink_name)?;
        let template = sink.template.as_ref().map(|template| SinkTemplate {
            sink: &sink.name,
            template,
        });
        self.dispatch(sink, alert, to_json(alert), template).await
    }

    /// Sends `alerts` through the sink named `sink_name` as one digest
    /// message: webhook and command sinks get `{"kind": "digest", "id",
    /// "created_at", "alerts": [alert JSON, …]}`, text sinks one message
    /// listing each alert's title and link. Returns the digest's id.
    /// Errors as for [`Sinks::send`].
    pub async fn send_digest(&self, sink_name: &str, alerts: &[Alert]) -> Result<String, Error> {
        let sink = self.ready(sink_name)?;
        let (digest, json) = digest::digest(alerts);
        // A digest's fields are not an alert's: it keeps the default text.
        self.dispatch(sink, &digest, json, None).await?;
        Ok(digest.id)
    }

    /// The sink named `sink_name`, when it is configured and its secret
    /// was read.
    fn ready(&self, sink_name: &str) -> Result<&config::Sink, Error> {
        let Some(sink) = self.get(sink_name) else {
            return Err(Error::UnknownSink {
                sink: sink_name.to_owned(),
            });
        };
        if let Some(origin) = sink.kind.unresolved_secret() {
            return Err(Error::Setup {
                sink: sink.name.clone(),
                reason: format!("its secret from {origin} was never read"),
            });
        }
        Ok(sink)
    }

    /// Sends `alert` through `sink`, with `json` as its JSON form (the
    /// webhook body, the command's stdin) and `template` for its text.
    async fn dispatch(
        &self,
        sink: &config::Sink,
        alert: &Alert,
        json: String,
        template: Option<SinkTemplate<'_>>,
    ) -> Result<(), Error> {
        let name = sink.name.as_str();
        match &sink.kind {
            SinkKind::Log => {
                log(name, alert, template);
                Ok(())
            }
            SinkKind::Webhook {
                url,
                secret,
                headers,
                secret_headers,
            } => {
                let secrets = secret
                    .iter()
                    .chain(secret_headers.values())
                    .flat_map(|secret| header_secrets(secret.expose()))
                    .chain(url_credentials(url));
                let http = self.http(name, secrets)?;
                let headers = webhook::Headers {
                    plain: headers,
                    secret: secret_headers,
                };
                webhook::send(&http, url, secret.as_ref(), &headers, alert, json).await
            }
            SinkKind::Ntfy {
                url,
                token,
                username,
                password,
                priority,
                tags,
                update_in_place,
            } => {
                let basic = username
                    .as_ref()
                    .zip(password.as_ref())
                    .map(|(user, password)| format!("{user}:{}", password.expose()));
                let secrets = token
                    .iter()
                    .chain(password.iter())
                    .map(|secret| secret.expose().to_owned())
                    .chain(basic)
                    .chain(url_credentials(url));
                let http = self.http(name, secrets)?;
                let settings = ntfy::Settings {
                    url,
                    token: token.as_ref(),
                    username: username.as_deref(),
                    password: password.as_ref(),
                    priority: *priority,
                    tags,
                    update_in_place: *update_in_place,
                };
                ntfy::send(&http, &settings, alert, template).await
            }
            SinkKind::Slack { url } => {
                let http = self.http(name, config::redact::url_secrets(url.expose()))?;
                chat::send_slack(&http, url, alert, template).await
            }
            SinkKind::Discord { url } => {
                let http = self.http(name, config::redact::url_secrets(url.expose()))?;
                chat::send_discord(&http, url, alert, template).await
            }
            SinkKind::Command {
                command,
                timeout,
                env,
            } => command::send(name, command, *timeout, env, alert, json).await,
            SinkKind::Email(settings) => {
                email::send(name, settings, self.timeout, alert, template).await
            }
        }
    }

    fn http<'a>(
        &'a self,
        sink: &'a str,
        secrets: impl IntoIterator<Item = String>,
    ) -> Result<http::Http<'a>, Error> {
        match &self.client {
            Ok(client) => Ok(http::Http {
                client,
                sink,
                timeout: self.timeout,
                secrets: secrets.into_iter().collect(),
            }),
            Err(reason) => Err(Error::Setup {
                sink: sink.to_owned(),
                reason: reason.clone(),
            }),
        }
    }
}

/// A header value's secrets: the value and, for `Bearer TOKEN`-like
/// values, each long word alone (a receiver may echo the token only).
fn header_secrets(value: &str) -> Vec<String> {
    let mut secrets = vec![value.to_owned()];
    secrets.extend(
        value
            .split_whitespace()
            .filter(|word| word.len() >= 8 && *word != value)
            .map(str::to_owned),
    );
    secrets
}

/// The credentials a sink URL carries: its password and the values of
/// secret-looking query parameters.
fn url_credentials(url: &url::Url) -> Vec<String> {
    url.password()
        .map(str::to_owned)
        .into_iter()
        .chain(
            url.query_pairs()
                .filter(|(name, _)| config::redact::is_secret_param(name))
                .map(|(_, value)| value.into_owned()),
        )
        .collect()
}

/// The `log` sink: one INFO event, on one line, with the alert's key
/// fields; the message's body goes into fields (`quote`, `source`, `text`)
/// rather than onto more lines. `text` is the whole message (title and
/// body) on one line, for every kind of alert.
fn log(sink: &str, alert: &Alert, template: Option<SinkTemplate<'_>>) {
    let parts = message::parts(alert, template);
    tracing::info!(
        sink,
        id = %alert.id,
        kind = alert.kind.as_str(),
        watch = %alert.watch,
        figure = alert.figure.as_deref().unwrap_or(""),
        url = parts.url.as_deref().unwrap_or(""),
        quote = parts.quote.as_deref().unwrap_or(""),
        source = parts.source.as_deref().unwrap_or(""),
        text = %head_line(&message::Message {
            title: parts.title.clone(),
            body: parts.body(),
            url: parts.url.clone(),
        }
        .text()),
        "Alert: {}",
        parts.title
    );
}

fn head_line(text: &str) -> String {
    head(text, usize::MAX)
}

/// `text` with every secret in it replaced by `[redacted]`. Secrets shorter
/// than four characters are left alone: replacing them would mangle the text
/// while hiding next to nothing.
/// Their derived forms too (base64, percent-encoded: `config::redact`).
pub(crate) fn redact(text: &str, secrets: &[String]) -> String {
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    crate::config::redact::text(text, &secrets)
}

/// The last `max_chars` characters of `text` on one line, marked with "…"
/// when cut.
pub(crate) fn tail(text: &str, max_chars: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let n_chars = line.chars().count();
    if n_chars <= max_chars {
        line
    } else {
        let kept: String = line.chars().skip(n_chars - max_chars).collect();
        format!("…{kept}")
    }
}

/// The first `max_chars` characters of `text` on one line, marked with "…"
/// when cut.
pub(crate) fn head(text: &str, max_chars: usize) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&line, max_chars)
}

pub(crate) use crate::text::truncate;
