//! A deliberately nasty schema (tests/fixtures/nasty/schema.ts): every
//! construct the reader cannot evaluate is an error at its own line and
//! column, the tables affected are incomplete, and the read is never clean.

use std::path::Path;

use driftwatch_drizzle::{ReadOptions, ReadOutput, read_schema};

fn read() -> ReadOutput {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nasty");
    read_schema(
        &[root.join("schema.ts")],
        &ReadOptions {
            casing: None,
            root: root.clone(),
        },
    )
}

#[test]
fn every_unsupported_construct_is_an_error_at_its_line() {
    let out = read();
    // (line, column, table, what the message says)
    let expected: &[(u32, u32, Option<&str>, &str)] = &[
        (
            10,
            4,
            Some("users"),
            "computed key from `process.env.EXTRA_COLUMN`",
        ),
        (
            11,
            7,
            Some("users"),
            "`process.env.WITH_AUDIT`, a runtime value",
        ),
        (
            12,
            4,
            Some("users"),
            "computed key from `COLUMN_NAMES.slug`",
        ),
        (13, 51, Some("users"), "`nanoid()` comes from `nanoid`"),
        (
            17,
            3,
            Some("copies"),
            "`getTableColumns()` comes from `drizzle-orm`",
        ),
        (21, 24, None, "`process.env.TABLE_NAME`"),
        (25, 3, Some("looped"), "a loop in a function body"),
        (34, 1, None, "a loop at module level"),
        (39, 1, None, "an assignment at module level"),
        (43, 9, Some("random"), "`Math` is not defined"),
        (55, 1, None, "a method call at module level"),
    ];
    let mut actual: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.line,
                d.column,
                d.table.clone(),
                d.message.clone(),
                d.is_error(),
            )
        })
        .collect();
    actual.sort();
    assert_eq!(actual.len(), expected.len(), "{actual:#?}");
    for ((line, column, table, what), got) in expected.iter().zip(&actual) {
        assert_eq!((got.0, got.1), (*line, *column), "{what}: {got:?}");
        assert_eq!(got.2.as_deref(), *table, "{what}: {got:?}");
        assert!(got.3.contains(what), "{what}: {got:?}");
        assert!(got.4, "{what} must be an error");
    }
}

#[test]
fn no_clean_verdict_and_the_affected_tables_are_incomplete() {
    let out = read();
    assert!(out.has_errors());
    assert_eq!(
        out.incomplete_tables,
        vec!["copies", "looped", "random", "users"]
    );
    // What could be read is still read.
    assert!(out.schema.table("fine").is_some());
    assert!(
        out.schema
            .table("users")
            .and_then(|t| t.column("id"))
            .is_some()
    );
}
