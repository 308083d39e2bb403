//! Boolean keyword queries over text: quoted phrases, AND, OR, NOT and
//! parentheses, case-insensitive and whole-word. All terms of all watches are
//! found in one pass with aho-corasick. Pure: no IO, never fails on text.
//!
//! SKELETON: the helper owning this module replaces the bodies.

/// A parsed query such as `("North Korea" OR DPRK) AND (Russia OR Moscow)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    terms: Vec<String>,
}

/// Why a query does not parse: byte offset into the query text and a message
/// that says what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {offset})")]
pub struct ParseError {
    /// Byte offset into the query source where the problem is.
    pub offset: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Query {
    /// Parses a query. AND binds tighter than OR; adjacency means AND.
    pub fn parse(src: &str) -> Result<Query, ParseError> {
        let _ = src;
        todo!()
    }

    /// Every term (word or phrase) the query mentions, in order of first use.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }
}

/// All watches' queries compiled into one automaton.
#[derive(Debug)]
pub struct Matcher {}

impl Matcher {
    /// Compiles the queries; index `i` of the slice is watch `i` in results.
    pub fn new(queries: &[&Query]) -> Matcher {
        let _ = queries;
        todo!()
    }

    /// Watches with at least one non-negated term in `text` (the cheap test an
    /// entry's title and summary pass before its article is fetched).
    pub fn prefilter(&self, text: &str) -> Vec<usize> {
        let _ = text;
        todo!()
    }

    /// Watches whose full query is true of `text`.
    pub fn matching(&self, text: &str) -> Vec<usize> {
        let _ = text;
        todo!()
    }
}
