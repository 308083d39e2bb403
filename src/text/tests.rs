use super::*;

#[test]
fn escape_html_escapes_the_five_characters_and_nothing_else() {
    assert_eq!(
        escape_html("<a href=\"x\">Tom & Jerry's</a> café"),
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; café"
    );
}

#[test]
fn truncate_counts_characters_and_marks_the_cut() {
    assert_eq!(truncate("héllo", 5), "héllo");
    assert_eq!(truncate("héllo world", 5), "héll…");
    assert_eq!(truncate_bytes("héllo", 6), "héllo");
    // "h" + "é" (2 bytes) + "…" (3 bytes) fits 6; the cut never splits "é".
    assert_eq!(truncate_bytes("héllo world", 6), "hé…");
    assert_eq!(truncate_bytes("héllo world", 5), "h…");
}

#[test]
fn sha256_hex_joins_its_parts_with_nul() {
    assert_eq!(
        sha256_hex(&[""]),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_ne!(sha256_hex(&["ab", "c"]), sha256_hex(&["a", "bc"]));
    assert_eq!(sha256_hex(&["a", "b"]).len(), 64);
}
