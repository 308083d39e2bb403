//! What a mention takes from another of its clause when the words are left
//! out: a gapped clause ("Denmark pledged 19 jets, Norway six"), a part
//! ("12 of them", "74 of the drones"), an active relative clause after the
//! noun ("the 3,000 troops that Pyongyang dispatched"), two coordinated
//! numbers ("9,800 homes were destroyed and 21,000 damaged").

use super::super::super::Mention;
use super::super::super::lexicon::MONTHS;
use super::super::words::{At, Clause};
use super::event_word;
use super::verb::AUX;

/// The name before the number of a gapped clause: ", Norway six", "and
/// Belgium 30", ", Australia A$100 million": words (first, one past last).
pub(in crate::figures::claim) fn gapped_name(clause: &Clause, at: At) -> Option<(usize, usize)> {
    let e = at.first;
    let mut s = e;
    while s > 0 && e - s < 3 && clause.is_cap(s - 1) {
        s -= 1;
    }
    if s == e || s == 0 {
        return None;
    }
    let joined = matches!(clause.low(s - 1), "," | "and" | "while" | "whereas")
        || (clause.low(s - 1) == "the" && s > 1 && matches!(clause.low(s - 2), "," | "and"));
    let dated = (s..e).any(|k| {
        let w = clause.low(k);
        MONTHS.contains(&w) || w.ends_with("day")
    });
    (joined && !dated).then_some((s, e))
}

/// The earlier mention of the sentence that "N of them" or "N of the
/// drones" takes a part of: the last one, or the last whose noun ends as
/// this one's.
pub(in crate::figures::claim) fn partitive_antecedent<'b>(
    clause: &Clause,
    at: At,
    m: &Mention,
    before_m: &'b [Mention],
) -> Option<&'b Mention> {
    let mut earlier = before_m.iter().rev().filter(|p| p.start >= clause.start);
    if clause.low(at.last) == "of" && matches!(clause.low(at.last + 1), "them" | "those") {
        return earlier.find(|p| !p.noun.is_empty() && p.kind == m.kind);
    }
    let of_the = (at.first..at.last).any(|k| clause.low(k) == "of" && clause.low(k + 1) == "the");
    if of_the && !m.noun.is_empty() {
        let head = m.noun.rsplit(' ').next()?;
        return earlier.find(|p| {
            p.noun
                .rsplit(' ')
                .next()
                .is_some_and(|h| h.eq_ignore_ascii_case(head))
        });
    }
    None
}

/// "The 3,000 troops that Pyongyang dispatched": an active relative clause
/// after the noun, with a name as its subject. Returns the event, and the
/// words (first, one past last) of the name.
pub(in crate::figures::claim) fn relative_agent(
    clause: &Clause,
    at: At,
) -> Option<(&'static str, usize, usize)> {
    let k = at.last;
    let named = clause.is_cap(k + 1) || (clause.low(k + 1) == "the" && clause.is_cap(k + 2));
    if !matches!(clause.low(k), "that" | "which") || !named {
        return None;
    }
    // "the tanks that the United States supplied".
    let s = if clause.low(k + 1) == "the" {
        k + 2
    } else {
        k + 1
    };
    let mut e = s;
    while e < clause.len() && e - s < 4 && clause.is_cap(e) {
        e += 1;
    }
    let mut v = e;
    while matches!(
        clause.low(v),
        "has" | "had" | "have" | "already" | "reportedly"
    ) {
        v += 1;
    }
    Some((event_word(clause.low(v))?, s, e))
}

/// Words that join two mentions of one clause: "9,800 homes were destroyed
/// and 21,000 damaged", "30 howitzers and 12,000 soldiers".
pub(in crate::figures::claim) fn coordinated(clause: &Clause, prev: &Mention, at: At) -> bool {
    let from = clause.word_at(prev.end);
    let gap: Vec<&str> = (from..at.first).map(|k| clause.low(k)).collect();
    gap.contains(&"and")
        && gap.len() <= 6
        && gap.iter().all(|w| {
            matches!(
                *w,
                "and"
                    | ","
                    | "as"
                    | "well"
                    | "plus"
                    | "some"
                    | "about"
                    | "another"
                    | "swept"
                    | "washed"
                    | "away"
            ) || AUX.contains(w)
                || event_word(w).is_some()
        })
}
