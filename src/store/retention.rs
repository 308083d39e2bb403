//! Retention: what the store forgets, in small batches, so it stops growing
//! while the daemon polls.
//!
//! Older than the cutoff: entries that led to no article (skipped,
//! unmatched, refused, failed, duplicate) are deleted; articles that no
//! observation or alert refers to are deleted with their matches and
//! mentions; the remaining articles lose their text and mentions but keep
//! their row (URL, title, source, dates), which observations, figure
//! states, history and alerts point to. Observations, figure states,
//! alerts and deliveries are kept forever.
//!
//! An entry deleted while its feed still lists it is seen again as new on
//! the next poll: a skipped one is recorded again, one whose article was
//! fetched is fetched again and stored as the same article (its URL is
//! unique) without a second alert. With the default retention of 90 days
//! that concerns only feeds that list entries for longer.

/// Rows deleted or emptied in one transaction of [`Store::prune`].
pub const PRUNE_BATCH: usize = 500;

/// What one [`Store::prune`] call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Entries deleted.
    pub entries: usize,
    /// Articles deleted.
    pub articles: usize,
    /// Articles whose text and mentions were dropped.
    pub texts: usize,
}

impl Pruned {
    /// Whether the batch was full somewhere, so another call may find more.
    pub fn more(self, batch: usize) -> bool {
        self.entries >= batch || self.articles >= batch || self.texts >= batch
    }
}
