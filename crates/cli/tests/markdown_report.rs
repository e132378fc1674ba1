//! `validate --format markdown` on the example app (examples/shop) migrated
//! by its drizzle-kit migrations, plus one change typed into the console.

mod common;

use common::{TestDb, driftwatch, shop_dir, stdout};

/// The example's migrations applied, then one column widened by hand.
fn widened_products(label: &str) -> Option<TestDb> {
    let server = common::server_url()?;
    let db = TestDb::create(&server, label);
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    db.exec_one("ALTER TABLE products MODIFY name varchar(500) NOT NULL");
    Some(db)
}

#[test]
fn markdown_report_shows_summary_drift_cause_and_sql_fix_and_exits_1() {
    let Some(db) = widened_products("markdown_stdout") else {
        return;
    };
    let output = driftwatch(
        &["validate", "--format", "markdown"],
        &shop_dir(),
        &[("DATABASE_URL", &db.url())],
    );
    let out = stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr:\n{}",
        common::stderr(&output)
    );
    for expected in [
        "# driftwatch: schema drift in ",
        "| severity | drifts |",
        "| **total** | **1** |",
        "| `products` | drifted |",
        "`column_type_mismatch` · `products.name`",
        "- **Cause:** `manual_modification`",
        "```sql\nALTER TABLE `products` MODIFY COLUMN `name`",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(!out.contains("No schema drift detected"), "{out}");
    assert!(
        !out.contains(&db.url()),
        "the URL (password) leaked:\n{out}"
    );
}

#[test]
fn markdown_report_is_written_to_the_output_file() {
    let Some(db) = widened_products("markdown_output") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let path = dir.path().join("drift.md");
    let path_arg = path.to_string_lossy().to_string();
    let output = driftwatch(
        &["validate", "--format", "markdown", "--output", &path_arg],
        &shop_dir(),
        &[("DATABASE_URL", &db.url())],
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "stderr:\n{}",
        common::stderr(&output)
    );
    assert_eq!(stdout(&output), "", "the report went to stdout too");
    let written = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    assert!(written.contains("| severity | drifts |"), "{written}");
    assert!(written.contains("```sql\n"), "{written}");
}
