use super::*;

fn base() -> Url {
    Url::parse("https://news.example/world/feed.xml").unwrap()
}

#[track_caller]
fn parse_ok(body: &[u8], content_type: Option<&str>) -> Feed {
    parse(body, content_type, &base()).unwrap_or_else(|err| panic!("{err}"))
}

/// Checks the (key, link, title, summary) of each entry.
#[track_caller]
fn check(body: &str, expected: &[(&str, Option<&str>, &str, &str)]) {
    let feed = parse_ok(body.as_bytes(), None);
    let got: Vec<(String, Option<String>, String, String)> = feed
        .entries
        .iter()
        .map(|e| {
            (
                e.key.clone(),
                e.link.as_ref().map(Url::to_string),
                e.title.clone(),
                e.summary.clone(),
            )
        })
        .collect();
    let want: Vec<(String, Option<String>, String, String)> = expected
        .iter()
        .map(|(k, l, t, s)| {
            (
                k.to_string(),
                l.map(str::to_string),
                t.to_string(),
                s.to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
}

const RSS2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
  <title>Harbour &amp; Hill Gazette</title>
  <link>https://news.example/</link>
  <ttl>45</ttl>
  <item>
    <title>Ferry fares rise &lt;b&gt;again&lt;/b&gt;</title>
    <link>https://news.example/a/ferry</link>
    <guid isPermaLink="false">gazette-1001</guid>
    <description><![CDATA[<p>The council voted <em>7&ndash;2</em>.</p><p>Fares go up in May.</p>]]></description>
    <pubDate>Tue, 11 Feb 2025 09:00:00 GMT</pubDate>
  </item>
</channel>
</rss>"#;

#[test]
fn rss2_entry_has_guid_key_plain_text_and_date() {
    check(
        RSS2,
        &[(
            "gazette-1001",
            Some("https://news.example/a/ferry"),
            "Ferry fares rise again",
            "The council voted 7–2. Fares go up in May.",
        )],
    );
    let feed = parse_ok(RSS2.as_bytes(), Some("application/rss+xml"));
    assert_eq!(feed.title.as_deref(), Some("Harbour & Hill Gazette"));
    assert_eq!(feed.ttl, Some(Duration::from_secs(45 * 60)));
    let published = feed.entries[0].published.unwrap();
    assert_eq!(published.to_rfc3339(), "2025-02-11T09:00:00+00:00");
}

#[test]
fn rss1_rdf_feed_parses() {
    let body = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
  <channel rdf:about="https://news.example/">
    <title>Valley Ledger</title>
    <link>https://news.example/</link>
    <description>Local news</description>
    <sy:updatePeriod>hourly</sy:updatePeriod>
    <sy:updateFrequency>2</sy:updateFrequency>
  </channel>
  <item rdf:about="https://news.example/mill">
    <title>Old mill reopens</title>
    <link>https://news.example/mill</link>
    <description>Forty jobs return.</description>
    <dc:date>2025-03-01T08:30:00Z</dc:date>
  </item>
</rdf:RDF>"#;
    let feed = parse_ok(body.as_bytes(), None);
    assert_eq!(feed.title.as_deref(), Some("Valley Ledger"));
    assert_eq!(feed.ttl, Some(Duration::from_secs(1800)));
    assert_eq!(feed.entries.len(), 1);
    let entry = &feed.entries[0];
    assert_eq!(entry.title, "Old mill reopens");
    assert_eq!(entry.summary, "Forty jobs return.");
    assert_eq!(
        entry.link.as_ref().map(Url::as_str),
        Some("https://news.example/mill")
    );
    assert!(entry.published.is_some());
}

#[test]
fn atom_prefers_alternate_link_and_falls_back_to_updated() {
    let body = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Ridge &lt;i&gt;Times&lt;/i&gt;</title>
  <id>urn:example:ridge</id>
  <updated>2025-04-02T10:00:00Z</updated>
  <entry>
    <id>urn:example:ridge:42</id>
    <title type="text">Bridge closed for repairs</title>
    <link rel="self" href="https://news.example/api/42"/>
    <link rel="alternate" type="text/html" href="/stories/42"/>
    <updated>2025-04-02T09:15:00Z</updated>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Closed <b>until June</b>.</div></summary>
  </entry>
</feed>"#;
    check(
        body,
        &[(
            "urn:example:ridge:42",
            Some("https://news.example/stories/42"),
            "Bridge closed for repairs",
            "Closed until June.",
        )],
    );
    let feed = parse_ok(body.as_bytes(), None);
    assert_eq!(feed.title.as_deref(), Some("Ridge Times"));
    assert_eq!(
        feed.entries[0].published.unwrap().to_rfc3339(),
        "2025-04-02T09:15:00+00:00"
    );
}

#[test]
fn json_feed_parses() {
    let body = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Coast Wire",
  "items": [
    {"id": "cw-7", "url": "https://news.example/cw/7", "title": "Storm warning lifted",
     "content_html": "<p>Winds <strong>eased</strong> overnight.</p>",
     "date_published": "2025-05-05T05:05:05Z"},
    {"id": "cw-8", "url": "relative/8", "content_text": "No title here."}
  ]
}"#;
    check(
        body,
        &[
            (
                "cw-7",
                Some("https://news.example/cw/7"),
                "Storm warning lifted",
                "Winds eased overnight.",
            ),
            (
                "cw-8",
                Some("https://news.example/world/relative/8"),
                "",
                "No title here.",
            ),
        ],
    );
    assert_eq!(
        parse_ok(body.as_bytes(), None).title.as_deref(),
        Some("Coast Wire")
    );
}

#[test]
fn entry_without_guid_is_keyed_by_resolved_link() {
    let body = r#"<rss version="2.0"><channel><title>t</title>
<item><title>One</title><link>../stories/one.html</link></item>
<item><title>Two</title><link>  </link><guid>   </guid><description>two</description></item>
<item><title>Three</title><link>javascript:alert(1)</link></item>
</channel></rss>"#;
    let feed = parse_ok(body.as_bytes(), None);
    assert_eq!(feed.entries[0].key, "https://news.example/stories/one.html");
    assert_eq!(
        feed.entries[0].link.as_ref().map(Url::as_str),
        Some("https://news.example/stories/one.html")
    );
    // Blank guid and blank link: hash. A non-http link is dropped.
    assert!(
        feed.entries[1].key.starts_with(HASH_KEY_PREFIX),
        "{}",
        feed.entries[1].key
    );
    assert_eq!(feed.entries[1].link, None);
    assert_eq!(feed.entries[2].link, None);
    assert!(feed.entries[2].key.starts_with(HASH_KEY_PREFIX));
}

#[test]
fn entry_without_guid_or_link_has_stable_hash_key() {
    let body = r#"<rss version="2.0"><channel><title>t</title>
<item><title>Quiet day</title><description>Nothing happened.</description></item>
<item><title>Quiet day</title><description>Something happened.</description></item>
</channel></rss>"#;
    let first = parse_ok(body.as_bytes(), None);
    let second = parse_ok(body.as_bytes(), None);
    assert_eq!(first.entries[0].key, second.entries[0].key);
    assert_ne!(first.entries[0].key, first.entries[1].key);
    assert_eq!(first.entries[0].key.len(), HASH_KEY_PREFIX.len() + 64);
}

#[test]
fn html_page_is_reported_as_html() {
    for (body, content_type) in [
        (
            "<!DOCTYPE html><html><head><title>Hi</title></head><body>x</body></html>",
            None,
        ),
        (
            "\n  <html lang=en><body><p>Welcome</p></body></html>",
            Some("text/html"),
        ),
        ("<!doctype HTML>\n<p>bare", None),
        ("<p>Just a paragraph</p>", Some("text/html; charset=utf-8")),
        (
            "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"></html>",
            None,
        ),
    ] {
        assert_eq!(
            parse(body.as_bytes(), content_type, &base()).unwrap_err(),
            Error::Html,
            "{body}"
        );
    }
}

#[test]
fn malformed_documents_give_a_short_reason() {
    for body in [
        "<rss version=\"2.0\"><channel><title>t</title><item><title>x</item></channel>",
        "",
        "   ",
        "just some words",
        "<opml version=\"2.0\"><body/></opml>",
        "{\"version\": \"nope\"}",
        "{ not json",
    ] {
        match parse(body.as_bytes(), None, &base()) {
            Err(Error::Malformed(reason)) => {
                assert!(
                    !reason.is_empty() && reason.chars().count() <= MAX_REASON_CHARS + 1,
                    "{reason}"
                )
            }
            other => panic!("{body:?} gave {other:?}"),
        }
    }
}

/// A Latin-1/Windows-1252 body with no declaration anywhere: detection.
#[test]
fn undeclared_windows_1252_feed_is_decoded() {
    let text = "<rss version=\"2.0\"><channel><title>Caf\u{e9} du Nord</title><item><guid>1</guid>\
<title>\u{c9}t\u{e9} \u{e0} Montr\u{e9}al \u{2013} la f\u{ea}te continue</title></item></channel></rss>";
    let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!had_errors);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "fixture must not be UTF-8"
    );
    let feed = parse_ok(&bytes, None);
    assert_eq!(feed.title.as_deref(), Some("Café du Nord"));
    assert_eq!(feed.entries[0].title, "Été à Montréal – la fête continue");
}

#[test]
fn declared_and_http_charsets_are_honoured() {
    let text = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel>\
<title>S\u{f8}ndag</title></channel></rss>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    assert_eq!(parse_ok(&bytes, None).title.as_deref(), Some("Søndag"));
    // The HTTP header wins over the declaration.
    let korean = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
<title>\u{bd81}\u{d55c} \u{b274}\u{c2a4}</title></channel></rss>";
    let (bytes, _, _) = encoding_rs::EUC_KR.encode(korean);
    let feed = parse_ok(&bytes, Some("text/xml; charset=EUC-KR"));
    assert_eq!(feed.title.as_deref(), Some("북한 뉴스"));
    // A Latin-1 header on a document that declares and is UTF-8: UTF-8.
    let feed = parse_ok(korean.as_bytes(), Some("text/xml; charset=ISO-8859-1"));
    assert_eq!(feed.title.as_deref(), Some("북한 뉴스"));
}

#[test]
fn bom_is_honoured_and_removed() {
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend_from_slice(RSS2.as_bytes());
    assert_eq!(parse_ok(&utf8, None).entries.len(), 1);
    let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
    for unit in RSS2.replace("UTF-8", "UTF-16").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert_eq!(parse_ok(&utf16, None).entries[0].key, "gazette-1001");
}

#[test]
fn rss_without_version_or_channel_is_repaired() {
    check(
        "<rss><channel><item><guid>a</guid><title>A</title></item></channel></rss>",
        &[("a", None, "A", "")],
    );
    check(
        "<rss version=\"0.94\"><channel><item><guid>b</guid><title>B</title></item></channel></rss>",
        &[("b", None, "B", "")],
    );
    check(
        "<rss version=\"2.0\"><item><guid>c</guid><title>C</title></item></rss>",
        &[("c", None, "C", "")],
    );
}

#[test]
fn atom_text_with_unusual_type_is_kept() {
    let body = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e1</id>
<title type="text/plain">Plain &amp; simple</title><summary type="">Empty type</summary></entry></feed>"#;
    check(body, &[("e1", None, "Plain & simple", "Empty type")]);
}

#[test]
fn html_to_text_strips_markup_and_decodes_entities() {
    assert_eq!(html_to_text("  plain   text "), "plain text");
    assert_eq!(html_to_text("<p>a</p><p>b</p>"), "a b");
    assert_eq!(
        html_to_text("x<script>evil()</script>y<style>p{}</style>"),
        "xy"
    );
    assert_eq!(
        html_to_text("Fish &amp; chips &eacute; &#8212; &#x41;"),
        "Fish & chips é — A"
    );
    assert_eq!(html_to_text("1 < 2 and AT&T"), "1 < 2 and AT&T");
    assert_eq!(html_to_text("line<br>break"), "line break");
}

#[test]
fn junk_never_panics() {
    let pieces: &[&[u8]] = &[
        b"<rss",
        b"<rss version=\"",
        b"<channel>",
        b"<item>",
        b"</item>",
        b"<guid>",
        b"</guid>",
        b"<feed",
        b" xmlns=\"http://www.w3.org/2005/Atom\"",
        b">",
        b"<entry>",
        b"<title type=\"",
        b"\"",
        b"<link href=\"",
        b"<?xml version=\"1.0\" encoding=\"",
        b"?>",
        b"<!DOCTYPE",
        b"[",
        b"]",
        b"<!--",
        b"-->",
        b"{",
        b"}",
        b"\"items\":[",
        b"&amp;",
        b"&#",
        b"\xff\xfe",
        b"\xef\xbb\xbf",
        b"\x00",
        b"\xc3",
        b"\xe9",
        b"<![CDATA[",
        b"]]>",
        b"x",
        b" ",
        b"</",
        b"utf-16",
        b"<rdf:RDF",
        b"\xed\xa0\x80",
        b"<CHANNEL HREF=\"",
        b"<ITEM",
        b"</ITEM>",
        b"<ABSTRACT/>",
        b"<summary type=\"",
        b"text/plain",
        b"<!-- x",
        b"&eacute",
        b"&#150;",
        b"<script>",
        b"<p>",
        b"&#x110000;",
    ];
    let mut rng = fastrand::Rng::with_seed(42);
    for _ in 0..3000 {
        let n = rng.usize(0..24);
        let mut body = Vec::new();
        for _ in 0..n {
            body.extend_from_slice(pieces[rng.usize(0..pieces.len())]);
        }
        if rng.u8(..) < 30 {
            body.extend((0..rng.usize(0..64)).map(|_| rng.u8(..)));
        }
        let content_type = if rng.bool() {
            Some("text/xml; charset=utf-16")
        } else {
            None
        };
        let _ = parse(&body, content_type, &base());
    }
    // Something in the loop above had to parse for the test to mean anything.
    assert!(parse(b"<rss><item><title>ok</title></item></rss>", None, &base()).is_ok());
}

#[test]
fn cdf_channel_is_read_as_rss() {
    let body = r#"<?xml version="1.0"?>
<CHANNEL HREF="https://news.example/cdf/" LASTMOD="2025-06-01T12:00:00Z">
  <TITLE>Old Push Channel</TITLE>
  <ABSTRACT>Channel summary</ABSTRACT>
  <ITEM HREF="/cdf/first.htm" LASTMOD="2025-06-01T11:00:00Z">
    <TITLE>First story</TITLE>
    <ABSTRACT>What happened first.</ABSTRACT>
  </ITEM>
  <ITEM HREF="https://news.example/cdf/second.htm"/>
</CHANNEL>"#;
    check(
        body,
        &[
            (
                "https://news.example/cdf/first.htm",
                Some("https://news.example/cdf/first.htm"),
                "First story",
                "What happened first.",
            ),
            (
                "https://news.example/cdf/second.htm",
                Some("https://news.example/cdf/second.htm"),
                "",
                "",
            ),
        ],
    );
    let feed = parse_ok(body.as_bytes(), None);
    assert_eq!(feed.title.as_deref(), Some("Old Push Channel"));
    assert!(feed.entries[0].published.is_some());
}

#[test]
fn html_entities_undeclared_in_xml_are_decoded() {
    let body = "<rss version=\"2.0\"><channel><title>A&nbsp;B &eacute;t&eacute;</title>\
<item><guid>g</guid><title>x&mdash;y</title></item></channel></rss>";
    let feed = parse_ok(body.as_bytes(), None);
    assert_eq!(feed.title.as_deref(), Some("A B été"));
    assert_eq!(feed.entries[0].title, "x—y");
}

/// The fast scanner must agree with html5ever wherever it answers.
#[test]
fn fast_text_scanner_agrees_with_html_parser() {
    let fragments = [
        "<p>The <b>council</b> voted&nbsp;7&ndash;2.</p><p>Next</p>",
        "x<script type=\"a\">if (a < b) {}</script>y<STYLE>p{}</STYLE>z",
        "<!-- hidden --> shown &amp; &lt;tag&gt; &#8220;q&#x201D;",
        "AT&T and 1 < 2 and a <= b & c",
        "<img src=\"x.png\" alt=\"pic\">caption<br/>line",
        "caf&eacute; &Uuml;ber &copy; &hellip;",
        "<a href='/x?a=1&b=2'>link</a> text",
        "<div><ul><li>one</li><li>two</li></ul></div>",
    ];
    for fragment in fragments {
        let fast = text::fast_html_to_text(fragment)
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
        let fast = fast.unwrap_or_else(|| panic!("fast path declined {fragment:?}"));
        assert_eq!(fast, text::slow_html_to_text(fragment), "{fragment:?}");
    }
    // Unsure cases go to html5ever and still come out right.
    assert_eq!(html_to_text("fish &amp chips"), "fish & chips");
    assert_eq!(html_to_text("a &#150; b"), "a – b");
    assert_eq!(html_to_text("a &zeta; b"), "a ζ b");
    assert_eq!(html_to_text("open <!-- never closed"), "open");
}

#[test]
fn declared_utf8_that_is_not_is_detected() {
    let text = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>\
<title>Gr\u{fc}\u{df}e aus K\u{f6}ln, sch\u{f6}ne Stra\u{df}e</title></channel></rss>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let feed = parse_ok(&bytes, Some("application/xml; charset=utf-8"));
    assert_eq!(feed.title.as_deref(), Some("Grüße aus Köln, schöne Straße"));
}

#[test]
fn feed_served_as_text_html_still_parses() {
    let feed = parse_ok(RSS2.as_bytes(), Some("text/html; charset=UTF-8"));
    assert_eq!(feed.entries.len(), 1);
}

#[test]
fn titles_and_summaries_are_capped_and_lose_control_characters() {
    let long_title = "T".repeat(MAX_TITLE_CHARS * 3);
    let long_summary = "s".repeat(MAX_SUMMARY_CHARS + 10);
    let body = format!(
        "<rss version=\"2.0\"><channel><title>C</title>\
         <item><title>{long_title}</title><description>{long_summary}</description><guid>1</guid></item>\
         <item><title>Bell&#x7;and&#x9B;escape&#x1B;[31m</title><description>line one\nline\ttwo&#x85;</description><guid>2</guid></item>\
         </channel></rss>"
    );
    let feed = parse_ok(body.as_bytes(), None);
    let long = &feed.entries[0];
    assert_eq!(long.title.chars().count(), MAX_TITLE_CHARS + 1);
    assert!(long.title.ends_with('…'));
    assert_eq!(long.summary.chars().count(), MAX_SUMMARY_CHARS + 1);
    let controls = &feed.entries[1];
    assert_eq!(controls.title, "Bellandescape[31m");
    assert!(
        !controls.summary.contains('\u{85}') && controls.summary.contains("line"),
        "{:?}",
        controls.summary
    );
}
