//! A second opinion on readability's choice of container, from shallow
//! text features alone (boilerpipe's and trafilatura's reference set):
//! the page's text blocks in document order, each judged by its words, the
//! share of them inside links and whether it reads as sentences. The run
//! of blocks with the most story-like words net of link-list words (a
//! maximum-sum run, as in Finn's body-text extraction) is the candidate
//! the readability text is compared with in `mod.rs`.
//!
//! It never looks at a site's names beyond the generic boilerplate hints
//! the fallback walk already skips, so a story beside a menu, a promo box
//! or a pop-up wins by its shape: long, unlinked, punctuated text.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use dom_query::NodeRef;

use super::text;

/// A block with at least this many words and little link text is story.
const STORY_BLOCK_WORDS: usize = 25;

/// A shorter block is story when it ends a sentence and has this many.
const SENTENCE_BLOCK_WORDS: usize = 10;

/// More than this share (one in N) of a block's words inside links makes
/// it navigation.
const MAX_LINK_SHARE: usize = 3;

/// What a short, unlinked block (a subheading, a dateline) costs a run: a
/// few inside a story keep it together, a long column of them breaks it.
const SHORT_BLOCK_COST: i64 = 3;

/// One paragraph-level run of text.
#[derive(Debug, Default)]
pub(crate) struct Block {
    pub(crate) text: String,
    words: usize,
    link_words: usize,
    /// Whitespace was seen since the last word.
    pending_space: bool,
}

impl Block {
    fn is_linky(&self) -> bool {
        self.link_words * MAX_LINK_SHARE > self.words
    }

    /// Reads as story text: long or a sentence, and mostly unlinked.
    pub(crate) fn is_story(&self) -> bool {
        !self.is_linky()
            && (self.words >= STORY_BLOCK_WORDS
                || (self.words >= SENTENCE_BLOCK_WORDS && ends_sentence(&self.text)))
    }

    fn score(&self) -> i64 {
        let words = i64::try_from(self.words).unwrap_or(i64::MAX);
        if self.is_story() {
            words
        } else if self.is_linky() {
            -words
        } else {
            -SHORT_BLOCK_COST
        }
    }
}

/// Does a paragraph end like a sentence?
pub(crate) fn ends_sentence(paragraph: &str) -> bool {
    paragraph
        .trim_end()
        .ends_with(['.', '!', '?', '"', '”', '’', ')', ':'])
}

/// The densest run of story blocks under `root`, as paragraphs joined by
/// blank lines (link-list blocks inside it left out), or an empty string.
pub(crate) fn densest_run(root: &NodeRef<'_>) -> String {
    let blocks = blocks(root);
    let Some((from, to)) = best_run(&blocks) else {
        return String::new();
    };
    blocks[from..=to]
        .iter()
        .filter(|block| !block.is_linky())
        .map(|block| block.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Indices of the first and last block of the run with the highest score
/// sum (Kadane's algorithm); `None` when no block scores above zero.
fn best_run(blocks: &[Block]) -> Option<(usize, usize)> {
    let mut best: Option<(i64, usize, usize)> = None;
    let mut sum = 0i64;
    let mut start = 0;
    for (at, block) in blocks.iter().enumerate() {
        if sum <= 0 {
            sum = 0;
            start = at;
        }
        sum += block.score();
        if sum > 0 && best.is_none_or(|(top, _, _)| sum > top) {
            best = Some((sum, start, at));
        }
    }
    best.map(|(_, from, to)| (from, to))
}

/// The text blocks under `root` in document order. Elements that never
/// hold text, hidden ones, and the fallback walk's boilerplate (by tag or
/// class/id hint) are skipped whole.
pub(crate) fn blocks(root: &NodeRef<'_>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current = Block::default();
    // (node, entered, inside a link)
    let mut stack: Vec<(NodeRef<'_>, bool, bool)> = vec![(*root, false, false)];
    while let Some((node, entered, in_link)) = stack.pop() {
        if node.is_text() {
            push_words(&mut current, &node.text(), in_link);
            continue;
        }
        let Some(name) = node.node_name() else {
            if !node.is_comment() && !node.is_doctype() {
                push_children(&mut stack, &node, in_link);
            }
            continue;
        };
        let is_block = text::is_block(&name);
        if entered {
            if is_block {
                finish_block(&mut current, &mut out);
            }
            continue;
        }
        if text::is_never_text(&name) || text::is_skipped_by_fallback(&node, &name) {
            continue;
        }
        if is_block {
            finish_block(&mut current, &mut out);
        }
        stack.push((node, true, in_link));
        push_children(&mut stack, &node, in_link || &*name == "a");
    }
    finish_block(&mut current, &mut out);
    out
}

fn push_children<'a>(stack: &mut Vec<(NodeRef<'a>, bool, bool)>, node: &NodeRef<'a>, link: bool) {
    for child in node.children_it(true) {
        stack.push((child, false, link));
    }
}

fn push_words(block: &mut Block, text: &str, in_link: bool) {
    if text.starts_with(char::is_whitespace) {
        block.pending_space = true;
    }
    let mut words = 0;
    for word in text.split_whitespace() {
        if words > 0 || (block.pending_space && !block.text.is_empty()) {
            block.text.push(' ');
        }
        block.text.push_str(word);
        words += 1;
    }
    if words > 0 {
        block.pending_space = text.ends_with(char::is_whitespace);
    }
    block.words += words;
    if in_link {
        block.link_words += words;
    }
}

fn finish_block(current: &mut Block, out: &mut Vec<Block>) {
    if current.words > 0 {
        out.push(std::mem::take(current));
    } else {
        current.text.clear();
        current.pending_space = false;
    }
}

/// Words of `text` in paragraphs that read as story (long or a sentence).
pub(crate) fn story_words(text: &str) -> usize {
    text.split("\n\n")
        .map(|paragraph| {
            let words = paragraph.split_whitespace().count();
            let story = words >= STORY_BLOCK_WORDS
                || (words >= SENTENCE_BLOCK_WORDS && ends_sentence(paragraph));
            if story { words } else { 0 }
        })
        .sum()
}

/// A tail of readability's text outside the run is dropped only while it
/// is at most this share (one in N) of the text's words…
const MAX_TAIL_SHARE: usize = 4;

/// …and one in N when it holds a paragraph long enough to be story.
const MAX_STORY_TAIL_SHARE: usize = 8;

/// `readable` without its last paragraphs when none of them is in the
/// densest run `dense` while the paragraphs before them are: readability
/// took the story's container, and with it a box that follows the story
/// (a promo, a "recent features" rail) that the block features set apart.
pub(crate) fn trim_outside(readable: String, dense: &str) -> String {
    let dense: ShingleSet = shingles(dense).into_iter().collect();
    if dense.is_empty() {
        return readable;
    }
    let paragraphs: Vec<&str> = readable.split("\n\n").collect();
    let in_dense = |paragraph: &str| {
        let own = shingles(paragraph);
        !own.is_empty() && own.iter().filter(|s| dense.contains(*s)).count() * 2 >= own.len()
    };
    let Some(last) = paragraphs.iter().rposition(|p| in_dense(p)) else {
        return readable;
    };
    let words = |ps: &[&str]| {
        ps.iter()
            .map(|p| p.split_whitespace().count())
            .sum::<usize>()
    };
    let tail = &paragraphs[last + 1..];
    let (n_tail, n_all) = (words(tail), words(&paragraphs));
    // A long paragraph in a longer tail is more likely the story's end,
    // which the run lost to a link-heavy block, than a box.
    let holds_story = tail
        .iter()
        .any(|p| p.split_whitespace().count() >= STORY_BLOCK_WORDS);
    if n_tail == 0
        || n_tail * MAX_TAIL_SHARE > n_all
        || (holds_story && n_tail * MAX_STORY_TAIL_SHARE > n_all)
    {
        return readable;
    }
    paragraphs[..=last].join("\n\n")
}

/// Share of `inner`'s three-word shingles (lower-cased) that also occur in
/// `outer`: 1 when `inner` is a piece of `outer`, 0 when they share nothing.
pub(crate) fn overlap(inner: &str, outer: &str) -> f64 {
    let inner = shingles(inner);
    if inner.is_empty() {
        return 0.0;
    }
    let outer: ShingleSet = shingles(outer).into_iter().collect();
    let shared = inner.iter().filter(|s| outer.contains(*s)).count();
    shared as f64 / inner.len() as f64
}

/// Hashes of the text's three-word shingles, ASCII-lower-cased. FNV-1a:
/// this runs over every page's text twice, and needs no resistance to
/// crafted collisions (a collision only nudges a heuristic).
fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<u64> = text.split_whitespace().map(word_hash).collect();
    words
        .windows(3)
        .map(|w| w[0].rotate_left(42) ^ w[1].rotate_left(21) ^ w[2])
        .collect()
}

fn word_hash(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A set of shingle hashes: already hashes, so hashed no further.
type ShingleSet = HashSet<u64, BuildHasherDefault<Identity>>;

#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8) | u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}
