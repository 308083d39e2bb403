//! A fetched feed document: parsed (or, when it is an HTML page, the feed
//! it links to fetched and parsed instead), its entries sorted into new,
//! revised and unchanged, the new ones prefiltered, and each candidate's
//! article read (`entry.rs`).
//!
//! A revised entry is one the store finished with an article whose
//! fingerprint (updated date, title, summary, content) changed. Its article
//! is fetched again at most once per the feed's `revisit`: a feed that
//! rewrites every entry on every poll costs one fetch per entry per
//! interval, not one per poll. A revision put off for that reason keeps the
//! feed's validators unstored, so the next poll sees the entry again
//! instead of a 304.

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;
use tracing::warn;

use super::entry::{EntryJob, EntryOutcome, OwnedEntry, Recording, entry_text, process_entry};
use super::{FeedReport, MAX_ARTICLE_ATTEMPTS, Read, discover, source_name};
use crate::daemon::Context;
use crate::daemon::schedule::to_chrono;
use crate::store::{self, EntryRecord, EntryStatus, Revisit};
use crate::{config, feed, fetch};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Processed {
    /// Every new entry was finished.
    All,
    /// Some article fetches failed (or revisits were put off); they are
    /// retried on a later poll.
    SomeFailed,
    /// Shutdown was requested between entries.
    Cancelled,
    /// The feed's lease ran out and another instance took it.
    LeaseLost,
}

/// Reads a fetched feed body: parse (or discover), then its entries.
pub(super) async fn read_feed(
    ctx: &Context,
    feed: &config::Feed,
    state: &store::FeedState,
    response: fetch::Response,
    cancel: &CancellationToken,
    report: &mut FeedReport,
) -> Read {
    let parsed = feed::parse(
        &response.body,
        response.content_type.as_deref(),
        &response.url,
    );
    let (parsed, validators) = match parsed {
        Ok(parsed) => (parsed, response.validators),
        Err(feed::Error::Html) => {
            match discover::linked_feed(ctx, feed, &response.body, &response.url, report).await {
                // The page's validators say nothing of the linked feed's.
                Ok(parsed) => (parsed, fetch::Validators::default()),
                Err(error) => return Read::Failed(error),
            }
        }
        Err(err) => {
            ctx.metrics.feed_unparsable();
            warn!(error = %err, "Feed parse failed");
            return Read::Failed(format!("{}: {err}", config::redact::url(&feed.url)));
        }
    };
    // The body is not needed while the entries are processed (which may
    // take long: article fetches), so it does not stay in memory for up to
    // 64 feeds at once.
    drop(response.body);
    let moved_to = response.moved_to;
    if let Some(moved_to) = &moved_to
        && state.moved_to.as_deref() != Some(moved_to.as_str())
    {
        warn!(moved_to = %moved_to, "Feed moved permanently; update its url in the config");
    }
    let source = source_name(feed, parsed.title.as_deref(), state);
    let processed = process_entries(ctx, feed, state, &parsed, &source, cancel, report).await;
    match processed {
        Processed::Cancelled | Processed::LeaseLost => Read::Stopped,
        // Validators are kept only when every entry is done, so an entry
        // whose article failed is retried on the next poll instead of
        // hiding behind a 304.
        Processed::All | Processed::SomeFailed => Read::Done {
            title: parsed.title.clone(),
            validators: if processed == Processed::All {
                validators
            } else {
                fetch::Validators::default()
            },
            moved_to,
            hints: [parsed.ttl, response.max_age],
        },
    }
}

/// A feed's entries sorted by what is to be done with them.
struct Sorted<'a> {
    /// Not seen before (or failed and retried): oldest first.
    new: Vec<&'a feed::Entry>,
    /// Finished with an article, changed since, due for a revisit.
    revised: Vec<&'a feed::Entry>,
    /// Changed, but revisited less than `revisit` ago.
    put_off: usize,
}

/// Sorts `parsed`'s entries with what the store knows of them.
async fn sort_entries<'a>(
    ctx: &Context,
    feed: &config::Feed,
    feed_id: i64,
    parsed: &'a feed::Feed,
) -> Result<Sorted<'a>, store::Error> {
    let keys: Vec<String> = parsed.entries.iter().map(|e| e.key.clone()).collect();
    let (unseen, revisits) = ctx
        .blocking(move |store| {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            let unseen = store.unseen_entries(feed_id, &keys, MAX_ARTICLE_ATTEMPTS)?;
            // Only entries seen before can be revised: a feed full of new
            // entries (a first poll) costs no second look-up.
            let seen: Vec<&str> = keys
                .iter()
                .zip(&unseen)
                .filter_map(|(key, unseen)| (!unseen).then_some(*key))
                .collect();
            let mut found = if seen.is_empty() {
                Vec::new()
            } else {
                store.revisits(feed_id, &seen)?
            }
            .into_iter();
            let revisits: Vec<Option<Revisit>> = unseen
                .iter()
                .map(|unseen| {
                    if *unseen {
                        None
                    } else {
                        found.next().flatten()
                    }
                })
                .collect();
            Ok((unseen, revisits))
        })
        .await?;
    let now = Utc::now();
    let mut sorted = Sorted {
        new: Vec::new(),
        revised: Vec::new(),
        put_off: 0,
    };
    // Oldest first (feeds list newest first), so entries without dates are
    // ordered as the feed orders them.
    for ((entry, unseen), revisit) in parsed.entries.iter().zip(unseen).zip(revisits).rev() {
        if unseen {
            sorted.new.push(entry);
        } else if let Some(revisit) = revisit
            && revisit.hash.as_deref() != Some(entry.fingerprint.as_str())
        {
            if revisit_due(&revisit, feed.revisit, now) {
                sorted.revised.push(entry);
            } else {
                sorted.put_off += 1;
            }
        }
    }
    Ok(sorted)
}

/// Whether an article last fetched as `revisit` says may be fetched again.
fn revisit_due(revisit: &Revisit, interval: std::time::Duration, now: DateTime<Utc>) -> bool {
    revisit.fetched_at + to_chrono(interval) <= now
}

pub(super) async fn process_entries(
    ctx: &Context,
    feed: &config::Feed,
    state: &store::FeedState,
    parsed: &feed::Feed,
    source: &str,
    cancel: &CancellationToken,
    report: &mut FeedReport,
) -> Processed {
    let sorted = match sort_entries(ctx, feed, state.id, parsed).await {
        Ok(sorted) => sorted,
        Err(err) => {
            tracing::error!(error = %err, "Cannot read seen entries");
            return Processed::SomeFailed;
        }
    };
    let mut processed = if sorted.put_off > 0 {
        tracing::debug!(entries = sorted.put_off, revisit = ?feed.revisit, "Revised entries put off until their revisit");
        Processed::SomeFailed
    } else {
        Processed::All
    };
    report.n_new_entries += sorted.new.len();
    // Most entries mention no watched term: they are recorded together, in
    // one transaction, rather than one blocking call each.
    let (candidates, skipped): (Vec<&feed::Entry>, Vec<&feed::Entry>) = sorted
        .new
        .into_iter()
        .partition(|entry| !ctx.matcher.prefilter(&entry_text(entry)).is_empty());
    if !record_skipped(ctx, state.id, skipped).await {
        processed = Processed::SomeFailed;
    }
    let job = EntryJob {
        feed,
        recording: Recording {
            feed_id: state.id,
            source,
            // A feed never polled successfully is the baseline: its
            // figures are recorded without alerting.
            baseline: ctx.config.daemon.baseline && !state.polled_ok,
        },
        // Article links may point into private networks only when the
        // config says so: what the feed's host resolves to decides
        // nothing, since its owner can add a private address to its answer.
        allow_private: feed.private_articles_allowed(&ctx.config.daemon),
    };
    let new = candidates.into_iter().map(|entry| (entry, false));
    let revised = sorted.revised.into_iter().map(|entry| (entry, true));
    for (entry, revision) in new.chain(revised) {
        if cancel.is_cancelled() {
            return Processed::Cancelled;
        }
        match renew_lease(ctx, state.id).await {
            Processed::All => {}
            stop => return stop,
        }
        let outcome = process_entry(ctx, &job, entry, revision).await;
        if !tally(ctx, entry, outcome, report) {
            processed = Processed::SomeFailed;
        }
    }
    processed
}

/// Records entries the prefilter skipped, in one transaction; whether it
/// worked.
async fn record_skipped(ctx: &Context, feed_id: i64, skipped: Vec<&feed::Entry>) -> bool {
    if skipped.is_empty() {
        return true;
    }
    let skipped: Vec<OwnedEntry> = skipped.into_iter().map(OwnedEntry::from).collect();
    let now = Utc::now();
    let recorded = ctx
        .blocking(move |store| {
            let records: Vec<EntryRecord<'_>> = skipped.iter().map(OwnedEntry::record).collect();
            store.record_entries(feed_id, &records, EntryStatus::Skipped, now)
        })
        .await;
    if let Err(err) = &recorded {
        tracing::error!(error = %err, "Cannot record skipped entries");
    }
    recorded.is_ok()
}

/// Each article may take a fetch timeout: the lease is extended before
/// each, and given up on when another instance has it now.
async fn renew_lease(ctx: &Context, feed_id: i64) -> Processed {
    let lease_for = ctx.lease_for();
    let renewed = ctx
        .blocking(move |store| store.renew_lease(feed_id, store.instance(), Utc::now() + lease_for))
        .await;
    match renewed {
        Ok(true) => Processed::All,
        Ok(false) => {
            warn!("Feed lease lost to another instance; leaving the feed to it");
            Processed::LeaseLost
        }
        Err(err) => {
            tracing::error!(error = %err, "Cannot renew the feed lease");
            Processed::SomeFailed
        }
    }
}

/// Adds one entry's outcome to `report`; whether the entry is finished.
fn tally(
    ctx: &Context,
    entry: &feed::Entry,
    outcome: Result<EntryOutcome, store::Error>,
    report: &mut FeedReport,
) -> bool {
    match outcome {
        Ok(EntryOutcome::Recorded(recorded)) => {
            if recorded.revision > 0 {
                report.n_revisions += 1;
            } else if !recorded.duplicate {
                report.n_articles += 1;
            }
            report.n_alerts += recorded.n_alerts;
            if recorded.n_alerts > 0 {
                ctx.outbox_ready.notify_one();
            }
            true
        }
        Ok(EntryOutcome::Skipped) => true,
        Ok(EntryOutcome::Failed) => false,
        Err(err) => {
            tracing::error!(error = %err, entry = %entry.key, "Cannot record entry");
            false
        }
    }
}
