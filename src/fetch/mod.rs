//! HTTP GET for feeds and articles: conditional headers (ETag /
//! Last-Modified), timeouts, a body size cap enforced while streaming,
//! redirects, gzip/br/deflate, character-set decoding, Retry-After, and the
//! refusal of article links that point into private networks.
//!
//! This module owns the wire: what is sent, how long we wait, how much we
//! read and which addresses we are willing to talk to. It does not parse
//! what it fetched (that is `feed` and `article`), decide when to poll next
//! (`daemon` reads [`Response::max_age`] and [`Error::Status`]'s
//! `retry_after`), or store validators (`store`).
//!
//! Bytes become text in `crate::text::decode`, which `feed` uses too. Seams,
//! all IO and built with the `daemon` feature only: `client` is the HTTP
//! client, `redirect` the redirects it follows hop by hop, `guard`
//! classifies addresses, checks each hop and filters DNS answers, `headers`
//! parses the caching headers.

#[cfg(feature = "daemon")]
mod client;
#[cfg(feature = "daemon")]
mod guard;
#[cfg(feature = "daemon")]
mod headers;
#[cfg(feature = "daemon")]
mod redirect;
#[cfg(test)]
#[cfg(feature = "daemon")]
mod tests;

#[cfg(feature = "daemon")]
pub use client::*;
#[cfg(test)]
#[cfg(feature = "daemon")]
use guard::check_hop;
#[cfg(feature = "daemon")]
pub use guard::{Overrides, RESOLVE_ENV, is_private_literal, non_public_kind, parse_overrides};
