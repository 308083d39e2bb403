//! The HTTP sinks against receivers on 127.0.0.1: webhook (with its HMAC),
//! ntfy, slack, discord; failures and secrets.

use super::*;
use crate::alert::{message, to_json};
use base64::Engine as _;
use hmac::{KeyInit, Mac};
use std::collections::BTreeMap;

const SIGNING_KEY: &str = "whsec-k3y-only-the-receiver-knows";

fn webhook(url_text: &str, secret_value: Option<&str>) -> config::Sink {
    let mut headers = BTreeMap::new();
    headers.insert(String::from("X-Team"), String::from("research"));
    headers.insert(String::from("X-Figwatch-Alert-Id"), String::from("forged"));
    sink(
        "hook",
        SinkKind::Webhook {
            secret_headers: Default::default(),
            url: url(url_text),
            secret: secret_value.map(secret),
            headers,
        },
    )
}

#[tokio::test]
async fn webhook_posts_the_alert_json_signed_with_hmac() {
    let mut receiver = Receiver::start(StatusCode::NO_CONTENT, "").await;
    let sinks = Sinks::new(
        &[webhook(
            &format!("{}/alerts", receiver.url),
            Some(SIGNING_KEY),
        )],
        WAIT,
    );
    let alert = changed_alert();
    let before = Utc::now().timestamp();
    sinks.send("hook", &alert).await.expect("delivered");
    let request = receiver.next().await;

    assert_eq!(request.uri.path(), "/alerts");
    assert_eq!(request.header("content-type"), "application/json");
    assert_eq!(request.body.as_ref(), to_json(&alert).as_bytes());
    assert_eq!(request.json()["change"]["relative"], 0.25);
    assert_eq!(request.header("x-team"), "research");
    assert_eq!(
        request
            .headers
            .get_all("x-figwatch-alert-id")
            .iter()
            .collect::<Vec<_>>(),
        ["01JKZ3M7Q8X4T2B6N9C5D1F0GH"],
        "the config cannot forge figwatch's own headers"
    );
    let timestamp: i64 = request
        .header("x-figwatch-timestamp")
        .parse()
        .expect("unix seconds");
    assert!(timestamp >= before && timestamp <= Utc::now().timestamp());

    // Verify as a receiver would: HMAC-SHA256 over the raw body.
    let signature = request.header("x-figwatch-signature");
    let hex_digest = signature.strip_prefix("sha256=").expect("sha256= prefix");
    let digest = hex::decode(hex_digest).expect("hex");
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(SIGNING_KEY.as_bytes()).expect("key");
    mac.update(&request.body);
    mac.verify_slice(&digest).expect("signature verifies");
    // A different key does not verify.
    let mut wrong = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"another key").expect("key");
    wrong.update(&request.body);
    assert!(wrong.verify_slice(&digest).is_err());
}

#[test]
fn signature_matches_a_known_hmac_vector() {
    // RFC 4231 test case 2.
    assert_eq!(
        crate::alert::signature(b"Jefe", b"what do ya want for nothing?"),
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[tokio::test]
async fn webhook_without_secret_sends_no_signature() {
    let mut receiver = Receiver::start(StatusCode::OK, "ok").await;
    let hook = webhook(&receiver.url, None);
    let request = receiver.sent(hook, &changed_alert()).await;
    assert!(request.headers.get("x-figwatch-signature").is_none());
    assert_eq!(
        request.header("x-figwatch-alert-id"),
        "01JKZ3M7Q8X4T2B6N9C5D1F0GH"
    );
}

#[tokio::test]
async fn webhook_500_is_an_error_with_status_and_body() {
    let mut receiver =
        Receiver::start(StatusCode::INTERNAL_SERVER_ERROR, "database\n   is down").await;
    let sinks = Sinks::new(&[webhook(&receiver.url, Some(SIGNING_KEY))], WAIT);
    let err = sinks
        .send("hook", &changed_alert())
        .await
        .expect_err("500 fails");
    let _ = receiver.next().await;
    match &err {
        Error::Status { sink, status, body } => {
            assert_eq!(sink, "hook");
            assert_eq!(*status, 500);
            assert_eq!(body, "database is down");
        }
        other => panic!("expected a status error, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "sink hook: receiver answered HTTP 500: database is down"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn webhook_errors_tell_connect_from_timeout() {
    let sinks = Sinks::new(&[webhook(&closed_port_url("/alerts").await, None)], WAIT);
    let err = sinks
        .send("hook", &changed_alert())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("sink hook: cannot connect: "),
        "{err}"
    );

    let silent = Receiver::silent().await;
    let sinks = Sinks::new(&[webhook(&silent, None)], Duration::from_millis(300));
    let err = sinks
        .send("hook", &changed_alert())
        .await
        .expect_err("no answer");
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(err.to_string(), "sink hook: timed out after 300ms");
}

#[tokio::test]
async fn webhook_with_an_invalid_header_is_a_setup_error() {
    let mut headers = BTreeMap::new();
    headers.insert(
        String::from("X-Key"),
        String::from("line\nbreak-secret-value"),
    );
    let sinks = Sinks::new(
        &[sink(
            "hook",
            SinkKind::Webhook {
                secret_headers: Default::default(),
                url: url("http://127.0.0.1:9/"),
                secret: None,
                headers,
            },
        )],
        WAIT,
    );
    let err = sinks
        .send("hook", &changed_alert())
        .await
        .expect_err("bad header");
    assert!(matches!(err, Error::Setup { .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert!(
        !format!("{err} {err:?}").contains("break-secret-value"),
        "{err:?}"
    );
}

fn ntfy(
    url_text: &str,
    token: Option<&str>,
    username: Option<&str>,
    password: Option<&str>,
) -> config::Sink {
    sink(
        "phone",
        SinkKind::Ntfy {
            url: url(url_text),
            token: token.map(secret),
            username: username.map(String::from),
            password: password.map(secret),
            priority: Some(4),
            tags: vec![String::from("warning"), String::from("chart")],
            update_in_place: true,
        },
    )
}

/// ntfy's RFC 2047 header, decoded.
#[track_caller]
fn decode_encoded_word(value: &str) -> String {
    let Some(encoded) = value
        .strip_prefix("=?UTF-8?B?")
        .and_then(|value| value.strip_suffix("?="))
    else {
        return value.to_owned();
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64");
    String::from_utf8(bytes).expect("UTF-8")
}

#[tokio::test]
async fn ntfy_sends_title_priority_tags_click_and_token() {
    let mut receiver = Receiver::start(StatusCode::OK, "{}").await;
    let sinks = Sinks::new(
        &[ntfy(
            &format!("{}/nk-watch", receiver.url),
            Some("tk_0123456789"),
            None,
            None,
        )],
        WAIT,
    );
    let alert = changed_alert();
    sinks.send("phone", &alert).await.expect("delivered");
    let request = receiver.next().await;
    let expected = message(&alert);

    assert_eq!(request.uri.path(), "/nk-watch");
    assert_eq!(decode_encoded_word(request.header("title")), expected.title);
    assert_eq!(request.header("priority"), "4");
    assert_eq!(request.header("tags"), "warning,chart");
    assert_eq!(request.header("click"), NEW_URL);
    assert_eq!(request.header("authorization"), "Bearer tk_0123456789");
    assert_eq!(String::from_utf8_lossy(&request.body), expected.body);
}

#[tokio::test]
async fn ntfy_replaces_a_figures_notification_unless_told_not_to() {
    let mut receiver = Receiver::start(StatusCode::OK, "{}").await;
    let mut stacking = ntfy(&format!("{}/stack", receiver.url), None, None, None);
    stacking.name = String::from("stack");
    if let SinkKind::Ntfy {
        update_in_place, ..
    } = &mut stacking.kind
    {
        *update_in_place = false;
    }
    let sinks = Sinks::new(
        &[
            ntfy(&format!("{}/nk-watch", receiver.url), None, None, None),
            stacking,
        ],
        WAIT,
    );
    let alert = changed_alert();
    sinks.send("phone", &alert).await.expect("delivered");
    let figure_alert = receiver.next().await;
    let expected = format!("figwatch_{}_{}", alert.watch, alert.figure.clone().unwrap());
    assert_eq!(figure_alert.header("x-sequence-id"), expected);
    // An alert about no figure stacks; so does every alert of a sink with
    // update_in_place = false.
    sinks
        .send("phone", &Alert::test("phone"))
        .await
        .expect("delivered");
    assert!(!receiver.next().await.headers.contains_key("x-sequence-id"));
    sinks.send("stack", &alert).await.expect("delivered");
    assert!(!receiver.next().await.headers.contains_key("x-sequence-id"));
}

#[tokio::test]
async fn ntfy_uses_basic_auth_with_username_and_password() {
    let mut receiver = Receiver::start(StatusCode::OK, "{}").await;
    let phone = ntfy(&receiver.url, None, Some("analyst"), Some("pa55-word"));
    let request = receiver.sent(phone, &text_alert(Kind::Test, "ping")).await;
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("analyst:pa55-word")
    );
    assert_eq!(request.header("authorization"), expected);
    assert!(
        request.headers.get("click").is_none(),
        "a test alert links nowhere"
    );
    assert_eq!(
        decode_encoded_word(request.header("title")),
        "figwatch · test alert"
    );
    assert_eq!(String::from_utf8_lossy(&request.body), "ping");
}

#[tokio::test]
async fn secrets_never_appear_in_errors() {
    // A server that echoes the credentials back in its error page.
    let mut receiver = Receiver::start(
        StatusCode::INTERNAL_SERVER_ERROR,
        "bad credentials: {authorization}",
    )
    .await;
    let err = send_error(ntfy(&receiver.url, Some("tk_sup3r-s3cret"), None, None)).await;
    let _ = receiver.next().await;
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("500"), "{shown}");
    assert!(
        shown.contains("bad credentials: Bearer [redacted]"),
        "{shown}"
    );
    assert!(!shown.contains("tk_sup3r-s3cret"), "{shown}");

    // Refusing them (401, 403), its body is not kept at all.
    let mut receiver =
        Receiver::start(StatusCode::UNAUTHORIZED, "bad credentials: {authorization}").await;
    let err = send_error(ntfy(&receiver.url, Some("tk_sup3r-s3cret"), None, None)).await;
    let _ = receiver.next().await;
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("401"), "{shown}");
    assert!(!shown.contains("bad credentials"), "{shown}");

    // A slack URL is itself the secret; a connect error must not show it.
    let slack_url = closed_port_url("/services/T0000/B0000/hookkey-abcdef123456").await;
    let sinks = Sinks::new(
        &[sink(
            "chat",
            SinkKind::Slack {
                url: secret(&slack_url),
            },
        )],
        WAIT,
    );
    let err = sinks
        .send("chat", &changed_alert())
        .await
        .expect_err("nothing listens");
    let shown = format!("{err} {err:?} {sinks:?}");
    assert!(shown.contains("sink chat"), "{shown}");
    assert!(!shown.contains("hookkey-abcdef123456"), "{shown}");

    // Nor the webhook's signing key, nor the Debug of the sinks.
    let sinks = Sinks::new(
        &[webhook(&closed_port_url("/").await, Some(SIGNING_KEY))],
        WAIT,
    );
    let err = sinks
        .send("hook", &changed_alert())
        .await
        .expect_err("nothing listens");
    let shown = format!("{err} {err:?} {sinks:?}");
    assert!(!shown.contains(SIGNING_KEY), "{shown}");
}

#[tokio::test]
async fn slack_gets_a_linked_title_the_quote_and_the_source() {
    let mut receiver = Receiver::start(StatusCode::OK, "ok").await;
    let slack = SinkKind::Slack {
        url: secret(&format!("{}/services/T1/B2/c3", receiver.url)),
    };
    let request = receiver.sent(sink("chat", slack), &changed_alert()).await;
    assert_eq!(request.uri.path(), "/services/T1/B2/c3");
    assert_eq!(request.header("content-type"), "application/json");
    let payload = request.json();
    let text = payload["text"].as_str().expect("text");
    assert_eq!(
        text,
        "*<https://news.example/world/2025/02/11/shells-and-guns|nk-russia · artillery: more than 160 → more than 200 (+40, +25%)>*\n\
         >Seoul's intelligence service says Pyongyang has now shipped more than 200 long-range artillery pieces to Moscow.\n\
         _Korea Daily, 2025-02-11_"
    );
    assert_eq!(payload["unfurl_links"], false);
}

#[test]
fn slack_escapes_its_control_characters() {
    let payload = crate::alert::chat::slack_payload(&text_alert(Kind::Test, "a <b> & c"), None);
    assert_eq!(
        payload["text"],
        "*figwatch · test alert*\na &lt;b&gt; &amp; c"
    );
}

#[tokio::test]
async fn discord_gets_content_and_an_embed_linking_the_article() {
    let mut receiver = Receiver::start(StatusCode::NO_CONTENT, "").await;
    let discord = SinkKind::Discord {
        url: secret(&format!("{}/api/webhooks/1/tok", receiver.url)),
    };
    let request = receiver
        .sent(sink("guild", discord), &changed_alert())
        .await;
    let payload = request.json();
    assert_eq!(
        payload["content"],
        "**nk-russia · artillery: more than 160 → more than 200 (+40, +25%)**"
    );
    assert_eq!(payload["allowed_mentions"]["parse"], serde_json::json!([]));
    let embed = &payload["embeds"][0];
    assert_eq!(embed["url"], NEW_URL);
    assert_eq!(
        embed["title"],
        "Pyongyang ships more guns and soldiers to Moscow"
    );
    assert_eq!(
        embed["description"],
        "\"Seoul's intelligence service says Pyongyang has now shipped more than 200 long-range artillery pieces to Moscow.\"\nKorea Daily, 2025-02-11"
    );
    assert_eq!(embed["timestamp"], "2025-02-11T09:12:00Z");
}

#[test]
fn discord_content_stays_within_2000_characters() {
    let long = "feed https://feeds.example/x.xml keeps failing: ".repeat(100);
    let payload =
        crate::alert::chat::discord_payload(&text_alert(AlertKind::FeedFailing, &long), None);
    let content = payload["content"].as_str().expect("content");
    assert!(
        content.starts_with("**figwatch · feed failing**\nfeed https"),
        "{content}"
    );
    assert_eq!(content.chars().count(), 2000);
    assert!(content.ends_with('…'));
    assert!(payload.get("embeds").is_none(), "no article, no embed");
}

#[test]
fn discord_markdown_in_article_text_is_escaped() {
    let payload = crate::alert::chat::discord_payload(
        &text_alert(Kind::Test, "*bold* _it_ `code` @everyone"),
        None,
    );
    assert_eq!(
        payload["content"],
        "**figwatch · test alert**\n\\*bold\\* \\_it\\_ \\`code\\` @everyone"
    );
}

#[test]
fn discord_masked_links_headings_and_mentions_are_escaped() {
    let payload = crate::alert::chat::discord_payload(
        &text_alert(Kind::Test, "# Big [click](https://evil.example/) <@123>"),
        None,
    );
    assert_eq!(
        payload["content"],
        "**figwatch · test alert**\n\\# Big \\[click\\](https://evil.example/) \\<@123\\>"
    );
}

#[test]
fn base64_matches_rfc_4648_vectors() {
    for (input, expected) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(
            crate::alert::ntfy::base64(input.as_bytes()),
            expected,
            "input {input:?}"
        );
    }
}

#[test]
fn ntfy_header_text_encodes_non_ascii_and_drops_controls() {
    assert_eq!(
        crate::alert::ntfy::header_text("plain\ttitle"),
        "plain title"
    );
    assert_eq!(
        crate::alert::ntfy::header_text("a→b"),
        "=?UTF-8?B?YeKGkmI=?="
    );
}

#[test]
fn ntfy_body_is_cut_at_a_char_boundary() {
    let text = "→".repeat(2000);
    let cut = crate::text::truncate_bytes(&text, 4000);
    assert!(cut.len() <= 4000);
    assert!(cut.ends_with('…'));
    assert_eq!(crate::text::truncate_bytes("short", 4000), "short");
}

#[tokio::test]
async fn ntfy_template_overrides_title_and_body_and_a_render_error_falls_back() {
    let mut receiver = Receiver::start(StatusCode::OK, "{}").await;
    let mut templated = ntfy(&receiver.url, None, None, None);
    templated.template = Some(config::Template {
        source: String::from(
            "{{ figure | upper }} now {{ current.value }} (was {{ previous.value }})\nSee {{ url }}",
        ),
    });
    let mut broken = ntfy(&receiver.url, None, None, None);
    broken.name = String::from("broken");
    // Compiles, but calling an unknown filter fails at render time.
    broken.template = Some(config::Template {
        source: String::from("{{ figure | no_such_filter }}"),
    });
    let sinks = Sinks::new(&[templated, broken], WAIT);
    let alert = changed_alert();

    sinks.send("phone", &alert).await.expect("delivered");
    let request = receiver.next().await;
    assert_eq!(
        decode_encoded_word(request.header("title")),
        "ARTILLERY now 200 (was 160)"
    );
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        format!("See {NEW_URL}")
    );
    assert_eq!(request.header("click"), NEW_URL);

    sinks.send("broken", &alert).await.expect("delivered");
    let request = receiver.next().await;
    let expected = message(&alert);
    assert_eq!(decode_encoded_word(request.header("title")), expected.title);
    assert_eq!(String::from_utf8_lossy(&request.body), expected.body);
}

#[tokio::test]
async fn every_http_sink_names_the_claimant() {
    let mut hook = Receiver::start(StatusCode::NO_CONTENT, "").await;
    let mut phone = Receiver::start(StatusCode::OK, "{}").await;
    let mut chat = Receiver::start(StatusCode::OK, "ok").await;
    let mut guild = Receiver::start(StatusCode::NO_CONTENT, "").await;
    let sinks = Sinks::new(
        &[
            webhook(&format!("{}/hook", hook.url), None),
            ntfy(&format!("{}/nk-watch", phone.url), None, None, None),
            sink(
                "chat",
                SinkKind::Slack {
                    url: secret(&format!("{}/services/T1/B2/c3", chat.url)),
                },
            ),
            sink(
                "guild",
                SinkKind::Discord {
                    url: secret(&format!("{}/api/webhooks/1/tok", guild.url)),
                },
            ),
        ],
        WAIT,
    );
    let mut alert = changed_alert();
    alert.claimant = Some(String::from("NIS"));
    if let Some(current) = alert.current.as_mut() {
        current.claimed_by = Some(String::from("NIS"));
    }
    let title = "nk-russia · NIS revised artillery: more than 160 → more than 200 (+40, +25%) — Korea Daily";
    assert_eq!(message(&alert).title, title);
    for name in ["hook", "phone", "chat", "guild"] {
        sinks.send(name, &alert).await.expect("delivered");
    }
    let json = hook.next().await.json();
    assert_eq!(json["claimant"], "NIS");
    assert_eq!(json["current"]["claimed_by"], "NIS");
    assert_eq!(json["previous"]["claimed_by"], serde_json::Value::Null);
    assert_eq!(
        decode_encoded_word(phone.next().await.header("title")),
        title
    );
    let slack = chat.next().await.json();
    assert!(
        slack["text"].as_str().expect("text").contains(title),
        "{slack}"
    );
    let discord = guild.next().await.json();
    assert_eq!(discord["content"], format!("**{title}**"));
}
