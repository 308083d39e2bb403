//! A PostgreSQL database for one test: a new schema in the database
//! `FIGWATCH_TEST_DATABASE_URL` names, dropped when the test ends, so tests
//! run side by side without seeing each other's rows.

use super::*;

/// The variable naming the test database, e.g.
/// `postgres://figwatch@127.0.0.1:5433/figwatch_test`.
pub(super) const URL_VARIABLE: &str = "FIGWATCH_TEST_DATABASE_URL";

/// A store on a schema of its own.
pub(super) struct TestDatabase {
    /// The store, whose connections use the schema.
    pub(super) store: Store,
    url: String,
    schema: String,
}

impl TestDatabase {
    /// A new schema and a store on it; `None` when no test database is set.
    pub(super) fn new() -> Option<TestDatabase> {
        let url = std::env::var(URL_VARIABLE)
            .ok()
            .filter(|url| !url.is_empty())?;
        let schema = format!("t_{}", ulid::Ulid::generate().to_string().to_lowercase());
        let mut client = ::postgres::Client::connect(&url, ::postgres::NoTls)
            .unwrap_or_else(|err| panic!("{URL_VARIABLE}: cannot connect: {err}"));
        client
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .unwrap();
        let separator = if url.contains('?') { '&' } else { '?' };
        let in_schema = format!("{url}{separator}options=-csearch_path%3D{schema}");
        let store = Store::connect(
            &crate::config::Database::Postgres {
                url: in_schema,
                password: None,
            },
            4,
        )
        .unwrap();
        Some(TestDatabase { store, url, schema })
    }

    /// The URL of the schema (connections that use it).
    pub(super) fn url(&self) -> String {
        let separator = if self.url.contains('?') { '&' } else { '?' };
        format!(
            "{}{separator}options=-csearch_path%3D{}",
            self.url, self.schema
        )
    }

    /// A second instance on the same schema, as another process would be.
    pub(super) fn another_instance(&self) -> Store {
        Store::connect(
            &crate::config::Database::Postgres {
                url: self.url(),
                password: None,
            },
            4,
        )
        .unwrap()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Best effort: a schema left behind only takes room.
        if let Ok(mut client) = ::postgres::Client::connect(&self.url, ::postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.schema));
        }
    }
}
