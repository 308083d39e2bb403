//! Alerts: the DESIGN.md alert JSON, the human-readable message, the sinks
//! (log, webhook, ntfy, email, slack, discord, command) and delivery from the
//! store's outbox with retries.
//!
//! SKELETON: the helper owning this module replaces the bodies.
