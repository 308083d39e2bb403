//! One job through the pipeline. A feed: fetch → feed → watch prefilter →
//! fetch + article → watch query → figures → store, for its new entries
//! and its revised ones (`entries.rs`, `entry.rs`). A live page: fetch →
//! article → watch query → figures → store, as one article revised
//! whenever its text changes (`page.rs`). Both are leased, fetched with
//! validators and recorded the same way here, in short steps: lease →
//! fetch → read → record the poll → count. Failures are outcomes recorded
//! on the feed or entry and logged with the job's URL; nothing here ends a
//! pass.

mod discover;
mod entries;
mod entry;
mod page;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, info_span, warn};
use url::Url;

use super::Context;
use super::metrics::Metrics;
use super::schedule::{Job, Policy};
#[cfg(test)]
use entries::{Processed, process_entries};

use crate::store::{self, Lease, PollResult};
use crate::{config, fetch};

/// An article link whose fetch failed this many times is given up.
pub const MAX_ARTICLE_ATTEMPTS: u32 = 3;

/// What polling one feed (or page) did.
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
    /// Revisions stored: articles (or the page) read again because they
    /// changed in place.
    pub n_revisions: usize,
    /// Alerts raised.
    pub n_alerts: usize,
    /// When the feed is next due.
    pub next_poll_at: Option<DateTime<Utc>>,
    /// The pass was cancelled before this feed was finished.
    pub cancelled: bool,
    /// Another instance held the feed's lease (its id), so this one left
    /// the feed alone.
    pub leased_elsewhere: Option<String>,
    /// The feed URL answered with an HTML page; this is the feed it links
    /// to, which was polled instead.
    pub discovered: Option<String>,
}

/// Which polls a feed's lease is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    /// Only when the store says the feed is due (`run`: another instance
    /// may have polled it since this one last looked).
    Due,
    /// Now, whenever it was last polled (`once`, SIGUSR1).
    Now,
}

/// Polls one feed or page and processes what is new or revised.
pub(super) async fn poll(
    ctx: Arc<Context>,
    job: Job,
    when: When,
    cancel: CancellationToken,
) -> FeedReport {
    let span = info_span!("feed", url = %crate::config::redact::url(job.url()));
    // The semaphore is never closed, so acquiring cannot fail; if it ever
    // did, running unbounded is the safe fallback.
    let _slot = ctx.feed_slots.acquire().await.ok();
    let _timer = ctx.metrics.pipeline_timer();
    poll_job(&ctx, &job, when, &cancel).instrument(span).await
}

/// Feeds processed at once, fetch to record. Fetches are bounded by the
/// configured `concurrency`, but without this bound a pass over thousands
/// of feeds holds thousands of parsed feeds waiting for the store and grows
/// tokio's blocking pool to hundreds of threads, memory and context
/// switches for nothing: the store is one SQLite connection.
/// (The limit is `Context::feed_slots`: this, or `concurrency` if larger, so
/// it never caps the fetches the config allows.)
pub(super) const FEEDS_AT_ONCE: usize = 64;

/// What reading a fetched body gave.
enum Read {
    /// Read (entries processed, or the page recorded).
    Done {
        /// The feed's own title.
        title: Option<String>,
        /// Validators to store: empty unless everything was finished.
        validators: fetch::Validators,
        /// A permanent redirect's target.
        moved_to: Option<Url>,
        /// The server's interval hints (RSS `ttl`, `max-age`).
        hints: [Option<Duration>; 2],
    },
    /// The body was not what the job needs (not a feed, no feed linked).
    Failed(String),
    /// Cancelled, or the lease lost, before the job was finished.
    Stopped,
}

/// The steps of one poll: lease → fetch → read → record → count.
async fn poll_job(ctx: &Context, job: &Job, when: When, cancel: &CancellationToken) -> FeedReport {
    let mut report = FeedReport {
        url: job.url().to_string(),
        ..FeedReport::default()
    };
    let Some(state) = lease(ctx, job.url(), when, &mut report).await else {
        return report;
    };
    let outcome = fetch_job(ctx, job, &state).await;
    let now = Utc::now();
    let read = read(ctx, job, &state, outcome, cancel, &mut report).await;
    let Some((result, delay)) = read else {
        // The poll is not recorded: the next run (or the instance that
        // holds the lease now) fetches the feed again and finishes it.
        report.cancelled = true;
        ctx.release(state.id).await;
        return report;
    };
    let next_poll_at = now + to_chrono(delay);
    record_poll(ctx, state.id, result, now, next_poll_at, &mut report).await;
    count(&ctx.metrics, &report, now);
    ctx.outbox_ready.notify_one();
    report
}

/// What the fetch gave, read by the job, as the poll to record and the
/// delay to the next; `None` when the job stopped before it was done.
async fn read(
    ctx: &Context,
    job: &Job,
    state: &store::FeedState,
    outcome: fetch::Outcome,
    cancel: &CancellationToken,
    report: &mut FeedReport,
) -> Option<(PollResult, Duration)> {
    let policy = Policy::for_interval(&ctx.config.daemon, job.as_ref().interval());
    let response = match outcome {
        fetch::Outcome::NotModified => {
            debug!("Feed not modified");
            report.not_modified = true;
            return Some((PollResult::NotModified, policy.after_success(&[])));
        }
        fetch::Outcome::Failed(err) => return Some(fetch_failed(&policy, state, err, report)),
        fetch::Outcome::Fetched(response) => response,
    };
    let read = match job {
        Job::Feed(feed) => entries::read_feed(ctx, feed, state, response, cancel, report).await,
        Job::Page(page) => page::read_page(ctx, page, state, response, report).await,
    };
    match read {
        Read::Done {
            title,
            validators,
            moved_to,
            hints,
        } => {
            let moved_to = moved_to.as_ref().map(Url::to_string);
            let result = PollResult::Fetched {
                title,
                validators,
                moved_to,
            };
            Some((result, policy.after_success(&hints)))
        }
        Read::Failed(error) => {
            report.error = Some(error.clone());
            let delay = policy.after_failure(state.failures + 1, None);
            Some((PollResult::Failed { error }, delay))
        }
        Read::Stopped => None,
    }
}

/// Takes the job's lease, or says in `report` why not.
async fn lease(
    ctx: &Context,
    url: &Url,
    when: When,
    report: &mut FeedReport,
) -> Option<store::FeedState> {
    let url = url.to_string();
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
    match leased {
        Ok(Lease::Granted(state)) => Some(*state),
        Ok(Lease::Held { owner, until }) => {
            debug!(owner = %owner, until = %until, "Feed leased by another instance");
            report.leased_elsewhere = Some(owner);
            report.next_poll_at = Some(until);
            None
        }
        Ok(Lease::NotDue { next_poll_at }) => {
            debug!(next_poll_at = %next_poll_at, "Feed polled by another instance meanwhile");
            report.next_poll_at = Some(next_poll_at);
            None
        }
        Err(err) => {
            tracing::error!(error = %err, "Cannot read feed state");
            report.error = Some(err.to_string());
            None
        }
    }
}

/// The conditional GET of the job's URL, within the politeness limits.
async fn fetch_job(ctx: &Context, job: &Job, state: &store::FeedState) -> fetch::Outcome {
    let target = match job {
        Job::Feed(feed) => fetch::Target::Feed {
            allow_private: feed.private_origin_allowed(),
            allow_private_redirects: feed.allow_private,
        },
        Job::Page(page) => fetch::Target::Feed {
            allow_private: page.private_origin_allowed(),
            allow_private_redirects: page.allow_private,
        },
    };
    let outcome = {
        let _permit = ctx.limits.acquire(job.url()).await;
        let _timer = ctx.metrics.poll_timer();
        ctx.client.get(job.url(), &state.validators, target).await
    };
    ctx.metrics.fetched(&target, &outcome);
    outcome
}

/// A failed fetch: logged, reported, and backed off from.
fn fetch_failed(
    policy: &Policy,
    state: &store::FeedState,
    err: fetch::Error,
    report: &mut FeedReport,
) -> (PollResult, Duration) {
    let retry_after = match &err {
        fetch::Error::Status { retry_after, .. } => *retry_after,
        _ => None,
    };
    let error = err.to_string();
    warn!(error = %error, "Feed fetch failed");
    report.error = Some(error.clone());
    let delay = policy.after_failure(state.failures + 1, retry_after);
    (PollResult::Failed { error }, delay)
}

/// Records how the poll ended (which releases the lease).
async fn record_poll(
    ctx: &Context,
    feed_id: i64,
    result: PollResult,
    now: DateTime<Utc>,
    next_poll_at: DateTime<Utc>,
    report: &mut FeedReport,
) {
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
}

/// Adds one finished poll to the counters of `/metrics`.
fn count(metrics: &Metrics, report: &FeedReport, now: DateTime<Utc>) {
    metrics.feed_polled();
    metrics.entries_seen(report.n_new_entries);
    metrics.articles_matched(report.n_articles);
    metrics.revisions(report.n_revisions);
    metrics.alerts_raised(report.n_alerts);
    if report.error.is_some() {
        metrics.feed_failed();
    } else {
        metrics.poll_succeeded(now);
        if report.not_modified {
            metrics.feed_not_modified();
        }
    }
}

/// The name alerts give a feed's articles: configured, else the feed's
/// title, else the stored one, else the host.
fn source_name(feed: &config::Feed, title: Option<&str>, state: &store::FeedState) -> String {
    feed.name
        .clone()
        .or_else(|| title.filter(|t| !t.trim().is_empty()).map(str::to_string))
        .or_else(|| state.title.clone())
        .unwrap_or_else(|| feed.url.host_str().unwrap_or("").to_string())
}

fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

#[cfg(test)]
mod tests;
