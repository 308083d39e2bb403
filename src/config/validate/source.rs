//! `[[feed]]` and `[[page]]` tables → [`Feed`] and [`Page`]: the sources
//! figwatch polls. Their URLs are one namespace (both are polled and
//! stored by URL), so each URL may be listed once across both.

use std::collections::HashMap;
use std::time::Duration;

use toml::Spanned;

use super::super::raw::*;
use super::super::*;
use super::{Validator, css_selector_problem, line_col};

/// Where (the source offset) each URL was first listed. The line is worked
/// out only for a URL listed twice: counting lines up to every feed made
/// parsing a config quadratic in its feeds (issue 20).
#[derive(Debug, Default)]
pub(super) struct Urls(HashMap<String, usize>);

impl Validator<'_> {
    /// Every `[[feed]]`, each URL once.
    pub(super) fn feeds(&mut self, raw: Vec<Spanned<RawFeed>>, urls: &mut Urls) -> Vec<Feed> {
        let mut feeds: Vec<Feed> = Vec::with_capacity(raw.len());
        for raw_feed in raw {
            let offset = raw_feed
                .get_ref()
                .url
                .as_ref()
                .map_or(raw_feed.span().start, |url| url.span().start);
            let Some(feed) = self.feed(raw_feed) else {
                continue;
            };
            if self.first_listing(&feed.url, offset, "feed", "[[feed]]", urls) {
                feeds.push(feed);
            }
        }
        feeds
    }

    /// Every `[[page]]`, each URL once (and none a feed's).
    pub(super) fn pages(
        &mut self,
        raw: Vec<Spanned<RawPage>>,
        watch_names: &[&str],
        urls: &mut Urls,
    ) -> Vec<Page> {
        let mut pages: Vec<Page> = Vec::with_capacity(raw.len());
        for raw_page in raw {
            let offset = raw_page.get_ref().url.span().start;
            let Some(page) = self.page(raw_page, watch_names) else {
                continue;
            };
            if self.first_listing(&page.url, offset, "page", "", urls) {
                pages.push(page);
            }
        }
        pages
    }

    /// Whether `url` (at `offset`) is listed for the first time; a problem
    /// if not.
    fn first_listing(
        &mut self,
        url: &url::Url,
        offset: usize,
        what: &str,
        table: &str,
        urls: &mut Urls,
    ) -> bool {
        if let Some(first) = urls.0.get(url.as_str()) {
            let (first, _) = line_col(self.source, *first);
            let remove = if table.is_empty() {
                "remove one".to_string()
            } else {
                format!("remove one {table}")
            };
            self.problem(
                offset,
                format!(
                    "{what} url {} is listed twice (first at line {first}); {remove}",
                    redact::url(url)
                ),
            );
            return false;
        }
        urls.0.insert(url.to_string(), offset);
        true
    }

    fn feed(&mut self, raw: Spanned<RawFeed>) -> Option<Feed> {
        let offset = raw.span().start;
        let raw = raw.into_inner();
        let url = self.url_or_secret_url(
            "feed",
            "feed url",
            (raw.url, raw.url_env, raw.url_file),
            offset,
        );
        let interval = raw
            .interval
            .map(|interval| self.duration(Some(interval), DEFAULT_POLL_INTERVAL));
        let article_selector = raw
            .article_selector
            .and_then(|selector| self.selector(selector));
        // "0s" is a revisit whenever the entry changes.
        let zero = raw.revisit.as_ref().is_some_and(|revisit| {
            matches!(revisit.get_ref(), RawNumberOrText::Text(text)
                if humantime::parse_duration(text).is_ok_and(|duration| duration.is_zero()))
        });
        let revisit = if zero {
            Duration::ZERO
        } else {
            self.duration(raw.revisit, DEFAULT_REVISIT)
        };
        Some(Feed {
            url: url?,
            name: raw.name.filter(|name| !name.trim().is_empty()),
            interval,
            article_selector,
            allow_private: raw.allow_private.unwrap_or(false),
            allow_private_articles: raw.allow_private_articles,
            revisit,
            category: raw.category.filter(|category| !category.trim().is_empty()),
        })
    }

    fn selector(&mut self, selector: Spanned<String>) -> Option<String> {
        match css_selector_problem(selector.get_ref()) {
            None => Some(selector.into_inner()),
            Some(problem) => {
                self.problem(
                    selector.span().start,
                    format!("invalid CSS selector {:?}: {problem}", selector.get_ref()),
                );
                None
            }
        }
    }

    fn page(&mut self, raw: Spanned<RawPage>, watch_names: &[&str]) -> Option<Page> {
        let raw = raw.into_inner();
        let url = self.http_url(&raw.url, "page url");
        let interval = raw
            .interval
            .map(|interval| self.duration(Some(interval), DEFAULT_POLL_INTERVAL));
        let selector = raw.selector.and_then(|selector| self.selector(selector));
        let watches = raw.watches.map(|names| {
            names
                .into_iter()
                .filter_map(|name| {
                    if watch_names.contains(&name.get_ref().as_str()) {
                        return Some(name.into_inner());
                    }
                    self.problem(
                        name.span().start,
                        format!(
                            "page watches names unknown watch {:?} (defined watches: {})",
                            name.get_ref(),
                            watch_names.join(", ")
                        ),
                    );
                    None
                })
                .collect()
        });
        Some(Page {
            url: url?,
            name: raw.name.filter(|name| !name.trim().is_empty()),
            interval,
            selector,
            watches,
            allow_private: raw.allow_private.unwrap_or(false),
        })
    }
}
