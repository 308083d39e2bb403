//! When a feed is next due: its interval, the server's hints, backoff after
//! failures, and jitter so feeds do not fire together.

use std::time::Duration;

use crate::config;

/// Poll interval bounds and defaults, from `[daemon]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// The feed's configured interval (or the daemon default).
    pub interval: Duration,
    /// Shortest interval a server hint may ask for.
    pub min_interval: Duration,
    /// Longest interval hints and backoff may stretch to.
    pub max_interval: Duration,
}

/// Fraction of an interval added or removed at random.
const JITTER: f64 = 0.1;
/// First retry after a failure, doubled per consecutive failure.
const FIRST_BACKOFF: Duration = Duration::from_secs(60);

/// A feed's lease lasts this many fetch timeouts (`daemon.timeout`): long
/// enough for the feed's fetch and one article's, renewed before each
/// further article.
pub const LEASE_TIMEOUTS: u32 = 4;

/// How long a feed's lease lasts for a fetch timeout of `timeout`.
pub fn lease_for(timeout: Duration) -> Duration {
    timeout.saturating_mul(LEASE_TIMEOUTS)
}

impl Policy {
    /// The policy for one feed.
    pub fn for_feed(daemon: &config::Daemon, feed: &config::Feed) -> Policy {
        Policy {
            interval: feed.interval.unwrap_or(daemon.poll_interval),
            min_interval: daemon.min_interval,
            max_interval: daemon.max_interval.max(daemon.min_interval),
        }
    }

    /// Delay after a successful poll. Hints (RSS `ttl`, `Cache-Control:
    /// max-age`) may lengthen the interval, never shorten it, and are
    /// clamped to `[min_interval, max_interval]`. The configured interval
    /// itself is honoured even when below `min_interval`: the user asked.
    pub fn after_success(&self, hints: &[Option<Duration>]) -> Duration {
        let hinted = hints.iter().flatten().copied().max();
        let base = match hinted {
            Some(hint) if hint > self.interval => hint
                .clamp(self.min_interval, self.max_interval)
                .max(self.interval),
            _ => self.interval,
        };
        jitter(base, fastrand::f64())
    }

    /// Delay after the `failures`-th consecutive failure: exponential from
    /// one minute (never shorter than the interval), capped at
    /// `max_interval`; a server's `Retry-After` is honoured up to the cap.
    pub fn after_failure(&self, failures: u32, retry_after: Option<Duration>) -> Duration {
        let exponent = failures.saturating_sub(1).min(20);
        let backoff = FIRST_BACKOFF.saturating_mul(1 << exponent);
        let base = backoff
            .max(self.interval)
            .min(self.max_interval.max(self.interval));
        match retry_after {
            // Jitter only upwards from what the server asked for: polling
            // before its Retry-After would just earn another 429.
            Some(retry_after) => {
                let floor = retry_after.min(self.max_interval);
                if base > floor {
                    jitter(base, fastrand::f64()).max(floor)
                } else {
                    floor + floor.mul_f64(JITTER * fastrand::f64())
                }
            }
            None => jitter(base, fastrand::f64()),
        }
    }
}

/// `base` moved by up to ±10% according to `unit` in [0, 1).
pub fn jitter(base: Duration, unit: f64) -> Duration {
    let factor = 1.0 + JITTER * (2.0 * unit.clamp(0.0, 1.0) - 1.0);
    base.mul_f64(factor)
}

/// Delay before the first poll of a feed that was overdue at start-up, so a
/// restart does not fire every feed at once: up to a tenth of its interval,
/// at most 30 s.
pub fn startup_spread(interval: Duration, unit: f64) -> Duration {
    let window = (interval / 10).min(Duration::from_secs(30));
    window.mul_f64(unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            interval: Duration::from_secs(600),
            min_interval: Duration::from_secs(300),
            max_interval: Duration::from_secs(86_400),
        }
    }

    #[track_caller]
    fn check_within(actual: Duration, expected: Duration) {
        let low = expected.mul_f64(1.0 - JITTER - 1e-9);
        let high = expected.mul_f64(1.0 + JITTER + 1e-9);
        assert!(
            actual >= low && actual <= high,
            "{actual:?} not within 10% of {expected:?}"
        );
    }

    #[test]
    fn success_uses_interval_without_hints() {
        check_within(policy().after_success(&[]), Duration::from_secs(600));
    }

    #[test]
    fn longer_ttl_hint_stretches_interval() {
        check_within(
            policy().after_success(&[Some(Duration::from_secs(3600)), None]),
            Duration::from_secs(3600),
        );
    }

    #[test]
    fn shorter_hint_does_not_shorten_interval() {
        check_within(
            policy().after_success(&[Some(Duration::from_secs(60))]),
            Duration::from_secs(600),
        );
    }

    #[test]
    fn huge_hint_is_clamped_to_max_interval() {
        check_within(
            policy().after_success(&[Some(Duration::from_secs(10 * 86_400))]),
            Duration::from_secs(86_400),
        );
    }

    #[test]
    fn failures_back_off_exponentially_up_to_the_cap() {
        let policy = Policy {
            interval: Duration::from_secs(60),
            ..policy()
        };
        check_within(policy.after_failure(1, None), Duration::from_secs(60));
        check_within(policy.after_failure(2, None), Duration::from_secs(120));
        check_within(policy.after_failure(5, None), Duration::from_secs(960));
        check_within(policy.after_failure(40, None), Duration::from_secs(86_400));
    }

    #[test]
    fn retry_after_is_honoured() {
        let policy = Policy {
            interval: Duration::from_secs(60),
            ..policy()
        };
        for _ in 0..100 {
            let delay = policy.after_failure(1, Some(Duration::from_secs(7200)));
            check_within(delay, Duration::from_secs(7200));
            assert!(
                delay >= Duration::from_secs(7200),
                "{delay:?} before Retry-After"
            );
        }
    }

    #[test]
    fn jitter_stays_within_ten_percent() {
        let base = Duration::from_secs(1000);
        assert_eq!(jitter(base, 0.0), Duration::from_secs(900));
        assert_eq!(jitter(base, 0.5), Duration::from_secs(1000));
        assert!(jitter(base, 0.999_999) <= Duration::from_secs(1100));
    }

    #[test]
    fn startup_spread_is_bounded() {
        assert_eq!(
            startup_spread(Duration::from_secs(900), 1.0),
            Duration::from_secs(30)
        );
        assert_eq!(
            startup_spread(Duration::from_secs(100), 1.0),
            Duration::from_secs(10)
        );
        assert_eq!(
            startup_spread(Duration::from_secs(900), 0.0),
            Duration::ZERO
        );
    }
}
