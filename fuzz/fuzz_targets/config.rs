//! The config loader: TOML syntax, schema and validation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &str| {
    let path = std::path::Path::new("/etc/figwatch/figwatch.toml");
    let env = |name: &str| (name == "NTFY_TOKEN").then(|| "secret".to_string());
    if let Ok(mut config) = figwatch::config::Config::parse(source, path) {
        let _ = config.resolve_secrets_with(&env);
    }
});
