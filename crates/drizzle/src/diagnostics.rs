//! Every message the reader can emit, one constructor per message.
//!
//! A [`Diagnostic`] points at a byte span of a source file (for code frames)
//! and carries the 1-based line and column (in characters) of its start.
//! Messages never quote evaluated values, only constructs and identifiers, so
//! that nothing read from the environment (passwords) can leak into them.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The schema could not be read exactly; the run cannot end clean.
    Error,
    /// Read exactly, but something deserves attention.
    Warning,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Error => "error",
            Level::Warning => "warning",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub level: Level,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The file as it was read (the schema path given, or the resolved
    /// import), so that it can be opened for a code frame.
    pub file: PathBuf,
    /// 1-based.
    pub line: u32,
    /// 1-based, counted in characters.
    pub column: u32,
    /// Byte offset of the span start (for code frames).
    pub offset: usize,
    /// Byte length of the span.
    pub length: usize,
    /// The table affected, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    fn new(level: Level, site: &Site<'_>, message: String, help: Option<String>) -> Diagnostic {
        let (line, column) = line_column(site.source, site.start as usize);
        Diagnostic {
            level,
            message,
            help,
            file: site.file.to_path_buf(),
            line,
            column,
            offset: site.start as usize,
            length: site.end.saturating_sub(site.start) as usize,
            table: site.table.map(str::to_string),
        }
    }

    fn error(site: &Site<'_>, message: String, help: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Level::Error, site, message, Some(help.into()))
    }

    fn warning(site: &Site<'_>, message: String, help: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Level::Warning, site, message, Some(help.into()))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.level,
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Where a diagnostic points: a byte span of one source file, and the table
/// being read at the time (if any).
#[derive(Debug, Clone, Copy)]
pub struct Site<'s> {
    pub file: &'s Path,
    pub source: &'s str,
    pub start: u32,
    pub end: u32,
    pub table: Option<&'s str>,
}

/// Byte offsets where each line of a source starts, so that a position is a
/// binary search away (a schema with thousands of tables asks for tens of
/// thousands of positions; rescanning the file each time was quadratic).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        // memchr, not `match_indices`: the index is built for every file.
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset. Offsets past
    /// the end or inside a character are clamped to the nearest position
    /// before them.
    pub fn line_column(&self, source: &str, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|start| *start <= offset).max(1);
        let line_start = self.starts.get(line - 1).copied().unwrap_or(0).min(offset);
        let text = &source[line_start..offset];
        // Schema sources are nearly all ASCII: one byte, one character.
        let column = if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        } + 1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }
}

/// [`LineIndex::line_column`] for a one-off position.
pub fn line_column(source: &str, offset: usize) -> (u32, u32) {
    LineIndex::new(source).line_column(source, offset)
}

fn incomplete(table: Option<&str>) -> String {
    match table {
        Some(table) => format!("table `{table}` is marked incomplete"),
        None => "the tables defined here are unknown".to_string(),
    }
}

// ---------------------------------------------------------------------------
// Files and syntax
// ---------------------------------------------------------------------------

pub fn syntax_error(site: &Site<'_>, message: &str, oxc_help: Option<&str>) -> Diagnostic {
    let mut help = String::new();
    if let Some(h) = oxc_help {
        help.push_str(h);
        help.push_str("; ");
    }
    help.push_str("the tables of this file are unknown until the syntax error is fixed");
    Diagnostic::error(site, format!("syntax error: {message}"), help)
}

pub fn file_unreadable(site: &Site<'_>, reason: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("cannot read `{}`: {reason}", site.file.display()),
        "check that the file exists and is readable",
    )
}

pub fn import_unresolved(site: &Site<'_>, specifier: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("cannot resolve import `{specifier}`"),
        format!(
            "relative imports are followed like TypeScript does (`./x.ts`, `./x/index.ts`, `.js` → `.ts`); \
             and through the `paths`/`baseUrl` of the nearest tsconfig.json; {}",
            incomplete(site.table)
        ),
    )
}

pub fn imported_file_broken(site: &Site<'_>, specifier: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("`{specifier}` could not be read (see its own diagnostics)"),
        incomplete(site.table),
    )
}

pub fn export_missing(site: &Site<'_>, name: &str, specifier: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("`{specifier}` has no export named `{name}`"),
        incomplete(site.table),
    )
}

pub fn external_value(site: &Site<'_>, name: &str, package: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("`{name}` comes from `{package}`, which driftwatch cannot evaluate"),
        format!(
            "only `drizzle-orm/mysql-core`, `sql` from `drizzle-orm`, relative imports and tsconfig path aliases are read; {}",
            incomplete(site.table)
        ),
    )
}

pub fn package_export(site: &Site<'_>, name: &str, package: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!(
            "export `{name}` comes from the package `{package}`, which driftwatch does not read"
        ),
        "if it is a table, drizzle-kit sees it but driftwatch cannot compare it; list the package's schema \
         files in `schema` or re-export them through a relative path",
    )
}

pub fn unknown_identifier(site: &Site<'_>, name: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("`{name}` is not defined at module level in this file"),
        format!(
            "only module-level `const` bindings, imports and literals are read; {}",
            incomplete(site.table)
        ),
    )
}

pub fn circular_reference(site: &Site<'_>, name: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("`{name}` is used before it is defined (circular reference)"),
        format!(
            "wrap references to other tables in a callback, e.g. `references(() => users.id)`; {}",
            incomplete(site.table)
        ),
    )
}

// ---------------------------------------------------------------------------
// Constructs that are not (yet) evaluated
// ---------------------------------------------------------------------------

/// Drizzle features driftwatch knows but does not read yet (`sql.<helper>`).
pub fn not_supported_yet(site: &Site<'_>, construct: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("`{construct}` is not supported yet"),
        format!(
            "driftwatch cannot read `{construct}` yet, so it cannot compare it; {}",
            incomplete(site.table)
        ),
    )
}

pub fn unsupported_builder(site: &Site<'_>, name: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("unknown `drizzle-orm/mysql-core` function `{name}`"),
        format!(
            "known column builders: int, tinyint, smallint, mediumint, bigint, serial, boolean, float, double, \
             real, decimal, varchar, char, text, tinytext, mediumtext, longtext, binary, varbinary, json, date, \
             datetime, time, timestamp, year, mysqlEnum; {}",
            incomplete(site.table)
        ),
    )
}

pub fn unknown_modifier(site: &Site<'_>, builder: &str, modifier: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("unknown column modifier `.{modifier}()` on `{builder}()`"),
        format!(
            "the column is skipped rather than read wrongly; {}",
            incomplete(site.table)
        ),
    )
}

pub fn unknown_table_method(site: &Site<'_>, item: &str, method: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("unknown method `.{method}()` on `{item}()`"),
        format!("the constraint is skipped; {}", incomplete(site.table)),
    )
}

pub fn spread_not_supported(site: &Site<'_>) -> Diagnostic {
    Diagnostic::error(
        site,
        "cannot spread this value statically".to_string(),
        format!(
            "only objects, arrays and strings known statically can be spread; {}",
            incomplete(site.table)
        ),
    )
}

pub fn unsupported_expression(site: &Site<'_>, what: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("cannot evaluate {what} statically"),
        format!(
            "literals, constants, imports, helper functions and drizzle builders are evaluated; \
             conditions, loops and values only known when drizzle-kit runs are not; {}",
            incomplete(site.table)
        ),
    )
}

pub fn type_error(site: &Site<'_>, what: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        what.to_string(),
        format!(
            "this would fail when drizzle-kit loads the schema; {}",
            incomplete(site.table)
        ),
    )
}

pub fn too_deep(site: &Site<'_>) -> Diagnostic {
    Diagnostic::error(
        site,
        "expression nested too deeply to evaluate".to_string(),
        incomplete(site.table),
    )
}

// ---------------------------------------------------------------------------
// Drizzle semantics
// ---------------------------------------------------------------------------

pub fn invalid_argument(site: &Site<'_>, function: &str, detail: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("invalid argument to `{function}()`: {detail}"),
        incomplete(site.table),
    )
}

pub fn invalid_column_type(site: &Site<'_>, type_text: &str, reason: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!(
            "drizzle-kit would write the column type `{type_text}`, which is not valid: {reason}"
        ),
        format!(
            "give the builder the options it needs (e.g. `varchar({{ length: 255 }})`); {}",
            incomplete(site.table)
        ),
    )
}

pub fn not_a_column(site: &Site<'_>, key: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("`{key}` is not a column builder"),
        format!(
            "every value in the columns object must be a builder such as `int()`; {}",
            incomplete(site.table)
        ),
    )
}

pub fn unknown_column(site: &Site<'_>, table: &str, key: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("table `{table}` has no column `{key}`"),
        incomplete(site.table),
    )
}

pub fn expected_column(site: &Site<'_>, position: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("{position} must be a column such as `t.id`"),
        incomplete(site.table),
    )
}

pub fn sql_interpolation(site: &Site<'_>, position: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("`sql` template with `${{…}}` interpolation in {position}"),
        format!(
            "drizzle-kit cannot write interpolated values here; write the SQL text inline, e.g. sql`(now())`; {}",
            incomplete(site.table)
        ),
    )
}

pub fn unevaluable_default(site: &Site<'_>, detail: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("default value {detail}"),
        format!(
            "only literals, `new Date(...)` and `sql` templates are read here; {}",
            incomplete(site.table)
        ),
    )
}

pub fn date_default_dropped(site: &Site<'_>, type_text: &str) -> Diagnostic {
    Diagnostic::warning(
        site,
        format!("drizzle-kit writes no DEFAULT for a `Date` value on a `{type_text}` column"),
        "the column is read without a default, as drizzle-kit does; use a string or sql`...` instead",
    )
}

/// drizzle-kit writes string defaults and enum values between quotes without
/// escaping backslashes, so MySQL reads `\n`, `\t`, `\\`… as escapes.
pub fn backslash_escapes_read_by_mysql(site: &Site<'_>, stored: &str) -> Diagnostic {
    Diagnostic::warning(
        site,
        format!(
            "drizzle-kit writes this string without escaping its backslashes, so MySQL stores `{}`",
            stored.escape_debug()
        ),
        "driftwatch expects what MySQL stores, as drizzle-kit's migration creates it; double the backslashes (`\\\\`) if a backslash is meant",
    )
}

/// A quote the literal drizzle-kit writes does not escape (a JSON default
/// with `'`, or a backslash right before a quote): its DDL is invalid.
pub fn literal_broken_in_ddl(site: &Site<'_>, why: &str) -> Diagnostic {
    Diagnostic::warning(
        site,
        format!(
            "drizzle-kit writes this value into its DDL unescaped ({why}), so its migration fails"
        ),
        "driftwatch reads the value as written; the database cannot have been created from drizzle-kit's SQL as is",
    )
}

pub fn local_time_date(site: &Site<'_>) -> Diagnostic {
    Diagnostic::warning(
        site,
        "this date has no time zone, so JavaScript reads it in the local time zone of the machine running drizzle-kit".to_string(),
        "driftwatch assumes UTC; add `Z` (e.g. `2024-01-02T03:04:05Z`) to make it exact",
    )
}

pub fn enum_value_mangled(site: &Site<'_>, value: &str) -> Diagnostic {
    Diagnostic::warning(
        site,
        format!(
            "enum value `{value}` contains `(` or `,`, which drizzle-kit mangles when it writes the type"
        ),
        "driftwatch reads the values as written; the database created by drizzle-kit will differ",
    )
}

pub fn duplicate_table(site: &Site<'_>, name: &str) -> Diagnostic {
    Diagnostic::warning(
        site,
        format!("two different tables are named `{name}`; the later one wins, as in drizzle-kit"),
        "rename one of them or stop exporting the stale one",
    )
}

pub fn duplicate_column(site: &Site<'_>, name: &str) -> Diagnostic {
    Diagnostic::warning(
        site,
        format!(
            "another column of this table is also named `{name}`; drizzle-kit keeps this one, in the place of the first"
        ),
        "give each column a distinct name (a builder shared by two keys takes the name of the first)",
    )
}

pub fn duplicate_index(site: &Site<'_>, name: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("the index or unique constraint name `{name}` is used twice in this table"),
        format!(
            "drizzle-kit refuses to generate this schema; give each index a distinct name; {}",
            incomplete(site.table)
        ),
    )
}

pub fn extra_primary_key(site: &Site<'_>) -> Diagnostic {
    Diagnostic::warning(
        site,
        "this table declares more than one primary key; drizzle-kit only creates the first"
            .to_string(),
        "declare one primary key (use `primaryKey({ columns: [...] })` for a composite key)",
    )
}

pub fn array_in_object_table_config(site: &Site<'_>) -> Diagnostic {
    Diagnostic::warning(
        site,
        "drizzle-orm ignores an array inside the object form of a table's extra config".to_string(),
        "drizzle-kit creates none of these; return an array `(t) => [...]` to declare them",
    )
}

pub fn unrecognized_table_config(site: &Site<'_>) -> Diagnostic {
    Diagnostic::error(
        site,
        "this entry of the table's extra config is not an index, key or constraint".to_string(),
        format!(
            "expected `index()`, `uniqueIndex()`, `primaryKey()`, `foreignKey()` or `unique()`; {}",
            incomplete(site.table)
        ),
    )
}

pub fn schema_table_ignored(site: &Site<'_>, table: &str, schema: &str) -> Diagnostic {
    Diagnostic::warning(
        site,
        format!(
            "table `{table}` belongs to `mysqlSchema('{schema}')`, which drizzle-kit leaves out of its snapshot and migrations"
        ),
        "driftwatch leaves it out too, as drizzle-kit does; define it with `mysqlTable` to have it managed",
    )
}

pub fn duplicate_view(site: &Site<'_>, name: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("two views are named `{name}`"),
        "drizzle-kit refuses to generate this schema; give each view a distinct name",
    )
}

pub fn duplicate_check(site: &Site<'_>, name: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("the check constraint name `{name}` is used twice in this table"),
        format!(
            "drizzle-kit refuses to generate this schema; give each check a distinct name; {}",
            incomplete(site.table)
        ),
    )
}

pub fn runtime_statement(site: &Site<'_>, what: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("{what} at module level cannot be evaluated statically"),
        "it runs when drizzle-kit loads the file and may create or change tables; \
         the tables of this file may differ from what driftwatch reads",
    )
}

pub fn runtime_condition(site: &Site<'_>, what: &str) -> Diagnostic {
    Diagnostic::error(
        site,
        format!("this condition depends on {what}, a runtime value"),
        format!(
            "driftwatch cannot tell which branch drizzle-kit takes; {}",
            incomplete(site.table)
        ),
    )
}

#[cfg(test)]
mod line_index_tests {
    use super::LineIndex;

    #[test]
    fn positions_are_one_based_lines_and_character_columns() {
        let source = "ab\ncdé f\n\nxyz";
        let index = LineIndex::new(source);
        assert_eq!(index.line_column(source, 0), (1, 1));
        assert_eq!(index.line_column(source, 2), (1, 3));
        assert_eq!(index.line_column(source, 3), (2, 1));
        // `é` is two bytes: the column after it counts one character.
        assert_eq!(
            index.line_column(source, source.find(' ').unwrap_or(0)),
            (2, 4)
        );
        assert_eq!(
            index.line_column(source, source.find('x').unwrap_or(0)),
            (4, 1)
        );
        assert_eq!(index.line_column(source, 999), (4, 4));
    }

    #[test]
    fn an_offset_inside_a_character_is_clamped_before_it() {
        let source = "é";
        assert_eq!(LineIndex::new(source).line_column(source, 1), (1, 1));
    }
}
