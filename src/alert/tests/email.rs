//! The email sink against a minimal SMTP server on 127.0.0.1.

use super::*;
use crate::config::{Email, EmailTls};
use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One SMTP session as the server saw it.
#[derive(Debug, Default)]
struct Session {
    commands: Vec<String>,
    data: String,
}

/// Accepts one connection and speaks just enough SMTP to take one message;
/// with `reject_data`, the message is refused with a 554.
#[allow(
    clippy::disallowed_methods,
    reason = "a test server that lives as long as the test's runtime"
)]
async fn smtp_server(reject_data: bool) -> (u16, tokio::sync::oneshot::Receiver<Session>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("local address").port();
    let (sender, receiver) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.expect("accept");
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut session = Session::default();
        write
            .write_all(b"220 mail.test ESMTP ready\r\n")
            .await
            .expect("greet");
        while let Ok(Some(line)) = lines.next_line().await {
            session.commands.push(line.clone());
            let verb = line
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250-mail.test\r\n250 8BITMIME\r\n",
                "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                "DATA" => {
                    write.write_all(b"354 go ahead\r\n").await.expect("354");
                    while let Ok(Some(data_line)) = lines.next_line().await {
                        if data_line == "." {
                            break;
                        }
                        session.data.push_str(&data_line);
                        session.data.push('\n');
                    }
                    if reject_data {
                        b"554 5.7.1 message rejected as spam\r\n"
                    } else {
                        b"250 queued\r\n"
                    }
                }
                "QUIT" => {
                    write.write_all(b"221 bye\r\n").await.expect("221");
                    break;
                }
                _ => b"502 not implemented\r\n",
            };
            write.write_all(reply).await.expect("reply");
        }
        let _ = sender.send(session);
    });
    (port, receiver)
}

fn email_sink(port: u16) -> config::Sink {
    sink(
        "mail",
        SinkKind::Email(Email {
            host: String::from("127.0.0.1"),
            port,
            tls: EmailTls::None,
            username: None,
            password: None,
            from: String::from("figwatch <figwatch@desk.example>"),
            to: vec![
                String::from("analyst@desk.example"),
                String::from("editor@desk.example"),
            ],
            cc: vec![String::from("archive@desk.example")],
        }),
    )
}

/// The text of a MIME part: its body after the blank line, decoded.
#[track_caller]
fn part_text(data: &str, content_type: &str) -> String {
    let start = data
        .find(&format!("Content-Type: {content_type}"))
        .unwrap_or_else(|| panic!("no {content_type} part in {data}"));
    let part = &data[start..];
    let (headers, rest) = part.split_once("\n\n").expect("part headers end");
    let body = rest.split("\n--").next().unwrap_or("");
    if headers.contains("Content-Transfer-Encoding: base64") {
        let joined: String = body.lines().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .expect("base64 part");
        String::from_utf8(bytes).expect("UTF-8 part")
    } else if headers.contains("Content-Transfer-Encoding: quoted-printable") {
        let bytes = quoted_printable::decode(
            body.replace('\n', "\r\n"),
            quoted_printable::ParseMode::Robust,
        )
        .expect("quoted-printable part");
        String::from_utf8(bytes)
            .expect("UTF-8 part")
            .replace("\r\n", "\n")
    } else {
        body.to_owned()
    }
}

/// The Subject header, its RFC 2047 encoded words decoded.
#[track_caller]
fn subject(data: &str) -> String {
    let mut lines = data
        .lines()
        .skip_while(|line| !line.starts_with("Subject: "));
    let mut value = lines
        .next()
        .expect("Subject header")
        .trim_start_matches("Subject: ")
        .to_owned();
    for continuation in lines.take_while(|line| line.starts_with(' ') || line.starts_with('\t')) {
        value.push_str(continuation);
    }
    value
        .split_whitespace()
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            if lower.starts_with("=?utf-8?b?") && word.ends_with("?=") {
                let encoded = &word[10..word.len() - 2];
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .expect("base64 word");
                String::from_utf8(bytes).expect("UTF-8 word")
            } else {
                word.to_owned()
            }
        })
        .collect()
}

#[tokio::test]
async fn email_sends_plain_and_html_parts_to_every_recipient() {
    let (port, session) = smtp_server(false).await;
    let sinks = Sinks::new(&[email_sink(port)], WAIT);
    let alert = changed_alert();
    sinks.send("mail", &alert).await.expect("mail accepted");
    let session = tokio::time::timeout(WAIT, session)
        .await
        .expect("in time")
        .expect("session");

    let recipients: Vec<&String> = session
        .commands
        .iter()
        .filter(|line| line.starts_with("RCPT TO"))
        .collect();
    assert_eq!(recipients.len(), 3, "{:?}", session.commands);
    assert!(
        session
            .commands
            .iter()
            .any(|line| line == "MAIL FROM:<figwatch@desk.example>"),
        "{:?}",
        session.commands
    );
    assert!(session.commands.iter().any(|line| line == "QUIT"));

    let data = &session.data;
    assert!(
        data.contains("To: analyst@desk.example, editor@desk.example"),
        "{data}"
    );
    assert!(data.contains("Cc: archive@desk.example"), "{data}");
    assert!(
        data.contains("Content-Type: multipart/alternative"),
        "{data}"
    );
    // Encoded words are split anywhere; joined, they are the title without spaces.
    assert_eq!(
        subject(data),
        crate::alert::message(&alert)
            .title
            .split_whitespace()
            .collect::<String>()
    );

    let plain = part_text(data, "text/plain");
    assert_eq!(plain.trim_end(), crate::alert::message(&alert).text());
    let html = part_text(data, "text/html");
    assert!(html.contains(&format!("<a href=\"{NEW_URL}\">nk-russia · artillery: more than 160 → more than 200 (+40, +25%)</a>")), "{html}");
    assert!(
        html.contains("<blockquote>Seoul&#39;s intelligence service says Pyongyang"),
        "{html}"
    );
    assert!(html.contains("Korea Daily, 2025-02-11 — "), "{html}");
}

#[tokio::test]
async fn rejected_mail_is_an_error_with_the_server_reply() {
    let (port, session) = smtp_server(true).await;
    let sinks = Sinks::new(&[email_sink(port)], WAIT);
    let err = sinks.send("mail", &changed_alert()).await.expect_err("554");
    let _ = tokio::time::timeout(WAIT, session).await;
    assert!(matches!(err, Error::Email { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(shown.starts_with("sink mail: mail not sent: "), "{shown}");
    assert!(shown.contains("rejected as spam"), "{shown}");
}

#[tokio::test]
async fn unreachable_mail_server_is_an_error() {
    let url = closed_port_url("").await;
    let port: u16 = url
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .expect("port");
    let sinks = Sinks::new(&[email_sink(port)], WAIT);
    let err = sinks
        .send("mail", &changed_alert())
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, Error::Email { .. }), "{err:?}");
}

#[tokio::test]
async fn bad_addresses_are_a_setup_error() {
    let mut mail = email_sink(25);
    if let SinkKind::Email(settings) = &mut mail.kind {
        settings.to = vec![String::from("not an address")];
    }
    let sinks = Sinks::new(&[mail], WAIT);
    let err = sinks
        .send("mail", &changed_alert())
        .await
        .expect_err("bad address");
    assert!(matches!(err, Error::Setup { .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert!(
        err.to_string()
            .contains("\"not an address\" is not a usable email address"),
        "{err}"
    );
}

#[tokio::test]
async fn starttls_is_required_when_configured() {
    // The test server does not offer STARTTLS: the mail must not go out in
    // plain text instead.
    let (port, session) = smtp_server(false).await;
    let mut mail = email_sink(port);
    if let SinkKind::Email(settings) = &mut mail.kind {
        settings.tls = EmailTls::Starttls;
    }
    let sinks = Sinks::new(&[mail], WAIT);
    let err = sinks
        .send("mail", &changed_alert())
        .await
        .expect_err("no STARTTLS");
    assert!(matches!(err, Error::Email { .. }), "{err:?}");
    // Said once, with what to do about it.
    let text = err.to_string();
    let said = text.matches("STARTTLS is not supported").count();
    assert_eq!(said, 1, "{text}");
    assert!(text.contains("tls = \"none\""), "{text}");
    if let Ok(Ok(session)) = tokio::time::timeout(WAIT, session).await {
        assert!(session.data.is_empty(), "the message went out unencrypted");
        assert!(
            !session.commands.iter().any(|line| line.starts_with("MAIL")),
            "{:?}",
            session.commands
        );
    }
}
