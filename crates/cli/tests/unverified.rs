//! Never guess: a database object the normalizer does not recognise is
//! *unverified* — listed with its reason, never reported as a drift of some
//! kind, and the run is not clean. Also: the report names the server family
//! whose rules applied.

mod common;

use common::{TestDb, driftwatch, shop_dir, stderr, stdout};

/// MariaDB system versioning with explicit period columns: their
/// GENERATION_EXPRESSION is `ROW START` / `ROW END`, which no Drizzle schema
/// can declare.
const SYSTEM_VERSIONING: &str = "ALTER TABLE audit_events \
     ADD COLUMN row_start timestamp(6) GENERATED ALWAYS AS ROW START INVISIBLE, \
     ADD COLUMN row_end timestamp(6) GENERATED ALWAYS AS ROW END INVISIBLE, \
     ADD PERIOD FOR SYSTEM_TIME(row_start, row_end), \
     ADD SYSTEM VERSIONING";

fn validate_json(db: &TestDb, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut args = vec!["validate", "--format", "json"];
    args.extend(extra);
    let output = driftwatch(&args, &shop_dir(), &[("DATABASE_URL", &db.url())]);
    let report = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&output), stderr(&output)));
    (output.status.code(), report)
}

fn versioned_shop(server: &str, label: &str) -> TestDb {
    let db = TestDb::create(server, label);
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    db.exec_one(SYSTEM_VERSIONING);
    db
}

fn error_messages(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["level"] == "error")
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_system_versioning_period_column_is_unverified_not_drift() {
    let server = require_server!();
    let db = versioned_shop(&server, "unverified_period");
    let (code, report) = validate_json(&db, &[]);
    assert_eq!(code, Some(2), "{report:#}");
    assert_eq!(report["status"], "error");
    assert_eq!(report["drifts"], serde_json::json!([]), "{report:#}");
    let errors = error_messages(&report);
    assert_eq!(errors.len(), 2, "{errors:?}");
    for column in ["row_start", "row_end"] {
        assert!(
            errors.iter().any(|e| e.contains("unverified")
                && e.contains("`audit_events`")
                && e.contains(&format!("`{column}`"))),
            "{errors:?}"
        );
    }
}

#[test]
fn an_unverified_object_is_never_reported_clean_in_text() {
    let server = require_server!();
    let db = versioned_shop(&server, "unverified_text");
    let output = driftwatch(&["validate"], &shop_dir(), &[("DATABASE_URL", &db.url())]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!stdout(&output).contains("No schema drift detected"));
    assert!(stdout(&output).contains("row_start"), "{}", stdout(&output));
}

#[test]
fn drift_elsewhere_is_still_reported_next_to_an_unverified_object() {
    let server = require_server!();
    let db = versioned_shop(&server, "unverified_and_drift");
    db.exec_one("ALTER TABLE users ADD hotfix_note text");
    let (code, report) = validate_json(&db, &["--allow-incomplete"]);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(report["status"], "error");
    let drifts: Vec<(&str, &str)> = report["drifts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["kind"].as_str().unwrap_or_default(),
                d["object"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(drifts, vec![("column_extra_in_db", "hotfix_note")]);
}

#[test]
fn the_report_names_the_server_family_whose_rules_applied() {
    let server = require_server!();
    let db = TestDb::create(&server, "flavor_label");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let (code, report) = validate_json(&db, &[]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["target"]["flavor"], "mariadb");
    let label = report["target"]["flavor_label"]
        .as_str()
        .unwrap_or_default();
    let version = report["target"]["server_version"]
        .as_str()
        .unwrap_or_default();
    // `mariadb 10.11` for a `10.11.19-MariaDB-…` server: vendor, major.minor.
    let major_minor: Vec<&str> = version.split('.').take(2).collect();
    assert_eq!(label, format!("mariadb {}", major_minor.join(".")));
}
