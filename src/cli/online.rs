//! `figwatch check --online`: each feed and page fetched once, without the
//! store, and what figwatch makes of it — a feed and its entries, an HTML
//! page linking the feed figwatch will poll instead, a page's text, or why
//! it fails.

use std::fmt::Write as _;

use crate::config::{Config, redact};
use crate::{article, feed, fetch};

/// Fetches every feed and page of `config` once and writes what each is.
pub(super) async fn describe(config: &Config, out: &mut String) {
    let daemon = &config.daemon;
    let options = fetch::Options::new(daemon.timeout, daemon.max_body, daemon.user_agent.clone());
    let client = match fetch::Client::new(options) {
        Ok(client) => client,
        Err(err) => {
            let _ = writeln!(out, "\nonline: cannot build the HTTP client: {err}");
            return;
        }
    };
    let _ = writeln!(out, "\nonline:");
    for configured in &config.feeds {
        let target = fetch::Target::Feed {
            allow_private: configured.private_origin_allowed(),
            allow_private_redirects: configured.allow_private,
        };
        let outcome = client
            .get(&configured.url, &fetch::Validators::default(), target)
            .await;
        let what = match outcome {
            fetch::Outcome::Fetched(response) => feed_of(&response),
            fetch::Outcome::NotModified => "unexpected 304 Not Modified".to_string(),
            fetch::Outcome::Failed(err) => format!("failing: {err}"),
        };
        let _ = writeln!(out, "  {}: {what}", redact::url(&configured.url));
    }
    for page in &config.pages {
        let target = fetch::Target::Feed {
            allow_private: page.private_origin_allowed(),
            allow_private_redirects: page.allow_private,
        };
        let outcome = client
            .get(&page.url, &fetch::Validators::default(), target)
            .await;
        let what = match outcome {
            fetch::Outcome::Fetched(response) => {
                let text =
                    article::extract(&response.text(), &response.url, page.selector.as_deref())
                        .text;
                format!("page, {} characters of text", text.chars().count())
            }
            fetch::Outcome::NotModified => "unexpected 304 Not Modified".to_string(),
            fetch::Outcome::Failed(err) => format!("failing: {err}"),
        };
        let _ = writeln!(out, "  {}: {what}", redact::url(&page.url));
    }
}

/// What a fetched feed URL holds, in words.
fn feed_of(response: &fetch::Response) -> String {
    match feed::parse(
        &response.body,
        response.content_type.as_deref(),
        &response.url,
    ) {
        Ok(parsed) => format!("feed, {} entries", parsed.entries.len()),
        Err(feed::Error::Html) => {
            let html = crate::text::decode(&response.body, response.content_type.as_deref());
            match feed::discover(&html, &response.url).first() {
                Some(linked) => format!(
                    "HTML page linking the feed {}; figwatch polls that feed (put its URL in the config)",
                    redact::url(linked)
                ),
                None => "HTML page linking no feed: nothing to poll".to_string(),
            }
        }
        Err(err) => format!("failing: {err}"),
    }
}
