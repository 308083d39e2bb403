//! Claims: what a mention says beyond its number. From the clause around
//! the number it reads the event (what happened to the counted things), the
//! owner (whose they are), the claimant (who says so), a transition's
//! previous value and whether the number is an increment rather than a
//! level. Runs after the scan over the finished mentions; never changes a
//! value, only adds to it (and folds the old value of a transition into the
//! new one).
//!
//! Phases, each in its own file, each reading one [`Clause`]:
//! `transition` (fold "rose to 600 from 300" into one mention), `event`
//! (the event and increments, and the subject of a copular form "the death
//! toll rose to 2,300"), `owner` and `claimant`.

mod claimant;
mod event;
mod owner;
mod transition;
mod words;

use super::Mention;
use super::places;
use super::sentence::sentences;
use words::Clause;

/// Fills the claim fields of `mentions`, read from `text`.
pub(super) fn annotate(text: &str, mentions: &mut Vec<Mention>) {
    if mentions.is_empty() {
        return;
    }
    let spans = sentences(text);
    let sentence_of = |m: &Mention| {
        let idx = spans
            .partition_point(|&(s, _)| s <= m.start)
            .saturating_sub(1);
        spans.get(idx).copied().unwrap_or((m.start, m.end))
    };
    // Transitions first: they remove the old value's mention.
    let mut idx = 0;
    while idx + 1 < mentions.len() {
        let span = sentence_of(&mentions[idx]);
        if sentence_of(&mentions[idx + 1]) == span {
            let clause = Clause::new(text, span);
            if transition::fold_pair(&clause, mentions, idx) {
                continue;
            }
        }
        idx += 1;
    }
    let mut cached: Option<((usize, usize), Clause)> = None;
    for idx in 0..mentions.len() {
        let span = sentence_of(&mentions[idx]);
        if cached.as_ref().is_none_or(|(s, _)| *s != span) {
            cached = Some((span, Clause::new(text, span)));
        }
        let Some((_, clause)) = cached.as_ref() else {
            continue;
        };
        let Some(at) = clause.locate(&mentions[idx]) else {
            continue;
        };
        let (before, rest) = mentions.split_at_mut(idx);
        let mention = &mut rest[0];
        transition::range_as_transition(clause, at, mention);
        event::read(clause, at, mention, before);
        owner::read(clause, at, mention, before);
        claimant::read(clause, at, mention);
        if mention.claimed_by.is_none() {
            mention.claimed_by = claimant::from_paragraph(text, span, &spans);
        }
    }
}

/// Whether a mention's known `owner` is one of a figure's `of` names.
pub(crate) fn owner_matches(owner: &str, of: &[String]) -> bool {
    of.iter().any(|name| places::same(owner, name))
}

/// Prepositions after which a place is where things are or go, not whose
/// they are: "troops sent to Russia", "fighting in Ukraine".
const LOCATIVE: &[&str] = &[
    "to",
    "in",
    "into",
    "inside",
    "near",
    "across",
    "toward",
    "towards",
    "against",
    "with",
    "on",
    "at",
    "over",
    "through",
    "within",
    "throughout",
    "around",
    "along",
    "outside",
    "between",
];

/// Whether the sentence of an owner-less mention names an owner that is none
/// of `of`: a place that is not where things went ("sent to Russia"), nor
/// part of the claimant ("Seoul said").
pub(crate) fn other_owner_named(m: &Mention, of: &[String]) -> bool {
    let lower = m.sentence.to_lowercase();
    let claimant = m.claimed_by.as_deref().map(str::to_lowercase);
    // The claimant, and an apposition after a trailing one (", said Oleh
    // Marchenko, a Ukrainian official"), name who speaks, not whose.
    let mention_at = lower.find(&m.text.to_lowercase()).unwrap_or(0);
    let claimant_at = claimant.as_deref().and_then(|c| {
        let s = lower.find(c)?;
        Some((
            s,
            if s > mention_at {
                lower.len()
            } else {
                s + c.len()
            },
        ))
    });
    let bytes = lower.as_bytes();
    let mut at = 0;
    while at < lower.len() {
        let word_start = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if word_start && let Some((place, len)) = places::place_at(&lower, at) {
            let in_claimant = claimant_at.is_some_and(|(s, e)| at >= s && at < e);
            let before = lower[..at].trim_end();
            let mut back = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty());
            let prev_word = back.next().unwrap_or("");
            let locative = LOCATIVE.contains(&prev_word)
                || (prev_word == "the" && LOCATIVE.contains(&back.next().unwrap_or("")));
            if !in_claimant && !locative && !owner_matches(place, of) {
                return true;
            }
            at += len;
            continue;
        }
        at += lower[at..].chars().next().map_or(1, char::len_utf8);
    }
    false
}
