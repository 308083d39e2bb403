//! Tokens and the number scanner: digits with separators and decimals, scale
//! words and suffixes, number words and vague quantities. It knows nothing of
//! qualifiers, nouns, dates or figures; `mention` gives numbers their context.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A run of letters.
    Word,
    /// A run of ASCII digits.
    Digits,
    /// Any other single non-space character.
    Punct,
}

/// One token; offsets are byte offsets into the text (always char boundaries).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
    /// No whitespace between this token and the previous one.
    pub glued: bool,
    /// Exactly one space-like character (not a newline) before this token.
    pub one_space: bool,
    /// A newline stands between this token and the previous one.
    pub newline: bool,
}

/// Splits `text` into words, digit runs and single punctuation characters.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(text.len() / 5 + 1);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut ws = 0usize;
    let mut newline = false;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_whitespace() {
                ws += 1;
                newline |= b == b'\n' || b == b'\r';
                i += 1;
                continue;
            }
            let start = i;
            let kind = if b.is_ascii_digit() {
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                TokenKind::Digits
            } else if b.is_ascii_alphabetic() {
                i = word_end(text, i);
                TokenKind::Word
            } else {
                i += 1;
                TokenKind::Punct
            };
            push(&mut out, kind, start, i, &mut ws, &mut newline);
            continue;
        }
        // Non-ASCII: decode one char (i is always at a char boundary here).
        let c = match text[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        let len = c.len_utf8();
        if c.is_whitespace() {
            ws += 1;
            newline |= c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}';
            i += len;
            continue;
        }
        let start = i;
        let kind = if c.is_alphabetic() {
            i = word_end(text, i);
            TokenKind::Word
        } else {
            i += len;
            TokenKind::Punct
        };
        push(&mut out, kind, start, i, &mut ws, &mut newline);
    }
    out
}

fn push(
    out: &mut Vec<Token>,
    kind: TokenKind,
    start: usize,
    end: usize,
    ws: &mut usize,
    nl: &mut bool,
) {
    let first = out.is_empty();
    out.push(Token {
        kind,
        start,
        end,
        glued: *ws == 0 && !first,
        one_space: *ws == 1 && !*nl,
        newline: *nl,
    });
    *ws = 0;
    *nl = false;
}

fn word_end(text: &str, start: usize) -> usize {
    let mut end = start;
    for (off, c) in text[start..].char_indices() {
        if c.is_alphabetic() {
            end = start + off + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// Whether a lower-case word can begin a number: an article ("a dozen"),
/// "half", a units, teens or tens word, or a vague plural.
pub(crate) fn may_start_number(w: &str) -> bool {
    matches!(w, "a" | "an" | "half")
        || unit_word(w).is_some()
        || tens_word(w).is_some()
        || vague_plural(w).is_some()
}

/// Value of a units or teens word.
pub(crate) fn unit_word(w: &str) -> Option<f64> {
    Some(match w {
        "zero" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        _ => return None,
    })
}

/// Value of a tens word.
pub(crate) fn tens_word(w: &str) -> Option<f64> {
    Some(match w {
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        _ => return None,
    })
}

/// A scale word after a number: "1.5 million", "2 bn".
pub(crate) fn scale_word(w: &str) -> Option<f64> {
    Some(match w {
        "hundred" => 1e2,
        "thousand" | "thousands" => 1e3,
        "million" | "mn" | "mln" | "millions" => 1e6,
        "billion" | "bn" | "bln" | "billions" => 1e9,
        "trillion" | "tn" | "trillions" => 1e12,
        // South Asian: "24.5 lakh people", "₹1,200 crore".
        "lakh" | "lakhs" => 1e5,
        "crore" | "crores" => 1e7,
        "dozen" | "dozens" => 12.0,
        _ => return None,
    })
}

/// A scale suffix glued to digits: "10k", "€40m", "2bn".
pub(crate) fn scale_suffix(w: &str) -> Option<f64> {
    Some(match w {
        "k" => 1e3,
        "m" | "mn" | "mln" | "million" => 1e6,
        "b" | "bn" | "bln" | "billion" => 1e9,
        "tn" | "trillion" => 1e12,
        "thousand" => 1e3,
        _ => return None,
    })
}

/// The base of a vague plural: "dozens" of, "hundreds" of.
///
/// Documented values: the scanner gives a vague plural twice its base
/// ("dozens of" = 24, "hundreds of" = 200, "thousands of" = 2,000, "tens of
/// thousands of" = 20,000), the smallest amount the plural admits. A mention
/// reads it as a `range` from the base to ten times the base ("dozens of" =
/// 12–120, "hundreds of" = 100–1,000, "tens of thousands of" =
/// 10,000–100,000; the value is the midpoint), since "hundreds" is any
/// number of hundreds; a qualifier before it ("more than hundreds of")
/// keeps twice the base as its bound.
pub(crate) fn vague_plural(w: &str) -> Option<f64> {
    Some(match w {
        "tens" => 10.0,
        "dozens" => 12.0,
        "scores" => 20.0,
        "hundreds" => 1e2,
        "thousands" => 1e3,
        "millions" => 1e6,
        "billions" => 1e9,
        _ => return None,
    })
}

/// A number found at some token: `start..end` are token indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Num {
    pub value: f64,
    /// The value before any scale word or suffix.
    pub unscaled: f64,
    pub start: usize,
    pub end: usize,
    /// Written with digits (not words).
    pub digits: bool,
    /// Digits with a thousands separator.
    pub separated: bool,
    /// Digits with a decimal part.
    pub decimal: bool,
    /// A scale word or suffix applied.
    pub scaled: bool,
    /// A vague plural ("hundreds of").
    pub vague: bool,
    /// The digits of the first group (for year and phone checks).
    pub first_len: usize,
}

/// Reads a number starting at token `i` of `toks`; `lower` is the text in
/// ASCII lower case (same offsets). Handles digits, scale words and number
/// words; context (dates, models, qualifiers) is the caller's business.
pub(crate) fn parse(lower: &str, toks: &[Token], i: usize) -> Option<Num> {
    let tok = toks.get(i)?;
    match tok.kind {
        TokenKind::Digits => Some(parse_digits(lower, toks, i)),
        TokenKind::Word => parse_words(lower, toks, i),
        TokenKind::Punct => None,
    }
}

/// The lower-case text of one token.
fn token_text<'a>(lower: &'a str, t: &Token) -> &'a str {
    step();
    lower.get(t.start..t.end).unwrap_or("")
}

#[cfg(test)]
thread_local! {
    /// Token reads by the scanner on this thread. Tests use it to check
    /// that the work is linear in the input without timing anything.
    pub(super) static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts one token read (tests only; nothing in other builds).
#[inline(always)]
pub(super) fn step() {
    #[cfg(test)]
    STEPS.with(|s| s.set(s.get() + 1));
}

fn digits_value(s: &str) -> f64 {
    // Parsing ASCII digits cannot fail except for absurd lengths (then inf).
    s.parse::<f64>().unwrap_or(f64::INFINITY)
}

fn parse_digits(lower: &str, toks: &[Token], i: usize) -> Num {
    let first = token_text(lower, &toks[i]);
    let first_len = first.len();
    let (mut value, mut j, separated) = if first_len <= 3 {
        thousands_groups(lower, toks, i, digits_value(first))
    } else {
        (digits_value(first), i + 1, false)
    };
    // Decimal part: "1.5", glued on both sides.
    let mut frac_digits = 0;
    if j + 1 < toks.len()
        && token_text(lower, &toks[j]) == "."
        && toks[j].glued
        && toks[j + 1].kind == TokenKind::Digits
        && toks[j + 1].glued
    {
        let frac = token_text(lower, &toks[j + 1]);
        let digits = frac.len().min(15);
        let frac_value = digits_value(&frac[..digits]) / 10f64.powi(digits as i32);
        value += frac_value;
        frac_digits = digits;
        j += 2;
    }
    let decimal = frac_digits > 0;
    let unscaled = value;
    let (scaled_value, factor, end) = scales(lower, toks, j, value);
    let scaled = end > j;
    value = scaled_value;
    j = end;
    // "512.2 thousand" is 512,200 exactly: the decimal fraction times the
    // scale is a whole number of scale / 10^digits units, which binary
    // floating point misses by a hair.
    if scaled && decimal {
        let unit = factor / 10f64.powi(frac_digits as i32);
        if unit >= 1.0 && unit.is_finite() {
            value = (value / unit).round() * unit;
        }
    }
    // "3 million-strong" keeps the hyphen for the caller.
    Num {
        value,
        unscaled,
        start: i,
        end: j,
        digits: true,
        separated,
        decimal,
        scaled,
        vague: false,
        first_len,
    }
}

/// The groups of three digits after a first group of one to three
/// (`value`) at token `i`: "11,000,000" (commas, all glued) or "11 000"
/// (one space each). Returns the value, the token after it and whether
/// there were groups.
fn thousands_groups(lower: &str, toks: &[Token], i: usize, mut value: f64) -> (f64, usize, bool) {
    let mut j = i + 1;
    let mut separated = false;
    // "11,000,000": comma groups of exactly three digits, all glued.
    while j + 1 < toks.len()
        && token_text(lower, &toks[j]) == ","
        && toks[j].glued
        && toks[j + 1].kind == TokenKind::Digits
        && toks[j + 1].glued
        && toks[j + 1].end - toks[j + 1].start == 3
        && !(j + 2 < toks.len() && toks[j + 2].kind == TokenKind::Digits && toks[j + 2].glued)
    {
        value = value * 1000.0 + digits_value(token_text(lower, &toks[j + 1]));
        separated = true;
        j += 2;
    }
    // "11 000": groups of three separated by one space, when no comma
    // seen; but "40 170mm howitzers" is a count and a calibre.
    if !separated {
        while j < toks.len()
            && toks[j].kind == TokenKind::Digits
            && toks[j].one_space
            && toks[j].end - toks[j].start == 3
            && !toks
                .get(j + 1)
                .is_some_and(|t| t.glued && t.kind == TokenKind::Word)
        {
            value = value * 1000.0 + digits_value(token_text(lower, &toks[j]));
            separated = true;
            j += 1;
        }
    }
    (value, j, separated)
}

/// The scale after a number from token `j`: a glued suffix ("10k", "2bn")
/// and spaced scale words ("1.5 million", "two hundred thousand").
/// Returns `value` times each scale in turn, the product of the scales
/// (exact: whole numbers; 1 when none) and the token after them.
fn scales(lower: &str, toks: &[Token], mut j: usize, mut value: f64) -> (f64, f64, usize) {
    let mut factor = 1.0;
    if j < toks.len()
        && toks[j].kind == TokenKind::Word
        && toks[j].glued
        && let Some(s) = scale_suffix(token_text(lower, &toks[j]))
    {
        value *= s;
        factor *= s;
        j += 1;
    }
    while j < toks.len() && toks[j].kind == TokenKind::Word && !toks[j].newline {
        match scale_word(token_text(lower, &toks[j])) {
            Some(s) if !toks[j].glued => {
                value *= s;
                factor *= s;
                j += 1;
            }
            _ => break,
        }
    }
    (value, factor, j)
}

fn parse_words(lower: &str, toks: &[Token], i: usize) -> Option<Num> {
    let w = token_text(lower, &toks[i]);
    // The first word may open a line ("…overnight.\nEight journalists");
    // a newline after it ends the number.
    let word_at = |k: usize| -> &str {
        match toks.get(k) {
            Some(t) if t.kind == TokenKind::Word && (k == i || !t.newline) => token_text(lower, t),
            _ => "",
        }
    };
    if w == "half" {
        return half(i, word_at);
    }
    if let Some(base) = vague_plural(w) {
        return vague(w, base, i, word_at);
    }
    number_words(lower, toks, i, word_at)
}

/// "half a million", "half a dozen", "half million".
fn half<'a>(i: usize, word_at: impl Fn(usize) -> &'a str) -> Option<Num> {
    if matches!(word_at(i + 1), "a" | "an") {
        let s = scale_word(word_at(i + 2)).filter(|s| *s >= 1e3 || *s == 12.0)?;
        return Some(word_num(0.5 * s, i, i + 3, false));
    }
    let s = scale_word(word_at(i + 1)).filter(|s| *s >= 1e3)?;
    Some(word_num(0.5 * s, i, i + 2, false))
}

/// Vague plurals: "dozens of", "tens of thousands of" (`w`, worth `base`,
/// at token `i`).
fn vague<'a>(w: &str, base: f64, i: usize, word_at: impl Fn(usize) -> &'a str) -> Option<Num> {
    let mut value = 2.0 * base;
    let mut j = i + 1;
    let mut multiplied = false;
    while word_at(j) == "of"
        && let Some(b) = vague_plural(word_at(j + 1)).filter(|b| *b >= 1e3)
    {
        value *= b;
        multiplied = true;
        j += 2;
    }
    if w == "tens" && !multiplied {
        return None;
    }
    if word_at(j) != "of" {
        return None;
    }
    Some(Num {
        vague: true,
        ..word_num(value, i, j, false)
    })
}

/// Number words proper: "thirty-three", "two hundred thousand", "a dozen",
/// "one hundred and five".
fn number_words<'a>(
    lower: &str,
    toks: &[Token],
    i: usize,
    word_at: impl Fn(usize) -> &'a str,
) -> Option<Num> {
    let mut total = 0.0;
    let mut current = 0.0;
    let mut any = false;
    let mut j = i;
    let mut last_was_unit = false;
    let mut after_tens = false;
    loop {
        let w = word_at(j);
        if w.is_empty() {
            break;
        }
        if (w == "a" || w == "an") && j == i {
            // "a dozen", "a hundred", "a million": the article stands for one.
            let next = word_at(j + 1);
            if next == "dozen" || scale_word(next).is_some() {
                current = 1.0;
                j += 1;
                continue;
            }
            return None;
        }
        if let Some(v) = unit_word(w) {
            // "thirty three": a units word may follow a bare tens word.
            let follows_tens = after_tens && v > 0.0 && v < 10.0;
            if last_was_unit && !follows_tens {
                break;
            }
            current += v;
            any = true;
            last_was_unit = true;
            after_tens = false;
            j += 1;
            continue;
        }
        if let Some(v) = tens_word(w) {
            if last_was_unit {
                break;
            }
            current += v;
            any = true;
            j += 1;
            // "twenty-five"
            if j + 1 < toks.len()
                && token_text(lower, &toks[j]) == "-"
                && toks[j].glued
                && toks[j + 1].glued
                && let Some(u) = unit_word(word_at(j + 1)).filter(|u| *u < 10.0 && *u > 0.0)
            {
                current += u;
                j += 2;
                after_tens = false;
            } else {
                after_tens = true;
            }
            last_was_unit = true;
            continue;
        }
        if w == "dozen" && (any || current > 0.0) {
            current *= 12.0;
            any = true;
            last_was_unit = false;
            j += 1;
            continue;
        }
        if let Some(s) = scale_word(w) {
            if !(any || current > 0.0) {
                break;
            }
            if s == 100.0 {
                current = current.max(1.0) * 100.0;
            } else {
                total += current.max(1.0) * s;
                current = 0.0;
            }
            any = true;
            last_was_unit = false;
            j += 1;
            continue;
        }
        if w == "and" && any && !last_was_unit {
            let next = word_at(j + 1);
            if unit_word(next).is_some() || tens_word(next).is_some() {
                j += 1;
                continue;
            }
        }
        break;
    }
    if !any {
        return None;
    }
    Some(word_num(total + current, i, j, false))
}

fn word_num(value: f64, start: usize, end: usize, digits: bool) -> Num {
    Num {
        value,
        unscaled: value,
        start,
        end,
        digits,
        separated: false,
        decimal: false,
        scaled: false,
        vague: false,
        first_len: 0,
    }
}

/// Parses a whole string as one number (for tests and the eval example).
pub fn parse_number(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    let toks = tokenize(text);
    let n = parse(&lower, &toks, 0)?;
    (n.end == toks.len()).then_some(n.value)
}
