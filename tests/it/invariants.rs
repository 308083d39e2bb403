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

/// `(file, line number)` of each line of code (comments skipped) under
/// `src/` that mentions `needle`, outside the files `allowed` accepts.
fn offenders(needle: &str, allowed: impl Fn(&str) -> bool) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for path in sources(&root.join("src")) {
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
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
