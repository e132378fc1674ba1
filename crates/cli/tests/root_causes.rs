//! Why it drifted: each scenario a team runs into, on a copy of the example
//! app (schema, drizzle.config, migrations folder) and a real MariaDB whose
//! migrations were applied the way drizzle-orm's migrator applies them
//! (scripts/apply-migrations.py: same hash, same rows). Every scenario
//! asserts the cause, its evidence, the severity and the fix.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{TestDb, driftwatch, repo_root, shop_dir, stderr, stdout};
use serde_json::{Value, json};

/// A copy of examples/shop in a temporary folder.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn copy_of_shop() -> Project {
        let dir = tempfile::tempdir().expect("tempdir");
        for item in ["drizzle.config.ts", "drizzle"] {
            copy(&shop_dir().join(item), &dir.path().join(item));
        }
        Project { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn migrations(&self) -> PathBuf {
        self.path("drizzle/migrations")
    }

    /// Replaces `from` with `to` in the schema file (once; it must be there).
    fn edit_schema(&self, from: &str, to: &str) {
        let path = self.path("drizzle/schema.ts");
        let text = std::fs::read_to_string(&path).expect("read schema.ts");
        assert!(text.contains(from), "schema.ts has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write schema.ts");
    }

    /// Appends a migration as drizzle-kit generate writes one: journal entry,
    /// SQL file with breakpoints, snapshot = the previous one changed by `edit`.
    fn add_migration(&self, tag: &str, statements: &[&str], edit: impl FnOnce(&mut Value)) {
        let folder = self.migrations();
        let journal_path = folder.join("meta/_journal.json");
        let mut journal = read_json(&journal_path);
        let entries = journal["entries"].as_array_mut().expect("entries");
        let last = entries.last().cloned().expect("a previous migration");
        let when = last["when"].as_i64().expect("when") + 60_000;
        entries.push(json!({
            "idx": entries.len(), "version": "5", "when": when, "tag": tag, "breakpoints": true
        }));
        write_json(&journal_path, &journal);
        std::fs::write(
            folder.join(format!("{tag}.sql")),
            statements.join("--> statement-breakpoint\n"),
        )
        .expect("write sql");
        let number = |t: &str| t.split('_').next().unwrap_or(t).to_string();
        let previous = number(last["tag"].as_str().expect("tag"));
        let mut snapshot = read_json(&folder.join(format!("meta/{previous}_snapshot.json")));
        snapshot["prevId"] = snapshot["id"].clone();
        snapshot["id"] = json!(format!("00000000-0000-4000-8000-{when:012}"));
        edit(&mut snapshot);
        write_json(
            &folder.join(format!("meta/{}_snapshot.json", number(tag))),
            &snapshot,
        );
    }

    /// Applies the migrations folder like drizzle-orm's migrator.
    fn apply(&self, db: &TestDb) {
        let output = Command::new("python3")
            .arg(repo_root().join("scripts/apply-migrations.py"))
            .args(["--url", &db.url(), "--migrations"])
            .arg(self.migrations())
            .output()
            .expect("run apply-migrations.py");
        assert!(output.status.success(), "{}", stderr(&output));
    }

    fn validate(&self, db: &TestDb) -> (Option<i32>, Value) {
        let output = driftwatch(
            &["validate", "--format", "json"],
            self.dir.path(),
            &[("DATABASE_URL", &db.url())],
        );
        let report = serde_json::from_str(&stdout(&output))
            .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&output), stderr(&output)));
        (output.status.code(), report)
    }
}

/// A copy of the example app and a database its migrations were applied to.
fn migrated_shop(server: &str, label: &str) -> (Project, TestDb) {
    let project = Project::copy_of_shop();
    let db = TestDb::create(server, label);
    project.apply(&db);
    (project, db)
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).expect("copy");
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read json")).expect("parse json")
}

fn write_json(path: &Path, value: &Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).expect("json")).expect("write json");
}

/// The one drift of the report (the scenario makes exactly one).
fn only_drift(report: &Value) -> &Value {
    let drifts = report["drifts"].as_array().expect("drifts");
    assert_eq!(drifts.len(), 1, "{report:#}");
    &drifts[0]
}

fn assert_drift(drift: &Value, kind: &str, object: &str, cause: &str, severity: &str) {
    assert_eq!(drift["kind"], kind, "{drift:#}");
    assert_eq!(drift["object"], object, "{drift:#}");
    assert_eq!(drift["cause"], cause, "{drift:#}");
    assert_eq!(drift["severity"], severity, "{drift:#}");
}

fn evidence(drift: &Value) -> &str {
    drift["evidence"].as_str().unwrap_or_default()
}

fn fix_sql(drift: &Value) -> String {
    drift["fix"]["sql"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join("\n")
}

const NICKNAME_TS: &str = "displayName: varchar('display_name', { length: 120 }).notNull(),";
const NICKNAME_TS_AFTER: &str = "displayName: varchar('display_name', { length: 120 }).notNull(),\n    nickname: varchar('nickname', { length: 50 }),";

/// The schema gains `users.nickname` and drizzle-kit generated its
/// migration 0002 (not applied).
fn add_nickname_to_schema_and_migration(project: &Project) {
    project.edit_schema(NICKNAME_TS, NICKNAME_TS_AFTER);
    project.add_migration(
        "0002_user_nickname",
        &["ALTER TABLE `users` ADD `nickname` varchar(50);"],
        nickname_column,
    );
}

fn nickname_column(snapshot: &mut Value) {
    snapshot["tables"]["users"]["columns"]["nickname"] = json!({
        "name": "nickname", "type": "varchar(50)", "primaryKey": false,
        "notNull": false, "autoincrement": false
    });
}

#[test]
fn a_schema_change_without_a_generated_migration_is_a_missing_migration_file() {
    let server = require_server!();
    let (project, db) = migrated_shop(&server, "cause_forgot");
    project.edit_schema(NICKNAME_TS, NICKNAME_TS_AFTER);
    let (code, report) = project.validate(&db);
    assert_eq!(code, Some(1));
    let drift = only_drift(&report);
    assert_drift(
        drift,
        "column_missing_in_db",
        "nickname",
        "missing_migration_file",
        "high",
    );
    assert!(evidence(drift).contains("0001_snapshot.json"), "{drift:#}");
    assert!(fix_sql(drift).contains("ADD COLUMN `nickname` varchar(50)"));
}

#[test]
fn a_generated_migration_not_yet_applied_is_a_pending_migration() {
    let server = require_server!();
    let (project, db) = migrated_shop(&server, "cause_pending");
    add_nickname_to_schema_and_migration(&project);
    let (code, report) = project.validate(&db);
    assert_eq!(code, Some(1));
    let drift = only_drift(&report);
    assert_drift(
        drift,
        "column_missing_in_db",
        "nickname",
        "pending_migration",
        "high",
    );
    assert!(evidence(drift).contains("0002_user_nickname"), "{drift:#}");
    assert!(fix_sql(drift).contains("ADD COLUMN `nickname` varchar(50)"));
}

#[test]
fn a_migration_that_failed_half_way_is_a_partial_migration_naming_what_did_not_run() {
    let server = require_server!();
    let (project, db) = migrated_shop(&server, "cause_partial");
    project.edit_schema(NICKNAME_TS, NICKNAME_TS_AFTER);
    project.edit_schema(
        "displayName: varchar('display_name', { length: 120 }).notNull(),",
        "displayName: varchar('display_name', { length: 120 }).notNull().unique(),",
    );
    project.add_migration(
        "0002_user_nickname",
        &[
            "ALTER TABLE `users` ADD `nickname` varchar(50);",
            "ALTER TABLE `users` ADD CONSTRAINT `users_display_name_unique` UNIQUE(`display_name`);",
        ],
        |snapshot| {
            nickname_column(snapshot);
            snapshot["tables"]["users"]["uniqueConstraints"]["users_display_name_unique"] =
                json!({ "name": "users_display_name_unique", "columns": ["display_name"] });
        },
    );
    // The first statement ran, the second failed: no row was recorded.
    db.exec_one("ALTER TABLE `users` ADD `nickname` varchar(50)");
    let (code, report) = project.validate(&db);
    assert_eq!(code, Some(1));
    let drift = only_drift(&report);
    assert_drift(
        drift,
        "unique_missing_in_db",
        "users_display_name_unique",
        "partial_migration",
        "medium",
    );
    let evidence = evidence(drift);
    assert!(
        evidence.contains("0002_user_nickname") && evidence.contains("did not run"),
        "{evidence}"
    );
    assert!(evidence.contains("users_display_name_unique"), "{evidence}");
    assert!(fix_sql(drift).contains("UNIQUE"));
}

#[test]
fn a_change_typed_into_the_console_is_a_manual_modification() {
    let server = require_server!();
    let (project, db) = migrated_shop(&server, "cause_manual");
    db.exec_one("ALTER TABLE users ADD hotfix_note text");
    let (code, report) = project.validate(&db);
    assert_eq!(code, Some(1));
    let drift = only_drift(&report);
    assert_drift(
        drift,
        "column_extra_in_db",
        "hotfix_note",
        "manual_modification",
        "medium",
    );
    assert!(evidence(drift).contains("by hand"), "{drift:#}");
    assert!(fix_sql(drift).contains("DROP COLUMN `hotfix_note`"));
}

#[test]
fn a_migration_applied_from_another_branch_is_a_concurrent_deployment() {
    let server = require_server!();
    let (project, db) = migrated_shop(&server, "cause_branch");
    // The other branch's migration: its column and its row.
    db.exec(&[
        "ALTER TABLE `users` ADD `referral_code` varchar(12)".to_string(),
        "INSERT INTO `__drizzle_migrations` (`hash`, `created_at`) VALUES \
         ('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 1895634246210)"
            .to_string(),
    ]);
    let (code, report) = project.validate(&db);
    assert_eq!(code, Some(1));
    let drift = only_drift(&report);
    assert_drift(
        drift,
        "column_extra_in_db",
        "referral_code",
        "concurrent_deployment",
        "medium",
    );
    assert!(evidence(drift).contains("9f86d081"), "{drift:#}");
    assert!(fix_sql(drift).contains("DROP COLUMN `referral_code`"));
    assert_eq!(drift["fix"]["destructive"], true);
}

#[test]
fn an_applied_migration_edited_afterwards_never_ran_its_edit() {
    let server = require_server!();
    let (project, db) = migrated_shop(&server, "cause_edited");
    // The team edits the applied migration (and the schema and snapshot to
    // match) instead of generating a new one.
    let sql = project.migrations().join("0001_product_reviews.sql");
    let text = std::fs::read_to_string(&sql).expect("read 0001");
    std::fs::write(
        &sql,
        text.replacen("`title` varchar(200)", "`title` varchar(255)", 1),
    )
    .expect("write 0001");
    project.edit_schema(
        "title: varchar('title', { length: 200 })",
        "title: varchar('title', { length: 255 })",
    );
    let snapshot_path = project.migrations().join("meta/0001_snapshot.json");
    let mut snapshot = read_json(&snapshot_path);
    snapshot["tables"]["product_reviews"]["columns"]["title"]["type"] = json!("varchar(255)");
    write_json(&snapshot_path, &snapshot);
    let (code, report) = project.validate(&db);
    assert_eq!(code, Some(1));
    let drift = only_drift(&report);
    assert_drift(
        drift,
        "column_type_mismatch",
        "title",
        "missing_migration_file",
        "high",
    );
    assert!(
        evidence(drift).contains("0001_product_reviews") && evidence(drift).contains("edited"),
        "{drift:#}"
    );
    assert!(fix_sql(drift).contains("MODIFY COLUMN `title` varchar(255)"));
}

#[test]
fn an_applied_migration_whose_file_was_deleted_is_a_concurrent_deployment() {
    let server = require_server!();
    let (project, db) = migrated_shop(&server, "cause_deleted");
    // A branch without the product_reviews feature: no 0001 file, no table
    // in the schema, the database still has both.
    let folder = project.migrations();
    std::fs::remove_file(folder.join("0001_product_reviews.sql")).expect("rm sql");
    std::fs::remove_file(folder.join("meta/0001_snapshot.json")).expect("rm snapshot");
    let journal_path = folder.join("meta/_journal.json");
    let mut journal = read_json(&journal_path);
    journal["entries"]
        .as_array_mut()
        .expect("entries")
        .truncate(1);
    write_json(&journal_path, &journal);
    let schema = std::fs::read_to_string(shop_dir().join("drizzle/schema.ts")).expect("schema");
    let start = schema
        .find("export const productReviews")
        .expect("productReviews in schema.ts");
    let end = schema[start..]
        .find("\n);\n")
        .map(|i| start + i + 4)
        .expect("end of productReviews");
    let mut without = schema.clone();
    without.replace_range(start..end, "");
    std::fs::write(project.path("drizzle/schema.ts"), &without).expect("write schema.ts");
    let (code, report) = project.validate(&db);
    assert_eq!(code, Some(1), "{report:#}");
    let drifts = report["drifts"].as_array().expect("drifts");
    assert!(!drifts.is_empty());
    for drift in drifts {
        assert_eq!(drift["cause"], "concurrent_deployment", "{drift:#}");
    }
    let extra_table = drifts
        .iter()
        .find(|d| d["kind"] == "table_extra_in_db" && d["table"] == "product_reviews")
        .expect("product_reviews is extra");
    assert_eq!(extra_table["severity"], "medium");
    assert!(fix_sql(extra_table).contains("DROP TABLE `product_reviews`"));
    assert_eq!(extra_table["fix"]["destructive"], true);
}

#[test]
fn a_schema_change_running_in_another_session_is_a_concurrent_deployment() {
    let server = require_server!();
    let (project, db) = migrated_shop(&server, "cause_running");
    add_nickname_to_schema_and_migration(&project);
    // Another deploy runs the migration right now; it waits for the metadata
    // lock an open transaction holds, so it is still running while we look.
    let url = db.url();
    let runtime = common::runtime();
    let mut holder = runtime.block_on(async {
        use mysql_async::prelude::Queryable;
        let opts = mysql_async::Opts::from_url(&url).expect("url");
        let mut conn = mysql_async::Conn::new(opts).await.expect("connect");
        conn.query_drop("START TRANSACTION").await.expect("begin");
        conn.query_drop("SELECT COUNT(*) FROM users")
            .await
            .expect("select");
        conn
    });
    let deploy_url = url.clone();
    let deploy = std::thread::spawn(move || {
        common::runtime().block_on(async move {
            use mysql_async::prelude::Queryable;
            let opts = mysql_async::Opts::from_url(&deploy_url).expect("url");
            let mut conn = mysql_async::Conn::new(opts).await.expect("connect");
            let _ = conn
                .query_drop("ALTER TABLE `users` ADD `nickname` varchar(50)")
                .await;
            let _ = conn.disconnect().await;
        });
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (code, report) = project.validate(&db);
    runtime.block_on(async {
        use mysql_async::prelude::Queryable;
        holder.query_drop("COMMIT").await.expect("commit");
        let _ = holder.disconnect().await;
    });
    deploy.join().expect("deploy thread");
    assert_eq!(code, Some(1), "{report:#}");
    let drift = only_drift(&report);
    assert_drift(
        drift,
        "column_missing_in_db",
        "nickname",
        "concurrent_deployment",
        "high",
    );
    assert!(evidence(drift).contains("running right now"), "{drift:#}");
    assert!(fix_sql(drift).contains("ADD COLUMN `nickname` varchar(50)"));
}
