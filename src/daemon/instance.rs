//! This process as one of several instances on one database: its
//! heartbeat row, and, at start, freeing the leases and claims of instances
//! on this machine that died (SIGKILL, OOM) rather than waiting for them to
//! expire. Instances on other machines are not looked at: their leases
//! expire on their own.

use std::time::Duration;

use chrono::Utc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::{info, warn};

use crate::store::{self, Instance, Store};

/// How often a running daemon writes its heartbeat row.
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(10);
/// An instance whose last heartbeat is older than this is not counted live.
pub const LIVE_WITHIN: Duration = Duration::from_secs(30);

/// Frees the leases and claims of instances that ran on this machine and
/// whose process is gone. Runs on a blocking thread.
pub(super) fn free_dead_local(store: &Store) -> Result<usize, store::Error> {
    let host = store::hostname();
    let mut n_freed = 0;
    for holder in store.holders()? {
        let Some((holder_host, pid)) = store::instance_process(&holder) else {
            continue;
        };
        if holder_host != host || pid == std::process::id() || process_alive(pid) {
            continue;
        }
        let n = store.release_all(&holder)?;
        if n > 0 {
            info!(instance = %holder, leases = n, "Freed the leases of a dead instance on this machine");
        }
        n_freed += n;
    }
    Ok(n_freed)
}

fn process_alive(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// This instance's heartbeat row as of now.
pub(super) fn me(store: &Store, started_at: chrono::DateTime<Utc>) -> Instance {
    Instance {
        id: store.instance().to_string(),
        hostname: store::hostname(),
        pid: std::process::id(),
        started_at,
        heartbeat_at: Utc::now(),
    }
}

/// Writes the heartbeat row every [`HEARTBEAT_EVERY`] until cancelled.
pub(super) async fn heartbeat_loop(store: Store, tracker: TaskTracker, cancel: CancellationToken) {
    let started_at = Utc::now();
    let mut tick = tokio::time::interval(HEARTBEAT_EVERY);
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tick.tick() => {}
        }
        let store = store.clone();
        let beat = tracker
            .spawn_blocking(move || store.heartbeat(&me(&store, started_at)))
            .await;
        match beat {
            Ok(Ok(())) => {}
            Ok(Err(err)) => warn!(error = %err, "Cannot write the heartbeat"),
            Err(err) => warn!(error = %err, "Heartbeat task failed"),
        }
    }
}
