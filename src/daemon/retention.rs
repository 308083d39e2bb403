//! Retention in the daemon: `store::Store::prune` in batches, at start and
//! every [`PRUNE_EVERY`] while running, after the pass for `once`. Each
//! batch is one short blocking call, so polls and deliveries write in
//! between; cancellation is observed between batches.
//!
//! What is pruned is the store's business (`store/retention.rs`).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, warn};

use super::Context;
use crate::store::{PRUNE_BATCH, Pruned};

/// How often the running daemon prunes.
pub(super) const PRUNE_EVERY: Duration = Duration::from_secs(60 * 60);

/// Prunes everything older than `retention`, batch by batch, until done or
/// cancelled; returns the totals.
pub(super) async fn prune_all(
    ctx: &Context,
    retention: Duration,
    cancel: &CancellationToken,
) -> Pruned {
    let mut total = Pruned::default();
    let Some(cutoff) = chrono::Duration::from_std(retention)
        .ok()
        .and_then(|retention| Utc::now().checked_sub_signed(retention))
    else {
        return total;
    };
    while !cancel.is_cancelled() {
        let batch = ctx
            .blocking(move |store| store.prune(cutoff, PRUNE_BATCH))
            .await;
        let pruned = match batch {
            Ok(pruned) => pruned,
            Err(err) => {
                warn!(error = %err, "Cannot prune the store");
                break;
            }
        };
        total.entries += pruned.entries;
        total.articles += pruned.articles;
        total.texts += pruned.texts;
        if !pruned.more(PRUNE_BATCH) {
            break;
        }
    }
    if total != Pruned::default() {
        info!(
            entries = total.entries,
            articles = total.articles,
            article_texts = total.texts,
            "Pruned the store"
        );
    } else {
        debug!("Nothing to prune");
    }
    total
}

/// Prunes at start and every [`PRUNE_EVERY`], with the retention of the
/// config running at the time, until `cancel`.
pub(super) async fn prune_loop(
    contexts: tokio::sync::watch::Receiver<Arc<Context>>,
    cancel: CancellationToken,
) {
    let mut every = tokio::time::interval(PRUNE_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = cancel.cancelled() => return,
            _ = every.tick() => {}
        }
        let ctx = Arc::clone(&contexts.borrow());
        if let Some(retention) = ctx.config.daemon.retention {
            prune_all(&ctx, retention, &cancel).await;
        }
    }
}
