//! Claims: what a mention says beyond its number. From the clause around
//! the number it reads the event (what happened to the counted things), the
//! owner (whose they are), the claimant (who says so), a transition's
//! previous value and whether the number is an increment rather than a
//! level. Runs after the scan over the finished mentions; never changes a
//! value, only adds to it (and folds the old value of a transition into the
//! new one).

use super::Mention;
use super::places;

/// Fills the claim fields of `mentions`, read from `text`.
pub(super) fn annotate(text: &str, mentions: &mut Vec<Mention>) {
    let _ = (text, mentions);
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
    let claimant_at = claimant
        .as_deref()
        .and_then(|c| lower.find(c).map(|s| (s, s + c.len())));
    let bytes = lower.as_bytes();
    let mut at = 0;
    while at < lower.len() {
        let word_start = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if word_start && let Some((place, len)) = places::place_at(&lower, at) {
            let in_claimant = claimant_at.is_some_and(|(s, e)| at >= s && at < e);
            let before = lower[..at].trim_end();
            let prev_word = before
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            let locative = LOCATIVE.contains(&prev_word)
                || LOCATIVE.contains(&before.rsplit(' ').nth(1).unwrap_or(""))
                    && prev_word == "the";
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
