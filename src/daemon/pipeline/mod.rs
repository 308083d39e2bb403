//! One feed through the pipeline: fetch → feed → watch prefilter → fetch +
//! article → watch query → figures → store. Failures are outcomes recorded
//! on the feed or entry and logged with the feed's URL; nothing here ends a
//! pass.

mod entry;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, info_span, warn};
use url::Url;

use super::Context;
use super::schedule::Policy;
use super::status::{FetchTarget, Metrics};
use entry::{EntryOutcome, OwnedEntry, entry_text, process_entry};

use crate::store::{self, EntryRecord, EntryStatus, Lease, PollResult};
use crate::{config, feed, fetch};

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
    /// Another instance held the feed's lease (its id), so this one left
    /// the feed alone.
    pub leased_elsewhere: Option<String>,
}

/// Which polls a feed's lease is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    /// Only when the store says the feed is due (`run`: another instance
    /// may have polled it since this one last looked).
    Due,
    /// Now, whenever it was last polled (`once`).
    Now,
}

/// Polls one feed and processes its new entries.
pub(super) async fn poll_feed(
    ctx: Arc<Context>,
    feed: config::Feed,
    when: When,
    cancel: CancellationToken,
) -> FeedReport {
    let span = info_span!("feed", url = %crate::config::redact::url(&feed.url));
    // The semaphore is never closed, so acquiring cannot fail; if it ever
    // did, running unbounded is the safe fallback.
    let _slot = ctx.feed_slots.acquire().await.ok();
    let _timer = ctx.metrics.pipeline_timer();
    poll_feed_inner(&ctx, &feed, when, &cancel)
        .instrument(span)
        .await
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
    when: When,
    cancel: &CancellationToken,
) -> FeedReport {
    let mut report = FeedReport {
        url: feed.url.to_string(),
        ..FeedReport::default()
    };
    let policy = Policy::for_feed(&ctx.config.daemon, feed);
    let url = feed.url.to_string();
    let lease_for = ctx.lease_for();
    let leased = ctx
        .blocking(move |store| {
            let now = Utc::now();
            store.lease_feed(
                &url,
                store.instance(),
                now,
                now + lease_for,
                when == When::Due,
            )
        })
        .await;
    let state = match leased {
        Ok(Lease::Granted(state)) => *state,
        Ok(Lease::Held { owner, until }) => {
            debug!(owner = %owner, until = %until, "Feed leased by another instance");
            report.leased_elsewhere = Some(owner);
            report.next_poll_at = Some(until);
            return report;
        }
        Ok(Lease::NotDue { next_poll_at }) => {
            debug!(next_poll_at = %next_poll_at, "Feed polled by another instance meanwhile");
            report.next_poll_at = Some(next_poll_at);
            return report;
        }
        Err(err) => {
            tracing::error!(error = %err, "Cannot read feed state");
            report.error = Some(err.to_string());
            return report;
        }
    };
    let feed_id = state.id;

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
                    if processed == Processed::Cancelled || processed == Processed::LeaseLost {
                        // The poll is not recorded: the next run (or the
                        // instance that holds the lease now) fetches the feed
                        // again and finishes its entries.
                        report.cancelled = true;
                        ctx.release(feed_id).await;
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
    let recorded = ctx
        .blocking(move |store| {
            let sinks: Vec<&str> = all_sinks.iter().map(String::as_str).collect();
            store.record_poll(
                feed_id,
                &result,
                now,
                next_poll_at,
                failing_after,
                &sinks,
                store.instance(),
            )
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
    /// The feed's lease ran out and another instance took it.
    LeaseLost,
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
                store.record_entries(feed_id, &records, EntryStatus::Skipped, now)
            })
            .await;
        if let Err(err) = recorded {
            tracing::error!(error = %err, "Cannot record skipped entries");
            processed = Processed::SomeFailed;
        }
    }
    let lease_for = ctx.lease_for();
    for entry in candidates {
        if cancel.is_cancelled() {
            return Processed::Cancelled;
        }
        // Each article may take a fetch timeout: the lease is extended
        // before each, and given up on when another instance has it now.
        let renewed = ctx
            .blocking(move |store| {
                store.renew_lease(feed_id, store.instance(), Utc::now() + lease_for)
            })
            .await;
        match renewed {
            Ok(true) => {}
            Ok(false) => {
                warn!("Feed lease lost to another instance; leaving the feed to it");
                return Processed::LeaseLost;
            }
            Err(err) => {
                tracing::error!(error = %err, "Cannot renew the feed lease");
                return Processed::SomeFailed;
            }
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

#[cfg(test)]
mod tests;
