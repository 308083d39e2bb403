//! A live page (`[[page]]`): its main text read whenever the page answers
//! with a body (a 304 leaves it alone). The page is one article under its
//! URL; a text that differs from the stored one is a revision of it, dated
//! when it was fetched, read by the page's watches whose queries match.

use chrono::Utc;
use tracing::debug;

use super::entry::{ArticleText, OwnedEntry, Recording, record};
use super::{FeedReport, Read};
use crate::daemon::Context;
use crate::{article, config, fetch, store};

/// Reads a fetched page and records it (first reading or revision).
pub(super) async fn read_page(
    ctx: &Context,
    page: &config::Page,
    state: &store::FeedState,
    response: fetch::Response,
    report: &mut FeedReport,
) -> Read {
    let text = page_text(page, &response);
    let mut validators = response.validators;
    if text.text.trim().is_empty() {
        debug!("Page has no main text");
    } else {
        let matched = page_watches(ctx, page, &text);
        let entry = OwnedEntry {
            key: text.url.to_string(),
            url: Some(text.url.to_string()),
            title: text.title.clone(),
            published_at: None,
            hash: Some(store::content_hash(&text.title, &text.text)),
        };
        let source = source(page);
        let recording = Recording {
            feed_id: state.id,
            source: &source,
            baseline: ctx.config.daemon.baseline && !state.polled_ok,
        };
        match record(ctx, recording, entry, text, matched, Some(Utc::now())).await {
            Ok(recorded) => {
                if recorded.revision > 0 {
                    report.n_revisions += 1;
                } else if !recorded.duplicate {
                    report.n_articles += 1;
                }
                report.n_alerts += recorded.n_alerts;
            }
            Err(err) => {
                tracing::error!(error = %err, "Cannot record the page");
                // Read again on the next poll rather than hidden behind a 304.
                validators = fetch::Validators::default();
            }
        }
    }
    Read::Done {
        title: None,
        validators,
        moved_to: response.moved_to,
        hints: [None, response.max_age],
    }
}

/// The page as an article: its main text, its title (else its name).
fn page_text(page: &config::Page, response: &fetch::Response) -> ArticleText {
    let extracted = article::extract(&response.text(), &response.url, page.selector.as_deref());
    ArticleText {
        url: identity(&page.url),
        title: extracted
            .title
            .filter(|title| !title.trim().is_empty())
            .unwrap_or_else(|| source(page)),
        text: extracted.text,
        published_at: extracted.published,
    }
}

/// The watches that read the page: its own (every one by default), those
/// whose query matches its text.
fn page_watches(ctx: &Context, page: &config::Page, text: &ArticleText) -> Vec<usize> {
    ctx.matcher
        .matching(&format!("{}\n\n{}", text.title, text.text))
        .into_iter()
        .filter(|&idx| {
            ctx.config
                .watches
                .get(idx)
                .is_some_and(|watch| page.read_by(&watch.name))
        })
        .collect()
}

/// The page's article identity: its configured URL without credentials.
fn identity(url: &url::Url) -> url::Url {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url
}

/// The name alerts give the page: configured, else its host.
fn source(page: &config::Page) -> String {
    page.name
        .clone()
        .unwrap_or_else(|| page.url.host_str().unwrap_or("").to_string())
}
