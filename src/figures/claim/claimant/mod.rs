//! The claimant of a mention: who the text attributes the number to.
//!
//! - "according to X" anywhere in the sentence;
//! - a trailing attribution after the number: ", X said", ", said X";
//! - a leading one before it: "X said (on Monday) (that) …", "X estimates
//!   casualties at …", "X told reporters …";
//! - failing those, the nearest attribution in an earlier sentence of the
//!   same paragraph ("The ministry said … . It added that …").
//!
//! A parenthetical ", Putin said," belongs to the clause before it, never
//! to the next one; a pronoun ("he said") is no claimant, so the paragraph
//! decides.

mod source;

use source::{SOURCE_VERBS, source_attribution};

use super::super::Mention;
use super::words::WordSet;
use super::words::{At, Clause};
use std::sync::LazyLock;

/// Verbs of attribution.
static SAYING: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "expect",
        "forecast",
        "forecasts",
        "predict",
        "predicts",
        "show",
        "shows",
        "showed",
        "suggest",
        "suggests",
        "said",
        "says",
        "say",
        "told",
        "tells",
        "tell",
        "estimated",
        "estimates",
        "estimate",
        "reported",
        "reports",
        "report",
        "claimed",
        "claims",
        "claim",
        "announced",
        "announces",
        "confirmed",
        "confirms",
        "stated",
        "noted",
        "notes",
        "believes",
        "believe",
        "assessed",
        "assesses",
        "assess",
        "wrote",
        "writes",
        "tweeted",
        "posted",
        "indicated",
        "indicates",
        "counted",
        "counts",
        "recorded",
        "records",
        "tallied",
        "calculated",
        "calculates",
        "acknowledged",
        "admitted",
        "alleged",
        "alleges",
        "insisted",
        "warned",
        "disclosed",
        "revealed",
        "testified",
        "documented",
        "added",
        "adds",
        "put",
        "puts",
        "placed",
        "places",
        "cited",
        "cites",
        "quoted",
        "briefed",
        "explained",
        "predicted",
        "projected",
        "projects",
        "expects",
        "expected",
    ])
});

/// Words a claimant's noun phrase never holds: they end it when read
/// backwards from the verb.
static NOT_IN_NAME: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "that",
        "which",
        "who",
        "whom",
        "and",
        "but",
        "while",
        "as",
        "when",
        "where",
        "because",
        "if",
        "after",
        "before",
        "since",
        "than",
        "were",
        "was",
        "is",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "also",
        "not",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "there",
        "this",
        "these",
        "those",
        "would",
        "will",
        "could",
        "may",
        "might",
        "said",
        "says",
        "so",
        "then",
        "had",
        "now",
        "previously",
        "earlier",
        "later",
        "already",
        "reportedly",
        "to",
    ])
});

static PRONOUNS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter(["it", "he", "she", "they", "we", "i", "you", "its", "their"])
});

/// One attribution in a sentence.
#[derive(Debug, Clone)]
pub(super) struct Attribution {
    /// Index of the verb (or of "according").
    verb: usize,
    /// The claimant as written; `None` for a pronoun.
    claimant: Option<String>,
    /// Applies to what comes after it ("X said that …", "according to X, …").
    leads: bool,
    /// Applies to what comes before it (", X said", "according to X").
    trails: bool,
    /// Names the source of figures given before it: "The figures come
    /// from X", "X gave the figure": the sentence before takes it.
    sources: bool,
}

fn clean(name: &str) -> Option<String> {
    let name = name.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | '.' | '"' | '“' | '”' | '\'' | '’' | ':' | ';')
    });
    // A name holds a noun: not only articles, adverbs ("independently").
    let no_noun = name.split_whitespace().all(|w| {
        let w = w.to_ascii_lowercase();
        matches!(w.as_str(), "the" | "a" | "an") || (w.ends_with("ly") && w.len() > 4)
    });
    (!no_noun).then(|| name.to_string())
}

/// A lower-case joining word inside a capitalised name: "Committee to
/// Protect Journalists", "Center for Strategic and International Studies".
fn joins_name(clause: &Clause, k: usize) -> bool {
    matches!(clause.low(k), "and" | "to" | "for" | "of" | "on")
        && k > 0
        && clause.is_cap(k - 1)
        && clause.is_cap(k + 1)
        && !clause.is_cap(k)
}

/// The claimant's words read back from the verb at `v`: (first word, one
/// past the last).
fn name_before(clause: &Clause, v: usize) -> Option<(usize, usize)> {
    // "Mediazona has confirmed", "officials have said".
    let mut v = v;
    while v > 1 && matches!(clause.low(v - 1), "has" | "have" | "had" | "also") {
        v -= 1;
    }
    let mut s = v;
    while s > 0 && v - s < 9 {
        let k = s - 1;
        if clause.is_punct(k) {
            // "U.S." and "Korea's" are words; an apostrophe inside a name too.
            break;
        }
        let w = clause.low(k);
        // "Japan's fire and disaster management agency".
        let and_in_name = w == "and"
            && k >= 2
            && !clause.is_punct(k - 1)
            && (k.saturating_sub(3)..k).any(|q| {
                let raw = clause.raw(q);
                raw.ends_with("'s") || raw.ends_with("’s")
            });
        if clause.is_digits(k)
            || (NOT_IN_NAME.contains(&w)
                && !clause.is_cap(k)
                && !and_in_name
                && !joins_name(clause, k))
        {
            break;
        }
        // "the report said" keeps its noun; any other verb ends the name.
        // ("A UN report released on Thursday said": a noun after an
        // article or a name is part of the name.)
        let noun =
            k > 0 && (matches!(clause.low(k - 1), "a" | "an" | "the") || clause.is_cap(k - 1));
        if (SAYING.contains(&w) && k + 1 != v && !noun) || super::event::is_event_word(w) {
            break;
        }
        s = k;
    }
    // "in a statement": leading prepositions and articles are no name.
    while s < v && matches!(clause.low(s), "on" | "in" | "at" | "for" | "of" | "by") {
        s += 1;
    }
    // "far below what agencies say is needed": a clause about something
    // else, no source of the number.
    if (s..v).any(|k| matches!(clause.low(k), "what" | "how" | "whether"))
        || matches!(
            clause.low(s.wrapping_sub(1)),
            "what" | "which" | "whom" | "how"
        )
    {
        return None;
    }
    (s < v).then_some((s, v))
}

/// Where a claimant read back from its verb ends: before a participle
/// phrase ("A UN report released on Thursday said").
fn name_end(clause: &Clause, s: usize, v: usize) -> usize {
    (s + 1..v)
        .find(|&k| {
            let w = clause.low(k);
            w.len() > 4
                && w.ends_with("ed")
                && !clause.is_cap(k)
                && !matches!(clause.low(k - 1), "the" | "a" | "an")
                && (!clause.is_cap(k - 1) || clause.raw(k - 1).chars().all(|c| c.is_uppercase()))
        })
        .unwrap_or(v)
}

/// The claimant's words after "according to" or an inverted "said": up to
/// punctuation or a clause word.
fn name_after(clause: &Clause, a: usize) -> Option<usize> {
    let mut e = a;
    while e < clause.len() && e - a < 10 && !clause.is_punct(e) {
        let w = clause.low(e);
        if matches!(
            w,
            "that"
                | "which"
                | "who"
                | "when"
                | "while"
                | "as"
                | "but"
                | "on"
                | "last"
                | "this"
                | "earlier"
                | "late"
                | "early"
                | "after"
                | "before"
                | "because"
                | "and"
        ) && e > a
            && !joins_name(clause, e)
        {
            break;
        }
        if w == "in"
            && matches!(
                clause.low(e + 1),
                "a" | "an" | "its" | "their" | "his" | "her"
            )
        {
            break;
        }
        if clause.is_digits(e) {
            break;
        }
        // "the latest government figures released at 6 p.m.".
        let w = clause.low(e);
        if e > a + 1 && w.len() > 4 && w.ends_with("ed") && !clause.is_cap(e) {
            break;
        }
        e += 1;
    }
    (e > a).then_some(e)
}

/// For each first letter a..z, a bit per word length (up to 31) that some
/// verb of attribution, or "according", has: most words fail this test
/// before any lookup.
static TRIGGER_SHAPES: LazyLock<[u32; 26]> = LazyLock::new(|| {
    let mut shapes = [0u32; 26];
    let others = SOURCE_VERBS
        .iter()
        .copied()
        .chain(std::iter::once("according"));
    for word in SAYING.iter().copied().chain(others) {
        if let Some(&first) = word.as_bytes().first()
            && first.is_ascii_lowercase()
            && word.len() < 32
        {
            shapes[usize::from(first - b'a')] |= 1 << word.len();
        }
    }
    shapes
});

/// Indices of the words of `clause` that are verbs of attribution or
/// "according", in order.
fn triggers(clause: &Clause) -> Vec<usize> {
    let shapes = &*TRIGGER_SHAPES;
    (0..clause.len())
        .filter(|&k| {
            let w = clause.low(k);
            let shape_fits = w.as_bytes().first().is_some_and(|&first| {
                first.is_ascii_lowercase()
                    && w.len() < 32
                    && shapes[usize::from(first - b'a')] & (1 << w.len()) != 0
            });
            shape_fits && (w == "according" || SAYING.contains(w) || SOURCE_VERBS.contains(&w))
        })
        .collect()
}

fn attributions(clause: &Clause) -> Vec<Attribution> {
    let mut out = Vec::new();
    for v in triggers(clause) {
        let w = clause.low(v);
        if SOURCE_VERBS.contains(&w) {
            if let Some(source) = source_attribution(clause, v) {
                out.push(source);
                continue;
            }
            // "estimates" is also a verb of saying.
            if !SAYING.contains(&w) {
                continue;
            }
        }
        if w == "according" && clause.low(v + 1) == "to" {
            if let Some(e) = name_after(clause, v + 2) {
                out.push(Attribution {
                    verb: v,
                    claimant: clean(clause.span(v + 2, e)),
                    leads: true,
                    trails: true,
                    sources: false,
                });
            }
            continue;
        }
        if !SAYING.contains(&w) || (clause.is_cap(v) && v > 0) {
            continue;
        }
        // "the report said": the first is a noun.
        if SAYING.contains(&clause.low(v + 1)) {
            continue;
        }
        let after_comma = v > 0 && matches!(clause.low(v - 1), "," | "\"" | "”" | "'" | "’");
        // ", said Lee Sung-kweon, a lawmaker."
        if after_comma && matches!(w, "said" | "says" | "told" | "added" | "wrote") {
            if let Some(e) = name_after(clause, v + 1) {
                let name = clause.span(v + 1, e);
                if !PRONOUNS.contains(&clause.low(v + 1)) {
                    out.push(Attribution {
                        verb: v,
                        claimant: clean(name),
                        leads: false,
                        trails: true,
                        sources: false,
                    });
                }
            }
            continue;
        }
        // "an estimated 4,100", "a claim that", "losses estimated at": no
        // attribution.
        if v > 0 && matches!(clause.low(v - 1), "a" | "an" | "the") {
            continue;
        }
        if clause.low(v + 1) == "at" && !matches!(clause.low(v + 2), "least" | "most") {
            continue;
        }
        let Some((s, name_stop)) = name_before(clause, v) else {
            continue;
        };
        let pronoun = name_stop - s == 1 && PRONOUNS.contains(&clause.low(s));
        // "put/puts/placed" attribute only with "… at N".
        if matches!(w, "put" | "puts" | "placed" | "places")
            && !(v + 1..(v + 9).min(clause.len())).any(|k| clause.low(k) == "at")
        {
            continue;
        }
        // "added" and "adds" also mean adding things: only as ", X added" or
        // "X added that".
        let trailing = s > 0 && matches!(clause.low(s - 1), "," | "\"" | "”" | "—" | "-");
        if matches!(w, "added" | "adds") && !trailing && clause.low(v + 1) != "that" {
            continue;
        }
        let followed_by_mark = clause.is_punct(v + 1) && clause.low(v + 1) != "\"";
        // ", a figure rights groups say understates …": a comment on the
        // number, by someone else, not its source.
        let disputes = matches!(clause.low(s), "a" | "the")
            && matches!(clause.low(s + 1), "figure" | "number" | "toll" | "tally");
        if disputes {
            continue;
        }
        out.push(Attribution {
            verb: v,
            claimant: if pronoun {
                None
            } else {
                clean(clause.span(s, name_end(clause, s, name_stop)))
            },
            leads: !followed_by_mark,
            trails: trailing || followed_by_mark,
            sources: false,
        });
    }
    out
}

/// Reads the claimant of `m` from its own sentence.
pub(super) fn read(clause: &Clause, at: At, m: &mut Mention) {
    let found = clause.attributions.get_or_init(|| attributions(clause));
    // The nearest trailing attribution after the number, else the nearest
    // leading one before it.
    let after = found
        .iter()
        .filter(|a| a.trails && a.verb >= at.last)
        .min_by_key(|a| a.verb);
    let before = found
        .iter()
        .filter(|a| a.leads && a.verb < at.first)
        .max_by_key(|a| a.verb);
    // A parenthetical ", the Kremlin said," before the number covers the
    // rest of the sentence too, when nothing else does.
    let aside = found
        .iter()
        .filter(|a| a.verb < at.first && a.claimant.is_some())
        .max_by_key(|a| a.verb);
    if let Some(a) = after.or(before).or(aside) {
        m.claimed_by = a.claimant.clone();
    }
}

/// The source a sentence names for the figures of the sentence before it:
/// "The figures come from the national disaster agency."
pub(super) fn source_for_previous(clause: &Clause) -> Option<String> {
    clause
        .attributions
        .get_or_init(|| attributions(clause))
        .iter()
        .find(|a| a.sources)
        .and_then(|a| a.claimant.clone())
}

/// The claimant of the last attribution in a sentence that names one: what
/// it hands on to the next sentences of its paragraph.
pub(super) fn last_claimant(clause: &Clause) -> Option<String> {
    clause
        .attributions
        .get_or_init(|| attributions(clause))
        .iter()
        .rev()
        .find_map(|a| a.claimant.clone())
}
