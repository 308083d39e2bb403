//! The caching and back-off headers: `Retry-After`, `Cache-Control:
//! max-age` and `Expires`. Pure functions of the header text and "now", so
//! they are tested without a server.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, NaiveDateTime, Utc};
use reqwest::header::{self, HeaderMap};

/// `Retry-After`: delay seconds or an HTTP date (a date in the past means
/// "now").
pub(super) fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        // Digits only, so the parse fails only on overflow: a far future.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = http_date(value)?;
    Some(until(date, now))
}

/// Freshness: `Cache-Control: max-age` wins over `Expires`, which counts
/// from the response's `Date` (our clock when it has none). An `Expires`
/// that is not a date means "already stale" (RFC 9111 §5.3).
pub(super) fn max_age(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let cache_control = headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|directive| {
            let (name, value) = directive.split_once('=')?;
            if !name.trim().eq_ignore_ascii_case("max-age") {
                return None;
            }
            let value = value.trim().trim_matches('"');
            value.parse::<u64>().ok().map(Duration::from_secs)
        });
    if cache_control.is_some() {
        return cache_control;
    }
    let expires = headers.get(header::EXPIRES)?;
    let Some(expires) = expires.to_str().ok().and_then(http_date) else {
        return Some(Duration::ZERO);
    };
    let date = headers
        .get(header::DATE)
        .and_then(|value| value.to_str().ok())
        .and_then(http_date)
        .map_or(now, SystemTime::from);
    Some(until(expires, date))
}

/// The time from `now` to `date`, zero when `date` is past.
fn until(date: DateTime<Utc>, now: SystemTime) -> Duration {
    SystemTime::from(date)
        .duration_since(now)
        .unwrap_or(Duration::ZERO)
}

/// An HTTP date in any of the three forms RFC 9110 §5.6.7 says to accept.
pub(super) fn http_date(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(date) = DateTime::parse_from_rfc2822(value) {
        return Some(date.with_timezone(&Utc));
    }
    // RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime
    // ("Sun Nov  6 08:49:37 1994").
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .map(|naive| naive.and_utc())
}
