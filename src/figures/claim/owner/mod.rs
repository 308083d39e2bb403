//! The owner of a mention: whose the counted things are, or who did the
//! counted act. In order: a place or demonym in the noun phrase ("North
//! Korean troops"), a possessive before it ("Russia's 600,000 troops"),
//! "troops from X" after it, the subject of its verb ("North Korea has sent
//! N troops", "Russia has N troops"), the agent of a passive ("sent by
//! Pyongyang"); else the owner of the mention before it in the sentence,
//! when no other place stands between them. A casualty's killer is not its
//! owner: "Russian strikes killed 45 civilians" gives the civilians none.

mod inferred;

use inferred::{copular_owner, inherited, listed, pronoun_owner, with_owner};

use super::super::Mention;
use super::super::lexicon::MONTHS;
use super::super::places;
use super::event::{
    event_word, gapped_name, is_casualty, participle_after, partitive_antecedent, relative_agent,
    verb_before,
};
use super::words::WordSet;
use super::words::{At, Clause};
use crate::text::calendar::WEEKDAYS;
use std::sync::LazyLock;

/// Verbs whose subject owns the counted things: "Russia has 600,000 troops".
static HOLDING: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "has",
        "have",
        "had",
        "holds",
        "hold",
        "held",
        "fields",
        "field",
        "fielded",
        "keeps",
        "kept",
        "maintains",
        "maintained",
        "lost",
        "loses",
        "lose",
        "amassed",
        "massed",
        "gathered",
        "possesses",
        "owns",
        "operates",
        "operated",
        "added",
        "adds",
        "recruited",
        "trained",
        "needs",
        "needed",
        "wants",
        "received",
        "receives",
        "got",
        "gets",
        "bought",
        "ordered",
        "acquired",
        "requested",
        "suffered",
        "sustained",
        "incurred",
        "fired",
        "launched",
        "shot",
        "used",
        "produced",
        "manufactured",
        "built",
        "makes",
        "made",
        "fires",
        "launches",
        "produces",
        "builds",
        "handed",
        "intercepted",
        "downed",
    ])
});

/// Words between a subject and its verb: "has also", "is believed to have".
static AUX: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "has",
        "have",
        "had",
        "also",
        "reportedly",
        "now",
        "already",
        "will",
        "would",
        "could",
        "may",
        "might",
        "is",
        "was",
        "are",
        "were",
        "been",
        "believed",
        "thought",
        "said",
        "to",
        "since",
        "so",
        "far",
        "apparently",
        "allegedly",
        "recently",
        "just",
    ])
});

/// Capitalised words that name no owner: sentence openers, pronouns, days
/// and months.
static NOT_NAMES: LazyLock<WordSet> = LazyLock::new(|| {
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "it",
        "we",
        "they",
        "he",
        "she",
        "i",
        "this",
        "that",
        "these",
        "those",
        "our",
        "their",
        "its",
        "his",
        "her",
        "after",
        "before",
        "when",
        "while",
        "but",
        "and",
        "as",
        "for",
        "by",
        "from",
        "with",
        "some",
        "about",
        "more",
        "over",
        "according",
        "officials",
        "police",
        "fighting",
        "shelling",
        "authorities",
        "rescuers",
        "militants",
        "rebels",
        "troops",
        "soldiers",
        "forces",
        "security",
        "government",
        "army",
        "military",
        "witnesses",
        "residents",
        "may",
        "last",
        "earlier",
        "since",
        "until",
        "until",
        "during",
        "about",
        "nearly",
        "almost",
        "around",
        "roughly",
        "up",
        "at",
        "least",
        "of",
        "all",
        "both",
    ]
    .into_iter()
    .chain(WEEKDAYS.iter().copied())
    .collect()
});

/// The owner named by words `a..b`: a place in the table, else the run of
/// capitalised words (a possessive's "'s" dropped), else none.
fn name_in(clause: &Clause, a: usize, b: usize) -> Option<String> {
    for k in a..b {
        if clause.is_punct(k) {
            continue;
        }
        let rest = clause.low_from(k);
        if let Some((place, _)) = places::place_at(rest, 0) {
            // "us" is a pronoun unless written "US".
            if clause.low(k) == "us" && clause.raw(k) != "US" {
                continue;
            }
            return Some(place.to_string());
        }
    }
    // An unknown name: the capitalised words, or a demonym ("Kestrian").
    let first = (a..b).find(|&k| may_name(clause, k))?;
    let mut last = first;
    while last + 1 < b && (may_name(clause, last + 1) || clause.low(last + 1) == "of") {
        last += 1;
    }
    while last > first && clause.low(last) == "of" {
        last -= 1;
    }
    let name = clause.span(first, last + 1);
    let name = name
        .strip_suffix("'s")
        .or_else(|| name.strip_suffix("’s"))
        .unwrap_or(name);
    if !name.contains(' ')
        && let Some(place) = demonym_place(name)
    {
        return Some(place);
    }
    (!name.is_empty()).then(|| name.to_string())
}

/// A place from the table among the noun phrase's words: "North Korean
/// troops", "Russia's losses", "300,000 Ukrainians".
fn place_in_noun(clause: &Clause, a: usize, b: usize) -> Option<String> {
    (a..b)
        .filter(|&k| !clause.is_punct(k) && !clause.is_digits(k))
        .find_map(|k| {
            // "2,500 US troops": "US" in capitals (the table cannot hold
            // the pronoun "us").
            if clause.raw(k) == "US" {
                return Some("United States");
            }
            places::place_at(clause.low_from(k), 0).map(|(place, _)| place)
        })
        .map(str::to_string)
}

/// A name the table does not know among the noun phrase's words: a
/// capitalised possessive ("Kestria's troops") or demonym ("Kestrian
/// troops", "1.2 million Varnessans"), which names its place by rule:
/// "Kestrian" and "Kestrians" are Kestria's, "Vardi" Vard's.
fn name_in_noun(clause: &Clause, a: usize, b: usize) -> Option<String> {
    for k in a..b {
        if clause.is_punct(k) || clause.is_digits(k) || !clause.is_cap(k) {
            continue;
        }
        if NOT_NAMES.contains(&clause.low(k)) {
            continue;
        }
        let raw = clause.raw(k);
        if raw.ends_with("'s") || raw.ends_with("’s") {
            return name_in(clause, k, k + 1);
        }
        if let Some(place) = demonym_place(raw) {
            return Some(place);
        }
    }
    None
}

/// The place an unknown demonym names: "Kestrian(s)" Kestria, "Varnessan"
/// Varnessa, "Vardi" Vard.
fn demonym_place(raw: &str) -> Option<String> {
    let raw = raw.strip_suffix('s').unwrap_or(raw);
    if let Some(stem) = raw.strip_suffix("ian").or_else(|| raw.strip_suffix("an"))
        && stem.len() >= 3
    {
        let ending = if raw.ends_with("ian") { "ia" } else { "a" };
        return Some(format!("{stem}{ending}"));
    }
    if let Some(stem) = raw.strip_suffix('i')
        && stem.len() >= 4
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        return Some(stem.to_string());
    }
    None
}

/// Whether a capitalised word can be (part of) an owner's name. A plural
/// opening the sentence alone ("Floods have killed", "Rescuers found") is a
/// common noun.
fn may_name(clause: &Clause, k: usize) -> bool {
    let low = clause.low(k);
    let bare = low
        .strip_suffix("'s")
        .or_else(|| low.strip_suffix("’s"))
        .unwrap_or(low);
    let opening_plural = (k == 0 || clause.is_punct(k - 1))
        && bare == low
        && low.ends_with('s')
        && !clause.is_cap(k + 1)
        && places::place_at(low, 0).is_none();
    // "Violence has displaced", "Fighting forced": an opening common noun.
    let opening_common = (k == 0 || clause.is_punct(k - 1))
        && !clause.is_cap(k + 1)
        && (bare.ends_with("ing") || matches!(bare, "violence" | "war" | "conflict" | "unrest"))
        && places::place_at(low, 0).is_none();
    clause.is_cap(k)
        && !NOT_NAMES.contains(&bare)
        && !MONTHS.contains(&bare)
        && !opening_plural
        && !opening_common
}

/// "Russia's 600,000 troops", "North Korea's 11,000 soldiers".
fn possessive_before(clause: &Clause, at: At) -> Option<String> {
    let k = at.first.checked_sub(1)?;
    let raw = clause.raw(k);
    if !(raw.ends_with("'s") || raw.ends_with("’s")) || !clause.is_cap(k) {
        return None;
    }
    let mut s = k;
    while s > 0 && clause.is_cap(s - 1) {
        s -= 1;
    }
    name_in(clause, s, k + 1)
}

/// "troops from North Korea", "soldiers of the Kestrian army".
fn from_after(clause: &Clause, at: At) -> Option<String> {
    let k = at.last;
    if !matches!(clause.low(k), "from" | "of") {
        return None;
    }
    let mut s = k + 1;
    if clause.low(s) == "the" {
        s += 1;
    }
    if !clause.is_cap(s) {
        return None;
    }
    let mut e = s;
    while e < clause.len() && (clause.is_cap(e) || (clause.low(e) == "of" && clause.is_cap(e + 1)))
    {
        e += 1;
    }
    name_in(clause, s, e)
}

/// The subject before verb `v`: "North Korea has sent", "Pyongyang sent".
fn subject_of(clause: &Clause, v: usize) -> Option<String> {
    let mut e = v;
    while e > 0 && AUX.contains(&clause.low(e - 1)) && !clause.is_cap(e - 1) {
        e -= 1;
    }
    // A headline's infinitive: "France to keep 1,000 troops in Mali".
    if e > 1 && clause.low(e - 1) == "to" && clause.is_cap(e - 2) {
        e -= 1;
    }
    if matches!(
        clause.low(e.wrapping_sub(1)),
        "it" | "they" | "he" | "she" | "who" | "which"
    ) {
        return None;
    }
    let mut s = e;
    while s > 0 && e - s < 5 && !clause.is_punct(s - 1) {
        let w = clause.low(s - 1);
        if matches!(w, "and" | "that" | "but" | "while" | "as" | "said" | "says") {
            break;
        }
        s -= 1;
    }
    // "The strike on the block in Petrevo killed": a place after a
    // preposition is where, not who.
    while s < e && matches!(clause.low(s), "on" | "in" | "at" | "near" | "from" | "of") {
        s += 1;
    }
    let e = (s + 1..e)
        .find(|&k| {
            matches!(
                clause.low(k),
                "on" | "in" | "at" | "near" | "from" | "of" | "around" | "outside" | "across"
            )
        })
        .unwrap_or(e);
    if s >= e {
        return None;
    }
    // "Security forces detained", "Coast guard crews rescued": a sentence's
    // capitalised first word before a common noun is no name, unless the
    // table or the demonym rule knows it.
    let opening = s == 0 || clause.is_punct(s - 1);
    if opening
        && clause.is_cap(s)
        && !clause.is_cap(s + 1)
        && s + 1 < e
        && places::place_at(clause.low_from(s), 0).is_none()
        && demonym_place(clause.raw(s)).is_none()
    {
        return name_in(clause, s + 1, e);
    }
    name_in(clause, s, e)
}

/// The verb of a transition: "Kestria raised its contingent from 1,600 to
/// 2,000 troops" (the mention is the new value, after "to").
fn changing_verb(clause: &Clause, at: At) -> Option<usize> {
    let lo = at.first.saturating_sub(10);
    let from = (lo..at.first).rev().find(|&k| clause.low(k) == "from")?;
    (from.saturating_sub(5)..from).rev().find(|&k| {
        matches!(
            clause.low(k),
            "raised"
                | "increased"
                | "boosted"
                | "expanded"
                | "cut"
                | "reduced"
                | "doubled"
                | "lifted"
                | "lowered"
                | "grew"
                | "upped"
                | "trimmed"
                | "tripled"
                | "halved"
        )
    })
}

/// "11,000 troops were sent by Pyongyang".
fn agent_after(clause: &Clause, participle: usize) -> Option<String> {
    if clause.low(participle + 1) != "by" {
        return None;
    }
    let mut s = participle + 2;
    if clause.low(s) == "the" {
        s += 1;
    }
    let mut e = s;
    while e < clause.len() && clause.is_cap(e) {
        e += 1;
    }
    (s < e).then(|| name_in(clause, s, e)).flatten()
}

/// Words `a..b` of the noun phrase of `m`, if it stands in the clause.
fn noun_words(clause: &Clause, at: At, m: &Mention) -> (usize, usize) {
    if m.noun.is_empty() {
        return (at.first, at.first);
    }
    // Most often the noun phrase ends the mention: "200 artillery pieces".
    if m.text.ends_with(m.noun.as_str()) && m.end >= m.noun.len() {
        return (clause.word_at(m.end - m.noun.len()), at.last);
    }
    let sentence = clause.text.get(clause.start..clause.end).unwrap_or("");
    let limit = clause
        .words
        .get(at.last.saturating_sub(1))
        .map_or(sentence.len(), |w| w.end - clause.start);
    match sentence.get(..limit).and_then(|s| s.rfind(m.noun.as_str())) {
        Some(off) => {
            let a = clause.word_at(clause.start + off);
            let b = clause.word_at(clause.start + off + m.noun.len());
            (a, b)
        }
        None => (at.first, at.last),
    }
}

/// "casualties among the North Korean contingent".
fn among_after(clause: &Clause, at: At) -> Option<String> {
    let limit = (at.last + 8).min(clause.len());
    let k = (at.last..limit)
        .take_while(|&k| !clause.is_punct(k))
        .find(|&k| clause.low(k) == "among")?;
    let e = (k + 1..limit)
        .find(|&q| clause.is_punct(q))
        .unwrap_or(limit);
    place_in_noun(clause, k + 1, e).or_else(|| name_in_noun(clause, k + 1, e))
}

/// A verb by which its subject harms others: "killed", "wounded",
/// "captured" (not "lost" or "suffered": their subject is the loser).
fn harms(verb: &str) -> bool {
    matches!(
        event_word(verb),
        Some("killed" | "wounded" | "injured" | "captured")
    )
}

/// A personal pronoun is the subject of verb `v`: "they had killed".
fn pronoun_subject(clause: &Clause, v: usize) -> bool {
    let mut k = v;
    while k > 0 && AUX.contains(&clause.low(k - 1)) {
        k -= 1;
    }
    matches!(clause.low(k.wrapping_sub(1)), "they" | "we" | "he" | "she")
}

/// Whether `m` counts casualties by its event.
fn is_casualty_event(m: &Mention) -> bool {
    m.event.as_deref().is_some_and(is_casualty)
}

/// Reads the owner of `m`.
pub(super) fn read(clause: &Clause, at: At, m: &mut Mention, before_m: &[Mention]) {
    let (mut na, mut nb) = noun_words(clause, at, m);
    let has_noun = !m.noun.is_empty();
    if !has_noun {
        // "About 2,000 wounded North Korean soldiers": a noun the scan left.
        (na, nb) = (at.last, (at.last + 4).min(clause.len()));
        if let Some(stop) = (na..nb).find(|&k| clause.is_punct(k)) {
            nb = stop;
        }
    }
    // "Denmark has pledged 19 jets, Norway six": the gapped clause's name.
    let gapped = gapped_name(clause, at)
        .filter(|_| before_m.last().is_some_and(|p| p.start >= clause.start))
        .and_then(|(s, e)| name_in(clause, s, e));
    // "all 1,500 of its troops from Niger": "its" names the owner first.
    let own_pronoun =
        (at.first.saturating_sub(2)..at.last).any(|k| matches!(clause.low(k), "its" | "their"));
    // "destroyed 17 of them": the part is its whole's.
    let part = || partitive_antecedent(clause, at, m, before_m)?.owner.clone();
    let mut owner = gapped
        .or_else(part)
        .or_else(|| place_in_noun(clause, na, nb))
        .or_else(|| own_pronoun.then(|| pronoun_owner(clause, at)).flatten())
        .or_else(|| possessive_before(clause, at))
        // "pulled out 2,500 troops from Iraq": where from, not whose.
        .or_else(|| from_after(clause, at).filter(|_| m.event.as_deref() != Some("withdrawn")))
        .or_else(|| among_after(clause, at));
    let transfer = m.event.as_deref().is_some_and(|e| {
        matches!(
            e,
            "sent" | "supplied" | "delivered" | "pledged" | "deployed" | "withdrawn"
        )
    });
    if owner.is_none() && !transfer {
        // "Varnessa holds 1,100 Brenovian prisoners": whose they are.
        owner = name_in_noun(clause, na, nb).filter(|_| has_noun);
    }
    if owner.is_none() {
        let verb = verb_before(clause, at)
            .or_else(|| {
                let k = at.first.checked_sub(1)?;
                HOLDING.contains(&clause.low(k)).then_some(k)
            })
            .or_else(|| m.previous.and_then(|_| changing_verb(clause, at)));
        owner = verb.and_then(|v| subject_of(clause, v));
        // "they had killed about 60 fighters": someone named before harmed
        // them; whose they are is still unsaid.
        m.agent = verb.is_some_and(|v| {
            harms(clause.low(v)) && (owner.is_some() || pronoun_subject(clause, v))
        });
        if owner.is_none() {
            owner = participle_after(clause, at).and_then(|p| agent_after(clause, p));
            m.agent |= owner.is_some() && is_casualty_event(m);
        }
    }
    if owner.is_none() {
        owner = name_in_noun(clause, na, nb).or_else(|| {
            // "Refugees from Varnessa".
            let k = (na..nb).find(|&k| matches!(clause.low(k), "from" | "of"))?;
            has_noun.then(|| name_in(clause, k + 1, nb)).flatten()
        });
    }
    if owner.is_none() {
        owner = copular_owner(clause, at, m).or_else(|| pronoun_owner(clause, at));
        if owner.is_none() {
            owner = with_owner(clause, at).or_else(|| {
                let (_, s, e) = relative_agent(clause, at)?;
                name_in(clause, s, e)
            });
            m.agent |= owner.is_some() && is_casualty_event(m);
        }
    }
    if owner.is_none() {
        owner = inherited(clause, at, m, before_m).or_else(|| listed(clause, at, before_m));
    }
    m.owner = owner;
}
