//! The store blocks: every call runs on a thread that may block (a
//! `spawn_blocking` thread, inside `block_in_place`, or a plain thread),
//! never on a tokio worker that drives async tasks, where a busy database
//! would stall every task on that worker for up to the busy timeout.
//!
//! PostgreSQL's client enforces this by itself (it blocks on a runtime of
//! its own, which tokio refuses to start on a worker). [`assert_may_block`]
//! gives SQLite the same check in debug builds, which is every test run,
//! the integration tests' daemon included.

/// Panics on a thread that is driving async tasks: tokio's own check, made
/// by entering a small runtime of this thread's (debug builds only; a no-op
/// in release).
pub(super) fn assert_may_block() {
    #[cfg(debug_assertions)]
    PROBE.with(|probe| {
        if let Some(probe) = probe {
            probe.block_on(std::future::ready(()));
        }
    });
}

#[cfg(debug_assertions)]
thread_local! {
    /// A runtime without drivers, entered only to ask tokio whether this
    /// thread may block.
    static PROBE: Option<tokio::runtime::Runtime> =
        tokio::runtime::Builder::new_current_thread().build().ok();
}
