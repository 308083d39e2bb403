//! HTTP GET for feeds and articles: conditional headers (ETag /
//! Last-Modified), timeouts, a body size cap enforced while streaming,
//! redirects, gzip/br/deflate, character-set decoding, Retry-After, and the
//! refusal of article links that point into private networks.
//!
//! SKELETON: the helper owning this module replaces the bodies.

use std::time::Duration;
use url::Url;

/// Settings of a [`Client`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Total time for one request, body included.
    pub timeout: Duration,
    /// Largest body read, in bytes.
    pub max_body: u64,
    /// User-Agent header.
    pub user_agent: String,
}

/// Cache validators from a previous response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag` response header.
    pub etag: Option<String>,
    /// `Last-Modified` response header.
    pub last_modified: Option<String>,
}

/// Whose link is being fetched: a configured feed (trusted) or an article
/// link from a feed (anyone can write those; private addresses are refused
/// unless allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A feed URL from the config.
    Feed,
    /// An article link; `allow_private` when the feed itself is private or
    /// the config allows it.
    Article {
        /// Fetch even if the host resolves to a non-public address.
        allow_private: bool,
    },
}

/// A successful response.
#[derive(Debug, Clone)]
pub struct Response {
    /// URL after redirects.
    pub url: Url,
    /// Set when a permanent redirect (301/308) was followed from the request URL.
    pub moved_to: Option<Url>,
    /// `Content-Type` header.
    pub content_type: Option<String>,
    /// The body, decompressed, at most `max_body` bytes.
    pub body: Vec<u8>,
    /// Validators for the next conditional request.
    pub validators: Validators,
    /// Freshness the server asked for (`Cache-Control: max-age`, `Expires`).
    pub max_age: Option<Duration>,
}

impl Response {
    /// The body as text: charset from the header, then the document
    /// (`<?xml encoding>`, `<meta charset>`), then detection.
    pub fn text(&self) -> String {
        todo!()
    }
}

/// The result of one GET.
#[derive(Debug)]
pub enum Outcome {
    /// 2xx with a body.
    Fetched(Response),
    /// 304: nothing new since the validators.
    NotModified,
    /// Anything else.
    Failed(Error),
}

/// Why a GET failed. Each variant names the URL.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No complete response within the timeout.
    #[error("{url}: timed out after {after:?}")]
    Timeout {
        /// Requested URL.
        url: Url,
        /// The timeout.
        after: Duration,
    },
    /// Non-2xx, non-304 status.
    #[error("{url}: HTTP {status}")]
    Status {
        /// Requested URL.
        url: Url,
        /// The status code.
        status: u16,
        /// `Retry-After` on 429/503.
        retry_after: Option<Duration>,
    },
    /// The body exceeded `max_body`.
    #[error("{url}: response larger than {limit} bytes")]
    TooLarge {
        /// Requested URL.
        url: Url,
        /// The cap.
        limit: u64,
    },
    /// Refused before sending: not http(s), or a private address.
    #[error("{url}: refused: {reason}")]
    Refused {
        /// Requested URL.
        url: Url,
        /// Why.
        reason: String,
    },
    /// DNS, connect, TLS, protocol or redirect errors.
    #[error("{url}: {message}")]
    Network {
        /// Requested URL.
        url: Url,
        /// The error chain as text.
        message: String,
    },
}

/// An HTTP client shared by every fetch; connections are reused.
#[derive(Debug, Clone)]
pub struct Client {}

impl Client {
    /// Builds the client.
    pub fn new(options: Options) -> Result<Client, Error> {
        let _ = options;
        todo!()
    }

    /// GETs `url`, conditionally when `validators` are set.
    pub async fn get(&self, url: &Url, validators: &Validators, target: Target) -> Outcome {
        let _ = (url, validators, target);
        todo!()
    }
}

/// Decodes bytes to text (placeholder until the fetch stage lands).
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    let _ = content_type;
    String::from_utf8_lossy(bytes).into_owned()
}
