//! Moves alerts from the store's outbox to the sinks: every due delivery is
//! sent, marked delivered on success, rescheduled with backoff on failure,
//! and marked dead after the sink's `max_attempts` or `give_up_after`. When
//! more than a sink's `burst` alerts are due within its `window`, they go as
//! one digest.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;
use tracing::{error, info, warn};

use super::Context;
use crate::store::Delivery;
use crate::{alert, config};

/// Deliveries loaded per round.
const BATCH: usize = 200;
/// Longest the dispatcher sleeps without looking at the outbox.
const IDLE_CHECK: Duration = Duration::from_secs(60);
/// How long a claim on a delivery lasts: longer than one attempt may take
/// (`DELIVERY_TIMEOUT`), so no other instance sends it meanwhile; when the
/// instance dies holding it, another sends it after this.
pub(super) const CLAIM_FOR: Duration = super::DELIVERY_TIMEOUT.saturating_mul(2);

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Deliveries that reached their sink.
    pub delivered: usize,
    /// Failed attempts that will be retried.
    pub retrying: usize,
    /// Deliveries given up.
    pub dead: usize,
}

/// Sends every delivery due now, each sink's in order, sinks side by side.
pub(super) async fn deliver_due(ctx: &Context, cancel: &CancellationToken) -> DeliveryReport {
    let mut report = DeliveryReport::default();
    let mut seen = std::collections::HashSet::new();
    loop {
        if cancel.is_cancelled() {
            return report;
        }
        let now = Utc::now();
        let due = match ctx
            .blocking(move |store| store.due_deliveries(now, BATCH))
            .await
        {
            Ok(due) => due,
            Err(err) => {
                error!(error = %err, "Cannot read the alert outbox");
                return report;
            }
        };
        // A failed delivery is rescheduled into the future, so each round
        // only sees new work; `seen` guards against a clock that stands still.
        let due: Vec<Delivery> = due.into_iter().filter(|d| seen.insert(d.id)).collect();
        if due.is_empty() {
            return report;
        }
        let mut by_sink: BTreeMap<String, Vec<Delivery>> = BTreeMap::new();
        for delivery in due {
            by_sink
                .entry(delivery.sink.clone())
                .or_default()
                .push(delivery);
        }
        let rounds = by_sink
            .into_values()
            .map(|deliveries| deliver_to_sink(ctx, deliveries, cancel));
        for sink_report in futures_util::future::join_all(rounds).await {
            report.delivered += sink_report.delivered;
            report.retrying += sink_report.retrying;
            report.dead += sink_report.dead;
        }
    }
}

async fn deliver_to_sink(
    ctx: &Context,
    deliveries: Vec<Delivery>,
    cancel: &CancellationToken,
) -> DeliveryReport {
    let mut report = DeliveryReport::default();
    let Some(sink) = deliveries.first().map(|delivery| delivery.sink.clone()) else {
        return report;
    };
    let policy = ctx
        .sinks
        .get(&sink)
        .map(|sink| sink.policy)
        .unwrap_or_default();
    if let Some(limit) = policy.rate_limit
        && deliveries.len() > 1
        && !cancel.is_cancelled()
    {
        let since = Utc::now() - chrono::Duration::from_std(limit.window).unwrap_or_default();
        let sink_name = sink.clone();
        let n_recent = ctx
            .blocking(move |store| store.delivered_since(&sink_name, since))
            .await
            .unwrap_or_else(|err| {
                error!(error = %err, "Cannot read the alert outbox");
                0
            });
        if n_recent + deliveries.len() > limit.burst {
            return deliver_digest(ctx, &sink, deliveries, &policy).await;
        }
    }
    for delivery in deliveries {
        if cancel.is_cancelled() {
            break;
        }
        let id = delivery.id;
        if !claim(ctx, id).await {
            continue;
        }
        let outcome = ctx.sinks.deliver_with(&delivery, &policy, Utc::now()).await;
        ctx.metrics.record_delivery(&delivery, &outcome);
        let recorded = match outcome {
            alert::Outcome::Delivered => {
                report.delivered += 1;
                ctx.blocking(move |store| store.delivery_succeeded(id, Utc::now()))
                    .await
            }
            alert::Outcome::Retry { error, after } => {
                report.retrying += 1;
                let retry_at = retry_at(Utc::now(), after);
                let message = error.to_string();
                ctx.blocking(move |store| store.delivery_failed(id, &message, Some(retry_at)))
                    .await
            }
            alert::Outcome::GiveUp { error } => {
                report.dead += 1;
                let message = error.to_string();
                ctx.blocking(move |store| store.delivery_failed(id, &message, None))
                    .await
            }
        };
        if let Err(err) = recorded {
            error!(error = %err, "Cannot record delivery state");
        }
    }
    report
}

/// Sends `deliveries` through `sink` as one digest (its rate limit is
/// exceeded) and records the outcome on each of them.
async fn deliver_digest(
    ctx: &Context,
    sink: &str,
    deliveries: Vec<Delivery>,
    policy: &config::DeliveryPolicy,
) -> DeliveryReport {
    let mut report = DeliveryReport::default();
    let mut claimed = Vec::with_capacity(deliveries.len());
    for delivery in deliveries {
        if claim(ctx, delivery.id).await {
            claimed.push(delivery);
        }
    }
    let deliveries = claimed;
    if deliveries.is_empty() {
        return report;
    }
    let alerts: Vec<alert::Alert> = deliveries
        .iter()
        .map(|d| alert::Alert::from(&d.alert))
        .collect();
    let ids: Vec<i64> = deliveries.iter().map(|d| d.id).collect();
    let n_alerts = deliveries.len();
    match ctx.sinks.send_digest(sink, &alerts).await {
        Ok(digest_id) => {
            info!(sink, digest = %digest_id, alerts = n_alerts, "Rate limit reached; alerts sent as one digest");
            report.delivered += n_alerts;
            for delivery in &deliveries {
                ctx.metrics
                    .record_delivery(delivery, &alert::Outcome::Delivered);
            }
            let recorded = ctx
                .blocking(move |store| store.digest_delivered(&ids, &digest_id, Utc::now()))
                .await;
            if let Err(err) = recorded {
                error!(error = %err, "Cannot record delivery state");
            }
        }
        Err(err) => {
            let message = err.to_string();
            let now = Utc::now();
            let mut steps = Vec::with_capacity(n_alerts);
            for delivery in &deliveries {
                let attempts = delivery.attempts.saturating_add(1);
                let outcome = alert::retry_decision(
                    Err(err.clone()),
                    attempts,
                    policy,
                    delivery.alert.created_at,
                    now,
                );
                ctx.metrics.record_delivery(delivery, &outcome);
                let next_attempt = match &outcome {
                    alert::Outcome::Retry { after, .. } => {
                        report.retrying += 1;
                        Some(retry_at(now, *after))
                    }
                    _ => {
                        report.dead += 1;
                        outcome.log(sink, &delivery.alert.id, attempts);
                        None
                    }
                };
                steps.push((delivery.id, next_attempt));
            }
            warn!(sink, alerts = n_alerts, error = %message, "Digest delivery failed");
            let recorded = ctx
                .blocking(move |store| {
                    steps.iter().try_for_each(|(id, retry_at)| {
                        store.delivery_failed(*id, &message, *retry_at)
                    })
                })
                .await;
            if let Err(err) = recorded {
                error!(error = %err, "Cannot record delivery state");
            }
        }
    }
    report
}

/// When a delivery waiting `after` from `now` is due again.
fn retry_at(now: DateTime<Utc>, after: std::time::Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(after).unwrap_or(chrono::Duration::hours(1))
}

/// Claims a delivery for this instance; `false` when another instance has
/// it or sent it meanwhile (or the store fails: it is left for later).
async fn claim(ctx: &Context, delivery_id: i64) -> bool {
    let claim_for = chrono::Duration::from_std(CLAIM_FOR).unwrap_or(chrono::Duration::MAX);
    let claimed = ctx
        .blocking(move |store| {
            let now = Utc::now();
            store.claim_delivery(delivery_id, store.instance(), now, now + claim_for)
        })
        .await;
    claimed.unwrap_or_else(|err| {
        error!(error = %err, "Cannot claim a delivery");
        false
    })
}

/// Delivers due alerts whenever they may be due, until cancelled. Follows
/// config reloads through `contexts`.
pub(super) async fn dispatch_loop(
    mut contexts: tokio::sync::watch::Receiver<Arc<Context>>,
    cancel: CancellationToken,
) {
    loop {
        let ctx = Arc::clone(&contexts.borrow_and_update());
        let report = deliver_due(&ctx, &cancel).await;
        if report.delivered + report.retrying + report.dead > 0 {
            info!(
                delivered = report.delivered,
                retrying = report.retrying,
                dead = report.dead,
                "Delivery round done"
            );
        }
        let wait = match ctx.blocking(|store| store.next_delivery_at()).await {
            Ok(Some(next)) => (next - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(IDLE_CHECK),
            Ok(None) => IDLE_CHECK,
            Err(err) => {
                error!(error = %err, "Cannot read the alert outbox");
                IDLE_CHECK
            }
        };
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = ctx.outbox_ready.notified() => {}
            _ = contexts.changed() => {}
            _ = tokio::time::sleep(wait.max(Duration::from_millis(50))) => {}
        }
    }
}
