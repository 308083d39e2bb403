#![allow(
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

//! figwatch's integration tests: the real binary against a local news site
//! and webhook receiver on 127.0.0.1, with real SQLite files in temp dirs.

mod alerts;
mod claims;
mod claims_e2e;
mod cli;
mod crash;
mod demo;
mod desks;
mod ops;
mod fixtures;
mod instances;
mod invariants;
mod instances_run;
mod pipeline;
mod retention;
mod revisions;
mod service;
mod secrets;
mod servers;
mod status_server;
mod ssrf;
mod support;
