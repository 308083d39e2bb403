//! SIGHUP: the config loaded again and its context built off the async
//! workers; on success the new context replaces the running one (its
//! figures registered, the schedule reconciled, the other loops told), on
//! failure the running config stays and `/metrics` says why.

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use tracing::{error, info, warn};

use super::{Context, Running, notify_systemd, off_workers};
use crate::config::Config;

impl Running {
    /// Reloads the config from its path and, when it loads, runs on it.
    pub(super) async fn reload(&mut self) {
        notify_systemd(&[
            sd_notify::NotifyState::Reloading,
            sd_notify::NotifyState::monotonic_usec_now()
                .unwrap_or(sd_notify::NotifyState::Custom("")),
        ]);
        let metrics = Arc::clone(&self.ctx.metrics);
        match reload(&self.config_path, &self.ctx).await {
            Ok(new_ctx) => {
                self.ctx = Arc::new(new_ctx);
                if let Err(err) = self.ctx.register_figures().await {
                    error!(error = %err, "Cannot register the reloaded config's figures");
                }
                self.schedule.reconcile(&self.ctx.config, Utc::now());
                // The dispatcher may have exited with the loop; a failed
                // send only means there is nobody to tell.
                let _ = self.ctx_tx.send(Arc::clone(&self.ctx));
                metrics.config_loaded(Utc::now());
                info!(
                    feeds = self.ctx.config.feeds.len(),
                    watches = self.ctx.config.watches.len(),
                    "Config reloaded"
                );
            }
            Err(message) => {
                metrics.config_reload_failed(Utc::now(), &message);
                error!(error = %message, "Config reload failed; keeping the running config");
            }
        }
        notify_systemd(&[sd_notify::NotifyState::Ready]);
    }
}

/// The config loaded again and its context built, on a blocking thread of
/// the context's tracker: reading the config, its template and secret
/// files is file IO that must not hold an async worker (the main loop
/// waits meanwhile). The new context shares the current one's store,
/// tracker, outbox signal and metrics.
async fn reload(config_path: &Path, current: &Arc<Context>) -> Result<Context, String> {
    let path = config_path.to_path_buf();
    let current = Arc::clone(current);
    let tracker = current.tracker.clone();
    match off_workers(&tracker, move || reload_now(&path, &current)).await {
        Ok(result) => result,
        Err(err) => Err(format!("the reload was interrupted: {err}")),
    }
}

fn reload_now(config_path: &Path, current: &Context) -> Result<Context, String> {
    let config = Config::load(config_path).map_err(|err| err.to_string())?;
    // Both are opened once, at start.
    if config.daemon.database != current.config.daemon.database {
        warn!(
            key = "daemon.database",
            database = %config.daemon.database.display(),
            "A new database path takes effect on restart; keeping the open one"
        );
    }
    if config.daemon.listen != current.config.daemon.listen {
        warn!(
            key = "daemon.listen",
            listen = %config.daemon.listen.map_or_else(|| "none".to_string(), |addr| addr.to_string()),
            running = %current.config.daemon.listen.map_or_else(|| "none".to_string(), |addr| addr.to_string()),
            "A new listen address takes effect on restart; keeping the running status server"
        );
    }
    Context::new(
        config,
        current.store.clone(),
        current.tracker.clone(),
        Arc::clone(&current.outbox_ready),
        Arc::clone(&current.metrics),
    )
    .map_err(|err| err.to_string())
}
