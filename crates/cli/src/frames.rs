//! Schema-reader diagnostics as code frames (file:line:column, the source
//! line, a caret, the help), on stderr.

use driftwatch_drizzle::{Diagnostic, Level};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

pub fn render(diagnostic: &Diagnostic, display_path: &str, color: bool) -> String {
    let severity = match diagnostic.level {
        Level::Error => miette::Severity::Error,
        Level::Warning => miette::Severity::Warning,
    };
    let mut report = MietteDiagnostic::new(diagnostic.message.clone()).with_severity(severity);
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help.clone());
    }
    let source = std::fs::read_to_string(&diagnostic.file).ok();
    let location = format!("{display_path}:{}:{}", diagnostic.line, diagnostic.column);
    let Some(source) = source.filter(|s| diagnostic.offset <= s.len()) else {
        return format!(
            "{}: {location}: {}\n",
            level_word(diagnostic.level),
            diagnostic.message
        );
    };
    let length = diagnostic.length.min(source.len() - diagnostic.offset);
    report = report.with_label(LabeledSpan::at(
        diagnostic.offset..diagnostic.offset + length,
        "here",
    ));
    // miette appends line:column to the source name itself.
    let report =
        miette::Report::new(report).with_source_code(NamedSource::new(display_path, source));
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    match GraphicalReportHandler::new_themed(theme).render_report(&mut out, report.as_ref()) {
        Ok(()) => out,
        Err(_) => format!(
            "{}: {}: {}\n",
            level_word(diagnostic.level),
            display_path,
            diagnostic.message
        ),
    }
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}
