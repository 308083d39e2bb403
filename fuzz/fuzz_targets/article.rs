//! The article extractor, with and without a per-feed selector.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    let Ok(url) = url::Url::parse("https://news.example/world/2025/02/report.html") else {
        return;
    };
    let _ = figwatch::article::extract(html, &url, None);
    let _ = figwatch::article::extract(html, &url, Some("div.article-body, article p"));
});
