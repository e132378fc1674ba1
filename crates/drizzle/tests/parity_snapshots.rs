//! The reader against drizzle-kit itself: for every parity fixture, the
//! snapshot `drizzle-kit generate` wrote (tests/parity/generate.sh, run by
//! scripts/test.sh into `DRIFTWATCH_PARITY_DIR`) must describe the same
//! tables, columns, keys, indexes and foreign keys as driftwatch's reading of
//! the same fixture, read through the library's own snapshot conversion
//! (`--schema-source snapshot`). Skipped when `DRIFTWATCH_PARITY_DIR` is not set.

use std::path::{Path, PathBuf};

use driftwatch_drizzle::model_from_snapshot;
use driftwatch_drizzle::{EnvVars, ReadOptions, load_config, read_schema, resolve_schema_files};
use driftwatch_model::Schema;
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

/// The Model without source locations (a snapshot has none).
fn without_sources(mut schema: Schema) -> Schema {
    for table in &mut schema.tables {
        table.source = None;
        for column in &mut table.columns {
            column.source = None;
        }
        if let Some(pk) = &mut table.primary_key {
            pk.source = None;
        }
        for index in &mut table.indexes {
            index.source = None;
        }
        for fk in &mut table.foreign_keys {
            fk.source = None;
        }
        for check in &mut table.checks {
            check.source = None;
        }
    }
    for view in &mut schema.views {
        view.source = None;
    }
    schema
}

/// drizzle-kit's snapshot through [`model_from_snapshot`] against the static
/// reader, object by object so that a failure names what differs.
fn compare(name: &str, dir: &Path, snapshot: &Json) -> Vec<String> {
    let ours = without_sources(our_schema(dir));
    let mut theirs = match model_from_snapshot(snapshot) {
        Ok(schema) => schema,
        Err(e) => return vec![format!("{name}: {e}")],
    };
    // The static reader does not evaluate query-builder views
    // (`.as((qb) => ...)`): their definition is unknown and they are
    // compared by name only.
    for view in &mut theirs.views {
        if ours
            .views
            .iter()
            .any(|v| v.name == view.name && v.definition.is_none())
        {
            view.definition = None;
        }
    }
    let mut problems = Vec::new();
    let mut say = |text: String| problems.push(format!("{name}: {text}"));
    let names = |s: &Schema| s.tables.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    if names(&theirs) != names(&ours) {
        say(format!(
            "tables: drizzle-kit {:?}, driftwatch {:?}",
            names(&theirs),
            names(&ours)
        ));
    }
    for expected in &theirs.tables {
        let Some(actual) = ours.table(&expected.name) else {
            continue;
        };
        let table_name = &expected.name;
        for column in &expected.columns {
            match actual.column(&column.name) {
                None => say(format!("{table_name}.{}: missing", column.name)),
                Some(ours) if ours != column => say(format!(
                    "{table_name}.{}: drizzle-kit {column:?}\n  driftwatch {ours:?}",
                    column.name
                )),
                Some(_) => {}
            }
        }
        if expected.columns.len() != actual.columns.len() {
            say(format!(
                "{table_name}: {} columns vs {}",
                expected.columns.len(),
                actual.columns.len()
            ));
        }
        if expected.primary_key != actual.primary_key {
            say(format!(
                "{table_name}: primary key {:?} vs {:?}",
                expected.primary_key, actual.primary_key
            ));
        }
        if expected.indexes != actual.indexes {
            say(format!(
                "{table_name}: indexes {:?}\n  vs {:?}",
                expected.indexes, actual.indexes
            ));
        }
        if expected.foreign_keys != actual.foreign_keys {
            say(format!(
                "{table_name}: foreign keys {:?}\n  vs {:?}",
                expected.foreign_keys, actual.foreign_keys
            ));
        }
        if expected.checks != actual.checks {
            say(format!(
                "{table_name}: checks {:?}\n  vs {:?}",
                expected.checks, actual.checks
            ));
        }
    }
    if theirs != ours && problems.is_empty() {
        problems.push(format!("{name}: Models differ: {theirs:?}\n  vs {ours:?}"));
    }
    problems
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
