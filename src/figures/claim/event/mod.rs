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
//!   casualties at around 4,700", "bringing the total to 16,000" (the
//!   subject is found by `subject`; this phase applies it).

mod elided;
mod words;

use elided::coordinated;
pub(super) use elided::{gapped_name, partitive_antecedent, relative_agent};
pub(crate) use words::{CASUALTY_EVENTS, is_casualty};
use words::{changed_by, event_adjective, event_of_noun, increment};
pub(super) use words::{event_word, is_event_word};

use super::super::{Kind, Mention};
use super::subject::{SETTING, Subject, copular_subject, money_noun, numbering_noun};
use super::words::WordSet;
use super::words::{At, Clause};
use std::sync::LazyLock;

/// Words between a number and its participle: "were", "have been",
/// "reportedly", "are believed to have been", "of whom".
static AUX: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "remain",
        "remained",
        "remains",
        "now",
        "feared",
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
        "others",
        "more",
        "among",
        "forced",
    ])
});

/// Words between an active verb and its number: "an additional", "another",
/// "a total of", "at least" (the qualifier is part of the mention already).
pub(super) static DETERMINERS: LazyLock<WordSet> = LazyLock::new(|| {
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
fn after(clause: &Clause, at: At) -> Option<(&'static str, usize)> {
    // A participle that modifies ("1,000 troops sent to Russia") or a
    // prepositional phrase ("17 soldiers in his unit") may stand before the
    // verb of the clause, which then must be passive ("were killed").
    let mut modifier: Option<(&'static str, usize)> = None;
    let mut phrase = false;
    let limit = (at.last + 12).min(clause.len());
    let mut k = at.last;
    while k < limit {
        if clause.is_punct(k) {
            // ", who were killed" and ", of whom 300 …" continue the noun; so
            // does an aside ", including a 14-year-old boy,".
            let next = clause.low(k + 1);
            if clause.low(k) == "," && matches!(next, "who" | "of") && modifier.is_none() {
                k += 1;
                continue;
            }
            if clause.low(k) == "," && matches!(next, "including" | "among" | "most" | "many") {
                match (k + 1..limit).find(|&q| clause.low(q) == ",") {
                    Some(q) => {
                        k = q + 1;
                        continue;
                    }
                    None => break,
                }
            }
            break;
        }
        let w = clause.low(k);
        // Another number or clause: the verb after it is not this one's.
        if (modifier.is_some() || phrase)
            && (clause.is_digits(k) || matches!(w, "and" | "or" | "but" | "while" | "whereas"))
        {
            break;
        }
        let event = match w {
            "taken" | "held" if matches!(clause.low(k + 1), "prisoner" | "captive") => {
                Some("captured")
            }
            "lost" | "losing" | "lose"
                if matches!(clause.low(k + 1), "their" | "his" | "her")
                    && matches!(clause.low(k + 2), "lives" | "life") =>
            {
                Some("dead")
            }
            // "2,000 families lost their homes".
            "lost" | "losing" | "lose"
                if matches!(clause.low(k + 1), "their" | "his" | "her")
                    && matches!(clause.low(k + 2), "homes" | "home" | "houses") =>
            {
                Some("displaced")
            }
            // "a contingent of 12,000 troops has lost about a third of its
            // strength": they lost something else; they are not what was lost.
            "lost" | "losing" | "lose"
                if clause.is_digits(k + 1)
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
                    ) =>
            {
                None
            }
            // "1 million households lost power": no casualty.
            "lost" | "losing" | "lose"
                if matches!(
                    clause.low(k + 1),
                    "power" | "electricity" | "water" | "access" | "contact" | "jobs" | "homes"
                ) =>
            {
                None
            }
            // "forced 85,000 people from their homes".
            "from" if clause.low(k + 1) == "their" && clause.low(k + 2) == "homes" => {
                Some("displaced")
            }
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
        };
        if let Some(event) = event {
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

/// Reads the event, increment and copular subject of `m`.
pub(super) fn read(clause: &Clause, at: At, m: &mut Mention, before_m: &mut [Mention]) {
    if m.kind == Kind::Money && m.noun.is_empty() {
        m.noun = money_noun(clause, at).unwrap_or_default();
    }
    if m.kind == Kind::Count && m.noun.is_empty() {
        m.noun = numbering_noun(clause, at).unwrap_or_default();
    }
    // "one of 8,000 people rescued": one person, no count of the group.
    if m.value == 1.0 && clause.low(at.first) == "one" && clause.low(at.first + 1) == "of" {
        m.noun.clear();
        return;
    }
    let mut inherited_event = None;
    if m.noun.is_empty()
        && let Some(Subject {
            span: (s, e),
            setting,
        }) = copular_subject(clause, at, m.kind)
    {
        // "killed 61 people …, bringing the season's death toll to 208":
        // the number before the total adds to it.
        if setting
            && let Some(prev) = before_m.last_mut()
            && prev.start >= clause.start
            && prev.kind == m.kind
        {
            prev.increment = true;
        }
        let head = clause.low(e - 1);
        if matches!(head, "total" | "number" | "tally" | "count" | "figure")
            && let Some(prev) = before_m
                .iter()
                .rev()
                .find(|p| !p.noun.is_empty() && p.start >= clause.start)
        {
            // "an additional 1,000 troops, bringing the total to 16,000";
            // "arrested 87 …, bringing the number held to 3,000".
            m.noun = prev.noun.clone();
            inherited_event = prev.event.clone();
        } else {
            m.noun = clause.span(s, e).to_string();
        }
        // "the number of people killed rose to 300", "the number held".
        let held = (clause.low(e) == "held").then_some("arrested");
        if let Some(event) = event_word(clause.low(e)).or(held) {
            m.event = Some(event.to_string());
        }
    }
    // "Turkey's inflation eased to 47.1% and Russia's rose to 8.9%": a
    // possessive alone stands for the noun before it.
    if !m.noun.contains(' ')
        && (m.noun.ends_with("'s") || m.noun.ends_with("’s"))
        && let Some(prev) = before_m
            .iter()
            .rev()
            .find(|p| p.start >= clause.start && p.kind == m.kind && !p.noun.is_empty())
    {
        let head: Vec<&str> = prev
            .noun
            .split(' ')
            .skip_while(|w| w.ends_with("'s") || w.ends_with("’s"))
            .collect();
        if !head.is_empty() {
            m.noun = format!("{} {}", m.noun, head.join(" "));
        }
    }
    if m.event.is_none() {
        let found = after(clause, at)
            .or_else(|| before(clause, at))
            .or_else(|| relative_agent(clause, at).map(|(event, s, _)| (event, s)));
        m.event = found
            .map(|(event, _)| event.to_string())
            .or(inherited_event);
    }
    // "destroyed 12 of them": what the sentence counted before.
    if m.noun.is_empty()
        && let Some(prev) = partitive_antecedent(clause, at, m, before_m)
    {
        m.noun = prev.noun.clone();
    }
    // "the number of Varnessans killed": a participle after an inverted noun.
    if m.event.is_none()
        && let Some(e) = noun_end_before_number(clause, at, m)
        && let Some(event) = event_word(clause.low(e))
    {
        m.event = Some(event.to_string());
    }
    if m.event.is_none() {
        // "230,000 displaced people have returned": a verb after the noun
        // says what they did now, not the adjective.
        let verb_follows = matches!(
            clause.low(at.last),
            "have" | "has" | "had" | "were" | "are" | "was" | "is"
        );
        m.event = event_of_noun(&m.noun)
            .or_else(|| event_adjective(&m.noun).filter(|_| !verb_follows))
            .map(str::to_string);
    }
    let prev = before_m.last().filter(|p| p.start >= clause.start);
    // A second number of one clause shares what the first left unsaid:
    // "9,800 homes were destroyed and 21,000 damaged" (its noun), "sent 30
    // howitzers and 12,000 soldiers" (its event).
    if let Some(prev) = prev
        && coordinated(clause, prev, at)
    {
        if m.noun.is_empty() && m.event.is_some() {
            m.noun = prev.noun.clone();
        }
        // ("104 people were rescued and 82 bodies recovered": a verb of its
        // own that names no event still says the first one is not its.)
        let own_verb = clause.low(at.last).ends_with("ed") && !clause.is_cap(at.last);
        if m.event.is_none() && !m.noun.is_empty() && !own_verb {
            m.event = prev.event.clone();
        }
    }
    // "pulled out 1,000 troops since 2023, leaving 27,500": the level the
    // change before it left.
    if m.noun.is_empty()
        && m.event.is_none()
        && clause.low(at.first.wrapping_sub(1)) == "leaving"
        && let Some(prev) = before_m
            .iter_mut()
            .rev()
            .find(|p| p.start >= clause.start && p.kind == m.kind && !p.noun.is_empty())
    {
        m.noun = prev.noun.clone();
        prev.increment = true;
    }
    // "350 soldiers in Chad, and some 600 in Côte d'Ivoire and 350 in
    // Senegal": a list of places, one noun.
    if m.noun.is_empty()
        && m.kind == Kind::Count
        && matches!(clause.low(at.first.wrapping_sub(1)), "and" | ",")
        && matches!(clause.low(at.last), "in" | "at")
        && clause.is_cap(at.last + 1)
        && let Some(prev) = before_m
            .iter()
            .rev()
            .find(|p| p.start >= clause.start && p.kind == m.kind && !p.noun.is_empty())
    {
        m.noun = prev.noun.clone();
        if m.event.is_none() {
            m.event = prev.event.clone();
        }
    }
    // "Denmark has pledged 19 jets, Norway six and Belgium 30": a gapped
    // clause takes the first one's noun and verb.
    if m.noun.is_empty()
        && gapped_name(clause, at).is_some()
        && let Some(prev) = before_m
            .last()
            .filter(|p| p.start >= clause.start && p.kind == m.kind && !p.noun.is_empty())
    {
        m.noun = prev.noun.clone();
        if m.event.is_none() {
            m.event = prev.event.clone();
        }
    }
    // "Nine soldiers and four civilians died": the verb after the second
    // number is the first's too.
    // ("18,400 cases and 312 deaths": an event the noun names is its own.)
    if let Some(event) = &m.event
        && event_of_noun(&m.noun).is_none()
        && event_adjective(&m.noun).is_none()
        && let Some(prev) = before_m.last_mut()
        && prev.start >= clause.start
        && prev.event.is_none()
        && prev.kind == m.kind
        // "… people in 11 prefectures, and 38,000 were evacuated": a number
        // inside a phrase is no subject of the verb.
        && !matches!(
            clause.low(clause.word_at(prev.start).wrapping_sub(1)),
            "in" | "at" | "from" | "across" | "for" | "to" | "with" | "of"
        )
    {
        let from = clause.word_at(prev.end);
        let gap: Vec<&str> = (from..at.first).map(|k| clause.low(k)).collect();
        if gap.iter().any(|w| matches!(*w, "and" | "or"))
            && gap.iter().all(|w| matches!(*w, "and" | "or" | ","))
        {
            prev.event = Some(event.clone());
        }
    }
    m.increment |= increment(clause, at) || (m.kind != Kind::Percent && changed_by(clause, at));
    // "killed 19 people and injured 64 more", "312 were killed, while
    // another 90 remain missing": others of another kind, not an increment.
    if m.increment
        && let Some(event) = m.event.as_deref()
        && is_casualty(event)
        && before_m.iter().any(|p| {
            p.start >= clause.start
                && p.event
                    .as_deref()
                    .is_some_and(|e| e != event && is_casualty(e))
        })
    {
        m.increment = false;
    }
}

/// The word after the noun phrase, when the noun phrase stands before the
/// number ("the number of Varnessans killed … rose to 14,600").
fn noun_end_before_number(clause: &Clause, at: At, m: &Mention) -> Option<usize> {
    // A noun phrase that ends the mention stands after its number.
    if m.noun.is_empty() || m.text.ends_with(m.noun.as_str()) {
        return None;
    }
    let sentence = clause.text.get(clause.start..clause.end)?;
    let number = (at.first..at.last)
        .find(|&k| clause.is_digits(k))
        .unwrap_or(at.first);
    let number_at = clause.words.get(number)?.start - clause.start;
    let off = sentence.get(..number_at)?.rfind(m.noun.as_str())?;
    let e = clause.word_at(clause.start + off + m.noun.len());
    // "people killed", "people left homeless".
    let e = if clause.low(e) == "left" { e + 1 } else { e };
    (e < number).then_some(e)
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
