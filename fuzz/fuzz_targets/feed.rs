//! The feed parser: RSS, Atom and JSON Feed, by content type and by sniffing.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let Ok(url) = url::Url::parse("https://news.example/feeds/world.xml") else {
        return;
    };
    let _ = figwatch::feed::parse(body, None, &url);
    let _ = figwatch::feed::parse(body, Some("application/rss+xml; charset=utf-8"), &url);
    let _ = figwatch::feed::parse(body, Some("application/feed+json"), &url);
});
