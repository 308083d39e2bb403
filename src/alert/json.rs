//! The alert JSON of DESIGN.md "Alert JSON": the webhook body and the
//! command sink's stdin.
//!
//! Shape, for every kind: `id`, `kind`, `created_at` (RFC 3339, UTC, whole
//! seconds, `Z`), `watch` (`""` for feed and test alerts), `figure`,
//! `previous`, `current` and `change`, each `null` where it does not apply,
//! so a receiver can read the same keys from every alert. `article` (the
//! matched article of an `article_matched` alert), `message` (the text of
//! a feed or test alert) and `claimant` (whose state a `by_source` figure's
//! alert moved; `""` for numbers attributed to nobody) appear only when set,
//! which keeps every other figure alert exactly the DESIGN.md example.
//!
//! Each observation (`previous`, `current`) carries, beside DESIGN.md's
//! value fields, `claimed_by` (who the article attributes the number to, or
//! `null`), `kind` (`count`, `money`, `percent` or `measure`) and `unit` (an
//! ISO currency, `%`, a measurement unit, or `null`).
//!
//! Counts (`value`, `low`, `high`, `change.absolute`) are JSON integers when
//! they are whole numbers (`160`, not `160.0`) and floats otherwise;
//! `change.relative` is always a float (`0.25`). Non-finite numbers, which
//! no extractor should produce, are written as `null`.

use crate::figures::{Kind, Qualifier};
use crate::store;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// The largest magnitude below which every integer is exactly representable
/// in an `f64` (2^53); past it a "whole" float is not a trustworthy integer.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// One alert as receivers see it (see the module docs for the shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// Stable id (a ULID), the same across retries so receivers can drop repeats.
    pub id: String,
    /// `figure_changed`, `figure_first_seen`, `article_matched`,
    /// `feed_failing`, `feed_recovered` or `test`.
    pub kind: String,
    /// When the alert was created.
    #[serde(serialize_with = "serialize_time")]
    pub created_at: DateTime<Utc>,
    /// Watch name; `""` for feed and test alerts.
    pub watch: String,
    /// Figure name, for figure alerts.
    pub figure: Option<String>,
    /// The claimant whose state a `by_source` figure's alert is about;
    /// absent for every other alert.
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
    /// Free text (`feed_failing`, `feed_recovered`, `test`); absent otherwise.
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
    pub kind: Kind,
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `current - previous`.
    #[serde(serialize_with = "serialize_count")]
    pub absolute: f64,
    /// `absolute / previous`; `null` when the previous value was zero.
    pub relative: Option<f64>,
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

impl From<&store::AlertRow> for Alert {
    fn from(row: &store::AlertRow) -> Alert {
        Alert {
            id: row.id.clone(),
            kind: row.kind.as_str().to_owned(),
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
            message: super::message::free_text(row),
            revision: row.revision,
        }
    }
}

/// The alert JSON of `row`, compact, as webhooks and commands receive it.
pub fn to_json(row: &store::AlertRow) -> String {
    // Serializing these plain structs into a String cannot fail: every key is
    // a string and every value a string, number, bool or null.
    serde_json::to_string(&Alert::from(row)).unwrap_or_else(|_| String::from("{}"))
}

/// RFC 3339 in UTC with whole seconds and `Z`: `2025-02-11T09:12:00Z`.
pub(crate) fn format_time(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn serialize_time<S: Serializer>(time: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_time(time))
}

fn serialize_optional_time<S: Serializer>(
    time: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        Some(time) => serialize_time(time, serializer),
        None => serializer.serialize_none(),
    }
}

/// The integer a count is, when it is a whole number that an `f64` holds
/// exactly.
pub(crate) fn as_integer(number: f64) -> Option<i64> {
    if number.is_finite() && number.fract() == 0.0 && number.abs() < MAX_EXACT_INTEGER {
        // In range and whole (checked above), so the cast is exact.
        Some(number as i64)
    } else {
        None
    }
}

fn serialize_count<S: Serializer>(number: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    match as_integer(*number) {
        Some(integer) => serializer.serialize_i64(integer),
        None if number.is_finite() => serializer.serialize_f64(*number),
        None => serializer.serialize_none(),
    }
}

fn serialize_optional_count<S: Serializer>(
    number: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match number {
        Some(number) => serialize_count(number, serializer),
        None => serializer.serialize_none(),
    }
}
