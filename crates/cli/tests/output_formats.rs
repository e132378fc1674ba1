//! `validate --format github|junit|sarif|html` (and the JSON Schema of
//! `--format json`) on the example app (examples/shop) migrated by its
//! drizzle-kit migrations, then changed by hand three ways: a column
//! widened (medium, declared in the schema), a column dropped (high, declared
//! in the schema) and a table created (medium, no schema location).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{TestDb, driftwatch, shop_dir, stderr, stdout};

const DRIFTS: usize = 3;

fn drifted(label: &str) -> Option<TestDb> {
    let server = common::server_url()?;
    let db = TestDb::create(&server, label);
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    db.exec(&[
        "ALTER TABLE products MODIFY name varchar(500) NOT NULL".to_string(),
        "ALTER TABLE users DROP COLUMN password_hash".to_string(),
        "CREATE TABLE tmp_backup (id int PRIMARY KEY, payload text)".to_string(),
    ]);
    Some(db)
}

/// The 1-based line of the schema that contains `needle`.
fn schema_line(needle: &str) -> usize {
    let path = shop_dir().join("drizzle/schema.ts");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle:?} not in {path:?}"))
}

fn run(db: &TestDb, args: &[&str], env: &[(&str, &str)]) -> Output {
    let url = db.url();
    let mut all_env = vec![("DATABASE_URL", url.as_str())];
    all_env.extend_from_slice(env);
    let output = driftwatch(args, &shop_dir(), &all_env);
    assert_eq!(
        output.status.code(),
        Some(1),
        "stdout:\n{}\nstderr:\n{}",
        stdout(&output),
        stderr(&output)
    );
    output
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

#[test]
fn github_annotations_point_at_the_schema_lines_and_the_job_summary_gets_markdown() {
    let Some(db) = drifted("github_format") else {
        return;
    };
    let dir = tempdir();
    let summary = dir.path().join("step_summary.md");
    std::fs::write(&summary, "## an earlier step\n").unwrap_or_else(|e| panic!("{e}"));
    let summary_arg = summary.to_string_lossy().to_string();
    let output = run(
        &db,
        &["validate", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary_arg)],
    );
    let out = stdout(&output);
    let annotations: Vec<&str> = out.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), DRIFTS, "{out}");
    assert_eq!(out.lines().count(), DRIFTS + 1, "{out}");

    let name_line = schema_line("name: varchar('name', { length: 255 })");
    let widened = annotations
        .iter()
        .find(|l| l.contains("column_type_mismatch on products.name"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        widened.starts_with(&format!(
            "::warning file=drizzle/schema.ts,line={name_line},col=5,"
        )),
        "{widened}"
    );
    let password_line = schema_line("passwordHash: char('password_hash'");
    let dropped = annotations
        .iter()
        .find(|l| l.contains("column_missing_in_db on users.password_hash"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        dropped.starts_with(&format!(
            "::error file=drizzle/schema.ts,line={password_line},col=5,"
        )),
        "{dropped}"
    );
    let extra = annotations
        .iter()
        .find(|l| l.contains("table_extra_in_db on tmp_backup"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(extra.starts_with("::warning title="), "{extra}");
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!(
            "driftwatch: schema drift in {}: 3 discrepancies",
            db.name
        )),
        "{last}"
    );

    let written = read(&summary);
    assert!(
        written.starts_with("## an earlier step\n"),
        "appended:\n{written}"
    );
    assert!(
        written.contains("# driftwatch: schema drift in "),
        "{written}"
    );
    assert!(written.contains("| **total** | **3** |"), "{written}");
    assert!(!out.contains(&db.url()) && !written.contains(&db.url()));
}

#[test]
fn github_job_summary_that_cannot_be_written_is_a_warning_not_a_failure() {
    let Some(db) = drifted("github_summary_fails") else {
        return;
    };
    let dir = tempdir();
    // A directory cannot be opened for appending.
    let summary_arg = dir.path().to_string_lossy().to_string();
    let output = run(
        &db,
        &["validate", "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", &summary_arg)],
    );
    assert!(
        stderr(&output).contains("warning: could not append the report to GITHUB_STEP_SUMMARY"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        stdout(&output)
            .lines()
            .filter(|l| l.starts_with("::"))
            .count(),
        DRIFTS
    );
}

#[test]
fn junit_output_file_has_a_failure_per_drift_and_passing_tables() {
    let Some(db) = drifted("junit_format") else {
        return;
    };
    let dir = tempdir();
    let path = dir.path().join("drift.xml");
    let path_arg = path.to_string_lossy().to_string();
    let output = run(
        &db,
        &["validate", "--format", "junit", "--output", &path_arg],
        &[],
    );
    assert_eq!(stdout(&output), "", "the report went to stdout too");
    let xml = read(&path);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), DRIFTS, "{xml}");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    for case in &cases {
        assert_eq!(case.attribute("classname"), Some(db.name.as_str()), "{xml}");
    }
    let products = cases
        .iter()
        .find(|c| c.attribute("name") == Some("products"))
        .unwrap_or_else(|| panic!("{xml}"));
    let failure = products
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap_or_else(|| panic!("{xml}"));
    assert_eq!(failure.attribute("type"), Some("column_type_mismatch"));
    assert!(
        failure
            .text()
            .unwrap_or_default()
            .contains("ALTER TABLE `products` MODIFY COLUMN `name` varchar(255)"),
        "{xml}"
    );
    // Tables without drift pass: no child element.
    let passing = cases
        .iter()
        .filter(|c| c.children().all(|n| !n.is_element()))
        .count();
    assert!(passing >= 5, "{xml}");
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap_or_else(|| panic!("{xml}"));
    assert_eq!(suite.attribute("failures"), Some("3"), "{xml}");
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
}

#[test]
fn sarif_output_has_a_result_per_drift_with_schema_locations() {
    let Some(db) = drifted("sarif_format") else {
        return;
    };
    let dir = tempdir();
    let path = dir.path().join("drift.sarif");
    let path_arg = path.to_string_lossy().to_string();
    run(
        &db,
        &["validate", "--format", "sarif", "--output", &path_arg],
        &[],
    );
    let text = read(&path);
    let log: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(results.len(), DRIFTS, "{text}");
    let widened = results
        .iter()
        .find(|r| r["ruleId"] == "column_type_mismatch")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(widened["level"], "warning");
    let physical = &widened["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "drizzle/schema.ts");
    assert_eq!(
        physical["region"]["startLine"],
        schema_line("name: varchar('name', { length: 255 })")
    );
    assert_eq!(widened["properties"]["cause"], "manual_modification");
    let dropped = results
        .iter()
        .find(|r| r["ruleId"] == "column_missing_in_db")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(dropped["level"], "error");
    validate_with_python("sarif", &path);
}

#[test]
fn html_output_is_one_self_contained_page_with_the_severity_overview() {
    let Some(db) = drifted("html_format") else {
        return;
    };
    let dir = tempdir();
    let path = dir.path().join("drift.html");
    let path_arg = path.to_string_lossy().to_string();
    run(
        &db,
        &["validate", "--format", "html", "--output", &path_arg],
        &[],
    );
    let html = read(&path);
    for expected in [
        "<!DOCTYPE html>",
        "<section class=\"overview\" aria-label=\"Severity overview\">",
        "<div class=\"tile sev-high\"><span class=\"count\">1</span>",
        "<div class=\"tile sev-medium\"><span class=\"count\">2</span>",
        "<article class=\"card\" id=\"table-products\">",
        "<code class=\"language-sql\">ALTER TABLE `products` MODIFY COLUMN `name` varchar(255)",
    ] {
        assert!(html.contains(expected), "missing {expected:?} in:\n{html}");
    }
    for forbidden in [
        "<script", "<link", "src=", "http://", "https://", "mysql://",
    ] {
        assert!(!html.contains(forbidden), "{forbidden} in:\n{html}");
    }
    assert!(!html.contains(&db.url()), "the URL (password) leaked");
}

#[test]
fn json_output_validates_against_docs_report_schema() {
    let Some(db) = drifted("json_schema") else {
        return;
    };
    let dir = tempdir();
    let path = dir.path().join("drift.json");
    let path_arg = path.to_string_lossy().to_string();
    run(
        &db,
        &["validate", "--format", "json", "--output", &path_arg],
        &[],
    );
    validate_with_python("json", &path);
}

/// tests/formats/validate.py with `DRIFTWATCH_FORMATS_PYTHON` (scripts/test.sh
/// points it at a venv with `jsonschema`), else `python3` when it has
/// `jsonschema`; skipped (with a notice) otherwise.
fn validate_with_python(kind: &str, path: &Path) {
    let python = match std::env::var("DRIFTWATCH_FORMATS_PYTHON") {
        Ok(python) if !python.is_empty() => python,
        _ => {
            let available = Command::new("python3")
                .args(["-c", "import jsonschema"])
                .output()
                .is_ok_and(|o| o.status.success());
            if !available {
                eprintln!(
                    "skipped: no python3 with jsonschema (scripts/test.sh sets DRIFTWATCH_FORMATS_PYTHON)"
                );
                return;
            }
            "python3".to_string()
        }
    };
    let output = Command::new(&python)
        .arg(common::repo_root().join("tests/formats/validate.py"))
        .arg(kind)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("{python}: {e}"));
    assert!(
        output.status.success(),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
}

/// Every manual modification of `common::MODIFICATIONS` at once (indexes,
/// foreign keys, defaults, checks, enums, tables, renames…): the JSON report
/// follows docs/report.schema.json, the SARIF log the official schema, and
/// the JUnit XML has one failure per drift.
#[test]
fn every_modification_at_once_validates_as_json_sarif_and_junit() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "all_modifications");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    for modification in common::MODIFICATIONS {
        let changes: Vec<String> = modification.changes.iter().map(|c| c.to_string()).collect();
        db.exec(&changes);
    }
    let dir = tempdir();
    let json_path = dir.path().join("all.json");
    let json_arg = json_path.to_string_lossy().to_string();
    run(
        &db,
        &["validate", "--format", "json", "--output", &json_arg],
        &[],
    );
    let text = read(&json_path);
    let report: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let drifts = report["drifts"].as_array().cloned().unwrap_or_default();
    for modification in common::MODIFICATIONS {
        for (kind, table) in modification.expected {
            assert!(
                drifts
                    .iter()
                    .any(|d| d["kind"] == *kind && d["table"] == *table),
                "{}: no {kind} on {table}",
                modification.label
            );
        }
    }
    validate_with_python("json", &json_path);

    let sarif_path = dir.path().join("all.sarif");
    let sarif_arg = sarif_path.to_string_lossy().to_string();
    run(
        &db,
        &["validate", "--format", "sarif", "--output", &sarif_arg],
        &[],
    );
    let sarif_text = read(&sarif_path);
    let log: serde_json::Value =
        serde_json::from_str(&sarif_text).unwrap_or_else(|e| panic!("{e}\n{sarif_text}"));
    assert_eq!(
        log["runs"][0]["results"].as_array().map(Vec::len),
        Some(drifts.len())
    );
    validate_with_python("sarif", &sarif_path);

    let junit_path = dir.path().join("all.xml");
    let junit_arg = junit_path.to_string_lossy().to_string();
    run(
        &db,
        &["validate", "--format", "junit", "--output", &junit_arg],
        &[],
    );
    let xml = read(&junit_path);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        drifts.len(),
        "{xml}"
    );
    validate_with_python("junit", &junit_path);
}
