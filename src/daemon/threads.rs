//! The threads figwatch runs on: the runtime every command builds, with
//! its blocking pool bounded, and the one way the daemon sends work to
//! that pool.

use tokio_util::task::TaskTracker;

use super::DATABASE_CONNECTIONS;

/// Threads of the runtime's blocking pool. What blocks is a store call (or
/// the rare reload of the config), and no more than `DATABASE_CONNECTIONS`
/// of those run at once (one on SQLite, whose connection is behind a
/// mutex); more threads would only wait for a connection, each holding its
/// stack and a malloc arena. Tokio's default, 512, left 65 idle threads
/// after a cold pass of 10,000 feeds and 7 MB more peak memory.
pub const BLOCKING_THREADS: usize = DATABASE_CONNECTIONS as usize;

/// The runtime every command runs on (and the benchmarks, to measure what
/// the binary does): tokio's multi-threaded one with its blocking pool
/// bounded by [`BLOCKING_THREADS`].
///
/// # Errors
///
/// When the operating system refuses the runtime's threads or its IO
/// driver.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(BLOCKING_THREADS)
        .enable_all()
        .build()
}

/// Runs `work` on a blocking thread of `tracker`, off the async workers. A
/// panic there is resumed here (a bug, not an outcome); the error left is
/// the task cancelled with the runtime.
pub(super) async fn off_workers<T: Send + 'static>(
    tracker: &TaskTracker,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    match tracker.spawn_blocking(work).await {
        Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
        result => result,
    }
}
