//! Word lists the mention reader consults: short ones as plain slices, the
//! long ones it asks about every word (stop words, heads, labels) as
//! [`Words`], hashed once.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

mod phrase;

pub(crate) use phrase::{COLLECTIVES, HEADS, MEASURES, NOT_PLURAL, STOP};

/// A set of lower-case words, hashed with FNV-1a (short keys, no
/// attacker: the words are ours).
pub(crate) type WordSet = HashSet<&'static str, BuildHasherDefault<Fnv>>;

/// FNV-1a, 64 bits.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// A word list looked up by hash (the list as written, its set built at
/// first use): the scanner asks the long lists about every word.
pub(crate) struct Words {
    list: &'static [&'static str],
    /// Lists shared with other word lists, counted in as if written here.
    shared: &'static [&'static [&'static str]],
    set: OnceLock<WordSet>,
}

impl Words {
    pub(crate) const fn new(list: &'static [&'static str]) -> Words {
        Words::with(list, &[])
    }

    /// The words of `list` and of every list in `shared`.
    pub(crate) const fn with(
        list: &'static [&'static str],
        shared: &'static [&'static [&'static str]],
    ) -> Words {
        Words {
            list,
            shared,
            set: OnceLock::new(),
        }
    }

    /// Whether `w` (lower case) is in the list.
    pub(crate) fn contains(&self, w: &str) -> bool {
        self.set
            .get_or_init(|| {
                let shared = self.shared.iter().flat_map(|list| list.iter());
                self.list.iter().chain(shared).copied().collect()
            })
            .contains(w)
    }
}

pub(crate) use crate::text::calendar::MONTHS;

/// The forms of "be" and "have" that stand between a number and its verb
/// ("1,500 soldiers were killed") and end a noun phrase.
pub(crate) const AUXILIARIES: &[&str] = &[
    "were", "was", "are", "is", "be", "been", "being", "have", "has", "had",
];

/// Words before a number that make it a label, not a count.
pub(crate) static LABELS: Words = Words::new(&[
    "no",
    "nos",
    "page",
    "pages",
    "p",
    "pp",
    "section",
    "sections",
    "article",
    "chapter",
    "paragraph",
    "clause",
    "resolution",
    "number",
    "flight",
    "route",
    "highway",
    "room",
    "item",
    "rule",
    "vol",
    "volume",
    "tier",
    "category",
    "level",
    "stage",
    "phase",
    "grade",
    "class",
    "season",
    "episode",
    "part",
    "platform",
    "gate",
    "apollo",
    "verse",
    "row",
    "building",
    "block",
    "district",
    "zone",
    "sector",
    "height",
    "hill",
    "box",
    "version",
    "model",
    "mk",
    "type",
    "covid",
    "aged",
    "age",
    "ages",
    "unit",
    "battalion",
    "brigade",
    "regiment",
    "corps",
    "squadron",
    "reactor",
    "generation",
    "pt",
    "fig",
    "figure",
    "table",
    "exhibit",
    "annex",
]);

/// Nouns after a year that show it is a year even when a comparative leads:
/// "below 2021 levels", "higher than 2022 figures", "topped 2019 highs".
pub(crate) const YEAR_NOUNS: &[&str] = &[
    "levels",
    "level",
    "figures",
    "figure",
    "highs",
    "high",
    "lows",
    "low",
    "peak",
    "peaks",
    "average",
    "averages",
    "record",
    "records",
    "pace",
    "total",
    "totals",
    "estimates",
    "estimate",
    "baseline",
];

/// Verbs before "from X to Y" that make it a change, not a range.
pub(crate) static CHANGE_VERBS: Words = Words::new(&[
    "rose",
    "rise",
    "rises",
    "risen",
    "rising",
    "increased",
    "increase",
    "increasing",
    "fell",
    "fall",
    "falls",
    "fallen",
    "falling",
    "grew",
    "grow",
    "grown",
    "growing",
    "dropped",
    "jumped",
    "climbed",
    "declined",
    "decreased",
    "surged",
    "soared",
    "went",
    "up",
    "down",
    "doubled",
    "tripled",
    "cut",
    "reduced",
    "raised",
    "expanded",
    "boosted",
    "revised",
    "changed",
    "shrank",
    "slipped",
    "plunged",
    "swelled",
    "dropping",
    "plummeted",
    "plummeting",
    "tumbled",
    "slid",
    "sank",
    "dipped",
    "eased",
    "gained",
    "lost",
    "added",
    "advanced",
    "rallied",
    "climbing",
    "jumping",
    "declining",
    "increases",
    "decreases",
    "drops",
    "climbs",
    "jumps",
    "narrowed",
    "widened",
    "raise",
    "cuts",
    "reduce",
    "expand",
    "trimmed",
    "lowered",
]);

/// Abbreviations whose period does not end a sentence.
pub(crate) const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "maj", "cmdr", "adm",
    "gov", "sen", "rep", "rev", "st", "jr", "sr", "inc", "corp", "ltd", "co", "vs", "etc", "no",
    "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "approx", "est", "dept", "univ", "fig", "vol", "pp", "p", "mt", "ft", "pres", "amb", "brig",
];
