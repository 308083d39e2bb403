//! Owners the noun phrase and its verb do not give, inferred from the
//! sentence around the mention: who attacked "with" the counted things,
//! the subject of a copular verb, "its" and "their", the first item of a
//! list of places, and the mention before it in the sentence.

use super::super::super::Mention;
use super::super::subject::{COPULAR, SETTING, copular_subject};
use super::super::words::{At, Clause, WordSet};
use super::places;
use super::{NOT_NAMES, demonym_place, may_name, name_in, name_in_noun, place_in_noun, subject_of};
use std::sync::LazyLock;

/// Verbs of an attack made "with" things: "Russia attacked Ukraine
/// overnight with 96 drones".
pub(in crate::figures::claim) static ATTACKING: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "attacked",
        "attacks",
        "attack",
        "struck",
        "strikes",
        "strike",
        "hit",
        "hits",
        "pounded",
        "pounds",
        "pound",
        "targeted",
        "targets",
        "shelled",
        "bombarded",
        "bombed",
        "raided",
        "barraged",
        "battered",
        "pummelled",
        "pummeled",
    ])
});

/// "Russia attacked Ukraine overnight with 96 drones": who attacked owns
/// what it attacked with (not in the passive: "Kyiv was hit with …").
pub(in crate::figures::claim) fn with_owner(clause: &Clause, at: At) -> Option<String> {
    let w = at.first.checked_sub(1)?;
    if clause.low(w) != "with" {
        return None;
    }
    let lo = w.saturating_sub(8);
    let v = (lo..w)
        .rev()
        .take_while(|&k| !clause.is_punct(k))
        .find(|&k| ATTACKING.contains(&clause.low(k)))?;
    if matches!(
        clause.low(v.wrapping_sub(1)),
        "was" | "were" | "been" | "being" | "is" | "are"
    ) {
        return None;
    }
    subject_of(clause, v)
}

/// "Pyongyang's contribution has grown to some 12,000 soldiers": the owner
/// named in the subject of a copular verb before a counted noun.
pub(in crate::figures::claim) fn copular_owner(
    clause: &Clause,
    at: At,
    m: &Mention,
) -> Option<String> {
    if m.noun.is_empty() {
        return None;
    }
    // Read as a measure's subject, whose head may be any noun
    // ("contribution"), and which keeps its phrase ("troops from Kestria").
    // Cheap first: a copular form has its verb, a colon or a setting verb
    // just before the number.
    let near = matches!(clause.low(at.first.wrapping_sub(1)), "at" | "to")
        || (at.first.saturating_sub(6)..=at.first).any(|k| {
            let w = clause.low(k);
            w == ":" || COPULAR.contains(&w) || SETTING.contains(&w)
        });
    if !near {
        return None;
    }
    let subject = copular_subject(clause, at, crate::figures::Kind::Measure)?;
    let (s, e) = subject.span;
    place_in_noun(clause, s, e).or_else(|| name_in_noun(clause, s, e))
}

/// "Denmark said it would donate all 19 of its F-16 jets", "214 of their
/// soldiers": "its" or "their" stands for the nearest place named before.
pub(in crate::figures::claim) fn pronoun_owner(clause: &Clause, at: At) -> Option<String> {
    let from = at.first.saturating_sub(1);
    let to = (at.last + 2).min(clause.len());
    let pronoun = (from..to).any(|k| matches!(clause.low(k), "its" | "their"));
    if !pronoun {
        return None;
    }
    (0..at.first)
        .rev()
        .find_map(|k| {
            if clause.is_punct(k) || clause.is_digits(k) {
                return None;
            }
            places::place_at(clause.low_from(k), 0)
                .map(|(place, _)| place.to_string())
                .or_else(|| {
                    let name = clause.is_cap(k) && !NOT_NAMES.contains(&clause.low(k));
                    name.then(|| demonym_place(clause.raw(k))).flatten()
                })
        })
        .or_else(|| {
            // An unknown name opening the sentence: "Vardia has pulled out
            // all 800 of its troops".
            let mut e = 0;
            while e < at.first && may_name(clause, e) {
                e += 1;
            }
            (e > 0).then(|| name_in(clause, 0, e)).flatten()
        })
}

/// "France has 350 soldiers in Chad, and some 600 in Côte d'Ivoire": the
/// owner of the list's first item.
pub(in crate::figures::claim) fn listed(
    clause: &Clause,
    at: At,
    before_m: &[Mention],
) -> Option<String> {
    if !(matches!(clause.low(at.first.wrapping_sub(1)), "and" | ",")
        && matches!(clause.low(at.last), "in" | "at"))
    {
        return None;
    }
    before_m
        .iter()
        .rev()
        .filter(|p| p.start >= clause.start)
        .find_map(|p| p.owner.clone())
}

/// The owner of the previous mention in the sentence, when this one is
/// joined to it ("sent 30 howitzers and 12,000 soldiers") or has no noun of
/// its own ("bringing the total it has deployed to 16,000"), and nothing
/// that names another owner stands between them.
pub(in crate::figures::claim) fn inherited(
    clause: &Clause,
    at: At,
    m: &Mention,
    before_m: &[Mention],
) -> Option<String> {
    let prev = before_m.last()?;
    if prev.start < clause.start {
        return None;
    }
    let owner = prev.owner.clone()?;
    let from = clause.word_at(prev.end);
    let gap = from..at.first;
    let other_place = gap.clone().any(|k| {
        !clause.is_punct(k)
            && (places::place_at(clause.low_from(k), 0).is_some()
                || (clause.is_cap(k) && !NOT_NAMES.contains(&clause.low(k))))
    });
    let joined = gap.clone().all(|k| {
        clause.is_punct(k)
            || matches!(
                clause.low(k),
                "and"
                    | "as"
                    | "well"
                    | "plus"
                    | "including"
                    | "of"
                    | "them"
                    | "whom"
                    | "were"
                    | "was"
                    | "had"
                    | "been"
                    | "have"
                    | "another"
                    | "some"
                    | "about"
                    | "while"
                    | "leaving"
            )
            || super::super::event::is_event_word(clause.low(k))
    });
    let pronoun = gap
        .clone()
        .any(|k| matches!(clause.low(k), "it" | "its" | "they" | "their"));
    (!other_place && (joined || m.noun.is_empty() || pronoun)).then_some(owner)
}
