//! Secrets: where a sink's token, password, signing key or secret webhook
//! URL comes from, and its value once read.
//!
//! Loading a config only *names* a secret (`secret_env = "NAME"`,
//! `token_file = "path"`); nothing is read until [`Config::resolve_secrets`]
//! runs, which only the commands that send do (`run`, `once`, `test-sink`,
//! `demo`). So `figwatch figures` works on a server whose secrets live in
//! the unit's `EnvironmentFile`, and `check` reports a missing secret as a
//! warning ([`Config::missing_secrets`]).

use std::fmt;
use std::path::PathBuf;

use super::{Config, Error, Problem, SinkKind};

/// A secret value (token, password, signing key, webhook URL with a key in
/// it). Never printed: `Debug` and `Display` show `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    source: Source,
    /// The value, once read.
    value: Option<String>,
}

/// Where a secret comes from, and where the config names it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Source {
    from: Origin,
    /// The key's stem: `secret`, `token`, `password`, `url`.
    key: &'static str,
    /// 1-based line and column of the key's value in the config file.
    line: Option<usize>,
    column: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    /// Written in the config itself (a Slack `url`).
    Inline,
    /// `<key>_env`: an environment variable.
    Env(String),
    /// `<key>_file`: a file (resolved against the config's directory).
    File(PathBuf),
}

impl Secret {
    /// A secret whose value is known now (written in the config, or a test's).
    pub fn new(value: impl Into<String>) -> Secret {
        Secret {
            source: Source {
                from: Origin::Inline,
                key: "",
                line: None,
                column: None,
            },
            value: Some(value.into()),
        }
    }

    /// A secret read from the environment variable `var` when resolved;
    /// `key` is the key stem (`secret` for `secret_env`), `at` where the
    /// config names it.
    pub(super) fn from_env(key: &'static str, var: &str, at: (usize, usize)) -> Secret {
        Secret::unresolved(key, Origin::Env(var.to_string()), at)
    }

    /// A secret read from the file `path` when resolved.
    pub(super) fn from_file(key: &'static str, path: PathBuf, at: (usize, usize)) -> Secret {
        Secret::unresolved(key, Origin::File(path), at)
    }

    fn unresolved(key: &'static str, from: Origin, (line, column): (usize, usize)) -> Secret {
        Secret {
            source: Source {
                from,
                key,
                line: Some(line),
                column: Some(column),
            },
            value: None,
        }
    }

    /// The secret itself, for the one place that sends it. Empty until
    /// resolved: `alert::Sinks` refuses to send through a sink whose
    /// secrets are not ([`SinkKind::unresolved_secret`]).
    pub fn expose(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }

    /// Whether the value has been read.
    pub fn is_resolved(&self) -> bool {
        self.value.is_some()
    }

    /// Where the value comes from, for `check`: `environment variable
    /// NAME (secret_env)`, `file PATH (token_file)` or `the config`.
    pub fn origin(&self) -> String {
        let key = self.source.key;
        match &self.source.from {
            Origin::Inline => "the config".to_string(),
            Origin::Env(var) => format!("environment variable {var} ({key}_env)"),
            Origin::File(path) => format!("file {} ({key}_file)", path.display()),
        }
    }

    /// Reads the value if it is not read yet. The error says what is
    /// missing, without the sink's name.
    fn resolve(&mut self, env: &dyn Fn(&str) -> Option<String>) -> Result<(), String> {
        if self.value.is_some() {
            return Ok(());
        }
        let key = self.source.key;
        let value = match &self.source.from {
            Origin::Inline => return Ok(()),
            Origin::Env(var) => match env(var) {
                Some(value) if !value.trim().is_empty() => value.trim().to_string(),
                _ => return Err(format!("environment variable {var} ({key}_env) is not set")),
            },
            Origin::File(path) => match std::fs::read_to_string(path) {
                Ok(value) if !value.trim().is_empty() => value.trim().to_string(),
                Ok(_) => return Err(format!("{key}_file {} is empty", path.display())),
                Err(err) => {
                    return Err(format!("cannot read {key}_file {}: {err}", path.display()));
                }
            },
        };
        self.value = Some(value);
        Ok(())
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

impl SinkKind {
    /// Every secret of the sink.
    fn secrets_mut(&mut self) -> Vec<&mut Secret> {
        match self {
            SinkKind::Webhook {
                secret,
                secret_headers,
                ..
            } => secret
                .iter_mut()
                .chain(secret_headers.values_mut())
                .collect(),
            SinkKind::Ntfy {
                token, password, ..
            } => token.iter_mut().chain(password.iter_mut()).collect(),
            SinkKind::Email(email) => email.password.iter_mut().collect(),
            SinkKind::Slack { url } | SinkKind::Discord { url } => vec![url],
            SinkKind::Log | SinkKind::Command { .. } => Vec::new(),
        }
    }

    /// Every secret of the sink.
    pub fn secrets(&self) -> Vec<&Secret> {
        match self {
            SinkKind::Webhook {
                secret,
                secret_headers,
                ..
            } => secret.iter().chain(secret_headers.values()).collect(),
            SinkKind::Ntfy {
                token, password, ..
            } => token.iter().chain(password.iter()).collect(),
            SinkKind::Email(email) => email.password.iter().collect(),
            SinkKind::Slack { url } | SinkKind::Discord { url } => vec![url],
            SinkKind::Log | SinkKind::Command { .. } => Vec::new(),
        }
    }

    /// The origin of the first secret not read yet, if any.
    pub fn unresolved_secret(&self) -> Option<String> {
        self.secrets()
            .into_iter()
            .find(|secret| !secret.is_resolved())
            .map(Secret::origin)
    }
}

impl Config {
    /// Reads every sink's secrets from the process environment and files.
    /// Only commands that send call this; see the module docs.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] listing every secret that is not set, empty or
    /// unreadable, each at the `file:line:col` that names it.
    pub fn resolve_secrets(&mut self) -> Result<(), Error> {
        self.resolve_secrets_with(&|name| std::env::var(name).ok())
    }

    /// [`Config::resolve_secrets`] with `env` looking up variables.
    pub fn resolve_secrets_with(
        &mut self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(), Error> {
        let mut problems = Vec::new();
        for sink in &mut self.sinks {
            let name = sink.name.clone();
            let is_chat = matches!(sink.kind, SinkKind::Slack { .. } | SinkKind::Discord { .. });
            for secret in sink.kind.secrets_mut() {
                let (line, column) = (secret.source.line, secret.source.column);
                let was_resolved = secret.is_resolved();
                let mut result = secret.resolve(env);
                // A chat webhook URL from the environment must be a URL.
                if result.is_ok()
                    && is_chat
                    && !was_resolved
                    && url::Url::parse(secret.expose()).is_err()
                {
                    result = Err(format!(
                        "the webhook URL from {} is not a URL",
                        secret.origin()
                    ));
                    secret.value = None;
                }
                if let Err(message) = result {
                    problems.push(Problem {
                        line,
                        column,
                        message: format!("sink {name}: {message}"),
                    });
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid {
                path: self.path.clone(),
                problems,
            })
        }
    }

    /// The secrets that [`Config::resolve_secrets`] would fail on, as
    /// problems located in the file (`check` prints them as warnings).
    pub fn missing_secrets(&self) -> Vec<Problem> {
        let mut copy = self.clone();
        match copy.resolve_secrets() {
            Ok(()) => Vec::new(),
            Err(Error::Invalid { problems, .. }) => problems,
            Err(Error::Read { .. }) => Vec::new(),
        }
    }
}
