//! Recognisers for single paragraphs that are page furniture: credits,
//! datelines, bylines, contact and follow lines, copyright notices. Each
//! looks at the wording of one paragraph, lower-cased unless it says
//! otherwise, and never at a site.

use crate::text::calendar;

/// "Photo: Jane Doe, AP", "Photograph: …", "Picture: …".
pub(super) fn is_photo_credit(lower: &str, words: usize) -> bool {
    words <= 8
        && ["photo:", "photos:", "photograph:", "picture:", "image:"]
            .iter()
            .any(|opening| lower.starts_with(opening))
}

/// "Image 3 of 12", "1 of 6", "Image 1 of / 8": slideshow position labels.
pub(super) fn is_gallery_counter(lower: &str) -> bool {
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
pub(super) const MAX_DATELINE_WORDS: usize = 14;

/// "Published: 10:48, Tue, Nov 19", "| Updated at 1:23 p.m.": when the page
/// was written, not what it says.
pub(super) fn is_dateline(key: &str) -> bool {
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
pub(super) fn is_sign_up_box(lower: &str) -> bool {
    ["subscribe", "sign up", "get the", "get our", "join"]
        .iter()
        .any(|opening| lower.starts_with(opening))
        && (lower.contains("newsletter") || lower.contains("inbox"))
}

/// Words after "follow" within which a follow line names where to follow.
const FOLLOW_WINDOW: usize = 10;

/// "Follow us on Twitter", "Follow Jane on Instagram and Facebook", "Follow
/// him @janedoe", "Follow our full coverage at https://…": the word
/// "follow" with a network, a handle or a link close after it. "Residents
/// were told to follow medical advice" has none.
pub(super) fn is_follow_line(lower: &str) -> bool {
    const NETWORKS: &[&str] = &[
        "twitter",
        "facebook",
        "instagram",
        "youtube",
        "tiktok",
        "linkedin",
        "x",
        "threads",
        "bluesky",
        "mastodon",
    ];
    let words: Vec<&str> = lower.split_whitespace().collect();
    words.iter().enumerate().any(|(at, word)| {
        word.trim_matches(|c: char| !c.is_alphanumeric()) == "follow"
            && words[at + 1..].iter().take(FOLLOW_WINDOW).any(|next| {
                let bare = next.trim_matches(|c: char| !c.is_alphanumeric() && c != '@');
                (bare.len() > 1 && bare.starts_with('@'))
                    || NETWORKS.contains(&bare)
                    || next.contains("http")
                    || next.contains("www.")
            })
    })
}

/// A short paragraph giving an email address is a contact or tip line.
pub(super) fn has_email_address(lower: &str) -> bool {
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
pub(super) fn is_byline(paragraph: &str, words: usize) -> bool {
    let mut tokens = paragraph.split_whitespace();
    words <= MAX_BYLINE_WORDS
        && tokens
            .next()
            .is_some_and(|by| by.eq_ignore_ascii_case("by"))
        && tokens
            .next()
            .is_some_and(|name| name.starts_with(char::is_uppercase))
        && !super::ends_sentence(paragraph)
}

/// Telephone numbers have at least this many digits.
const MIN_PHONE_DIGITS: usize = 9;

/// "1625 Main Street, Suite 900 | 202-555-0100 tel | 202-555-0101 fax",
/// "Media contact: Jane Doe, +41 41 555 01 00": an address or contact
/// line, whose numbers are never figures. A paragraph counts when it names
/// a telephone and holds a run of at least nine digits in groups.
pub(super) fn is_contact_line(lower: &str) -> bool {
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
pub(super) fn ends_with_tag(lower: &str) -> bool {
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
pub(super) fn is_disclosure(lower: &str) -> bool {
    lower.contains("affiliate") && lower.contains("link")
}

/// "© 2024 Some Publisher", "Copyright 2024 …", "All rights reserved".
pub(super) fn is_copyright_line(lower: &str) -> bool {
    lower.contains('©')
        || lower.starts_with("copyright")
        || lower.contains("all rights reserved")
        || lower.contains("subject to copyright")
}

/// A caption whose credit closes it in brackets: "… (Image: Agency)",
/// "… (Photo: Jane Doe)", "… (AP Photo/Jane Doe, File)".
pub(super) fn ends_with_image_credit(lower: &str) -> bool {
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
pub(super) const MAX_CREDIT_WORDS: usize = 15;

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
pub(super) fn ends_with_agency(lower: &str) -> bool {
    let trimmed = lower.trim_end_matches([' ', ')']);
    PICTURE_AGENCIES.iter().any(|agency| {
        trimmed.strip_suffix(agency).is_some_and(|before| {
            before.is_empty() || before.ends_with([' ', '|', '/', '.', '(', ',', '-'])
        })
    })
}

/// All-caps paragraphs with at least this many words are teaser links
/// ("CLICK HERE TO GET THE APP"); shorter ones are often real subheadings.
const MIN_SHOUTING_WORDS: usize = 8;

/// An all-caps paragraph of many words: a teaser link, not story text.
pub(super) fn is_shouting(paragraph: &str, words: usize) -> bool {
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

/// Words that may stand in a bare date line beside its numbers: month and
/// weekday names and their abbreviations (`text::calendar`), clock and
/// zone words.
fn is_date_word(token: &str) -> bool {
    token == "may"
        || calendar::MONTHS.contains(&token)
        || calendar::WEEKDAYS.contains(&token)
        || calendar::WEEKDAY_ABBREVIATIONS.contains(&token)
        || CLOCK_WORDS.contains(&token)
}

/// Clock and zone words, and those that introduce a date line.
const CLOCK_WORDS: &[&str] = &[
    "am",
    "pm",
    "a.m",
    "p.m",
    "at",
    "on",
    "updated",
    "published",
    "posted",
    "et",
    "est",
    "edt",
    "ct",
    "cst",
    "cdt",
    "pt",
    "pst",
    "pdt",
    "gmt",
    "bst",
    "utc",
    "cet",
    "cest",
];

/// "November 19, 2019", "Nov. 20, 2019 6:02 AM EST", "19.11.2019, 08:57",
/// "November 19, 2019 | 4:20am | Updated November 19, 2019 | 9:32pm": a
/// line of nothing but a date, when the page went up. It needs a clock
/// time or a whole date (a year and a day), so a "March 2020" heading in
/// a timeline stays.
pub(super) fn is_bare_date(lower: &str, words: usize) -> bool {
    if words > MAX_DATELINE_WORDS {
        return false;
    }
    let (mut clock, mut year, mut day, mut numeric_date) = (false, false, false, false);
    let tokens = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | ',' | '(' | ')'))
        .map(|token| token.trim_end_matches('.'))
        .filter(|token| !token.is_empty());
    for token in tokens {
        let (number, suffix) = token
            .strip_suffix("am")
            .map(|n| (n, true))
            .or_else(|| token.strip_suffix("pm").map(|n| (n, true)))
            .unwrap_or((token, false));
        let numeric = !number.is_empty()
            && number.bytes().any(|b| b.is_ascii_digit())
            && number
                .bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b':' | b'/' | b'-'));
        if numeric {
            clock |= suffix || number.contains(':');
            let digits = number.bytes().filter(u8::is_ascii_digit).count();
            numeric_date |= digits >= 6 && number.bytes().any(|b| matches!(b, b'.' | b'/' | b'-'));
            year |= number.len() == 4 && number.bytes().all(|b| b.is_ascii_digit());
            day |= number.len() <= 2 && !suffix;
            continue;
        }
        if !is_date_word(token) {
            return false;
        }
    }
    clock || numeric_date || (year && day)
}

/// "Source: News agencies", "SOURCE: Wire Service": where a story came
/// from, at its foot.
pub(super) fn is_source_line(lower: &str, words: usize) -> bool {
    words <= 6 && lower.starts_with("source:")
}
