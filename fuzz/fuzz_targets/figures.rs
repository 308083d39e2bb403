//! The figure extractor: the first line is a headline, the rest the body.
#![no_main]

use figwatch::config::Figure;
use figwatch::figures;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let (title, body) = data.split_once('\n').unwrap_or((data, ""));
    let figures = [
        Figure::new("artillery", &["artillery pieces", "artillery", "howitzers"]),
        Figure::new("troops", &["troops", "soldiers"]),
        Figure::new("shells", &["shells"]),
        Figure::new("inflation", &["percent", "%"]),
        Figure::new("aid", &["dollars", "$"]),
    ];
    let _ = figures::read(title, body, &figures);
});
