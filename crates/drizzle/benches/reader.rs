//! The static reader on a realistic large schema: 2,000 tables in 50 files
//! (columns of every common kind, enums, json, defaults, a shared columns
//! helper spread into every table, indexes, unique constraints, composite
//! primary keys, foreign keys within and across files), generated once into
//! a temporary folder. Run with
//! `cargo bench -p driftwatch_drizzle --bench reader`; figures go in
//! docs/BENCHMARKS.md.

use std::path::PathBuf;
use std::sync::LazyLock;

use driftwatch_drizzle::{ReadOptions, read_schema};

mod common;

use common::{FILES, TABLES_PER_FILE, file_source};

struct Fixture {
    _dir: tempfile::TempDir,
    files: Vec<PathBuf>,
    options: ReadOptions,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut files = Vec::new();
    for file in 0..FILES {
        let path = dir.path().join(format!("part_{file:02}.ts"));
        std::fs::write(&path, file_source(file)).expect("write schema file");
        files.push(path);
    }
    let options = ReadOptions {
        casing: None,
        root: dir.path().to_path_buf(),
    };
    // The benchmark is only meaningful on a schema that reads exactly.
    let output = read_schema(&files, &options);
    assert!(
        output.diagnostics.is_empty(),
        "the generated schema does not read cleanly: {:#?}",
        &output.diagnostics[..output.diagnostics.len().min(5)]
    );
    assert_eq!(output.schema.tables.len(), FILES * TABLES_PER_FILE);
    Fixture {
        _dir: dir,
        files,
        options,
    }
});

fn main() {
    divan::main();
}

/// 2,000 tables in 50 files, read from disk, parsed, evaluated, into the Model.
#[divan::bench(sample_count = 30)]
fn read_schema_2000_tables_50_files(bencher: divan::Bencher) {
    let fixture = &*FIXTURE;
    bencher.bench(|| read_schema(&fixture.files, &fixture.options));
}
