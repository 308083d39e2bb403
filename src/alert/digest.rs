//! A digest: several alerts for one sink as one message, sent when the
//! sink's rate limit (`burst` per `window`) is exceeded.

use crate::store::{AlertKind, AlertRow};

use super::json::{Alert, format_time};
use super::message;

/// Alerts listed in a text digest; the rest are counted.
const MAX_LISTED: usize = 50;

/// The webhook / command JSON of a digest.
#[derive(Debug, serde::Serialize)]
struct Digest<'a> {
    kind: &'static str,
    id: &'a str,
    created_at: String,
    alerts: Vec<Alert>,
}

/// The digest of `rows`: a row for text sinks (kind `digest`, a title
/// counting the alerts, a body listing them) and the JSON for webhook and
/// command sinks.
pub(super) fn digest(rows: &[AlertRow]) -> (AlertRow, String) {
    let created_at = chrono::Utc::now();
    let mut lines: Vec<String> = rows
        .iter()
        .take(MAX_LISTED)
        .map(|row| {
            let message = message::message(row);
            match message.url {
                Some(url) => format!("• {} — {url}", message.title),
                None => format!("• {}", message.title),
            }
        })
        .collect();
    if rows.len() > MAX_LISTED {
        lines.push(format!("… and {} more", rows.len() - MAX_LISTED));
    }
    let row = super::text_alert(
        AlertKind::Digest,
        created_at,
        format!("{} alerts\n{}", rows.len(), lines.join("\n")),
    );
    let json = Digest {
        kind: AlertKind::Digest.as_str(),
        id: &row.id,
        created_at: format_time(&created_at),
        alerts: rows.iter().map(Alert::from).collect(),
    };
    // Plain strings and numbers: serializing cannot fail.
    let json = serde_json::to_string(&json).unwrap_or_else(|_| String::from("{}"));
    (row, json)
}
