//! The words subjects are read by: the heads a copular subject may have,
//! the verbs of copular and setting forms, the prepositions inside a
//! subject.

use super::super::words::WordSet;
use std::sync::LazyLock;

/// Heads a copular subject may have: what "rose to N" counts.
pub(in crate::figures::claim) static SUBJECT_HEADS: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
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
        "homeless",
        "victims",
    ])
});

/// Verbs of a copular form "SUBJECT rose to N", "SUBJECT reached N".
pub(in crate::figures::claim) static COPULAR: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "slowed",
        "eased",
        "accelerated",
        "quickened",
        "dipped",
        "edged",
        "rebounded",
        "cooled",
        "held",
        "came",
        "slipped",
        "slumped",
        "plunged",
        "ticked",
        "narrowed",
        "widened",
        "expanded",
        "contracted",
        "shrank",
        "doubled",
        "tripled",
        "stayed",
        "stay",
        "stays",
        "rose",
        "risen",
        "rises",
        "rise",
        "climbed",
        "climbs",
        "climb",
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
        "number",
        "numbers",
        "reach",
        "stand",
        "now",
        "has",
        "have",
        "had",
        "been",
        "rising",
        "climbing",
        "standing",
        "reaching",
        "exceeding",
        "passing",
        "crossed",
        "neared",
        "nears",
        "averaged",
        "averages",
        "averaging",
    ])
});

/// Verbs that set a total: "bringing the total to N".
pub(in crate::figures::claim) static SETTING: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::from_iter([
        "bringing", "taking", "raising", "pushing", "lifting", "brought", "took", "raised",
        "pushed", "brings", "bring", "takes", "raises", "pushes", "lifts", "revised", "revising",
        "lowered", "lowering", "updated", "adjusted",
    ])
});

/// Prepositions that may open a phrase inside a subject: "the death toll
/// from the quake".
pub(in crate::figures::claim) static SUBJECT_PREPOSITIONS: LazyLock<WordSet> =
    LazyLock::new(|| {
        WordSet::from_iter([
            "from", "in", "of", "after", "among", "on", "to", "across", "since", "for", "at",
        ])
    });
