//! `figwatch import-opml`: appends the feeds of an OPML file to the config
//! as `[[feed]]` tables (the outline folders they sit in, or their
//! `category`, as the feed's `category`), and its `link` outlines as
//! `[[page]]` tables, leaving the rest of the file (comments included) as
//! it is and skipping URLs already configured. `figwatch export-opml`:
//! prints the configured feeds (in a folder per category) and pages as
//! OPML 2.0 for a feed reader.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;

use super::{Failure, Result};
use crate::config::Config;

/// One outline to import.
struct Imported<'a> {
    url: &'a str,
    name: &'a str,
    /// The folders it sits in, or its own `category` attribute.
    category: Option<String>,
    /// A `link` outline: a live page, not a feed.
    page: bool,
}

fn collect<'a>(outlines: &'a [opml::Outline], folders: &[&'a str], found: &mut Vec<Imported<'a>>) {
    for outline in outlines {
        let name = outline.title.as_deref().unwrap_or(&outline.text).trim();
        let link = outline.r#type.as_deref() == Some("link");
        let url = match (outline.xml_url.as_deref(), outline.url.as_deref()) {
            (Some(url), _) => Some((url, false)),
            (None, Some(url)) if link => Some((url, true)),
            _ => None,
        };
        if let Some((url, page)) = url {
            let own = outline
                .category
                .as_deref()
                .and_then(|category| category.split(',').next())
                .map(|category| category.trim().trim_matches('/').to_string())
                .filter(|category| !category.is_empty());
            let from_folders = (!folders.is_empty()).then(|| folders.join("/"));
            found.push(Imported {
                url: url.trim(),
                name,
                category: own.or(from_folders),
                page,
            });
        } else if !outline.outlines.is_empty() {
            let mut inner = folders.to_vec();
            if !name.is_empty() {
                inner.push(name);
            }
            collect(&outline.outlines, &inner, found);
            continue;
        }
        collect(&outline.outlines, folders, found);
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
    let mut found = Vec::new();
    collect(&document.body.outlines, &[], &mut found);

    let mut known: Vec<String> = config.feeds.iter().map(|f| f.url.to_string()).collect();
    known.extend(config.pages.iter().map(|page| page.url.to_string()));
    let mut added = String::new();
    let (mut n_added, mut n_skipped) = (0, 0);
    for Imported {
        url,
        name,
        category,
        page,
    } in found
    {
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
        let table = if page { "[[page]]" } else { "[[feed]]" };
        let _ = writeln!(added, "\n{table}\nurl = {}", toml_string(parsed.as_str()));
        if !name.is_empty() {
            let _ = writeln!(added, "name = {}", toml_string(name));
        }
        if let Some(category) = category.filter(|_| !page) {
            let _ = writeln!(added, "category = {}", toml_string(&category));
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
/// its name (or URL) as text and title, in a folder outline per category;
/// then one `link` outline per page.
fn export_document(config: &Config) -> Result<String> {
    let mut document = opml::OPML::default();
    if let Some(head) = document.head.as_mut() {
        head.title = Some(format!("figwatch feeds ({})", config.path.display()));
    }
    for feed in &config.feeds {
        let name = feed.name.clone().unwrap_or_else(|| feed.url.to_string());
        let outline = opml::Outline {
            text: name.clone(),
            title: Some(name),
            r#type: Some("rss".to_string()),
            xml_url: Some(feed.url.to_string()),
            ..opml::Outline::default()
        };
        let Some(category) = &feed.category else {
            document.body.outlines.push(outline);
            continue;
        };
        let outlines = &mut document.body.outlines;
        let folder = match outlines
            .iter()
            .position(|o| o.xml_url.is_none() && o.text == *category)
        {
            Some(idx) => &mut outlines[idx],
            None => {
                outlines.push(opml::Outline {
                    text: category.clone(),
                    ..opml::Outline::default()
                });
                let last = outlines.len() - 1;
                &mut outlines[last]
            }
        };
        folder.outlines.push(outline);
    }
    for page in &config.pages {
        let name = page.name.clone().unwrap_or_else(|| page.url.to_string());
        document.body.outlines.push(opml::Outline {
            text: name.clone(),
            title: Some(name),
            r#type: Some("link".to_string()),
            url: Some(page.url.to_string()),
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
