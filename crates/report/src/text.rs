//! The human report: a comparison of every table, then the discrepancies
//! grouped by table, each with severity, expected vs actual, why, and the fix.
//! When clean it says exactly `No schema drift detected`.

use std::fmt::Write as _;

use driftwatch_diff::{Finding, Fragment, Severity, sql};
use owo_colors::{OwoColorize, Style};

use crate::report::{DiagnosticEntry, Mode, Report, Status, TableStatus};

/// The line a clean report contains (a contract: scripts grep for it).
pub const CLEAN_LINE: &str = "No schema drift detected";

#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    pub color: bool,
    pub verbose: bool,
}

struct Paint {
    color: bool,
}

impl Paint {
    fn style(&self, text: &str, style: Style) -> String {
        if self.color {
            text.style(style).to_string()
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let label = format!("{:<8}", severity.name().to_uppercase());
        let style = match severity {
            Severity::Critical => Style::new().bold().white().on_red(),
            Severity::High => Style::new().bold().red(),
            Severity::Medium => Style::new().yellow(),
            Severity::Low => Style::new().dimmed(),
        };
        self.style(&label, style)
    }

    fn bold(&self, text: &str) -> String {
        self.style(text, Style::new().bold())
    }

    fn dim(&self, text: &str) -> String {
        self.style(text, Style::new().dimmed())
    }

    fn green(&self, text: &str) -> String {
        self.style(text, Style::new().green().bold())
    }
}

pub fn render(report: &Report, options: TextOptions) -> String {
    let paint = Paint {
        color: options.color,
    };
    let mut out = String::new();
    header(report, &paint, &mut out);
    comparison(report, &paint, &mut out);
    diagnostics(report, &paint, &mut out);
    if !report.drifts.is_empty() {
        discrepancies(report, &paint, &mut out);
    }
    verdict(report, &paint, &mut out);
    out
}

fn header(report: &Report, paint: &Paint, out: &mut String) {
    let t = &report.target;
    let _ = writeln!(out, "{}", paint.bold("driftwatch — schema drift report"));
    let _ = writeln!(out, "  database  {} on {}", t.database, t.host);
    let _ = writeln!(out, "  server    {} ({})", t.flavor_label, t.server_version);
    let files = match report.schema.files.as_slice() {
        [] => "(no files)".to_string(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} and {} more", rest.len()),
    };
    let _ = writeln!(
        out,
        "  schema    {files} ({})",
        plural(report.schema.tables, "table", "tables")
    );
    let _ = writeln!(out, "  mode      {}\n", mode_line(report));
}

/// How the expected side was obtained, in words.
fn mode_line(report: &Report) -> String {
    match (report.mode, &report.dev_database) {
        (Mode::DevDatabase, Some(location)) => {
            format!("dev-database (schema created in {location} and read back)")
        }
        (Mode::DevDatabase, None) => "dev-database (schema created and read back)".to_string(),
        (Mode::Static, _) => "static (schema normalized by driftwatch)".to_string(),
    }
}

fn comparison(report: &Report, paint: &Paint, out: &mut String) {
    if report.tables.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", paint.bold("Comparison"));
    // Widths come from the plain text; colour is applied after padding.
    let name_width = report
        .tables
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let status_width = report
        .tables
        .iter()
        .map(|t| t.status.label().len())
        .max()
        .unwrap_or(0)
        .max(6);
    let _ = writeln!(
        out,
        "  {}",
        paint.dim(&format!(
            "{:<name_width$}  {:<status_width$}  findings",
            "table", "status"
        ))
    );
    for row in &report.tables {
        let findings: Vec<&Finding> = report
            .drifts
            .iter()
            .filter(|f| f.table == row.name)
            .collect();
        let label = format!("{:<status_width$}", row.status.label());
        let status = match row.status {
            TableStatus::InSync => paint.green(&label),
            TableStatus::NotCompared => paint.style(&label, Style::new().red().bold()),
            _ => paint.style(&label, Style::new().yellow()),
        };
        let line = format!(
            "  {:<name_width$}  {status}  {}",
            row.name,
            count_by_severity(&findings)
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out.push('\n');
}

fn count_by_severity(findings: &[&Finding]) -> String {
    Severity::ALL_DESCENDING
        .iter()
        .filter_map(|s| {
            let n = findings.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn diagnostics(report: &Report, paint: &Paint, out: &mut String) {
    let all: Vec<_> = report
        .schema
        .incomplete
        .iter()
        .chain(&report.diagnostics)
        .collect();
    let (errors, warnings): (Vec<_>, Vec<_>) = all.into_iter().partition(|d| d.level == "error");
    diagnostic_section(
        "Could not read exactly",
        &errors,
        Style::new().red(),
        paint,
        out,
    );
    diagnostic_section("Warnings", &warnings, Style::new().yellow(), paint, out);
}

fn diagnostic_section(
    title: &str,
    entries: &[&DiagnosticEntry],
    style: Style,
    paint: &Paint,
    out: &mut String,
) {
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", paint.bold(title));
    for d in entries {
        let location = match (&d.file, d.line, d.column) {
            (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}: "),
            (Some(file), _, _) => format!("{file}: "),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {}{location}{}",
            paint.style(&format!("{}: ", d.level), style),
            d.message
        );
    }
    out.push('\n');
}

fn discrepancies(report: &Report, paint: &Paint, out: &mut String) {
    let _ = writeln!(out, "{}", paint.bold("Discrepancies"));
    let mut current_table: Option<&str> = None;
    for finding in &report.drifts {
        if current_table != Some(finding.table.as_str()) {
            current_table = Some(&finding.table);
            let location = report
                .tables
                .iter()
                .find(|t| t.name == finding.table)
                .and_then(|t| t.source.as_ref())
                .map(|s| format!("  {}", paint.dim(&format!("({}:{})", s.file, s.line))))
                .unwrap_or_default();
            let _ = writeln!(out, "\n{}{location}", paint.bold(&finding.table));
        }
        finding_block(finding, paint, out);
    }
    out.push('\n');
}

fn finding_block(f: &Finding, paint: &Paint, out: &mut String) {
    let object = f
        .object
        .as_ref()
        .map(|o| format!("{}.{o}", f.table))
        .unwrap_or_else(|| f.table.clone());
    let _ = writeln!(
        out,
        "  {} {}  {}",
        paint.severity(f.severity),
        paint.bold(f.kind.name()),
        object
    );
    let pad = "           ";
    let _ = writeln!(out, "{pad}{}", f.message);
    let _ = writeln!(
        out,
        "{pad}{} {}",
        paint.dim("expected"),
        fragment(f.expected.as_ref(), "(absent)")
    );
    let _ = writeln!(
        out,
        "{pad}{}   {}",
        paint.dim("actual"),
        fragment(f.actual.as_ref(), "(absent)")
    );
    if let Some(source) = &f.source {
        let _ = writeln!(
            out,
            "{pad}{}   {}:{}:{}",
            paint.dim("schema"),
            source.file,
            source.line,
            source.column
        );
    }
    match &f.evidence {
        Some(evidence) => {
            let _ = writeln!(
                out,
                "{pad}{}      {}: {evidence}",
                paint.dim("why"),
                f.cause.name()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "{pad}{}      usually {}",
                paint.dim("why"),
                f.kind.usual_cause()
            );
        }
    }
    if !f.fix.sql.is_empty() {
        let label = if f.fix.destructive {
            paint.style("fix (destructive — needs approval)", Style::new().red())
        } else {
            paint.dim("fix (SQL, database ← schema)")
        };
        let _ = writeln!(out, "{pad}{label}");
        for statement in &f.fix.sql {
            for line in statement.lines() {
                let _ = writeln!(out, "{pad}  {line}");
            }
        }
    }
    if let Some(code) = &f.fix.drizzle {
        let _ = writeln!(
            out,
            "{pad}{}",
            paint.dim("or keep it (Drizzle, schema ← database)")
        );
        for line in code.lines() {
            let _ = writeln!(out, "{pad}  {line}");
        }
    }
}

/// One line for a Model fragment.
pub fn fragment(fragment: Option<&Fragment>, absent: &str) -> String {
    match fragment {
        None => absent.to_string(),
        Some(Fragment::Table(t)) => format!(
            "table `{}` ({} columns{})",
            t.name,
            t.columns.len(),
            if t.indexes.is_empty() {
                String::new()
            } else {
                format!(", {} indexes", t.indexes.len())
            }
        ),
        Some(Fragment::Column(c)) => {
            // The database reports the effective charset of every string column;
            // it is compared (and shown) only where the schema declares one.
            let mut shown = c.clone();
            shown.charset = None;
            shown.collation = None;
            sql::column_definition(&shown)
        }
        Some(Fragment::PrimaryKey(pk)) => format!("PRIMARY KEY ({})", sql::ident_list(&pk.columns)),
        Some(Fragment::Index(i)) => {
            let statement = sql::create_index("…", i);
            statement
                .trim_start_matches("CREATE ")
                .trim_end_matches(';')
                .replace(" ON `…`", "")
        }
        Some(Fragment::ForeignKey(fk)) => {
            format!(
                "{} {}",
                sql::ident(&fk.name),
                sql::foreign_key_definition(fk)
            )
        }
        Some(Fragment::Check(c)) => format!("CHECK ({})", c.expression),
        Some(Fragment::View(v)) => format!("view `{}`", v.name),
    }
}

fn verdict(report: &Report, paint: &Paint, out: &mut String) {
    let s = &report.summary;
    match report.status {
        Status::Clean => {
            // The last line is exactly CLEAN_LINE: scripts match it whole.
            let _ = writeln!(
                out,
                "{} compared, all in sync.",
                plural(s.tables_compared, "table", "tables")
            );
            let _ = writeln!(out, "{}", paint.green(CLEAN_LINE));
        }
        Status::Drift => {
            let drifted = report
                .tables
                .iter()
                .filter(|t| t.status != TableStatus::InSync && t.status != TableStatus::NotCompared)
                .count();
            let _ = writeln!(
                out,
                "{} {} in {drifted} of {}: {} critical, {} high, {} medium, {} low",
                paint.bold("Schema drift detected:"),
                plural(report.drifts.len(), "discrepancy", "discrepancies"),
                plural(s.tables_compared, "table", "tables"),
                s.critical,
                s.high,
                s.medium,
                s.low
            );
        }
        Status::Error => {
            let not_compared = report.tables_not_compared();
            let unread = report.not_read_exactly();
            let _ = writeln!(
                out,
                "{} {} found in {} compared; {} not compared and {} not read exactly (see above). \
                 The schema was not fully validated.",
                paint.style("Validation incomplete:", Style::new().red().bold()),
                plural(report.drifts.len(), "discrepancy", "discrepancies"),
                plural(s.tables_compared, "table", "tables"),
                plural(not_compared, "table", "tables"),
                plural(unread, "object", "objects"),
            );
        }
    }
}

/// `1 table`, `3 tables`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
