//! Every real-world-shaped schema in the repository reads exactly: the
//! example app and the drizzle-kit parity fixtures (tests/parity/fixtures).

use std::path::{Path, PathBuf};

use driftwatch_drizzle::{
    EnvVars, ReadOptions, find_config, load_config, read_schema, resolve_schema_files,
};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Reads a project through its drizzle.config; returns "" when exact, else why not.
fn read_project(dir: &Path) -> String {
    let Some(config_path) = find_config(dir) else {
        return format!("{}: no drizzle.config", dir.display());
    };
    let env = EnvVars::from_pairs([("DATABASE_URL", "mysql://u:p@127.0.0.1:3306/db")]);
    let config = match load_config(&config_path, &env) {
        Ok(config) => config,
        Err(e) => return format!("{e}"),
    };
    let files = match resolve_schema_files(&config.root, &config.schema) {
        Ok(files) => files,
        Err(e) => return format!("{e}"),
    };
    let out = read_schema(
        &files,
        &ReadOptions {
            casing: config.casing,
            root: config.root.clone(),
        },
    );
    let mut problems = String::new();
    for d in out.diagnostics.iter().filter(|d| d.is_error()) {
        problems.push_str(&format!("{}: {d}\n", dir.display()));
    }
    if !out.incomplete_tables.is_empty() {
        problems.push_str(&format!(
            "{}: incomplete {:?}\n",
            dir.display(),
            out.incomplete_tables
        ));
    }
    if out.schema.tables.is_empty() {
        problems.push_str(&format!("{}: no tables\n", dir.display()));
    }
    problems
}

#[test]
fn example_shop_schema_reads_exactly() {
    let dir = repo().join("examples/shop");
    if !dir.join("drizzle.config.ts").is_file() {
        return;
    }
    let problems = read_project(&dir);
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn every_parity_fixture_reads_exactly() {
    let fixtures = repo().join("tests/parity/fixtures");
    let Ok(entries) = std::fs::read_dir(&fixtures) else {
        return;
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut problems = String::new();
    for dir in &dirs {
        problems.push_str(&read_project(dir));
    }
    assert!(
        problems.is_empty(),
        "read {} fixtures:\n{problems}",
        dirs.len()
    );
}
