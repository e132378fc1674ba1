//! Helpers: write TypeScript into a temporary project and read it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use driftwatch_drizzle::{Casing, Diagnostic, ReadOptions, ReadOutput, read_schema};
use driftwatch_model::{Column, Table};

pub struct Project {
    pub dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, relative: &str, content: &str) -> PathBuf {
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
        }
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("write: {e}"));
        path
    }

    pub fn read(&self, files: &[&str], casing: Option<Casing>) -> ReadOutput {
        let files: Vec<PathBuf> = files.iter().map(|f| self.dir.path().join(f)).collect();
        read_schema(
            &files,
            &ReadOptions {
                casing,
                root: self.dir.path().to_path_buf(),
            },
        )
    }
}

/// The imports every inline schema gets.
pub const PRELUDE: &str = "import { mysqlTable, int, tinyint, smallint, mediumint, bigint, serial, boolean, float, \
double, real, decimal, varchar, char, text, tinytext, mediumtext, longtext, binary, varbinary, json, date, datetime, \
time, timestamp, year, mysqlEnum, index, uniqueIndex, primaryKey, foreignKey, unique, check, mysqlView, customType } \
from 'drizzle-orm/mysql-core';\nimport { sql, relations } from 'drizzle-orm';\n";

/// Reads one `schema.ts` made of the prelude and `body`.
pub fn read_ts(body: &str) -> ReadOutput {
    read_ts_with(body, None)
}

pub fn read_ts_with(body: &str, casing: Option<Casing>) -> ReadOutput {
    let project = Project::new();
    project.file("schema.ts", &format!("{PRELUDE}{body}"));
    project.read(&["schema.ts"], casing)
}

pub fn describe(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("{d}\n")).collect()
}

/// Reads and asserts that nothing was reported.
pub fn read_clean(body: &str) -> ReadOutput {
    let out = read_ts(body);
    assert!(
        out.diagnostics.is_empty(),
        "unexpected diagnostics:\n{}",
        describe(&out.diagnostics)
    );
    assert!(
        out.incomplete_tables.is_empty(),
        "incomplete: {:?}",
        out.incomplete_tables
    );
    out
}

pub fn table<'o>(out: &'o ReadOutput, name: &str) -> &'o Table {
    out.schema.table(name).unwrap_or_else(|| {
        panic!(
            "no table `{name}`; tables: {:?}",
            out.schema
                .tables
                .iter()
                .map(|t| &t.name)
                .collect::<Vec<_>>()
        )
    })
}

pub fn column<'o>(out: &'o ReadOutput, table_name: &str, name: &str) -> &'o Column {
    let t = table(out, table_name);
    t.column(name).unwrap_or_else(|| {
        panic!(
            "no column `{name}` in `{table_name}`; columns: {:?}",
            t.columns.iter().map(|c| &c.name).collect::<Vec<_>>()
        )
    })
}

/// The single column `c` of table `t` declared by `builder`.
pub fn one_column(builder: &str) -> Column {
    let out = read_clean(&format!(
        "export const t = mysqlTable('t', {{ c: {builder} }});"
    ));
    column(&out, "t", "c").clone()
}

pub fn errors(out: &ReadOutput) -> Vec<&Diagnostic> {
    out.diagnostics.iter().filter(|d| d.is_error()).collect()
}
