//! `[daemon] database`: a SQLite file or a PostgreSQL URL, and how either
//! is shown without its password.

use std::fmt;
use std::path::PathBuf;

use url::Url;

use super::Secret;

/// Where the store lives (`[daemon] database`).
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file, the default.
    Sqlite(PathBuf),
    /// A PostgreSQL database shared by several instances.
    Postgres {
        /// `postgres://user@host:port/dbname?…` as configured.
        url: String,
        /// From `database_password_env` or `database_password_file`.
        password: Option<Secret>,
    },
}

impl Database {
    /// Whether `text` names a PostgreSQL database rather than a file.
    pub fn is_postgres_url(text: &str) -> bool {
        text.starts_with("postgres://") || text.starts_with("postgresql://")
    }

    /// The database as logs, errors and `check` name it: the file, or the
    /// URL with any password in it replaced by `redacted`.
    pub fn display(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres { url, .. } => redact_url(url),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres { .. } => "postgres",
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// `url` without a password.
pub fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // Cannot fail: a URL with a password has a host.
                let _ = parsed.set_password(Some("redacted"));
            }
            parsed.to_string()
        }
        Err(_) => String::from("[a database URL that does not parse]"),
    }
}
