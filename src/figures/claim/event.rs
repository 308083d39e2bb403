//! The event of a mention (what happened to the counted things), whether it
//! is an increment, and the subject of copular forms.
//!
//! - After the number, in the passive or as a participle: "1,500 soldiers
//!   were killed", "2,300 people killed", "2,300 dead", "N have been
//!   deployed", "N of whom were captured".
//! - Before it, as the verb of the clause: "killed 45 people", "killing 45",
//!   "North Korea has sent an additional 1,000 troops", "supplied Russia
//!   with 200 artillery pieces".
//! - Increments: "an additional", "another", "a further", "N more", "N
//!   extra": never a level. "bringing the total to N" is the level.
//! - Copular and inverted forms, whose subject is what is counted: "the
//!   death toll rose to 2,300", "casualties have reached 4,000", "estimates
//!   casualties at around 4,700", "bringing the total to 16,000".

use super::super::Mention;
use super::words::{At, Clause};

/// Event words, in every form the clause may use, to their normal form.
fn event_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "killed" | "kill" | "kills" | "killing" | "slain" | "slaughtered" | "massacred"
        | "executed" => "killed",
        "dead" | "died" | "die" | "dies" | "dying" | "perished" | "drowned" => "dead",
        "wounded" | "wounding" | "wound" | "wounds" => "wounded",
        "injured" | "injuring" | "injure" | "injures" | "hurt" => "injured",
        "captured" | "capturing" | "capture" | "captures" | "seized" => "captured",
        "missing" | "unaccounted" => "missing",
        "deployed" | "deploying" | "deploy" | "deploys" | "stationed" | "stationing"
        | "mobilised" | "mobilized" | "posted" => "deployed",
        "sent" | "sending" | "send" | "sends" | "dispatched" | "dispatching" | "dispatch" => "sent",
        "withdrawn" | "withdrew" | "withdrawing" | "withdraw" | "withdraws" => "withdrawn",
        "supplied" | "supplying" | "supply" | "supplies" | "provided" | "providing" | "provide"
        | "provides" | "shipped" | "shipping" | "ships" | "transferred" | "transferring"
        | "gave" | "given" | "giving" | "donated" | "donating" | "exported" | "sold" => "supplied",
        "delivered" | "delivering" | "deliver" | "delivers" => "delivered",
        "pledged" | "pledging" | "pledge" | "pledges" | "promised" | "promising" | "promise"
        | "promises" | "committed" | "committing" | "commit" | "commits" | "earmarked"
        | "approved" => "pledged",
        "displaced" | "displacing" | "displace" | "displaces" | "uprooted" | "fled" | "fleeing"
        | "homeless" => "displaced",
        "evacuated" | "evacuating" | "evacuate" | "evacuates" => "evacuated",
        "destroyed" | "destroying" | "destroy" | "destroys" => "destroyed",
        "damaged" | "damaging" => "damaged",
        "arrested" | "arresting" | "arrest" | "detained" | "detaining" | "detain" => "arrested",
        "rescued" | "rescuing" | "rescue" | "rescues" => "rescued",
        "lost" | "losing" | "lose" | "loses" => "lost",
        _ => return None,
    })
}

/// Whether a word names an event in any of its forms.
pub(super) fn is_event_word(w: &str) -> bool {
    event_word(w).is_some()
}

/// Whether an event is a casualty: killed, wounded, dead, injured, captured,
/// missing, lost ("Russia has lost 400,000 soldiers").
pub(crate) fn is_casualty(event: &str) -> bool {
    matches!(
        event,
        "killed" | "wounded" | "dead" | "injured" | "captured" | "missing" | "lost"
    )
}

/// Words between a number and its participle: "were", "have been",
/// "reportedly", "are believed to have been", "of whom".
const AUX: &[&str] = &[
    "were",
    "was",
    "are",
    "is",
    "be",
    "been",
    "being",
    "have",
    "has",
    "had",
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
];

/// Words between an active verb and its number: "an additional", "another",
/// "a total of", "at least" (the qualifier is part of the mention already).
const DETERMINERS: &[&str] = &[
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
];

/// The event after the mention: (event, index of the event word).
fn after(clause: &Clause, at: At) -> Option<(&'static str, usize)> {
    let mut modifier: Option<(&'static str, usize)> = None;
    let limit = (at.last + 9).min(clause.len());
    let mut k = at.last;
    while k < limit {
        if clause.is_punct(k) {
            // ", who were killed" and ", of whom 300 …" continue the noun.
            if clause.low(k) == ","
                && matches!(clause.low(k + 1), "who" | "of")
                && modifier.is_none()
            {
                k += 1;
                continue;
            }
            break;
        }
        let w = clause.low(k);
        let event = match w {
            "taken" | "held" if matches!(clause.low(k + 1), "prisoner" | "captive") => {
                Some("captured")
            }
            "lost" | "losing" if matches!(clause.low(k + 1), "their" | "his" | "her") => {
                Some("dead")
            }
            _ => event_word(w),
        };
        if let Some(event) = event {
            // "1,000 troops sent to Russia were killed": a participle that
            // modifies yields to a casualty verb of the clause, in the
            // passive ("were killed", not "killed 300 others").
            let passive = k > at.last && AUX.contains(&clause.low(k - 1));
            if is_casualty(event) && (modifier.is_none() || passive) {
                return Some((event, k));
            }
            if modifier.is_none() {
                modifier = Some((event, k));
            }
        } else if modifier.is_none() && !AUX.contains(&w) {
            break;
        }
        k += 1;
    }
    modifier
}

/// The event of the verb before the mention: (event, index of the verb).
fn before(clause: &Clause, at: At) -> Option<(&'static str, usize)> {
    let mut k = at.first;
    let mut skipped = 0;
    while k > 0 && skipped < 6 {
        k -= 1;
        if clause.is_punct(k) {
            return None;
        }
        let w = clause.low(k);
        if let Some(event) = event_word(w) {
            return Some((event, k));
        }
        // "claimed the lives of 45 people", "cost 300 lives".
        if w == "of" && clause.low(k.wrapping_sub(1)) == "lives" {
            return Some(("killed", k));
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

/// Whether the words just before or inside the mention make it an
/// increment: "an additional 3,000", "another 2,000", "a further 500",
/// "1,000 more troops", "200 extra tanks", "added 3,000".
fn increment(clause: &Clause, at: At) -> bool {
    let back1 = at.first.checked_sub(1).map_or("", |k| clause.low(k));
    let back2 = at.first.checked_sub(2).map_or("", |k| clause.low(k));
    if matches!(back1, "additional" | "another" | "further" | "extra")
        || matches!(back2, "additional" | "another" | "further")
        || matches!(back1, "added" | "adding" | "adds" | "add")
    {
        return true;
    }
    // Inside the mention, after the number: "1,000 more troops" (not "more
    // than", which is a qualifier before the number).
    (at.first..at.last).any(|k| {
        matches!(clause.low(k), "more" | "additional" | "extra")
            && clause.low(k + 1) != "than"
            && k > at.first
            && clause.is_digits(k - 1)
    }) || (clause.low(at.last) == "more" && clause.low(at.last + 1) != "than")
}

/// Heads a copular subject may have: what "rose to N" counts.
const SUBJECT_HEADS: &[&str] = &[
    "toll",
    "tolls",
    "total",
    "number",
    "tally",
    "count",
    "figure",
    "casualties",
    "deaths",
    "dead",
    "fatalities",
    "losses",
    "injuries",
    "injured",
    "wounded",
    "killed",
    "missing",
    "deployment",
    "contingent",
    "force",
    "strength",
    "refugees",
    "displaced",
    "arrivals",
    "troops",
    "soldiers",
    "personnel",
];

/// Verbs of a copular form "SUBJECT rose to N", "SUBJECT reached N".
const COPULAR: &[&str] = &[
    "rose",
    "risen",
    "rises",
    "rise",
    "climbed",
    "climbs",
    "jumped",
    "jumps",
    "increased",
    "increases",
    "grew",
    "grown",
    "grows",
    "soared",
    "surged",
    "swelled",
    "fell",
    "fallen",
    "falls",
    "dropped",
    "drops",
    "declined",
    "reached",
    "reaches",
    "hit",
    "hits",
    "topped",
    "tops",
    "exceeded",
    "exceeds",
    "passed",
    "surpassed",
    "stood",
    "stands",
    "remained",
    "remains",
    "was",
    "is",
    "were",
    "are",
    "totalled",
    "totaled",
    "totals",
    "numbered",
    "reach",
    "stand",
    "stands",
    "now",
    "has",
    "have",
    "had",
    "been",
];

/// The subject of a copular or estimating form, when the mention has no
/// noun: word span (first, one past last) of the counted noun phrase.
fn copular_subject(clause: &Clause, at: At) -> Option<(usize, usize)> {
    let mut k = at.first;
    // "to", "at" or nothing between the verb and the number.
    if k > 0 && matches!(clause.low(k - 1), "to" | "at") {
        k -= 1;
    }
    let mut saw_verb = false;
    // "estimates casualties at 4,700", "put the number of dead at 300".
    if clause.low(k) == "at" {
        let lo = k.saturating_sub(7);
        for v in (lo..k).rev() {
            if clause.is_punct(v) {
                break;
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
            ) {
                return noun_span(clause, v + 1, k);
            }
        }
    }
    // "SUBJECT [has] rose to N", "bringing the total it has deployed to N":
    // a verb first, then auxiliaries, then the subject's head.
    let lo = k.saturating_sub(9);
    let mut v = k;
    while v > lo {
        v -= 1;
        if clause.is_punct(v) || clause.is_digits(v) {
            return None;
        }
        let w = clause.low(v);
        let verb = COPULAR.contains(&w)
            || event_word(w).is_some()
            || matches!(w, "bringing" | "taking" | "raising" | "pushing");
        if verb {
            saw_verb = true;
            continue;
        }
        if !saw_verb {
            return None;
        }
        if SUBJECT_HEADS.contains(&w) {
            let mut s = v;
            while s > 0 && !clause.is_punct(s - 1) && is_modifier(clause, s - 1) {
                s -= 1;
            }
            return Some((s, v + 1));
        }
        if matches!(
            w,
            "it" | "they" | "the" | "its" | "their" | "has" | "have" | "had"
        ) {
            continue;
        }
        // "the death toll from Sunday's earthquake climbed to": step over a
        // short prepositional phrase to its head.
        match (v.saturating_sub(4)..v).rev().find(|&p| {
            matches!(
                clause.low(p),
                "from" | "in" | "of" | "after" | "among" | "on"
            )
        }) {
            Some(p) if !(p..v).any(|q| clause.is_punct(q) || clause.is_digits(q)) => v = p,
            _ => return None,
        }
    }
    None
}

/// A word that may stand before a subject's head: "death" in "death toll",
/// "North Korean" in "North Korean casualties".
fn is_modifier(clause: &Clause, k: usize) -> bool {
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
    ) && !COPULAR.contains(&w)
        && event_word(w).is_none()
        && !clause.is_digits(k)
}

/// The noun phrase between two words ("casualties", "the number of dead").
fn noun_span(clause: &Clause, mut a: usize, b: usize) -> Option<(usize, usize)> {
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
    }
    (a < b).then_some((a, b))
}

/// Reads the event, increment and copular subject of `m`.
pub(super) fn read(clause: &Clause, at: At, m: &mut Mention, before_m: &[Mention]) {
    m.increment |= increment(clause, at);
    if m.noun.is_empty()
        && let Some((s, e)) = copular_subject(clause, at)
    {
        let head = clause.low(e - 1);
        if matches!(head, "total" | "number" | "tally" | "count" | "figure")
            && let Some(prev) = before_m
                .iter()
                .rev()
                .find(|p| !p.noun.is_empty() && p.start >= clause.start)
        {
            // "an additional 1,000 troops, bringing the total to 16,000".
            m.noun = prev.noun.clone();
        } else {
            m.noun = clause.span(s, e).to_string();
        }
        // "the number of people killed rose to 300".
        if let Some(event) = event_word(clause.low(e)) {
            m.event = Some(event.to_string());
        }
    }
    if m.event.is_none() {
        let found = after(clause, at).or_else(|| before(clause, at));
        m.event = found.map(|(event, _)| event.to_string());
    }
}

/// Index of the verb before the mention that carries its event, if any; the
/// owner phase reads the verb's subject.
pub(super) fn verb_before(clause: &Clause, at: At) -> Option<usize> {
    before(clause, at).map(|(_, k)| k)
}

/// Index of the participle after the mention, if any (for "by X" agents).
pub(super) fn participle_after(clause: &Clause, at: At) -> Option<usize> {
    after(clause, at).map(|(_, k)| k)
}
