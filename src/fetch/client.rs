//! The HTTP client: requests with conditional headers, timeouts, the body
//! cap while streaming, redirects checked hop by hop, and the errors a
//! fetch ends in.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderValue};
use url::Url;

use super::redirect::Redirects;
use crate::config::redact;

/// Default time allowed to establish a connection (TCP and TLS).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of redirects followed before a fetch fails.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;

/// Settings of a [`Client`].
#[derive(Debug, Clone)]
pub struct Options {
    /// Total time for one request, body included.
    pub timeout: Duration,
    /// Largest body read, in bytes.
    pub max_body: u64,
    /// User-Agent header.
    pub user_agent: String,
    /// Time to establish a connection; the smaller of this and `timeout`
    /// applies.
    pub connect_timeout: Duration,
    /// Redirects followed before the fetch fails with [`Error::Network`].
    pub max_redirects: usize,
    /// Names resolved without DNS (still checked by the guard); the
    /// `FIGWATCH_RESOLVE` environment variable adds to them.
    pub resolve: super::guard::Overrides,
}

impl Options {
    /// Options with the given limits and the default connect timeout and
    /// redirect limit.
    pub fn new(timeout: Duration, max_body: u64, user_agent: impl Into<String>) -> Options {
        Options {
            timeout,
            max_body,
            user_agent: user_agent.into(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            resolve: super::guard::Overrides::new(),
        }
    }
}

impl Default for Options {
    fn default() -> Options {
        Options::new(
            crate::config::DEFAULT_TIMEOUT,
            crate::config::DEFAULT_MAX_BODY,
            crate::config::DEFAULT_USER_AGENT,
        )
    }
}

/// Cache validators from a previous response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// `ETag` response header.
    pub etag: Option<String>,
    /// `Last-Modified` response header.
    pub last_modified: Option<String>,
}

/// Whose link is being fetched, which decides where it may go. Every hop
/// not allowed here goes through the guard: a literal non-public address is
/// refused before sending, a name at connect time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A feed URL from the config.
    Feed {
        /// The requested URL's own origin (scheme, host, port) may be
        /// non-public: the config named it.
        allow_private: bool,
        /// Redirects to other origins may be non-public too (the feed's
        /// `allow_private`); otherwise they are guarded.
        allow_private_redirects: bool,
    },
    /// An article link (anyone who writes a feed writes those).
    Article {
        /// Every hop may be non-public: the config allows it for this feed.
        allow_private: bool,
    },
}

impl Target {
    /// Every [`Target::label`].
    pub const LABELS: [&'static str; 2] = ["feed", "article"];

    /// What the fetch is for, the `target` label of the metrics: `feed` or
    /// `article`.
    pub fn label(&self) -> &'static str {
        match self {
            Target::Feed { .. } => "feed",
            Target::Article { .. } => "article",
        }
    }

    /// Whether `hop`, reached from `requested`, may be non-public.
    fn allows_private(self, requested: &Url, hop: &Url) -> bool {
        match self {
            Target::Feed {
                allow_private,
                allow_private_redirects,
            } => allow_private_redirects || (allow_private && hop.origin() == requested.origin()),
            Target::Article { allow_private } => allow_private,
        }
    }
}

/// A successful response.
#[derive(Debug, Clone)]
pub struct Response {
    /// URL after redirects.
    pub url: Url,
    /// Set when a permanent redirect (301/308) was followed from the request
    /// URL: the end of the longest run of permanent redirects starting there.
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
    /// The body as text: a byte-order mark, then the charset from the
    /// header, then the document (`<?xml encoding>`, `<meta charset>`), then
    /// detection (with the host's top-level domain as a hint).
    pub fn text(&self) -> String {
        crate::text::decode_with_tld(
            &self.body,
            self.content_type.as_deref(),
            crate::text::tld(&self.url),
        )
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

/// A URL as errors show it: without credentials (`config::redact`).
fn shown(url: &Url) -> String {
    redact::url(url)
}

/// Why a GET failed. Each variant names the URL, without its credentials.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No complete response within the timeout.
    #[error("{}: timed out after {after:?}", shown(url))]
    Timeout {
        /// Requested URL.
        url: Url,
        /// The timeout.
        after: Duration,
    },
    /// Non-2xx, non-304 status.
    #[error("{}: HTTP {status}", shown(url))]
    Status {
        /// Requested URL.
        url: Url,
        /// The status code.
        status: u16,
        /// `Retry-After` on 429/503.
        retry_after: Option<Duration>,
    },
    /// The body exceeded `max_body`.
    #[error("{}: response larger than {limit} bytes", shown(url))]
    TooLarge {
        /// Requested URL.
        url: Url,
        /// The cap.
        limit: u64,
    },
    /// Refused before sending: not http(s), or a private address.
    #[error("{}: refused: {}", shown(url), redact::urls_in(reason))]
    Refused {
        /// Requested URL.
        url: Url,
        /// Why.
        reason: String,
    },
    /// DNS, connect, TLS, protocol or redirect errors.
    #[error("{}: {}", shown(url), redact::urls_in(message))]
    Network {
        /// Requested URL.
        url: Url,
        /// The error chain as text.
        message: String,
    },
}

impl Error {
    /// Every [`Error::kind`], in the order the metrics list them.
    pub const KINDS: [&'static str; 5] = ["timeout", "status", "too_large", "refused", "network"];

    /// The kind of failure, the `kind` label of the metrics: one of
    /// [`Error::KINDS`].
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Timeout { .. } => Error::KINDS[0],
            Error::Status { .. } => Error::KINDS[1],
            Error::TooLarge { .. } => Error::KINDS[2],
            Error::Refused { .. } => Error::KINDS[3],
            Error::Network { .. } => Error::KINDS[4],
        }
    }
}

impl Error {
    /// The requested URL the error is about.
    pub fn url(&self) -> &Url {
        match self {
            Error::Timeout { url, .. }
            | Error::Status { url, .. }
            | Error::TooLarge { url, .. }
            | Error::Refused { url, .. }
            | Error::Network { url, .. } => url,
        }
    }
}

/// `Accept` for feeds: every feed format first, HTML last (some sites
/// serve the feed only to clients that do not ask for HTML).
const ACCEPT_FEED: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, \
     application/json;q=0.8, text/html;q=0.5, */*;q=0.1";
/// `Accept` for article pages.
const ACCEPT_ARTICLE: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

/// An HTTP client shared by every fetch; connections are reused.
///
/// Cloning is cheap and shares the connection pools.
#[derive(Debug, Clone)]
pub struct Client {
    /// For hops the [`Target`] allows to be private.
    plain: reqwest::Client,
    /// For every other hop: its resolver refuses names that resolve to
    /// non-public addresses at connect time, which also defeats DNS
    /// rebinding. A separate pool, so a connection opened without the check
    /// is never reused for a checked request.
    guarded: reqwest::Client,
    /// The guarded client's resolver, to check a name before it is handed
    /// to a proxy (which resolves it out of our sight).
    guard: super::guard::Resolver,
    /// Proxy hosts from the environment: a guarded hop to one is refused.
    proxies: Arc<[String]>,
    options: Arc<Options>,
}

impl Client {
    /// Builds the client.
    ///
    /// Fails only when the HTTP stack cannot be set up (for example a
    /// User-Agent that is not a valid header value); the error then names
    /// `about:blank`, since no URL is involved yet.
    pub fn new(options: Options) -> Result<Client, Error> {
        let build_error = |error: reqwest::Error| Error::Network {
            url: placeholder_url(),
            message: format!("HTTP client could not be built: {}", error_chain(&error)),
        };
        let mut overrides = options.resolve.clone();
        if let Ok(text) = std::env::var(super::guard::RESOLVE_ENV) {
            let (parsed, invalid) = super::guard::parse_overrides(&text);
            for entry in invalid {
                tracing::warn!(entry = %entry, "Ignoring a {} entry that is not name=ip[,ip]", super::guard::RESOLVE_ENV);
            }
            overrides.extend(parsed);
        }
        let overrides = Arc::new(overrides);
        let proxies: Arc<[String]> = super::guard::proxy_hosts_from_env().into();
        let resolver = |guarded: bool| {
            Arc::new(super::guard::Resolver::new(
                guarded,
                proxies.clone(),
                overrides.clone(),
            ))
        };
        let plain = builder(&options)
            .dns_resolver(resolver(false))
            .build()
            .map_err(build_error)?;
        let guarded = builder(&options)
            .dns_resolver(resolver(true))
            .build()
            .map_err(build_error)?;
        Ok(Client {
            plain,
            guarded,
            guard: super::guard::Resolver::new(true, proxies.clone(), overrides),
            proxies,
            options: Arc::new(options),
        })
    }

    /// GETs `url`, conditionally when `validators` are set.
    ///
    /// The whole exchange, redirects and body included, must finish within
    /// `Options::timeout`.
    pub async fn get(&self, url: &Url, validators: &Validators, target: Target) -> Outcome {
        let after = self.options.timeout;
        match tokio::time::timeout(after, self.exchange(url, validators, target)).await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(error)) => Outcome::Failed(error),
            Err(_elapsed) => Outcome::Failed(Error::Timeout {
                url: url.clone(),
                after,
            }),
        }
    }

    /// Sends the request and follows redirects by hand, so that every hop's
    /// scheme and address are checked and permanent moves are recorded.
    async fn exchange(
        &self,
        url: &Url,
        validators: &Validators,
        target: Target,
    ) -> Result<Outcome, Error> {
        let mut current = url.clone();
        let mut redirects = Redirects::default();
        loop {
            let response = self.send(url, &current, validators, target).await?;
            let status = response.status();
            if status.is_redirection()
                && status != StatusCode::NOT_MODIFIED
                && let Some(location) = response.headers().get(header::LOCATION)
            {
                let max = self.options.max_redirects;
                current = redirects.follow(url, current, location, status, max)?;
                continue;
            }
            return self.answer(url, response, redirects.moved_to).await;
        }
    }

    /// One hop: checked against the guard, then sent with the validators
    /// through the client the target allows.
    async fn send(
        &self,
        url: &Url,
        current: &Url,
        validators: &Validators,
        target: Target,
    ) -> Result<reqwest::Response, Error> {
        let guarded = !target.allows_private(url, current);
        super::guard::check_hop(url, current, guarded.then_some(&*self.proxies))?;
        if guarded && !self.proxies.is_empty() {
            self.check_name_before_proxy(url, current).await?;
        }
        let client = if guarded { &self.guarded } else { &self.plain };
        let accept = match target {
            Target::Feed { .. } => ACCEPT_FEED,
            Target::Article { .. } => ACCEPT_ARTICLE,
        };
        let mut request = client
            .get(current.clone())
            .header(header::ACCEPT, HeaderValue::from_static(accept));
        // A validator that is not a valid header value (it came from a
        // server, so anything goes) is dropped rather than failing.
        if let Some(etag) = validators.etag.as_deref()
            && let Ok(value) = HeaderValue::from_str(etag)
        {
            request = request.header(header::IF_NONE_MATCH, value);
        }
        if let Some(date) = validators.last_modified.as_deref()
            && let Ok(value) = HeaderValue::from_str(date)
        {
            request = request.header(header::IF_MODIFIED_SINCE, value);
        }
        request
            .send()
            .await
            .map_err(|error| self.request_error(url, &error))
    }

    /// The outcome of a response that is not a redirect: 304, an error
    /// status, or the body read within the cap.
    async fn answer(
        &self,
        url: &Url,
        response: reqwest::Response,
        moved_to: Option<Url>,
    ) -> Result<Outcome, Error> {
        let status = response.status();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Outcome::NotModified);
        }
        if !status.is_success() {
            let retry_after = match status {
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => response
                    .headers()
                    .get(header::RETRY_AFTER)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| super::headers::retry_after(value, SystemTime::now())),
                _ => None,
            };
            return Err(Error::Status {
                url: url.clone(),
                status: status.as_u16(),
                retry_after,
            });
        }
        let response_headers = response.headers();
        let header_text = |name: header::HeaderName| {
            response_headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header_text(header::CONTENT_TYPE);
        let validators = Validators {
            etag: header_text(header::ETAG),
            last_modified: header_text(header::LAST_MODIFIED),
        };
        let max_age = super::headers::max_age(response_headers, SystemTime::now());
        let final_url = response.url().clone();
        let body = self.read_body(url, response).await?;
        Ok(Outcome::Fetched(Response {
            url: final_url,
            moved_to,
            content_type,
            body,
            validators,
            max_age,
        }))
    }

    /// Reads the body chunk by chunk; the chunks are already decompressed,
    /// so a compression bomb costs at most the cap.
    async fn read_body(
        &self,
        url: &Url,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, Error> {
        let limit = self.options.max_body;
        let too_large = || Error::TooLarge {
            url: url.clone(),
            limit,
        };
        // Without a content coding, Content-Length is the body length and
        // lets us refuse before reading anything.
        let expected = response.content_length();
        if expected.is_some_and(|length| length > limit) {
            return Err(too_large());
        }
        let capacity = usize::try_from(expected.unwrap_or(0).min(limit)).unwrap_or(0);
        let mut body = Vec::with_capacity(capacity);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| self.request_error(url, &error))?
        {
            let length = u64::try_from(body.len() + chunk.len()).unwrap_or(u64::MAX);
            if length > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// Behind a proxy the proxy resolves `hop`'s name, so our resolver never
    /// sees it: resolve and check it here first. (A name on the `NO_PROXY`
    /// list is connected to directly and checked again at connect time.)
    async fn check_name_before_proxy(&self, requested: &Url, hop: &Url) -> Result<(), Error> {
        let Some(url::Host::Domain(name)) = hop.host() else {
            return Ok(());
        };
        match self.guard.lookup(name).await {
            Ok(_) => Ok(()),
            Err(error) => match error.downcast_ref::<super::guard::Refusal>() {
                Some(refusal) => Err(Error::Refused {
                    url: requested.clone(),
                    reason: super::guard::hop_reason(requested, hop, refusal.to_string()),
                }),
                None => Err(Error::Network {
                    url: requested.clone(),
                    message: format!("DNS lookup failed: {error}"),
                }),
            },
        }
    }

    /// Maps a reqwest error to ours: timeouts, guard refusals from the
    /// resolver, and everything else as a readable chain.
    fn request_error(&self, url: &Url, error: &reqwest::Error) -> Error {
        if let Some(refusal) = super::guard::find_refusal(error) {
            return Error::Refused {
                url: url.clone(),
                reason: refusal.to_string(),
            };
        }
        if error.is_timeout() {
            let after = if error.is_connect() {
                self.options.connect_timeout.min(self.options.timeout)
            } else {
                self.options.timeout
            };
            return Error::Timeout {
                url: url.clone(),
                after,
            };
        }
        Error::Network {
            url: url.clone(),
            message: error_chain(error),
        }
    }
}

/// The reqwest client both pools are built from.
fn builder(options: &Options) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(options.user_agent.clone())
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(options.connect_timeout.min(options.timeout))
        .timeout(options.timeout)
        .tcp_keepalive(Duration::from_secs(60))
        .pool_idle_timeout(Duration::from_secs(90))
}

/// The error as one readable line. Connection failures name the stage
/// ("DNS lookup failed", "connection failed") and the root cause, since
/// the layers in between (reqwest, hyper) only repeat "error sending
/// request"; anything else is the whole chain, without repeating a message
/// that already contains the next one.
fn error_chain(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    // The URL is already in our error's Display.
    let top = error.to_string();
    let top = match error.url() {
        Some(url) => top.replace(&format!(" for url ({url})"), ""),
        None => top,
    };
    parts.push(top);
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if parts.last().is_none_or(|last| !last.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    if error.is_connect()
        && let Some(root) = parts.last()
    {
        let stage = if parts.iter().any(|part| part.starts_with("dns error")) {
            "DNS lookup failed"
        } else {
            "connection failed"
        };
        return format!("{stage}: {root}");
    }
    parts.join(": ")
}

/// Stands in for a URL in errors that happen before any request.
fn placeholder_url() -> Url {
    // Invariant: a constant, valid URL.
    Url::parse("about:blank").unwrap_or_else(|_| unreachable!("about:blank parses"))
}
