//! A digest: several alerts for one sink as one message, sent when the
//! sink's rate limit (`burst` per `window`) is exceeded.

use super::json::{json_text, serialize_time};
use super::message;
use super::model::{Alert, Kind};
use chrono::{DateTime, Utc};

/// Alerts listed in a text digest; the rest are counted.
const MAX_LISTED: usize = 50;

/// The webhook / command JSON of a digest.
#[derive(Debug, serde::Serialize)]
struct Digest<'a> {
    kind: Kind,
    id: &'a str,
    #[serde(serialize_with = "serialize_time")]
    created_at: DateTime<Utc>,
    alerts: &'a [Alert],
}

/// The digest of `alerts`: an alert of kind `digest` for text sinks (a
/// title counting the alerts, a body listing them) and the JSON for
/// webhook and command sinks.
pub(super) fn digest(alerts: &[Alert]) -> (Alert, String) {
    let mut lines: Vec<String> = alerts
        .iter()
        .take(MAX_LISTED)
        .map(|alert| {
            let message = message::message(alert);
            match message.url {
                Some(url) => format!("• {} — {url}", message.title),
                None => format!("• {}", message.title),
            }
        })
        .collect();
    if alerts.len() > MAX_LISTED {
        lines.push(format!("… and {} more", alerts.len() - MAX_LISTED));
    }
    let digest = Alert::text(
        Kind::Digest,
        Utc::now(),
        format!("{} alerts\n{}", alerts.len(), lines.join("\n")),
    );
    let json = json_text(&Digest {
        kind: Kind::Digest,
        id: &digest.id,
        created_at: digest.created_at,
        alerts,
    });
    (digest, json)
}
