//! The config as written: serde types with spans kept where a value needs
//! checking. `deny_unknown_fields` everywhere, so a typo is an error.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    #[serde(default)]
    pub(super) daemon: RawDaemon,
    #[serde(default)]
    pub(super) feed: Vec<Spanned<RawFeed>>,
    #[serde(default)]
    pub(super) page: Vec<Spanned<RawPage>>,
    #[serde(default)]
    pub(super) watch: BTreeMap<String, Spanned<RawWatch>>,
    #[serde(default)]
    pub(super) sink: BTreeMap<String, Spanned<RawSink>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDaemon {
    pub(super) database: Option<Spanned<String>>,
    pub(super) database_password_env: Option<Spanned<String>>,
    pub(super) database_password_file: Option<Spanned<String>>,
    pub(super) poll_interval: Option<Spanned<RawNumberOrText>>,
    pub(super) min_interval: Option<Spanned<RawNumberOrText>>,
    pub(super) max_interval: Option<Spanned<RawNumberOrText>>,
    pub(super) concurrency: Option<Spanned<i64>>,
    pub(super) per_host: Option<Spanned<i64>>,
    pub(super) timeout: Option<Spanned<RawNumberOrText>>,
    pub(super) max_body: Option<Spanned<RawSize>>,
    pub(super) user_agent: Option<String>,
    pub(super) baseline: Option<bool>,
    pub(super) listen: Option<Spanned<String>>,
    pub(super) failing_after: Option<Spanned<RawNumberOrText>>,
    pub(super) allow_private_articles: Option<bool>,
    pub(super) allowed_hosts: Option<Vec<String>>,
    pub(super) retention: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawSize {
    Bytes(i64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeed {
    pub(super) url: Option<Spanned<String>>,
    pub(super) url_env: Option<Spanned<String>>,
    pub(super) url_file: Option<Spanned<String>>,
    pub(super) name: Option<String>,
    pub(super) interval: Option<Spanned<RawNumberOrText>>,
    pub(super) article_selector: Option<Spanned<String>>,
    pub(super) allow_private: Option<bool>,
    pub(super) allow_private_articles: Option<bool>,
    pub(super) revisit: Option<Spanned<RawNumberOrText>>,
    pub(super) category: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPage {
    pub(super) url: Spanned<String>,
    pub(super) name: Option<String>,
    pub(super) interval: Option<Spanned<RawNumberOrText>>,
    pub(super) selector: Option<Spanned<String>>,
    pub(super) watches: Option<Vec<Spanned<String>>>,
    pub(super) allow_private: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWatch {
    pub(super) query: Spanned<String>,
    pub(super) notify: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(super) new_articles: bool,
    #[serde(default)]
    pub(super) figure: BTreeMap<String, Spanned<RawFigure>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFigure {
    pub(super) terms: Spanned<Vec<Spanned<String>>>,
    pub(super) alert_on: Option<Spanned<String>>,
    pub(super) min_change: Option<Spanned<RawNumberOrText>>,
    pub(super) of: Option<Vec<Spanned<String>>>,
    pub(super) exclude: Option<Vec<Spanned<String>>>,
    pub(super) kind: Option<Spanned<String>>,
    pub(super) unit: Option<Spanned<String>>,
    pub(super) by_source: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum RawNumberOrText {
    Integer(i64),
    Float(f64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSink {
    #[serde(rename = "type")]
    pub(super) kind: Spanned<String>,
    pub(super) url: Option<Spanned<String>>,
    pub(super) url_env: Option<Spanned<String>>,
    pub(super) url_file: Option<Spanned<String>>,
    pub(super) secret_env: Option<Spanned<String>>,
    pub(super) secret_file: Option<Spanned<String>>,
    pub(super) token_env: Option<Spanned<String>>,
    pub(super) token_file: Option<Spanned<String>>,
    pub(super) username: Option<String>,
    pub(super) password_env: Option<Spanned<String>>,
    pub(super) password_file: Option<Spanned<String>>,
    pub(super) headers: Option<BTreeMap<String, String>>,
    pub(super) headers_env: Option<Spanned<BTreeMap<String, String>>>,
    pub(super) headers_file: Option<Spanned<BTreeMap<String, String>>>,
    pub(super) priority: Option<Spanned<i64>>,
    pub(super) tags: Option<Vec<String>>,
    pub(super) update_in_place: Option<Spanned<bool>>,
    pub(super) command: Option<Spanned<Vec<String>>>,
    pub(super) env: Option<Vec<Spanned<String>>>,
    pub(super) timeout: Option<Spanned<RawNumberOrText>>,
    pub(super) host: Option<Spanned<String>>,
    pub(super) port: Option<Spanned<i64>>,
    pub(super) tls: Option<Spanned<String>>,
    pub(super) from: Option<Spanned<String>>,
    pub(super) to: Option<Spanned<RawAddresses>>,
    pub(super) cc: Option<RawAddresses>,
    pub(super) max_attempts: Option<Spanned<i64>>,
    pub(super) give_up_after: Option<Spanned<RawNumberOrText>>,
    pub(super) burst: Option<Spanned<i64>>,
    pub(super) window: Option<Spanned<RawNumberOrText>>,
    pub(super) template: Option<Spanned<String>>,
    pub(super) template_file: Option<Spanned<String>>,
}

/// `to` / `cc` of an email sink: one address or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(super) enum RawAddresses {
    One(String),
    Many(Vec<String>),
}

impl RawAddresses {
    pub(super) fn into_vec(self) -> Vec<String> {
        match self {
            RawAddresses::One(address) => vec![address],
            RawAddresses::Many(addresses) => addresses,
        }
    }
}
