//! A news site of desks for the tests that run the daemon for a while: each
//! desk's feed (`/feed/{N}.xml`) lists its newest articles and gains one on
//! every request until the site is frozen; and the webhook receiver
//! (`/hook`) that records the alert ids it gets, in order.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use chrono::{DateTime, TimeZone as _, Utc};

/// `N` desks' feeds: the newest article number of each.
pub struct Desks<const N: usize> {
    newest: [AtomicUsize; N],
    frozen: AtomicBool,
}

impl<const N: usize> Default for Desks<N> {
    fn default() -> Desks<N> {
        Desks {
            newest: std::array::from_fn(|_| AtomicUsize::new(0)),
            frozen: AtomicBool::new(false),
        }
    }
}

impl<const N: usize> Desks<N> {
    /// A request for the feed file `name` (`{N}.xml`): the desk and its
    /// newest article, one more than before unless frozen; `None` for a
    /// desk the site does not have.
    pub fn request(&self, name: &str) -> Option<(usize, usize)> {
        let desk = name
            .strip_suffix(".xml")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&desk| desk < N)?;
        let newest = if self.frozen.load(Ordering::SeqCst) {
            self.newest[desk].load(Ordering::SeqCst)
        } else {
            self.newest[desk].fetch_add(1, Ordering::SeqCst) + 1
        };
        Some((desk, newest))
    }

    /// The newest article of `desk`.
    pub fn newest(&self, desk: usize) -> usize {
        self.newest[desk].load(Ordering::SeqCst)
    }

    /// From now on every feed stays as it is.
    pub fn freeze(&self) {
        self.frozen.store(true, Ordering::SeqCst);
    }

    /// A request for article file `name` (`{n}.html`) of `desk`: the page
    /// `page(n)` makes, or 404 for a desk or name the site does not have.
    pub fn article(&self, desk: usize, name: &str, page: impl FnOnce(usize) -> String) -> Response {
        match name.strip_suffix(".html").and_then(|n| n.parse().ok()) {
            Some(n) if desk < N => (
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                page(n),
            )
                .into_response(),
            _ => StatusCode::NOT_FOUND.into_response(),
        }
    }
}

/// When article `sequence` (its place in publication order over the whole
/// site) was published: a minute after the one before.
pub fn published(sequence: usize) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap() + chrono::Duration::minutes(sequence as i64)
}

/// Desk `desk`'s RSS document around `items`.
pub fn rss(desk: usize, items: &str) -> Response {
    (
        [(header::CONTENT_TYPE, "application/rss+xml; charset=utf-8")],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
             <title>Desk {desk}</title><link>/</link><description>Desk {desk}</description>\
             {items}</channel></rss>"
        ),
    )
        .into_response()
}

/// The webhook receiver: alert ids in the order they arrived.
#[derive(Default)]
pub struct Receiver {
    ids: Mutex<Vec<String>>,
    changed: Condvar,
}

impl Receiver {
    /// `POST /hook`, answered 200 for an alert with an id.
    pub fn route(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/hook", post(hook))
            .with_state(Arc::clone(self))
    }

    /// Every id received so far.
    pub fn received(&self) -> Vec<String> {
        self.ids.lock().unwrap().clone()
    }

    /// Waits (bounded) until more than `seen` alerts arrived; false on
    /// timeout.
    pub fn wait_for_receipt_after(&self, seen: usize, within: Duration) -> bool {
        let ids = self.ids.lock().unwrap();
        let (ids, _) = self
            .changed
            .wait_timeout_while(ids, within, |ids| ids.len() <= seen)
            .unwrap();
        ids.len() > seen
    }
}

async fn hook(State(receiver): State<Arc<Receiver>>, body: Bytes) -> StatusCode {
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let Some(id) = body["id"].as_str() else {
        return StatusCode::BAD_REQUEST;
    };
    receiver.ids.lock().unwrap().push(id.to_string());
    receiver.changed.notify_all();
    StatusCode::OK
}
