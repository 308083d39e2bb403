//! Alerts: the DESIGN.md alert JSON, the human-readable message, the sinks
//! (log, webhook, ntfy, email, slack, discord, command) and delivery from the
//! store's outbox with retries.
//!
//! SKELETON: the helper owning this module replaces the bodies.

use std::time::Duration;

use crate::{config, store};

/// Deliveries of one alert through one sink are given up after this many attempts.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 12;

/// Why a delivery failed.
#[derive(Debug, thiserror::Error)]
#[error("sink {sink}: {message}")]
pub struct Error {
    sink: String,
    message: String,
}

/// The configured sinks.
#[derive(Debug)]
pub struct Sinks {}

impl Sinks {
    /// Builds the sinks.
    pub fn new(sinks: &[config::Sink], timeout: Duration) -> Sinks {
        let _ = (sinks, timeout);
        todo!()
    }

    /// Sends one alert through one sink.
    pub async fn send(&self, sink_name: &str, row: &store::AlertRow) -> Result<(), Error> {
        let _ = (sink_name, row);
        todo!()
    }
}

/// Backoff before retry number `attempts`.
pub fn retry_delay(attempts: u32) -> Duration {
    let _ = attempts;
    todo!()
}
