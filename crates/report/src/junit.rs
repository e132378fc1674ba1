//! `--format junit`: JUnit XML for CI test-report views. One `<testsuite>`
//! named `driftwatch`; one `<testcase>` per table (classname = database,
//! name = table) with one `<failure>` per drift (type = drift kind, message =
//! the drift's sentence, body = expected, actual, cause, schema location and
//! fix). Tables in sync pass. A table that could not be read exactly is an
//! `<error>` (the verdict is never "clean" for it); a table left out on
//! purpose (`[ignore]`, tablesFilter, the migrations table) is `<skipped>`.
//! Diagnostics that could not be read exactly are `<error>`s of one more test
//! case, `schema read`; warnings go to the suite's `<system-out>`.
//!
//! No clock, no host name: the output is deterministic.

use std::fmt::Write as _;

use driftwatch_diff::Finding;

use crate::report::{DiagnosticEntry, Report, TableStatus};
use crate::text::fragment;

/// The name of the test case that carries the diagnostics.
pub const DIAGNOSTICS_CASE: &str = "schema read";

enum Outcome<'a> {
    Pass,
    Failures(Vec<&'a Finding>),
    Error {
        kind: &'static str,
        message: String,
        body: String,
    },
    Skipped(&'static str),
}

struct Case<'a> {
    name: String,
    file: Option<(String, u32)>,
    outcome: Outcome<'a>,
}

pub fn render(report: &Report) -> String {
    let cases = cases(report);
    let tests = cases.len();
    let failures = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Failures(_)))
        .count();
    let errors = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Error { .. }))
        .count();
    let skipped = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Skipped(_)))
        .count();
    let database = &report.target.database;

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let counts = format!(
        "tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\""
    );
    let _ = writeln!(out, "<testsuites name=\"driftwatch\" {counts}>");
    let _ = writeln!(out, "  <testsuite name=\"driftwatch\" {counts}>");
    let _ = writeln!(out, "    <properties>");
    let t = &report.target;
    let status = match report.status {
        crate::Status::Clean => "clean",
        crate::Status::Drift => "drift",
        crate::Status::Error => "error",
    };
    for (name, value) in [
        ("status", status),
        ("database", t.database.as_str()),
        ("host", t.host.as_str()),
        ("flavor", t.flavor.as_str()),
        ("server", t.flavor_label.as_str()),
        ("server_version", t.server_version.as_str()),
        ("mode", report.mode.name()),
    ] {
        let _ = writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            attr(value)
        );
    }
    let _ = writeln!(
        out,
        "      <property name=\"drifts\" value=\"{}\"/>",
        report.drifts.len()
    );
    let _ = writeln!(out, "    </properties>");

    for case in &cases {
        let location = match &case.file {
            Some((file, line)) => format!(" file=\"{}\" line=\"{line}\"", attr(file)),
            None => String::new(),
        };
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\"{location}",
            attr(database),
            attr(&case.name)
        );
        match &case.outcome {
            Outcome::Pass => {
                let _ = writeln!(out, "{open}/>");
            }
            Outcome::Failures(findings) => {
                let _ = writeln!(out, "{open}>");
                for f in findings {
                    let _ = writeln!(
                        out,
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                        attr(f.kind.name()),
                        attr(&f.message),
                        text(&failure_body(f))
                    );
                }
                let _ = writeln!(out, "    </testcase>");
            }
            Outcome::Error {
                kind,
                message,
                body,
            } => {
                let _ = writeln!(out, "{open}>");
                let _ = writeln!(
                    out,
                    "      <error type=\"{kind}\" message=\"{}\">{}</error>",
                    attr(message),
                    text(body)
                );
                let _ = writeln!(out, "    </testcase>");
            }
            Outcome::Skipped(why) => {
                let _ = writeln!(out, "{open}>");
                let _ = writeln!(out, "      <skipped message=\"{}\"/>", attr(why));
                let _ = writeln!(out, "    </testcase>");
            }
        }
    }

    let warnings: Vec<&DiagnosticEntry> = report
        .schema
        .incomplete
        .iter()
        .chain(&report.diagnostics)
        .filter(|d| d.level != "error")
        .collect();
    if !warnings.is_empty() {
        let body: Vec<String> = warnings
            .iter()
            .map(|d| format!("{}: {}{}", d.level, location(d), d.message))
            .collect();
        let _ = writeln!(
            out,
            "    <system-out>{}</system-out>",
            text(&body.join("\n"))
        );
    }
    let _ = writeln!(out, "  </testsuite>");
    let _ = writeln!(out, "</testsuites>");
    out
}

fn cases(report: &Report) -> Vec<Case<'_>> {
    let mut cases: Vec<Case> = report
        .tables
        .iter()
        .map(|row| {
            let findings: Vec<&Finding> = report
                .drifts
                .iter()
                .filter(|f| f.table == row.name)
                .collect();
            let outcome = if !findings.is_empty() {
                Outcome::Failures(findings)
            } else if row.status == TableStatus::NotCompared {
                Outcome::Error {
                    kind: "not_compared",
                    message: format!(
                        "table `{}` could not be read exactly; it was not compared",
                        row.name
                    ),
                    body: "See the test case `schema read` for what could not be read.".into(),
                }
            } else {
                Outcome::Pass
            };
            Case {
                name: row.name.clone(),
                file: row.source.as_ref().map(|s| (s.file.to_string(), s.line)),
                outcome,
            }
        })
        .collect();
    // Drifts on objects that are not tables of the comparison (views,
    // migrations): a test case each, so that every drift is a failure.
    let mut others: Vec<&str> = Vec::new();
    for f in &report.drifts {
        if !report.tables.iter().any(|t| t.name == f.table) && !others.contains(&f.table.as_str()) {
            others.push(&f.table);
        }
    }
    for name in others {
        let findings: Vec<&Finding> = report.drifts.iter().filter(|f| f.table == name).collect();
        cases.push(Case {
            name: name.to_string(),
            file: findings
                .iter()
                .find_map(|f| f.source.as_ref())
                .map(|s| (s.file.to_string(), s.line)),
            outcome: Outcome::Failures(findings),
        });
    }
    for name in &report.ignored_tables {
        cases.push(Case {
            name: name.clone(),
            file: None,
            outcome: Outcome::Skipped("ignored: left out of the comparison on purpose"),
        });
    }
    let errors: Vec<&DiagnosticEntry> = report
        .schema
        .incomplete
        .iter()
        .chain(&report.diagnostics)
        .filter(|d| d.level == "error")
        .collect();
    if !errors.is_empty() {
        let body: Vec<String> = errors
            .iter()
            .map(|d| format!("{}{}", location(d), d.message))
            .collect();
        cases.push(Case {
            name: DIAGNOSTICS_CASE.to_string(),
            file: None,
            outcome: Outcome::Error {
                kind: "not_read_exactly",
                message: format!(
                    "{} could not be read exactly; the schema was not fully validated",
                    crate::text::plural(errors.len(), "object", "objects")
                ),
                body: body.join("\n"),
            },
        });
    }
    cases
}

fn location(d: &DiagnosticEntry) -> String {
    match (&d.file, d.line, d.column) {
        (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}: "),
        (Some(file), Some(line), None) => format!("{file}:{line}: "),
        (Some(file), _, _) => format!("{file}: "),
        _ => String::new(),
    }
}

fn failure_body(f: &Finding) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "severity: {}", f.severity.name());
    let _ = writeln!(
        body,
        "expected: {}",
        fragment(f.expected.as_ref(), "(absent)")
    );
    let _ = writeln!(
        body,
        "actual:   {}",
        fragment(f.actual.as_ref(), "(absent)")
    );
    match &f.evidence {
        Some(evidence) => {
            let _ = writeln!(body, "cause:    {}: {evidence}", f.cause.name());
        }
        None => {
            let _ = writeln!(
                body,
                "cause:    {}; usually {}",
                f.cause.name(),
                f.kind.usual_cause()
            );
        }
    }
    if let Some(source) = &f.source {
        let _ = writeln!(
            body,
            "schema:   {}:{}:{}",
            source.file, source.line, source.column
        );
    }
    let _ = writeln!(body, "id:       {}", f.id);
    if !f.fix.sql.is_empty() {
        let label = if f.fix.destructive {
            "fix (SQL, database <- schema; destructive, needs approval):"
        } else {
            "fix (SQL, database <- schema):"
        };
        let _ = writeln!(body, "{label}");
        for statement in &f.fix.sql {
            let _ = writeln!(body, "  {statement}");
        }
    }
    if let Some(code) = &f.fix.drizzle {
        let _ = writeln!(body, "or keep it (Drizzle, schema <- database):");
        for line in code.lines() {
            let _ = writeln!(body, "  {line}");
        }
    }
    body
}

/// Character data: `&`, `<`, `>` escaped; characters XML 1.0 forbids replaced.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An attribute value in double quotes: also `"`, `'`, and the whitespace an
/// XML parser would otherwise normalize to spaces.
pub fn attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Not a `Char` of XML 1.0 (§2.2).
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_escape_markup_quotes_and_line_breaks() {
        assert_eq!(attr("a<b>&\"c'\nd"), "a&lt;b&gt;&amp;&quot;c&apos;&#10;d");
    }

    #[test]
    fn text_replaces_characters_xml_forbids() {
        assert_eq!(text("a\u{1}b\tc\n<"), "a\u{FFFD}b\tc\n&lt;");
    }
}
