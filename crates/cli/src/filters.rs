//! What is left out of the comparison on purpose, and what could not be
//! compared. Every name left out is listed (never dropped silently):
//!
//! * `tablesFilter` of drizzle.config (database side, as drizzle-kit applies it);
//! * `[ignore] tables` and `[ignore] columns` of driftwatch.toml (both sides);
//! * tables left by online schema-change tools that the schema does not
//!   declare (database side; `[ignore] online_schema_change_tables = false`
//!   turns it off), each with a warning: a schema change is in flight or died.

use driftwatch_model::Schema;
use driftwatch_model::artifacts::online_schema_change_artifact;

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

/// Removes from both Models what the configuration leaves out.
pub fn apply(
    project: &Project,
    expected: &mut Schema,
    actual: &mut Schema,
) -> Result<Filtered, CliError> {
    let default_ignore = Ignore::default();
    let (ignore, ignored_column_globs) = match &project.settings {
        Some((path, settings)) => (&settings.ignore, settings.ignored_columns(path)?),
        None => (&default_ignore, Vec::new()),
    };
    let tables_filter = project.tables_filter();
    let ignored_by_config = |name: &str| ignore.tables.iter().any(|p| glob_matches(p, name));
    let declared: std::collections::HashSet<String> =
        expected.tables.iter().map(|t| t.name.clone()).collect();

    let mut filtered = Filtered::default();
    actual.tables.retain(|table| {
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
    expected.tables.retain(|t| !ignored_by_config(&t.name));

    for schema in [expected, actual] {
        for table in &mut schema.tables {
            let table_name = table.name.clone();
            table.columns.retain(|column| {
                let ignored = ignored_column_globs
                    .iter()
                    .any(|(t, c)| glob_matches(t, &table_name) && glob_matches(c, &column.name));
                if ignored {
                    filtered
                        .ignored_columns
                        .push(format!("{table_name}.{}", column.name));
                }
                !ignored
            });
        }
    }
    filtered.ignored_tables.sort();
    filtered.ignored_columns.sort();
    filtered.ignored_columns.dedup();
    Ok(filtered)
}
