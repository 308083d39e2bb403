//! The boxes beside a story, removed from the DOM before the readability
//! pass so it never scores or keeps them: navigation, asides, footers,
//! figures and forms by tag, slideshows and carousels by class or id. Posts
//! embedded from social networks are quotations in the story: they are
//! lifted out of their wrappers first, whose "social" and "embed" names
//! readability would otherwise throw away with them.
//!
//! Photo captions outside a `<figcaption>` and carousel slides stay in the
//! DOM, so they weigh in readability's choice of container as they always
//! did; their texts are noted here and dropped from its output by
//! `drop_noted`.

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use dom_query::{Document, NodeRef};

use super::text::{self, class_and_id};

/// Tags removed before the readability pass: never part of a story body.
/// (`<form>` is judged apart: see `is_container_form`.)
const REMOVED_TAGS: &[&str] = &["nav", "aside", "footer", "figcaption", "figure", "button"];

/// A `<form>` holding at least this share (one in N) of the page's words
/// is a wrapper of the page, not a control: ASP.NET pages put one around
/// the whole body.
const FORM_WRAPPER_SHARE: usize = 3;

/// Elements never removed for their class or id: a page's main wrappers
/// often carry names like "has-gallery" or "with-related".
const CONTAINER_TAGS: &[&str] = &["html", "body", "main", "article"];

/// Substrings of `class`/`id` naming widgets removed before the readability
/// pass: slideshows and carousels, whose repeated captions and counters
/// ("Image 3 of 12") readability keeps. Wider lists (related, share,
/// promo…) were measured to move readability's choice of container on some
/// pages for little gain.
const WIDGET_HINTS: &[&str] = &["gallery", "slideshow", "carousel"];

/// Substrings of `class`/`id` naming boxes whose text is dropped from the
/// readability output rather than from the DOM: photo captions, and the
/// slides of "swiper" carousels (teasers of other stories).
const NOTED_HINTS: &[&str] = &["caption", "swiper"];

/// A box with more words than this is a wrapper of the story
/// ("share-enabled"), not a box beside it: its text is not noted.
const MAX_BOX_WORDS: usize = 250;

/// Noted texts are dropped from the output only while they are at most
/// this share of it: on a photo story the captions are the story.
const NOTED_MAX_SHARE: usize = 3;

/// A widget is removed only when the page holds more than this many
/// times its paragraph words.
const WIDGET_MAX_SHARE: usize = 3;

/// Classes of the `<blockquote>` each network's embed code writes, with
/// the post's text inside; the embed script that would restyle it is gone.
const EMBED_CLASSES: &[&str] = &[
    "twitter-tweet",
    "instagram-media",
    "tiktok-embed",
    "bluesky-embed",
    "mastodon-embed",
    "text-post-media",
];

/// Boxes an embedded post is never lifted out of: it belongs to them.
const EMBED_STOPS: &[&str] = &["nav", "aside", "footer", "header", "form"];

/// Detaches boilerplate elements (by tag, or by class/id hint) from `doc`
/// so the readability pass never scores or keeps them, and returns the
/// paragraphs of the captions and slides left in place, for `drop_noted`.
pub(crate) fn remove_boilerplate(doc: &Document) -> HashSet<String> {
    let mut doomed = Vec::new();
    let mut widgets = Vec::new();
    let mut embeds = Vec::new();
    let mut noted = HashSet::new();
    let mut boxes = Vec::new();
    let mut forms = Vec::new();
    let Some(body) = doc.select("body").nodes().first().copied() else {
        return noted;
    };
    // (node, inside a box already noted): a box inside another is noted
    // with it, never walked twice.
    let mut stack = vec![(body, false)];
    while let Some((node, mut in_box)) = stack.pop() {
        if let Some(name) = node.node_name() {
            let name: &str = &name;
            if name == "form" {
                // Judged after the walk, and walked: it may wrap the page.
                forms.push(node);
            } else if REMOVED_TAGS.contains(&name) {
                doomed.push(node);
                // Figures are walked: they often wrap an embedded post.
                if name != "figure" {
                    continue;
                }
            }
            if name == "blockquote" && is_embedded_post(&node) {
                embeds.push(node);
                continue;
            }
            if !CONTAINER_TAGS.contains(&name) {
                let hint = class_and_id(&node).unwrap_or_default();
                // Widgets are judged after the walk; their insides are
                // still walked, since a wrapper that is kept may hold a
                // real widget.
                if WIDGET_HINTS.iter().any(|word| hint.contains(word)) {
                    widgets.push(node);
                } else if NOTED_HINTS.iter().any(|word| hint.contains(word)) {
                    note_text(&node, usize::MAX, &mut noted);
                    continue;
                } else if !in_box && is_box_hint(&hint) {
                    // Judged after the walk, and walked: it may wrap an
                    // embedded post.
                    boxes.push(node);
                    in_box = true;
                }
            }
        }
        stack.extend(node.children_it(false).map(|child| (child, in_box)));
    }
    if !forms.is_empty() {
        let page = PageWords::of(&body);
        for form in forms {
            if page.is_container(&form) {
                form.rename("div");
            } else {
                doomed.push(form);
            }
        }
    }
    for embed in embeds {
        lift_embedded_post(&embed);
    }
    for node in boxes {
        // A wrapper an embedded post replaced is out of the tree.
        if node.parent().is_none() {
            continue;
        }
        note_text(&node, MAX_BOX_WORDS, &mut noted);
    }
    if !widgets.is_empty() {
        // A "widget" holding a good share of the page's paragraph text is
        // a wrapper of the story ("page has-gallery"), not a box beside it.
        let page_words = paragraph_words(&body);
        doomed.extend(
            widgets
                .into_iter()
                .filter(|widget| paragraph_words(widget) * WIDGET_MAX_SHARE < page_words),
        );
    }
    for node in doomed {
        node.remove_from_parent();
    }
    noted
}

/// Substrings of `class`/`id` naming boxes beside the story whose text
/// is dropped from the readability output: only names that never wrap
/// story text. The page-level fallback's wider list also has "header"
/// (an article header holds the standfirst), "footer", "banner",
/// "widget", "modal" and "paywall", which some sites give to the blocks
/// their story text is split into.
const BOX_HINTS: &[&str] = &[
    "related",
    "share",
    "social",
    "newsletter",
    "subscribe",
    "signup",
    "promo",
    "advert",
    "most-read",
    "mostread",
    "popular",
    "trending",
    "recommend",
    "breadcrumb",
    "cookie",
    "consent",
    "comment",
    "sidebar",
    "popup",
];

/// Does a class-and-id string name a box beside the story?
fn is_box_hint(hint: &str) -> bool {
    // One pass over the string for all the words: this runs for every
    // element with a class or id.
    static HINTS: LazyLock<Option<AhoCorasick>> =
        LazyLock::new(|| AhoCorasick::new(BOX_HINTS).ok());
    if text::names_story_body(hint) {
        return false;
    }
    // "Commentary" names opinion pieces, not comment threads.
    let names_a_box = |start: usize| !hint[start..].starts_with("commentary");
    match &*HINTS {
        Some(hints) => hints
            .find_iter(hint)
            .any(|found| names_a_box(found.start())),
        None => BOX_HINTS
            .iter()
            .flat_map(|word| hint.match_indices(word))
            .any(|(start, _)| names_a_box(start)),
    }
}

/// Notes the paragraphs of `node`'s text for `drop_noted`, unless it has
/// more than `max_words` words.
fn note_text(node: &NodeRef<'_>, max_words: usize, noted: &mut HashSet<String>) {
    let text = text::block_text(node, text::Filter::Minimal);
    if text.split_whitespace().count() <= max_words {
        noted.extend(text.split("\n\n").map(str::to_string));
    }
}

/// `text` without the paragraphs `remove_boilerplate` noted (captions,
/// slides), unless they are more than a third of it.
pub(crate) fn drop_noted(text: String, noted: &HashSet<String>) -> String {
    if noted.is_empty() {
        return text;
    }
    let words = |paragraph: &str| paragraph.split_whitespace().count();
    let (noted_words, all_words) =
        text.split("\n\n")
            .fold((0, 0), |(noted_words, all_words), paragraph| {
                let n = words(paragraph);
                let noted_here = if noted.contains(paragraph) { n } else { 0 };
                (noted_words + noted_here, all_words + n)
            });
    if noted_words == 0 || noted_words * NOTED_MAX_SHARE > all_words {
        return text;
    }
    text.split("\n\n")
        .filter(|paragraph| !noted.contains(*paragraph))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Is this `<blockquote>` a post embedded from a social network?
fn is_embedded_post(node: &NodeRef<'_>) -> bool {
    node.class().is_some_and(|class| {
        class.split_ascii_whitespace().any(|name| {
            EMBED_CLASSES
                .iter()
                .any(|embed| name.eq_ignore_ascii_case(embed))
        })
    })
}

/// Puts an embedded post where its outermost wrapper was, without the
/// network's class or its links: the wrappers only hold it (and the embed script's
/// empty tag), and their names ("social-embed", "figure") would have
/// readability or `remove_boilerplate` drop the quotation. A post inside
/// navigation, an aside or a footer stays where it is, to go with them.
fn lift_embedded_post(embed: &NodeRef<'_>) {
    embed.remove_attr("class");
    // Its links (shortened URLs, the post's date) become plain text: as
    // links they would raise the link density of the story's container,
    // and readability drops link-dense containers whole.
    // (Collected first: the tree cannot change while an iterator reads it.)
    for link in embed.descendants() {
        if link.has_name("a") {
            link.rename("span");
        }
    }
    let mut outermost = None;
    let mut current = *embed;
    while let Some(parent) = current.parent() {
        let Some(name) = parent.node_name() else {
            break;
        };
        if EMBED_STOPS.contains(&&*name) {
            return;
        }
        if CONTAINER_TAGS.contains(&&*name) || !holds_only(&parent, &current) {
            break;
        }
        outermost = Some(parent);
        current = parent;
    }
    if let Some(wrapper) = outermost {
        embed.remove_from_parent();
        wrapper.replace_with(embed);
    }
}

/// Does `parent` hold nothing but `child`: no other element except
/// scripts, and no text of its own?
fn holds_only(parent: &NodeRef<'_>, child: &NodeRef<'_>) -> bool {
    parent.children_it(false).all(|node| {
        node.id == child.id
            || (node.is_text() && node.text().trim().is_empty())
            || node.is_comment()
            || node.has_name("script")
    })
}

/// Renames every `<form>` that wraps a good share of the page to a
/// `<div>`, so the walks that drop forms as controls keep the story
/// inside it. For the page-level fallback, which parses the page again.
pub(crate) fn unwrap_container_forms(doc: &Document) {
    let Some(body) = doc.select("body").nodes().first().copied() else {
        return;
    };
    let forms = doc.select("form");
    if forms.is_empty() {
        return;
    }
    let page = PageWords::of(&body);
    for form in forms.nodes() {
        if page.is_container(form) {
            form.rename("div");
        }
    }
}

/// How many words a page holds, to judge which of its boxes wrap it.
struct PageWords {
    /// Words in `<p>` elements.
    paragraphs: usize,
    /// All words of the text, for pages written without `<p>`.
    all: usize,
}

/// Below this many paragraph words a page is judged by all its words:
/// old table layouts put their story in `<td>`s and `<br>`s.
const MIN_PARAGRAPH_WORDS: usize = 50;

impl PageWords {
    fn of(body: &NodeRef<'_>) -> Self {
        let paragraphs = paragraph_words(body);
        let all = if paragraphs < MIN_PARAGRAPH_WORDS {
            text_words(body)
        } else {
            0
        };
        Self { paragraphs, all }
    }

    /// Does `node` hold at least a `FORM_WRAPPER_SHARE` share of the page?
    fn is_container(&self, node: &NodeRef<'_>) -> bool {
        if self.paragraphs >= MIN_PARAGRAPH_WORDS {
            paragraph_words(node) * FORM_WRAPPER_SHARE >= self.paragraphs
        } else {
            self.all > 0 && text_words(node) * FORM_WRAPPER_SHARE >= self.all
        }
    }
}

/// Words of all the text under `root`, outside elements that never hold
/// text.
fn text_words(root: &NodeRef<'_>) -> usize {
    let mut words = 0;
    let mut stack = vec![*root];
    while let Some(node) = stack.pop() {
        if node.is_text() {
            words += node.text().split_whitespace().count();
            continue;
        }
        if node
            .node_name()
            .is_some_and(|name| text::is_never_text(&name))
        {
            continue;
        }
        stack.extend(node.children_it(false));
    }
    words
}

/// Words inside the `<p>` elements under `root`.
fn paragraph_words(root: &NodeRef<'_>) -> usize {
    let mut words = 0;
    let mut stack = vec![*root];
    while let Some(node) = stack.pop() {
        if node.has_name("p") {
            words += node.text().split_whitespace().count();
            continue;
        }
        stack.extend(node.children_it(false));
    }
    words
}
