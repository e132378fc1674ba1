//! Detection on the example app (examples/shop): the database built by its
//! drizzle-kit migrations is in sync (exit 0); each manual modification a
//! team makes in production is reported with the right kind and table (exit
//! 1), and the fix it suggests brings the database back in sync.

mod common;

use common::{Modification, TestDb, driftwatch, modification, shop_dir, stdout};

/// Applies the example's migrations to a fresh database, runs `changes`, and
/// validates with `--format json`. Returns (exit code, report).
fn validate_after(label: &str, changes: &[&str]) -> Option<(TestDb, i32, serde_json::Value)> {
    let server = common::server_url()?;
    let db = TestDb::create(&server, label);
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let changes: Vec<String> = changes.iter().map(|s| s.to_string()).collect();
    db.exec(&changes);
    let (code, report) = validate_json(&db);
    Some((db, code, report))
}

fn validate_json(db: &TestDb) -> (i32, serde_json::Value) {
    let output = driftwatch(
        &["validate", "--format", "json"],
        &shop_dir(),
        &[("DATABASE_URL", &db.url())],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("no JSON report ({e}); stderr:\n{}", common::stderr(&output)));
    (output.status.code().unwrap_or(-1), report)
}

/// Every statement of every suggested fix, in report order, without repeats
/// (several aspects of one column share one MODIFY).
fn fix_statements(report: &serde_json::Value) -> Vec<String> {
    let mut statements: Vec<String> = Vec::new();
    for drift in report["drifts"].as_array().into_iter().flatten() {
        for statement in drift["fix"]["sql"].as_array().into_iter().flatten() {
            let statement = statement.as_str().unwrap_or_default().to_string();
            if !statements.contains(&statement) {
                statements.push(statement);
            }
        }
    }
    statements
}

fn kinds(report: &serde_json::Value) -> Vec<(String, String)> {
    report["drifts"]
        .as_array()
        .map(|drifts| {
            drifts
                .iter()
                .map(|d| {
                    (
                        d["kind"].as_str().unwrap_or_default().to_string(),
                        d["table"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The modification is reported exactly as its `expected` (kind, table)
/// pairs, nothing else, as a manual modification; the run fails with exit
/// code 1, and the suggested fix repairs it.
fn assert_detects(modification: &Modification) {
    let Some((db, code, report)) = validate_after(modification.label, modification.changes) else {
        return;
    };
    let found = kinds(&report);
    let expected: Vec<(String, String)> = modification
        .expected
        .iter()
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect();
    assert_eq!(found, expected, "report:\n{report:#}");
    assert_eq!(code, 1, "exit code");
    assert_eq!(report["status"], "drift");
    // Every migration is applied and matches the schema: a console change.
    for drift in report["drifts"].as_array().into_iter().flatten() {
        assert_eq!(drift["cause"], "manual_modification", "{drift:#}");
    }

    // The suggested fix, applied, brings the database back in sync.
    let fixes = fix_statements(&report);
    assert!(!fixes.is_empty(), "no fix suggested:\n{report:#}");
    db.exec(&fixes);
    let (code, after) = validate_json(&db);
    assert_eq!(
        (code, &after["status"]),
        (0, &serde_json::Value::from("clean")),
        "after applying the fix {fixes:#?}:\n{after:#}"
    );
}

#[test]
fn unchanged_database_has_no_drift_and_exits_0() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "shop_clean");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let output = driftwatch(&["validate"], &shop_dir(), &[("DATABASE_URL", &db.url())]);
    let out = stdout(&output);
    assert!(
        out.lines().any(|l| l == "No schema drift detected"),
        "stdout:\n{out}\nstderr:\n{}",
        common::stderr(&output)
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn dropped_column_is_column_missing_in_db() {
    assert_detects(modification("drop_column"));
}

#[test]
fn hotfix_column_is_column_extra_in_db() {
    assert_detects(modification("add_column"));
}

#[test]
fn widened_type_is_column_type_mismatch() {
    assert_detects(modification("widen"));
}

#[test]
fn narrowed_type_is_column_type_mismatch() {
    assert_detects(modification("narrow"));
}

#[test]
fn changed_default_is_column_default_mismatch() {
    assert_detects(modification("default"));
}

#[test]
fn changed_nullability_is_column_nullability_mismatch() {
    assert_detects(modification("nullability"));
}

#[test]
fn dropped_index_is_index_missing_in_db() {
    assert_detects(modification("drop_index"));
}

#[test]
fn added_index_is_index_extra_in_db() {
    assert_detects(modification("add_index"));
}

#[test]
fn dropped_foreign_key_is_foreign_key_missing_in_db() {
    assert_detects(modification("drop_fk"));
}

#[test]
fn renamed_column_is_one_missing_and_one_extra_column() {
    assert_detects(modification("rename_column"));
}

#[test]
fn dropped_table_is_table_missing_in_db() {
    assert_detects(modification("drop_table"));
}

#[test]
fn added_table_is_table_extra_in_db() {
    assert_detects(modification("add_table"));
}

#[test]
fn removed_enum_value_is_column_type_mismatch() {
    assert_detects(modification("enum"));
}

#[test]
fn shorter_varchar_is_column_type_mismatch() {
    assert_detects(modification("varchar_length"));
}

#[test]
fn removed_on_update_is_column_on_update_mismatch() {
    assert_detects(modification("on_update"));
}

#[test]
fn removed_auto_increment_is_column_autoincrement_mismatch() {
    assert_detects(modification("auto_increment"));
}

#[test]
fn added_unique_key_is_unique_extra_in_db() {
    assert_detects(modification("add_unique"));
}

#[test]
fn dropped_unique_key_is_unique_missing_in_db() {
    assert_detects(modification("drop_unique"));
}

#[test]
fn changed_foreign_key_action_is_foreign_key_mismatch() {
    assert_detects(modification("fk_action"));
}

#[test]
fn hotfix_check_is_check_extra_in_db() {
    assert_detects(modification("add_check"));
}

#[test]
fn fail_on_high_ignores_medium_drift() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "fail_on");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    db.exec_one("CREATE INDEX products_name_hotfix_idx ON products (name)");
    let url = db.url();
    let env = [("DATABASE_URL", url.as_str())];
    let medium = driftwatch(&["validate", "--fail-on", "high"], &shop_dir(), &env);
    assert_eq!(medium.status.code(), Some(0), "{}", stdout(&medium));
    let low = driftwatch(&["validate", "--fail-on", "medium"], &shop_dir(), &env);
    assert_eq!(low.status.code(), Some(1));
}
