//! `driftwatch fix`: the same comparison as `validate` (see
//! [`validate::compare`]), then the corrective change instead of a report.
//!
//! * `--direction db`: the findings' fixes as one ordered SQL script
//!   ([`driftwatch_diff::corrective`]), only SQL on stdout and explanations
//!   as `-- ` comments, so that `driftwatch fix | mysql …` works. Destructive
//!   steps are printed commented out, with who must approve them, unless
//!   `--allow-destructive`.
//! * `--write`: the same statements as a drizzle-kit migration
//!   ([`crate::migration_writer`]).
//! * `--direction schema`: Drizzle code for what exists only in the
//!   database, with the file and table it belongs in.
//!
//! Exit codes: 0 nothing to fix, 1 a fix was printed or written, 2 could not
//! compare (or `--write` refused).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use driftwatch_diff::corrective::{self, CorrectivePlan, PlanOptions, Statement};
use driftwatch_diff::{DriftKind, Finding};
use driftwatch_model::{Flavor, Vendor};
use driftwatch_report::{Report, Status};

use crate::args::{FixArgs, FixDirection, GlobalArgs};
use crate::error::CliError;
use crate::migration_writer;
use crate::settings::DEFAULT_APPROVER;
use crate::validate::{self, CompareArgs, Comparison, Outcome};

pub async fn fix(global: &GlobalArgs, args: &FixArgs, color: bool) -> Result<Outcome, CliError> {
    let compare_args = CompareArgs {
        connection: &args.connection,
        schema: &args.schema,
        dev_url: None,
    };
    let comparison = validate::compare(global, compare_args, color).await?;
    refuse_incomplete(&comparison.report)?;
    match args.direction {
        FixDirection::Db => fix_database(&comparison, args),
        FixDirection::Schema => fix_schema(&comparison, args),
    }
}

/// A fix planned from a partial comparison could drop what was merely not
/// read: nothing is printed or written then.
fn refuse_incomplete(report: &Report) -> Result<(), CliError> {
    if report.status != Status::Error {
        return Ok(());
    }
    let problems: Vec<String> = report
        .schema
        .incomplete
        .iter()
        .chain(report.diagnostics.iter().filter(|d| d.level == "error"))
        .map(|d| format!("  {}", d.message))
        .collect();
    Err(CliError::Schema(format!(
        "the comparison is incomplete, so no fix is planned (run `driftwatch validate` for the details):\n{}",
        problems.join("\n")
    )))
}

fn fix_database(comparison: &Comparison, args: &FixArgs) -> Result<Outcome, CliError> {
    let report = &comparison.report;
    let options = PlanOptions {
        rename_column: supports_rename_column(&comparison.inspection.flavor),
    };
    let plan = corrective::plan(&report.drifts, options, &comparison.inspection.schema);
    let approver = approver(comparison);
    if args.write {
        return write_migration(comparison, args, &plan, &approver);
    }
    let text = render_sql(report, &plan, args.allow_destructive, &approver);
    validate::write_output(args.output.as_ref(), &text)?;
    Ok(Outcome {
        exit_code: if report.drifts.is_empty() { 0 } else { 1 },
    })
}

/// `RENAME COLUMN`: MySQL ≥ 8.0, MariaDB ≥ 10.5.2, TiDB; MySQL 5.7 and
/// older MariaDB need `CHANGE COLUMN` with the full definition.
fn supports_rename_column(flavor: &Flavor) -> bool {
    flavor.min_mysql(8, 0, 0) || flavor.min_mariadb(10, 5, 2) || flavor.vendor == Vendor::Tidb
}

fn approver(comparison: &Comparison) -> String {
    comparison.project.settings.as_ref().map_or_else(
        || DEFAULT_APPROVER.to_string(),
        |(_, s)| s.destructive_approver(),
    )
}

/// `-- ` before every line.
fn commented(text: &str) -> String {
    text.lines().map(|l| format!("-- {l}\n")).collect()
}

/// The SQL script: a header, then each statement with what it fixes;
/// withheld statements commented out with the reason and the approver.
fn render_sql(
    report: &Report,
    plan: &CorrectivePlan,
    allow_destructive: bool,
    approver: &str,
) -> String {
    let mut out = String::new();
    let target = &report.target;
    let _ = writeln!(
        out,
        "-- driftwatch fix --direction db: makes database `{}` on {} ({}) match the schema ({})",
        target.database,
        target.host,
        target.flavor_label,
        report.schema.files.join(", ")
    );
    if report.drifts.is_empty() {
        out.push_str("-- No schema drift detected: nothing to fix.\n");
        return out;
    }
    let statements = plan.statements(allow_destructive);
    let withheld = statements
        .iter()
        .filter(|s| s.destructive.is_some() && !allow_destructive)
        .count();
    let _ = writeln!(
        out,
        "-- {} drift(s); {} statement(s) below{}.",
        report.drifts.len(),
        statements.len() - withheld,
        if withheld > 0 {
            format!(", {withheld} destructive one(s) withheld (commented out)")
        } else {
            String::new()
        }
    );
    out.push_str(
        "-- Order: foreign keys dropped first; new tables; one ALTER TABLE per table; dropped tables; foreign keys added last.\n",
    );
    for statement in &statements {
        out.push('\n');
        render_statement(&mut out, statement, allow_destructive, approver);
    }
    let unfixable = unfixable(report, plan);
    if !unfixable.is_empty() {
        out.push_str("\n-- No SQL fix for:\n");
        for finding in unfixable {
            let _ = writeln!(out, "--   {} ({})", finding.message, finding.kind.name());
        }
    }
    out
}

fn render_statement(
    out: &mut String,
    statement: &Statement,
    allow_destructive: bool,
    approver: &str,
) {
    for fix in &statement.fixes {
        let _ = writeln!(out, "-- fixes: {fix}");
    }
    match (&statement.destructive, allow_destructive) {
        (None, _) => {
            let _ = writeln!(out, "{}", statement.sql);
        }
        (Some(why), true) => {
            let _ = writeln!(
                out,
                "-- DESTRUCTIVE (included by --allow-destructive; approval: {approver}): {why}"
            );
            let _ = writeln!(out, "{}", statement.sql);
        }
        (Some(why), false) => {
            let _ = writeln!(out, "-- WITHHELD, destructive: {why}");
            let _ = writeln!(
                out,
                "-- needs approval by {approver}; then rerun with --allow-destructive"
            );
            out.push_str(&commented(&statement.sql));
        }
    }
}

/// Findings that none of the plan's steps fixes (a view known by name only,
/// …): listed so that an empty script never looks like "nothing to do".
fn unfixable<'r>(report: &'r Report, plan: &CorrectivePlan) -> Vec<&'r Finding> {
    let fixed: Vec<&String> = plan.steps.iter().flat_map(|s| &s.fixes).collect();
    report
        .drifts
        .iter()
        .filter(|f| {
            let label_start = format!("{} `{}`", f.kind.name(), f.table);
            !fixed.iter().any(|l| l.starts_with(&label_start))
        })
        .collect()
}

fn write_migration(
    comparison: &Comparison,
    args: &FixArgs,
    plan: &CorrectivePlan,
    approver: &str,
) -> Result<Outcome, CliError> {
    let report = &comparison.report;
    let mut out = std::io::stdout().lock();
    if report.drifts.is_empty() {
        use std::io::Write as _;
        let _ = writeln!(
            out,
            "-- No schema drift detected: nothing to fix, nothing written."
        );
        return Ok(Outcome { exit_code: 0 });
    }
    let statements = plan.statements(args.allow_destructive);
    let destructive: Vec<&Statement> = statements
        .iter()
        .filter(|s| s.destructive.is_some())
        .collect();
    if !destructive.is_empty() && !args.allow_destructive {
        let list: Vec<String> = destructive
            .iter()
            .map(|s| format!("  {}", s.destructive.as_deref().unwrap_or_default()))
            .collect();
        return Err(CliError::Refused(format!(
            "--write refused: the fix has {} destructive statement(s) that need approval by {approver}:\n{}\nnothing was written; once approved, rerun with --allow-destructive (or run `driftwatch fix` without --write to see the safe part)",
            destructive.len(),
            list.join("\n")
        )));
    }
    if statements.is_empty() {
        return Err(CliError::Refused(
            "--write: the drift has no SQL fix (run `driftwatch fix` to see why); nothing was written"
                .to_string(),
        ));
    }
    let written = migration_writer::write(
        &comparison.project,
        &comparison.read.schema,
        comparison.drizzle_kit_json.as_ref(),
        &statements,
        &args.name,
    )?;
    use std::io::Write as _;
    let _ = writeln!(
        out,
        "-- driftwatch fix --write: {} statement(s) for {} drift(s)",
        statements.len(),
        report.drifts.len()
    );
    for path in &written.files {
        let _ = writeln!(out, "-- wrote {}", comparison.project.display_path(path));
    }
    let _ = writeln!(
        out,
        "-- apply with `drizzle-kit migrate`; the snapshot is the schema, so `drizzle-kit generate` then finds nothing to do"
    );
    Ok(Outcome { exit_code: 1 })
}

/// What `--direction schema` shows for one table: where it goes and the code.
#[derive(Default)]
struct TableCode {
    file: String,
    new_table: Option<String>,
    columns: Vec<String>,
    extras: Vec<String>,
    replaced_columns: Vec<String>,
}

fn fix_schema(comparison: &Comparison, args: &FixArgs) -> Result<Outcome, CliError> {
    let report = &comparison.report;
    let first_file = report.schema.files.first().cloned().unwrap_or_default();
    let file_of = |table: &str| -> String {
        comparison
            .read
            .schema
            .table(table)
            .and_then(|t| t.source.as_ref())
            .map(|s| s.file.clone())
            .unwrap_or_else(|| first_file.clone())
    };
    let mut tables: BTreeMap<String, TableCode> = BTreeMap::new();
    let mut elsewhere: Vec<&Finding> = Vec::new();
    for finding in &report.drifts {
        let Some(code) = finding.fix.drizzle.clone() else {
            elsewhere.push(finding);
            continue;
        };
        let entry = tables.entry(finding.table.clone()).or_default();
        entry.file = file_of(&finding.table);
        match finding.kind {
            DriftKind::TableExtraInDb => entry.new_table = Some(code),
            DriftKind::ColumnExtraInDb => entry.columns.push(code),
            _ if finding.expected.is_none() => entry.extras.push(code),
            _ => {
                if !entry.replaced_columns.contains(&code) {
                    entry.replaced_columns.push(code);
                }
            }
        }
    }
    let style = Style::of_files(comparison);
    let mut out = String::from(
        "// driftwatch fix --direction schema: Drizzle code for what exists only in the database\n",
    );
    if report.drifts.is_empty() {
        out.push_str("// No schema drift detected: nothing to add.\n");
    }
    for (table, code) in &tables {
        render_table_code(&mut out, table, code, &style);
    }
    if !elsewhere.is_empty() {
        out.push_str("\n// Not fixable in the schema (the schema has it, the database lacks it; see `driftwatch fix --direction db`):\n");
        for finding in elsewhere {
            let _ = writeln!(out, "//   {} ({})", finding.message, finding.kind.name());
        }
    }
    let missing = style.missing_imports(&out);
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "\n// Add to the import from 'drizzle-orm/mysql-core' (or 'drizzle-orm' for sql): {}",
            missing.join(", ")
        );
    }
    validate::write_output(args.output.as_ref(), &out)?;
    Ok(Outcome {
        exit_code: if report.drifts.is_empty() { 0 } else { 1 },
    })
}

fn render_table_code(out: &mut String, table: &str, code: &TableCode, style: &Style) {
    let var = driftwatch_diff::drizzle_code::camel_key(table);
    if let Some(new_table) = &code.new_table {
        let _ = writeln!(out, "\n// {}: new table `{table}`", code.file);
        let _ = writeln!(out, "{}", style.apply(new_table));
        return;
    }
    if !code.columns.is_empty() {
        let _ = writeln!(
            out,
            "\n// {}: table `{table}` (`{var}`), add to its columns:",
            code.file
        );
        for column in &code.columns {
            let _ = writeln!(out, "  {}", style.apply(column));
        }
    }
    if !code.replaced_columns.is_empty() {
        let _ = writeln!(
            out,
            "\n// {}: table `{table}` (`{var}`), to keep the database's version, replace these columns' declarations:",
            code.file
        );
        for column in &code.replaced_columns {
            let _ = writeln!(out, "  {}", style.apply(column));
        }
    }
    if !code.extras.is_empty() {
        let _ = writeln!(
            out,
            "\n// {}: table `{table}` (`{var}`), add to its extra-config array (third argument of mysqlTable, `(t) => [...]`):",
            code.file
        );
        for extra in &code.extras {
            let _ = writeln!(out, "  {}", style.apply(extra));
        }
    }
}

/// The user's style, read cheaply from the schema files: the quote they use
/// for strings and the names they import.
struct Style {
    double_quotes: bool,
    imported: Vec<String>,
}

impl Style {
    fn of_files(comparison: &Comparison) -> Style {
        let text: String = comparison
            .read
            .files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect::<Vec<_>>()
            .join("\n");
        let imports: String = text
            .lines()
            .scan(false, |inside, line| {
                let starts = line.trim_start().starts_with("import");
                let keep = starts || *inside;
                *inside = (starts || *inside) && !line.contains(" from ");
                Some(if keep {
                    line.to_string()
                } else {
                    String::new()
                })
            })
            .collect::<Vec<_>>()
            .join("\n");
        let singles = imports.matches('\'').count();
        let doubles = imports.matches('"').count();
        let imported = imports
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        Style {
            double_quotes: doubles > singles,
            imported,
        }
    }

    /// The code with the user's quote style (strings without either quote inside only).
    fn apply(&self, code: &str) -> String {
        if !self.double_quotes {
            return code.to_string();
        }
        let mut out = String::with_capacity(code.len());
        let mut rest = code;
        while let Some(start) = rest.find('\'') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('\'') {
                Some(end) if !after[..end].contains(['"', '\\', '`']) => {
                    out.push('"');
                    out.push_str(&after[..end]);
                    out.push('"');
                    rest = &after[end + 1..];
                }
                _ => {
                    out.push('\'');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Builders the code calls that the files do not import.
    fn missing_imports(&self, code: &str) -> Vec<String> {
        const BUILDERS: &[&str] = &[
            "mysqlTable",
            "int",
            "tinyint",
            "smallint",
            "mediumint",
            "bigint",
            "serial",
            "boolean",
            "decimal",
            "float",
            "double",
            "char",
            "varchar",
            "text",
            "tinytext",
            "mediumtext",
            "longtext",
            "binary",
            "varbinary",
            "json",
            "date",
            "datetime",
            "time",
            "timestamp",
            "year",
            "mysqlEnum",
            "index",
            "uniqueIndex",
            "primaryKey",
            "foreignKey",
            "check",
            "sql",
        ];
        let mut missing: Vec<String> = Vec::new();
        for builder in BUILDERS {
            let called =
                code.match_indices(&format!("{builder}("))
                    .chain(code.match_indices(&format!("{builder}`")))
                    .any(|(i, _)| {
                        !code[..i].chars().next_back().is_some_and(|c| {
                            c.is_alphanumeric() || c == '_' || c == '.' || c == '$'
                        })
                    });
            if called
                && !self.imported.iter().any(|i| i == builder)
                && !missing.iter().any(|m| m == builder)
            {
                missing.push((*builder).to_string());
            }
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_quote_style_rewrites_simple_strings_only() {
        let style = Style {
            double_quotes: true,
            imported: vec![],
        };
        assert_eq!(
            style.apply("note: varchar('note', { length: 20 }),"),
            "note: varchar(\"note\", { length: 20 }),"
        );
        assert_eq!(style.apply("x: text('it\\'s')"), "x: text('it\\'s')");
    }

    #[test]
    fn builders_not_imported_are_listed() {
        let style = Style {
            double_quotes: false,
            imported: vec!["varchar".into(), "mysqlTable".into()],
        };
        assert_eq!(
            style.missing_imports("a: varchar('a'), b: int('b'), t.int, uniqueIndex('x').on(t.a)"),
            vec!["int".to_string(), "uniqueIndex".to_string()]
        );
    }
}
