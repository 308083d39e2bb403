//! The command line: config errors, check, extract, usage.

use predicates::prelude::*;

use super::support::Workspace;

#[test]
fn invalid_config_exits_2_naming_file_line_and_column() {
    let work =
        Workspace::new("[daemon]\npoll_interval = \"often\"\n\n[[feed]]\nurl = \"not a url\"\n");
    let config = work.config();
    let config = config.to_str().unwrap();
    work.figwatch(&["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{config}:2:17: invalid duration \"often\""
        )))
        .stderr(predicate::str::contains(format!(
            "{config}:5:7: invalid feed url \"not a url\""
        )));
    // Every command that needs the config says the same.
    work.figwatch(&["once"]).assert().code(2);
}

#[test]
fn unknown_key_exits_2_with_what_was_expected() {
    let work = Workspace::new("[[feed]]\nurl = \"https://news.example/rss\"\nintervall = \"5m\"\n");
    work.figwatch(&["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(":3:1: unknown field `intervall`, expected one of `url`, `url_env`, `url_file`, `name`, `interval`, `article_selector`, `allow_private`, `allow_private_articles`"));
}

#[test]
fn missing_config_file_is_a_config_error() {
    let work = Workspace::new("");
    let mut cmd = assert_cmd::Command::cargo_bin("figwatch").unwrap();
    cmd.args(["--config"])
        .arg(work.dir.path().join("nope.toml"))
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.toml: cannot read config"));
}

#[test]
fn check_explains_the_config() {
    let work = Workspace::new(
        r#"[[feed]]
url = "https://news.example/world.rss"
interval = "10m"

[watch.nk-russia]
query = '("North Korea" OR DPRK) AND Russia'

[watch.nk-russia.figure.troops]
terms = ["troops", "soldiers"]
alert_on = "increase"
min_change = "5%"

[sink.journal]
type = "log"
"#,
    );
    work.figwatch(&["check"])
        .assert()
        .success()
        .stdout(predicate::str::contains("OK"))
        .stdout(predicate::str::contains(
            "https://news.example/world.rss every 10m",
        ))
        .stdout(predicate::str::contains(
            "figure troops: counts of [troops, soldiers]; alerts on increases of at least 5%",
        ))
        .stdout(predicate::str::contains("notifies: journal"));
}

#[test]
fn check_shows_the_claim_keys_of_each_figure() {
    let work = Workspace::new(
        r#"[watch.nk-russia]
query = '"North Korea" AND Russia'

[watch.nk-russia.figure.troops]
terms = ["troops", "soldiers"]
of = ["North Korea"]
exclude = ["civilians"]
by_source = true

[watch.nk-russia.figure.aid]
terms = ["aid"]
kind = "money"
unit = "usd"

[watch.nk-russia.figure.loans]
terms = ["loans", "$"]
"#,
    );
    work.figwatch(&["check"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "figure troops: counts of [troops, soldiers]; alerts on any change\n      of: North Korea (a number whose owner is someone else is never this figure's)\n      exclude: civilians (never a number whose noun phrase or event holds one)\n      by_source: one value per claimant",
        ))
        .stdout(predicate::str::contains(
            "figure aid: money amounts for [aid]; alerts on any change\n      kind: money, only values in USD\n",
        ))
        .stdout(predicate::str::contains(
            "kind: money, any currency (values are compared only within one); the term \"$\" only marks the kind (deprecated: write kind = \"money\" and drop it)",
        ));
}

#[test]
fn example_and_system_configs_are_valid() {
    for (path, database) in [
        ("config/figwatch.toml", "config/figwatch.db"),
        (
            "systemd/figwatch.toml",
            "database: /var/lib/figwatch/figwatch.db",
        ),
    ] {
        let config = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        assert_cmd::Command::cargo_bin("figwatch")
            .unwrap()
            .arg("--config")
            .arg(config)
            .arg("check")
            .assert()
            .success()
            .stdout(predicate::str::contains(database));
    }
}

#[test]
fn usage_error_exits_2() {
    assert_cmd::Command::cargo_bin("figwatch")
        .unwrap()
        .arg("frobnicate")
        .assert()
        .code(2);
}

#[test]
fn extract_plain_text_lists_mentions_with_their_assignment() {
    let work = Workspace::new(
        "[watch.w]\nquery = 'Russia'\n[watch.w.figure.troops]\nterms = [\"troops\"]\n",
    );
    let output = work
        .figwatch(&["extract", "--plain", "--json", "-"])
        .write_stdin("Russia has more than 11,000 North Korean troops, officials said in 2024.")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mentions = value["mentions"].as_array().unwrap();
    let troops = mentions
        .iter()
        .find(|m| m["value"] == 11000.0)
        .expect("11,000 mention");
    assert_eq!(troops["qualifier"], "more_than");
    assert_eq!(troops["assignments"][0]["figure"], "troops");
    let text = value["text"].as_str().unwrap();
    let (start, end) = (
        troops["start"].as_u64().unwrap() as usize,
        troops["end"].as_u64().unwrap() as usize,
    );
    assert!(text[start..end].contains("11,000"));
    assert!(
        mentions
            .iter()
            .all(|m| m["value"] != 2024.0 || m["assignments"][0]["figure"].is_null())
    );
}

#[test]
fn test_sink_reports_an_unknown_sink() {
    let work = Workspace::new("[sink.journal]\ntype = \"log\"\n");
    work.figwatch(&["test-sink", "phone"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no sink named \"phone\""))
        .stderr(predicate::str::contains("sinks: journal"));
    work.figwatch(&["test-sink", "journal"]).assert().success();
}

/// Imports `opml` (written to a file in the workspace) and checks that
/// `added` feeds were added.
fn import_opml(work: &Workspace, opml: &str, added: usize) {
    let path = work.dir.path().join("feeds.opml");
    std::fs::write(&path, opml).unwrap();
    work.figwatch(&["import-opml", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("Added {added} feed(s)")));
}

#[test]
fn import_opml_adds_new_feeds_once() {
    let work = Workspace::new("[[feed]]\nurl = \"https://news.example/world.rss\"\n");
    let opml = r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="News">
    <outline type="rss" text="World" xmlUrl="https://news.example/world.rss"/>
    <outline type="rss" text="Wire &amp; Co" xmlUrl="https://wire.example/atom.xml"/>
  </outline>
</body></opml>"#;
    import_opml(&work, opml, 1);
    import_opml(&work, opml, 0);
    let config = std::fs::read_to_string(work.config()).unwrap();
    assert!(
        config.contains("url = \"https://wire.example/atom.xml\"\nname = \"Wire & Co\""),
        "{config}"
    );
    work.figwatch(&["check"]).assert().success();
}

#[test]
fn figures_and_history_name_an_unknown_watch_or_figure_and_exit_2() {
    let work = Workspace::new(
        r#"[[feed]]
url = "https://news.example/world.rss"

[watch.nk-russia]
query = 'Russia'

[watch.nk-russia.figure.troops]
terms = ["troops"]
"#,
    );
    work.figwatch(&["figures", "nosuch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no watch named \"nosuch\" in"))
        .stderr(predicate::str::contains("(watches: nk-russia)"));
    work.figwatch(&["history", "nk-russia", "tanks"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "watch \"nk-russia\" has no figure named \"tanks\"",
        ))
        .stderr(predicate::str::contains("(figures: troops)"));
    work.figwatch(&["history", "nosuch", "troops"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no watch named \"nosuch\""));
    work.figwatch(&["articles", "--watch", "nk-rusia"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no watch named \"nk-rusia\""))
        .stderr(predicate::str::contains("(watches: nk-russia)"));
    // A known figure without a database yet is a runtime matter, not usage.
    work.figwatch(&["history", "nk-russia", "troops"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no database"));
}

#[test]
fn extract_reads_the_headline_first_and_shows_each_mentions_claim() {
    let work = Workspace::new(
        "[watch.w]\nquery = 'Russia'\n[watch.w.figure.troops]\nterms = [\"troops\"]\n",
    );
    let page = work.dir.path().join("page.html");
    std::fs::write(
        &page,
        "<html><head><title>Russia now hosts 12,000 troops from the north</title></head><body>\
         <article><h1>Russia now hosts 12,000 troops from the north</h1>\
         <p>A year ago, officials in the capital counted some 3,000 troops at the border. \
         The figure has been disputed by several observers who follow the region closely.</p>\
         <p>Observers say the movements continued through the winter, with trains seen \
         leaving the eastern depots every week.</p></article></body></html>",
    )
    .unwrap();
    let page = page.to_str().unwrap();
    let output = work
        .figwatch(&["extract", "--json", page])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mentions = value["mentions"].as_array().unwrap();
    let first = &mentions[0];
    assert_eq!(first["value"], 12000.0, "{value:#}");
    assert_eq!(first["in"], "headline");
    assert_eq!(first["assignments"][0]["figure"], "troops");
    assert_eq!(first["assignments"][0]["observation"], true);
    // The claim fields are there, null when the scanner found nothing, and
    // `increment` only when it is one.
    for key in ["event", "owner", "claimed_by", "previous", "unit"] {
        assert!(
            first.get(key).is_some_and(|v| v.is_null()),
            "{key}: {first}"
        );
    }
    assert!(first.get("increment").is_none(), "{first}");
    let body = mentions
        .iter()
        .find(|m| m["value"] == 3000.0)
        .expect("3,000 mention");
    assert_eq!(body["in"], "body");
    assert_eq!(body["assignments"][0]["observation"], false);

    work.figwatch(&["extract", page])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 in the headline"))
        .stdout(predicate::str::contains("[headline] \"12,000 troops"))
        .stdout(predicate::str::contains("(the article's observation)"));
}

#[test]
fn figures_reads_a_version_3_database_after_migrating_it() {
    let work = Workspace::new(
        r#"[daemon]
database = "figwatch.db"

[[feed]]
url = "https://news.example/world.rss"

[watch.aid]
query = 'donors'

[watch.aid.figure.pledged]
terms = ["pledged"]
"#,
    );
    {
        let conn = rusqlite::Connection::open(work.database()).unwrap();
        for sql in [
            include_str!("../../src/store/sqlite/migrations/0001_initial.sql"),
            include_str!("../../src/store/sqlite/migrations/0002_known_figures.sql"),
            include_str!("../../src/store/sqlite/migrations/0003_articles_fts.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO articles (id, url, title, text, content_hash, source, published_at, fetched_at, sort_at)
               VALUES (3, 'https://news.example/pledge', 'Donors meet', 'Donors pledged $2.5 billion.', 'h',
                       'Aid Wire', '2025-03-01T08:00:00.000Z', '2025-03-01T08:00:00.000Z', '2025-03-01T08:00:00.000Z');
             INSERT INTO mentions (article_id, in_title, value, qualifier, kind, text, noun, sentence, start, end)
               VALUES (3, 0, 2500000000.0, 'exact', 'money', '$2.5 billion', '', 'Donors pledged $2.5 billion.', 15, 27);
             INSERT INTO observations (id, article_id, watch, figure, value, qualifier, text, quote, decision, observed_at)
               VALUES (9, 3, 'aid', 'pledged', 2500000000.0, 'exact', '$2.5 billion', 'Donors pledged $2.5 billion.',
                       'first_seen', '2025-03-01T08:00:00.000Z');
             INSERT INTO figure_state (watch, figure, observation_id, updated_at)
               VALUES ('aid', 'pledged', 9, '2025-03-01T08:00:00.000Z');
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    let output = work.figwatch(&["figures", "--json"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let figures: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(figures[0]["current"]["value"], 2.5e9);
    assert_eq!(
        figures[0]["current"]["kind"], "money",
        "kind from its mention"
    );
    assert_eq!(figures[0]["claimant"], "");
    assert_eq!(work.sql_count("PRAGMA user_version"), 6);

    // The scanner's currency shows; a per-claimant state of a figure that is
    // not by_source (left from an earlier config) does not.
    work.sql(
        "UPDATE observations SET unit = 'USD' WHERE id = 9;
         INSERT INTO observations (id, article_id, watch, figure, claimant, value, qualifier, kind,
                                   text, quote, decision, observed_at)
           VALUES (10, 3, 'aid', 'pledged', 'Treasury', 1.0, 'exact', 'money', 'x', 'x', 'first_seen',
                   '2025-03-01T08:00:00.000Z');
         INSERT INTO figure_state (watch, figure, claimant, observation_id, updated_at)
           VALUES ('aid', 'pledged', 'Treasury', 10, '2025-03-01T08:00:00.000Z');",
    );
    work.figwatch(&["figures"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2.5 billion USD"))
        .stdout(predicate::str::contains("Treasury").not());
}

#[test]
fn import_opml_keeps_categories_and_pages_and_export_gives_them_back() {
    let work = Workspace::new("[sink.journal]\ntype = \"log\"\n");
    import_opml(
        &work,
        r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>Desk</title></head><body>
  <outline text="Conflict">
    <outline text="Europe">
      <outline type="rss" text="Kyiv wire" xmlUrl="https://kyiv.example/atom.xml"/>
    </outline>
  </outline>
  <outline type="rss" text="Tagged" category="/Economy" xmlUrl="https://money.example/rss"/>
  <outline type="link" text="OCHA flash update" url="https://ocha.example/flash"/>
</body></opml>"#,
        3,
    );
    let config = std::fs::read_to_string(work.config()).unwrap();
    assert!(
        config.contains("category = \"Conflict/Europe\""),
        "{config}"
    );
    assert!(config.contains("category = \"Economy\""), "{config}");
    assert!(
        config.contains(
            "[[page]]\nurl = \"https://ocha.example/flash\"\nname = \"OCHA flash update\""
        ),
        "{config}"
    );
    let check = work.stdout(&["check"]);
    assert!(
        check.contains("https://kyiv.example/atom.xml (Kyiv wire) [Conflict/Europe]"),
        "{check}"
    );
    assert!(check.contains("1 live page(s)"), "{check}");

    let output = work.figwatch(&["export-opml"]).output().unwrap();
    let exported = String::from_utf8(output.stdout).unwrap();
    assert!(
        exported.contains("<outline text=\"Conflict/Europe\">"),
        "{exported}"
    );
    assert!(exported.contains("type=\"link\""), "{exported}");
    assert!(
        exported.contains("url=\"https://ocha.example/flash\""),
        "{exported}"
    );
}
