//! The CI formats (github, junit, sarif, html) and the JSON Schema of the
//! JSON report, on a drifted report (one drift of each severity, one without
//! a schema location), a clean one, an incomplete read and one whose texts
//! are full of characters each format must escape.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use driftwatch_diff::{Cause, DriftKind, Policy, classify, diff};
use driftwatch_model::{Column, ColumnType, Schema, Source, Table};
use driftwatch_report::{
    CLEAN_LINE, DiagnosticEntry, Report, SchemaInfo, TableNames, Target, github, html, json, junit,
    markdown, sarif,
};

fn ty(text: &str) -> ColumnType {
    ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn src(line: u32, column: u32) -> Option<Source> {
    Some(Source {
        file: "drizzle/schema.ts".into(),
        line,
        column,
    })
}

fn users() -> Table {
    let mut t = Table::new("users");
    t.source = src(3, 14);
    let mut id = Column::new("id", ty("int"));
    id.nullable = false;
    t.columns.push(id);
    let mut email = Column::new("email", ty("varchar(255)"));
    email.source = src(5, 3);
    t.columns.push(email);
    let mut name = Column::new("display_name", ty("varchar(80)"));
    name.source = src(6, 3);
    t.columns.push(name);
    t
}

fn orders() -> Table {
    let mut t = Table::new("orders");
    t.source = src(10, 14);
    t.columns.push(Column::new("id", ty("int")));
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
    policy: &Policy,
    incomplete: Vec<DiagnosticEntry>,
    not_compared: Vec<String>,
) -> Report {
    let findings = classify(diff(expected, actual), policy);
    let names = TableNames {
        sources: expected
            .tables
            .iter()
            .filter_map(|t| Some((t.name.clone(), t.source.clone()?)))
            .collect(),
        expected: expected.tables.iter().map(|t| t.name.clone()).collect(),
        actual: actual.tables.iter().map(|t| t.name.clone()).collect(),
        not_compared,
        ignored: vec!["__drizzle_migrations".into()],
    };
    let schema = SchemaInfo {
        files: vec!["drizzle/schema.ts".into()],
        tables: expected.tables.len(),
        incomplete,
    };
    Report::new(target(), schema, findings, vec![], names)
}

fn schema(tables: Vec<Table>) -> Schema {
    Schema {
        tables,
        views: vec![],
    }
}

fn clean() -> Report {
    let s = schema(vec![users(), orders()]);
    report(&s, &s, &Policy::default(), vec![], vec![])
}

/// Production policy with two overrides, so that there is one drift of each
/// severity: `users.email` narrowed (critical), `users.display_name` missing
/// (high, overridden), table `tmp_import` extra (medium, no schema location),
/// `users.hotfix_flag` extra (low, overridden). `orders` is in sync.
fn drifted() -> Report {
    let expected = schema(vec![users(), orders()]);
    let mut db_users = users();
    db_users.columns[1].ty = ty("varchar(100)");
    db_users.columns.remove(2);
    db_users
        .columns
        .push(Column::new("hotfix_flag", ty("tinyint(1)")));
    let actual = schema(vec![db_users, orders(), Table::new("tmp_import")]);
    let policy = Policy {
        production: true,
        overrides: HashMap::from([
            (
                DriftKind::ColumnMissingInDb,
                driftwatch_diff::Severity::High,
            ),
            (DriftKind::ColumnExtraInDb, driftwatch_diff::Severity::Low),
        ]),
    };
    let mut report = report(&expected, &actual, &policy, vec![], vec![]);
    if let Some(f) = report
        .drifts
        .iter_mut()
        .find(|f| f.kind == DriftKind::ColumnTypeMismatch)
    {
        f.cause = Cause::ManualModification;
        f.evidence = Some("no migration or snapshot ever had `email` varchar(100)".into());
    }
    report
}

fn incomplete_read() -> Report {
    let s = schema(vec![users()]);
    let diag = DiagnosticEntry {
        level: "error".into(),
        message: "cannot evaluate `...timestamps` (object spread) in table `posts`".into(),
        file: Some("drizzle/schema.ts".into()),
        line: Some(12),
        column: Some(5),
    };
    report(&s, &s, &Policy::default(), vec![diag], vec!["posts".into()])
}

const HOSTILE_MESSAGE: &str =
    "100% <script>alert('x')</script> & \"quoted\"\r\nsecond line: a,b ]]> --";
const HOSTILE_FILE: &str = "db/we,ird: 50%.ts";

/// The drifted report with a message and a file name each format must escape.
fn hostile() -> Report {
    let mut report = drifted();
    for f in &mut report.drifts {
        f.message = HOSTILE_MESSAGE.to_string();
        if let Some(source) = &mut f.source {
            source.file = HOSTILE_FILE.into();
        }
    }
    report
}

/// The tool version, which sits in SARIF and HTML output, as a placeholder
/// (snapshots survive a release).
fn unversioned(out: &str) -> String {
    out.replace(env!("CARGO_PKG_VERSION"), "[version]")
}

fn severity_counts(report: &Report) -> [usize; 4] {
    let s = &report.summary;
    [s.critical, s.high, s.medium, s.low]
}

#[test]
fn the_drifted_fixture_has_one_drift_of_each_severity() {
    let report = drifted();
    assert_eq!(
        severity_counts(&report),
        [1, 1, 1, 1],
        "{:#?}",
        report.drifts
    );
    assert!(report.drifts.iter().any(|f| f.source.is_none()));
}

// ---------------------------------------------------------------- github

fn annotations(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| {
            l.starts_with("::error") || l.starts_with("::warning") || l.starts_with("::notice")
        })
        .collect()
}

#[test]
fn github_has_one_annotation_per_drift_at_its_schema_line_then_a_summary() {
    let report = drifted();
    let out = github::render(&report);
    let annotations = annotations(&out);
    assert_eq!(annotations.len(), report.drifts.len(), "{out}");
    assert_eq!(out.lines().count(), report.drifts.len() + 1, "{out}");
    for (line, finding) in annotations.iter().zip(&report.drifts) {
        let command = match finding.severity {
            driftwatch_diff::Severity::Critical | driftwatch_diff::Severity::High => "::error",
            driftwatch_diff::Severity::Medium => "::warning",
            driftwatch_diff::Severity::Low => "::notice",
        };
        assert!(line.starts_with(command), "{line}");
        match &finding.source {
            Some(s) => assert!(
                line.contains(&format!(
                    "file={},line={},col={},",
                    s.file, s.line, s.column
                )),
                "{line}"
            ),
            None => assert!(!line.contains("file="), "{line}"),
        }
        assert!(line.contains(&finding.id), "{line}");
    }
    let email = annotations
        .iter()
        .find(|l| l.contains("column_type_mismatch"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        email.starts_with("::error file=drizzle/schema.ts,line=5,col=3,title="),
        "{email}"
    );
    assert!(
        email.contains("%0Acause: manual_modification: no migration"),
        "{email}"
    );
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("driftwatch: schema drift in shop: 4 discrepancies"),
        "{last}"
    );
    insta::assert_snapshot!("drifted_github", out);
}

#[test]
fn clean_github_output_is_only_the_summary_line() {
    let out = github::render(&clean());
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.trim_end().ends_with(CLEAN_LINE), "{out}");
    insta::assert_snapshot!("clean_github", out);
}

#[test]
fn github_annotations_escape_as_the_actions_toolkit_does() {
    let out = github::render(&hostile());
    // One physical line per annotation: CR and LF never leak.
    assert_eq!(out.lines().count(), hostile().drifts.len() + 1, "{out}");
    assert!(!out.contains('\r'), "{out}");
    assert!(
        out.contains("file=db/we%2Cird%3A 50%25.ts,line=5,col=3,"),
        "{out}"
    );
    // In the message, `:` and `,` stay; `%`, CR and LF are escaped.
    assert!(
        out.contains("::100%25 <script>alert('x')</script> & \"quoted\"%0D%0Asecond line: a,b"),
        "{out}"
    );
}

#[test]
fn github_incomplete_read_annotates_the_diagnostic_and_is_not_clean() {
    let out = github::render(&incomplete_read());
    assert!(
        out.starts_with("::error file=drizzle/schema.ts,line=12,col=5,title=driftwatch%3A could not read exactly::cannot evaluate"),
        "{out}"
    );
    assert!(!out.contains(CLEAN_LINE), "{out}");
    assert!(out.contains("validation incomplete"), "{out}");
}

#[test]
fn github_step_summary_is_the_markdown_report() {
    assert_eq!(
        github::step_summary(&drifted()),
        markdown::render(&drifted())
    );
}

// ---------------------------------------------------------------- junit

fn parse_xml(out: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(out).unwrap_or_else(|e| panic!("{e}\n{out}"))
}

#[test]
fn junit_has_one_testcase_per_table_and_one_failure_per_drift() {
    let report = drifted();
    let out = junit::render(&report);
    let doc = parse_xml(&out);
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(suite.attribute("name"), Some("driftwatch"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // users, orders, tmp_import and the ignored migrations table.
    assert_eq!(cases.len(), report.tables.len() + 1, "{out}");
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    let failures: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), report.drifts.len(), "{out}");
    // Two tables fail (users: three drifts; tmp_import: one).
    assert_eq!(suite.attribute("failures"), Some("2"), "{out}");
    assert_eq!(suite.attribute("skipped"), Some("1"), "{out}");
    for case in &cases {
        assert_eq!(case.attribute("classname"), Some("shop"));
    }
    let orders = cases
        .iter()
        .find(|c| c.attribute("name") == Some("orders"))
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(
        orders.children().filter(|n| n.is_element()).count(),
        0,
        "orders passes"
    );
    let email = failures
        .iter()
        .find(|f| f.attribute("type") == Some("column_type_mismatch"))
        .unwrap_or_else(|| panic!("{out}"));
    let body = email.text().unwrap_or_default();
    for expected in [
        "expected: `email` varchar(255)",
        "actual:   `email` varchar(100)",
        "cause:    manual_modification: no migration",
        "ALTER TABLE `users` MODIFY COLUMN `email` varchar(255) NULL;",
    ] {
        assert!(body.contains(expected), "missing {expected:?} in {body}");
    }
    insta::assert_snapshot!("drifted_junit", out);
}

#[test]
fn clean_junit_has_only_passing_tables() {
    let out = junit::render(&clean());
    let doc = parse_xml(&out);
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure") || n.has_tag_name("error"))
            .count(),
        0,
        "{out}"
    );
    assert!(
        out.contains("tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"1\""),
        "{out}"
    );
    insta::assert_snapshot!("clean_junit", out);
}

#[test]
fn junit_not_compared_tables_and_unreadable_constructs_are_errors() {
    let out = junit::render(&incomplete_read());
    let doc = parse_xml(&out);
    let errors: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert_eq!(errors.len(), 2, "{out}");
    assert!(
        errors
            .iter()
            .any(|e| e.attribute("type") == Some("not_compared"))
    );
    let read = errors
        .iter()
        .find(|e| e.attribute("type") == Some("not_read_exactly"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        read.text()
            .unwrap_or_default()
            .contains("drizzle/schema.ts:12:5: cannot evaluate `...timestamps`"),
        "{out}"
    );
}

#[test]
fn junit_escapes_every_text_and_attribute() {
    let out = junit::render(&hostile());
    let doc = parse_xml(&out);
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap_or_else(|| panic!("{out}"));
    // The attribute round-trips exactly, line break included.
    assert_eq!(failure.attribute("message"), Some(HOSTILE_MESSAGE));
    assert!(!out.contains("<script>"), "{out}");
}

// ---------------------------------------------------------------- sarif

fn parse_json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}\n{out}"))
}

#[test]
fn sarif_has_one_result_per_drift_and_one_rule_per_kind_used() {
    let report = drifted();
    let out = sarif::render(&report);
    let log = parse_json(&out);
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = log["runs"].as_array().cloned().unwrap_or_default();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "driftwatch");
    assert!(run["tool"]["driver"]["informationUri"].is_string());
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results.len(), report.drifts.len(), "{out}");
    let mut kinds: Vec<&str> = report.drifts.iter().map(|f| f.kind.name()).collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(rules.len(), kinds.len(), "{out}");
    for (result, finding) in results.iter().zip(&report.drifts) {
        assert_eq!(result["ruleId"], finding.kind.name());
        let index = result["ruleIndex"].as_u64().unwrap_or(999) as usize;
        assert_eq!(rules[index]["id"], finding.kind.name());
        assert_eq!(result["level"], sarif::level(finding.severity));
        assert_eq!(result["message"]["text"], finding.message.as_str());
        assert_eq!(
            result["partialFingerprints"][sarif::FINGERPRINT_KEY],
            finding.id.as_str()
        );
        assert_eq!(result["properties"]["severity"], finding.severity.name());
        assert_eq!(result["properties"]["cause"], finding.cause.name());
        let physical = &result["locations"][0]["physicalLocation"];
        match &finding.source {
            Some(s) => {
                assert_eq!(physical["artifactLocation"]["uri"], &*s.file);
                assert_eq!(physical["region"]["startLine"], s.line);
                assert_eq!(physical["region"]["startColumn"], s.column);
            }
            None => assert!(physical.is_null(), "{result}"),
        }
    }
    let levels: Vec<&str> = results.iter().filter_map(|r| r["level"].as_str()).collect();
    assert_eq!(levels.iter().filter(|l| **l == "error").count(), 2);
    assert_eq!(levels.iter().filter(|l| **l == "warning").count(), 1);
    assert_eq!(levels.iter().filter(|l| **l == "note").count(), 1);
    insta::assert_snapshot!("drifted_sarif", unversioned(&out));
}

#[test]
fn clean_sarif_has_no_results_and_a_successful_invocation() {
    let out = sarif::render(&clean());
    let log = parse_json(&out);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    insta::assert_snapshot!("clean_sarif", unversioned(&out));
}

#[test]
fn sarif_incomplete_read_is_an_unsuccessful_invocation_with_the_diagnostic() {
    let log = parse_json(&sarif::render(&incomplete_read()));
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["region"]["startLine"],
        12
    );
}

// ---------------------------------------------------------------- html

#[test]
fn html_has_header_severity_tiles_cards_and_fixes() {
    let report = drifted();
    let out = html::render(&report);
    assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
    for expected in [
        "<title>driftwatch: schema drift in shop</title>",
        "<dt>Database</dt><dd><code>shop</code></dd>",
        "<dt>Host</dt><dd><code>127.0.0.1:33306</code></dd>",
        "<div class=\"tile sev-critical\"><span class=\"count\">1</span><span class=\"label\">critical</span></div>",
        "<div class=\"tile sev-low\"><span class=\"count\">1</span><span class=\"label\">low</span></div>",
        "<article class=\"card\" id=\"table-users\">",
        "<article class=\"card\" id=\"table-tmp_import\">",
        "<pre class=\"fix\"><code class=\"language-sql\">ALTER TABLE `users` MODIFY COLUMN `email` varchar(255) NULL;</code></pre>",
        "<dt>Evidence</dt><dd>no migration or snapshot ever had `email` varchar(100)</dd>",
        "@media print",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert_eq!(
        out.matches("<div class=\"drift sev-").count(),
        report.drifts.len()
    );
    assert!(!out.contains(CLEAN_LINE), "{out}");
    assert!(!out.contains("tile total clean"), "{out}");
    insta::assert_snapshot!("drifted_html", unversioned(&out));
}

/// The pages tests/formats/screenshot.sh renders in headless Chromium.
#[test]
fn html_pages_are_written_for_the_screenshot_check() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("formats");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
    for (name, report) in [("drifted.html", drifted()), ("clean.html", clean())] {
        let path = dir.join(name);
        std::fs::write(&path, html::render(&report)).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    }
}

#[test]
fn html_is_self_contained() {
    for report in [drifted(), clean(), incomplete_read()] {
        let out = html::render(&report);
        for forbidden in [
            "<script", "<link", "<img", "@import", "url(", "src=", "http://", "https://",
        ] {
            assert!(!out.contains(forbidden), "{forbidden} in:\n{out}");
        }
    }
}

#[test]
fn clean_html_says_no_schema_drift_detected() {
    let out = html::render(&clean());
    assert!(out.contains(CLEAN_LINE), "{out}");
    assert!(!out.contains("<article class=\"card\""), "{out}");
    assert!(out.contains("<div class=\"tile total clean\">"), "{out}");
    insta::assert_snapshot!("clean_html", unversioned(&out));
}

#[test]
fn html_escapes_every_text() {
    let out = html::render(&hostile());
    assert!(!out.contains("<script>"), "{out}");
    assert!(
        out.contains(
            "100% &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"
        ),
        "{out}"
    );
}

#[test]
fn html_never_shows_credentials_even_if_the_host_had_them() {
    // The target never carries credentials (mysql url.rs redacts them); the
    // page shows only what the target holds.
    let out = html::render(&drifted());
    assert!(!out.contains("mysql://"), "{out}");
}

// ---------------------------------------------------------------- JSON Schema

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn report_schema() -> serde_json::Value {
    let path = repo_root().join("docs/report.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    parse_json(&text)
}

fn keys(value: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

/// Without a JSON Schema validator: the schema names exactly the fields the
/// JSON has, at the top, in a drift and in its fix, and every drift kind.
#[test]
fn report_schema_lists_exactly_the_emitted_fields_and_kinds() {
    let schema = report_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let value = parse_json(&json::render(&drifted()));
    assert_eq!(keys(&schema["properties"]), keys(&value));
    let mut required: Vec<String> = schema["required"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    required.sort();
    assert_eq!(required, keys(&value));
    for part in ["target", "schema", "summary"] {
        assert_eq!(
            keys(&schema["properties"][part]["properties"]),
            keys(&value[part]),
            "{part}"
        );
    }
    let drift = &schema["$defs"]["drift"]["properties"];
    // `evidence` is present only with a known cause (the first drift has one).
    let with_evidence = value["drifts"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d.get("evidence").is_some()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(keys(drift), keys(&with_evidence));
    assert_eq!(
        keys(&drift["fix"]["properties"]),
        keys(&with_evidence["fix"])
    );
    let mut kinds: Vec<String> = schema["$defs"]["kind"]["enum"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    kinds.sort();
    let mut all: Vec<String> = DriftKind::ALL
        .iter()
        .map(|k| k.name().to_string())
        .collect();
    all.sort();
    assert_eq!(kinds, all);
}

// ------------------------------------------- schema validation (Python jsonschema)

/// The Python that runs tests/formats/validate.py: `DRIFTWATCH_FORMATS_PYTHON`
/// (scripts/test.sh points it at a venv with `jsonschema`; then a failure to
/// run is a test failure), else `python3` when it has `jsonschema`, else
/// `None` (the test says it skipped).
fn validator_python() -> Option<String> {
    if let Ok(python) = std::env::var("DRIFTWATCH_FORMATS_PYTHON")
        && !python.is_empty()
    {
        return Some(python);
    }
    let available = Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output()
        .is_ok_and(|o| o.status.success());
    if available {
        Some("python3".into())
    } else {
        eprintln!(
            "skipped: no python3 with jsonschema (scripts/test.sh sets DRIFTWATCH_FORMATS_PYTHON)"
        );
        None
    }
}

fn validate(kind: &str, files: &[(&str, String)]) {
    let Some(python) = validator_python() else {
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("formats");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}"));
    let mut paths = Vec::new();
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        paths.push(path);
    }
    let output = Command::new(&python)
        .arg(repo_root().join("tests/formats/validate.py"))
        .arg(kind)
        .args(&paths)
        .output()
        .unwrap_or_else(|e| panic!("{python}: {e}"));
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn json_reports_validate_against_docs_report_schema() {
    validate(
        "json",
        &[
            ("drifted.json", json::render(&drifted())),
            ("clean.json", json::render(&clean())),
            ("incomplete.json", json::render(&incomplete_read())),
            ("hostile.json", json::render(&hostile())),
        ],
    );
}

#[test]
fn sarif_logs_validate_against_the_official_sarif_2_1_0_schema() {
    validate(
        "sarif",
        &[
            ("drifted.sarif", sarif::render(&drifted())),
            ("clean.sarif", sarif::render(&clean())),
            ("incomplete.sarif", sarif::render(&incomplete_read())),
            ("hostile.sarif", sarif::render(&hostile())),
        ],
    );
}

#[test]
fn junit_reports_parse_and_their_counts_add_up() {
    validate(
        "junit",
        &[
            ("drifted.xml", junit::render(&drifted())),
            ("clean.xml", junit::render(&clean())),
            ("incomplete.xml", junit::render(&incomplete_read())),
            ("hostile.xml", junit::render(&hostile())),
        ],
    );
}
