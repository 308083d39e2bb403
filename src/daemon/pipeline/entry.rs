//! One entry that passed the prefilter (or was revised): its article
//! fetched and extracted, matched against the full queries, read for
//! figures and recorded — fetch-article → record. A failed or refused
//! article is an outcome recorded on the entry.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tracing::{debug, info, warn};
use url::Url;

use super::super::Context;
use crate::store::{self, EntryRecord, EntryStatus, NewArticle, WatchReading};
use crate::{article, config, feed, fetch, figures};

pub(super) enum EntryOutcome {
    Recorded(store::Recorded),
    Skipped,
    Failed,
}

/// Where a job's articles are recorded: the feed (or page) row, the name
/// alerts give them, and whether this poll is the baseline.
#[derive(Debug, Clone, Copy)]
pub(super) struct Recording<'a> {
    /// The feed's (or page's) row id.
    pub(super) feed_id: i64,
    /// The name alerts give its articles.
    pub(super) source: &'a str,
    /// Record figures without alerting.
    pub(super) baseline: bool,
}

/// What every entry of one feed poll shares.
pub(super) struct EntryJob<'a> {
    /// The feed.
    pub(super) feed: &'a config::Feed,
    /// Where its articles are recorded.
    pub(super) recording: Recording<'a>,
    /// Article links may reach non-public addresses.
    pub(super) allow_private: bool,
}

/// An article as figwatch reads it: identity, headline, text, date.
pub(super) struct ArticleText {
    pub(super) url: Url,
    pub(super) title: String,
    pub(super) text: String,
    pub(super) published_at: Option<DateTime<Utc>>,
}

/// What the prefilter looks at: the entry's title and summary.
pub(super) fn entry_text(entry: &feed::Entry) -> String {
    format!("{}\n{}", entry.title, entry.summary)
}

/// One entry: its article fetched, extracted, matched, read and stored. A
/// `revision` is an entry seen before whose article is read again.
pub(super) async fn process_entry(
    ctx: &Context,
    job: &EntryJob<'_>,
    entry: &feed::Entry,
    revision: bool,
) -> Result<EntryOutcome, store::Error> {
    let now = Utc::now();
    let owned_entry = OwnedEntry::from(entry);
    let article = match fetch_article(ctx, job, entry).await {
        Ok(article) => article,
        Err(failure) if revision => {
            // The entry keeps its article and its old fingerprint: the
            // revision is tried again on a later poll.
            warn!(entry = %entry.key, error = %failure.1, "Revised article fetch failed");
            return Ok(EntryOutcome::Failed);
        }
        Err((status, error)) => {
            let feed_id = job.recording.feed_id;
            ctx.blocking(move |store| {
                store.record_entry(feed_id, &owned_entry.record(), status, Some(&error), now)
            })
            .await?;
            return Ok(match status {
                EntryStatus::Refused => EntryOutcome::Skipped,
                _ => EntryOutcome::Failed,
            });
        }
    };
    let matched = ctx
        .matcher
        .matching(&format!("{}\n\n{}", article.title, article.text));
    if matched.is_empty() && !revision {
        debug!(article = %article.url, "Article does not match any watch");
        let feed_id = job.recording.feed_id;
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
    // A revision is dated by the feed's `updated`, else by when it was seen.
    let revised_at = revision.then(|| entry.updated.unwrap_or(now));
    let recorded = record(
        ctx,
        job.recording,
        owned_entry,
        article,
        matched,
        revised_at,
    )
    .await?;
    Ok(EntryOutcome::Recorded(recorded))
}

/// Fetches and extracts the entry's article; a link-less entry is its own
/// article. A failure comes with the entry status it leaves.
async fn fetch_article(
    ctx: &Context,
    job: &EntryJob<'_>,
    entry: &feed::Entry,
) -> Result<ArticleText, (EntryStatus, String)> {
    let Some(link) = &entry.link else {
        return Ok(linkless(job.feed, entry));
    };
    let target = fetch::Target::Article {
        allow_private: job.allow_private,
    };
    let outcome = {
        let _permit = ctx.limits.acquire(link).await;
        ctx.client
            .get(link, &fetch::Validators::default(), target)
            .await
    };
    ctx.metrics.fetched(&target, &outcome);
    let response = match outcome {
        fetch::Outcome::Fetched(response) => response,
        // A refusal (private address, not http) is final: the link will
        // not change, so it is never retried.
        fetch::Outcome::Failed(err @ fetch::Error::Refused { .. }) => {
            warn!(article = %link, error = %err, "Article link refused");
            return Err((EntryStatus::Refused, err.to_string()));
        }
        fetch::Outcome::Failed(err) => {
            warn!(article = %link, error = %err, "Article fetch failed");
            return Err((EntryStatus::Failed, err.to_string()));
        }
        fetch::Outcome::NotModified => {
            let error = format!("{link}: unexpected 304 Not Modified");
            warn!(article = %link, error = %error, "Article fetch failed");
            return Err((EntryStatus::Failed, error));
        }
    };
    let html = response.text();
    let page = article::extract(&html, &response.url, job.feed.article_selector.as_deref());
    let mut url = canonical(&response.url, page.canonical_url.as_ref());
    // A link resolved against a feed URL with credentials inherits them:
    // the stored URL, which alerts show, never carries them.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok(ArticleText {
        url,
        title: page
            .title
            .filter(|title| !title.trim().is_empty())
            .unwrap_or_else(|| entry.title.clone()),
        text: if page.text.trim().is_empty() {
            entry.summary.clone()
        } else {
            page.text
        },
        published_at: entry.published.or(page.published),
    })
}

/// A link-less entry is the article, named by the feed URL without its
/// credentials and query, and the entry's key (with the feed's, so two
/// feeds' entries never collide). Its fragment is its identity:
/// canonicalising would drop it and make every link-less entry of a feed
/// one article.
fn linkless(feed: &config::Feed, entry: &feed::Entry) -> ArticleText {
    let mut url = feed.url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    let identity = format!("{}\n{}", feed.url, entry.key);
    url.set_fragment(Some(&format!("entry-{}", short_hash(&identity))));
    ArticleText {
        url,
        title: entry.title.clone(),
        text: entry.summary.clone(),
        published_at: entry.published,
    }
}

/// Reads the figures of the matched watches and records the article (a
/// first reading, or a revision dated `revised_at`).
pub(super) async fn record(
    ctx: &Context,
    recording: Recording<'_>,
    entry: OwnedEntry,
    article: ArticleText,
    matched: Vec<usize>,
    revised_at: Option<DateTime<Utc>>,
) -> Result<store::Recorded, store::Error> {
    let readings: Vec<(usize, figures::Reading)> = matched
        .iter()
        .filter_map(|&watch_idx| {
            let watch = ctx.config.watches.get(watch_idx)?;
            Some((
                watch_idx,
                figures::read(&article.title, &article.text, &watch.figures),
            ))
        })
        .collect();
    let config = Arc::clone(&ctx.config);
    let (feed_id, baseline) = (recording.feed_id, recording.baseline);
    let source = recording.source.to_string();
    let url = article.url.to_string();
    let now = Utc::now();
    let recorded = ctx
        .blocking(move |store| {
            let watches = readings
                .into_iter()
                .filter_map(|(watch_idx, reading)| {
                    let watch = config.watches.get(watch_idx)?;
                    let sinks = watch.sink_names(&config.sinks);
                    Some(WatchReading {
                        watch,
                        reading,
                        sinks,
                    })
                })
                .collect();
            store.record_article(&NewArticle {
                feed_id,
                entry: entry.record(),
                url: &url,
                title: &article.title,
                text: &article.text,
                source: &source,
                published_at: article.published_at,
                fetched_at: now,
                watches,
                baseline,
                revised_at,
            })
        })
        .await?;
    log_recorded(&article.url, &recorded, baseline);
    Ok(recorded)
}

fn log_recorded(url: &Url, recorded: &store::Recorded, baseline: bool) {
    if recorded.duplicate {
        debug!(article = %url, "Article already stored");
    } else if recorded.revision > 0 {
        info!(
            article = %url,
            revision = recorded.revision,
            observations = recorded.n_observations,
            alerts = recorded.n_alerts,
            "Revised article recorded"
        );
    } else {
        info!(
            article = %url,
            observations = recorded.n_observations,
            alerts = recorded.n_alerts,
            baseline,
            "Article recorded"
        );
    }
}

/// An entry's stored fields, owned so they can move to a blocking thread.
pub(super) struct OwnedEntry {
    pub(super) key: String,
    pub(super) url: Option<String>,
    pub(super) title: String,
    pub(super) published_at: Option<DateTime<Utc>>,
    pub(super) hash: Option<String>,
}

impl From<&feed::Entry> for OwnedEntry {
    fn from(entry: &feed::Entry) -> OwnedEntry {
        OwnedEntry {
            key: entry.key.clone(),
            url: entry.link.as_ref().map(Url::to_string),
            title: entry.title.clone(),
            published_at: entry.published,
            hash: Some(entry.fingerprint.clone()),
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
            hash: self.hash.as_deref(),
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

/// The first 8 bytes of the SHA-256 of `text`, in hex (16 digits).
fn short_hash(text: &str) -> String {
    let mut hex = crate::text::sha256_hex(&[text]);
    hex.truncate(16);
    hex
}
