//! Reading migrations folders: the example app's drizzle-kit 0.31 folder,
//! and the drizzle-kit 1.x folder-per-migration layout.

use std::path::{Path, PathBuf};

use driftwatch_history::{HistoryError, Layout, file_hash, read_folder};

fn shop() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop/drizzle/migrations")
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

#[test]
fn shop_folder_is_read_in_journal_order_with_when_and_snapshots() {
    let folder = read_folder(&shop()).expect("shop folder");
    assert_eq!(folder.layout, Layout::Journal);
    let tags: Vec<_> = folder.migrations.iter().map(|m| m.tag.as_str()).collect();
    assert_eq!(tags, vec!["0000_init", "0001_product_reviews"]);
    assert_eq!(folder.migrations[0].when, Some(1_795_634_223_954));
    assert!(
        folder.migrations[1]
            .snapshot
            .as_ref()
            .is_some_and(|p| p.ends_with("meta/0001_snapshot.json"))
    );
}

#[test]
fn shop_hashes_are_the_ones_drizzle_orm_0_45_records() {
    // Rows written by the real drizzle-orm 0.45.4 migrator (tests/parity/migrate.mjs)
    // on MariaDB 10.11 for this folder; also `sha256sum` of the files.
    let folder = read_folder(&shop()).expect("shop folder");
    assert_eq!(
        folder.migrations[0].hash,
        "335a920f54b7838dda270c2f5117be68d759d79fd14d8b1fca2e8c900cefb8c6"
    );
    assert_eq!(
        folder.migrations[1].hash,
        "ac68f5729518421a8995e20a42f344ff5e3660b63df530293e99b96fdc730947"
    );
}

#[test]
fn shop_statements_are_the_breakpoint_chunks() {
    let folder = read_folder(&shop()).expect("shop folder");
    let second = &folder.migrations[1];
    assert_eq!(second.statements.len(), 6);
    assert!(second.statements[1].starts_with("\nALTER TABLE `users` ADD `last_login_at`"));
    assert_eq!(second.statements.concat().len() + 5 * 24, {
        let text = std::fs::read_to_string(&second.sql_file).expect("read");
        text.len()
    });
}

#[test]
fn drizzle_kit_1x_folders_are_read_in_name_order_with_folder_timestamps() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(
        &dir.join("20250201090000_second/migration.sql"),
        "ALTER TABLE `a` ADD `b` int;",
    );
    write(&dir.join("20250201090000_second/snapshot.json"), "{}");
    write(
        &dir.join("20250115123045_init/migration.sql"),
        "CREATE TABLE `a` (`id` int);\n--> statement-breakpoint\nCREATE INDEX `i` ON `a` (`id`);",
    );
    std::fs::create_dir_all(dir.join("notes")).expect("mkdir");
    let folder = read_folder(dir).expect("1.x folder");
    assert_eq!(folder.layout, Layout::Folders);
    let names: Vec<_> = folder.migrations.iter().map(|m| m.tag.as_str()).collect();
    assert_eq!(names, vec!["20250115123045_init", "20250201090000_second"]);
    assert_eq!(folder.migrations[0].when, Some(1_736_944_245_000));
    assert_eq!(folder.migrations[0].statements.len(), 2);
    assert_eq!(folder.migrations[0].snapshot, None);
    assert!(folder.migrations[1].snapshot.is_some());
    assert_eq!(
        folder.migrations[1].hash,
        file_hash("ALTER TABLE `a` ADD `b` int;")
    );
}

#[test]
fn journal_wins_over_migration_folders_as_in_both_migrators() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(
        &dir.join("meta/_journal.json"),
        r#"{"version":"7","dialect":"mysql","entries":[{"idx":0,"version":"5","when":1,"tag":"0000_a","breakpoints":true}]}"#,
    );
    write(&dir.join("0000_a.sql"), "SELECT 1;");
    write(&dir.join("20250115123045_init/migration.sql"), "SELECT 2;");
    let folder = read_folder(dir).expect("folder");
    assert_eq!(folder.layout, Layout::Journal);
    assert_eq!(folder.migrations.len(), 1);
}

#[test]
fn journal_entry_without_sql_file_is_an_error_naming_the_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(
        &dir.join("meta/_journal.json"),
        r#"{"entries":[{"idx":0,"when":1,"tag":"0000_gone","breakpoints":true}]}"#,
    );
    let err = read_folder(dir).expect_err("missing file");
    assert!(matches!(err, HistoryError::MissingSqlFile { .. }));
    assert!(err.to_string().contains("0000_gone.sql"), "{err}");
}

#[test]
fn malformed_journal_is_an_error_naming_the_journal() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("meta/_journal.json"), "{ nope");
    let err = read_folder(tmp.path()).expect_err("bad journal");
    assert!(err.to_string().contains("_journal.json"), "{err}");
}

#[test]
fn folder_without_migrations_is_not_a_migrations_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    assert!(matches!(
        read_folder(tmp.path()),
        Err(HistoryError::NotAFolder { .. })
    ));
    assert!(matches!(
        read_folder(&tmp.path().join("absent")),
        Err(HistoryError::NotAFolder { .. })
    ));
}

#[test]
fn migration_folder_without_timestamp_is_refused_like_drizzle_orm_1x() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write(&tmp.path().join("init/migration.sql"), "SELECT 1;");
    assert!(matches!(
        read_folder(tmp.path()),
        Err(HistoryError::FolderName { .. })
    ));
}
