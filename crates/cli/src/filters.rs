//! What is left out of the comparison on purpose, and what could not be
//! compared. Every name left out is listed (never dropped silently):
//!
//! * `tablesFilter` of drizzle.config (database side, as drizzle-kit applies it);
//! * `[ignore] tables` and `[ignore] columns` of driftwatch.toml (both sides);
//! * tables left by online schema-change tools that the schema does not
//!   declare (database side; `[ignore] online_schema_change_tables = false`
//!   turns it off), each with a warning: a schema change is in flight or died.

use std::borrow::Cow;

use driftwatch_model::artifacts::online_schema_change_artifact;
use driftwatch_model::quirks::{CheckSupport, check_support, json_is_plain_longtext};
use driftwatch_model::{Column, ColumnType, Flavor, Schema, Table, TextSize};
use driftwatch_mysql::InspectDiagnostic;

use crate::error::CliError;
use crate::project::Project;
use crate::settings::{Ignore, glob_matches, table_filter_keeps};

/// The outcome of [`apply`].
#[derive(Debug, Default)]
pub struct Filtered {
    /// Database tables left out, sorted.
    pub ignored_tables: Vec<String>,
    /// `table.column` left out (either side).
    pub ignored_columns: Vec<String>,
    /// One line per online schema-change artifact.
    pub warnings: Vec<String>,
}

/// A Model the filters may change: owned, or borrowed and copied on the
/// first change (`Cow`: the schema's Model is compared as read unless a
/// filter applies to it, which spares a copy of it; docs/BENCHMARKS.md).
pub trait Editable {
    fn view(&self) -> &Schema;
    fn edit(&mut self) -> &mut Schema;
}

impl Editable for Schema {
    fn view(&self) -> &Schema {
        self
    }
    fn edit(&mut self) -> &mut Schema {
        self
    }
}

impl Editable for Cow<'_, Schema> {
    fn view(&self) -> &Schema {
        self
    }
    fn edit(&mut self) -> &mut Schema {
        self.to_mut()
    }
}

/// What the comparison leaves out of the database's Model, kept to be put
/// back after it: the Model is filtered in place, not copied (at 2,000
/// tables a copy is ≈ 9 MB, and the copies made the comparison the peak of
/// `validate`'s memory; docs/BENCHMARKS.md, *Memory*).
#[derive(Debug, Default)]
pub struct SetAside {
    tables: Vec<Table>,
    /// (table, position, column), positions ascending per table.
    columns: Vec<(String, usize, Column)>,
}

impl SetAside {
    /// Moves the tables `keep` rejects out of `schema`, in order.
    pub fn take_tables(&mut self, schema: &mut Schema, keep: impl FnMut(&Table) -> bool) {
        let (kept, taken): (Vec<Table>, Vec<Table>) = std::mem::take(&mut schema.tables)
            .into_iter()
            .partition(keep);
        schema.tables = kept;
        self.tables.extend(taken);
    }

    fn take_columns(&mut self, table: &mut Table, ignored: impl Fn(&Column) -> bool) {
        let columns = std::mem::take(&mut table.columns);
        for (position, column) in columns.into_iter().enumerate() {
            if ignored(&column) {
                self.columns.push((table.name.clone(), position, column));
            } else {
                table.columns.push(column);
            }
        }
    }

    /// `schema` as it was before anything was taken out of it.
    pub fn put_back(self, schema: &mut Schema) {
        schema.tables.extend(self.tables);
        // Interpreted Models are sorted by name (`Schema::sort`).
        schema.tables.sort_by(|a, b| a.name.cmp(&b.name));
        // Ascending positions: each column goes back where it was.
        for (table, position, column) in self.columns {
            if let Some(table) = schema.tables.iter_mut().find(|t| t.name == table) {
                table
                    .columns
                    .insert(position.min(table.columns.len()), column);
            }
        }
    }
}

/// Removes from both Models what the configuration leaves out; what leaves
/// the database's Model (`actual`) is kept in `aside`.
pub fn apply(
    project: &Project,
    expected: &mut impl Editable,
    actual: &mut Schema,
    aside: &mut SetAside,
) -> Result<Filtered, CliError> {
    let default_ignore = Ignore::default();
    let (ignore, ignored_column_globs) = match &project.settings {
        Some((path, settings)) => (&settings.ignore, settings.ignored_columns(path)?),
        None => (&default_ignore, Vec::new()),
    };
    let tables_filter = project.tables_filter();
    let ignored_by_config = |name: &str| ignore.tables.iter().any(|p| glob_matches(p, name));
    let declared: std::collections::HashSet<String> = expected
        .view()
        .tables
        .iter()
        .map(|t| t.name.clone())
        .collect();

    let mut filtered = Filtered::default();
    aside.take_tables(actual, |table| {
        let name = table.name.as_str();
        let artifact = online_schema_change_artifact(name)
            .filter(|_| ignore.online_schema_change_tables && !declared.contains(name));
        if let Some((tool, role)) = artifact {
            filtered.warnings.push(format!(
                "table `{name}` looks like a {} {role}: an online schema change is in progress \
                 or left this behind; it is not compared (set `[ignore] \
                 online_schema_change_tables = false` to compare it)",
                tool.name()
            ));
        }
        let keep = artifact.is_none()
            && table_filter_keeps(&tables_filter, name)
            && !ignored_by_config(name);
        if !keep {
            filtered.ignored_tables.push(name.to_string());
        }
        keep
    });
    retain_tables(expected, |t| !ignored_by_config(&t.name));

    if !ignored_column_globs.is_empty() {
        let ignored = |table: &str, column: &Column| {
            ignored_column_globs
                .iter()
                .any(|(t, c)| glob_matches(t, table) && glob_matches(c, &column.name))
        };
        // What leaves the schema's side is dropped.
        let mut dropped = SetAside::default();
        let any_declared = expected
            .view()
            .tables
            .iter()
            .any(|t| t.columns.iter().any(|c| ignored(&t.name, c)));
        if any_declared {
            for table in &mut expected.edit().tables {
                let name = table.name.clone();
                dropped.take_columns(table, |c| ignored(&name, c));
            }
        }
        for table in &mut actual.tables {
            let name = table.name.clone();
            aside.take_columns(table, |c| ignored(&name, c));
        }
        filtered.ignored_columns = dropped
            .columns
            .iter()
            .chain(&aside.columns)
            .map(|(table, _, column)| format!("{table}.{}", column.name))
            .collect();
    }
    filtered.ignored_tables.sort();
    filtered.ignored_columns.sort();
    filtered.ignored_columns.dedup();
    Ok(filtered)
}

/// Keeps the tables `keep` accepts; a borrowed Model is copied only when
/// one goes.
pub fn retain_tables(schema: &mut impl Editable, keep: impl Fn(&Table) -> bool) {
    if !schema.view().tables.iter().all(&keep) {
        schema.edit().tables.retain(keep);
    }
}

/// Declarations the server stores as another type, indistinguishably:
/// MariaDB 10.2.7–10.4.2 make `json` a plain `longtext`.
pub fn as_the_server_stores_it(flavor: &Flavor, expected: &mut impl Editable) {
    let is_json = |c: &Column| c.ty == ColumnType::Json;
    let has_json = || (expected.view().tables.iter()).any(|t| t.columns.iter().any(is_json));
    if !json_is_plain_longtext(flavor) || !has_json() {
        return;
    }
    let columns = expected
        .edit()
        .tables
        .iter_mut()
        .flat_map(|t| t.columns.iter_mut());
    for column in columns.filter(|c| is_json(c)) {
        column.ty = ColumnType::Text {
            size: TextSize::Long,
        };
    }
}

/// CHECK constraints of the schema that the server cannot have or cannot
/// show ([`check_support`]). A server that drops CHECK (MySQL 5.7) can never
/// match them: they are taken out of the expected side with one warning. A
/// server that keeps them where information_schema does not show them
/// (TiDB, early MariaDB 10.2/10.3) leaves them unverified.
pub fn limit_checks(
    flavor: &Flavor,
    expected: &mut impl Editable,
) -> (Vec<String>, Vec<InspectDiagnostic>) {
    let declared: Vec<(String, String)> = expected
        .view()
        .tables
        .iter()
        .flat_map(|t| t.checks.iter().map(|c| (t.name.clone(), c.name.clone())))
        .collect();
    if declared.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let server = flavor.label();
    match check_support(flavor) {
        CheckSupport::Readable => (Vec::new(), Vec::new()),
        CheckSupport::Ignored => {
            for table in &mut expected.edit().tables {
                table.checks.clear();
            }
            let names: Vec<String> = declared
                .iter()
                .map(|(table, check)| format!("`{table}`.`{check}`"))
                .collect();
            let warning = format!(
                "{server} parses CHECK constraints and drops them, so the database cannot have the \
                 schema's {} check(s) ({}); they are not compared",
                names.len(),
                names.join(", ")
            );
            (vec![warning], Vec::new())
        }
        CheckSupport::Unreadable => {
            let unverified = declared
                .into_iter()
                .map(|(table, check)| InspectDiagnostic {
                    table,
                    object: Some(check),
                    message: format!(
                        "{server} does not show CHECK constraints in information_schema; \
                         this check is not compared"
                    ),
                })
                .collect();
            (Vec::new(), unverified)
        }
    }
}

#[cfg(test)]
mod tests {
    use driftwatch_model::Check;

    use super::*;

    fn schema_with_check() -> Schema {
        let mut table = Table::new("orders");
        table.checks.push(Check {
            name: "qty_positive".into(),
            expression: "`qty` > 0".into(),
            source: None,
        });
        Schema {
            tables: vec![table],
            views: Vec::new(),
        }
    }

    fn three_tables() -> Schema {
        let mut schema = Schema::default();
        for name in ["a", "b", "c"] {
            let mut table = Table::new(name);
            for column in ["id", "x", "y", "z"] {
                table.columns.push(Column::new(column, ColumnType::Json));
            }
            schema.tables.push(table);
        }
        schema
    }

    #[test]
    fn a_borrowed_model_is_copied_only_when_a_filter_changes_it() {
        let mut read = three_tables();
        for column in read.tables.iter_mut().flat_map(|t| t.columns.iter_mut()) {
            column.ty = ColumnType::Text {
                size: TextSize::Long,
            };
        }
        let mut unchanged = Cow::Borrowed(&read);
        as_the_server_stores_it(&Flavor::identify("10.11.19-MariaDB", ""), &mut unchanged);
        as_the_server_stores_it(&Flavor::identify("10.3.39-MariaDB", ""), &mut unchanged);
        assert!(
            matches!(unchanged, Cow::Borrowed(_)),
            "no json column on 10.3 either"
        );

        let mut with_json = read.clone();
        with_json.tables[0].columns[0].ty = ColumnType::Json;
        let mut changed = Cow::Borrowed(&with_json);
        as_the_server_stores_it(&Flavor::identify("10.3.39-MariaDB", ""), &mut changed);
        assert!(matches!(changed, Cow::Owned(_)));
        assert_eq!(changed.tables[0].columns[0].ty.to_string(), "longtext");
        assert_eq!(with_json.tables[0].columns[0].ty, ColumnType::Json);
    }

    #[test]
    fn what_is_set_aside_goes_back_where_it_was() {
        let original = three_tables();
        let mut schema = original.clone();
        let mut aside = SetAside::default();
        for table in &mut schema.tables {
            aside.take_columns(table, |c| c.name == "x" || c.name == "z");
        }
        aside.take_tables(&mut schema, |t| t.name != "b");
        assert_eq!(schema.tables.len(), 2);
        assert_eq!(schema.tables[0].columns.len(), 2);
        aside.put_back(&mut schema);
        assert_eq!(schema, original);
    }

    #[test]
    fn checks_are_not_compared_on_a_server_that_drops_them() {
        let mut expected = schema_with_check();
        let (warnings, unverified) = limit_checks(&Flavor::identify("5.7.44", ""), &mut expected);
        assert!(expected.tables[0].checks.is_empty());
        assert!(unverified.is_empty());
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("mysql 5.7") && warnings[0].contains("`orders`.`qty_positive`")
        );
    }

    #[test]
    fn checks_a_server_keeps_but_does_not_show_are_unverified() {
        let mut expected = schema_with_check();
        let tidb = Flavor::identify("8.0.11-TiDB-v7.5.0", "");
        let (warnings, unverified) = limit_checks(&tidb, &mut expected);
        assert!(warnings.is_empty());
        assert_eq!(expected.tables[0].checks.len(), 1);
        assert_eq!(unverified.len(), 1);
        assert_eq!(unverified[0].object.as_deref(), Some("qty_positive"));
    }

    #[test]
    fn json_is_compared_as_longtext_on_mariadb_before_10_4_3() {
        let mut table = Table::new("t");
        table
            .columns
            .push(driftwatch_model::Column::new("doc", ColumnType::Json));
        let mut expected = Schema {
            tables: vec![table],
            views: Vec::new(),
        };
        let mut newer = expected.clone();
        as_the_server_stores_it(&Flavor::identify("10.3.39-MariaDB", ""), &mut expected);
        as_the_server_stores_it(&Flavor::identify("10.11.19-MariaDB", ""), &mut newer);
        assert_eq!(expected.tables[0].columns[0].ty.to_string(), "longtext");
        assert_eq!(newer.tables[0].columns[0].ty, ColumnType::Json);
    }

    #[test]
    fn checks_are_compared_where_the_server_shows_them() {
        let mut expected = schema_with_check();
        let mariadb = Flavor::identify("10.11.19-MariaDB-0+deb12u1", "");
        let (warnings, unverified) = limit_checks(&mariadb, &mut expected);
        assert!(warnings.is_empty() && unverified.is_empty());
        assert_eq!(expected.tables[0].checks.len(), 1);
    }
}
