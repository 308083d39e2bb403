//! ARCHITECTURE.md's invariants that a look at the source can check: which
//! modules may name which crates. (The others name their own tests and
//! lints there.)

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, its path relative to the crate root.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// `path` relative to the crate root, as the tests name files.
fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// `(file, line number)` of each line of code (comments skipped) under
/// `src/` that mentions `needle`, outside the files `allowed` accepts.
fn offenders(needle: &str, allowed: impl Fn(&str) -> bool) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for path in sources(&root.join("src")) {
        let relative = relative(&path);
        if allowed(&relative) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (line_idx, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if !code.starts_with("//") && code.contains(needle) {
                found.push(format!("{relative}:{}", line_idx + 1));
            }
        }
    }
    found
}

/// Test modules may open a database file to look at what was written.
fn is_test_file(path: &str) -> bool {
    path.ends_with("/tests.rs") || path.contains("/tests/")
}

#[test]
fn only_store_names_the_database_crates() {
    for needle in ["rusqlite", "postgres::", "r2d2"] {
        let found = offenders(needle, |path| {
            path.starts_with("src/store/") || is_test_file(path)
        });
        assert!(found.is_empty(), "{needle} outside src/store/: {found:?}");
    }
}

#[test]
fn anyhow_is_only_in_cli_and_main() {
    let found = offenders("anyhow", |path| {
        path.starts_with("src/cli/") || path == "src/main.rs"
    });
    assert!(found.is_empty(), "anyhow outside cli: {found:?}");
}

#[test]
fn pure_stages_reach_for_no_io_stage() {
    let pure = [
        "src/feed/",
        "src/watch/",
        "src/article/",
        "src/figures/",
        "src/text/",
    ];
    for needle in [
        "crate::store",
        "crate::alert",
        "crate::daemon",
        "crate::cli",
        "crate::fetch",
    ] {
        let found = offenders(needle, |path| !pure.iter().any(|dir| path.starts_with(dir)));
        assert!(found.is_empty(), "{needle} in a pure stage: {found:?}");
    }
}

/// Sink wire formats are `alert`'s: the crates and the names that make
/// them (mail, webhook signatures, ntfy's headers, the alert JSON's
/// serialization) appear nowhere else. `config` may name a header to
/// validate it, and the CLI prints JSON of its own tables.
#[test]
fn only_alert_speaks_the_sink_wire_formats() {
    for needle in [
        "lettre",
        "hmac",
        "X-Figwatch-",
        "\"Title\"",
        "\"Priority\"",
        "\"Tags\"",
        "alert::json",
    ] {
        let found = offenders(needle, |path| {
            path.starts_with("src/alert/") || is_test_file(path)
        });
        assert!(found.is_empty(), "{needle} outside src/alert/: {found:?}");
    }
}

/// The modules of `src/` in the order data flows through them (ARCHITECTURE
/// "Bird's-eye view"): each may use those before it, never one after.
/// `text` (pure helpers) and `config` (the contract every stage reads) come
/// first; `config` validates with two pieces of later stages, named in
/// [`CONFIG_USES`].
const STAGES: [&str; 11] = [
    "text", "config", "fetch", "feed", "watch", "article", "figures", "store", "alert", "daemon",
    "cli",
];

/// What `config` takes from later stages to validate: a watch's query
/// parser and the check that a URL names a private address literal.
const CONFIG_USES: [&str; 2] = ["watch", "fetch"];

/// The `crate::` modules a source text names, `use crate::{a, b::c}` lists
/// included.
fn crate_modules(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
    {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(list) = rest.strip_prefix('{') {
                // Top-level names of the list (nested braces skipped).
                let mut depth = 0;
                let mut name = String::new();
                for ch in list.chars() {
                    match ch {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => found.push(std::mem::take(&mut name)),
                        _ if depth == 0 => name.push(ch),
                        _ => {}
                    }
                }
                found.push(name);
            } else {
                found.push(
                    rest.chars()
                        .take_while(|ch| ch.is_alphanumeric() || *ch == '_')
                        .collect(),
                );
            }
        }
    }
    found
        .into_iter()
        .map(|name| {
            let name = name.trim();
            name.split("::").next().unwrap_or("").trim().to_string()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

#[test]
fn data_flows_one_way_through_the_stages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut offences = Vec::new();
    for (idx, stage) in STAGES.iter().enumerate() {
        let files = sources(&root.join("src").join(stage));
        assert!(!files.is_empty(), "no source for stage {stage}");
        for path in files {
            let relative = relative(&path);
            if is_test_file(&relative) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for used in crate_modules(&text) {
                let Some(used_idx) = STAGES.iter().position(|s| *s == used) else {
                    continue;
                };
                let allowed =
                    used_idx <= idx || (*stage == "config" && CONFIG_USES.contains(&used.as_str()));
                if !allowed {
                    offences.push(format!("{relative} ({stage}) uses {used}"));
                }
            }
        }
    }
    offences.sort();
    offences.dedup();
    assert!(
        offences.is_empty(),
        "a stage uses a later one: {offences:#?}"
    );
    assert_eq!(
        crate_modules(
            "use crate::{alert, config::{self, Feed}, store};\nlet x = crate::figures::read(a);"
        ),
        ["alert", "config", "store", "figures"]
    );
}
