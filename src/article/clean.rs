//! Paragraph-level cleanup of an extracted text: the boilerplate that sits
//! inside a story's container and so survives the DOM-level passes —
//! photo captions and credits, "Related:"/"Read more" promos and the link
//! lists under them, all-caps teasers, copyright lines.
//!
//! Works on the module's text shape (paragraphs joined by `"\n\n"`), so it
//! applies to readability output and the fallback walk alike. Rules look at
//! the wording of one paragraph, never at a site: they must hold for any
//! news page.

/// A paragraph this long or longer is story text whatever it starts with.
const MAX_PROMO_WORDS: usize = 30;

/// Link-list items under a "Related"-style heading are headlines: shorter
/// than this.
const MAX_LIST_ITEM_WORDS: usize = 20;

/// All-caps paragraphs with at least this many words are teaser links
/// ("CLICK HERE TO GET THE APP"); shorter ones are often real subheadings.
const MIN_SHOUTING_WORDS: usize = 8;

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
    "enlarge image",
    "if you enjoyed this article",
    "citation:",
];

/// Whole paragraphs (lower-cased, trailing dots and colons ignored) that
/// are widget chrome, never text.
const CHROME_PARAGRAPHS: &[&str] = &[
    "advert",
    "advertisement",
    "caption",
    "close",
    "read more",
    "more",
    "related",
    "related news",
    "related articles",
    "related stories",
    "related content",
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
    kept.join("\n\n")
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
    if words <= MAX_DATELINE_WORDS && is_dateline(key) {
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
        if is_byline(paragraph, words) || is_contact_line(&lower) {
            return true;
        }
        if ends_with_tag(&lower) || is_disclosure(&lower) {
            return true;
        }
    }
    is_shouting(paragraph, words)
}

/// "Photo: Jane Doe, AP", "Photograph: …", "Picture: …".
fn is_photo_credit(lower: &str, words: usize) -> bool {
    words <= 8
        && ["photo:", "photos:", "photograph:", "picture:", "image:"]
            .iter()
            .any(|opening| lower.starts_with(opening))
}

/// "Image 3 of 12", "1 of 6", "Image 1 of / 8": slideshow position labels.
fn is_gallery_counter(lower: &str) -> bool {
    let rest = lower
        .strip_prefix("image")
        .or_else(|| lower.strip_prefix("photo"))
        .or_else(|| lower.strip_prefix("slide"))
        .unwrap_or(lower);
    let mut tokens = rest.split_whitespace().filter(|token| *token != "/");
    matches!(
        (tokens.next(), tokens.next(), tokens.next(), tokens.next()),
        (Some(first), Some("of"), Some(last), None)
            if is_number(first) && is_number(last)
    )
}

fn is_number(token: &str) -> bool {
    !token.is_empty() && token.bytes().all(|byte| byte.is_ascii_digit())
}

/// Publication-time lines are at most this long.
const MAX_DATELINE_WORDS: usize = 14;

/// "Published: 10:48, Tue, Nov 19", "| Updated at 1:23 p.m.": when the page
/// was written, not what it says.
fn is_dateline(key: &str) -> bool {
    let key = key.trim_start_matches(['|', ' ']);
    [
        "published",
        "updated",
        "last updated",
        "posted",
        "first published",
    ]
    .iter()
    .filter_map(|opening| key.strip_prefix(opening))
    .any(|rest| {
        // "Updated: 10:40", "Updated at 9 a.m.", "Updated 6:55 AM" —
        // but not "Updated flood maps will be published in 2027".
        let rest = rest.trim_start_matches(':').trim_start();
        let rest = rest
            .strip_prefix("at ")
            .or_else(|| rest.strip_prefix("on "))
            .unwrap_or(rest);
        rest.starts_with(|c: char| c.is_ascii_digit())
            || [
                "mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may",
                "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ]
            .iter()
            .any(|name| rest.starts_with(name))
    })
}

/// "Get the latest stories in your inbox: sign up to our newsletter."
fn is_sign_up_box(lower: &str) -> bool {
    ["subscribe", "sign up", "get the", "get our", "join"]
        .iter()
        .any(|opening| lower.starts_with(opening))
        && (lower.contains("newsletter") || lower.contains("inbox"))
}

/// "Follow us on Twitter", "Follow Jane on Instagram and Facebook".
fn is_follow_line(lower: &str) -> bool {
    const NETWORKS: &[&str] = &["twitter", "facebook", "instagram", "youtube", "tiktok"];
    [
        "follow us",
        "follow him",
        "follow her",
        "follow me",
        "follow them",
    ]
    .iter()
    .any(|phrase| lower.contains(phrase))
        || (lower.starts_with("follow ") && NETWORKS.iter().any(|name| lower.contains(name)))
}

/// A short paragraph giving an email address is a contact or tip line.
fn has_email_address(lower: &str) -> bool {
    lower.split_whitespace().any(|word| {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        word.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.')
        })
    })
}

/// Bylines are at most this long: "By Jane Doe and John Roe, Wire Service
/// - 11/18/19 11:04 PM EST".
const MAX_BYLINE_WORDS: usize = 14;

/// "By Jane Doe", "By JANE DOE - 11/18/19 11:04 PM": who wrote the story,
/// not what it says. A sentence that opens with "By" ("By Friday, 200
/// volunteers had arrived.") ends like one and stays.
fn is_byline(paragraph: &str, words: usize) -> bool {
    let mut tokens = paragraph.split_whitespace();
    words <= MAX_BYLINE_WORDS
        && tokens
            .next()
            .is_some_and(|by| by.eq_ignore_ascii_case("by"))
        && tokens
            .next()
            .is_some_and(|name| name.starts_with(char::is_uppercase))
        && !ends_sentence(paragraph)
}

/// Telephone numbers have at least this many digits.
const MIN_PHONE_DIGITS: usize = 9;

/// "1625 Main Street, Suite 900 | 202-555-0100 tel | 202-555-0101 fax",
/// "Media contact: Jane Doe, +41 41 555 01 00": an address or contact
/// line, whose numbers are never figures. A paragraph counts when it names
/// a telephone and holds a run of at least nine digits in groups.
fn is_contact_line(lower: &str) -> bool {
    const PHONE_WORDS: &[&str] = &["tel", "fax", "phone", "telephone"];
    let names_phone = lower
        .split_whitespace()
        .any(|word| PHONE_WORDS.contains(&word.trim_matches(|c: char| !c.is_alphanumeric())));
    names_phone && longest_digit_run(lower) >= MIN_PHONE_DIGITS
}

/// Digits in the longest run of digit groups joined only by spaces,
/// hyphens, dots, slashes, brackets or a leading plus, as telephone
/// numbers are written; a comma or a letter ends a run, so "1,300" and
/// "20 people" never join up.
fn longest_digit_run(text: &str) -> usize {
    let mut longest = 0;
    let mut digits = 0;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            longest = longest.max(digits);
        } else if !matches!(c, ' ' | '-' | '.' | '/' | '(' | ')' | '+' | '\u{a0}') {
            digits = 0;
        }
    }
    longest
}

/// A teaser headline tagged with its medium: "… review [Video]".
fn ends_with_tag(lower: &str) -> bool {
    let trimmed = lower.trim_end();
    let Some(inner) = trimmed.strip_suffix(']') else {
        return false;
    };
    let Some((before, tag)) = inner.rsplit_once('[') else {
        return false;
    };
    !before.trim().is_empty() && !tag.is_empty() && tag.chars().all(char::is_alphabetic)
}

/// "This post may contain affiliate links."
fn is_disclosure(lower: &str) -> bool {
    lower.contains("affiliate") && lower.contains("link")
}

/// "© 2024 Some Publisher", "Copyright 2024 …", "All rights reserved".
fn is_copyright_line(lower: &str) -> bool {
    lower.contains('©') || lower.starts_with("copyright") || lower.contains("all rights reserved")
}

/// A caption whose credit closes it in brackets: "… (Image: Agency)",
/// "… (Photo: Jane Doe)", "… (AP Photo/Jane Doe, File)".
fn ends_with_image_credit(lower: &str) -> bool {
    let trimmed = lower.trim_end();
    if !trimmed.ends_with(')') {
        return false;
    }
    let Some(open) = trimmed.rfind('(') else {
        return false;
    };
    let credit = &trimmed[open + 1..];
    ["image:", "photo:", "picture:", "credit:", "photograph:"]
        .iter()
        .any(|label| credit.starts_with(label))
        || credit.contains("photo/")
}

/// Photo captions closed by a bare agency credit are at most this long.
const MAX_CREDIT_WORDS: usize = 15;

/// Picture agencies and wires as they close a caption's credit.
const PICTURE_AGENCIES: &[&str] = &[
    "getty images",
    "shutterstock",
    "istock",
    "afp",
    "reuters",
    "ap",
    "associated press",
    "epa",
    "alamy",
];

/// "… at the factory gate. Jane Doe | Agency | Getty Images", "… in the
/// capital.Reuters": a caption ending in a bare credit, without the full
/// stop a story sentence would end with.
fn ends_with_agency(lower: &str) -> bool {
    let trimmed = lower.trim_end_matches([' ', ')']);
    PICTURE_AGENCIES.iter().any(|agency| {
        trimmed.strip_suffix(agency).is_some_and(|before| {
            before.is_empty() || before.ends_with([' ', '|', '/', '.', '(', ',', '-'])
        })
    })
}

/// An all-caps paragraph of many words: a teaser link, not story text.
fn is_shouting(paragraph: &str, words: usize) -> bool {
    if words < MIN_SHOUTING_WORDS {
        return false;
    }
    let alphabetic_words = paragraph
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphabetic))
        .count();
    if alphabetic_words < MIN_SHOUTING_WORDS - 1 {
        return false;
    }
    // Scripts without case (CJK, Arabic…) are never shouting: every
    // letter must be an upper-case one.
    let mut letters = paragraph.chars().filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}
