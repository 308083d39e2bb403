//! Transitions: "rose to 600 from 300", "3,500, up from 3,000", "increased
//! from 160 to 200". The new value is the claim; the old one becomes its
//! `previous`, never a mention of its own (an alert must not read the old
//! number as news).

use super::super::lexicon::CHANGE_VERBS;
use super::super::{Mention, Qualifier, parse_number};
use super::words::WordSet;
use super::words::{At, Clause};
use std::sync::LazyLock;

/// Words that make "from A to B" a change of one quantity rather than a
/// range, when one stands up to four words before "from".
static CHANGE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "slowed",
        "accelerated",
        "quickened",
        "edged",
        "rebounded",
        "cooled",
        "slumped",
        "reached",
        "hit",
        "totalled",
        "stood",
        "was",
        "grows",
        "declines",
        "gone",
        "goes",
        "moved",
        "raises",
        "raising",
        "cuts",
        "cutting",
        "revises",
        "revising",
        "lifted",
        "lowered",
        "reduces",
        "upped",
        "halved",
        "shifted",
        "number",
        "total",
        "toll",
        "tally",
        "count",
        "estimate",
        "figure",
        "decrease",
        "shrunk",
    ])
});

fn change_before(clause: &Clause, from_idx: usize) -> bool {
    // "cut its garrison in Gabon to about 200 troops from 350".
    (from_idx.saturating_sub(7)..from_idx).any(|k| {
        let w = clause.low(k);
        (CHANGE.contains(&w) || CHANGE_VERBS.contains(w)) && !clause.is_punct(k)
    })
}

/// Words between two mentions, punctuation dropped: (lower-case words).
fn between<'c>(clause: &'c Clause, a: At, b: At) -> Vec<&'c str> {
    (a.last..b.first)
        .filter(|&k| !clause.is_punct(k))
        .map(|k| clause.low(k))
        .collect()
}

/// Folds `mentions[idx]` and `mentions[idx + 1]` into one when they are the
/// two ends of a transition; returns whether it did.
pub(super) fn fold_pair(clause: &Clause, mentions: &mut Vec<Mention>, idx: usize) -> bool {
    let (Some(a), Some(b)) = (
        clause.locate(&mentions[idx]),
        clause.locate(&mentions[idx + 1]),
    ) else {
        return false;
    };
    if !same_quantity(&mentions[idx], &mentions[idx + 1]) {
        return fold_across(clause, mentions, idx, a);
    }
    let gap = between(clause, a, b);
    let gap: Vec<&str> = gap
        .into_iter()
        .filter(|w| *w != "a" && *w != "previous")
        .collect();
    // "rose to 600 from 300", "3,500, up from 3,000 in January".
    // A short aside may stand between: ", up from 2.9% in February", "in
    // March, up from …", ", the ministry said, up from …".
    let new_then_old = match gap.as_slice() {
        [.., "up" | "down", "from"] => gap.len() <= 8,
        [.., "from"] => gap.len() <= 6 && a.first >= 1 && change_before(clause, a.first),
        _ => false,
    };
    if new_then_old {
        let old = mentions.remove(idx + 1);
        mentions[idx].previous = Some(old.value);
        return true;
    }
    // "increased from 160 to 200": the scan leaves two mentions when a verb
    // of change leads.
    let old_then_new = gap.as_slice() == ["to"]
        && a.first >= 1
        && clause.low(a.first - 1) == "from"
        && change_before(clause, a.first - 1);
    if old_then_new {
        let old = mentions.remove(idx);
        let new = &mut mentions[idx];
        new.previous = Some(old.value);
        if new.noun.is_empty() {
            new.noun = old.noun;
        }
        return true;
    }
    false
}

/// Whether two mentions measure one quantity: of one kind, or a count
/// weighed in tonnes beside a measure in tonnes ("4.1 million tonnes of
/// grain, up from 3.6 million tonnes").
fn same_quantity(a: &Mention, b: &Mention) -> bool {
    let weighed = |m: &Mention| crate::figures::unit::weighed_unit(&m.noun);
    a.kind == b.kind || weighed(a).is_some_and(|unit| weighed(b) == Some(unit))
}

/// "will rise to 13.5 trillion rubles in 2025, or 6.3% of GDP, from 10.4
/// trillion": the old value after a mention of another kind.
fn fold_across(clause: &Clause, mentions: &mut Vec<Mention>, idx: usize, a: At) -> bool {
    let Some(c) = mentions
        .get(idx + 2)
        .filter(|c| c.kind == mentions[idx].kind)
        .and_then(|c| clause.locate(c))
    else {
        return false;
    };
    let gap = between(clause, a, c);
    let folds = matches!(gap.as_slice(), [.., "from"])
        && gap.len() <= 10
        && a.first >= 1
        && change_before(clause, a.first);
    if folds {
        let old = mentions.remove(idx + 2);
        mentions[idx].previous = Some(old.value);
    }
    folds
}

/// "Nearly 1 million households lost power, compared with 590,000 in
/// 2019", "¥8.7 trillion, up 9.4% from ¥7.95 trillion": the base of a
/// comparison is the old value of the mention of its kind before it, never
/// a claim of its own. Folds `mentions[idx]` into that one; returns
/// whether it did.
pub(super) fn fold_comparison(clause: &Clause, mentions: &mut Vec<Mention>, idx: usize) -> bool {
    let Some(at) = clause.locate(&mentions[idx]) else {
        return false;
    };
    let back = |n: usize| at.first.checked_sub(n).map_or("", |k| clause.low(k));
    let compared = matches!((back(2), back(1)), ("compared", "with" | "to"))
        || matches!(back(1), "versus" | "vs")
        // "beating forecasts of $20.9 billion": what was expected, no claim.
        || matches!(
            (back(2), back(1)),
            ("forecasts" | "forecast" | "expectations" | "estimates", "of")
        ) && matches!(back(3), "beating" | "beat" | "missing" | "missed" | "above" | "below")
        // "up 9.4% from": a change, then its base.
        || (back(1) == "from"
            && matches!(back(2), "%" | "percent" | "pct")
            && (3..6).any(|n| matches!(back(n), "up" | "down")));
    if !compared {
        return false;
    }
    let base = &mentions[idx];
    let Some(target) = (0..idx).rev().find(|&j| {
        let m = &mentions[j];
        m.start >= clause.start
            && m.kind == base.kind
            && m.unit == base.unit
            && m.previous.is_none()
            && !m.increment
    }) else {
        return false;
    };
    let old = mentions.remove(idx);
    mentions[target].previous = Some(old.value);
    true
}

/// A range "from 160 to 200" after a verb of change is a transition: the
/// value written second is the claim, the first its `previous`.
pub(super) fn range_as_transition(clause: &Clause, at: At, m: &mut Mention) {
    if m.qualifier != Qualifier::Range || m.previous.is_some() || at.first == 0 {
        return;
    }
    if clause.low(at.first - 1) != "from" || !change_before(clause, at.first - 1) {
        return;
    }
    let (Some(low), Some(high)) = (m.low, m.high) else {
        return;
    };
    let Some(first_written) = m
        .text
        .split([' ', '-', '–', '—'])
        .find(|part| !part.is_empty())
        .and_then(parse_number)
    else {
        return;
    };
    // The scale of the high end may apply to the low one ("1.5 to 2 million").
    let (old, new) = if (first_written - low).abs() <= f64::EPSILON * low.abs().max(1.0)
        || first_written < high
    {
        (low, high)
    } else {
        (high, low)
    };
    m.previous = Some(old);
    m.value = new;
    m.low = Some(new);
    m.high = Some(new);
    m.qualifier = Qualifier::Exact;
}
