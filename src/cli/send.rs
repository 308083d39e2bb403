//! The commands that send: `once` (one pass of the daemon, Ctrl-C winding
//! it down) and `test-sink` (one test alert through one sink).

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;

use super::{Failure, Result};
use crate::config::Config;
use crate::{alert, daemon};

/// Runs `work` to its end; Ctrl-C meanwhile cancels `cancel`, which `work`
/// observes and winds down from. Nothing is spawned: the signal is awaited
/// beside the work, so no task outlives the command.
async fn until_ctrl_c<T>(
    work: impl std::future::Future<Output = T>,
    cancel: &CancellationToken,
) -> T {
    tokio::pin!(work);
    tokio::select! {
        done = &mut work => done,
        Ok(()) = tokio::signal::ctrl_c() => {
            cancel.cancel();
            work.await
        }
    }
}

/// `figwatch once`: every feed polled once, due alerts delivered.
pub(super) async fn once(config: Config) -> Result<()> {
    let cancel = CancellationToken::new();
    // Pages are polled as feeds are, and reported among them.
    let n_feeds = config.feeds.len() + config.pages.len();
    let n_pages = config.pages.len();
    let report = until_ctrl_c(daemon::once(config, cancel.clone()), &cancel)
        .await
        .context("pass failed")?;
    let n_failed = report.failed().count();
    let n_new: usize = report.feeds.iter().map(|f| f.n_new_entries).sum();
    let n_articles: usize = report.feeds.iter().map(|f| f.n_articles).sum();
    let n_alerts: usize = report.feeds.iter().map(|f| f.n_alerts).sum();
    let n_revisions: usize = report.feeds.iter().map(|f| f.n_revisions).sum();
    let n_leased = report
        .feeds
        .iter()
        .filter(|f| f.leased_elsewhere.is_some())
        .count();
    tracing::info!(
        feeds = n_feeds - n_pages,
        pages = n_pages,
        failed = n_failed,
        leased_elsewhere = n_leased,
        new_entries = n_new,
        articles = n_articles,
        revisions = n_revisions,
        alerts = n_alerts,
        delivered = report.delivery.delivered,
        retrying = report.delivery.retrying,
        dead = report.delivery.dead,
        "Pass done"
    );
    // One failing feed among many is the daily weather; none fetched at all
    // (no network, a proxy, a typo in every URL) is a failed pass.
    if n_feeds > 0 && n_failed == n_feeds {
        return Err(anyhow::anyhow!(
            "no feed could be fetched ({n_failed} of {n_feeds} failed; see the warnings above)"
        )
        .into());
    }
    Ok(())
}

/// `figwatch test-sink NAME`: one test alert through that sink.
pub(super) async fn test_sink(mut config: Config, name: &str) -> Result<()> {
    if config.sink(name).is_none() {
        let known: Vec<&str> = config.sinks.iter().map(|s| s.name.as_str()).collect();
        return Err(Failure::usage(anyhow::anyhow!(
            "no sink named {name:?} in {} (sinks: {})",
            config.path.display(),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        )));
    }
    // Only this sink's secrets: another sink's unset variable is no reason
    // not to test this one.
    config.sinks.retain(|sink| sink.name == name);
    config.resolve_secrets().map_err(Failure::usage)?;
    let test = alert::Alert::test(name);
    let sinks = alert::Sinks::new(&config.sinks, daemon::DELIVERY_TIMEOUT);
    sinks
        .send(name, &test)
        .await
        .with_context(|| format!("test alert to sink {name} failed"))?;
    println!("Sent a test alert ({}) through sink {name}.", test.id);
    Ok(())
}
