//! One entry that passed the prefilter: its article fetched, extracted,
//! matched against the full queries, read for figures and recorded. A
//! failed or refused article is an outcome recorded on the entry.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tracing::{debug, info, warn};
use url::Url;

use super::super::Context;
use super::super::status::FetchTarget;
use crate::store::{self, EntryRecord, EntryStatus, NewArticle, WatchReading};
use crate::{article, config, feed, fetch, figures};

pub(super) enum EntryOutcome {
    Recorded(store::Recorded),
    Skipped,
    Failed,
}

/// What the prefilter looks at: the entry's title and summary.
pub(super) fn entry_text(entry: &feed::Entry) -> String {
    format!("{}\n{}", entry.title, entry.summary)
}

/// One entry that passed the prefilter: its article fetched, extracted,
/// matched, read and stored.
pub(super) async fn process_entry(
    ctx: &Context,
    feed: &config::Feed,
    feed_id: i64,
    entry: &feed::Entry,
    source: &str,
    baseline: bool,
    allow_private: bool,
) -> Result<EntryOutcome, store::Error> {
    let now = Utc::now();
    let owned_entry = OwnedEntry::from(entry);

    let (page_url, page) = match &entry.link {
        Some(link) => {
            let outcome = {
                let _permit = ctx.limits.acquire(link).await;
                ctx.client
                    .get(
                        link,
                        &fetch::Validators::default(),
                        fetch::Target::Article { allow_private },
                    )
                    .await
            };
            ctx.metrics.record_fetch(FetchTarget::Article, &outcome);
            match outcome {
                fetch::Outcome::Fetched(response) => {
                    let html = response.text();
                    let page =
                        article::extract(&html, &response.url, feed.article_selector.as_deref());
                    (response.url, page)
                }
                fetch::Outcome::NotModified | fetch::Outcome::Failed(_) => {
                    // A refusal (private address, not http) is final: the
                    // link will not change, so it is never retried.
                    let (status, error) = match outcome {
                        fetch::Outcome::Failed(err @ fetch::Error::Refused { .. }) => {
                            (EntryStatus::Refused, err.to_string())
                        }
                        fetch::Outcome::Failed(err) => (EntryStatus::Failed, err.to_string()),
                        _ => (
                            EntryStatus::Failed,
                            format!("{link}: unexpected 304 Not Modified"),
                        ),
                    };
                    if status == EntryStatus::Refused {
                        warn!(article = %link, error = %error, "Article link refused");
                    } else {
                        warn!(article = %link, error = %error, "Article fetch failed");
                    }
                    ctx.blocking(move |store| {
                        store.record_entry(
                            feed_id,
                            &owned_entry.record(),
                            status,
                            Some(&error),
                            now,
                        )
                    })
                    .await?;
                    return Ok(if status == EntryStatus::Refused {
                        EntryOutcome::Skipped
                    } else {
                        EntryOutcome::Failed
                    });
                }
            }
        }
        None => {
            // No link: the entry itself is the article, named by the feed
            // URL without its credentials and query, and the entry's key
            // (with the feed's, so two feeds' entries never collide).
            let mut url = feed.url.clone();
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            let identity = format!("{}\n{}", feed.url, entry.key);
            url.set_fragment(Some(&format!("entry-{}", short_hash(&identity))));
            (
                url,
                article::Article {
                    title: Some(entry.title.clone()),
                    text: entry.summary.clone(),
                    ..article::Article::default()
                },
            )
        }
    };

    let title = page
        .title
        .clone()
        .filter(|title| !title.trim().is_empty())
        .unwrap_or_else(|| entry.title.clone());
    let text = if page.text.trim().is_empty() {
        entry.summary.clone()
    } else {
        page.text.clone()
    };
    let url = if entry.link.is_some() {
        let mut url = canonical(&page_url, page.canonical_url.as_ref());
        // A link resolved against a feed URL with credentials inherits them:
        // the stored URL, which alerts show, never carries them.
        let _ = url.set_username("");
        let _ = url.set_password(None);
        url
    } else {
        // Its fragment is its identity: canonicalising would drop it and
        // make every link-less entry of a feed one article.
        page_url.clone()
    };

    let matched = ctx.matcher.matching(&format!("{title}\n\n{text}"));
    if matched.is_empty() {
        debug!(article = %url, "Article does not match any watch");
        ctx.blocking(move |store| {
            store.record_entry(
                feed_id,
                &owned_entry.record(),
                EntryStatus::Unmatched,
                None,
                now,
            )
        })
        .await?;
        return Ok(EntryOutcome::Skipped);
    }

    let readings: Vec<(usize, figures::Reading)> = matched
        .iter()
        .filter_map(|&watch_idx| {
            let watch = ctx.config.watches.get(watch_idx)?;
            Some((watch_idx, figures::read(&title, &text, &watch.figures)))
        })
        .collect();
    let published_at = entry.published.or(page.published);
    let config = Arc::clone(&ctx.config);
    let source = source.to_string();
    let url_text = url.to_string();
    let recorded = ctx
        .blocking(move |store| {
            let watches = readings
                .into_iter()
                .filter_map(|(watch_idx, reading)| {
                    let watch = config.watches.get(watch_idx)?;
                    Some(WatchReading {
                        watch,
                        reading,
                        sinks: watch.sink_names(&config.sinks),
                    })
                })
                .collect();
            store.record_article(&NewArticle {
                feed_id,
                entry: owned_entry.record(),
                url: &url_text,
                title: &title,
                text: &text,
                source: &source,
                published_at,
                fetched_at: now,
                watches,
                baseline,
            })
        })
        .await?;
    if recorded.duplicate {
        debug!(article = %url, "Article already stored");
    } else {
        info!(
            article = %url,
            observations = recorded.n_observations,
            alerts = recorded.n_alerts,
            baseline,
            "Article recorded"
        );
    }
    Ok(EntryOutcome::Recorded(recorded))
}

/// An entry's stored fields, owned so they can move to a blocking thread.
pub(super) struct OwnedEntry {
    key: String,
    url: Option<String>,
    title: String,
    published_at: Option<DateTime<Utc>>,
}

impl From<&feed::Entry> for OwnedEntry {
    fn from(entry: &feed::Entry) -> OwnedEntry {
        OwnedEntry {
            key: entry.key.clone(),
            url: entry.link.as_ref().map(Url::to_string),
            title: entry.title.clone(),
            published_at: entry.published,
        }
    }
}

impl OwnedEntry {
    pub(super) fn record(&self) -> EntryRecord<'_> {
        EntryRecord {
            key: &self.key,
            url: self.url.as_deref(),
            title: &self.title,
            published_at: self.published_at,
        }
    }
}

/// The article's identity: the page's canonical link when it stays on the
/// same site (a page cannot claim another site's article), else the fetched
/// URL; tracking parameters removed either way.
pub(super) fn canonical(page_url: &Url, declared: Option<&Url>) -> Url {
    let same_site = |declared: &Url| {
        let strip =
            |host: Option<&str>| host.map(|h| h.trim_start_matches("www.").to_ascii_lowercase());
        strip(declared.host_str()) == strip(page_url.host_str())
    };
    match declared {
        Some(declared) if same_site(declared) => article::canonical_url(declared),
        _ => article::canonical_url(page_url),
    }
}

fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}
