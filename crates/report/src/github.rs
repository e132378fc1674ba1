//! `--format github`: GitHub Actions workflow commands. One annotation per
//! drift (`::error` for critical and high, `::warning` for medium, `::notice`
//! for low) on the schema line that declares the drifted table or column,
//! one per diagnostic, then a one-line summary. The job summary
//! (`$GITHUB_STEP_SUMMARY`) gets the markdown report: [`step_summary`]; the
//! CLI appends it to the file, this module only renders.
//!
//! Escaping is the one of `@actions/core` (`toolkit/packages/core/src/command.ts`):
//! the message escapes `%`, `\r` and `\n`; property values also `:` and `,`.

use std::fmt::Write as _;

use driftwatch_diff::{Finding, Severity};

use crate::report::{DiagnosticEntry, Report, Status};
use crate::text::{CLEAN_LINE, fragment, plural};

/// The workflow command of a severity.
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// The annotations (one line each) and the summary line.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for finding in &report.drifts {
        let _ = writeln!(out, "{}", annotation(finding));
    }
    for diagnostic in report.schema.incomplete.iter().chain(&report.diagnostics) {
        let _ = writeln!(out, "{}", diagnostic_annotation(diagnostic));
    }
    let _ = writeln!(out, "{}", summary_line(report));
    out
}

/// What `$GITHUB_STEP_SUMMARY` gets: the markdown report.
pub fn step_summary(report: &Report) -> String {
    crate::markdown::render(report)
}

/// One `::error|warning|notice …::message` line for a drift.
pub fn annotation(f: &Finding) -> String {
    let object = match &f.object {
        Some(object) => format!("{}.{object}", f.table),
        None => f.table.clone(),
    };
    let title = format!(
        "driftwatch {}: {} on {object}",
        f.severity.name(),
        f.kind.name()
    );
    let mut properties: Vec<(&str, String)> = Vec::new();
    if let Some(source) = &f.source {
        properties.push(("file", source.file.to_string()));
        properties.push(("line", source.line.to_string()));
        properties.push(("col", source.column.to_string()));
    }
    properties.push(("title", title));

    let mut message = f.message.clone();
    let _ = write!(
        message,
        "\nexpected: {}\nactual:   {}",
        fragment(f.expected.as_ref(), "(absent)"),
        fragment(f.actual.as_ref(), "(absent)")
    );
    match &f.evidence {
        Some(evidence) => {
            let _ = write!(message, "\ncause: {}: {evidence}", f.cause.name());
        }
        None => {
            let _ = write!(
                message,
                "\ncause: {}; usually {}",
                f.cause.name(),
                f.kind.usual_cause()
            );
        }
    }
    if !f.fix.sql.is_empty() {
        let label = if f.fix.destructive {
            "fix (destructive, needs approval)"
        } else {
            "fix"
        };
        let _ = write!(message, "\n{label}:\n{}", f.fix.sql.join("\n"));
    }
    let _ = write!(message, "\nid: {}", f.id);
    workflow_command(command(f.severity), &properties, &message)
}

fn diagnostic_annotation(d: &DiagnosticEntry) -> String {
    let mut properties: Vec<(&str, String)> = Vec::new();
    if let Some(file) = &d.file {
        properties.push(("file", file.clone()));
        if let Some(line) = d.line {
            properties.push(("line", line.to_string()));
        }
        if let Some(column) = d.column {
            properties.push(("col", column.to_string()));
        }
    }
    let (name, title) = if d.level == "error" {
        ("error", "driftwatch: could not read exactly")
    } else {
        ("warning", "driftwatch: warning")
    };
    properties.push(("title", title.to_string()));
    workflow_command(name, &properties, &d.message)
}

/// The last line: the verdict in one sentence (the clean line when clean).
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let counts = format!(
        "{} critical, {} high, {} medium, {} low",
        s.critical, s.high, s.medium, s.low
    );
    match report.status {
        Status::Clean => format!(
            "driftwatch: {} compared in {}: {CLEAN_LINE}",
            plural(s.tables_compared, "table", "tables"),
            report.target.database
        ),
        Status::Drift => format!(
            "driftwatch: schema drift in {}: {} in {} compared ({counts})",
            report.target.database,
            plural(report.drifts.len(), "discrepancy", "discrepancies"),
            plural(s.tables_compared, "table", "tables"),
        ),
        Status::Error => format!(
            "driftwatch: validation incomplete for {}: {} in {} compared ({counts}); {} not compared, {} not read exactly",
            report.target.database,
            plural(report.drifts.len(), "discrepancy", "discrepancies"),
            plural(s.tables_compared, "table", "tables"),
            plural(report.tables_not_compared(), "table", "tables"),
            plural(report.not_read_exactly(), "object", "objects"),
        ),
    }
}

/// `::name k=v,k=v::message`, escaped as `@actions/core` escapes.
pub fn workflow_command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let mut line = format!("::{name}");
    for (i, (key, value)) in properties.iter().enumerate() {
        line.push(if i == 0 { ' ' } else { ',' });
        let _ = write!(line, "{key}={}", escape_property(value));
    }
    let _ = write!(line, "::{}", escape_data(message));
    line
}

/// `escapeData` of `@actions/core`.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// `escapeProperty` of `@actions/core`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_first_then_line_breaks() {
        assert_eq!(escape_data("100%\r\nok"), "100%25%0D%0Aok");
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn command_without_properties_has_no_space() {
        assert_eq!(workflow_command("notice", &[], "m"), "::notice::m");
        assert_eq!(
            workflow_command(
                "error",
                &[("file", "a,b".into()), ("line", "3".into())],
                "x:y"
            ),
            "::error file=a%2Cb,line=3::x:y"
        );
    }
}
