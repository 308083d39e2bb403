//! One feed through the pipeline: fetch → feed → watch prefilter → fetch +
//! article → watch query → figures → store. Failures are outcomes recorded
//! on the feed or entry and logged with the feed's URL; nothing here ends a
//! pass.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, info, info_span, warn};
use url::Url;

use super::Context;
use super::schedule::Policy;
use super::status::{FetchTarget, Metrics};
use crate::store::{self, EntryRecord, NewArticle, PollResult, WatchReading};
use crate::{article, config, feed, fetch, figures};

/// An article link whose fetch failed this many times is given up.
pub const MAX_ARTICLE_ATTEMPTS: u32 = 3;

/// What polling one feed did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedReport {
    /// Feed URL.
    pub url: String,
    /// Why the poll failed, if it did.
    pub error: Option<String>,
    /// Whether the server answered 304.
    pub not_modified: bool,
    /// Entries not seen before.
    pub n_new_entries: usize,
    /// Articles stored (matched and not duplicates).
    pub n_articles: usize,
    /// Alerts raised.
    pub n_alerts: usize,
    /// When the feed is next due.
    pub next_poll_at: Option<DateTime<Utc>>,
    /// The pass was cancelled before this feed was finished.
    pub cancelled: bool,
}

/// Polls one feed and processes its new entries.
pub(super) async fn poll_feed(
    ctx: Arc<Context>,
    feed: config::Feed,
    cancel: CancellationToken,
) -> FeedReport {
    let span = info_span!("feed", url = %crate::config::redact::url(&feed.url));
    // The semaphore is never closed, so acquiring cannot fail; if it ever
    // did, running unbounded is the safe fallback.
    let _slot = ctx.feed_slots.acquire().await.ok();
    let _timer = ctx.metrics.pipeline_timer();
    poll_feed_inner(&ctx, &feed, &cancel).instrument(span).await
}

/// Feeds processed at once, fetch to record. Fetches are bounded by the
/// configured `concurrency`, but without this bound a pass over thousands
/// of feeds holds thousands of parsed feeds waiting for the store and grows
/// tokio's blocking pool to hundreds of threads, memory and context
/// switches for nothing: the store is one SQLite connection.
/// (The limit is `Context::feed_slots`: this, or `concurrency` if larger, so
/// it never caps the fetches the config allows.)
pub(super) const FEEDS_AT_ONCE: usize = 64;

async fn poll_feed_inner(
    ctx: &Context,
    feed: &config::Feed,
    cancel: &CancellationToken,
) -> FeedReport {
    let mut report = FeedReport {
        url: feed.url.to_string(),
        ..FeedReport::default()
    };
    let policy = Policy::for_feed(&ctx.config.daemon, feed);
    let url = feed.url.to_string();
    let state = match ctx.blocking(move |store| store.feed(&url)).await {
        Ok(state) => state,
        Err(err) => {
            tracing::error!(error = %err, "Cannot read feed state");
            report.error = Some(err.to_string());
            return report;
        }
    };

    let outcome = {
        let _permit = ctx.limits.acquire(&feed.url).await;
        let _timer = ctx.metrics.poll_timer();
        ctx.client
            .get(
                &feed.url,
                &state.validators,
                fetch::Target::Feed {
                    allow_private: feed.private_origin_allowed(),
                    allow_private_redirects: feed.allow_private,
                },
            )
            .await
    };
    ctx.metrics.record_fetch(FetchTarget::Feed, &outcome);
    let now = Utc::now();
    let (result, delay) = match outcome {
        fetch::Outcome::NotModified => {
            debug!("Feed not modified");
            report.not_modified = true;
            (PollResult::NotModified, policy.after_success(&[]))
        }
        fetch::Outcome::Failed(err) => {
            let retry_after = match &err {
                fetch::Error::Status { retry_after, .. } => *retry_after,
                _ => None,
            };
            let error = err.to_string();
            warn!(error = %error, "Feed fetch failed");
            report.error = Some(error.clone());
            (
                PollResult::Failed { error },
                policy.after_failure(state.failures + 1, retry_after),
            )
        }
        fetch::Outcome::Fetched(response) => {
            let fetch::Response {
                url: final_url,
                moved_to,
                content_type,
                body,
                validators,
                max_age,
            } = response;
            let parsed = feed::parse(&body, content_type.as_deref(), &final_url);
            // The body is not needed while the entries are processed (which
            // may take long: article fetches), so it does not stay in memory
            // for up to 64 feeds at once.
            drop(body);
            match parsed {
                Err(err) => {
                    ctx.metrics.record_fetch_error(FetchTarget::Feed, "parse");
                    let error = format!("{}: {err}", crate::config::redact::url(&feed.url));
                    warn!(error = %err, "Feed parse failed");
                    report.error = Some(error.clone());
                    (
                        PollResult::Failed { error },
                        policy.after_failure(state.failures + 1, None),
                    )
                }
                Ok(parsed) => {
                    if let Some(moved_to) = &moved_to
                        && state.moved_to.as_deref() != Some(moved_to.as_str())
                    {
                        warn!(
                            moved_to = %moved_to,
                            "Feed moved permanently; update its url in the config"
                        );
                    }
                    let source = source_name(feed, &parsed, &state);
                    let processed =
                        process_entries(ctx, feed, &state, &parsed, &source, cancel, &mut report)
                            .await;
                    if processed == Processed::Cancelled {
                        // The poll is not recorded: the next run fetches the
                        // feed again and finishes its entries.
                        report.cancelled = true;
                        return report;
                    }
                    // Validators are kept only when every entry is done, so
                    // an entry whose article failed is retried on the next
                    // poll instead of hiding behind a 304.
                    let validators = if processed == Processed::All {
                        validators
                    } else {
                        fetch::Validators::default()
                    };
                    (
                        PollResult::Fetched {
                            title: parsed.title.clone(),
                            validators,
                            moved_to: moved_to.as_ref().map(Url::to_string),
                        },
                        policy.after_success(&[parsed.ttl, max_age]),
                    )
                }
            }
        }
    };
    let next_poll_at = now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX);
    report.next_poll_at = Some(next_poll_at);
    let failing_after = ctx.config.daemon.failing_after;
    let all_sinks: Vec<String> = ctx.config.sinks.iter().map(|s| s.name.clone()).collect();
    let feed_id = state.id;
    let recorded = ctx
        .blocking(move |store| {
            let sinks: Vec<&str> = all_sinks.iter().map(String::as_str).collect();
            store.record_poll(feed_id, &result, now, next_poll_at, failing_after, &sinks)
        })
        .await;
    if let Err(err) = recorded {
        tracing::error!(error = %err, "Cannot record poll");
    }
    let metrics = &ctx.metrics;
    Metrics::add(&metrics.feeds_polled, 1);
    Metrics::add(&metrics.entries_seen, report.n_new_entries);
    Metrics::add(&metrics.articles_matched, report.n_articles);
    Metrics::add(&metrics.alerts, report.n_alerts);
    if report.error.is_some() {
        Metrics::add(&metrics.feed_errors, 1);
    } else {
        metrics.poll_succeeded(now);
        if report.not_modified {
            Metrics::add(&metrics.feeds_not_modified, 1);
        }
    }
    ctx.outbox_ready.notify_one();
    report
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Processed {
    /// Every new entry was finished.
    All,
    /// Some article fetches failed; they are retried on a later poll.
    SomeFailed,
    /// Shutdown was requested between entries.
    Cancelled,
}

fn source_name(feed: &config::Feed, parsed: &feed::Feed, state: &store::FeedState) -> String {
    feed.name
        .clone()
        .or_else(|| parsed.title.clone().filter(|t| !t.trim().is_empty()))
        .or_else(|| state.title.clone())
        .unwrap_or_else(|| feed.url.host_str().unwrap_or("").to_string())
}

async fn process_entries(
    ctx: &Context,
    feed: &config::Feed,
    state: &store::FeedState,
    parsed: &feed::Feed,
    source: &str,
    cancel: &CancellationToken,
    report: &mut FeedReport,
) -> Processed {
    let keys: Vec<String> = parsed.entries.iter().map(|e| e.key.clone()).collect();
    let feed_id = state.id;
    let unseen = match ctx
        .blocking(move |store| {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            store.unseen_entries(feed_id, &keys, MAX_ARTICLE_ATTEMPTS)
        })
        .await
    {
        Ok(unseen) => unseen,
        Err(err) => {
            tracing::error!(error = %err, "Cannot read seen entries");
            return Processed::SomeFailed;
        }
    };
    // A feed never polled successfully is the baseline: its figures are
    // recorded without alerting.
    let baseline = ctx.config.daemon.baseline && !state.polled_ok;
    // Article links may point into private networks only when the config
    // says so: what the feed's host resolves to decides nothing, since its
    // owner can add a private address to its answer.
    let allow_private = feed.private_articles_allowed(&ctx.config.daemon);
    let mut processed = Processed::All;
    // Oldest first (feeds list newest first), so entries without dates are
    // ordered as the feed orders them.
    let new_entries: Vec<&feed::Entry> = parsed
        .entries
        .iter()
        .zip(unseen)
        .rev()
        .filter_map(|(entry, unseen)| unseen.then_some(entry))
        .collect();
    report.n_new_entries += new_entries.len();
    // Most entries mention no watched term: they are recorded together, in
    // one transaction, rather than one blocking call each.
    let (candidates, skipped): (Vec<&feed::Entry>, Vec<&feed::Entry>) = new_entries
        .into_iter()
        .partition(|entry| !ctx.matcher.prefilter(&entry_text(entry)).is_empty());
    if !skipped.is_empty() {
        let skipped: Vec<OwnedEntry> = skipped.into_iter().map(OwnedEntry::from).collect();
        let now = Utc::now();
        let recorded = ctx
            .blocking(move |store| {
                let records: Vec<EntryRecord<'_>> =
                    skipped.iter().map(OwnedEntry::record).collect();
                store.record_entries(feed_id, &records, "skipped", now)
            })
            .await;
        if let Err(err) = recorded {
            tracing::error!(error = %err, "Cannot record skipped entries");
            processed = Processed::SomeFailed;
        }
    }
    for entry in candidates {
        if cancel.is_cancelled() {
            return Processed::Cancelled;
        }
        match process_entry(ctx, feed, feed_id, entry, source, baseline, allow_private).await {
            Ok(EntryOutcome::Recorded(recorded)) => {
                if !recorded.duplicate {
                    report.n_articles += 1;
                }
                report.n_alerts += recorded.n_alerts;
                if recorded.n_alerts > 0 {
                    ctx.outbox_ready.notify_one();
                }
            }
            Ok(EntryOutcome::Skipped) => {}
            Ok(EntryOutcome::Failed) => processed = Processed::SomeFailed,
            Err(err) => {
                tracing::error!(error = %err, entry = %entry.key, "Cannot record entry");
                processed = Processed::SomeFailed;
            }
        }
    }
    processed
}

enum EntryOutcome {
    Recorded(store::Recorded),
    Skipped,
    Failed,
}

/// What the prefilter looks at: the entry's title and summary.
fn entry_text(entry: &feed::Entry) -> String {
    format!("{}\n{}", entry.title, entry.summary)
}

/// One entry that passed the prefilter: its article fetched, extracted,
/// matched, read and stored.
async fn process_entry(
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
                            ("refused", err.to_string())
                        }
                        fetch::Outcome::Failed(err) => ("failed", err.to_string()),
                        _ => ("failed", format!("{link}: unexpected 304 Not Modified")),
                    };
                    if status == "refused" {
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
                    return Ok(if status == "refused" {
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
            store.record_entry(feed_id, &owned_entry.record(), "unmatched", None, now)
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
struct OwnedEntry {
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
    fn record(&self) -> EntryRecord<'_> {
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
fn canonical(page_url: &Url, declared: Option<&Url>) -> Url {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_canonical(page: &str, declared: Option<&str>, expected: &str) {
        let page = Url::parse(page).unwrap();
        let declared = declared.map(|d| Url::parse(d).unwrap());
        assert_eq!(canonical(&page, declared.as_ref()).as_str(), expected);
    }

    #[test]
    fn canonical_link_on_same_site_is_used() {
        check_canonical(
            "https://news.example/a?id=1",
            Some("https://www.news.example/story/1"),
            "https://www.news.example/story/1",
        );
    }

    #[test]
    fn canonical_link_to_another_site_is_ignored() {
        check_canonical(
            "https://news.example/story/1",
            Some("https://other.example/story/9"),
            "https://news.example/story/1",
        );
    }
}

#[cfg(test)]
mod refusal_tests {
    use super::*;
    use crate::store::Store;

    /// A feed on a public address (a literal, so nothing is resolved)
    /// whose matching entry links into a private network.
    const FEED_URL: &str = "http://93.184.215.14/feed.xml";
    const FEED: &str = r#"<rss version="2.0"><channel><title>Public</title>
        <item><title>North Korea sent Russia more than 200 artillery pieces</title>
        <link>http://10.1.2.3/admin/story.html</link><guid>private-link</guid></item>
        </channel></rss>"#;

    fn context(dir: &std::path::Path) -> Context {
        let toml = format!(
            "[daemon]\ndatabase = \"t.db\"\n\n[[feed]]\nurl = \"{FEED_URL}\"\n\n\
             [watch.nk]\nquery = '\"North Korea\" AND Russia'\n\
             [watch.nk.figure.artillery]\nterms = [\"artillery\"]\n\n[sink.journal]\ntype = \"log\"\n"
        );
        let config = config::Config::parse(&toml, &dir.join("figwatch.toml")).unwrap();
        let store = Store::open(&config.daemon.database).unwrap();
        Context::new(
            config,
            store,
            tokio_util::task::TaskTracker::new(),
            Arc::default(),
            Arc::default(),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn refused_article_is_recorded_as_refused_and_not_retried() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(dir.path());
        let feed = ctx.config.feeds[0].clone();
        let parsed = feed::parse(FEED.as_bytes(), Some("application/rss+xml"), &feed.url).unwrap();
        let cancel = CancellationToken::new();
        let url = feed.url.to_string();
        let state = ctx.store.feed(&url).unwrap();

        let mut report = FeedReport::default();
        let processed =
            process_entries(&ctx, &feed, &state, &parsed, "Public", &cancel, &mut report).await;
        // Final, so the feed's validators may be stored.
        assert_eq!(processed, Processed::All);
        assert_eq!(report.n_new_entries, 1);
        assert_eq!(report.n_articles, 0);
        let conn = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
        let (status, error): (String, String) = conn
            .query_row("SELECT status, error FROM entries", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap();
        assert_eq!(status, "refused");
        assert!(error.contains("10.1.2.3 is a private address"), "{error}");

        let mut again = FeedReport::default();
        process_entries(&ctx, &feed, &state, &parsed, "Public", &cancel, &mut again).await;
        assert_eq!(again.n_new_entries, 0, "a refused link is never retried");
        let attempts: u32 = conn
            .query_row("SELECT attempts FROM entries", [], |row| row.get(0))
            .unwrap();
        assert_eq!(attempts, 1);
    }
}
