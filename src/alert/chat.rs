//! The `slack` and `discord` sinks: their incoming-webhook payloads, with
//! the alert title linked to the article.
//!
//! Slack gets `{"text": …}` in its mrkdwn (`*<url|title>*`, the quote as a
//! block quote, the source line). Discord gets the title as `content` (kept
//! under Discord's 2000-character limit) and, when there is an article, one
//! embed linking to it with the quote and the source; mentions are disabled
//! so article text can never ping anyone.

use super::http::Http;
use super::json::format_time;
use super::message::{Parts, SinkTemplate, parts};
use super::{Alert, Error, truncate};
use crate::config::Secret;
use reqwest::header::CONTENT_TYPE;
use serde_json::json;
use url::Url;

/// Slack truncates `text` past 40,000 characters and advises staying far
/// below; alerts never need more than this.
const MAX_SLACK_CHARS: usize = 3000;

/// Discord's limit on `content`.
pub(crate) const MAX_DISCORD_CONTENT_CHARS: usize = 2000;

/// Discord's limit on an embed title.
const MAX_DISCORD_EMBED_TITLE_CHARS: usize = 256;

/// Discord's limit on an embed description.
const MAX_DISCORD_EMBED_DESCRIPTION_CHARS: usize = 4096;

pub(crate) async fn send_slack(
    http: &Http<'_>,
    url: &Secret,
    alert: &Alert,
    template: Option<SinkTemplate<'_>>,
) -> Result<(), Error> {
    let payload = slack_payload(alert, template);
    post(http, url, &payload).await
}

pub(crate) async fn send_discord(
    http: &Http<'_>,
    url: &Secret,
    alert: &Alert,
    template: Option<SinkTemplate<'_>>,
) -> Result<(), Error> {
    let payload = discord_payload(alert, template);
    post(http, url, &payload).await
}

async fn post(http: &Http<'_>, url: &Secret, payload: &serde_json::Value) -> Result<(), Error> {
    // The config checked the URL; a failure here says so without the URL,
    // whose path is the webhook's key.
    let url =
        Url::parse(url.expose()).map_err(|_| http.setup("the webhook URL is not a valid URL"))?;
    let request = http
        .client
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .body(payload.to_string());
    http.send(request).await
}

/// The Slack incoming-webhook payload for `alert`.
pub(crate) fn slack_payload(
    alert: &Alert,
    template: Option<SinkTemplate<'_>>,
) -> serde_json::Value {
    let parts = parts(alert, template);
    let title = slack_escape(&parts.title);
    let mut lines = vec![
        match parts.url.as_deref().and_then(|url| Url::parse(url).ok()) {
            Some(url) => format!("*<{}|{title}>*", url.as_str()),
            None => format!("*{title}*"),
        },
    ];
    if let Some(text) = &parts.text {
        lines.push(slack_escape(text));
    }
    if let Some(quote) = &parts.quote {
        lines.push(format!(">{}", slack_escape(quote)));
    }
    if let Some(source) = &parts.source {
        lines.push(format!("_{}_", slack_escape(source)));
    }
    json!({
        "text": truncate(&lines.join("\n"), MAX_SLACK_CHARS),
        "unfurl_links": false,
        "unfurl_media": false,
    })
}

/// Slack's three control characters, escaped as its docs ask.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The Discord webhook payload for `alert`.
pub(crate) fn discord_payload(
    alert: &Alert,
    template: Option<SinkTemplate<'_>>,
) -> serde_json::Value {
    let parts = parts(alert, template);
    let url = parts.url.as_deref().and_then(|url| Url::parse(url).ok());
    let mut payload = json!({
        "content": truncate(&discord_content(&parts, url.is_some()), MAX_DISCORD_CONTENT_CHARS),
        "allowed_mentions": {"parse": []},
    });
    if let Some(url) = url {
        let mut description = Vec::new();
        if let Some(quote) = &parts.quote {
            description.push(format!("\"{}\"", discord_escape(quote)));
        }
        if let Some(source) = &parts.source {
            description.push(discord_escape(source));
        }
        let embed_title = parts.headline.as_deref().unwrap_or(url.as_str());
        payload["embeds"] = json!([{
            "title": truncate(&discord_escape(embed_title), MAX_DISCORD_EMBED_TITLE_CHARS),
            "url": url.as_str(),
            "description": truncate(&description.join("\n"), MAX_DISCORD_EMBED_DESCRIPTION_CHARS),
            "timestamp": format_time(&alert.created_at),
        }]);
    }
    payload
}

/// The title in bold; without an embed (feed and test alerts) the free text
/// goes below it.
fn discord_content(parts: &Parts, has_embed: bool) -> String {
    let mut content = format!("**{}**", discord_escape(&parts.title));
    if !has_embed {
        for line in [&parts.text, &parts.quote, &parts.source]
            .into_iter()
            .flatten()
        {
            content.push('\n');
            content.push_str(&discord_escape(line));
        }
    }
    content
}

/// Backslash-escapes Discord's markdown characters, so article text shows
/// as written: no emphasis, no masked links (`[click](https://…)` would
/// hide where a link goes), no headings, no `<…>` mentions or links.
fn discord_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '<' | '>' | '#'
        ) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
