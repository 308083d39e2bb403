//! Turning a DOM subtree into plain text: paragraphs separated by blank lines.
//!
//! Everything here walks the tree with an explicit stack, never recursion, so
//! a page with 100,000 nested `<div>`s costs time, not stack.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use dom_query::NodeRef;

/// Elements whose content is never article text, whatever the page says.
const NEVER_TEXT: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "select", "option", "textarea", "button", "input", "head", "title", "meta", "link",
];

/// Elements that end a paragraph when they open or close.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "header",
    "footer",
    "aside",
    "nav",
    "form",
    "fieldset",
    "address",
    "hr",
    "br",
    "body",
    "center",
    "details",
    "summary",
];

/// Elements dropped by the page-level fallback (not by a configured selector,
/// which the operator chose on purpose).
const BOILERPLATE_TAGS: &[&str] = &["nav", "aside", "footer", "header", "form", "figcaption"];

/// Substrings of `class`/`id` that mark boilerplate for the page-level fallback.
const BOILERPLATE_HINTS: &[&str] = &[
    "cookie",
    "consent",
    "newsletter",
    "subscribe",
    "share",
    "social",
    "related",
    "comment",
    "sidebar",
    "most-read",
    "mostread",
    "popular",
    "promo",
    "advert",
    "banner",
    "footer",
    "header",
    "menu",
    "nav",
    "breadcrumb",
    "caption",
    "trending",
    "recommend",
    "signup",
    "paywall",
    "modal",
    "popup",
    "widget",
];

/// How the walk treats elements that look like boilerplate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filter {
    /// Only drop elements that can never hold text (scripts, styles, …).
    Minimal,
    /// Also drop navigation, asides, footers and class/id boilerplate.
    Boilerplate,
}

/// Is `name` an element whose content is never text?
pub(crate) fn is_never_text(name: &str) -> bool {
    NEVER_TEXT.contains(&name)
}

/// An element's class and id, lowercased and joined, or `None` when it has
/// neither: the names sites give their boxes, which hint at what they hold.
pub(crate) fn class_and_id(node: &NodeRef<'_>) -> Option<String> {
    let mut hint = String::new();
    if let Some(class) = node.class() {
        hint.push_str(&class);
    }
    if let Some(id) = node.id_attr() {
        hint.push(' ');
        hint.push_str(&id);
    }
    (!hint.is_empty()).then(|| hint.to_ascii_lowercase())
}

/// Does `name` end a paragraph when it opens or closes?
pub(crate) fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name)
}

/// Does the page-level fallback skip this element (named `name`) whole:
/// boilerplate by tag or class/id, or hidden?
pub(crate) fn is_skipped_by_fallback(node: &NodeRef<'_>, name: &str) -> bool {
    BOILERPLATE_TAGS.contains(&name) || looks_like_boilerplate(node) || is_hidden(node)
}

fn is_hidden(node: &NodeRef<'_>) -> bool {
    node.attr("hidden").is_some() || node.attr("aria-hidden").is_some_and(|v| &*v == "true")
}

/// Does an element's class or id suggest boilerplate? Matched in place,
/// ASCII case-insensitively: this runs for every element with a class or
/// id in the fallback walk and in `density`.
pub(crate) fn looks_like_boilerplate(node: &NodeRef<'_>) -> bool {
    static HINTS: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(BOILERPLATE_HINTS)
            .ok()
    });
    static STORY: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(STORY_BODY_NAMES)
            .ok()
    });
    let (Some(hints), Some(story)) = (&*HINTS, &*STORY) else {
        return class_and_id(node).is_some_and(|hint| {
            !names_story_body(&hint) && BOILERPLATE_HINTS.iter().any(|word| hint.contains(word))
        });
    };
    let class = node.class();
    let id = node.id_attr();
    let names = [class.as_deref(), id.as_deref()];
    let names = names.iter().flatten();
    !names.clone().any(|name| story.is_match(*name))
        && names.into_iter().any(|name| hints.is_match(*name))
}

/// Names of the story's own body: an element named so is never
/// boilerplate, whatever else its names say.
const STORY_BODY_NAMES: &[&str] = &["article-body", "story-body"];

/// Does a class-and-id string name the story's own body? "article-body
/// share-enabled" style names are kept whatever else they say: the hint
/// words are too common inside them.
pub(crate) fn names_story_body(hint: &str) -> bool {
    STORY_BODY_NAMES.iter().any(|name| hint.contains(name))
}

/// Plain text of `root`: block elements become paragraph breaks, runs of
/// whitespace collapse to one space, paragraphs are joined by `"\n\n"`.
pub(crate) fn block_text(root: &NodeRef<'_>, filter: Filter) -> String {
    let mut out = TextBuilder::default();
    // (node, entered): `entered` marks the closing visit of an element.
    let mut stack: Vec<(NodeRef<'_>, bool)> = vec![(*root, false)];
    while let Some((node, entered)) = stack.pop() {
        if node.is_text() {
            out.push_text(&node.text());
            continue;
        }
        let Some(name) = node.node_name() else {
            // Document, fragment: walk their children; comments etc. are skipped.
            if !node.is_comment() && !node.is_doctype() {
                push_children(&mut stack, &node);
            }
            continue;
        };
        let name: &str = &name;
        let is_block = BLOCKS.contains(&name);
        if entered {
            if is_block {
                out.break_paragraph();
            }
            continue;
        }
        if is_never_text(name) {
            continue;
        }
        if filter == Filter::Boilerplate
            && (BOILERPLATE_TAGS.contains(&name) || looks_like_boilerplate(&node))
        {
            continue;
        }
        if is_hidden(&node) {
            continue;
        }
        if is_block {
            out.break_paragraph();
        }
        stack.push((node, true));
        push_children(&mut stack, &node);
    }
    out.finish()
}

fn push_children<'a>(stack: &mut Vec<(NodeRef<'a>, bool)>, node: &NodeRef<'a>) {
    // Reverse order so the first child is popped first.
    for child in node.children_it(true) {
        stack.push((child, false));
    }
}

/// Accumulates words and paragraph breaks without ever producing doubled
/// spaces or empty paragraphs.
#[derive(Default)]
struct TextBuilder {
    paragraphs: Vec<String>,
    current: String,
    /// Whitespace was seen since the last word: the next word needs a space.
    pending_space: bool,
}

impl TextBuilder {
    fn push_text(&mut self, text: &str) {
        if text.starts_with(char::is_whitespace) {
            self.pending_space = true;
        }
        let mut any_word = false;
        for word in text.split_whitespace() {
            if any_word || (self.pending_space && !self.current.is_empty()) {
                self.current.push(' ');
            }
            self.current.push_str(word);
            any_word = true;
        }
        if any_word {
            self.pending_space = text.ends_with(char::is_whitespace);
        }
    }

    fn break_paragraph(&mut self) {
        if !self.current.is_empty() {
            self.paragraphs.push(std::mem::take(&mut self.current));
        }
        self.pending_space = false;
    }

    fn finish(mut self) -> String {
        self.break_paragraph();
        self.paragraphs.join("\n\n")
    }
}

/// Normalises text from any source (JSON-LD, readability output) to the
/// module's shape: trimmed paragraphs, single spaces, `"\n\n"` between them.
pub(crate) fn normalize_paragraphs(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if !collapsed.is_empty() {
            paragraphs.push(collapsed);
        }
    }
    paragraphs.join("\n\n")
}

/// What one walk of a tree found about its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TreeSize {
    /// Some node sits deeper than the depth limit.
    pub(crate) too_deep: bool,
    /// There are more element nodes than the element limit.
    pub(crate) too_big: bool,
}

/// Checks `root`'s depth and element count against the limits in one walk,
/// stopping as soon as both are passed.
pub(crate) fn tree_size(root: &NodeRef<'_>, max_depth: usize, max_elements: usize) -> TreeSize {
    let mut size = TreeSize {
        too_deep: false,
        too_big: false,
    };
    let mut n_elements = 0;
    let mut stack: Vec<(NodeRef<'_>, usize)> = vec![(*root, 0)];
    while let Some((node, depth)) = stack.pop() {
        if depth > max_depth {
            size.too_deep = true;
        }
        if node.is_element() {
            n_elements += 1;
            if n_elements > max_elements {
                size.too_big = true;
            }
        }
        if size.too_deep && size.too_big {
            break;
        }
        for child in node.children_it(false) {
            stack.push((child, depth + 1));
        }
    }
    size
}

/// Paragraphs this short after the story's last long one are tags, share
/// labels, credits or "read more" link lists, not story.
const TAIL_PARAGRAPH_WORDS: usize = 10;

/// Drops short paragraphs after the last long one. Short paragraphs at the
/// start stay: there they are mostly subheadings the story opens with
/// (bylines and datelines are `clean`'s job), and dropping them cost more
/// than it saved on the corpus's dev pages.
pub(crate) fn trim_tail(text: &str) -> String {
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    // An attribution ("— Jane Doe (@jane) March 3, 2026") belongs to the
    // quotation above it, however short.
    let is_long = |p: &&str| {
        p.split_whitespace().count() >= TAIL_PARAGRAPH_WORDS || p.starts_with(['—', '―'])
    };
    let Some(last) = paragraphs.iter().rposition(is_long) else {
        return text.to_string();
    };
    if is_list(&paragraphs[..last]) {
        // An index page: the short items after the last long one are the
        // rest of its list, not a tail.
        return text.to_string();
    }
    paragraphs[..=last].join("\n\n")
}

/// A text whose body is a list (an index page, a ranking) has at least
/// this many short paragraphs before its last long one…
const MIN_LIST_ITEMS: usize = 8;

/// …and they are at least this share (in N) of the paragraphs there.
const LIST_SHARE: usize = 2;

/// Are most of `paragraphs` short items, and many of them?
fn is_list(paragraphs: &[&str]) -> bool {
    let short = paragraphs
        .iter()
        .filter(|p| p.split_whitespace().count() < TAIL_PARAGRAPH_WORDS)
        .count();
    short >= MIN_LIST_ITEMS && short * LIST_SHARE >= paragraphs.len()
}

/// Tags that close themselves or are closed implicitly by their next
/// sibling: they do not deepen the tree html5ever builds.
const SHALLOW_TAGS: &[&str] = &[
    "p", "li", "option", "td", "th", "tr", "dt", "dd", "img", "br", "hr", "input", "meta", "link",
    "source", "wbr", "col", "area", "base", "embed", "param", "track",
];

/// Rough depth of the tree `html` would build: open tags minus close tags,
/// ignoring shallow ones. html5ever's scope checks cost time proportional
/// to depth per tag, so a very deep page is quadratic to parse; callers
/// skip the DOM for it.
pub(crate) fn estimated_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut depth: usize = 0;
    let mut deepest = 0;
    let mut idx = 0;
    while let Some(offset) = memchr_lt(&bytes[idx..]) {
        idx += offset + 1;
        let closing = bytes.get(idx) == Some(&b'/');
        let name_start = if closing { idx + 1 } else { idx };
        let name_end = bytes[name_start.min(bytes.len())..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |len| name_start + len);
        if name_end == name_start {
            continue;
        }
        // Compared in place: this runs once per tag of every page, so no
        // lower-cased copy of the name.
        let name = &bytes[name_start..name_end];
        if SHALLOW_TAGS
            .iter()
            .any(|tag| tag.as_bytes().eq_ignore_ascii_case(name))
        {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'<', bytes)
}

/// Text of `html` without building a DOM, for pages too deep to parse in
/// bounded time: tags dropped, script/style/comment content skipped, block
/// tags end paragraphs, the common entities decoded.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut out = TextBuilder::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_text(&decode_entities(&rest[..lt]));
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && (is_never_text(&name)) {
            // Skip to the matching close tag (case-insensitive).
            let close = format!("</{name}");
            rest = find_ignore_ascii_case(rest, &close).map_or("", |end| &rest[end..]);
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.break_paragraph();
        }
    }
    out.push_text(&decode_entities(rest));
    out.finish()
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Byte offset of the first ASCII-case-insensitive match of `needle`
/// (which starts with `<`) in `haystack`.
fn find_ignore_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let needle = needle.as_bytes();
    let mut from = 0;
    while let Some(offset) = memchr_lt(&bytes[from..]) {
        let at = from + offset;
        if bytes
            .get(at..at + needle.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(needle))
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}
