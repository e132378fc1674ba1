//! Renderers on shared inputs: a clean comparison, mixed drift, an incomplete read.

use driftwatch_diff::{Cause, Policy, classify, diff};
use driftwatch_model::{Column, ColumnType, Schema, Source, Table};
use driftwatch_report::{
    CLEAN_LINE, DiagnosticEntry, MarkdownOptions, Report, SchemaInfo, TableNames, Target,
    TextOptions, json, markdown, text,
};

fn ty(text: &str) -> ColumnType {
    ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn users() -> Table {
    let mut t = Table::new("users");
    t.source = Some(Source {
        file: "drizzle/schema.ts".into(),
        line: 3,
        column: 14,
    });
    let mut id = Column::new("id", ty("int"));
    id.nullable = false;
    t.columns.push(id);
    let mut email = Column::new("email", ty("varchar(255)"));
    email.source = Some(Source {
        file: "drizzle/schema.ts".into(),
        line: 5,
        column: 3,
    });
    t.columns.push(email);
    t
}

fn target() -> Target {
    Target {
        flavor: "mariadb".into(),
        flavor_label: "mariadb 10.11".into(),
        server_version: "10.11.19".into(),
        host: "127.0.0.1:33306".into(),
        database: "shop".into(),
    }
}

fn report(
    expected: &Schema,
    actual: &Schema,
    incomplete: Vec<DiagnosticEntry>,
    not_compared: Vec<String>,
) -> Report {
    let findings = classify(diff(expected, actual), &Policy::default());
    let names = TableNames {
        sources: expected
            .tables
            .iter()
            .filter_map(|t| Some((t.name.clone(), t.source.clone()?)))
            .collect(),
        expected: expected.tables.iter().map(|t| t.name.clone()).collect(),
        actual: actual.tables.iter().map(|t| t.name.clone()).collect(),
        not_compared,
        ignored: vec![],
    };
    let schema = SchemaInfo {
        files: vec!["drizzle/schema.ts".into()],
        tables: expected.tables.len(),
        incomplete,
    };
    Report::new(target(), schema, findings, vec![], names)
}

fn clean() -> Report {
    let s = Schema {
        tables: vec![users()],
        views: vec![],
    };
    report(&s, &s, vec![], vec![])
}

fn mixed_drift() -> Report {
    let expected = Schema {
        tables: vec![users()],
        views: vec![],
    };
    let mut db_users = users();
    db_users.columns[1].ty = ty("varchar(100)");
    db_users
        .columns
        .push(Column::new("hotfix_flag", ty("tinyint(1)")));
    let actual = Schema {
        tables: vec![db_users, Table::new("tmp_import")],
        views: vec![],
    };
    report(&expected, &actual, vec![], vec![])
}

fn incomplete_read() -> Report {
    let s = Schema {
        tables: vec![users()],
        views: vec![],
    };
    let diag = DiagnosticEntry {
        level: "error".into(),
        message: "cannot evaluate `...timestamps` (object spread) in table `posts`".into(),
        file: Some("drizzle/schema.ts".into()),
        line: Some(12),
        column: Some(5),
    };
    report(&s, &s, vec![diag], vec!["posts".into()])
}

const PLAIN: TextOptions = TextOptions {
    color: false,
    verbose: false,
};

#[test]
fn clean_text_report_says_no_schema_drift_detected() {
    let out = text::render(&clean(), PLAIN);
    assert_eq!(out.lines().last(), Some(CLEAN_LINE), "{out}");
    insta::assert_snapshot!("clean_text", out);
}

#[test]
fn mixed_drift_text_report_groups_by_table_with_fixes() {
    let out = text::render(&mixed_drift(), PLAIN);
    assert!(!out.contains(CLEAN_LINE));
    insta::assert_snapshot!("mixed_drift_text", out);
}

#[test]
fn incomplete_read_never_says_no_schema_drift_detected() {
    let out = text::render(&incomplete_read(), PLAIN);
    assert!(!out.contains(CLEAN_LINE), "{out}");
    insta::assert_snapshot!("incomplete_read_text", out);
}

#[test]
fn json_report_follows_the_version_1_contract() {
    let value: serde_json::Value =
        serde_json::from_str(&json::render(&mixed_drift())).unwrap_or_default();
    for key in [
        "version",
        "status",
        "mode",
        "target",
        "schema",
        "summary",
        "drifts",
        "diagnostics",
    ] {
        assert!(value.get(key).is_some(), "missing {key}");
    }
    assert_eq!(value["status"], "drift");
    let drift = &value["drifts"][0];
    for key in [
        "id", "kind", "table", "object", "severity", "expected", "actual", "cause", "message",
        "source", "fix",
    ] {
        assert!(drift.get(key).is_some(), "drift lacks {key}");
    }
    for key in ["sql", "drizzle", "destructive"] {
        assert!(drift["fix"].get(key).is_some(), "fix lacks {key}");
    }
    insta::assert_snapshot!("mixed_drift_json", json::render(&mixed_drift()));
}

#[test]
fn json_mode_is_static_by_default() {
    let value: serde_json::Value =
        serde_json::from_str(&json::render(&clean())).unwrap_or_default();
    assert_eq!(value["mode"], "static");
}

#[test]
fn json_mode_says_dev_database_when_the_schema_was_read_back_from_one() {
    let report = clean().with_dev_database("driftwatch_dev on 127.0.0.1:33306".into());
    let value: serde_json::Value = serde_json::from_str(&json::render(&report)).unwrap_or_default();
    assert_eq!(value["mode"], "dev-database");
    assert_eq!(value["status"], "clean");
}

#[test]
fn clean_text_report_in_dev_database_mode_names_the_dev_database() {
    let report = clean().with_dev_database("driftwatch_dev on 127.0.0.1:33306".into());
    let out = text::render(&report, PLAIN);
    assert_eq!(out.lines().last(), Some(CLEAN_LINE), "{out}");
    insta::assert_snapshot!("clean_dev_database_text", out);
}

#[test]
fn json_status_is_error_when_the_read_was_incomplete() {
    let value: serde_json::Value =
        serde_json::from_str(&json::render(&incomplete_read())).unwrap_or_default();
    assert_eq!(value["status"], "error");
}

#[test]
fn database_object_not_read_exactly_is_never_clean() {
    let s = Schema {
        tables: vec![users()],
        views: vec![],
    };
    let findings = classify(diff(&s, &s), &Policy::default());
    let names = TableNames {
        expected: vec!["users".into()],
        actual: vec!["users".into()],
        ..TableNames::default()
    };
    let schema = SchemaInfo {
        files: vec!["drizzle/schema.ts".into()],
        tables: 1,
        incomplete: vec![],
    };
    let diag = DiagnosticEntry {
        level: "error".into(),
        message:
            "database: table `users`, `id`: unknown EXTRA attribute `FUTURE`; it is not compared"
                .into(),
        file: None,
        line: None,
        column: None,
    };
    let report = Report::new(target(), schema, findings, vec![diag], names);
    assert_eq!(report.status, driftwatch_report::Status::Error);
    let out = text::render(&report, PLAIN);
    assert!(!out.contains(CLEAN_LINE), "{out}");
    assert!(out.contains("unknown EXTRA attribute"), "{out}");
}

/// Mixed drift where the root-cause analysis found the cause of one drift.
fn mixed_drift_with_cause() -> Report {
    let mut report = mixed_drift();
    if let Some(finding) = report.drifts.iter_mut().find(|f| f.table == "users") {
        finding.cause = Cause::ManualModification;
        finding.evidence =
            Some("no migration or snapshot ever had `email` varchar(100)".to_string());
    }
    report
}

/// More drifts and tables than `collapse_after`: twelve columns added by
/// hand to `users`, eleven other tables in sync.
fn many_drifts() -> Report {
    let in_sync: Vec<Table> = (1..=11)
        .map(|n| {
            let mut t = Table::new(format!("t{n:02}"));
            t.columns.push(Column::new("id", ty("int")));
            t
        })
        .collect();
    let expected = Schema {
        tables: [vec![users()], in_sync.clone()].concat(),
        views: vec![],
    };
    let mut db_users = users();
    for n in 1..=12 {
        db_users
            .columns
            .push(Column::new(format!("hotfix_{n:02}"), ty("int")));
    }
    let actual = Schema {
        tables: [vec![db_users], in_sync].concat(),
        views: vec![],
    };
    report(&expected, &actual, vec![], vec![])
}

#[test]
fn clean_markdown_report_has_the_clean_line_on_its_own() {
    let out = markdown::render(&clean());
    assert!(out.lines().any(|l| l == CLEAN_LINE), "{out}");
    insta::assert_snapshot!("clean_markdown", out);
}

#[test]
fn markdown_report_with_errors_never_has_the_clean_line() {
    for report in [incomplete_read(), mixed_drift()] {
        let out = markdown::render(&report);
        assert!(!out.contains(CLEAN_LINE), "{out}");
    }
}

#[test]
fn mixed_drift_markdown_has_summary_tables_causes_and_fix_blocks() {
    let out = markdown::render(&mixed_drift_with_cause());
    assert!(out.contains("| severity | drifts |"), "{out}");
    assert!(out.contains("```sql\n"), "{out}");
    assert!(out.contains("```ts\n"), "{out}");
    assert!(out.contains("`manual_modification`: no migration"), "{out}");
    assert!(out.contains("destructive, needs approval"), "{out}");
    insta::assert_snapshot!("mixed_drift_markdown", out);
}

#[test]
fn incomplete_read_markdown_lists_what_could_not_be_read() {
    let out = markdown::render(&incomplete_read());
    assert!(out.contains("## Could not read exactly"), "{out}");
    insta::assert_snapshot!("incomplete_read_markdown", out);
}

#[test]
fn many_drifts_markdown_folds_each_table_and_starts_with_the_marker() {
    let options = MarkdownOptions {
        marker: Some("env=production".into()),
        collapse_after: 10,
    };
    let out = markdown::render_with(&many_drifts(), &options);
    assert_eq!(
        out.lines().next(),
        Some("<!-- driftwatch:env=production -->")
    );
    assert!(
        out.contains("<details><summary>12 drifts: 12 medium</summary>"),
        "{out}"
    );
    assert!(
        out.contains(
            "| `users` | drifted | 12 medium |\n\n<details><summary>11 tables in sync</summary>"
        ),
        "{out}"
    );
    insta::assert_snapshot!("many_drifts_markdown", out);
}

#[test]
fn markdown_report_is_deterministic() {
    assert_eq!(
        markdown::render(&mixed_drift()),
        markdown::render(&mixed_drift())
    );
}
