//! The `ntfy` sink: a POST to the topic URL with the message body as the
//! notification text and ntfy's headers: `Title`, `Priority`, `Tags`,
//! `Click` (the article), `X-Sequence-ID` (one per figure, so a figure's
//! next alert replaces its notification instead of stacking; ntfy 2.16+,
//! older servers ignore it) and `Authorization` (a bearer token or basic
//! auth). Works the same with a self-hosted server and the public one.

use super::http::Http;
use super::message::{SinkTemplate, templated_message};
use super::{Alert, Error};
use crate::config::Secret;
use crate::text::{sha256_hex, truncate_bytes};
use url::Url;

/// ntfy turns longer messages into attachments; stay under its default
/// 4096-byte message limit.
const MAX_BODY_BYTES: usize = 4000;

/// An ntfy sink's settings, borrowed from the config.
pub(crate) struct Settings<'a> {
    pub url: &'a Url,
    pub token: Option<&'a Secret>,
    pub username: Option<&'a str>,
    pub password: Option<&'a Secret>,
    pub priority: Option<u8>,
    pub tags: &'a [String],
    pub update_in_place: bool,
}

/// ntfy's sequence ids: letters, digits, `-` and `_`, at most 64.
const MAX_SEQUENCE_ID: usize = 64;

/// The notification a figure alert replaces: one per (watch, figure), and
/// per claimant of a `by_source` figure. `None` for alerts about no figure
/// (feeds, tests, digests), which stack as before.
pub(crate) fn sequence_id(alert: &Alert) -> Option<String> {
    let figure = alert.figure.as_deref()?;
    let mut id: String = format!("figwatch_{}_{figure}", alert.watch)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Some(claimant) = &alert.claimant {
        id.push('_');
        id.push_str(&sha256_hex(&[claimant])[..8]);
    }
    if id.len() > MAX_SEQUENCE_ID {
        let key = [
            alert.watch.as_str(),
            figure,
            alert.claimant.as_deref().unwrap_or(""),
        ];
        id = format!("figwatch_{}", &sha256_hex(&key)[..32]);
    }
    Some(id)
}

pub(crate) async fn send(
    http: &Http<'_>,
    settings: &Settings<'_>,
    alert: &Alert,
    template: Option<SinkTemplate<'_>>,
) -> Result<(), Error> {
    let message = templated_message(alert, template);
    let body = if message.body.is_empty() {
        message.title.clone()
    } else {
        message.body.clone()
    };
    let mut request = http
        .client
        .post(settings.url.clone())
        .header("Title", header_text(&message.title));
    if let Some(priority) = settings.priority {
        request = request.header("Priority", priority.to_string());
    }
    if let Some(id) = sequence_id(alert).filter(|_| settings.update_in_place) {
        request = request.header("X-Sequence-ID", id);
    }
    if !settings.tags.is_empty() {
        request = request.header("Tags", header_text(&settings.tags.join(",")));
    }
    // Url serializes non-ASCII as percent escapes, so this is a valid header.
    if let Some(click) = message.url.as_deref().and_then(|url| Url::parse(url).ok()) {
        request = request.header("Click", click.as_str());
    }
    request = match (settings.token, settings.username, settings.password) {
        (Some(token), _, _) => request.bearer_auth(token.expose()),
        (None, Some(username), password) => {
            request.basic_auth(username, password.map(Secret::expose))
        }
        (None, None, _) => request,
    };
    http.send(request.body(truncate_bytes(&body, MAX_BODY_BYTES)))
        .await
}

/// A header value ntfy reads as UTF-8: ASCII as is, anything else as an
/// RFC 2047 encoded word (`=?UTF-8?B?…?=`), which ntfy decodes. Control
/// characters become spaces so the value is always a valid header.
pub(crate) fn header_text(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.is_ascii() {
        text
    } else {
        format!("=?UTF-8?B?{}?=", base64(text.as_bytes()))
    }
}

/// Standard base64 with padding (RFC 4648), for the encoded words above.
pub(super) fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
