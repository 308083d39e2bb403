//! Claims: what a mention says beyond its number. From the clause around
//! the number it reads the event (what happened to the counted things), the
//! owner (whose they are), the claimant (who says so), a transition's
//! previous value and whether the number is an increment rather than a
//! level. Runs after the scan over the finished mentions; never changes a
//! value, only adds to it (and folds the old value of a transition into the
//! new one).
//!
//! Phases, each in its own file or folder, each reading one [`Clause`]:
//! `transition` (fold "rose to 600 from 300" into one mention), `event`
//! (the event and increments; `event/elided` what a gapped clause, a part
//! or a relative clause takes from the sentence), `subject` (what is
//! counted when the noun stands elsewhere: "the death toll rose to
//! 2,300"), `owner` (`owner/inferred` for owners beyond the noun and its
//! verb) and `claimant` (`claimant/source` for "the figures come from X");
//! `words` splits a sentence into the words they read.

mod claimant;
mod event;
mod owner;
mod subject;
mod transition;
mod words;

pub(crate) use event::{CASUALTY_EVENTS, is_casualty};

use super::Mention;
use super::number::Token;
use super::places;
use std::sync::LazyLock;
use words::{Clause, Source, WordSet};

/// Fills the claim fields of `mentions`, read from `text`.
pub(super) fn annotate(
    text: &str,
    lower: &str,
    tokens: &[Token],
    spans: &[(usize, usize)],
    mentions: &mut Vec<Mention>,
) {
    if mentions.is_empty() {
        return;
    }
    let source = Source {
        text,
        lower,
        tokens,
    };
    let sentence_of = |m: &Mention| {
        spans
            .partition_point(|&(s, _)| s <= m.start)
            .saturating_sub(1)
    };
    let span_at = |idx: usize, m: &Mention| spans.get(idx).copied().unwrap_or((m.start, m.end));
    // Each sentence is split into words once, and its attributions read
    // once, however many mentions it holds.
    let mut cache: Option<(usize, Clause)> = None;
    // The claimant an earlier sentence of a paragraph hands on, by sentence.
    let mut handed_on: Vec<Option<Option<String>>> = vec![None; spans.len()];
    // The source each sentence names for the one before it, read once.
    let mut sources: Vec<Option<Option<String>>> = vec![None; spans.len()];
    let mut idx = 0;
    while idx < mentions.len() {
        let sentence = sentence_of(&mentions[idx]);
        if cache.as_ref().is_none_or(|(s, _)| *s != sentence) {
            // What the sentence left behind hands on to the next ones of
            // its paragraph: read from the clause before it is dropped.
            if let Some((done, clause)) = cache.take()
                && let Some(slot) = handed_on.get_mut(done)
                && slot.is_none()
            {
                *slot = Some(claimant::last_claimant(&clause));
            }
            cache = Some((
                sentence,
                Clause::new(source, span_at(sentence, &mentions[idx])),
            ));
        }
        let Some((_, clause)) = cache.as_ref() else {
            break;
        };
        // Transitions first: they fold the old value's mention into the new.
        if transition::fold_comparison(clause, mentions, idx) {
            continue;
        }
        if idx + 1 < mentions.len()
            && sentence_of(&mentions[idx + 1]) == sentence
            && transition::fold_pair(clause, mentions, idx)
        {
            continue;
        }
        let Some(at) = clause.locate(&mentions[idx]) else {
            idx += 1;
            continue;
        };
        let (before, rest) = mentions.split_at_mut(idx);
        let mention = &mut rest[0];
        transition::range_as_transition(clause, at, mention);
        event::read(clause, at, mention, before);
        owner::read(clause, at, mention, before);
        claimant::read(clause, at, mention);
        if mention.claimed_by.is_none() {
            mention.claimed_by = from_next(source, spans, sentence, &mut sources)
                .or_else(|| from_paragraph(source, spans, sentence, &mut handed_on));
        }
        idx += 1;
    }
}

/// The source the next sentence of the paragraph names for this one's
/// figures: "… and 31 have died. The figures come from the national
/// disaster management agency."
fn from_next(
    source: Source<'_>,
    spans: &[(usize, usize)],
    sentence: usize,
    sources: &mut [Option<Option<String>>],
) -> Option<String> {
    let (_, end) = *spans.get(sentence)?;
    let (s, e) = *spans.get(sentence + 1)?;
    if source.text.get(end..s).is_none_or(|gap| gap.contains('\n')) {
        return None;
    }
    sources
        .get_mut(sentence + 1)?
        .get_or_insert_with(|| {
            // Most sentences name no source: split into words only those
            // that hold a word that may.
            let lower = source.lower.get(s..e).unwrap_or("");
            let may = lower.split(|c: char| !c.is_ascii_alphabetic()).any(|word| {
                matches!(
                    word,
                    "figure"
                        | "figures"
                        | "estimate"
                        | "estimates"
                        | "gave"
                        | "give"
                        | "gives"
                        | "provided"
                        | "come"
                        | "comes"
                        | "came"
                )
            });
            may.then(|| claimant::source_for_previous(&Clause::new(source, (s, e))))
                .flatten()
        })
        .clone()
}

/// The claimant of the nearest earlier sentence of the same paragraph that
/// names one (at most four back), for a sentence that names none.
fn from_paragraph(
    source: Source<'_>,
    spans: &[(usize, usize)],
    sentence: usize,
    handed_on: &mut [Option<Option<String>>],
) -> Option<String> {
    let mut later_start = spans.get(sentence)?.0;
    for earlier in (sentence.saturating_sub(4)..sentence).rev() {
        let (s, e) = spans[earlier];
        // A newline between two sentences ends the paragraph.
        if source
            .text
            .get(e..later_start)
            .is_none_or(|gap| gap.contains('\n'))
        {
            return None;
        }
        let claimant = handed_on[earlier]
            .get_or_insert_with(|| claimant::last_claimant(&Clause::new(source, (s, e))));
        if claimant.is_some() {
            return claimant.clone();
        }
        later_start = s;
    }
    None
}

/// Whether a mention's known `owner` is one of a figure's `of` names.
pub(crate) fn owner_matches(owner: &str, of: &[String]) -> bool {
    of.iter().any(|name| places::same(owner, name))
}

/// Prepositions after which a place is where things are or go, not whose
/// they are: "troops sent to Russia", "fighting in Ukraine".
static LOCATIVE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
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
    ])
});

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
