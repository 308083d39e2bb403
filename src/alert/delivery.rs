//! One attempt at one outbox delivery and what the outbox should do next:
//! the retry policy in one place, so the loop that drains the outbox (in
//! `daemon`) only stores the outcome.

use chrono::{DateTime, Utc};

use super::{Error, Sinks, retry_delay};
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

/// The outcome of an attempt that ended with `result`, when `attempts`
/// attempts (this one included) have now been made of at most
/// `max_attempts`.
pub fn outcome(result: Result<(), Error>, attempts: u32, max_attempts: u32) -> Outcome {
    match result {
        Ok(()) => Outcome::Delivered,
        Err(error) if !error.is_retryable() || attempts >= max_attempts => {
            Outcome::GiveUp { error }
        }
        Err(error) => Outcome::Retry {
            error,
            after: retry_delay(attempts),
        },
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
    /// Makes one attempt at `delivery` and says what to do next, logging a
    /// failure as WARN (a sink is down; it will be retried) or, when the
    /// delivery is given up, as ERROR (an alert is lost for that sink).
    pub async fn deliver(&self, delivery: &Delivery, max_attempts: u32) -> Outcome {
        let policy = DeliveryPolicy {
            max_attempts,
            ..DeliveryPolicy::default()
        };
        self.deliver_with(delivery, &policy, Utc::now()).await
    }

    /// [`Sinks::deliver`] under a sink's whole delivery policy
    /// (`max_attempts` and `give_up_after`), at time `now`.
    pub async fn deliver_with(
        &self,
        delivery: &Delivery,
        policy: &DeliveryPolicy,
        now: DateTime<Utc>,
    ) -> Outcome {
        let result = self.send(&delivery.sink, &delivery.alert).await;
        let attempts = delivery.attempts.saturating_add(1);
        let outcome = match result {
            Ok(()) => Outcome::Delivered,
            Err(error) => match retry_in(
                error.is_retryable(),
                attempts,
                policy,
                delivery.alert.created_at,
                now,
            ) {
                Some(after) => Outcome::Retry { error, after },
                None => Outcome::GiveUp { error },
            },
        };
        match &outcome {
            Outcome::Delivered => tracing::debug!(
                sink = %delivery.sink,
                alert = %delivery.alert.id,
                attempts,
                "Alert delivered"
            ),
            Outcome::Retry { error, after } => tracing::warn!(
                sink = %delivery.sink,
                alert = %delivery.alert.id,
                attempts,
                retry_in = %humantime::format_duration(Duration::from_secs(after.as_secs())),
                error = %error,
                "Alert delivery failed; will retry"
            ),
            Outcome::GiveUp { error } => tracing::error!(
                sink = %delivery.sink,
                alert = %delivery.alert.id,
                attempts,
                error = %error,
                "Alert delivery failed for good; giving up"
            ),
        }
        outcome
    }
}
