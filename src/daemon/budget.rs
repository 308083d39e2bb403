//! The parse budget: how many bytes of feed bodies are parsed at once.
//!
//! Parsing a feed costs about 15 times its body (feed-rs's model, the
//! repaired text, the entries' text): a feed just under the 8 MiB cap
//! peaks at some 120 MB. Without a budget, every feed in flight could be
//! parsing at once. With it, bodies of at most [`MIN_BUDGET`] bytes in
//! total (or one body at the cap, when `max_body` is larger) are parsed at
//! a time; small feeds still parse side by side.

use tokio::sync::Semaphore;

/// The smallest budget, in bytes.
pub(super) const MIN_BUDGET: u64 = 8 * 1024 * 1024;

/// Permits are KiB of body.
const UNIT: u64 = 1024;

/// A weighted semaphore over the bytes of bodies being parsed.
#[derive(Debug)]
pub(super) struct ParseBudget {
    permits: Semaphore,
    total: u32,
}

impl ParseBudget {
    /// A budget of `max(max_body, MIN_BUDGET)` bytes: one body at the cap
    /// always fits.
    pub(super) fn new(max_body: u64) -> ParseBudget {
        let total = u32::try_from(max_body.max(MIN_BUDGET).div_ceil(UNIT)).unwrap_or(u32::MAX);
        ParseBudget {
            permits: Semaphore::new(usize::try_from(total).unwrap_or(usize::MAX)),
            total,
        }
    }

    /// Runs `parse` on a body of `len` bytes once the budget has room for
    /// it (a body larger than the budget waits for all of it).
    pub(super) async fn run<T>(&self, len: usize, parse: impl FnOnce() -> T) -> T {
        let _permits = self.permits.acquire_many(self.permits_for(len)).await.ok();
        parse()
    }

    fn permits_for(&self, len: usize) -> u32 {
        let kib = u64::try_from(len).unwrap_or(u64::MAX).div_ceil(UNIT).max(1);
        u32::try_from(kib).unwrap_or(u32::MAX).min(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_takes_its_size_and_never_more_than_the_budget() {
        let budget = ParseBudget::new(1024);
        assert_eq!(budget.total, 8 * 1024);
        assert_eq!(budget.permits_for(0), 1);
        assert_eq!(budget.permits_for(10 * 1024), 10);
        assert_eq!(budget.permits_for(100 * 1024 * 1024), 8 * 1024);
        assert_eq!(ParseBudget::new(32 * 1024 * 1024).total, 32 * 1024);
    }

    // Two workers: the first parse blocks one of them until released.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_bodies_at_the_cap_are_not_parsed_at_once() {
        let budget = std::sync::Arc::new(ParseBudget::new(MIN_BUDGET));
        let cap = usize::try_from(MIN_BUDGET).unwrap();
        let (inside_tx, inside_rx) = tokio::sync::oneshot::channel::<()>();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let first = {
            let budget = std::sync::Arc::clone(&budget);
            tokio::spawn(async move {
                budget
                    .run(cap, move || {
                        inside_tx.send(()).unwrap();
                        release_rx.recv().unwrap();
                    })
                    .await;
            })
        };
        inside_rx.await.unwrap();
        // While the first holds the budget, a second full body must wait…
        assert_eq!(budget.permits.available_permits(), 0);
        let second = budget.permits.try_acquire_many(budget.permits_for(cap));
        assert!(second.is_err());
        release_tx.send(()).unwrap();
        first.await.unwrap();
        // …and gets it once the first is done.
        assert!(
            budget
                .permits
                .try_acquire_many(budget.permits_for(cap))
                .is_ok()
        );
    }
}
