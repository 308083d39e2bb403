//! Feed discovery: a `[[feed]] url` that answers with an HTML page which
//! links its feeds (`<link rel="alternate" type="application/rss+xml">`)
//! is polled through the first linked feed, with a notice naming it.

use tracing::{info, warn};
use url::Url;

use super::FeedReport;
use crate::daemon::Context;
use crate::{config, feed, fetch};

/// Fetches and parses the feed the HTML page `body` (fetched from
/// `page_url`) links to; an error names what went wrong, for the poll.
pub(super) async fn linked_feed(
    ctx: &Context,
    feed: &config::Feed,
    body: &[u8],
    page_url: &Url,
    report: &mut FeedReport,
) -> Result<feed::Feed, String> {
    let shown = config::redact::url(&feed.url);
    let html = crate::text::decode(body, None);
    let Some(linked) = feed::discover(&html, page_url).into_iter().next() else {
        ctx.metrics.feed_unparsable();
        warn!(error = %feed::Error::Html, "Feed parse failed: the HTML page links no feed");
        return Err(format!("{shown}: {}", feed::Error::Html));
    };
    info!(
        feed = %config::redact::url(&linked),
        "Feed URL answers with an HTML page; polling the feed it links to (put that URL in the config)"
    );
    report.discovered = Some(linked.to_string());
    // The linked feed may be private only where the configured one may:
    // on the same origin, or with `allow_private`.
    let same_origin = linked.origin() == feed.url.origin();
    let target = fetch::Target::Feed {
        allow_private: feed.allow_private || (same_origin && feed.private_origin_allowed()),
        allow_private_redirects: feed.allow_private,
    };
    let outcome = {
        let _permit = ctx.limits.acquire(&linked).await;
        ctx.client
            .get(&linked, &fetch::Validators::default(), target)
            .await
    };
    ctx.metrics.fetched(&target, &outcome);
    let response = match outcome {
        fetch::Outcome::Fetched(response) => response,
        fetch::Outcome::Failed(err) => {
            warn!(error = %err, "Linked feed fetch failed");
            return Err(err.to_string());
        }
        fetch::Outcome::NotModified => {
            return Err(format!("{linked}: unexpected 304 Not Modified"));
        }
    };
    feed::parse(
        &response.body,
        response.content_type.as_deref(),
        &response.url,
    )
    .map_err(|err| {
        ctx.metrics.feed_unparsable();
        warn!(error = %err, "Linked feed parse failed");
        format!("{}: {err}", config::redact::url(&linked))
    })
}
