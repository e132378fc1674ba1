//! The reader against drizzle-kit itself: for every parity fixture, the
//! snapshot `drizzle-kit generate` wrote (tests/parity/generate.sh, run by
//! scripts/test.sh into `DRIFTWATCH_PARITY_DIR`) must describe the same
//! tables, columns, keys, indexes and foreign keys as driftwatch's reading of
//! the same fixture. Skipped when `DRIFTWATCH_PARITY_DIR` is not set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use driftwatch_drizzle::{EnvVars, ReadOptions, load_config, read_schema, resolve_schema_files};
use driftwatch_model::{Column, ColumnType, DefaultValue, FkAction, IndexOrigin, Schema};
use serde_json::Value as Json;

fn our_schema(dir: &Path) -> Schema {
    let env = EnvVars::from_pairs([("DATABASE_URL", "mysql://u:p@127.0.0.1/db")]);
    let config =
        load_config(&dir.join("drizzle.config.ts"), &env).unwrap_or_else(|e| panic!("{e}"));
    let files =
        resolve_schema_files(&config.root, &config.schema).unwrap_or_else(|e| panic!("{e}"));
    let out = read_schema(
        &files,
        &ReadOptions {
            casing: config.casing,
            root: config.root.clone(),
        },
    );
    assert!(
        !out.has_errors(),
        "{}: {:?}",
        dir.display(),
        out.diagnostics
    );
    out.schema
}

/// A snapshot column as a Model column, through the same canonicalization.
fn snapshot_column(name: &str, json: &Json) -> Column {
    let type_text = json["type"].as_str().unwrap_or_default();
    let ty = ColumnType::parse(type_text).unwrap_or_else(|e| panic!("{e}"));
    let mut column = Column::new(name, ty);
    let serial = type_text == "serial";
    column.nullable = !(json["notNull"].as_bool().unwrap_or(false) || serial);
    column.auto_increment = json["autoincrement"].as_bool().unwrap_or(false);
    column.on_update_now = json["onUpdate"].as_bool().unwrap_or(false);
    column.default = match json.get("default") {
        None => None,
        Some(Json::Null) => Some(DefaultValue::Null),
        Some(Json::String(text)) => Some(DefaultValue::parse_sql(text)),
        Some(other) => Some(DefaultValue::parse_sql(&other.to_string())),
    };
    column.canonicalize()
}

fn action(text: Option<&str>) -> FkAction {
    text.and_then(FkAction::parse).unwrap_or(FkAction::NoAction)
}

fn compare(name: &str, dir: &Path, snapshot: &Json) -> Vec<String> {
    let ours = our_schema(dir);
    let mut problems = Vec::new();
    let mut say = |text: String| problems.push(format!("{name}: {text}"));
    let tables = snapshot["tables"].as_object().cloned().unwrap_or_default();
    let snapshot_names: Vec<&String> = tables.keys().collect();
    let our_names: Vec<&String> = ours.tables.iter().map(|t| &t.name).collect();
    let mut sorted = snapshot_names.clone();
    sorted.sort();
    if sorted != our_names {
        say(format!(
            "tables: drizzle-kit {sorted:?}, driftwatch {our_names:?}"
        ));
    }
    for (table_name, table) in &tables {
        let Some(our) = ours.table(table_name) else {
            continue;
        };
        let columns = table["columns"].as_object().cloned().unwrap_or_default();
        for (column_name, column) in &columns {
            let expected = snapshot_column(column_name, column);
            let Some(actual) = our.column(column_name) else {
                say(format!("{table_name}.{column_name}: missing"));
                continue;
            };
            let mut actual = actual.clone();
            actual.source = None;
            actual.generated = None;
            if expected != actual {
                say(format!(
                    "{table_name}.{column_name}: drizzle-kit {expected:?}\n  driftwatch {actual:?}"
                ));
            }
            if column.get("generated").is_some()
                != our
                    .column(column_name)
                    .is_some_and(|c| c.generated.is_some())
            {
                say(format!("{table_name}.{column_name}: generated differs"));
            }
        }
        if columns.len() != our.columns.len() {
            say(format!(
                "{table_name}: {} columns vs {}",
                columns.len(),
                our.columns.len()
            ));
        }
        // Primary key: drizzle-kit creates the first one.
        let pk: Option<Vec<String>> = table["compositePrimaryKeys"]
            .as_object()
            .and_then(|pks| pks.values().next())
            .map(|pk| strings(&pk["columns"]));
        if pk != our.primary_key.as_ref().map(|p| p.columns.clone()) {
            say(format!(
                "{table_name}: primary key {pk:?} vs {:?}",
                our.primary_key
            ));
        }
        // Indexes and unique constraints: one namespace in MySQL.
        let mut expected_indexes = BTreeMap::new();
        for unique in table["uniqueConstraints"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            expected_indexes.insert(
                unique["name"].as_str().unwrap_or_default().to_string(),
                (strings(&unique["columns"]), true),
            );
        }
        for index in table["indexes"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
        {
            expected_indexes.insert(
                index["name"].as_str().unwrap_or_default().to_string(),
                (
                    strings(&index["columns"]),
                    index["isUnique"].as_bool().unwrap_or(false),
                ),
            );
        }
        let actual_indexes: BTreeMap<String, (Vec<String>, bool)> = our
            .indexes
            .iter()
            .filter(|i| i.origin == IndexOrigin::Declared)
            .map(|i| {
                (
                    i.name.clone(),
                    (i.parts.iter().map(|p| p.column.clone()).collect(), i.unique),
                )
            })
            .collect();
        if expected_indexes != actual_indexes {
            say(format!(
                "{table_name}: indexes {expected_indexes:?}\n  vs {actual_indexes:?}"
            ));
        }
        let expected_fks: BTreeMap<String, _> = table["foreignKeys"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.values())
            .map(|fk| {
                (
                    fk["name"].as_str().unwrap_or_default().to_string(),
                    (
                        strings(&fk["columnsFrom"]),
                        fk["tableTo"].as_str().unwrap_or_default().to_string(),
                        strings(&fk["columnsTo"]),
                        action(fk["onDelete"].as_str()),
                        action(fk["onUpdate"].as_str()),
                    ),
                )
            })
            .collect();
        let actual_fks: BTreeMap<String, _> = our
            .foreign_keys
            .iter()
            .map(|fk| {
                (
                    fk.name.clone(),
                    (
                        fk.columns.clone(),
                        fk.referenced_table.clone(),
                        fk.referenced_columns.clone(),
                        fk.on_delete,
                        fk.on_update,
                    ),
                )
            })
            .collect();
        if expected_fks != actual_fks {
            say(format!(
                "{table_name}: foreign keys {expected_fks:?}\n  vs {actual_fks:?}"
            ));
        }
    }
    problems
}

fn strings(json: &Json) -> Vec<String> {
    json.as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[test]
fn reader_matches_drizzle_kit_snapshots_of_every_parity_fixture() {
    let Some(generated) = std::env::var_os("DRIFTWATCH_PARITY_DIR").map(PathBuf::from) else {
        eprintln!("skipped: DRIFTWATCH_PARITY_DIR is not set (scripts/test.sh sets it)");
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/parity/fixtures");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap_or_else(|e| panic!("{}: {e}", fixtures.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    let mut problems = Vec::new();
    let mut compared = 0;
    for dir in &entries {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let snapshot_path = generated
            .join(&name)
            .join("migrations/meta/0000_snapshot.json");
        let Ok(text) = std::fs::read_to_string(&snapshot_path) else {
            problems.push(format!(
                "{name}: no snapshot at {}",
                snapshot_path.display()
            ));
            continue;
        };
        let snapshot: Json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        problems.extend(compare(&name, dir, &snapshot));
        compared += 1;
    }
    assert!(
        problems.is_empty(),
        "{compared} fixtures compared:\n{}",
        problems.join("\n")
    );
}
