//! figwatch watches news feeds for topics and alerts when a reported figure
//! changes ("more than 160 artillery pieces" last autumn, "more than 200"
//! today).
//!
//! The pipeline runs in one direction; each stage is a module with one job:
//!
//! ```text
//! daemon (schedule) → fetch → feed → watch (prefilter on the entry)
//!   → fetch + article (main text) → watch (full query) → figures (mentions,
//!   assignment, change decision) → store (one transaction per article)
//!   → alert (outbox → sinks, retried)
//! ```
//!
//! `config` loads and validates the TOML file every stage reads from; `cli`
//! drives `daemon` and reads `store`; `text` holds the pure text helpers
//! (charset decoding, escaping, truncation, hashing) every stage may use. Only `fetch`, `store`, `alert` and
//! `daemon` do IO; `feed`, `watch`, `article` and `figures` are pure functions
//! of their input. See `ARCHITECTURE.md` for the codemap and invariants.

#[cfg(feature = "daemon")]
pub mod alert;
pub mod article;
#[cfg(feature = "daemon")]
pub mod cli;
pub mod config;
#[cfg(feature = "daemon")]
pub mod daemon;
pub mod feed;
pub mod fetch;
pub mod figures;
#[cfg(feature = "daemon")]
pub mod store;
pub mod text;
pub mod watch;
