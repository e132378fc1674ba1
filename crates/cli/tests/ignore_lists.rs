//! What is left out of the comparison: online schema-change leftovers by
//! default (with a warning), `[ignore] columns` and `[ignore] tables`, and
//! how a bad `[ignore]` section is refused.

mod common;

use common::{TestDb, driftwatch, shop_dir, stderr, stdout};

fn shop_db(server: &str, label: &str) -> TestDb {
    let db = TestDb::create(server, label);
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    db
}

/// Writes driftwatch.toml into a temporary folder; returns it and the path.
fn settings(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("driftwatch.toml");
    std::fs::write(&path, text).expect("write driftwatch.toml");
    let path = path.to_string_lossy().into_owned();
    (dir, path)
}

/// `validate` with these settings against an unreachable server: what the
/// settings check says before anything connects.
fn validate_with_settings(text: &str) -> std::process::Output {
    let (_dir, config) = settings(text);
    driftwatch(
        &[
            "validate",
            "--config",
            &config,
            "--url",
            "mysql://u:p@127.0.0.1:1/none",
        ],
        &shop_dir(),
        &[],
    )
}

fn validate_json(db: &TestDb, config: Option<&str>) -> (Option<i32>, serde_json::Value) {
    let url = db.url();
    let mut args = vec!["validate", "--format", "json", "--url", &url];
    if let Some(config) = config {
        args.extend(["--config", config]);
    }
    let output = driftwatch(&args, &shop_dir(), &[]);
    let report = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&output), stderr(&output)));
    (output.status.code(), report)
}

fn kinds(report: &serde_json::Value) -> Vec<(String, String)> {
    report["drifts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["kind"].as_str().unwrap_or_default().to_string(),
                d["table"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn warnings(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["level"] == "warning")
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn online_schema_change_leftovers_are_ignored_by_default_with_a_warning() {
    let server = require_server!();
    let db = shop_db(&server, "ign_osc");
    db.exec_one("CREATE TABLE _orders_gho (id int PRIMARY KEY)");
    db.exec_one("CREATE TABLE _users_20240102030405_del (id int PRIMARY KEY)");
    db.exec_one("CREATE TABLE _products_new (id int PRIMARY KEY)");
    let (code, report) = validate_json(&db, None);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["status"], "clean");
    let warnings = warnings(&report);
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("_orders_gho") && w.contains("gh-ost"))
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("_products_new") && w.contains("pt-online-schema-change"))
    );
}

#[test]
fn online_schema_change_leftovers_are_compared_when_turned_off() {
    let server = require_server!();
    let db = shop_db(&server, "ign_osc_off");
    db.exec_one("CREATE TABLE _orders_gho (id int PRIMARY KEY)");
    let (_dir, config) = settings("[ignore]\nonline_schema_change_tables = false\n");
    let (code, report) = validate_json(&db, Some(&config));
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(
        kinds(&report),
        vec![("table_extra_in_db".to_string(), "_orders_gho".to_string())]
    );
}

#[test]
fn a_declared_table_with_a_leftover_like_name_is_compared() {
    let server = require_server!();
    let db = TestDb::create(&server, "ign_declared");
    db.exec_one("CREATE TABLE `_audit_old` (`id` int NOT NULL, PRIMARY KEY (`id`))");
    let project = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        project.path().join("schema.ts"),
        "import { mysqlTable, int, varchar } from 'drizzle-orm/mysql-core';\n\
         export const auditOld = mysqlTable('_audit_old', {\n  id: int('id').primaryKey(),\n  note: varchar('note', { length: 20 }),\n});\n",
    )
    .expect("write schema.ts");
    let output = driftwatch(
        &[
            "validate",
            "--format",
            "json",
            "--schema",
            "schema.ts",
            "--url",
            &db.url(),
        ],
        project.path(),
        &[],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&output), stderr(&output)));
    assert_eq!(
        kinds(&report),
        vec![("column_missing_in_db".to_string(), "_audit_old".to_string())]
    );
}

#[test]
fn ignored_columns_are_not_compared_on_either_side() {
    let server = require_server!();
    let db = shop_db(&server, "ign_cols");
    db.exec_one("ALTER TABLE users ADD legacy_note text");
    db.exec_one("ALTER TABLE users ADD audit_by int");
    db.exec_one("ALTER TABLE orders ADD audit_by int");
    let (code, report) = validate_json(&db, None);
    assert_eq!(code, Some(1));
    assert_eq!(kinds(&report).len(), 3, "{report:#}");

    let (_dir, config) = settings("[ignore]\ncolumns = [\"users.legacy_*\", \"*.audit_by\"]\n");
    let (code, report) = validate_json(&db, Some(&config));
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["status"], "clean");
}

#[test]
fn an_ignored_column_entry_without_a_table_is_refused() {
    let output = validate_with_settings("[ignore]\ncolumns = [\"legacy_note\"]\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("`legacy_note` is not `table.column`"));
    assert!(stdout(&output).is_empty());
}

#[test]
fn an_unknown_ignore_key_is_refused() {
    let output = validate_with_settings("[ignore]\ncolumn = [\"users.legacy\"]\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("unknown field `column`"),
        "{}",
        stderr(&output)
    );
}
