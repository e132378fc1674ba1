//! Records `tests/fixtures/mariadb-10.11/<scenario>/rows.json` from the live
//! server: loads every scenario's `schema.sql` into a fresh database, fetches
//! the catalog rows through the same code as `inspect`, and writes them per
//! scenario (database name replaced by `fx`).
//!
//! ```text
//! DRIFTWATCH_TEST_MYSQL_URL=$(scripts/dev-db.sh url) \
//!   cargo test -p driftwatch_mysql --test record_fixtures -- --ignored
//! ```

mod common;

use driftwatch_mysql::rows::{CatalogRows, Provenance};

const SERVER_DIR: &str = "mariadb-10.11";

fn scenario_prefix(scenario: &str) -> &str {
    scenario.get(..4).unwrap_or(scenario)
}

fn anonymize(rows: &mut CatalogRows, database: &str) {
    let fixed = "fx".to_string();
    rows.database = fixed.clone();
    if let Some(s) = rows.schemata.as_mut() {
        s.schema_name = fixed.clone();
    }
    for k in &mut rows.key_column_usage {
        for schema in [&mut k.table_schema, &mut k.referenced_table_schema] {
            if schema.as_deref() == Some(database) {
                *schema = Some(fixed.as_str().into());
            }
        }
    }
}

#[tokio::test]
#[ignore = "writes fixture files; run on purpose against a MariaDB 10.11"]
async fn record_mariadb_fixtures() {
    let Some(url) = common::server_url("record_mariadb_fixtures") else {
        return;
    };
    let database = common::unique_name("dw_record");
    common::create_database(&url, &database, SERVER_DIR, common::MARIADB_SCENARIOS).await;
    let fetched = driftwatch_mysql::fetch_rows(&url.with_database(database.clone())).await;
    common::drop_database(&url, &database).await;
    let fetched = fetched.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        fetched.flavor.is_mariadb(),
        "fixtures of {SERVER_DIR} must come from MariaDB, not {}",
        fetched.flavor
    );
    let mut rows = fetched.rows;
    anonymize(&mut rows, &database);
    for scenario in common::MARIADB_SCENARIOS {
        let prefix = scenario_prefix(scenario);
        let keep = |table: &str| {
            table.starts_with(prefix) || (prefix == "x01_" && table == "__drizzle_migrations")
        };
        let mut part = rows.only_tables(&keep);
        part.provenance = Some(Provenance {
            server: format!("MariaDB {}", part.server.version),
            source:
                "recorded live by crates/mysql/tests/record_fixtures.rs (database created with \
                     utf8mb4 / utf8mb4_general_ci, explicit_defaults_for_timestamp=ON)"
                    .to_string(),
            ddl: Some("schema.sql".to_string()),
            tags: Default::default(),
        });
        let path = common::fixtures_dir()
            .join(SERVER_DIR)
            .join(scenario)
            .join("rows.json");
        let text = serde_json::to_string_pretty(&part).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, text + "\n").unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("wrote {}", path.display());
    }
}
