//! Subjects: what a number counts when its noun stands elsewhere. The
//! subject of a copular form ("the death toll from the quake rose to
//! 2,300", "inflation in Turkey eased to 48.6%"), of an estimate ("Seoul
//! estimates casualties at around 4,700", "put the number of dead at 87"),
//! of a total being set ("bringing the total it has deployed to 16,000"),
//! "soldiers numbering some 10,000", and what a sum of money is ("$15.6
//! billion loan", "$2 billion in aid").

mod words;

pub(super) use words::{COPULAR, SETTING, SUBJECT_HEADS, SUBJECT_PREPOSITIONS};

use super::super::Kind;
use super::super::lexicon::MONTHS;
use super::event::{DETERMINERS, event_word};
use super::words::{At, Clause};

/// The subject of a copular, estimating or setting form.
pub(super) struct Subject {
    /// Words (first, one past last) of the counted noun phrase.
    pub(super) span: (usize, usize),
    /// "bringing the total to N": the number is a total that a number
    /// before it in the sentence adds to.
    pub(super) setting: bool,
}

/// Words that may head a subject of a money, percent or measure figure
/// ("inflation eased to 2.2%"), or of a count when plural ("Layoffs
/// reached 153,000"): any noun, not these.
pub(super) fn may_head(clause: &Clause, h: usize, kind: Kind) -> bool {
    let w = clause.low(h);
    if SUBJECT_HEADS.contains(&w) {
        return true;
    }
    if clause.is_punct(h)
        || clause.is_digits(h)
        || COPULAR.contains(&w)
        || event_word(w).is_some()
        || DETERMINERS.contains(&w)
        || matches!(
            w,
            "it" | "they"
                | "he"
                | "she"
                | "we"
                | "which"
                | "that"
                | "who"
                | "this"
                | "there"
                | "and"
                | "or"
                | "but"
                | "year"
                | "month"
                | "week"
                | "quarter"
                | "day"
        )
    {
        return false;
    }
    match kind {
        Kind::Count => w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("'s"),
        _ => w.len() > 2,
    }
}

/// The subject of a copular or estimating form, when the mention has no
/// noun: word span (first, one past last) of the counted noun phrase.
pub(super) fn copular_subject(clause: &Clause, at: At, kind: Kind) -> Option<Subject> {
    if let Some(subject) = subject_after_number(clause, at) {
        return Some(subject);
    }
    let mut k = at.first;
    // "exceeded 20,000": a verb read as the mention's bound is the verb.
    while k + 1 < at.last && COPULAR.contains(&clause.low(k)) {
        k += 1;
    }
    // "to a record $58.8 billion", "to a new high of 4,000".
    while k > 0 && matches!(clause.low(k - 1), "a" | "record" | "new" | "high" | "of") {
        k -= 1;
    }
    if let Some(verb_end) = change_between(clause, k) {
        return copular_verb_subject(clause, verb_end, kind);
    }
    // "revised the death toll down to 1,200".
    if k > 1 && clause.low(k - 1) == "to" && clause.low(k - 2) == "down" {
        k -= 1;
    }
    // "to", "at" or nothing between the verb and the number.
    if k > 0
        && matches!(
            clause.low(k - 1),
            "to" | "at" | "above" | "over" | "past" | "by"
        )
    {
        k -= 1;
    }
    // "estimates casualties at 4,700", "put the number of dead at 300".
    if clause.low(k) == "at"
        && let Some(v) = estimating_verb(clause, k)
    {
        return noun_span(clause, v + 1, k).map(|span| Subject {
            span,
            setting: false,
        });
    }
    // "bringing the total (of NP) (it has deployed) (there) to N", "raised
    // the death toll to 6,812".
    if clause.low(k) == "to"
        && let Some((v, head)) = setting_head(clause, k, kind)
    {
        let mut a = v + 1;
        while a < head && DETERMINERS.contains(&clause.low(a)) {
            a += 1;
        }
        let span = if clause.low(head + 1) == "of" {
            noun_span(clause, a, k)?
        } else {
            (a, head + 1)
        };
        return Some(Subject {
            span,
            setting: true,
        });
    }
    copular_verb_subject(clause, k, kind).or_else(|| colon_subject(clause, k, kind))
}

/// "bringing to 59 the number of French troops killed": the subject after
/// the number.
fn subject_after_number(clause: &Clause, at: At) -> Option<Subject> {
    if !(at.first >= 2
        && clause.low(at.first - 1) == "to"
        && SETTING.contains(&clause.low(at.first - 2))
        && matches!(clause.low(at.last), "the" | "its" | "their"))
    {
        return None;
    }
    let b = (at.last..(at.last + 10).min(clause.len()))
        .find(|&q| clause.is_punct(q))
        .unwrap_or((at.last + 10).min(clause.len()));
    noun_span(clause, at.last, b).map(|span| Subject {
        span,
        setting: true,
    })
}

/// "jumped 34% to $58.8 billion": the change stands between the verb and
/// the "to" at `k - 1`; returns where the change begins, right after the
/// copular verb.
fn change_between(clause: &Clause, k: usize) -> Option<usize> {
    if !(k > 2
        && clause.low(k - 1) == "to"
        && matches!(clause.low(k - 2), "%" | "percent" | "pct")
        && clause.is_digits(k - 3))
    {
        return None;
    }
    let mut j = k - 3;
    while j > 0 && (clause.is_digits(j - 1) || clause.low(j - 1) == "by") {
        j -= 1;
    }
    (j > 0 && COPULAR.contains(&clause.low(j - 1))).then_some(j)
}

/// The verb of estimating within a clause before "at" at `k`: "estimates
/// casualties at", "put the number of dead at".
fn estimating_verb(clause: &Clause, k: usize) -> Option<usize> {
    let lo = k.saturating_sub(14);
    for v in (lo..k).rev() {
        if clause.is_punct(v) {
            return None;
        }
        if matches!(
            clause.low(v),
            "estimate"
                | "estimates"
                | "estimated"
                | "put"
                | "puts"
                | "putting"
                | "placed"
                | "places"
                | "place"
                | "set"
                | "sets"
                | "estimating"
                | "kept"
                | "keeps"
                | "held"
        ) {
            return Some(v);
        }
    }
    None
}

/// The verb of setting a total before "to" at `k` and the head of what it
/// sets: "bringing the total … to", "raised the death toll to", "bringing
/// inflation since January to".
fn setting_head(clause: &Clause, k: usize, kind: Kind) -> Option<(usize, usize)> {
    let lo = k.saturating_sub(12);
    let v = (lo..k).rev().find(|&v| SETTING.contains(&clause.low(v)))?;
    if (v..k).any(|q| clause.is_punct(q) || clause.is_digits(q)) {
        return None;
    }
    let head = (v + 1..k)
        .find(|&h| SUBJECT_HEADS.contains(&clause.low(h)))
        // "bringing inflation since January to 7.9%".
        .or_else(|| {
            (kind != Kind::Count)
                .then(|| (v + 1..k).find(|&h| may_head(clause, h, kind)))
                .flatten()
        })?;
    Some((v, head))
}

/// A headline's subject before a colon: "North Korean troops in Russia: up
/// from 11,000 to 13,000", "Death toll in Kestria: 2,300". A place alone
/// ("Kestria: 2,300 killed") is no subject.
fn colon_subject(clause: &Clause, k: usize, kind: Kind) -> Option<Subject> {
    let mut c = k;
    while c > 0
        && matches!(
            clause.low(c - 1),
            "up" | "down"
                | "from"
                | "to"
                | "at"
                | "now"
                | "over"
                | "about"
                | "nearly"
                | "almost"
                | "around"
                | "some"
        )
    {
        c -= 1;
    }
    let colon = c.checked_sub(1)?;
    if clause.low(colon) != ":" {
        return None;
    }
    let mut s = colon;
    while s > 0 && !clause.is_punct(s - 1) && colon - s < 8 {
        s -= 1;
    }
    if s > 0 && !clause.is_punct(s - 1) {
        return None;
    }
    let end = (s + 1..colon)
        .find(|&q| SUBJECT_PREPOSITIONS.contains(&clause.low(q)))
        .unwrap_or(colon);
    let mut head = end.checked_sub(1).filter(|&h| h >= s)?;
    // "Buildings destroyed: 1,900": the event is read after the span.
    let mut end = end;
    if head > s && event_word(clause.low(head)).is_some() {
        end = head;
        head -= 1;
    }
    let w = clause.low(head);
    (SUBJECT_HEADS.contains(&w) || (may_head(clause, head, kind) && kind == Kind::Count)).then_some(
        Subject {
            span: (s, end),
            setting: false,
        },
    )
}

/// "SUBJECT [has] rose to N", looking back from word `k` (the "to" or the
/// number).
pub(super) fn copular_verb_subject(clause: &Clause, k: usize, kind: Kind) -> Option<Subject> {
    let plain = |span| {
        Some(Subject {
            span,
            setting: false,
        })
    };
    let v = copular_verb_start(clause, k)?;
    let lo = v.saturating_sub(14);
    let mut h = v;
    while h > lo {
        h -= 1;
        if clause.is_punct(h) && clause.low(h) != "'" {
            return None;
        }
        let at_verb = h + 1 == v;
        if at_verb && let Some(span) = head_before_phrase(clause, h, v, kind) {
            return plain(span);
        }
        if is_head_at(clause, h, v, lo, kind) {
            let mut s = h;
            while s > 0 && !clause.is_punct(s - 1) && is_modifier(clause, s - 1) {
                s -= 1;
            }
            // "Annual inflation in Turkey": a short phrase naming a place
            // belongs to the subject.
            let e = if place_phrase(clause, h + 1, v) {
                v
            } else {
                h + 1
            };
            return plain((s, e));
        }
    }
    None
}

/// "SUBJECT [has] rose to N": a verb first, then auxiliaries, then the
/// subject; returns the first word of the verb group before `k` when it
/// holds a copular verb.
fn copular_verb_start(clause: &Clause, k: usize) -> Option<usize> {
    let mut v = k;
    let mut saw_verb = false;
    while v > 0 && k - v < 4 {
        let w = clause.low(v - 1);
        // "came in at 3.3 trillion rubles".
        let came_in =
            w == "in" && matches!(clause.low(v.wrapping_sub(2)), "came" | "come" | "comes");
        let modal = came_in
            || matches!(
                w,
                "so" | "far" | "also" | "will" | "would" | "could" | "may" | "might" | "should"
            );
        if clause.is_punct(v - 1) || !(COPULAR.contains(&w) || modal) {
            break;
        }
        saw_verb |= COPULAR.contains(&w);
        v -= 1;
    }
    saw_verb.then_some(v)
}

/// A head right before the verb at `v` with a phrase before it:
/// "Inflation in the euro zone slowed", "Layoffs at U.S. firms reached",
/// "Germany's military aid for the year totals €7.1 billion", "The number
/// of missing rose to 104". The span of the subject.
fn head_before_phrase(clause: &Clause, h: usize, v: usize, kind: Kind) -> Option<(usize, usize)> {
    let time =
        kind != Kind::Count && matches!(clause.low(h), "year" | "month" | "quarter" | "week");
    if !(may_head(clause, h, kind) || time) {
        return None;
    }
    let p = (h.saturating_sub(5)..h)
        .rev()
        .find(|&p| SUBJECT_PREPOSITIONS.contains(&clause.low(p)) && p > 0)?;
    if (p..h).any(|q| ends_phrase(clause, q)) || !may_head(clause, p - 1, kind) {
        return None;
    }
    // "The number of missing rose to 104": what is numbered.
    if clause.low(p) == "of"
        && matches!(
            clause.low(p - 1),
            "number" | "toll" | "total" | "tally" | "count" | "figure"
        )
    {
        return Some((p + 1, v));
    }
    let mut s = p - 1;
    while s > 0 && !clause.is_punct(s - 1) && is_modifier(clause, s - 1) {
        s -= 1;
    }
    // A money or percent subject keeps its phrase ("inflation in
    // Turkey": whose); a count's head is what was counted.
    let e = if kind == Kind::Count { p } else { v };
    Some((s, e))
}

/// Whether word `q` cannot stand inside a subject's prepositional phrase:
/// punctuation, a number, a verb, a conjunction or relative word.
fn ends_phrase(clause: &Clause, q: usize) -> bool {
    let w = clause.low(q);
    clause.is_punct(q)
        || clause.is_digits(q)
        || COPULAR.contains(&w)
        || event_word(w).is_some()
        || matches!(
            w,
            "as" | "and"
                | "or"
                | "while"
                | "when"
                | "after"
                | "but"
                | "that"
                | "which"
                | "who"
                | "where"
                | "because"
                | "since"
        )
}

/// Whether word `h` heads the subject of the verb at `v`: right before it
/// (but not before a relative clause: "Deaths from the outbreak that
/// followed the floods have reached 86" is headed by "Deaths"), or before
/// a prepositional phrase ("the death toll from the quake", "inflation in
/// Turkey").
fn is_head_at(clause: &Clause, h: usize, v: usize, lo: usize, kind: Kind) -> bool {
    let next = clause.low(h + 1);
    let at_verb = h + 1 == v;
    // "Deaths from the outbreak that followed the floods have reached
    // 86": the head before a relative clause is the subject.
    let relative = || {
        !SUBJECT_HEADS.contains(&clause.low(h))
            && (lo..h).any(|q| matches!(clause.low(q), "that" | "which" | "who"))
    };
    (at_verb && may_head(clause, h, kind) && !relative())
        || (SUBJECT_HEADS.contains(&clause.low(h)) && SUBJECT_PREPOSITIONS.contains(&next))
        || (SUBJECT_PREPOSITIONS.contains(&next)
            && may_head(clause, h, kind)
            && place_phrase(clause, h + 1, v))
}

/// Whether words `a..b` are a short phrase naming a place: "in Turkey",
/// "from Varnessa".
pub(super) fn place_phrase(clause: &Clause, a: usize, b: usize) -> bool {
    b > a + 1
        && b - a <= 4
        && matches!(clause.low(a), "in" | "from" | "of")
        && (a + 1..b).any(|k| super::super::places::place_at(clause.low_from(k), 0).is_some())
}

/// A word that may stand before a subject's head: "death" in "death toll",
/// "North Korean" in "North Korean casualties".
pub(super) fn is_modifier(clause: &Clause, k: usize) -> bool {
    let w = clause.low(k);
    !matches!(
        w,
        "the"
            | "a"
            | "an"
            | "its"
            | "their"
            | "his"
            | "her"
            | "and"
            | "but"
            | "that"
            | "which"
            | "as"
            | "while"
            | "of"
            | "in"
            | "on"
            | "from"
            | "to"
            | "at"
            | "by"
            | "with"
            | "said"
            | "says"
            | "say"
            | "told"
            | "reported"
            | "estimated"
            | "according"
    ) && !COPULAR.contains(&w)
        && event_word(w).is_none()
        && !clause.is_digits(k)
}

/// The noun phrase between two words ("casualties", "the number of dead").
pub(super) fn noun_span(clause: &Clause, mut a: usize, b: usize) -> Option<(usize, usize)> {
    while a < b && matches!(clause.low(a), "the" | "a" | "an" | "its" | "their") {
        a += 1;
    }
    // "the number of dead" counts the dead.
    if matches!(
        clause.low(a),
        "number" | "toll" | "tally" | "count" | "total"
    ) && clause.low(a + 1) == "of"
        && a + 2 < b
    {
        a += 2;
        while a + 1 < b && matches!(clause.low(a), "the" | "its" | "their" | "his" | "her") {
            a += 1;
        }
    }
    // "its soldiers killed since February": the phrase ends at a participle
    // or a preposition after its first word.
    let mut e = a + 1;
    while e < b
        && event_word(clause.low(e)).is_none()
        && !SUBJECT_PREPOSITIONS.contains(&clause.low(e))
        && !matches!(clause.low(e), "there" | "here" | "now" | "so" | "far")
    {
        e += 1;
    }
    (a < b).then_some((a, e.min(b)))
}

/// What a sum of money is: "$15.6 billion loan", "€50 billion aid
/// package", "$2 billion in military aid", "$375 million package of
/// military aid". Up to a clause word, a number or punctuation.
pub(super) fn money_noun(clause: &Clause, at: At) -> Option<String> {
    // "air defence systems worth €500 million": the worth of things (but
    // "the deal is worth $2 billion" says what the deal is worth).
    if at.first >= 2 && clause.low(at.first - 1) == "worth" {
        let things = clause.low(at.first - 2);
        let plural = things.len() > 3 && things.ends_with('s') && !things.ends_with("ss");
        if plural && !clause.is_punct(at.first - 2) && !COPULAR.contains(&things) {
            return Some(clause.span(at.first - 2, at.first - 1).to_string());
        }
    }
    let mut a = at.last;
    if matches!(clause.low(a), "in" | "of") {
        a += 1;
    }
    while matches!(clause.low(a), "the" | "a" | "an" | "its" | "their" | "new") {
        a += 1;
    }
    // "$58.1 billion in September", "in the first quarter": when, not what.
    let w = clause.low(a);
    // ("May" the month is capitalised; "may" the verb is not.)
    if MONTHS.contains(&w)
        || clause.raw(a) == "May"
        || matches!(
            w,
            "first"
                | "second"
                | "third"
                | "fourth"
                | "last"
                | "fiscal"
                | "year"
                | "quarter"
                | "month"
                | "week"
                | "past"
                | "recent"
                | "total"
        )
    {
        return None;
    }
    let mut e = a;
    while e < clause.len() && e - a < 6 && !clause.is_punct(e) && !clause.is_digits(e) {
        let w = clause.low(e);
        let ends = COPULAR.contains(&w)
            || event_word(w).is_some()
            || matches!(
                w,
                "for"
                    | "to"
                    | "from"
                    | "on"
                    | "by"
                    | "at"
                    | "and"
                    | "or"
                    | "that"
                    | "which"
                    | "as"
                    | "this"
                    | "last"
                    | "next"
                    | "over"
                    | "into"
                    | "with"
                    | "since"
                    | "will"
                    | "would"
                    | "is"
                    | "was"
                    | "were"
                    | "in"
            );
        if ends {
            break;
        }
        e += 1;
    }
    (e > a).then(|| clause.span(a, e).to_string())
}

/// "North Korean soldiers numbering some 10,000 to 12,000": the noun
/// phrase before "numbering" (a qualifier may stand between).
pub(super) fn numbering_noun(clause: &Clause, at: At) -> Option<String> {
    let mut k = at.first;
    while k > 0 && DETERMINERS.contains(clause.low(k - 1)) {
        k -= 1;
    }
    let verb = k.checked_sub(1)?;
    if !matches!(
        clause.low(verb),
        "numbering" | "totalling" | "totaling" | "numbered" | "totalled" | "totaled"
    ) {
        return None;
    }
    let mut s = verb;
    while s > 0 && verb - s < 4 && !clause.is_punct(s - 1) && is_modifier(clause, s - 1) {
        s -= 1;
    }
    (s < verb).then(|| clause.span(s, verb).to_string())
}
