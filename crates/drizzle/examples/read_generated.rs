//! One read of the reader benchmark's generated schema, for instruction
//! counts (`valgrind --tool=callgrind --toggle-collect='*read_once*'`) and
//! for comparing the output before/after a change:
//!
//! ```sh
//! cargo run --release -p driftwatch_drizzle --example read_generated -- /tmp/schema [dump.txt]
//! ```

use std::path::{Path, PathBuf};

use driftwatch_drizzle::{ReadOptions, ReadOutput, read_schema};

#[path = "../benches/common/mod.rs"]
mod common;

#[inline(never)]
fn read_once(files: &[PathBuf], options: &ReadOptions) -> ReadOutput {
    read_schema(files, options)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .expect("usage: read_generated <folder> [dump file]"),
    );
    std::fs::create_dir_all(&dir).expect("create folder");
    let files: Vec<PathBuf> = (0..common::FILES)
        .map(|file| {
            let path = dir.join(format!("part_{file:02}.ts"));
            std::fs::write(&path, common::file_source(file)).expect("write schema file");
            path
        })
        .collect();
    let options = ReadOptions {
        casing: None,
        root: dir.clone(),
    };
    let output = read_once(&files, &options);
    assert!(output.diagnostics.is_empty(), "{:#?}", output.diagnostics);
    assert_eq!(
        output.schema.tables.len(),
        common::FILES * common::TABLES_PER_FILE
    );
    if let Some(dump) = args.next() {
        std::fs::write(Path::new(&dump), format!("{output:#?}")).expect("write dump");
    }
}
