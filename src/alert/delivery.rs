//! One attempt at one outbox delivery and what the outbox should do next:
//! the retry policy in one place, so the loop that drains the outbox (in
//! `daemon`) only stores the outcome.

use chrono::{DateTime, Utc};

use super::{Alert, Error, Sinks, retry_delay};
use crate::config::DeliveryPolicy;
use crate::store::Delivery;
use std::time::Duration;

/// What became of one delivery attempt.
#[derive(Debug)]
pub enum Outcome {
    /// The sink took the alert; never send it through this sink again.
    Delivered,
    /// It failed; try again after `after`.
    Retry {
        /// Why it failed.
        error: Error,
        /// How long to wait (from [`retry_delay`]).
        after: Duration,
    },
    /// It failed for the last time (attempts used up, or a failure that
    /// cannot heal); mark the delivery dead.
    GiveUp {
        /// Why it failed.
        error: Error,
    },
}

impl Outcome {
    /// The `outcome` label of `figwatch_deliveries_total`: `delivered`,
    /// `retry` or `dead`.
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Retry { .. } => "retry",
            Outcome::GiveUp { .. } => "dead",
        }
    }

    /// Logs the outcome of attempt number `attempts` of alert `alert`
    /// through `sink`: DEBUG when delivered, WARN when it will be retried (a
    /// sink is down), ERROR when given up (an alert is lost for that sink).
    pub fn log(&self, sink: &str, alert: &str, attempts: u32) {
        match self {
            Outcome::Delivered => tracing::debug!(sink, alert, attempts, "Alert delivered"),
            Outcome::Retry { error, after } => tracing::warn!(
                sink,
                alert,
                attempts,
                retry_in = %humantime::format_duration(Duration::from_secs(after.as_secs())),
                error = %error,
                "Alert delivery failed; will retry"
            ),
            Outcome::GiveUp { error } => tracing::error!(
                sink,
                alert,
                attempts,
                error = %error,
                "Alert delivery failed for good; giving up"
            ),
        }
    }
}

/// The retry decision, the one place it is made: what becomes of a delivery
/// whose attempt number `attempts` (this one included) ended with `result`,
/// under `policy`, for an alert raised at `created_at` (see [`retry_in`]).
pub fn retry_decision(
    result: Result<(), Error>,
    attempts: u32,
    policy: &DeliveryPolicy,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Outcome {
    let Err(error) = result else {
        return Outcome::Delivered;
    };
    match retry_in(error.is_retryable(), attempts, policy, created_at, now) {
        Some(after) => Outcome::Retry { error, after },
        None => Outcome::GiveUp { error },
    }
}

/// How long to wait before retrying a delivery that failed after
/// `attempts` attempts (this one included), or `None` to give it up: the
/// failure cannot heal, `max_attempts` are used up, or the alert, raised at
/// `created_at`, is `give_up_after` old at `now`. A retry is never scheduled
/// past that deadline, so the last attempt happens at it.
pub fn retry_in(
    retryable: bool,
    attempts: u32,
    policy: &DeliveryPolicy,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    if !retryable || attempts >= policy.max_attempts {
        return None;
    }
    let after = retry_delay(attempts);
    let deadline = policy
        .give_up_after
        .and_then(|limit| chrono::Duration::from_std(limit).ok())
        .and_then(|limit| created_at.checked_add_signed(limit));
    let Some(deadline) = deadline else {
        return Some(after);
    };
    match (deadline - now).to_std() {
        Ok(left) if !left.is_zero() => Some(after.min(left)),
        _ => None,
    }
}

impl Sinks {
    /// Makes one attempt at `delivery` (its stored alert made an [`Alert`])
    /// under its sink's delivery policy (`max_attempts` and
    /// `give_up_after`) at time `now`, and says what to do next
    /// ([`retry_decision`]), logged by [`Outcome::log`].
    pub async fn deliver_with(
        &self,
        delivery: &Delivery,
        policy: &DeliveryPolicy,
        now: DateTime<Utc>,
    ) -> Outcome {
        let alert = Alert::from(&delivery.alert);
        let result = self.send(&delivery.sink, &alert).await;
        let attempts = delivery.attempts.saturating_add(1);
        let outcome = retry_decision(result, attempts, policy, delivery.alert.created_at, now);
        outcome.log(&delivery.sink, &delivery.alert.id, attempts);
        outcome
    }
}
