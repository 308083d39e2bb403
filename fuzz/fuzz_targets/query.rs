//! The watch query parser and matcher: the first line is a query, the rest
//! the text it is matched against.
#![no_main]

use figwatch::watch::{Matcher, Query};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let (query, text) = data.split_once('\n').unwrap_or((data, ""));
    let _ = figwatch::watch::normalize(text);
    if let Ok(query) = Query::parse(query) {
        let matcher = Matcher::new(&[&query]);
        let _ = matcher.prefilter(text);
        let _ = matcher.matching(text);
    }
});
