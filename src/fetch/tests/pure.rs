//! Unit tests of the pure parts: charset choice, address classes and the
//! caching headers.

use std::net::IpAddr;
use std::time::SystemTime;

use url::Url;

use super::*;
use crate::text::{decode, encoding_for, tld};

// ---------------------------------------------------------------- charset

#[track_caller]
fn check_decode(bytes: &[u8], content_type: Option<&str>, expected: &str) {
    assert_eq!(decode(bytes, content_type), expected);
}

#[test]
fn charset_sources_in_order() {
    let (latin, _, _) = WINDOWS_1252.encode("Zürich à côté");
    // Header charset.
    check_decode(
        &latin,
        Some("text/xml; charset=\"ISO-8859-1\""),
        "Zürich à côté",
    );
    // BOM beats the header.
    check_decode(
        b"\xEF\xBB\xBFZ\xC3\xBCrich",
        Some("text/plain; charset=latin1"),
        "Zürich",
    );
    // XML declaration.
    let mut xml = b"<?xml version=\"1.0\" encoding='iso-8859-1'?>\n<rss>".to_vec();
    xml.extend_from_slice(&latin);
    check_decode(
        &xml,
        Some("application/rss+xml"),
        "<?xml version=\"1.0\" encoding='iso-8859-1'?>\n<rss>Zürich à côté",
    );
    // <meta http-equiv>.
    let mut html = b"<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=euc-kr\"></head>".to_vec();
    let (korean, _, _) = EUC_KR.encode(KOREAN);
    html.extend_from_slice(&korean);
    let expected = format!(
        "<html><head><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=euc-kr\"></head>{KOREAN}"
    );
    check_decode(&html, None, &expected);
    // Undeclared valid UTF-8.
    check_decode("naïve".as_bytes(), None, "naïve");
}

#[test]
fn undeclared_euc_kr_is_detected() {
    let (korean, _, _) = EUC_KR.encode(KOREAN);
    check_decode(&korean, None, KOREAN);
    assert_eq!(encoding_for(&korean, Some("text/html")), EUC_KR);
}

#[test]
fn utf16_in_a_meta_tag_means_utf8() {
    check_decode(
        b"<meta charset=utf-16>caf\xC3\xA9",
        None,
        "<meta charset=utf-16>café",
    );
}

#[test]
fn feeds_and_pages_share_the_quirks_of_the_wild() {
    // UTF-16 without a BOM shows itself by the NUL beside the first `<`.
    let utf16: Vec<u8> = "<rss>é</rss>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    check_decode(&utf16, None, "<rss>é</rss>");
    // A UTF-16 label in the header on bytes that read as ASCII means UTF-8.
    check_decode(
        "<p>café</p>".as_bytes(),
        Some("text/html; charset=utf-16"),
        "<p>café</p>",
    );
    // A Latin-1 default in the header loses to a document that declares
    // and is UTF-8.
    check_decode(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><t>café</t>".as_bytes(),
        Some("application/xml; charset=ISO-8859-1"),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><t>café</t>",
    );
    // Claimed UTF-8 with no UTF-8 beyond ASCII in it is a mislabelled
    // legacy encoding: detection reads it.
    let (latin1, _, _) = WINDOWS_1252.encode("<p>Grüße aus Köln, schöne Straße, süße Äpfel</p>");
    check_decode(
        &latin1,
        Some("text/html; charset=utf-8"),
        "<p>Grüße aus Köln, schöne Straße, süße Äpfel</p>",
    );
    // Claimed UTF-8 with a cut tail stays UTF-8: one replacement character,
    // not a page of mojibake.
    let mut cut = "<p>café</p><p>naïve".as_bytes().to_vec();
    cut.extend_from_slice(b"\xE2\x82");
    check_decode(
        &cut,
        Some("text/html; charset=utf-8"),
        "<p>café</p><p>naïve\u{FFFD}",
    );
}

#[test]
fn unknown_labels_and_garbage_do_not_panic() {
    // An unknown label is ignored: the next source (valid UTF-8) decides.
    check_decode(
        "café".as_bytes(),
        Some("text/html; charset=no-such-thing"),
        "café",
    );
    for bytes in [
        &b"<?xml encoding="[..],
        b"<meta charset=",
        b"<meta",
        b"<?xml",
        b"\x80",
        b"",
    ] {
        let _ = decode(bytes, Some(";;charset"));
    }
}

#[test]
fn tld_hint_comes_from_the_host() {
    assert_eq!(
        tld(&Url::parse("http://news.example.kr/a").unwrap()),
        Some("kr")
    );
    assert_eq!(tld(&Url::parse("http://127.0.0.1/a").unwrap()), None);
}

// ---------------------------------------------------------------- guard

#[track_caller]
fn check_kind(ip: &str, expected: Option<&str>) {
    let ip: IpAddr = ip.parse().unwrap();
    assert_eq!(non_public_kind(ip), expected, "{ip}");
}

#[test]
fn address_classes() {
    check_kind("8.8.8.8", None);
    check_kind("172.32.0.1", None);
    check_kind("100.128.0.1", None);
    check_kind("127.0.0.1", Some("loopback"));
    check_kind("127.8.9.10", Some("loopback"));
    check_kind("10.1.2.3", Some("private"));
    check_kind("172.16.0.1", Some("private"));
    check_kind("172.31.255.255", Some("private"));
    check_kind("192.168.1.1", Some("private"));
    check_kind("169.254.169.254", Some("link-local"));
    check_kind("100.64.0.1", Some("shared (carrier-grade NAT)"));
    check_kind("0.0.0.0", Some("unspecified"));
    check_kind("0.1.2.3", Some("unspecified"));
    check_kind("224.0.0.1", Some("multicast"));
    check_kind("255.255.255.255", Some("broadcast"));
    check_kind("240.0.0.1", Some("reserved"));
    check_kind("192.0.2.1", Some("documentation"));
    check_kind("203.0.113.9", Some("documentation"));
    check_kind("198.18.0.1", Some("benchmarking"));
    check_kind("2606:4700::1111", None);
    check_kind("::8.8.8.8", None);
    check_kind("::1", Some("loopback"));
    check_kind("::", Some("unspecified"));
    check_kind("fc00::1", Some("unique-local"));
    check_kind("fd12:3456::1", Some("unique-local"));
    check_kind("fe80::1", Some("link-local"));
    check_kind("ff02::1", Some("multicast"));
    check_kind("2001:db8::1", Some("documentation"));
    check_kind("::ffff:127.0.0.1", Some("loopback"));
    check_kind("::ffff:8.8.8.8", None);
    check_kind("::ffff:192.168.0.1", Some("private"));
    check_kind("64:ff9b::10.0.0.1", Some("private"));
    check_kind("2002:c0a8:0101::1", Some("private"));
}

// ---------------------------------------------------------------- headers

fn epoch(seconds: i64) -> SystemTime {
    SystemTime::from(chrono::DateTime::from_timestamp(seconds, 0).unwrap())
}

#[test]
fn retry_after_in_seconds_and_as_a_date() {
    // 1792567680 is Wed, 21 Oct 2026 07:28:00 GMT.
    let now = epoch(1_792_567_680 - 90);
    assert_eq!(
        headers::retry_after(" 120 ", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        headers::retry_after(LAST_MODIFIED, now),
        Some(Duration::from_secs(90))
    );
    assert_eq!(
        headers::retry_after("Wednesday, 21-Oct-26 07:28:00 GMT", now),
        Some(Duration::from_secs(90))
    );
    assert_eq!(
        headers::retry_after("Wed Oct 21 07:28:00 2026", now),
        Some(Duration::from_secs(90))
    );
    assert_eq!(
        headers::retry_after(LAST_MODIFIED, epoch(1_792_567_680 + 5)),
        Some(Duration::ZERO)
    );
    assert_eq!(headers::retry_after("soon", now), None);
    assert_eq!(headers::retry_after("", now), None);
}

#[track_caller]
fn check_max_age(pairs: &[(header::HeaderName, &str)], expected: Option<u64>) {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(name.clone(), value.parse().unwrap());
    }
    let now = epoch(1_792_567_680);
    assert_eq!(
        headers::max_age(&map, now),
        expected.map(Duration::from_secs)
    );
}

#[test]
fn max_age_from_cache_control_then_expires() {
    check_max_age(&[], None);
    check_max_age(&[(header::CACHE_CONTROL, "no-cache")], None);
    check_max_age(
        &[(header::CACHE_CONTROL, "public, MAX-AGE=\"300\"")],
        Some(300),
    );
    check_max_age(
        &[
            (header::CACHE_CONTROL, "max-age=60"),
            (header::EXPIRES, "Wed, 21 Oct 2026 09:28:00 GMT"),
        ],
        Some(60),
    );
    check_max_age(
        &[(header::EXPIRES, "Wed, 21 Oct 2026 07:38:00 GMT")],
        Some(600),
    );
    check_max_age(
        &[
            (header::DATE, "Wed, 21 Oct 2026 07:30:00 GMT"),
            (header::EXPIRES, "Wed, 21 Oct 2026 07:38:00 GMT"),
        ],
        Some(480),
    );
    check_max_age(&[(header::EXPIRES, "0")], Some(0));
}
