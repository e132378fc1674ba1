//! `--format markdown`: the report as GitHub-flavoured Markdown, also the body
//! of the monitor's GitHub issues. It must read well rendered and as plain
//! text, so the only HTML is `<details>`/`<summary>` (and the optional hidden
//! marker comment). Output is deterministic: an issue body is only updated
//! when it changes, so nothing here depends on the clock.
//!
//! Layout: title and verdict, header, summary by severity, comparison of
//! tables, one section per table with its drifts (expected vs actual, cause,
//! schema location, fix in `sql` and `ts` code blocks), diagnostics.

use std::fmt::Write as _;

use driftwatch_diff::{Finding, Severity};

use crate::report::{DiagnosticEntry, Mode, Report, Status, TableStatus};
use crate::text::{CLEAN_LINE, fragment, plural};

/// How the markdown is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// Written first as `<!-- driftwatch:{marker} -->` (see [`marker_line`]),
    /// so that a notifier can find its issue again. Hidden when rendered.
    pub marker: Option<String>,
    /// With more drifts than this, each table's drifts are folded in
    /// `<details>`; with more tables than this, the tables in sync are.
    pub collapse_after: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            marker: None,
            collapse_after: 10,
        }
    }
}

/// A fix with more lines than this is folded in `<details>`.
const FIX_LINES_SHOWN: usize = 6;

/// The report with the default options.
pub fn render(report: &Report) -> String {
    render_with(report, &MarkdownOptions::default())
}

pub fn render_with(report: &Report, options: &MarkdownOptions) -> String {
    let mut out = String::new();
    if let Some(marker) = &options.marker {
        let _ = writeln!(out, "{}\n", marker_line(marker));
    }
    title(report, &mut out);
    header(report, &mut out);
    summary(report, &mut out);
    comparison(report, options, &mut out);
    if !report.drifts.is_empty() {
        drifts(report, options, &mut out);
    }
    diagnostics(report, &mut out);
    // One trailing newline, whatever the last section was.
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

/// The hidden line that identifies a markdown report: `<!-- driftwatch:{id} -->`.
/// `--` and `>` cannot appear inside an HTML comment; they are replaced.
pub fn marker_line(id: &str) -> String {
    let id = id.replace("--", "-~").replace('>', "~");
    format!("<!-- driftwatch:{id} -->")
}

fn title(report: &Report, out: &mut String) {
    let s = &report.summary;
    let database = code(&report.target.database);
    match report.status {
        Status::Clean => {
            let _ = writeln!(out, "# driftwatch: {database} is in sync\n");
            // A line of its own, exactly CLEAN_LINE: scripts match it whole.
            let _ = writeln!(out, "{CLEAN_LINE}\n");
            let _ = writeln!(
                out,
                "{} compared, all in sync.\n",
                plural(s.tables_compared, "table", "tables")
            );
        }
        Status::Drift => {
            let drifted = report
                .tables
                .iter()
                .filter(|t| t.status != TableStatus::InSync && t.status != TableStatus::NotCompared)
                .count();
            let _ = writeln!(out, "# driftwatch: schema drift in {database}\n");
            let _ = writeln!(
                out,
                "**Schema drift detected:** {} in {drifted} of {}: {}.\n",
                plural(report.drifts.len(), "discrepancy", "discrepancies"),
                plural(s.tables_compared, "table", "tables"),
                severity_counts(s)
            );
        }
        Status::Error => {
            let not_compared = report.tables_not_compared();
            let unread = report.not_read_exactly();
            let _ = writeln!(out, "# driftwatch: validation incomplete for {database}\n");
            let _ = writeln!(
                out,
                "**Validation incomplete:** {} found in {} compared; {} not compared and {} \
                 not read exactly (see *Could not read exactly*). The schema was not fully validated.\n",
                plural(report.drifts.len(), "discrepancy", "discrepancies"),
                plural(s.tables_compared, "table", "tables"),
                plural(not_compared, "table", "tables"),
                plural(unread, "object", "objects"),
            );
        }
    }
}

fn severity_counts(s: &crate::report::Summary) -> String {
    format!(
        "{} critical, {} high, {} medium, {} low",
        s.critical, s.high, s.medium, s.low
    )
}

fn header(report: &Report, out: &mut String) {
    let t = &report.target;
    let _ = writeln!(
        out,
        "- **Database:** {} on {}",
        code(&t.database),
        code(&t.host)
    );
    let _ = writeln!(
        out,
        "- **Server:** {} ({})",
        t.flavor_label,
        code(&t.server_version)
    );
    let files = &report.schema.files;
    let files = if files.is_empty() {
        "(no files)".to_string()
    } else if files.len() <= 3 {
        files.iter().map(|f| code(f)).collect::<Vec<_>>().join(", ")
    } else {
        format!(
            "{}, {} and {} more",
            code(&files[0]),
            code(&files[1]),
            files.len() - 2
        )
    };
    let _ = writeln!(
        out,
        "- **Schema:** {files} ({})",
        plural(report.schema.tables, "table", "tables")
    );
    let mode = match (report.mode, &report.dev_database) {
        (Mode::DevDatabase, Some(location)) => {
            format!("dev-database (schema created in {location} and read back)")
        }
        (Mode::DevDatabase, None) => "dev-database (schema created and read back)".to_string(),
        (Mode::Static, _) => "static (schema normalized by driftwatch)".to_string(),
    };
    let _ = writeln!(out, "- **Mode:** {mode}\n");
}

fn summary(report: &Report, out: &mut String) {
    let s = &report.summary;
    let _ = writeln!(out, "## Summary\n");
    let _ = writeln!(out, "| severity | drifts |");
    let _ = writeln!(out, "|----------|-------:|");
    for severity in Severity::ALL_DESCENDING {
        let _ = writeln!(out, "| {} | {} |", severity.name(), s.count(severity));
    }
    let _ = writeln!(out, "| **total** | **{}** |\n", report.drifts.len());
}

fn comparison(report: &Report, options: &MarkdownOptions, out: &mut String) {
    if report.tables.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Tables\n");
    // With many tables, the ones in sync are folded away; the others stay in sight.
    let fold = report.tables.len() > options.collapse_after;
    let (shown, folded): (Vec<_>, Vec<_>) = report
        .tables
        .iter()
        .partition(|t| !fold || t.status != TableStatus::InSync);
    if !shown.is_empty() {
        table_rows(report, &shown, out);
    }
    if !folded.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} in sync</summary>\n",
            plural(folded.len(), "table", "tables")
        );
        table_rows(report, &folded, out);
        let _ = writeln!(out, "</details>\n");
    }
}

fn table_rows(report: &Report, rows: &[&crate::report::TableRow], out: &mut String) {
    let _ = writeln!(out, "| table | status | drifts |");
    let _ = writeln!(out, "|-------|--------|--------|");
    for row in rows {
        let findings: Vec<&Finding> = report
            .drifts
            .iter()
            .filter(|f| f.table == row.name)
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&code(&row.name)),
            row.status.label(),
            cell(&crate::report::count_by_severity(&findings))
        );
    }
    out.push('\n');
}

fn drifts(report: &Report, options: &MarkdownOptions, out: &mut String) {
    let _ = writeln!(out, "## Drifts\n");
    // Grouped by table in the order the tables first appear in the findings
    // (the diff's deterministic walk order).
    let mut tables: Vec<&str> = Vec::new();
    for finding in &report.drifts {
        if !tables.contains(&finding.table.as_str()) {
            tables.push(&finding.table);
        }
    }
    let fold = report.drifts.len() > options.collapse_after;
    for table in tables {
        let findings: Vec<&Finding> = report.drifts.iter().filter(|f| f.table == table).collect();
        let _ = writeln!(out, "### {}\n", code(table));
        if let Some(source) = report
            .tables
            .iter()
            .find(|t| t.name == table)
            .and_then(|t| t.source.as_ref())
        {
            let _ = writeln!(
                out,
                "Declared at {}.\n",
                code(&format!("{}:{}", source.file, source.line))
            );
        }
        if fold {
            let _ = writeln!(
                out,
                "<details><summary>{}: {}</summary>\n",
                plural(findings.len(), "drift", "drifts"),
                html(&crate::report::count_by_severity(&findings))
            );
        }
        for finding in findings {
            finding_section(finding, out);
        }
        if fold {
            let _ = writeln!(out, "</details>\n");
        }
    }
}

fn finding_section(f: &Finding, out: &mut String) {
    let object = f
        .object
        .as_ref()
        .map(|o| format!("{}.{o}", f.table))
        .unwrap_or_else(|| f.table.clone());
    let _ = writeln!(
        out,
        "#### {} · {} · {}\n",
        f.severity.name().to_uppercase(),
        code(f.kind.name()),
        code(&object)
    );
    let _ = writeln!(out, "{}\n", f.message);
    let comparison = format!(
        "- expected  {}\n+ actual    {}",
        fragment(f.expected.as_ref(), "(absent)"),
        fragment(f.actual.as_ref(), "(absent)")
    );
    fenced("diff", &comparison, out);
    let cause = match &f.evidence {
        Some(evidence) => format!("{}: {evidence}", code(f.cause.name())),
        None => format!("{}; usually {}", code(f.cause.name()), f.kind.usual_cause()),
    };
    let _ = writeln!(out, "- **Cause:** {cause}");
    if let Some(source) = &f.source {
        let _ = writeln!(
            out,
            "- **Schema:** {}",
            code(&format!(
                "{}:{}:{}",
                source.file, source.line, source.column
            ))
        );
    }
    let _ = writeln!(out, "- **Id:** {}\n", code(&f.id));
    if !f.fix.sql.is_empty() {
        let label = if f.fix.destructive {
            "Fix (SQL, database ← schema) — destructive, needs approval"
        } else {
            "Fix (SQL, database ← schema)"
        };
        let body = f.fix.sql.join("\n");
        if body.lines().count() > FIX_LINES_SHOWN {
            let _ = writeln!(out, "<details><summary>{}</summary>\n", html(label));
            fenced("sql", &body, out);
            let _ = writeln!(out, "</details>\n");
        } else {
            let _ = writeln!(out, "**{label}:**\n");
            fenced("sql", &body, out);
        }
    }
    if let Some(code) = &f.fix.drizzle {
        let _ = writeln!(
            out,
            "<details><summary>Or keep it (Drizzle, schema ← database)</summary>\n"
        );
        fenced("ts", code, out);
        let _ = writeln!(out, "</details>\n");
    }
}

fn diagnostics(report: &Report, out: &mut String) {
    let all: Vec<&DiagnosticEntry> = report
        .schema
        .incomplete
        .iter()
        .chain(&report.diagnostics)
        .collect();
    let (errors, warnings): (Vec<_>, Vec<_>) = all.into_iter().partition(|d| d.level == "error");
    diagnostic_section("Could not read exactly", &errors, out);
    diagnostic_section("Warnings", &warnings, out);
}

fn diagnostic_section(title: &str, entries: &[&DiagnosticEntry], out: &mut String) {
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {title}\n");
    for d in entries {
        let location = match (&d.file, d.line, d.column) {
            (Some(file), Some(line), Some(column)) => {
                format!("{}: ", code(&format!("{file}:{line}:{column}")))
            }
            (Some(file), Some(line), None) => format!("{}: ", code(&format!("{file}:{line}"))),
            (Some(file), _, _) => format!("{}: ", code(file)),
            _ => String::new(),
        };
        let message = d.message.replace('\n', " ");
        let _ = writeln!(out, "- {}: {location}{message}", d.level);
    }
    out.push('\n');
}

/// Inline code that survives backticks in `text`: the fence is one backtick
/// longer than the longest run inside, padded when the text starts or ends
/// with a backtick (CommonMark §6.1).
pub fn code(text: &str) -> String {
    let text = text.replace('\n', " ");
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// A fenced code block whose fence is longer than any backtick run in `body`.
fn fenced(language: &str, body: &str, out: &mut String) {
    let fence = "`".repeat((longest_backtick_run(body) + 1).max(3));
    let _ = writeln!(out, "{fence}{language}\n{}\n{fence}\n", body.trim_end());
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A table cell: `|` would end the cell (GFM escapes it, also inside code spans).
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Text inside `<summary>`, which is HTML.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_code_with_backticks_uses_a_longer_fence() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("plain"), "`plain`");
    }

    #[test]
    fn code_block_fence_outgrows_backtick_runs_in_the_body() {
        let mut out = String::new();
        fenced("sql", "SELECT '```';", &mut out);
        assert!(out.starts_with("````sql\n"), "{out}");
        assert!(out.ends_with("\n````\n\n"), "{out}");
    }

    #[test]
    fn pipes_are_escaped_in_table_cells() {
        assert_eq!(cell("`a|b`"), "`a\\|b`");
    }

    #[test]
    fn marker_line_cannot_close_the_comment_early() {
        assert_eq!(
            marker_line("env=prod--x>"),
            "<!-- driftwatch:env=prod-~x~ -->"
        );
    }
}
