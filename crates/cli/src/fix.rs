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
        progress: &crate::progress::Progress::hidden(),
        database: None,
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
    if report.drifts.is_empty() {
        validate::write_output(
            None,
            "-- No schema drift detected: nothing to fix, nothing written.\n",
        )?;
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
    let mut out = String::new();
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
    validate::write_output(None, &out)?;
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
            .map(|s| s.file.to_string())
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

/// The user's style, read cheaply from the schema files' import lines: the
/// quote they use for strings, the names they import, the aliases they
/// import them under (`int as integer`) and a namespace import
/// (`import * as mysql from 'drizzle-orm/mysql-core'`).
struct Style {
    double_quotes: bool,
    /// Every word of the import lines (original names and aliases).
    imported: Vec<String>,
    /// (imported name, local alias).
    aliases: Vec<(String, String)>,
    /// The namespace `drizzle-orm/mysql-core` is imported as.
    namespace: Option<String>,
}

/// The builders `drizzle_code` writes; all from `drizzle-orm/mysql-core`
/// except `sql` (from `drizzle-orm`).
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

impl Style {
    fn of_files(comparison: &Comparison) -> Style {
        let text: String = comparison
            .read
            .files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect::<Vec<_>>()
            .join("\n");
        Style::of_imports(&import_lines(&text))
    }

    fn of_imports(imports: &str) -> Style {
        let singles = imports.matches('\'').count();
        let doubles = imports.matches('"').count();
        let words: Vec<&str> = imports
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '*'))
            .filter(|w| !w.is_empty())
            .collect();
        let mut aliases = Vec::new();
        let mut namespace = None;
        for window in words.windows(3) {
            if let [name, "as", alias] = window {
                if *name == "*" {
                    namespace = Some((*alias).to_string());
                } else {
                    aliases.push(((*name).to_string(), (*alias).to_string()));
                }
            }
        }
        Style {
            double_quotes: doubles > singles,
            imported: words.iter().map(|w| (*w).to_string()).collect(),
            aliases,
            namespace,
        }
    }

    /// The code in the user's style: their aliases or namespace for the
    /// builders, their quote for strings (those without quotes inside).
    fn apply(&self, code: &str) -> String {
        let code = rewrite_calls(code, |name| {
            if let Some((_, alias)) = self.aliases.iter().find(|(n, _)| n == name) {
                return Some(alias.clone());
            }
            match &self.namespace {
                Some(ns) if name != "sql" && !self.imported.iter().any(|i| i == name) => {
                    Some(format!("{ns}.{name}"))
                }
                _ => None,
            }
        });
        if !self.double_quotes {
            return code;
        }
        to_double_quotes(&code)
    }

    /// Builders the code calls that the files do not import.
    fn missing_imports(&self, code: &str) -> Vec<String> {
        let mut called: Vec<String> = Vec::new();
        rewrite_calls(code, |name| {
            if !called.iter().any(|c| c == name) {
                called.push(name.to_string());
            }
            None
        });
        BUILDERS
            .iter()
            .filter(|b| called.iter().any(|c| c == *b))
            .filter(|b| !self.imported.iter().any(|i| i == *b))
            .filter(|b| self.namespace.is_none() || **b == "sql")
            .map(|b| (*b).to_string())
            .collect()
    }
}

/// `'text'` → `"text"` for single-quoted strings with no quote or backslash
/// inside; template literals (`` sql`…` ``) and other strings are copied as
/// they are.
fn to_double_quotes(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' && c != '`' {
            out.push(c);
            continue;
        }
        let mut literal = String::new();
        let mut closed = false;
        while let Some(inner) = chars.next() {
            if inner == '\\' {
                literal.push(inner);
                if let Some(escaped) = chars.next() {
                    literal.push(escaped);
                }
                continue;
            }
            if inner == c {
                closed = true;
                break;
            }
            literal.push(inner);
        }
        let plain = c == '\'' && closed && !literal.contains(['"', '\\']);
        let quote = if plain { '"' } else { c };
        out.push(quote);
        out.push_str(&literal);
        if closed {
            out.push(quote);
        }
    }
    out
}

/// The `import …` statements of a file (multi-line ones included).
fn import_lines(text: &str) -> String {
    text.lines()
        .scan(false, |inside, line| {
            let starts = line.trim_start().starts_with("import");
            let keep = starts || *inside;
            *inside = keep && !line.contains(" from ") && !line.contains(';');
            Some(if keep {
                line.to_string()
            } else {
                String::new()
            })
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Calls of the known builders (`name(` or ``name` `` not after `.` or an
/// identifier character), each name replaced by what `rename` returns.
fn rewrite_calls(code: &str, mut rename: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(code.len());
    let mut word = String::new();
    let mut previous: Option<char> = None;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut word_start_prev: Option<char> = None;
    for c in code.chars() {
        if is_ident(c) {
            if word.is_empty() {
                word_start_prev = previous;
            }
            word.push(c);
        } else {
            if !word.is_empty() {
                let callable = (c == '(' || c == '`')
                    && !word_start_prev.is_some_and(|p| is_ident(p) || p == '.')
                    && BUILDERS.contains(&word.as_str());
                match callable.then(|| rename(&word)).flatten() {
                    Some(renamed) => out.push_str(&renamed),
                    None => out.push_str(&word),
                }
                word.clear();
            }
            out.push(c);
        }
        previous = Some(c);
    }
    out.push_str(&word);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_namespace_imports_are_used() {
        let aliased = Style::of_imports(
            "import { int as integer, varchar, index } from 'drizzle-orm/mysql-core';",
        );
        assert_eq!(
            aliased.apply("a: int('a'), b: varchar('b'), uniqueIndex('u').on(t.a), index('i')"),
            "a: integer('a'), b: varchar('b'), uniqueIndex('u').on(t.a), index('i')"
        );
        assert_eq!(
            aliased.missing_imports("int('a'), uniqueIndex('u')"),
            vec!["uniqueIndex"]
        );
        let namespaced = Style::of_imports(
            "import * as m from 'drizzle-orm/mysql-core';\nimport { sql } from 'drizzle-orm';",
        );
        assert_eq!(
            namespaced.apply("x: int('x').default(sql`(1)`),"),
            "x: m.int('x').default(sql`(1)`),"
        );
        assert!(
            namespaced
                .missing_imports("m.int('x'), check('c', sql`1`)")
                .is_empty()
        );
    }

    #[test]
    fn double_quote_style_rewrites_simple_strings_only() {
        let style = Style::of_imports("import { varchar, text } from \"drizzle-orm/mysql-core\";");
        assert_eq!(
            style.apply("note: varchar('note', { length: 20 }),"),
            "note: varchar(\"note\", { length: 20 }),"
        );
        assert_eq!(style.apply("x: text('it\\'s')"), "x: text('it\\'s')");
        assert_eq!(
            style.apply("check('c', sql`a <> 'x'`),"),
            "check(\"c\", sql`a <> 'x'`),"
        );
    }

    #[test]
    fn builders_not_imported_are_listed() {
        let style = Style::of_imports(
            "import {\n  varchar,\n  mysqlTable,\n} from 'drizzle-orm/mysql-core';",
        );
        assert_eq!(
            style.missing_imports("a: varchar('a'), b: int('b'), t.int, uniqueIndex('x').on(t.a)"),
            vec!["int".to_string(), "uniqueIndex".to_string()]
        );
    }
}
