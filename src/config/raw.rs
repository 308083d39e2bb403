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

/// Declares [`RawSink`], every key any sink type takes, and
/// `RawSink::set_keys`, the keys a table sets: one list, so a key added to
/// the struct is known to the "does not apply" check too. Which type takes
/// which key is `config/sink.rs`'s table.
macro_rules! raw_sink {
    ($($key:ident: $ty:ty,)*) => {
        /// `[sink.NAME]` as written: the keys of every type side by side;
        /// `config/sink.rs` says which apply to which type.
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(super) struct RawSink {
            #[serde(rename = "type")]
            pub(super) kind: Spanned<String>,
            $(pub(super) $key: $ty,)*
        }

        impl RawSink {
            /// Keys set besides `type`, with their offsets where known.
            pub(super) fn set_keys(&self) -> Vec<(&'static str, Option<usize>)> {
                let mut keys = Vec::new();
                $(
                    if self.$key.is_some() {
                        keys.push((stringify!($key), KeyOffset::offset(&self.$key)));
                    }
                )*
                keys
            }
        }
    };
}

raw_sink! {
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
    headers_env: Option<Spanned<BTreeMap<String, String>>>,
    headers_file: Option<Spanned<BTreeMap<String, String>>>,
    priority: Option<Spanned<i64>>,
    tags: Option<Vec<String>>,
    update_in_place: Option<Spanned<bool>>,
    command: Option<Spanned<Vec<String>>>,
    env: Option<Vec<Spanned<String>>>,
    timeout: Option<Spanned<RawNumberOrText>>,
    host: Option<Spanned<String>>,
    port: Option<Spanned<i64>>,
    tls: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<RawAddresses>>,
    cc: Option<RawAddresses>,
    max_attempts: Option<Spanned<i64>>,
    give_up_after: Option<Spanned<RawNumberOrText>>,
    burst: Option<Spanned<i64>>,
    window: Option<Spanned<RawNumberOrText>>,
    template: Option<Spanned<String>>,
    template_file: Option<Spanned<String>>,
}

/// Where a key's value starts, for the values whose span is kept.
trait KeyOffset {
    fn offset(&self) -> Option<usize>;
}

impl<T> KeyOffset for Option<Spanned<T>> {
    fn offset(&self) -> Option<usize> {
        self.as_ref().map(|value| value.span().start)
    }
}

macro_rules! no_offset {
    ($($ty:ty),*) => {
        $(impl KeyOffset for Option<$ty> {
            fn offset(&self) -> Option<usize> {
                None
            }
        })*
    };
}

no_offset!(
    String,
    Vec<String>,
    Vec<Spanned<String>>,
    BTreeMap<String, String>,
    RawAddresses
);

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
