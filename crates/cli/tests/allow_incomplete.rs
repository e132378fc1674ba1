//! `validate --allow-incomplete`: tables that cannot be read exactly are
//! listed as not compared, the drift among the others decides the exit code
//! (0 or 1 instead of 2), and the report still never says the schema is
//! clean: the JSON `status` stays `error`.

mod common;

use std::path::Path;

use common::{TestDb, driftwatch, stderr, stdout};
use serde_json::Value as Json;

const CONFIG: &str = r#"import { defineConfig } from 'drizzle-kit';
export default defineConfig({
  dialect: 'mysql',
  schema: './schema.ts',
  dbCredentials: { url: process.env.NOTES_DB_URL! },
});
"#;

/// `notes` cannot be read exactly (an unknown modifier); `tags` can.
const SCHEMA: &str = r#"import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';

export const notes = mysqlTable('notes', {
  id: int().autoincrement().primaryKey(),
  body: varchar({ length: 200 }).notNull().someFutureModifier(),
});

export const tags = mysqlTable('tags', {
  id: int().autoincrement().primaryKey(),
  label: varchar({ length: 50 }).notNull(),
});
"#;

const NOTES_DDL: &str = "CREATE TABLE notes (id int AUTO_INCREMENT NOT NULL, body varchar(200) NOT NULL, \
                         CONSTRAINT notes_id PRIMARY KEY(id))";
const TAGS_DDL: &str = "CREATE TABLE tags (id int AUTO_INCREMENT NOT NULL, label varchar(50) NOT NULL, \
                        CONSTRAINT tags_id PRIMARY KEY(id))";
/// `tags.label` one size smaller: drift in a table that can be compared.
const TAGS_DRIFTED_DDL: &str = "CREATE TABLE tags (id int AUTO_INCREMENT NOT NULL, label varchar(40) NOT NULL, \
                                CONSTRAINT tags_id PRIMARY KEY(id))";

fn project(dir: &Path) {
    std::fs::write(dir.join("drizzle.config.ts"), CONFIG).expect("config");
    std::fs::write(dir.join("schema.ts"), SCHEMA).expect("schema");
}

fn json_report(output: &std::process::Output) -> Json {
    serde_json::from_str(&stdout(output))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(output), stderr(output)))
}

#[test]
fn without_the_flag_an_unreadable_table_still_exits_2() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "incomplete_default");
    db.exec(&[NOTES_DDL.to_string(), TAGS_DDL.to_string()]);
    let dir = tempfile::tempdir().expect("tempdir");
    project(dir.path());
    let output = driftwatch(&["validate"], dir.path(), &[("NOTES_DB_URL", &db.url())]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
}

#[test]
fn no_drift_among_readable_tables_exits_0_but_never_says_clean() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "incomplete_clean");
    db.exec(&[NOTES_DDL.to_string(), TAGS_DDL.to_string()]);
    let dir = tempfile::tempdir().expect("tempdir");
    project(dir.path());
    let env = [("NOTES_DB_URL", db.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let text = driftwatch(&["validate", "--allow-incomplete"], dir.path(), &env);
    assert_eq!(
        text.status.code(),
        Some(0),
        "{}{}",
        stdout(&text),
        stderr(&text)
    );
    assert!(
        !stdout(&text).contains("No schema drift detected"),
        "{}",
        stdout(&text)
    );
    assert!(stderr(&text).contains("schema.ts:5:"), "{}", stderr(&text));

    let json = driftwatch(
        &["validate", "--allow-incomplete", "--format", "json"],
        dir.path(),
        &env,
    );
    assert_eq!(json.status.code(), Some(0));
    let report = json_report(&json);
    assert_eq!(report["status"], "error");
    assert_eq!(report["summary"]["tables_compared"], 1);
    assert!(
        !report["schema"]["incomplete"]
            .as_array()
            .expect("incomplete")
            .is_empty()
    );
}

#[test]
fn drift_among_readable_tables_exits_1() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "incomplete_drift");
    db.exec(&[NOTES_DDL.to_string(), TAGS_DRIFTED_DDL.to_string()]);
    let dir = tempfile::tempdir().expect("tempdir");
    project(dir.path());
    let url = db.url();
    let env = [("NOTES_DB_URL", url.as_str())];

    let output = driftwatch(
        &["validate", "--allow-incomplete", "--format", "json"],
        dir.path(),
        &env,
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = json_report(&output);
    assert_eq!(report["status"], "error");
    let drifts = report["drifts"].as_array().expect("drifts");
    assert!(
        drifts.iter().all(|d| d["table"] == "tags") && !drifts.is_empty(),
        "{drifts:?}"
    );

    // --fail-on still applies to the drift that was found.
    let output = driftwatch(
        &["validate", "--allow-incomplete", "--fail-on", "never"],
        dir.path(),
        &env,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("not compared"),
        "{}",
        stdout(&output)
    );
}
