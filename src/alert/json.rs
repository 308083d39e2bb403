//! The alert JSON of DESIGN.md "Alert JSON": the webhook body and the
//! command sink's stdin, serialized from the alert model (`model.rs`).
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
//!
//! A digest (`digest.rs`) is `{"kind": "digest", "id", "created_at",
//! "alerts": [alert JSON, …]}`.

use super::model::Alert;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serializer;

/// The largest magnitude below which every integer is exactly representable
/// in an `f64` (2^53); past it a "whole" float is not a trustworthy integer.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// The alert JSON of `alert`, compact, as webhooks and commands receive it.
pub fn to_json(alert: &Alert) -> String {
    json_text(alert)
}

/// `value` as compact JSON. Serializing the alert's plain structs into a
/// String cannot fail: every key is a string and every value a string,
/// number, bool or null.
pub(super) fn json_text(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| String::from("{}"))
}

/// RFC 3339 in UTC with whole seconds and `Z`: `2025-02-11T09:12:00Z`.
pub(crate) fn format_time(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(super) fn serialize_time<S: Serializer>(
    time: &DateTime<Utc>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_time(time))
}

pub(super) fn serialize_optional_time<S: Serializer>(
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

pub(super) fn serialize_count<S: Serializer>(
    number: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match as_integer(*number) {
        Some(integer) => serializer.serialize_i64(integer),
        None if number.is_finite() => serializer.serialize_f64(*number),
        None => serializer.serialize_none(),
    }
}

pub(super) fn serialize_optional_count<S: Serializer>(
    number: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match number {
        Some(number) => serialize_count(number, serializer),
        None => serializer.serialize_none(),
    }
}
