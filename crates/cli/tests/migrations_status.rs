//! `driftwatch migrations status` end to end: a copy of the example app's
//! drizzle-kit migrations folder, applied to a fresh MariaDB database by the
//! REAL drizzle-orm migrator (tests/parity/migrate.mjs, pinned drizzle-orm
//! 0.45 + mysql2), then changed the way teams change it.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{TestDb, driftwatch, repo_root, stderr, stdout};
use serde_json::{Value, json};

/// Node and the pinned drizzle-orm (`npm ci` in tests/parity), else the test
/// is skipped with a notice.
fn parity_dir() -> Option<PathBuf> {
    let dir = repo_root().join("tests/parity");
    let installed = dir.join("node_modules/drizzle-orm/package.json").is_file()
        && Command::new("node").arg("--version").output().is_ok();
    if !installed {
        eprintln!(
            "skipped: node or tests/parity/node_modules missing (run `npm ci` in tests/parity)"
        );
        return None;
    }
    Some(dir)
}

macro_rules! require_server_and_drizzle {
    () => {{
        let server = require_server!();
        let Some(parity) = parity_dir() else { return };
        (server, parity)
    }};
}

/// Runs drizzle-orm's own migrator on `folder`.
fn drizzle_migrate(parity: &Path, db: &TestDb, folder: &Path) -> Output {
    Command::new("node")
        .arg("migrate.mjs")
        .arg(db.url())
        .arg(folder)
        .current_dir(parity)
        .output()
        .expect("run node migrate.mjs")
}

fn drizzle_migrate_ok(parity: &Path, db: &TestDb, folder: &Path) {
    let output = drizzle_migrate(parity, db, folder);
    assert!(
        output.status.success(),
        "drizzle-orm migrator failed: {}",
        stderr(&output)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A copy of examples/shop's migrations folder (0000_init, 0001_product_reviews).
fn shop_migrations(tmp: &Path) -> PathBuf {
    let folder = tmp.join("migrations");
    copy_dir(
        &repo_root().join("examples/shop/drizzle/migrations"),
        &folder,
    );
    folder
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read json")).expect("parse json")
}

fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).expect("json")).expect("write json");
}

/// Appends a migration as drizzle-kit generate does: journal entry, SQL file
/// and a snapshot = the previous one changed by `edit`.
fn add_migration(
    folder: &Path,
    tag: &str,
    when: i64,
    statements: &[&str],
    edit: impl FnOnce(&mut Value),
) {
    let journal_path = folder.join("meta/_journal.json");
    let mut journal = read_json(&journal_path);
    let entries = journal["entries"].as_array_mut().expect("entries");
    let previous_tag = entries
        .last()
        .and_then(|e| e["tag"].as_str())
        .map(str::to_string)
        .expect("a previous migration");
    entries.push(json!({
        "idx": entries.len(), "version": "5", "when": when, "tag": tag, "breakpoints": true
    }));
    write_json(&journal_path, &journal);
    std::fs::write(
        folder.join(format!("{tag}.sql")),
        statements.join("--> statement-breakpoint\n"),
    )
    .expect("write sql");
    let prefix = |t: &str| t.split('_').next().unwrap_or(t).to_string();
    let mut snapshot =
        read_json(&folder.join(format!("meta/{}_snapshot.json", prefix(&previous_tag))));
    let previous_id = snapshot["id"].clone();
    snapshot["prevId"] = previous_id;
    snapshot["id"] = json!(format!("00000000-0000-4000-8000-{when:012}"));
    edit(&mut snapshot);
    write_json(
        &folder.join(format!("meta/{}_snapshot.json", prefix(tag))),
        &snapshot,
    );
}

/// Migration 0002: a nullable `users.nickname` and a unique key on
/// `users.display_name` (which fails while two users share a name).
fn add_nickname_migration(folder: &Path, when: i64) {
    add_migration(
        folder,
        "0002_user_nickname",
        when,
        &[
            "ALTER TABLE `users` ADD `nickname` varchar(50);",
            "ALTER TABLE `users` ADD CONSTRAINT `users_display_name_unique` UNIQUE(`display_name`);",
        ],
        |snapshot| {
            let users = &mut snapshot["tables"]["users"];
            users["columns"]["nickname"] = json!({
                "name": "nickname", "type": "varchar(50)", "primaryKey": false,
                "notNull": false, "autoincrement": false
            });
            users["uniqueConstraints"]["users_display_name_unique"] = json!({
                "name": "users_display_name_unique", "columns": ["display_name"]
            });
        },
    );
}

/// The last journal `when` of the shop folder.
const SHOP_LAST_WHEN: i64 = 1_795_634_246_210;

fn status(folder: &Path, db: &TestDb, format: &str) -> Output {
    let folder = folder.to_string_lossy().into_owned();
    let cwd = folder_parent(&folder);
    driftwatch(
        &[
            "migrations",
            "status",
            "--url",
            &db.url(),
            "--migrations",
            &folder,
            "--format",
            format,
        ],
        &cwd,
        &[],
    )
}

fn folder_parent(folder: &str) -> PathBuf {
    Path::new(folder)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn status_json(folder: &Path, db: &TestDb) -> (Option<i32>, Value) {
    let output = status(folder, db, "json");
    let value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(&output), stderr(&output)));
    (output.status.code(), value)
}

fn migration<'a>(report: &'a Value, tag: &str) -> &'a Value {
    report["migrations"]
        .as_array()
        .and_then(|all| all.iter().find(|m| m["tag"] == tag))
        .unwrap_or_else(|| panic!("no migration {tag} in {report:#}"))
}

fn rows(db: &TestDb) -> usize {
    let url = db.url();
    common::runtime().block_on(async move {
        use mysql_async::prelude::Queryable;
        let mut conn = mysql_async::Conn::new(mysql_async::Opts::from_url(&url).expect("url"))
            .await
            .expect("connect");
        let count: Option<u64> = conn
            .query_first("SELECT COUNT(*) FROM `__drizzle_migrations`")
            .await
            .expect("count");
        let _ = conn.disconnect().await;
        count.unwrap_or(0) as usize
    })
}

#[test]
fn folder_applied_by_drizzle_orm_is_all_applied_with_its_hashes_and_exits_0() {
    let (server, parity) = require_server_and_drizzle!();
    let db = TestDb::create(&server, "mig_all_applied");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    drizzle_migrate_ok(&parity, &db, &folder);

    let text = status(&folder, &db, "text");
    assert_eq!(
        text.status.code(),
        Some(0),
        "{}{}",
        stdout(&text),
        stderr(&text)
    );
    assert!(
        stdout(&text)
            .lines()
            .any(|l| l == "No migration history drift detected"),
        "{}",
        stdout(&text)
    );
    assert!(
        !stdout(&text).contains("No schema drift detected"),
        "migrations status never compares the schema, so never claims it is clean"
    );

    let (code, report) = status_json(&folder, &db);
    assert_eq!(code, Some(0));
    assert_eq!(report["version"], 1);
    assert_eq!(report["status"], "clean");
    assert_eq!(report["summary"]["applied"], 2);
    for tag in ["0000_init", "0001_product_reviews"] {
        let m = migration(&report, tag);
        assert_eq!(m["status"], "applied");
        // The hash driftwatch computes is the one drizzle-orm wrote.
        assert_eq!(m["hash"], m["row"]["hash"], "{m:#}");
        assert_eq!(m["when"], m["row"]["created_at"]);
    }
}

#[test]
fn migration_not_yet_applied_is_pending_medium_and_exits_1() {
    let (server, parity) = require_server_and_drizzle!();
    let db = TestDb::create(&server, "mig_pending");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    drizzle_migrate_ok(&parity, &db, &folder);
    add_nickname_migration(&folder, SHOP_LAST_WHEN + 60_000);

    let text = status(&folder, &db, "text");
    assert_eq!(text.status.code(), Some(1));
    assert!(
        stdout(&text).contains("0002_user_nickname") && stdout(&text).contains("pending"),
        "{}",
        stdout(&text)
    );
    let (code, report) = status_json(&folder, &db);
    assert_eq!(code, Some(1));
    assert_eq!(report["status"], "drift");
    let m = migration(&report, "0002_user_nickname");
    assert_eq!(m["status"], "pending");
    assert_eq!(m["kind"], "migration_pending");
    assert_eq!(m["severity"], "medium");
    assert_eq!(m["skipped_by_migrator"], false);
    assert_eq!(m["partial"]["verdict"], "not_started", "{m:#}");
}

#[test]
fn applied_migration_whose_file_was_deleted_is_applied_file_missing_high() {
    let (server, parity) = require_server_and_drizzle!();
    let db = TestDb::create(&server, "mig_file_missing");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    add_nickname_migration(&folder, SHOP_LAST_WHEN + 60_000);
    drizzle_migrate_ok(&parity, &db, &folder);
    // The branch checked out now never had 0002: back to the shop folder.
    std::fs::remove_dir_all(&folder).expect("rm");
    let folder = shop_migrations(tmp.path());

    let (code, report) = status_json(&folder, &db);
    assert_eq!(code, Some(1));
    let missing: Vec<&Value> = report["migrations"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|m| m["status"] == "applied_file_missing")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(missing.len(), 1, "{report:#}");
    assert_eq!(missing[0]["kind"], "migration_file_missing");
    assert_eq!(missing[0]["severity"], "high");
    assert_eq!(missing[0]["when"], SHOP_LAST_WHEN + 60_000);
    assert_eq!(missing[0]["idx"], Value::Null);
    assert_eq!(report["summary"]["applied"], 2);
}

#[test]
fn applied_migration_file_edited_afterwards_is_modified_after_apply_high() {
    let (server, parity) = require_server_and_drizzle!();
    let db = TestDb::create(&server, "mig_modified");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    drizzle_migrate_ok(&parity, &db, &folder);
    let file = folder.join("0001_product_reviews.sql");
    let edited = std::fs::read_to_string(&file)
        .expect("read")
        .replace("`title` varchar(200)", "`title` varchar(250)");
    std::fs::write(&file, edited).expect("write");

    let (code, report) = status_json(&folder, &db);
    assert_eq!(code, Some(1));
    let m = migration(&report, "0001_product_reviews");
    assert_eq!(m["status"], "modified_after_apply");
    assert_eq!(m["kind"], "migration_modified");
    assert_eq!(m["severity"], "high");
    assert_ne!(m["hash"], m["row"]["hash"]);
    assert_eq!(migration(&report, "0000_init")["status"], "applied");
}

#[test]
fn merged_migration_older_than_the_newest_applied_is_pending_and_skipped_by_drizzle_orm() {
    let (server, parity) = require_server_and_drizzle!();
    let db = TestDb::create(&server, "mig_merge_trap");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    drizzle_migrate_ok(&parity, &db, &folder);
    // A branch generated 0002 before main's 0001 was applied: its `when` is
    // older than the newest applied row.
    add_nickname_migration(&folder, SHOP_LAST_WHEN - 10_000);

    // The fact: drizzle-orm's migrator runs, succeeds, and applies nothing.
    drizzle_migrate_ok(&parity, &db, &folder);
    assert_eq!(
        rows(&db),
        2,
        "drizzle-orm applied the older migration after all"
    );

    let (code, report) = status_json(&folder, &db);
    assert_eq!(code, Some(1));
    let m = migration(&report, "0002_user_nickname");
    assert_eq!(m["status"], "pending");
    assert_eq!(m["kind"], "migration_pending");
    assert_eq!(m["skipped_by_migrator"], true);
    assert!(
        m["note"]
            .as_str()
            .is_some_and(|n| n.contains("skip it forever")),
        "{m:#}"
    );
    assert_eq!(report["summary"]["skipped_by_migrator"], 1);
    let text = status(&folder, &db, "text");
    assert!(
        stdout(&text).contains("skipped by migrator"),
        "{}",
        stdout(&text)
    );
}

#[test]
fn migration_whose_second_statement_failed_is_partial_naming_the_statements() {
    let (server, parity) = require_server_and_drizzle!();
    let db = TestDb::create(&server, "mig_partial");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    drizzle_migrate_ok(&parity, &db, &folder);
    // Two users with the same display name: the unique key of statement 2 fails.
    db.exec_one(
        "INSERT INTO `users` (`public_id`, `email`, `display_name`) VALUES \
         ('00000000-0000-0000-0000-000000000001', 'a@example.com', 'Sam'), \
         ('00000000-0000-0000-0000-000000000002', 'b@example.com', 'Sam')",
    );
    add_nickname_migration(&folder, SHOP_LAST_WHEN + 60_000);
    let failed = drizzle_migrate(&parity, &db, &folder);
    assert!(
        !failed.status.success(),
        "the migration was expected to fail"
    );
    assert_eq!(rows(&db), 2, "a failed migration gets no row");

    let (code, report) = status_json(&folder, &db);
    assert_eq!(code, Some(1));
    let m = migration(&report, "0002_user_nickname");
    assert_eq!(m["status"], "partial", "{m:#}");
    assert_eq!(m["kind"], "migration_partial");
    assert_eq!(m["severity"], "high");
    let states: Vec<(i64, &str)> = m["partial"]["statements"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|s| {
                    (
                        s["index"].as_i64().unwrap_or(0),
                        s["state"].as_str().unwrap_or(""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(states, vec![(1, "ran"), (2, "not_run")], "{m:#}");

    let text = stdout(&status(&folder, &db, "text"));
    assert!(text.contains("partial"), "{text}");
    assert!(
        text.contains("ran      #1  ALTER TABLE `users` ADD `nickname`"),
        "{text}"
    );
    assert!(
        text.contains("not run  #2  ALTER TABLE `users` ADD CONSTRAINT"),
        "{text}"
    );
}

#[test]
fn database_without_migrations_table_has_every_migration_pending() {
    let server = require_server!();
    let db = TestDb::create(&server, "mig_no_table");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    let (code, report) = status_json(&folder, &db);
    assert_eq!(code, Some(1));
    assert_eq!(report["target"]["table_exists"], false);
    assert_eq!(report["summary"]["pending"], 2);
    assert_eq!(
        migration(&report, "0000_init")["partial"]["verdict"],
        "not_started"
    );
}

#[test]
fn unreadable_migrations_folder_exits_2() {
    let server = require_server!();
    let db = TestDb::create(&server, "mig_bad_folder");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    std::fs::write(folder.join("meta/_journal.json"), "{ not json").expect("write");
    let output = status(&folder, &db, "text");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("_journal.json"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn journal_entry_without_its_sql_file_exits_2_like_the_migrator() {
    let server = require_server!();
    let db = TestDb::create(&server, "mig_missing_sql");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    std::fs::remove_file(folder.join("0001_product_reviews.sql")).expect("rm");
    let output = status(&folder, &db, "text");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("0001_product_reviews.sql"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn unreachable_database_exits_2_without_the_password() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    let folder_arg = folder.to_string_lossy().into_owned();
    let output = driftwatch(
        &[
            "migrations",
            "status",
            "--url",
            "mysql://u:hunter2-secret@127.0.0.1:1/app",
            "--migrations",
            &folder_arg,
        ],
        tmp.path(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!stderr(&output).contains("hunter2-secret"));
}

/// drizzle-kit 1.x: one folder per migration, and a table with `name` and
/// `applied_at` (drizzle-orm 1.x's `CREATE TABLE`, rows written by hand here:
/// the pinned drizzle-orm is 0.45).
#[test]
fn drizzle_kit_1x_rows_match_by_name_and_have_no_high_water_trap() {
    let server = require_server!();
    let db = TestDb::create(&server, "mig_1x");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = tmp.path().join("drizzle");
    let write = |name: &str, sql: &str| {
        std::fs::create_dir_all(folder.join(name)).expect("mkdir");
        std::fs::write(folder.join(name).join("migration.sql"), sql).expect("write");
    };
    let init = "CREATE TABLE `a` (`id` int);";
    write("20250115123045_init", init);
    write(
        "20250101000000_older_branch",
        "CREATE TABLE `b` (`id` int);",
    );
    db.exec(&[
        "CREATE TABLE `__drizzle_migrations` (id serial primary key, hash text not null, \
         created_at bigint, name text, applied_at timestamp default current_timestamp)"
            .to_string(),
        format!(
            "INSERT INTO `__drizzle_migrations` (hash, created_at, name) VALUES \
             ('{}', 1736944245000, '20250115123045_init'), ('{}', 1737000000000, '20250116000000_gone')",
            driftwatch_history::file_hash(init),
            "ab".repeat(32)
        ),
    ]);

    let (code, report) = status_json(&folder, &db);
    assert_eq!(code, Some(1));
    assert_eq!(report["folder"]["layout"], "folders");
    assert_eq!(
        migration(&report, "20250115123045_init")["status"],
        "applied"
    );
    let older = migration(&report, "20250101000000_older_branch");
    assert_eq!(older["status"], "pending");
    // drizzle-orm 1.x applies by name: an older timestamp is not skipped.
    assert_eq!(older["skipped_by_migrator"], false);
    let gone = migration(&report, "20250116000000_gone");
    assert_eq!(gone["status"], "applied_file_missing");
    assert!(gone["row"]["applied_at"].is_string(), "{gone:#}");
}

#[test]
fn non_ascii_crlf_migration_is_hashed_exactly_as_drizzle_orm_records_it() {
    let (server, parity) = require_server_and_drizzle!();
    let db = TestDb::create(&server, "mig_hash_bytes");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(tmp.path());
    add_migration(
        &folder,
        "0002_motto",
        SHOP_LAST_WHEN + 60_000,
        &["-- café ☕ Grüße\r\nALTER TABLE `users` ADD `motto` varchar(50) DEFAULT 'déjà vu';\r\n"],
        |snapshot| {
            snapshot["tables"]["users"]["columns"]["motto"] = json!({
                "name": "motto", "type": "varchar(50)", "primaryKey": false,
                "notNull": false, "autoincrement": false, "default": "'déjà vu'"
            });
        },
    );
    drizzle_migrate_ok(&parity, &db, &folder);
    let (code, report) = status_json(&folder, &db);
    assert_eq!(code, Some(0), "{report:#}");
    let m = migration(&report, "0002_motto");
    assert_eq!(m["status"], "applied");
    assert_eq!(m["hash"], m["row"]["hash"]);
}

#[test]
fn migrations_table_and_folder_come_from_drizzle_config() {
    let (server, parity) = require_server_and_drizzle!();
    let db = TestDb::create(&server, "mig_custom_table");
    let tmp = tempfile::tempdir().expect("tempdir");
    let folder = shop_migrations(&tmp.path().join("db"));
    std::fs::write(
        tmp.path().join("drizzle.config.ts"),
        "export default { dialect: 'mysql', schema: './db/schema.ts', out: './db/migrations',\n  \
         migrations: { table: 'app_migrations', schema: 'ignored' } };\n",
    )
    .expect("write config");
    let output = Command::new("node")
        .args([
            "migrate.mjs",
            &db.url(),
            &folder.to_string_lossy(),
            "app_migrations",
        ])
        .current_dir(&parity)
        .output()
        .expect("node");
    assert!(output.status.success(), "{}", stderr(&output));

    let output = driftwatch(
        &[
            "migrations",
            "status",
            "--url",
            &db.url(),
            "--format",
            "json",
        ],
        tmp.path(),
        &[],
    );
    let report: Value = serde_json::from_str(&stdout(&output))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&output), stderr(&output)));
    assert_eq!(output.status.code(), Some(0), "{report:#}");
    assert_eq!(report["target"]["table"], "app_migrations");
    assert_eq!(report["folder"]["path"], "db/migrations");
    assert_eq!(report["summary"]["applied"], 2);
    // drizzle-orm ignores migrations.schema for MySQL; the report says so.
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("migrations.schema")),
        "{report:#}"
    );
}
