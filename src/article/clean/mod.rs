//! Paragraph-level cleanup of an extracted text: the boilerplate that sits
//! inside a story's container and so survives the DOM-level passes —
//! photo captions and credits, "Related:"/"Read more" promos and the link
//! lists under them, all-caps teasers, copyright lines.
//!
//! Works on the module's text shape (paragraphs joined by `"\n\n"`), so it
//! applies to readability output and the fallback walk alike. Rules look at
//! the wording of one paragraph, never at a site: they must hold for any
//! news page. The one-paragraph recognisers live in `lines`.

mod lines;

use lines::{
    MAX_CREDIT_WORDS, MAX_DATELINE_WORDS, ends_with_agency, ends_with_image_credit, ends_with_tag,
    has_email_address, is_bare_date, is_byline, is_contact_line, is_copyright_line, is_dateline,
    is_disclosure, is_follow_line, is_gallery_counter, is_photo_credit, is_shouting,
    is_sign_up_box, is_source_line,
};

/// A paragraph this long or longer is story text whatever it starts with.
const MAX_PROMO_WORDS: usize = 30;

/// Link-list items under a "Related"-style heading are headlines: shorter
/// than this.
const MAX_LIST_ITEM_WORDS: usize = 20;

/// Openings of promotional paragraphs, lower-cased. Each is followed by
/// the rest of the paragraph, so `"related:"` only drops "Related: …".
const PROMO_OPENINGS: &[&str] = &[
    "related:",
    "related coverage",
    "read more:",
    "read more about",
    "see more:",
    "see also:",
    "also read:",
    "also:",
    "more:",
    "don't miss",
    "don’t miss",
    "you may also like",
    "you might also like",
    "recommended:",
    "continue reading",
    "this slideshow requires javascript",
    "sharing is caring",
    "sign up to our newsletter",
    "subscribe to our newsletter",
    "click here to subscribe",
    "subscribe to ",
    "enlarge image",
    "if you enjoyed this article",
    "citation:",
];

/// Whole paragraphs (lower-cased, trailing dots and colons ignored) that
/// are widget chrome, never text. ("Related", "Most read" and the other
/// `LIST_HEADINGS` go too, with the links under them.)
const CHROME_PARAGRAPHS: &[&str] = &[
    "advert",
    "advertisement",
    "caption",
    "close",
    "email the author",
    "view author archive",
    "listen to this article",
    "print",
    "email",
    "share this article",
    "share this",
    "share",
];

/// Headings that introduce a list of links to other stories: the short
/// paragraphs right after them go too.
const LIST_HEADINGS: &[&str] = &[
    "more",
    "related",
    "related news",
    "related articles",
    "related stories",
    "related content",
    "related coverage",
    "more stories",
    "more news",
    "top stories",
    "most read",
    "most read stories",
    "most popular",
    "trending",
    "trending now",
    "recommended",
    "recommended for you",
    "you may also like",
    "you might also like",
    "don't miss",
    "don’t miss",
    "see also",
    "also read",
    "read more",
];

/// Headings after which nothing is story: the author's biography and
/// whatever follows it.
const TAIL_HEADINGS: &[&str] = &["about the author", "about the authors"];

/// Removes boilerplate paragraphs from `text` (paragraphs separated by
/// `"\n\n"`), keeping the order of the rest.
pub(crate) fn clean_paragraphs(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    // Inside a "Related"-style link list: short paragraphs are its items.
    let mut in_link_list = false;
    for paragraph in text.split("\n\n") {
        let words = paragraph.split_whitespace().count();
        if in_link_list {
            if words < MAX_LIST_ITEM_WORDS && !ends_sentence(paragraph) {
                continue;
            }
            in_link_list = false;
        }
        let key = chrome_key(paragraph);
        if TAIL_HEADINGS.contains(&key.as_str()) {
            break;
        }
        if is_list_heading(&key, words) {
            in_link_list = true;
            continue;
        }
        if is_boilerplate_paragraph(paragraph, &key, words) {
            continue;
        }
        kept.push(paragraph);
    }
    drop_sign_off(&mut kept);
    kept.join("\n\n")
}

/// A story's sign-off sits in its last few paragraphs.
const SIGN_OFF_PARAGRAPHS: usize = 3;

/// A sign-off is at most this long: longer paragraphs are story.
const MAX_SIGN_OFF_WORDS: usize = 80;

/// A text needs more paragraphs than this before its last ones can be a
/// sign-off: a short brief or press release may be nothing but paragraphs
/// with a contact address in them.
const MIN_PARAGRAPHS_BEFORE_SIGN_OFF: usize = 2 * SIGN_OFF_PARAGRAPHS;

/// Drops the author's sign-off from the story's last paragraphs: a note
/// longer than a promo line that gives an email address or asks readers to
/// follow someone ("Jane's book is out now. Follow her on Twitter.", "Have
/// a tip? Write to us at tips@…"). Never from a text of only a few
/// paragraphs, and never more than a quarter of the text's words.
fn drop_sign_off(kept: &mut Vec<&str>) {
    if kept.len() <= MIN_PARAGRAPHS_BEFORE_SIGN_OFF {
        return;
    }
    let words = |paragraph: &str| paragraph.split_whitespace().count();
    let from = kept.len() - SIGN_OFF_PARAGRAPHS;
    let sign_off: Vec<usize> = (from..kept.len())
        .filter(|&at| {
            let paragraph = kept[at];
            let lower = paragraph.to_lowercase();
            words(paragraph) <= MAX_SIGN_OFF_WORDS
                && (has_email_address(&lower) || is_follow_line(&lower))
        })
        .collect();
    let sign_off_words: usize = sign_off.iter().map(|&at| words(kept[at])).sum();
    let all_words: usize = kept.iter().map(|paragraph| words(paragraph)).sum();
    if sign_off_words * 4 > all_words {
        return;
    }
    for at in sign_off.into_iter().rev() {
        kept.remove(at);
    }
}

/// Beginnings of longer list headings: "More news from Science",
/// "Top stories in Business", "Related coverage from our money desk".
const LIST_HEADING_OPENINGS: &[&str] = &[
    "more from ",
    "more news from ",
    "more stories from ",
    "more in ",
    "top stories in ",
    "latest from ",
    "latest news from ",
    "related coverage",
    "related stories from ",
    "most read in ",
    "most popular in ",
    "also on ",
];

/// Headings this long or longer are not link-list headings.
const MAX_LIST_HEADING_WORDS: usize = 9;

fn is_list_heading(key: &str, words: usize) -> bool {
    LIST_HEADINGS.contains(&key)
        || (words < MAX_LIST_HEADING_WORDS
            && LIST_HEADING_OPENINGS
                .iter()
                .any(|opening| key.starts_with(opening)))
}

/// Lower-cased paragraph without trailing dots, colons, ellipses and spaces:
/// "More:" and "Read more…" compare equal to their list entries.
fn chrome_key(paragraph: &str) -> String {
    paragraph
        .trim()
        .trim_end_matches(['.', ':', '…', ' ', '!'])
        .to_lowercase()
}

/// Does the paragraph end like a sentence (so it is story, not a headline
/// in a link list)? Question marks do not count: headlines ask questions.
fn ends_sentence(paragraph: &str) -> bool {
    let trimmed = paragraph.trim_end();
    if trimmed.ends_with("...") || trimmed.ends_with('…') {
        return false;
    }
    trimmed.ends_with(['.', '!', '"', '”', '’'])
}

fn is_boilerplate_paragraph(paragraph: &str, key: &str, words: usize) -> bool {
    if CHROME_PARAGRAPHS.contains(&key) {
        return true;
    }
    if words <= MAX_DATELINE_WORDS && (is_dateline(key) || is_bare_date(key, words)) {
        return true;
    }
    if words < MAX_PROMO_WORDS {
        let lower = paragraph.trim_start().to_lowercase();
        if PROMO_OPENINGS
            .iter()
            .any(|opening| lower.starts_with(opening))
        {
            return true;
        }
        if is_photo_credit(&lower, words) || is_gallery_counter(&lower) {
            return true;
        }
        if is_copyright_line(&lower) {
            return true;
        }
        if ends_with_image_credit(&lower) || (words <= MAX_CREDIT_WORDS && ends_with_agency(&lower))
        {
            return true;
        }
        if is_sign_up_box(&lower) || is_follow_line(&lower) || has_email_address(&lower) {
            return true;
        }
        if is_byline(paragraph, words) || is_contact_line(&lower) || is_source_line(&lower, words) {
            return true;
        }
        if ends_with_tag(&lower) || is_disclosure(&lower) {
            return true;
        }
    }
    is_shouting(paragraph, words)
}
