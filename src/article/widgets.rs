//! The boxes beside a story, removed from the DOM before the readability
//! pass so it never scores or keeps them: navigation, asides, footers,
//! figures and forms by tag, slideshows and captions by class or id. Posts
//! embedded from social networks are quotations in the story: they are
//! lifted out of their wrappers first, whose "social" and "embed" names
//! readability would otherwise throw away with them.

use dom_query::{Document, NodeRef};

use super::text::class_and_id;

/// Tags removed before the readability pass: never part of a story body.
const REMOVED_TAGS: &[&str] = &[
    "nav",
    "aside",
    "footer",
    "figcaption",
    "figure",
    "form",
    "button",
];

/// Elements never removed for their class or id: a page's main wrappers
/// often carry names like "has-gallery" or "with-related".
const CONTAINER_TAGS: &[&str] = &["html", "body", "main", "article"];

/// Substrings of `class`/`id` naming widgets removed before the readability
/// pass: slideshows and carousels, whose repeated captions and counters
/// ("Image 3 of 12") readability keeps, and photo captions outside a
/// `<figcaption>`. Wider lists (related, share, promo…) were measured to
/// move readability's choice of container on some pages for little gain.
const WIDGET_HINTS: &[&str] = &["gallery", "slideshow", "carousel", "swiper", "caption"];

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
/// so the readability pass never scores or keeps them.
pub(crate) fn remove_boilerplate(doc: &Document) {
    let mut doomed = Vec::new();
    let mut widgets = Vec::new();
    let mut embeds = Vec::new();
    let Some(body) = doc.select("body").nodes().first().copied() else {
        return;
    };
    let mut stack = vec![body];
    while let Some(node) = stack.pop() {
        if let Some(name) = node.node_name() {
            let name: &str = &name;
            if REMOVED_TAGS.contains(&name) {
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
            // Widgets are judged after the walk; their insides are still
            // walked, since a wrapper that is kept may hold a real widget.
            if !CONTAINER_TAGS.contains(&name) && has_widget_hint(&node) {
                widgets.push(node);
            }
        }
        stack.extend(node.children_it(false));
    }
    for embed in embeds {
        lift_embedded_post(&embed);
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
/// network's class: the wrappers only hold it (and the embed script's
/// empty tag), and their names ("social-embed", "figure") would have
/// readability or `remove_boilerplate` drop the quotation. A post inside
/// navigation, an aside or a footer stays where it is, to go with them.
fn lift_embedded_post(embed: &NodeRef<'_>) {
    embed.remove_attr("class");
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

/// Does `node`'s class or id name a widget?
fn has_widget_hint(node: &NodeRef<'_>) -> bool {
    let Some(hint) = class_and_id(node) else {
        return false;
    };
    WIDGET_HINTS.iter().any(|word| hint.contains(word))
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
