//! The verb that carries a mention's event: after the number, passive or
//! a participle ("1,500 soldiers were killed", "2,300 people killed", "N
//! of whom were captured"), or before it, active ("killed 45 people",
//! "supplied Russia with 200 artillery pieces").

use super::super::super::lexicon::AUXILIARIES;
use super::super::subject::SETTING;
use super::super::words::WordSet;
use super::super::words::{At, Clause};
use super::words::{event_word, is_casualty};
use std::sync::LazyLock;

/// Words between a number and its participle: "were", "have been",
/// "reportedly", "are believed to have been", "of whom".
pub(super) static AUX: LazyLock<WordSet> = LazyLock::new(|| {
    [
        "remain",
        "remained",
        "remains",
        "now",
        "feared",
        "reportedly",
        "also",
        "all",
        "now",
        "already",
        "later",
        "since",
        "subsequently",
        "believed",
        "thought",
        "feared",
        "presumed",
        "said",
        "reported",
        "confirmed",
        "to",
        "who",
        "that",
        "which",
        "of",
        "whom",
        "them",
        "those",
        "so",
        "far",
        "either",
        "or",
        "will",
        "would",
        "could",
        "may",
        "might",
        "officially",
        "listed",
        "as",
        "still",
        "others",
        "more",
        "among",
        "forced",
    ]
    .into_iter()
    .chain(AUXILIARIES.iter().copied())
    .collect()
});

/// Words between an active verb and its number: "an additional", "another",
/// "a total of", "at least" (the qualifier is part of the mention already).
pub(in crate::figures::claim) static DETERMINERS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "an",
        "a",
        "additional",
        "another",
        "further",
        "extra",
        "total",
        "of",
        "the",
        "its",
        "their",
        "his",
        "her",
        "our",
        "some",
        "roughly",
        "nearly",
        "almost",
        "around",
        "about",
        "up",
        "to",
        "over",
        "at",
        "least",
        "more",
        "than",
        "estimated",
        "new",
        "fresh",
        "all",
    ])
});

/// The event after the mention: (event, index of the event word).
pub(super) fn after(clause: &Clause, at: At) -> Option<(&'static str, usize)> {
    // A participle that modifies ("1,000 troops sent to Russia") or a
    // prepositional phrase ("17 soldiers in his unit") may stand before the
    // verb of the clause, which then must be passive ("were killed").
    let mut modifier: Option<(&'static str, usize)> = None;
    let mut phrase = false;
    let limit = (at.last + 12).min(clause.len());
    let mut k = at.last;
    while k < limit {
        if clause.is_punct(k) {
            match past_punct(clause, k, limit, modifier.is_none()) {
                Some(next) => {
                    k = next;
                    continue;
                }
                None => break,
            }
        }
        let w = clause.low(k);
        // Another number or clause: the verb after it is not this one's.
        if (modifier.is_some() || phrase)
            && (clause.is_digits(k) || matches!(w, "and" | "or" | "but" | "while" | "whereas"))
        {
            break;
        }
        if let Some(event) = event_after(clause, at, k) {
            let passive = k > at.last && AUX.contains(&clause.low(k - 1));
            let direct = modifier.is_none() && !phrase;
            if is_casualty(event) && (direct || passive) {
                return Some((event, k));
            }
            if modifier.is_none() {
                if phrase && !passive {
                    break;
                }
                modifier = Some((event, k));
            }
        } else if modifier.is_none()
            && matches!(w, "shot" | "stabbed" | "beaten" | "attacked")
            && clause.low(k + 1) == "and"
        {
            // "were shot and killed": the second verb says what happened.
            k += 2;
            continue;
        } else if modifier.is_none() && (!AUX.contains(&w) || w == "of") {
            if matches!(
                w,
                "in" | "from" | "at" | "on" | "near" | "inside" | "across" | "under" | "of"
            ) || phrase
            {
                phrase = true;
            } else {
                break;
            }
        }
        k += 1;
    }
    modifier
}

/// Where the search for the event after a mention goes on past the
/// punctuation at `k`, if it does: ", who were killed" and ", of whom 300
/// …" continue the noun (while no modifier was read, `bare`); so does an
/// aside ", including a 14-year-old boy,".
fn past_punct(clause: &Clause, k: usize, limit: usize, bare: bool) -> Option<usize> {
    if clause.low(k) != "," {
        return None;
    }
    let next = clause.low(k + 1);
    if matches!(next, "who" | "of") && bare {
        return Some(k + 1);
    }
    if matches!(next, "including" | "among" | "most" | "many") {
        return (k + 1..limit)
            .find(|&q| clause.low(q) == ",")
            .map(|q| q + 1);
    }
    None
}

/// The event the word at `k` after the mention names, phrases first:
/// "taken prisoner", "lost their lives", "forced … to leave", "shot
/// dead", "swept away"; none for a loss of something else ("lost power",
/// "lost a third of its strength").
fn event_after(clause: &Clause, at: At, k: usize) -> Option<&'static str> {
    let w = clause.low(k);
    match w {
        "taken" | "held" if matches!(clause.low(k + 1), "prisoner" | "captive") => Some("captured"),
        "lost" | "losing" | "lose" => lost_after(clause, k),
        // "forced 85,000 people from their homes".
        "from" if clause.low(k + 1) == "their" && clause.low(k + 2) == "homes" => Some("displaced"),
        // "forced 60,000 people to leave".
        "leave" | "flee"
            if clause.low(k - 1) == "to"
                && matches!(
                    clause.low(at.first.wrapping_sub(1)),
                    "forced" | "forcing" | "force" | "forces"
                ) =>
        {
            Some("displaced")
        }
        // "were shot dead", "gunned down", "swept away".
        "shot" | "gunned" | "stabbed" | "beaten"
            if matches!(clause.low(k + 1), "dead" | "down") =>
        {
            Some("killed")
        }
        "swept" | "washed" if clause.low(k + 1) == "away" => Some("destroyed"),
        _ => event_word(w),
    }
}

/// What "lost" at `k` says of the counted: "lost their lives" dead, "2,000
/// families lost their homes" displaced; nothing when they lost something
/// else ("a contingent of 12,000 troops has lost about a third of its
/// strength", "1 million households lost power").
fn lost_after(clause: &Clause, k: usize) -> Option<&'static str> {
    let whose = matches!(clause.low(k + 1), "their" | "his" | "her");
    if whose && matches!(clause.low(k + 2), "lives" | "life") {
        return Some("dead");
    }
    if whose && matches!(clause.low(k + 2), "homes" | "home" | "houses") {
        return Some("displaced");
    }
    let something_else = clause.is_digits(k + 1)
        || matches!(
            clause.low(k + 1),
            "a" | "an"
                | "the"
                | "about"
                | "some"
                | "its"
                | "their"
                | "his"
                | "her"
                | "half"
                | "nearly"
                | "almost"
                | "more"
                | "over"
                | "around"
                | "one"
                | "two"
                | "three"
                | "power"
                | "electricity"
                | "water"
                | "access"
                | "contact"
                | "jobs"
                | "homes"
        );
    if something_else {
        return None;
    }
    event_word(clause.low(k))
}

/// The event of the verb before the mention: (event, index of the verb).
pub(super) fn before(clause: &Clause, at: At) -> Option<(&'static str, usize)> {
    let mut k = at.first;
    let mut skipped = 0;
    while k > 0 && skipped < 6 {
        k -= 1;
        if clause.is_punct(k) {
            return None;
        }
        let w = clause.low(k);
        // "had taken 25 soldiers prisoner".
        if matches!(w, "taken" | "took" | "taking" | "take")
            && matches!(clause.low(at.last), "prisoner" | "prisoners" | "captive")
        {
            return Some(("captured", k));
        }
        if let Some(event) = event_word(w) {
            // "damaged or destroyed 36,000 homes": the first verb names it.
            if k >= 2
                && matches!(clause.low(k - 1), "or" | "and")
                && let Some(first) = event_word(clause.low(k - 2))
            {
                return Some((first, k - 2));
            }
            return Some((event, k));
        }
        // "claimed the lives of 45 people", "cost 300 lives".
        if w == "of" && clause.low(k.wrapping_sub(1)) == "lives" {
            return Some(("killed", k));
        }
        // "evacuated to 612 relief camps": where to, not what (but "the
        // total it has deployed to 9,000" sets a total).
        if w == "to"
            && clause.low(k.wrapping_sub(1)) != "up"
            && !(k.saturating_sub(10)..k).any(|q| SETTING.contains(&clause.low(q)))
        {
            return None;
        }
        // "pulled out all 1,500 of its troops".
        if w == "out"
            && matches!(
                clause.low(k.wrapping_sub(1)),
                "pulled" | "pulling" | "pull" | "pulls"
            )
        {
            return Some(("withdrawn", k - 1));
        }
        // "supplied Russia with 200 pieces", "sent Moscow 11,000 troops".
        let object = clause.is_cap(k) || w == "with";
        if !DETERMINERS.contains(&w) && !object {
            return None;
        }
        skipped += 1;
    }
    None
}

/// Index of the verb before the mention that carries its event, if any; the
/// owner phase reads the verb's subject.
pub(in crate::figures::claim) fn verb_before(clause: &Clause, at: At) -> Option<usize> {
    before(clause, at).map(|(_, k)| k)
}

/// Index of the participle after the mention, if any (for "by X" agents).
pub(in crate::figures::claim) fn participle_after(clause: &Clause, at: At) -> Option<usize> {
    after(clause, at).map(|(_, k)| k)
}
