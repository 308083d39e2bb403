//! Showing URLs and text without the secrets in them.
//!
//! A URL in the config may carry credentials (`https://user:pass@…`,
//! `?token=…`); wherever one is shown (logs, `check`, the status page,
//! stored errors, alerts) it goes through [`url()`](fn@url), which drops the userinfo
//! and blanks the values of query parameters whose names look secret. A
//! secret may also travel in another form than the one configured (base64
//! in `AUTH PLAIN` or `Authorization: Basic`, percent-encoded in a URL, a
//! Slack URL's path echoed without its host): [`forms`] lists the forms
//! [`text`] replaces.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use url::Url;

/// What a redacted value is shown as.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not searched for: replacing them would
/// mangle text while hiding next to nothing.
const MIN_SECRET_CHARS: usize = 4;

/// Path segments at least this long in a secret URL count as tokens.
const MIN_TOKEN_SEGMENT_CHARS: usize = 16;

/// Whether a query parameter's name looks like it carries a secret.
pub fn is_secret_param(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "token",
        "secret",
        "pass",
        "pwd",
        "auth",
        "key",
        "sig",
        "credential",
        "session",
        "code",
    ]
    .iter()
    .any(|marker| name.contains(marker))
}

/// `url` as it may be shown: no userinfo, and `[redacted]` for the value of
/// every query parameter whose name looks secret.
pub fn url(url: &Url) -> String {
    let has_userinfo = !url.username().is_empty() || url.password().is_some();
    let has_secret_param = url.query_pairs().any(|(name, _)| is_secret_param(&name));
    if !has_userinfo && !has_secret_param {
        return url.to_string();
    }
    let mut shown = url.clone();
    // Only URLs with a host carry userinfo, and for those these cannot fail.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    if has_secret_param && let Some(query) = url.query() {
        let kept: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if is_secret_param(&percent_decode(name)) => {
                    format!("{name}={REDACTED}")
                }
                _ => pair.to_owned(),
            })
            .collect();
        shown.set_query(Some(&kept.join("&")));
    }
    // `[` and `]` in a query are shown as written.
    shown.to_string().replace("%5Bredacted%5D", REDACTED)
}

/// `text` that may be a URL, shown like [`url()`](fn@url); other text unchanged.
pub fn url_text(text: &str) -> String {
    match Url::parse(text) {
        Ok(parsed) if parsed.has_host() => url(&parsed),
        _ => text.to_owned(),
    }
}

/// `text` with every URL in it shown like [`url()`](fn@url): for messages that
/// embed URLs (errors, redirect chains).
pub fn urls_in(text: &str) -> String {
    if !text.contains('@') && !text.contains('?') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_url_start(rest) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')'))
            .unwrap_or(tail.len());
        // A URL at the end of a sentence: its trailing punctuation stays text.
        let candidate = tail[..end].trim_end_matches([',', '.', ';', ':']);
        out.push_str(&url_text(candidate));
        rest = &tail[candidate.len()..];
    }
    out.push_str(rest);
    out
}

fn find_url_start(text: &str) -> Option<usize> {
    let http = text.find("http://");
    let https = text.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The forms `secret` may travel in: itself, percent-encoded, and base64
/// (standard and URL-safe, with and without padding). Empty for a secret
/// too short to search for.
pub fn forms(secret: &str) -> Vec<String> {
    if secret.chars().count() < MIN_SECRET_CHARS {
        return Vec::new();
    }
    let mut forms = vec![secret.to_owned()];
    let encoded: String =
        url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>();
    forms.push(encoded.replace('+', "%20"));
    forms.push(encoded);
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        forms.push(engine.encode(secret.as_bytes()));
    }
    forms.sort();
    forms.dedup();
    forms
}

/// The parts of a secret URL (a Slack or Discord webhook, a URL with a
/// token) that are secrets on their own: the URL, its password, its path,
/// long path segments and the query's values.
pub fn url_secrets(secret_url: &str) -> Vec<String> {
    let mut secrets = vec![secret_url.to_owned()];
    if let Ok(parsed) = Url::parse(secret_url) {
        if let Some(password) = parsed.password() {
            secrets.push(password.to_owned());
        }
        let path = parsed.path();
        if path.len() > 1 {
            secrets.push(path.to_owned());
            secrets.push(path.trim_start_matches('/').to_owned());
        }
        if let Some(segments) = parsed.path_segments() {
            secrets.extend(
                segments
                    .filter(|segment| segment.len() >= MIN_TOKEN_SEGMENT_CHARS)
                    .map(str::to_owned),
            );
        }
        secrets.extend(
            parsed
                .query_pairs()
                .map(|(_, value)| value.into_owned())
                .filter(|value| value.len() >= MIN_SECRET_CHARS),
        );
    }
    secrets
}

/// `text` with every form of every secret replaced by `[redacted]`,
/// longest first, so a secret inside another is not half replaced.
pub fn text(text: &str, secrets: &[&str]) -> String {
    let mut all: Vec<String> = secrets.iter().flat_map(|secret| forms(secret)).collect();
    all.sort_by_key(|form| std::cmp::Reverse(form.len()));
    all.dedup();
    let mut text = text.to_owned();
    for form in all {
        if text.contains(&form) {
            text = text.replace(&form, REDACTED);
        }
    }
    text
}

fn percent_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("{text}=").as_bytes())
        .next()
        .map(|(name, _)| name.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use url::Url;

    #[track_caller]
    fn check(input: &str, expected: &str) {
        assert_eq!(super::url(&Url::parse(input).unwrap()), expected);
    }

    #[test]
    fn urls_are_shown_without_userinfo_and_secret_parameters() {
        check(
            "https://user:hunter22@news.example/feed.xml",
            "https://news.example/feed.xml",
        );
        check(
            "https://news.example/feed.xml?lang=en&token=abc123&api_key=k&section=asia",
            "https://news.example/feed.xml?lang=en&token=[redacted]&api_key=[redacted]&section=asia",
        );
        check(
            "https://news.example/feed.xml?lang=en",
            "https://news.example/feed.xml?lang=en",
        );
        check(
            "https://news.example/a#entry-1",
            "https://news.example/a#entry-1",
        );
    }

    #[test]
    fn urls_inside_text_are_redacted() {
        assert_eq!(
            super::urls_in(
                "http://u:p@a.example/feed: redirect to https://b.example/x?sig=zz, then stop"
            ),
            "http://a.example/feed: redirect to https://b.example/x?sig=[redacted], then stop"
        );
        assert_eq!(super::urls_in("no url here"), "no url here");
    }

    #[test]
    fn derived_forms_of_a_secret_are_redacted() {
        let secret = "s3cret/with+chars";
        let auth_plain = STANDARD.encode("\0alice\0s3cret/with+chars");
        let shown = super::text(
            &format!(
                "raw {secret} pct s3cret%2Fwith%2Bchars b64 {} plain {auth_plain}",
                STANDARD.encode(secret)
            ),
            &[secret, "\0alice\0s3cret/with+chars"],
        );
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(!shown.contains(&STANDARD.encode(secret)), "{shown}");
        assert!(!shown.contains(&auth_plain), "{shown}");
        assert_eq!(shown.matches("[redacted]").count(), 4, "{shown}");
    }

    #[test]
    fn a_slack_url_path_and_token_count_as_secrets() {
        let secrets = super::url_secrets(
            "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX",
        );
        let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let shown = super::text(
            "invalid_token for /services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX and XXXXXXXXXXXXXXXXXXXXXXXX",
            &refs,
        );
        assert!(!shown.contains("XXXXXXXX"), "{shown}");
    }
}
