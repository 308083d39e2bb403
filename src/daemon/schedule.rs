//! When a feed or page is next due: its interval, the server's hints,
//! backoff after failures, and jitter so they do not fire together; and the
//! [`Schedule`] the daemon's loop keeps of every configured [`Job`].
//!
//! Feeds and live pages are both jobs: one URL polled on an interval with a
//! lease and validators in the store's `feeds` table, so they share this
//! schedule, its politeness and its backoff.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use url::Url;

use crate::config::{self, Config};

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
        Policy::for_interval(daemon, feed.interval)
    }

    /// The policy for a job whose own interval is `interval`.
    pub fn for_interval(daemon: &config::Daemon, interval: Option<Duration>) -> Policy {
        Policy {
            interval: interval.unwrap_or(daemon.poll_interval),
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

/// One thing the daemon polls on a schedule.
#[derive(Debug, Clone)]
pub enum Job {
    /// A `[[feed]]`: its new and revised entries are read.
    Feed(config::Feed),
    /// A `[[page]]`: its main text is read whenever it changes.
    Page(config::Page),
}

/// A configured job, borrowed from the config.
#[derive(Debug, Clone, Copy)]
pub enum JobRef<'a> {
    /// A `[[feed]]`.
    Feed(&'a config::Feed),
    /// A `[[page]]`.
    Page(&'a config::Page),
}

impl<'a> JobRef<'a> {
    /// The URL polled, which is the job's identity.
    pub fn url(&self) -> &'a Url {
        match self {
            JobRef::Feed(feed) => &feed.url,
            JobRef::Page(page) => &page.url,
        }
    }

    /// The job's own interval, if configured.
    pub fn interval(&self) -> Option<Duration> {
        match self {
            JobRef::Feed(feed) => feed.interval,
            JobRef::Page(page) => page.interval,
        }
    }

    /// The job, owned, to move into its task.
    pub fn to_job(self) -> Job {
        match self {
            JobRef::Feed(feed) => Job::Feed(feed.clone()),
            JobRef::Page(page) => Job::Page(page.clone()),
        }
    }
}

impl Job {
    /// The job borrowed.
    pub fn as_ref(&self) -> JobRef<'_> {
        match self {
            Job::Feed(feed) => JobRef::Feed(feed),
            Job::Page(page) => JobRef::Page(page),
        }
    }

    /// The URL polled.
    pub fn url(&self) -> &Url {
        match self {
            Job::Feed(feed) => &feed.url,
            Job::Page(page) => &page.url,
        }
    }
}

/// Every configured job: the feeds, then the pages, in file order.
pub fn jobs(config: &Config) -> impl Iterator<Item = JobRef<'_>> {
    let feeds = config.feeds.iter().map(JobRef::Feed);
    feeds.chain(config.pages.iter().map(JobRef::Page))
}

/// When each configured job is next due, and which are being polled now.
#[derive(Debug, Default)]
pub struct Schedule {
    next: HashMap<String, DateTime<Utc>>,
    in_flight: HashSet<String>,
    failing: HashMap<String, bool>,
    /// Jobs made due by [`Schedule::all_due`], not yet taken.
    asked_now: HashSet<String>,
}

/// Where a job stood in the store at start: its next poll and its failures.
pub type Stored = HashMap<String, (Option<DateTime<Utc>>, u32)>;

/// How long the loop sleeps at most, with nothing due.
const MAX_SLEEP: Duration = Duration::from_secs(3600);
/// When a finished poll recorded no next time (a store error, a cancel).
const RETRY_UNRECORDED: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

impl Schedule {
    /// The schedule of `config`'s jobs as the store left them at `now`.
    pub fn load(config: &Config, stored: &Stored, now: DateTime<Utc>) -> Schedule {
        let mut schedule = Schedule::default();
        for job in jobs(config) {
            let url = job.url().to_string();
            let policy = Policy::for_interval(&config.daemon, job.interval());
            let (next, failures) = stored.get(&url).copied().unwrap_or((None, 0));
            let due = match next {
                Some(next) if next > now => next,
                // Overdue after a restart: spread so they do not all fire at once.
                Some(_) => now + to_chrono(startup_spread(policy.interval, fastrand::f64())),
                None => now,
            };
            schedule.failing.insert(url.clone(), failures > 0);
            schedule.next.insert(url, due);
        }
        schedule
    }

    /// Jobs due at `now` that are not in flight; they are marked in flight.
    /// Each comes with whether it was asked for now ([`Schedule::all_due`])
    /// rather than found due. Only due jobs are copied: a loop turn over
    /// thousands of feeds allocates nothing for the ones that are not.
    pub fn take_due(&mut self, now: DateTime<Utc>, config: &Config) -> Vec<(Job, bool)> {
        let mut due = Vec::new();
        for job in jobs(config) {
            let url = job.url().as_str();
            if self.in_flight.contains(url) {
                continue;
            }
            if self.next.get(url).is_some_and(|next| *next <= now) {
                self.in_flight.insert(url.to_string());
                let asked_now = self.asked_now.remove(url);
                due.push((job.to_job(), asked_now));
            }
        }
        due
    }

    /// Makes every job due now (SIGUSR1): the next turn polls each once,
    /// whatever the store says of when it is due. A job in flight started
    /// before the signal: it is polled again as soon as it finishes.
    pub fn all_due(&mut self, now: DateTime<Utc>) {
        for (url, next) in &mut self.next {
            *next = now;
            self.asked_now.insert(url.clone());
        }
    }

    /// Records that the poll of `url` ended, failing or not, and when it is
    /// next due (`None`: retry in a minute; now, when it was asked for now
    /// while in flight).
    pub fn finished(&mut self, url: &str, failed: bool, next_poll_at: Option<DateTime<Utc>>) {
        self.in_flight.remove(url);
        if let Some(failing) = self.failing.get_mut(url) {
            *failing = failed;
        }
        let now = Utc::now();
        if let Some(slot) = self.next.get_mut(url) {
            *slot = if self.asked_now.contains(url) {
                now
            } else {
                next_poll_at.unwrap_or(now + RETRY_UNRECORDED)
            };
        }
    }

    /// Adds new jobs (due now) and forgets removed ones after a reload.
    pub fn reconcile(&mut self, config: &Config, now: DateTime<Utc>) {
        let urls: HashSet<&str> = jobs(config).map(|job| job.url().as_str()).collect();
        self.next.retain(|url, _| urls.contains(url.as_str()));
        self.failing.retain(|url, _| urls.contains(url.as_str()));
        self.asked_now.retain(|url| urls.contains(url.as_str()));
        for url in urls {
            if !self.next.contains_key(url) {
                self.next.insert(url.to_string(), now);
                self.failing.insert(url.to_string(), false);
            }
        }
    }

    /// How long until the next job not in flight is due.
    pub fn until_next(&self, now: DateTime<Utc>) -> Duration {
        self.next
            .iter()
            .filter(|(url, _)| !self.in_flight.contains(url.as_str()))
            .map(|(_, next)| (*next - now).to_std().unwrap_or(Duration::ZERO))
            .min()
            .unwrap_or(MAX_SLEEP)
            .min(MAX_SLEEP)
    }

    /// One line for systemd's status.
    pub fn status(&self) -> String {
        let n_failing = self.failing.values().filter(|failing| **failing).count();
        format!(
            "polling {} feeds and pages, {} in flight, {} failing",
            self.next.len(),
            self.in_flight.len(),
            n_failing
        )
    }
}

/// A std duration as chrono's, saturating.
pub fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
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

    fn config(toml: &str) -> Config {
        Config::parse(toml, std::path::Path::new("/etc/figwatch/figwatch.toml")).unwrap()
    }

    const TWO_JOBS: &str = "[[feed]]\nurl = \"https://a.example/feed\"\n\
        [[page]]\nurl = \"https://b.example/live\"\ninterval = \"1h\"\n";

    fn urls(due: &[(Job, bool)]) -> Vec<(String, bool)> {
        due.iter()
            .map(|(job, now)| (job.url().to_string(), *now))
            .collect()
    }

    #[test]
    fn feeds_and_pages_share_one_schedule() {
        let config = config(TWO_JOBS);
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(20_000);
        let mut schedule = Schedule::load(&config, &Stored::new(), now);
        let due = schedule.take_due(now, &config);
        assert_eq!(
            urls(&due),
            [
                ("https://a.example/feed".to_string(), false),
                ("https://b.example/live".to_string(), false)
            ]
        );
        // In flight: not due again until finished.
        assert!(schedule.take_due(now, &config).is_empty());
        let later = now + chrono::TimeDelta::minutes(5);
        schedule.finished("https://b.example/live", false, Some(later));
        schedule.finished("https://a.example/feed", true, None);
        assert!(
            schedule.status().contains("1 failing"),
            "{}",
            schedule.status()
        );
        assert_eq!(
            urls(&schedule.take_due(later, &config)),
            [("https://b.example/live".to_string(), false)]
        );
    }

    #[test]
    fn poll_now_makes_every_idle_job_due_once_and_says_so() {
        let config = config(TWO_JOBS);
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(20_000);
        let next_week = now + chrono::TimeDelta::days(7);
        let stored: Stored = [
            ("https://a.example/feed".to_string(), (Some(next_week), 0)),
            ("https://b.example/live".to_string(), (Some(next_week), 0)),
        ]
        .into();
        let mut schedule = Schedule::load(&config, &stored, now);
        assert!(schedule.take_due(now, &config).is_empty());
        schedule.all_due(now);
        let due = schedule.take_due(now, &config);
        assert_eq!(
            urls(&due),
            [
                ("https://a.example/feed".to_string(), true),
                ("https://b.example/live".to_string(), true)
            ]
        );
        schedule.finished("https://a.example/feed", false, Some(next_week));
        schedule.finished("https://b.example/live", false, Some(now));
        // Due again by its own schedule: not asked for now any more.
        assert_eq!(
            urls(&schedule.take_due(now, &config)),
            [("https://b.example/live".to_string(), false)]
        );
    }

    #[test]
    fn poll_now_during_a_poll_polls_again_once_it_finishes() {
        let config = config(TWO_JOBS);
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(20_000);
        let mut schedule = Schedule::load(&config, &Stored::new(), now);
        assert_eq!(schedule.take_due(now, &config).len(), 2);
        // Both in flight when SIGUSR1 comes: it started before the signal.
        schedule.all_due(now);
        assert!(schedule.take_due(now, &config).is_empty());
        let next_hour = now + chrono::TimeDelta::hours(1);
        schedule.finished("https://a.example/feed", false, Some(next_hour));
        let due = schedule.take_due(Utc::now(), &config);
        assert_eq!(urls(&due), [("https://a.example/feed".to_string(), true)]);
    }

    #[test]
    fn reconcile_adds_new_jobs_due_now_and_forgets_removed_ones() {
        let now = DateTime::<Utc>::UNIX_EPOCH + chrono::TimeDelta::days(20_000);
        let old = config(TWO_JOBS);
        let mut schedule = Schedule::load(&old, &Stored::new(), now);
        schedule.take_due(now, &old);
        schedule.finished(
            "https://a.example/feed",
            false,
            Some(now + chrono::TimeDelta::hours(1)),
        );
        schedule.finished(
            "https://b.example/live",
            false,
            Some(now + chrono::TimeDelta::hours(1)),
        );
        let new = config(
            "[[feed]]\nurl = \"https://a.example/feed\"\n[[feed]]\nurl = \"https://c.example/feed\"\n",
        );
        schedule.reconcile(&new, now);
        assert_eq!(
            urls(&schedule.take_due(now, &new)),
            [("https://c.example/feed".to_string(), false)]
        );
        assert!(
            schedule.status().starts_with("polling 2 "),
            "{}",
            schedule.status()
        );
    }
}
