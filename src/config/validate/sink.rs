//! `[sink.NAME]` tables → [`Sink`]: what every type shares (the keys its
//! type takes, checked against `config/sink.rs`'s table; secrets, named
//! here and read only when a sink is built for sending, see
//! [`Config::resolve_secrets`]; templates and the delivery policy). What
//! each type builds is its entry in `config/sink.rs`.

use std::time::Duration;

use toml::Spanned;
use url::Url;

use super::super::raw::*;
use super::super::sink::{POLICY_KEYS, SINK_TYPES, sink_type};
use super::super::*;
use super::{Validator, valid_name};

impl Validator<'_> {
    /// A secret named by `<key>_env` or `<key>_file` (both is a problem).
    /// Only named here: its value is read when a sink is built for sending
    /// ([`Config::resolve_secrets`]).
    pub(in crate::config) fn secret(
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
        let Some(sink_type) = sink_type(&kind_name) else {
            let names: Vec<&str> = SINK_TYPES.iter().map(|sink_type| sink_type.name).collect();
            self.problem(
                raw.kind.span().start,
                format!(
                    "sink {name}: unknown type {kind_name:?}; expected one of {}",
                    names.join(", ")
                ),
            );
            return None;
        };
        for (key, offset) in raw.set_keys() {
            if !sink_type.keys.contains(&key) && !POLICY_KEYS.contains(&key) {
                self.problem(
                    offset.unwrap_or(span.start),
                    format!("sink {name}: key {key:?} does not apply to a {kind_name} sink"),
                );
            }
        }
        let policy = self.delivery_policy(&name, &raw);
        let template = self.template(&name, raw.template.clone(), raw.template_file.clone());
        let kind = (sink_type.build)(self, &name, raw, span.start)?;
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
    pub(in crate::config) fn required_url(
        &mut self,
        sink: &str,
        raw: &RawSink,
        offset: usize,
    ) -> Option<Url> {
        let sources = (raw.url.clone(), raw.url_env.clone(), raw.url_file.clone());
        self.url_or_secret_url(
            &format!("sink {sink}"),
            &format!("sink {sink}: url"),
            sources,
            offset,
        )
    }
}
