//! The PostgreSQL backend (not written yet).

/// `url` without its password, for logs and errors.
pub(super) fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // Cannot fail for a URL with a host, which one with a
                // password has.
                let _ = parsed.set_password(Some("redacted"));
            }
            parsed.to_string()
        }
        Err(_) => String::from("postgres://[unparsable URL]"),
    }
}

/// A PostgreSQL database (not written yet).
#[derive(Debug)]
pub(super) struct Postgres;

impl Postgres {
    pub(super) fn connect(
        url: &str,
        _password: Option<&str>,
        _max_connections: u32,
    ) -> Result<super::sqlite::Sqlite, super::Error> {
        Err(super::Error::Open {
            database: redact(url),
            source: "PostgreSQL is not supported yet".into(),
        })
    }
}
