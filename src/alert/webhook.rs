//! The `webhook` sink: a POST of the alert JSON.
//!
//! Headers sent with every alert:
//!
//! - `Content-Type: application/json`
//! - `X-Figwatch-Alert-Id: <id>`: the alert's stable id, the same on every
//!   retry, so a receiver can drop repeats.
//! - `X-Figwatch-Timestamp: <unix seconds>`: when this attempt was sent.
//!   It is **not** signed; it is there for logs and for receivers that want
//!   to reject very late deliveries by their own clock.
//! - with `secret_env`/`secret_file` set: `X-Figwatch-Signature:
//!   sha256=<hex>`, the lowercase hex HMAC-SHA256 of the request body
//!   (exactly the bytes received) keyed with the secret. A receiver
//!   recomputes it over the raw body and compares in constant time. The
//!   body holds the alert id and `created_at`, so a replayed body is a
//!   repeat of an alert the receiver has already seen.
//! - the sink's `headers` from the config, except `Content-Type` and
//!   `X-Figwatch-*`, which are figwatch's own and are skipped.

use super::http::Http;
use super::{Alert, Error};
use crate::config::Secret;
use hmac::{KeyInit, Mac};
use reqwest::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use std::collections::BTreeMap;
use url::Url;

/// The header carrying the alert id.
pub const ALERT_ID_HEADER: &str = "X-Figwatch-Alert-Id";
/// The header carrying the send time in unix seconds (not signed).
pub const TIMESTAMP_HEADER: &str = "X-Figwatch-Timestamp";
/// The header carrying `sha256=<hex HMAC-SHA256 of the body>`.
pub const SIGNATURE_HEADER: &str = "X-Figwatch-Signature";

/// The value of the signature header for `body` signed with `secret`:
/// `sha256=` and the lowercase hex HMAC-SHA256.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    // HMAC takes a key of any length (long keys are hashed), so this cannot
    // fail; an empty key still yields a well-formed, if weak, signature.
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) else {
        return String::from("sha256=");
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A webhook's extra headers: as written in the config, and from
/// `headers_env`/`headers_file`.
pub(crate) struct Headers<'a> {
    pub plain: &'a BTreeMap<String, String>,
    pub secret: &'a BTreeMap<String, Secret>,
}

pub(crate) async fn send(
    http: &Http<'_>,
    url: &Url,
    secret: Option<&Secret>,
    headers: &Headers<'_>,
    alert: &Alert,
    body: String,
) -> Result<(), Error> {
    let mut request = http
        .client
        .post(url.clone())
        .header(CONTENT_TYPE, "application/json");
    let secret_values = headers
        .secret
        .iter()
        .map(|(name, value)| (name, value.expose()));
    let plain_values = headers
        .plain
        .iter()
        .map(|(name, value)| (name, value.as_str()));
    for (name, value) in plain_values.chain(secret_values) {
        let lower = name.to_ascii_lowercase();
        if lower == "content-type" || lower.starts_with("x-figwatch-") {
            // Ours; a second copy would leave the receiver guessing.
            continue;
        }
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            http.setup(format!(
                "header name {name:?} is not a valid HTTP header name"
            ))
        })?;
        // The value may be a credential: never echo it in the error.
        let value = HeaderValue::from_str(value).map_err(|_| {
            http.setup(format!(
                "the value of header {name} is not a valid HTTP header value"
            ))
        })?;
        request = request.header(name, value);
    }
    let timestamp = chrono::Utc::now().timestamp().to_string();
    request = request
        .header(ALERT_ID_HEADER, sanitize_header(&alert.id))
        .header(TIMESTAMP_HEADER, timestamp);
    if let Some(secret) = secret {
        request = request.header(
            SIGNATURE_HEADER,
            signature(secret.expose().as_bytes(), body.as_bytes()),
        );
    }
    http.send(request.body(body)).await
}

/// A header value from data: visible ASCII only, so it is always valid.
fn sanitize_header(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .collect()
}
