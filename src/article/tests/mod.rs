//! Fixture pages in our own words, each with the traps that must never reach
//! `figures`: other headlines with numbers, captions, footers, banners.

use super::*;

mod hostile;
mod paragraphs;
mod dom;
mod shapes;

fn page_url() -> Url {
    Url::parse("https://news.example.org/world/2026/story-1").expect("static URL")
}

/// Extracts `html` and checks that `body` paragraphs appear in order and no
/// `trap` appears anywhere in the text.
#[track_caller]
fn check(html: &str, selector: Option<&str>, body: &[&str], traps: &[&str]) -> Article {
    let article = extract(html, &page_url(), selector);
    let mut from = 0;
    for paragraph in body {
        match article.text[from..].find(paragraph) {
            Some(at) => from += at + paragraph.len(),
            None => panic!(
                "missing or out of order: {paragraph:?}\n--- text ---\n{}",
                article.text
            ),
        }
    }
    for trap in traps {
        assert!(
            !article.text.contains(trap),
            "trap {trap:?} leaked into text:\n{}",
            article.text
        );
    }
    article
}

const BODY: [&str; 5] = [
    "The harbour authority said on Tuesday that more than 200 cargo cranes had been ordered for the new eastern terminal, a sharp rise from the figure given last spring.",
    "Officials told reporters that the first 40 cranes would arrive before the winter storms, with the rest following in batches over the next two years as the quay walls are finished.",
    "Dock workers' representatives welcomed the order but warned that training enough operators would take longer than the ministry expects, citing shortages at the existing western berths.",
    "Ministry of Ports figures",
    "A spokesperson for the ministry added that the budget for the expansion now stands at roughly 3.4 billion, and that no further increase is planned before the next election cycle begins.",
];

const TRAPS: [&str; 12] = [
    "Seven arrested after stadium brawl",
    "Lottery jackpot rolls over to 45 million",
    "Cranes unloading containers at dusk",
    "12 Quay Street",
    "+44 20 7946 0000",
    "We use cookies",
    "Sign up for our newsletter",
    "Share on Facebook",
    "window.analytics",
    "font-family",
    "Subscribe for 1 euro a week",
    "Comments (132)",
];

fn news_page() -> String {
    format!(
        r##"<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Harbour orders 200 cranes | The Example Gazette</title>
  <meta property="og:title" content="Harbour orders more than 200 cranes for new terminal">
  <meta property="og:site_name" content="The Example Gazette">
  <meta property="article:published_time" content="2026-03-04T09:30:00+01:00">
  <link rel="canonical" href="/world/2026/story-1?utm_source=rss&amp;id=7#top">
  <style>body {{ font-family: serif; }}</style>
  <script>window.analytics = {{ page: 1 }};</script>
</head>
<body>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
  <header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
  <div class="paywall-promo">Subscribe for 1 euro a week</div>
  <main>
    <article>
      <h1>Harbour orders more than 200 cranes for new terminal</h1>
      <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
      <figure><img src="/cranes.jpg" alt=""><figcaption>Cranes unloading containers at dusk. Photo: Staff</figcaption></figure>
      <p>{}</p>
      <p>{}</p>
      <p>{}</p>
      <h2>{}</h2>
      <p>{}</p>
      <div class="newsletter-box"><h3>Sign up for our newsletter</h3><p>Get the 5 biggest stories every morning.</p></div>
      <section class="comments"><h3>Comments (132)</h3><p>First!</p></section>
    </article>
  </main>
  <aside class="sidebar most-read">
    <h2>Most read</h2>
    <ol>
      <li><a href="/a">1. Seven arrested after stadium brawl</a></li>
      <li><a href="/b">2. Lottery jackpot rolls over to 45 million</a></li>
      <li><a href="/c">3. Bridge closed for 18 months</a></li>
    </ol>
  </aside>
  <footer><address>The Example Gazette, 12 Quay Street, Portsmouth. Tel +44 20 7946 0000</address></footer>
</body>
</html>"##,
        BODY[0], BODY[1], BODY[2], BODY[3], BODY[4]
    )
}

#[test]
fn news_page_text_has_body_in_order_and_no_traps() {
    let article = check(&news_page(), None, &BODY, &TRAPS);
    assert!(
        article
            .text
            .contains(&format!("{}\n\n{}", BODY[0], BODY[1])),
        "paragraphs are separated by a blank line:\n{}",
        article.text
    );
}

#[test]
fn news_page_metadata() {
    let article = extract(&news_page(), &page_url(), None);
    assert_eq!(
        article.title.as_deref(),
        Some("Harbour orders more than 200 cranes for new terminal")
    );
    assert_eq!(article.site_name.as_deref(), Some("The Example Gazette"));
    assert_eq!(article.language.as_deref(), Some("en-GB"));
    assert_eq!(
        article.published,
        Some(Utc.with_ymd_and_hms(2026, 3, 4, 8, 30, 0).unwrap())
    );
    assert_eq!(
        article.canonical_url.as_ref().map(Url::as_str),
        Some("https://news.example.org/world/2026/story-1?id=7")
    );
}

use chrono::TimeZone;

#[test]
fn json_ld_supplies_headline_date_and_body() {
    let paragraphs = [
        "Rescue teams reached the valley villages late on Sunday after the road had been closed for three days by a landslide that swept away two bridges.",
        "The regional council said about 1,500 residents had been without power, and that generators flown in by helicopter were now running in the school and the clinic.",
    ];
    let html = format!(
        r#"<html><head><title>Valley cut off - Mountain Post</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@graph":[{{"@type":"WebSite","name":"Mountain Post"}},
{{"@type":"NewsArticle","headline":"Rescue teams reach cut-off valley villages","datePublished":"2026-01-18T21:05:00Z",
"articleBody":"{}\n\n{} Officials expect the road to reopen within a week, although engineers still need to inspect the remaining crossings. Shops in the valley have started rationing bread and fuel."}}]}}</script>
</head><body><div class="teaser">{}</div><nav>Weather 12 degrees</nav></body></html>"#,
        paragraphs[0], paragraphs[1], paragraphs[0]
    );
    let article = check(&html, None, &paragraphs, &["Weather 12 degrees"]);
    assert_eq!(
        article.title.as_deref(),
        Some("Rescue teams reach cut-off valley villages")
    );
    assert_eq!(
        article.published,
        Some(Utc.with_ymd_and_hms(2026, 1, 18, 21, 5, 0).unwrap())
    );
}

#[test]
fn title_falls_back_to_cleaned_title_tag_and_time_element() {
    let html = r#"<html><head><title>Council approves new tram line to the airport | City Herald</title></head>
<body><p>Short note.</p><time datetime="2025-11-02">2 November</time></body></html>"#;
    let article = extract(html, &page_url(), None);
    assert_eq!(
        article.title.as_deref(),
        Some("Council approves new tram line to the airport")
    );
    assert_eq!(
        article.published,
        Some(Utc.with_ymd_and_hms(2025, 11, 2, 0, 0, 0).unwrap())
    );
    assert_eq!(article.canonical_url, None);
    assert_eq!(article.language, None);
}

#[test]
fn title_keeps_dashes_inside_the_headline() {
    assert_eq!(
        metadata::clean_title("Talks - live", None),
        "Talks - live",
        "a two-word headline is not stripped down to one word"
    );
    assert_eq!(
        metadata::clean_title("Gazette | Storm closes five ferry routes", Some("Gazette")),
        "Storm closes five ferry routes"
    );
    assert_eq!(
        metadata::clean_title("Storm closes five ferry routes - Gazette", None),
        "Storm closes five ferry routes"
    );
}

#[test]
fn configured_selector_wins() {
    let html = r#"<html><body>
<div class="story"><p>Selected paragraph one about 30 trucks.</p><script>var x = 1;</script><p>Selected paragraph two.</p></div>
<div class="other"><p>Other text with 999 that readability might prefer because it is much longer than the selected story, going on and on about unrelated matters for many words indeed.</p></div>
</body></html>"#;
    let article = check(
        html,
        Some("div.story"),
        &[
            "Selected paragraph one about 30 trucks.",
            "Selected paragraph two.",
        ],
        &["999", "var x"],
    );
    assert_eq!(
        article.text,
        "Selected paragraph one about 30 trucks.\n\nSelected paragraph two."
    );
}

#[test]
fn selector_that_matches_nothing_or_is_invalid_falls_back() {
    for selector in ["div.missing", "div[[[", "", "p:nth-child("] {
        check(&news_page(), Some(selector), &BODY, &TRAPS);
    }
}

#[test]
fn canonical_url_drops_tracking_fragment_and_default_port() {
    #[track_caller]
    fn check_url(input: &str, expected: &str) {
        let url = Url::parse(input).expect("test URL parses");
        assert_eq!(canonical_url(&url).as_str(), expected, "for {input}");
    }
    check_url(
        "https://News.Example.ORG:443/a/b?utm_source=rss&id=5&fbclid=xyz&page=2#comments",
        "https://news.example.org/a/b?id=5&page=2",
    );
    check_url(
        "http://example.com:80/x?utm_medium=email",
        "http://example.com/x",
    );
    check_url("http://example.com:8080/x?", "http://example.com:8080/x");
    check_url(
        "https://example.com/p?gclid=1&mc_cid=2&mc_eid=3&igshid=4&ref=5&ref_src=6&cmpid=7&_ga=8&ocid=9&at_medium=a&at_campaign=b",
        "https://example.com/p",
    );
    check_url(
        "https://example.com/p?q=a%20b&UTM_Campaign=x&z=1",
        "https://example.com/p?q=a%20b&z=1",
    );
    check_url(
        "https://example.com/p?reference=kept",
        "https://example.com/p?reference=kept",
    );
    // Already canonical input is unchanged.
    check_url(
        "https://example.com/story?id=1",
        "https://example.com/story?id=1",
    );
}

/// One story paragraph long enough that readability keeps its container.
const STORY: [&str; 4] = [
    "The county council voted on Monday to spend 18 million on new flood barriers along the river, after three winters in which the lower town was cut off for days at a time.",
    "Engineers expect the first 2.5 kilometres of barrier to be finished by next October, and the remaining sections within four years, depending on how quickly land can be bought.",
    "Residents who spoke at the meeting said the plan came too late for the 120 households whose insurance premiums have already doubled, and asked for a hardship fund.",
    "The council leader said a fund of about 400,000 would be proposed in the spring budget, and that the barrier contract would include local apprenticeships.",
];

#[test]
fn json_ld_body_written_as_html_loses_its_tags() {
    let html = format!(
        r#"<html><head><script type="application/ld+json">{{"@type":"NewsArticle",
"articleBody":"<body><p>{}</p><p>{} &amp; more</p><p>{}</p><p>{}</p></body>"}}</script></head>
<body><div class="teaser">{}</div></body></html>"#,
        STORY[0], STORY[1], STORY[2], STORY[3], STORY[0]
    );
    check(&html, None, &STORY, &["<p>", "<body>", "&amp;"]);
}
