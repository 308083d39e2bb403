use super::*;

/// Checks that `query` is true of exactly the texts in `yes` and none in `no`.
#[track_caller]
fn check(query: &str, yes: &[&str], no: &[&str]) {
    let parsed = Query::parse(query).unwrap_or_else(|err| panic!("{query}: {err}"));
    let matcher = Matcher::new(&[&parsed]);
    for text in yes {
        assert_eq!(
            matcher.matching(text),
            vec![0],
            "{query} should match {text:?}"
        );
    }
    for text in no {
        assert!(
            matcher.matching(text).is_empty(),
            "{query} should not match {text:?}"
        );
    }
}

#[track_caller]
fn check_error(query: &str, offset: usize, message_part: &str) {
    let err = Query::parse(query).expect_err(query);
    assert_eq!(err.offset, offset, "{query}: {err}");
    assert!(
        err.message.contains(message_part),
        "{query}: {:?}",
        err.message
    );
}

#[test]
fn design_example_matches_with_precedence_and_phrases() {
    let query = r#"("North Korea" OR DPRK OR Pyongyang) AND (Russia OR Moscow)"#;
    check(
        query,
        &[
            "North Korea sent shells to Russia",
            "Pyongyang and Moscow signed a pact",
            "the DPRK's envoy in MOSCOW",
        ],
        &[
            "North Korea tested a missile",
            "Russia and Korea talk",
            "north  koreans in Russia",
        ],
    );
    let parsed = Query::parse(query).unwrap();
    assert_eq!(
        parsed.terms(),
        ["north korea", "dprk", "pyongyang", "russia", "moscow"]
    );
}

#[test]
fn and_binds_tighter_than_or() {
    check("a AND b OR c", &["a b", "c"], &["a", "b"]);
    check("c OR a AND b", &["a b", "c"], &["a", "b"]);
    check("a AND (b OR c)", &["a b", "a c"], &["c", "b c"]);
}

#[test]
fn adjacency_means_and() {
    check(
        "alpha beta OR gamma",
        &["beta alpha", "gamma"],
        &["alpha", "beta"],
    );
    check(
        r#"alpha "beta gamma""#,
        &["alpha beta gamma"],
        &["alpha gamma beta"],
    );
}

#[test]
fn not_and_minus_negate() {
    check(
        "russia NOT ukraine",
        &["Russia today"],
        &["Russia and Ukraine"],
    );
    check(
        "russia -ukraine",
        &["Russia today"],
        &["Russia and Ukraine"],
    );
    check(
        "russia AND NOT (ukraine OR belarus)",
        &["Russia"],
        &["Russia Belarus"],
    );
    check("NOT NOT russia", &["Russia"], &["Ukraine"]);
    // A hyphen inside a word is text, not negation.
    check("KN-23", &["a KN-23 missile"], &["a KN 23 missile"]);
}

#[test]
fn lowercase_operators_are_words() {
    check("salt and pepper", &["salt and pepper"], &["salt pepper"]);
    check("war or peace", &["war or peace"], &["war"]);
}

#[test]
fn matching_is_case_insensitive() {
    check("Moscow", &["MOSCOW", "moscow", "mOsCoW"], &["Mosco"]);
    check("ÉLYSÉE", &["l'élysée a dit"], &["elysee"]);
}

#[test]
fn whole_words_only() {
    check(
        "Russia",
        &[
            "Russia's army",
            "Russia’s army",
            "Russia-backed",
            "(Russia)",
            "Russia.",
        ],
        &["Russian army", "Belorussia", "Russia2"],
    );
    check("G7", &["the G7 summit"], &["the G77 bloc"]);
}

#[test]
fn overlapping_phrase_and_word_are_both_found() {
    check(
        r#""North Korea" AND Korea"#,
        &["North Korea"],
        &["South Kor"],
    );
    check(
        r#""South Korea" AND "North Korea""#,
        &["South Korea and North Korea"],
        &["North Korea"],
    );
    check(
        r#""Korea Daily" AND "North Korea""#,
        &["North Korea Daily said"],
        &["Korea Daily"],
    );
}

#[test]
fn phrase_whitespace_is_flexible() {
    check(
        r#""North   Korea""#,
        &["North\n Korea", "north\u{a0}korea"],
        &["NorthKorea"],
    );
}

#[test]
fn unicode_text_does_not_panic_and_matches() {
    check(
        "İstanbul",
        &["ISTANBUL", "istanbul", "İstanbul'da"],
        &["Ankara"],
    );
    check(
        "러시아",
        &["북한이 러시아에 포탄을 보냈다", "러시아"],
        &["북한"],
    );
    check("Россия", &["РОССИЯ и Украина"], &["Российский"]);
    let query = Query::parse("x").unwrap();
    let matcher = Matcher::new(&[&query]);
    for text in [
        "",
        "\u{0307}",
        "ß\u{0130}\u{0130}x",
        "x\u{10FFFF}",
        "🦀x🦀",
        "ǅx",
    ] {
        let _ = matcher.matching(text);
        let _ = matcher.prefilter(text);
    }
    assert_eq!(matcher.matching("ǅ x"), vec![0]);
}

#[test]
fn prefilter_needs_a_positive_term() {
    let a = Query::parse("russia NOT ukraine").unwrap();
    let b = Query::parse("ukraine AND kyiv").unwrap();
    let matcher = Matcher::new(&[&a, &b]);
    assert_eq!(matcher.prefilter("ukraine"), vec![1]);
    assert_eq!(matcher.prefilter("russia ukraine"), vec![0, 1]);
    assert_eq!(matcher.matching("russia ukraine"), Vec::<usize>::new());
    assert_eq!(matcher.prefilter("nothing here"), Vec::<usize>::new());
}

#[test]
fn many_watches_share_one_automaton() {
    let sources: Vec<String> = (0..500)
        .map(|i| format!("topic{i} AND (shared OR w{i})"))
        .collect();
    let queries: Vec<Query> = sources.iter().map(|s| Query::parse(s).unwrap()).collect();
    let refs: Vec<&Query> = queries.iter().collect();
    let matcher = Matcher::new(&refs);
    assert_eq!(
        matcher.matching("topic7 shared topic300 w499"),
        vec![7, 300]
    );
    assert_eq!(matcher.prefilter("shared").len(), 500);
    assert_eq!(matcher.matching("topic499 w499"), vec![499]);
}

#[test]
fn no_watches_match_nothing() {
    let matcher = Matcher::new(&[]);
    assert!(matcher.matching("anything").is_empty());
    assert!(matcher.prefilter("anything").is_empty());
}

#[test]
fn terms_are_listed_once_in_order_of_first_use() {
    let query = Query::parse(r#"b OR "A  b" OR B OR a"#).unwrap();
    assert_eq!(query.terms(), ["b", "a b", "a"]);
}

#[test]
fn parse_errors_carry_offset_and_expectation() {
    check_error("russia AND", 10, "expected a term or '(' after AND");
    check_error("russia OR", 9, "after OR");
    check_error("russia AND OR x", 11, "after AND, found OR");
    check_error("OR russia", 0, "before OR");
    check_error(
        "(russia OR moscow",
        17,
        "unclosed '(' opened at character 0",
    );
    check_error("a AND (b OR (c)", 15, "unclosed '(' opened at character 6");
    check_error(r#"x "north korea"#, 2, "unterminated quote");
    check_error("russia)", 6, "unmatched ')'");
    check_error("()", 1, "empty parentheses");
    check_error("", 0, "expected a term");
    check_error("   ", 3, "expected a term");
    check_error(r#""  ""#, 0, "empty phrase");
    check_error("NOT russia", 0, "at least one term outside NOT");
    check_error("x NOT", 5, "after NOT");
    check_error("russia -", 7, "letters or digits, found \"-\"");
    check_error(r#"a OR "&""#, 5, "letters or digits");
}

#[test]
fn parse_never_panics_on_junk() {
    let pieces = [
        "(", ")", "\"", "AND", "OR", "NOT", "-", "x", " ", "é", "İ", "-(", "\u{2019}",
    ];
    let mut rng = fastrand::Rng::with_seed(7);
    for _ in 0..5000 {
        let n = rng.usize(0..10);
        let src: String = (0..n)
            .map(|_| pieces[rng.usize(0..pieces.len())])
            .collect::<Vec<_>>()
            .join(if rng.bool() { " " } else { "" });
        if let Err(err) = Query::parse(&src) {
            assert!(err.offset <= src.len(), "{src:?}: {err}");
            assert!(src.is_char_boundary(err.offset), "{src:?}: {err}");
        }
    }
}
