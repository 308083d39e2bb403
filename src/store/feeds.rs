//! Feed poll state, leases and seen entries: the types both backends share.

use chrono::{DateTime, Utc};

use crate::fetch::Validators;

/// A feed's poll state as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedState {
    /// Row id.
    pub id: i64,
    /// Feed URL as configured.
    pub url: String,
    /// The feed's own title, once seen.
    pub title: Option<String>,
    /// Validators for the next conditional GET.
    pub validators: Validators,
    /// When the feed is next due; `None` before the first poll.
    pub next_poll_at: Option<DateTime<Utc>>,
    /// Last successful poll.
    pub last_success_at: Option<DateTime<Utc>>,
    /// Whether any poll has succeeded (the baseline is done).
    pub polled_ok: bool,
    /// Consecutive failures.
    pub failures: u32,
    /// Start of the current run of failures.
    pub failing_since: Option<DateTime<Utc>>,
    /// Last error, while failing.
    pub last_error: Option<String>,
    /// Where a permanent redirect points, if one was seen.
    pub moved_to: Option<String>,
    /// The instance holding a lease on the feed, and until when (it may
    /// have expired).
    pub lease: Option<(String, DateTime<Utc>)>,
}

/// What asking for a feed's lease gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Lease {
    /// The lease is ours: poll the feed, then record the poll (which
    /// releases it).
    Granted(Box<FeedState>),
    /// Another instance holds the feed until `until`.
    Held {
        /// The instance holding it.
        owner: String,
        /// When its lease expires.
        until: DateTime<Utc>,
    },
    /// Another instance polled the feed meanwhile: it is next due then.
    NotDue {
        /// When the feed is next due.
        next_poll_at: DateTime<Utc>,
    },
}

/// How a poll ended, as recorded on the feed.
#[derive(Debug, Clone, PartialEq)]
pub enum PollResult {
    /// A feed document was fetched and processed.
    Fetched {
        /// The feed's own title.
        title: Option<String>,
        /// New validators.
        validators: Validators,
        /// Target of a permanent redirect.
        moved_to: Option<String>,
    },
    /// 304 Not Modified.
    NotModified,
    /// The poll failed.
    Failed {
        /// What went wrong, for `figwatch` output and the feed_failing alert.
        error: String,
    },
}

/// What became of a feed entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryStatus {
    /// No watch term in its title or summary.
    Skipped,
    /// Its article did not match any watch.
    Unmatched,
    /// Its article was recorded.
    Matched,
    /// Its article was already stored (same URL or same text).
    Duplicate,
    /// Its article could not be fetched; retried on later polls.
    Failed,
    /// Its link points where figwatch does not fetch; final.
    Refused,
}

impl EntryStatus {
    /// The name stored in `entries.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryStatus::Skipped => "skipped",
            EntryStatus::Unmatched => "unmatched",
            EntryStatus::Matched => "matched",
            EntryStatus::Duplicate => "duplicate",
            EntryStatus::Failed => "failed",
            EntryStatus::Refused => "refused",
        }
    }

    /// Inverse of [`EntryStatus::as_str`].
    pub fn from_name(name: &str) -> Option<EntryStatus> {
        Some(match name {
            "skipped" => EntryStatus::Skipped,
            "unmatched" => EntryStatus::Unmatched,
            "matched" => EntryStatus::Matched,
            "duplicate" => EntryStatus::Duplicate,
            "failed" => EntryStatus::Failed,
            "refused" => EntryStatus::Refused,
            _ => return None,
        })
    }

    /// Whether an entry in this state after `attempts` tries is still to
    /// be worked on: only a failed article fetch, fewer than `max_attempts`
    /// times.
    pub fn is_unfinished(self, attempts: u32, max_attempts: u32) -> bool {
        self == EntryStatus::Failed && attempts < max_attempts
    }
}

/// The parts of a feed entry the store keeps.
#[derive(Debug, Clone, Copy)]
pub struct EntryRecord<'a> {
    /// Stable key within the feed.
    pub key: &'a str,
    /// Link, if any.
    pub url: Option<&'a str>,
    /// Title.
    pub title: &'a str,
    /// Published time from the feed.
    pub published_at: Option<DateTime<Utc>>,
    /// The entry's fingerprint (`feed::Entry::fingerprint`): a change means
    /// the entry was revised. `None` keeps the stored one.
    pub hash: Option<&'a str>,
}

/// A finished entry whose article may be revised: what the store knows of
/// it when the feed lists it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revisit {
    /// The entry's stored fingerprint; `None` for entries stored before
    /// fingerprints were.
    pub hash: Option<String>,
    /// When its article was last fetched.
    pub fetched_at: DateTime<Utc>,
}

/// The alert recording a poll raises: the first feed_failing of a run of
/// failures that has lasted `failing_after`, or the feed_recovered of the
/// first success after one.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum PollAlert {
    /// feed_failing; the feed is marked as alerted.
    Failing(super::FeedFacts),
    /// feed_recovered.
    Recovered(super::FeedFacts),
}

impl PollAlert {
    /// The alert to insert.
    pub(super) fn draft(&self) -> super::AlertDraft<'_> {
        let (kind, facts) = match self {
            PollAlert::Failing(facts) => (super::AlertKind::FeedFailing, facts),
            PollAlert::Recovered(facts) => (super::AlertKind::FeedRecovered, facts),
        };
        super::AlertDraft {
            kind,
            feed: Some(facts),
            ..super::AlertDraft::default()
        }
    }
}

/// What a feed was before a poll was recorded on it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BeforePoll {
    /// Its URL.
    pub(super) url: String,
    /// Start of its run of failures, if failing.
    pub(super) failing_since: Option<DateTime<Utc>>,
    /// Whether that run has raised its feed_failing alert.
    pub(super) failing_alerted: bool,
}

/// The alert recording `result` raises on a feed that was `before` and now
/// counts `failures` consecutive failures, if any.
pub(super) fn poll_alert(
    before: &BeforePoll,
    result: &PollResult,
    failures: u32,
    now: DateTime<Utc>,
    failing_after: std::time::Duration,
) -> Option<PollAlert> {
    match result {
        PollResult::Failed { error } if !before.failing_alerted => {
            let since = before.failing_since.unwrap_or(now);
            let failing_for = (now - since).to_std().unwrap_or_default();
            // Stored as shown: without the URL's credentials.
            (failing_for >= failing_after).then(|| {
                PollAlert::Failing(super::FeedFacts {
                    url: crate::config::redact::url_text(&before.url),
                    failures: Some(failures),
                    failing_since: Some(since),
                    error: Some(crate::config::redact::urls_in(error)),
                })
            })
        }
        PollResult::Fetched { .. } | PollResult::NotModified if before.failing_alerted => {
            Some(PollAlert::Recovered(super::FeedFacts {
                url: crate::config::redact::url_text(&before.url),
                failures: None,
                failing_since: None,
                error: None,
            }))
        }
        _ => None,
    }
}

/// Whether `instance` may lease a feed in `state` at `now`: `None` when it
/// may, else why not. A lease that expired is free again; one the instance
/// holds already is its own to take again.
pub(super) fn decide_lease(
    state: &FeedState,
    instance: &str,
    now: DateTime<Utc>,
    due_only: bool,
) -> Option<Lease> {
    if let Some((owner, until)) = &state.lease
        && owner != instance
        && *until > now
    {
        return Some(Lease::Held {
            owner: owner.clone(),
            until: *until,
        });
    }
    match state.next_poll_at {
        Some(next_poll_at) if due_only && next_poll_at > now => {
            Some(Lease::NotDue { next_poll_at })
        }
        _ => None,
    }
}

/// The lease granted to `instance` until `until` on a feed in `state`.
pub(super) fn granted(state: FeedState, instance: &str, until: DateTime<Utc>) -> Lease {
    Lease::Granted(Box::new(FeedState {
        lease: Some((instance.to_string(), until)),
        ..state
    }))
}
