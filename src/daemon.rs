//! The schedule and the glue: which feed is due, bounded concurrency, the
//! per-article pipeline, signals and shutdown. The only module that spawns
//! tasks.
