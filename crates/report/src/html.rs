//! `--format html`: one self-contained HTML page (inline CSS; no script, no
//! font, no image, nothing fetched) to attach to a CI run or send by mail.
//!
//! Layout: header with the verdict and the target (database, host, server:
//! never credentials), a severity overview (one coloured tile per severity
//! with its count), the tables and how each compared, one card per drifted
//! table with each drift's expected vs actual side by side, cause and
//! evidence, schema location and fix in `<pre><code>` blocks, then what could
//! not be read exactly. Every text is escaped. Prints well (`@media print`).
//! Deterministic: nothing depends on the clock.

use std::fmt::Write as _;

use driftwatch_diff::{Finding, Severity};

use crate::report::{DiagnosticEntry, Mode, Report, Status, TableStatus};
use crate::text::{CLEAN_LINE, fragment, plural};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let database = &report.target.database;
    let title = match report.status {
        Status::Clean => format!("driftwatch: {database} is in sync"),
        Status::Drift => format!("driftwatch: schema drift in {database}"),
        Status::Error => format!("driftwatch: validation incomplete for {database}"),
    };
    let _ = writeln!(out, "<!DOCTYPE html>");
    let _ = writeln!(out, "<html lang=\"en\">");
    let _ = writeln!(out, "<head>");
    let _ = writeln!(out, "<meta charset=\"utf-8\">");
    let _ = writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(
        out,
        "<meta name=\"generator\" content=\"driftwatch {}\">",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(out, "<title>{}</title>", esc(&title));
    let _ = writeln!(out, "<style>\n{STYLE}</style>");
    let _ = writeln!(out, "</head>");
    let _ = writeln!(out, "<body>");
    let _ = writeln!(out, "<main>");
    header(report, &title, &mut out);
    overview(report, &mut out);
    tables(report, &mut out);
    cards(report, &mut out);
    diagnostics(report, &mut out);
    let _ = writeln!(
        out,
        "<footer>driftwatch {} · report version {}</footer>",
        env!("CARGO_PKG_VERSION"),
        report.version
    );
    let _ = writeln!(out, "</main>");
    let _ = writeln!(out, "</body>");
    let _ = writeln!(out, "</html>");
    out
}

fn header(report: &Report, title: &str, out: &mut String) {
    let s = &report.summary;
    let _ = writeln!(out, "<header class=\"top\">");
    let _ = writeln!(out, "<h1>{}</h1>", esc(title));
    match report.status {
        Status::Clean => {
            let _ = writeln!(
                out,
                "<p class=\"verdict verdict-clean\"><strong>{CLEAN_LINE}</strong> · {} compared, all in sync.</p>",
                plural(s.tables_compared, "table", "tables")
            );
        }
        Status::Drift => {
            let _ = writeln!(
                out,
                "<p class=\"verdict verdict-drift\"><strong>Schema drift detected:</strong> {} in {} of {}.</p>",
                plural(report.drifts.len(), "discrepancy", "discrepancies"),
                drifted_tables(report),
                plural(s.tables_compared, "table", "tables"),
            );
        }
        Status::Error => {
            let _ = writeln!(
                out,
                "<p class=\"verdict verdict-error\"><strong>Validation incomplete:</strong> {} found in {} compared; \
                 {} not compared and {} not read exactly. The schema was not fully validated.</p>",
                plural(report.drifts.len(), "discrepancy", "discrepancies"),
                plural(s.tables_compared, "table", "tables"),
                plural(report.tables_not_compared(), "table", "tables"),
                plural(report.not_read_exactly(), "object", "objects"),
            );
        }
    }
    let t = &report.target;
    let _ = writeln!(out, "<dl class=\"target\">");
    let _ = writeln!(
        out,
        "<dt>Database</dt><dd><code>{}</code></dd>",
        esc(&t.database)
    );
    let _ = writeln!(out, "<dt>Host</dt><dd><code>{}</code></dd>", esc(&t.host));
    let _ = writeln!(
        out,
        "<dt>Server</dt><dd>{} <span class=\"muted\">({}, {})</span></dd>",
        esc(&t.flavor_label),
        esc(&t.flavor),
        esc(&t.server_version)
    );
    let files = if report.schema.files.is_empty() {
        "(no files)".to_string()
    } else {
        report
            .schema
            .files
            .iter()
            .map(|f| format!("<code>{}</code>", esc(f)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        out,
        "<dt>Schema</dt><dd>{files} <span class=\"muted\">({})</span></dd>",
        plural(report.schema.tables, "table", "tables")
    );
    let mode = match (report.mode, &report.dev_database) {
        (Mode::DevDatabase, Some(location)) => {
            format!("dev-database (schema created in {location} and read back)")
        }
        (Mode::DevDatabase, None) => "dev-database (schema created and read back)".to_string(),
        (Mode::Static, _) => "static (schema normalized by driftwatch)".to_string(),
    };
    let _ = writeln!(out, "<dt>Mode</dt><dd>{}</dd>", esc(&mode));
    let _ = writeln!(out, "</dl>");
    let _ = writeln!(out, "</header>");
}

fn drifted_tables(report: &Report) -> usize {
    report
        .tables
        .iter()
        .filter(|t| t.status != TableStatus::InSync && t.status != TableStatus::NotCompared)
        .count()
}

fn overview(report: &Report, out: &mut String) {
    let _ = writeln!(
        out,
        "<section class=\"overview\" aria-label=\"Severity overview\">"
    );
    for severity in Severity::ALL_DESCENDING {
        let n = report.summary.count(severity);
        let zero = if n == 0 { " zero" } else { "" };
        let _ = writeln!(
            out,
            "<div class=\"tile sev-{name}{zero}\"><span class=\"count\">{n}</span><span class=\"label\">{name}</span></div>",
            name = severity.name()
        );
    }
    let _ = writeln!(
        out,
        "<div class=\"tile total{}\"><span class=\"count\">{}</span><span class=\"label\">total</span></div>",
        // Green only when clean: an incomplete read with no drift is not.
        if report.status == Status::Clean {
            " clean"
        } else {
            ""
        },
        report.drifts.len()
    );
    let _ = writeln!(out, "</section>");
}

fn tables(report: &Report, out: &mut String) {
    if report.tables.is_empty() {
        return;
    }
    let _ = writeln!(out, "<section class=\"tables\">");
    let _ = writeln!(out, "<h2>Tables</h2>");
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th>table</th><th>status</th><th>drifts</th></tr></thead>\n<tbody>"
    );
    for row in &report.tables {
        let findings: Vec<&Finding> = report
            .drifts
            .iter()
            .filter(|f| f.table == row.name)
            .collect();
        let name = if findings.is_empty() {
            format!("<code>{}</code>", esc(&row.name))
        } else {
            format!(
                "<a href=\"#{}\"><code>{}</code></a>",
                anchor(&row.name),
                esc(&row.name)
            )
        };
        let status_class = match row.status {
            TableStatus::InSync => "in-sync",
            TableStatus::Drifted => "drifted",
            TableStatus::MissingInDb => "missing",
            TableStatus::ExtraInDb => "extra",
            TableStatus::NotCompared => "not-compared",
        };
        let _ = writeln!(
            out,
            "<tr><td>{name}</td><td><span class=\"status status-{status_class}\">{}</span></td><td>{}</td></tr>",
            row.status.label(),
            esc(&crate::report::count_by_severity(&findings))
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
    let _ = writeln!(out, "</section>");
}

fn cards(report: &Report, out: &mut String) {
    if report.drifts.is_empty() {
        return;
    }
    let _ = writeln!(out, "<section class=\"drifts\">");
    let _ = writeln!(out, "<h2>Drifts</h2>");
    // Grouped by table in the order the tables first appear in the findings.
    let mut names: Vec<&str> = Vec::new();
    for f in &report.drifts {
        if !names.contains(&f.table.as_str()) {
            names.push(&f.table);
        }
    }
    for name in names {
        let findings: Vec<&Finding> = report.drifts.iter().filter(|f| f.table == name).collect();
        let row = report.tables.iter().find(|t| t.name == name);
        let _ = writeln!(out, "<article class=\"card\" id=\"{}\">", anchor(name));
        let status = row.map(|r| r.status.label()).unwrap_or("drifted");
        let _ = writeln!(
            out,
            "<h3><code>{}</code> <span class=\"muted\">· {status} · {}</span></h3>",
            esc(name),
            esc(&crate::report::count_by_severity(&findings))
        );
        if let Some(source) = row.and_then(|r| r.source.as_ref()) {
            let _ = writeln!(
                out,
                "<p class=\"declared\">Declared at <code>{}:{}</code></p>",
                esc(&source.file),
                source.line
            );
        }
        for f in findings {
            drift(f, out);
        }
        let _ = writeln!(out, "</article>");
    }
    let _ = writeln!(out, "</section>");
}

fn drift(f: &Finding, out: &mut String) {
    let severity = f.severity.name();
    let object = match &f.object {
        Some(object) => format!("{}.{object}", f.table),
        None => f.table.clone(),
    };
    let _ = writeln!(out, "<div class=\"drift sev-{severity}\">");
    let _ = writeln!(
        out,
        "<h4><span class=\"badge sev-{severity}\">{}</span> <code>{}</code> <code>{}</code></h4>",
        severity.to_uppercase(),
        esc(f.kind.name()),
        esc(&object)
    );
    let _ = writeln!(out, "<p class=\"message\">{}</p>", esc(&f.message));
    let _ = writeln!(out, "<div class=\"compare\">");
    let _ = writeln!(
        out,
        "<div class=\"side expected\"><div class=\"side-label\">Expected (schema)</div><pre><code>{}</code></pre></div>",
        esc(&fragment(f.expected.as_ref(), "(absent)"))
    );
    let _ = writeln!(
        out,
        "<div class=\"side actual\"><div class=\"side-label\">Actual (database)</div><pre><code>{}</code></pre></div>",
        esc(&fragment(f.actual.as_ref(), "(absent)"))
    );
    let _ = writeln!(out, "</div>");
    let _ = writeln!(out, "<dl class=\"facts\">");
    let _ = writeln!(
        out,
        "<dt>Cause</dt><dd><code>{}</code></dd>",
        esc(f.cause.name())
    );
    match &f.evidence {
        Some(evidence) => {
            let _ = writeln!(out, "<dt>Evidence</dt><dd>{}</dd>", esc(evidence));
        }
        None => {
            let _ = writeln!(
                out,
                "<dt>Usually</dt><dd>{}</dd>",
                esc(f.kind.usual_cause())
            );
        }
    }
    if let Some(source) = &f.source {
        let _ = writeln!(
            out,
            "<dt>Schema</dt><dd><code>{}:{}:{}</code></dd>",
            esc(&source.file),
            source.line,
            source.column
        );
    }
    let _ = writeln!(out, "<dt>Id</dt><dd><code>{}</code></dd>", esc(&f.id));
    let _ = writeln!(out, "</dl>");
    if !f.fix.sql.is_empty() {
        let label = if f.fix.destructive {
            "Fix (SQL, database ← schema) <span class=\"destructive\">destructive, needs approval</span>"
        } else {
            "Fix (SQL, database ← schema)"
        };
        let _ = writeln!(out, "<div class=\"fix-label\">{label}</div>");
        let _ = writeln!(
            out,
            "<pre class=\"fix\"><code class=\"language-sql\">{}</code></pre>",
            esc(&f.fix.sql.join("\n"))
        );
    }
    if let Some(code) = &f.fix.drizzle {
        let _ = writeln!(
            out,
            "<div class=\"fix-label\">Or keep it (Drizzle, schema ← database)</div>"
        );
        let _ = writeln!(
            out,
            "<pre class=\"fix\"><code class=\"language-ts\">{}</code></pre>",
            esc(code)
        );
    }
    let _ = writeln!(out, "</div>");
}

fn diagnostics(report: &Report, out: &mut String) {
    let all: Vec<&DiagnosticEntry> = report
        .schema
        .incomplete
        .iter()
        .chain(&report.diagnostics)
        .collect();
    let (errors, warnings): (Vec<_>, Vec<_>) = all.into_iter().partition(|d| d.level == "error");
    diagnostic_section("Could not read exactly", "errors", &errors, out);
    diagnostic_section("Warnings", "warnings", &warnings, out);
}

fn diagnostic_section(title: &str, class: &str, entries: &[&DiagnosticEntry], out: &mut String) {
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(out, "<section class=\"diagnostics {class}\">");
    let _ = writeln!(out, "<h2>{title}</h2>\n<ul>");
    for d in entries {
        let location = match (&d.file, d.line, d.column) {
            (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            (Some(file), Some(line), None) => format!("{file}:{line}"),
            (Some(file), _, _) => file.clone(),
            _ => String::new(),
        };
        let location = if location.is_empty() {
            String::new()
        } else {
            format!("<code>{}</code>: ", esc(&location))
        };
        let _ = writeln!(out, "<li>{location}{}</li>", esc(&d.message));
    }
    let _ = writeln!(out, "</ul>\n</section>");
}

/// A fragment id for a table's card: letters, digits, `-` and `_` kept,
/// every other byte as `.XX`, so that distinct names give distinct ids.
fn anchor(name: &str) -> String {
    let mut id = String::from("table-");
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_' {
            id.push(byte as char);
        } else {
            let _ = write!(id, ".{byte:02X}");
        }
    }
    id
}

/// Text and attribute values: `&`, `<`, `>`, `"`, `'` escaped.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#":root {
  --fg: #1f2328; --muted: #59636e; --bg: #f6f8fa; --card: #ffffff; --line: #d1d9e0;
  --critical: #7a0916; --high: #cf222e; --medium: #bc4c00; --low: #0969da; --ok: #1a7f37;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 28px 0 12px; }
h3 { font-size: 16px; margin: 0 0 6px; }
h4 { font-size: 14px; margin: 0 0 6px; }
.muted { color: var(--muted); font-weight: normal; }
header.top { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; }
.verdict { margin: 0 0 12px; padding: 8px 12px; border-radius: 6px; }
.verdict-clean { background: #dafbe1; color: #116329; }
.verdict-drift { background: #ffebe9; color: #82071e; }
.verdict-error { background: #fff8c5; color: #7d4e00; }
dl.target { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.target dt { color: var(--muted); }
dl.target dd { margin: 0; overflow-wrap: anywhere; }
.overview { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin: 20px 0 0; }
.tile { border-radius: 8px; padding: 14px 16px; color: #fff; display: flex; flex-direction: column; align-items: flex-start; }
.tile .count { font-size: 32px; font-weight: 700; line-height: 1.1; }
.tile .label { text-transform: uppercase; letter-spacing: .06em; font-size: 12px; font-weight: 600; }
.tile.sev-critical { background: var(--critical); }
.tile.sev-high { background: var(--high); }
.tile.sev-medium { background: var(--medium); }
.tile.sev-low { background: var(--low); }
.tile.total { background: var(--fg); }
.tile.total.clean { background: var(--ok); }
.tile.zero { opacity: .35; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-size: 13px; }
a { color: var(--low); }
.status { font-size: 12px; padding: 1px 8px; border-radius: 10px; border: 1px solid currentColor; white-space: nowrap; }
.status-in-sync { color: var(--ok); }
.status-drifted, .status-extra { color: var(--medium); }
.status-missing { color: var(--high); }
.status-not-compared { color: var(--muted); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 0 0 16px; }
.declared { margin: 0 0 10px; color: var(--muted); }
.drift { border-left: 4px solid var(--line); padding: 8px 0 8px 14px; margin: 12px 0 0; }
.drift.sev-critical { border-left-color: var(--critical); }
.drift.sev-high { border-left-color: var(--high); }
.drift.sev-medium { border-left-color: var(--medium); }
.drift.sev-low { border-left-color: var(--low); }
.badge { color: #fff; font-size: 11px; font-weight: 700; padding: 2px 6px; border-radius: 4px; letter-spacing: .04em; }
.badge.sev-critical { background: var(--critical); }
.badge.sev-high { background: var(--high); }
.badge.sev-medium { background: var(--medium); }
.badge.sev-low { background: var(--low); }
.message { margin: 4px 0 8px; }
.compare { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.side { border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
.side-label { font-size: 12px; font-weight: 600; padding: 4px 10px; }
.expected .side-label { background: #dafbe1; color: #116329; }
.actual .side-label { background: #ffebe9; color: #82071e; }
pre { margin: 0; padding: 8px 10px; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 10px 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.fix-label { font-size: 13px; font-weight: 600; margin: 8px 0 4px; }
pre.fix { border: 1px solid var(--line); border-radius: 6px; }
.destructive { color: var(--high); font-weight: 700; margin-left: 6px; }
.diagnostics ul { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 32px; }
.diagnostics.errors h2 { color: var(--high); }
footer { color: var(--muted); font-size: 12px; margin-top: 28px; }
@media (max-width: 720px) {
  .overview { grid-template-columns: repeat(3, 1fr); }
  .compare { grid-template-columns: 1fr; }
}
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .tile, .badge, .verdict, .side-label { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .card, .drift, tr { break-inside: avoid; }
  header.top, .card, table { border-color: #999; }
  a { color: inherit; text-decoration: none; }
  pre { white-space: pre-wrap; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>a&b\"c'</script>"),
            "&lt;script&gt;a&amp;b&quot;c&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn anchors_of_distinct_names_differ() {
        assert_eq!(anchor("users"), "table-users");
        assert_ne!(anchor("a b"), anchor("a_b"));
        assert_eq!(anchor("a\"b"), "table-a.22b");
    }
}
