//! What keeps the status server standing and to itself: a cap on
//! connections (more are closed as they are accepted, so slow or idle
//! clients never use up the daemon's file descriptors), a deadline for a
//! request's headers that is also the idle time of a kept-alive connection,
//! a lifetime cap per connection, the `Host` check that defeats DNS
//! rebinding, and the headers that stop a browser from doing more with the
//! page than showing it.
//!
//! It does not decide what is served (the routes in `status.rs`) or where
//! it listens (`[daemon] listen`).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Connections served at once; one more is closed as soon as it is
/// accepted.
pub(crate) const MAX_CONNECTIONS: usize = 32;
/// Time a client has to send a request's headers, counted from when the
/// connection is ready for one: also how long an idle connection stays.
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest one connection lives, however it behaves (a client that
/// never reads its response).
pub(crate) const MAX_CONNECTION_TIME: Duration = Duration::from_secs(30);
/// Largest request head read.
const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Pause after a failed `accept` (out of file descriptors), so the loop
/// does not spin while connections close.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// `Content-Security-Policy` of every response: the page's own inline
/// style and inline SVG, nothing else; no scripts, frames or forms.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The `Host` values the server answers to: any IP address (a browser
/// that reached us by address is no rebinding: the address is its origin),
/// `localhost`, and the names in `[daemon] allowed_hosts`. A rebinding
/// attack always carries the attacker's name, which is none of them.
#[derive(Debug, Clone, Default)]
pub struct AllowedHosts {
    names: Vec<String>,
}

impl AllowedHosts {
    /// The defaults plus `names` (lower-cased).
    pub fn new(names: &[String]) -> AllowedHosts {
        AllowedHosts {
            names: names
                .iter()
                .map(|name| name.trim_end_matches('.').to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether a request with this `Host` header is answered.
    pub fn allows(&self, host_header: &str) -> bool {
        let host = host_header.trim();
        // Drop the port: after `]` for IPv6, after the last `:` otherwise
        // (a bare IPv6 address is not a valid Host).
        let host = match host.strip_prefix('[') {
            Some(rest) => rest.split_once(']').map_or(rest, |(address, _)| address),
            None => host.rsplit_once(':').map_or(host, |(name, _)| name),
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        host.parse::<IpAddr>().is_ok() || host == "localhost" || self.names.contains(&host)
    }
}

/// Middleware: 421 for a `Host` that is not allowed. A request without
/// one (HTTP/1.0) is no browser's and is answered.
pub(super) async fn check_host(
    State(hosts): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let allowed = match request.headers().get(header::HOST) {
        None => true,
        Some(value) => value.to_str().is_ok_and(|host| hosts.allows(host)),
    };
    if !allowed {
        return (
            StatusCode::MISDIRECTED_REQUEST,
            "unknown Host; add it to [daemon] allowed_hosts\n",
        )
            .into_response();
    }
    next.run(request).await
}

/// Middleware: the headers every response carries.
pub(super) async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Accepts connections until `cancel`, at most [`MAX_CONNECTIONS`] served
/// at once, each on `tracker`.
pub(super) async fn accept_loop(
    listener: tokio::net::TcpListener,
    app: Router,
    tracker: TaskTracker,
    cancel: CancellationToken,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let accepted = tokio::select! {
            () = cancel.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(err) => {
                tracing::warn!(error = %err, "Status server cannot accept a connection");
                tokio::select! {
                    () = cancel.cancelled() => break,
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                }
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            tracing::debug!("Status server at its connection cap, closing a new connection");
            drop(stream);
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let cancel = cancel.clone();
        tracker.spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .max_buf_size(MAX_HEADER_BYTES);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = tokio::time::sleep(MAX_CONNECTION_TIME) => {}
                () = cancel.cancelled() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(1), connection).await;
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::AllowedHosts;

    #[track_caller]
    fn check(hosts: &AllowedHosts, host: &str, expected: bool) {
        assert_eq!(hosts.allows(host), expected, "{host}");
    }

    #[test]
    fn host_header_is_an_address_localhost_or_a_configured_name() {
        let hosts = AllowedHosts::new(&["Status.Example.org".to_owned()]);
        check(&hosts, "127.0.0.1:9464", true);
        check(&hosts, "[::1]:9464", true);
        check(&hosts, "192.0.2.7", true);
        check(&hosts, "localhost:9464", true);
        check(&hosts, "status.example.org.", true);
        check(&hosts, "status.example.org:443", true);
        check(&hosts, "attacker.example", false);
        check(&hosts, "attacker.example:9464", false);
        check(&hosts, "localhost.attacker.example", false);
        check(&hosts, "", false);
    }
}
