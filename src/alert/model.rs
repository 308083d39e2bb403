//! The alert model: [`Alert`], what every sink sends and every message is
//! made from, and its [`Kind`]. It serializes to the alert JSON of DESIGN.md
//! (`json.rs` says the shape), so receivers and sink templates see exactly
//! these fields.
//!
//! A stored alert becomes an [`Alert`] once, where the outbox hands it to
//! this module (`Alert::from(&store::AlertRow)`); test alerts
//! ([`Alert::test`]) and digests are built here and never stored. The
//! conversion words a feed alert's facts, so an alert's `message` is its
//! free text whatever it came from.

use super::json::{
    serialize_count, serialize_optional_count, serialize_optional_time, serialize_time,
};
use crate::figures::{self, Qualifier};
use crate::store::{self, AlertKind};
use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

/// What an alert is about: a kind the store keeps (figure, article and feed
/// alerts), or one made at send time and never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An alert from the outbox: `figure_changed`, `figure_first_seen`,
    /// `article_matched`, `feed_failing` or `feed_recovered`.
    Stored(AlertKind),
    /// `figwatch test-sink`.
    Test,
    /// Several alerts sent as one message by a sink's rate limit.
    Digest,
}

impl Kind {
    /// The `kind` string of the alert JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Stored(kind) => kind.as_str(),
            Kind::Test => "test",
            Kind::Digest => "digest",
        }
    }
}

impl From<AlertKind> for Kind {
    fn from(kind: AlertKind) -> Kind {
        Kind::Stored(kind)
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One alert as sinks send it and receivers see it (see `json.rs` for the
/// shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Stable id (a ULID), the same across retries so receivers can drop repeats.
    pub id: String,
    /// What happened.
    pub kind: Kind,
    /// When the alert was created.
    #[serde(serialize_with = "serialize_time")]
    pub created_at: DateTime<Utc>,
    /// Watch name; `""` for feed, test and digest alerts.
    pub watch: String,
    /// Figure name, for figure alerts.
    pub figure: Option<String>,
    /// The claimant whose state a `by_source` figure's alert is about
    /// (`""`: numbers attributed to nobody); absent for every other alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimant: Option<String>,
    /// The figure's state before the change (`figure_changed`).
    pub previous: Option<Observation>,
    /// The new observation (figure alerts).
    pub current: Option<Observation>,
    /// `current - previous` and its ratio to `previous`.
    pub change: Option<Change>,
    /// The matched article (`article_matched`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<Article>,
    /// Free text: a feed alert's facts in words, a test alert's line, a
    /// digest's list; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `true` when a revised article raised the alert; absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub revision: bool,
}

/// One observation of a figure with the article it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    /// The value; a range's midpoint.
    #[serde(serialize_with = "serialize_count")]
    pub value: f64,
    /// A range's lower bound (or the bound the qualifier implies).
    #[serde(serialize_with = "serialize_optional_count")]
    pub low: Option<f64>,
    /// A range's upper bound (or the bound the qualifier implies).
    #[serde(serialize_with = "serialize_optional_count")]
    pub high: Option<f64>,
    /// `exact`, `more_than`, `at_least`, `less_than`, `at_most`,
    /// `approximately` or `range`.
    pub qualifier: Qualifier,
    /// The mention as written: "more than 200 long-range artillery pieces".
    pub text: String,
    /// The sentence the mention stands in.
    pub quote: String,
    /// Who the article attributes the number to; `null` when it says nobody.
    pub claimed_by: Option<String>,
    /// What the value measures: `count`, `money`, `percent` or `measure`.
    pub kind: figures::Kind,
    /// The unit: an ISO currency (`USD`), `%`, a measurement unit; `null`
    /// for counts and where the text gave none.
    pub unit: Option<String>,
    /// The article it came from.
    pub article: Article,
}

/// An article as alerts show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// Canonical URL.
    pub url: String,
    /// Headline.
    pub title: String,
    /// The feed's name (or title).
    pub source: String,
    /// Published time, `null` when unknown.
    #[serde(serialize_with = "serialize_optional_time")]
    pub published_at: Option<DateTime<Utc>>,
}

/// How much a figure changed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// `current - previous`.
    #[serde(serialize_with = "serialize_count")]
    pub absolute: f64,
    /// `absolute / previous`; `null` when the previous value was zero.
    pub relative: Option<f64>,
}

impl Alert {
    /// An alert that is only a message (a test, a digest): a fresh id, no
    /// watch, figure or article.
    pub(crate) fn text(kind: Kind, created_at: DateTime<Utc>, message: String) -> Alert {
        Alert {
            id: ulid::Ulid::generate().to_string(),
            kind,
            created_at,
            watch: String::new(),
            figure: None,
            claimant: None,
            previous: None,
            current: None,
            change: None,
            article: None,
            message: Some(message),
            revision: false,
        }
    }

    /// A `test` alert, as `figwatch test-sink` sends it: a fresh id, the
    /// time now, and a line saying which sink it tests.
    pub fn test(sink_name: &str) -> Alert {
        Alert::text(
            Kind::Test,
            Utc::now(),
            format!(
                "This is a test alert from figwatch through sink {sink_name}. If you can read it, the sink works."
            ),
        )
    }
}

impl From<&store::ArticleRef> for Article {
    fn from(article: &store::ArticleRef) -> Article {
        Article {
            url: article.url.clone(),
            title: article.title.clone(),
            source: article.source.clone(),
            published_at: article.published_at,
        }
    }
}

impl From<&store::ObservationRow> for Observation {
    fn from(observation: &store::ObservationRow) -> Observation {
        Observation {
            value: observation.value,
            low: observation.low,
            high: observation.high,
            qualifier: observation.qualifier,
            text: observation.text.clone(),
            quote: observation.quote.clone(),
            claimed_by: observation.claimed_by.clone(),
            kind: observation.kind,
            unit: observation.unit.clone(),
            article: Article::from(&observation.article),
        }
    }
}

/// A stored alert as sinks send it: the one place a store row becomes an
/// alert. A feed alert's facts are worded here ([`super::message`]).
impl From<&store::AlertRow> for Alert {
    fn from(row: &store::AlertRow) -> Alert {
        let message = match &row.feed {
            Some(facts) => Some(super::message::feed_text(row.kind, facts)),
            None => super::message::some_text(row.message.as_deref()),
        };
        Alert {
            id: row.id.clone(),
            kind: Kind::Stored(row.kind),
            created_at: row.created_at,
            watch: row.watch.clone(),
            figure: row.figure.clone(),
            claimant: row.claimant.clone(),
            previous: row.previous.as_ref().map(Observation::from),
            current: row.current.as_ref().map(Observation::from),
            change: row.change.map(|(absolute, relative)| Change {
                absolute,
                relative: relative.filter(|relative| relative.is_finite()),
            }),
            article: row.article.as_ref().map(Article::from),
            message,
            revision: row.revision,
        }
    }
}
