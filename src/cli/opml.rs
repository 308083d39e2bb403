//! `figwatch import-opml`: appends the feeds of an OPML file to the config
//! as `[[feed]]` tables, leaving the rest of the file (comments included)
//! as it is and skipping feeds already configured. `figwatch export-opml`:
//! prints the configured feeds as OPML 2.0 for a feed reader.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;

use super::{Failure, Result};
use crate::config::Config;

fn collect<'a>(outlines: &'a [opml::Outline], feeds: &mut Vec<(&'a str, &'a str)>) {
    for outline in outlines {
        if let Some(url) = outline.xml_url.as_deref() {
            let name = outline.title.as_deref().unwrap_or(&outline.text);
            feeds.push((url.trim(), name.trim()));
        }
        collect(&outline.outlines, feeds);
    }
}

/// A TOML basic string holding `text`.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

pub(super) fn import(config_path: &Path, opml_path: &Path) -> Result<()> {
    let config = Config::load(config_path).map_err(Failure::usage)?;
    let source = std::fs::read_to_string(opml_path)
        .with_context(|| format!("cannot read {}", opml_path.display()))?;
    let document = opml::OPML::from_str(&source).map_err(|err| {
        Failure::usage(anyhow::anyhow!(
            "{}: not a valid OPML file: {err}",
            opml_path.display()
        ))
    })?;
    let mut feeds = Vec::new();
    collect(&document.body.outlines, &mut feeds);

    let mut known: Vec<String> = config.feeds.iter().map(|f| f.url.to_string()).collect();
    let mut added = String::new();
    let (mut n_added, mut n_skipped) = (0, 0);
    for (url, name) in feeds {
        let parsed = match url::Url::parse(url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => parsed,
            _ => {
                tracing::warn!(url, "Skipping OPML outline: not an http(s) feed URL");
                n_skipped += 1;
                continue;
            }
        };
        if known.contains(&parsed.to_string()) {
            n_skipped += 1;
            continue;
        }
        known.push(parsed.to_string());
        let _ = writeln!(added, "\n[[feed]]\nurl = {}", toml_string(parsed.as_str()));
        if !name.is_empty() {
            let _ = writeln!(added, "name = {}", toml_string(name));
        }
        n_added += 1;
    }
    if n_added > 0 {
        let mut text = std::fs::read_to_string(config_path)
            .with_context(|| format!("cannot read {}", config_path.display()))?;
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("\n# Imported from {}", opml_path.display()));
        text.push_str(&added);
        // Validate before writing, so a bad import never breaks the config.
        Config::parse(&text, config_path).map_err(Failure::usage)?;
        let tmp = config_path.with_extension("toml.tmp");
        std::fs::write(&tmp, &text).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, config_path)
            .with_context(|| format!("cannot replace {}", config_path.display()))?;
    }
    println!(
        "Added {n_added} feed(s) to {}; skipped {n_skipped} already present or invalid.",
        config_path.display()
    );
    Ok(())
}

/// The configured feeds as an OPML 2.0 document: one `rss` outline per feed,
/// its name (or URL) as text and title.
fn export_document(config: &Config) -> Result<String> {
    let mut document = opml::OPML::default();
    if let Some(head) = document.head.as_mut() {
        head.title = Some(format!("figwatch feeds ({})", config.path.display()));
    }
    for feed in &config.feeds {
        let name = feed.name.clone().unwrap_or_else(|| feed.url.to_string());
        document.body.outlines.push(opml::Outline {
            text: name.clone(),
            title: Some(name),
            r#type: Some("rss".to_string()),
            xml_url: Some(feed.url.to_string()),
            ..opml::Outline::default()
        });
    }
    let xml = document
        .to_string()
        .map_err(|err| anyhow::anyhow!("cannot write OPML: {err}"))?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{xml}\n"
    ))
}

pub(super) fn export(config_path: &Path) -> Result<()> {
    let config = Config::load(config_path).map_err(Failure::usage)?;
    print!("{}", export_document(&config)?);
    Ok(())
}
