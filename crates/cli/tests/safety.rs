//! Safe by construction: validation only reads, works with a SELECT-only user,
//! never prints a password, and every failure is one clear message with exit 2.

mod common;

use std::path::Path;

use common::{TestDb, driftwatch, shop_dir, stderr, stdout};

const SCHEMA: &str = r#"import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';

export const notes = mysqlTable('notes', {
  id: int().autoincrement().primaryKey(),
  body: varchar({ length: 200 }).notNull(),
});
"#;

const NOTES_DDL: &str = "CREATE TABLE notes (id int AUTO_INCREMENT NOT NULL, body varchar(200) NOT NULL, \
                         CONSTRAINT notes_id PRIMARY KEY(id))";

fn write_project(dir: &Path, config: &str, schema: &str) {
    std::fs::write(dir.join("drizzle.config.ts"), config).expect("write config");
    std::fs::write(dir.join("schema.ts"), schema).expect("write schema");
}

const CONFIG_WITH_ENV: &str = r#"import { defineConfig } from 'drizzle-kit';
export default defineConfig({
  dialect: 'mysql',
  schema: './schema.ts',
  dbCredentials: { url: process.env.NOTES_DB_URL! },
});
"#;

/// `mysql://user:pass@host:port` → (user, password) pieces for new users.
fn with_credentials(server: &str, user: &str, password: &str) -> String {
    let host = server.rsplit('@').next().unwrap_or(server);
    format!("mysql://{user}:{password}@{host}")
}

#[test]
fn zero_config_project_needs_no_flags() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "zero_config");
    db.exec_one(NOTES_DDL);
    let dir = tempfile::tempdir().expect("tempdir");
    write_project(dir.path(), CONFIG_WITH_ENV, SCHEMA);
    let output = driftwatch(&["validate"], dir.path(), &[("NOTES_DB_URL", &db.url())]);
    common::assert_clean(&output);
}

#[test]
fn database_url_is_read_from_dot_env_like_drizzle_kit_users_expect() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "dot_env");
    db.exec_one(NOTES_DDL);
    let dir = tempfile::tempdir().expect("tempdir");
    write_project(dir.path(), CONFIG_WITH_ENV, SCHEMA);
    std::fs::write(
        dir.path().join(".env"),
        format!("NOTES_DB_URL={}\n", db.url()),
    )
    .expect("write .env");
    let output = driftwatch(&["validate"], dir.path(), &[]);
    common::assert_clean(&output);
}

#[test]
fn select_only_user_validates_successfully() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "select_only");
    db.exec_one(NOTES_DDL);
    let user = common::SelectOnlyUser::create(&server, "safety");
    let url = user.url_for(&db);
    let dir = tempfile::tempdir().expect("tempdir");
    write_project(dir.path(), CONFIG_WITH_ENV, SCHEMA);
    let output = driftwatch(&["validate"], dir.path(), &[("NOTES_DB_URL", &url)]);
    common::assert_clean(&output);
    assert!(
        !stdout(&output).contains("ro-secret-123") && !stderr(&output).contains("ro-secret-123")
    );
}

#[test]
fn validation_leaves_the_database_unchanged() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "read_only");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let snapshot = |db: &TestDb| {
        let out = driftwatch(&["inspect", "db", "--url", &db.url()], &shop_dir(), &[]);
        stdout(&out)
    };
    let before = snapshot(&db);
    let output = driftwatch(&["validate"], &shop_dir(), &[("DATABASE_URL", &db.url())]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(before, snapshot(&db));
    assert!(!before.is_empty());
}

#[test]
fn wrong_password_exits_2_and_never_prints_the_password() {
    let Some(server) = common::server_url() else {
        return;
    };
    let password = "Wr0ng-P4ssw0rd-xyz";
    let url = format!("{}/mysql", with_credentials(&server, "root", password));
    let output = driftwatch(&["validate", "--url", &url], &shop_dir(), &[]);
    assert_eq!(output.status.code(), Some(2));
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!all.contains(password), "password leaked:\n{all}");
    assert!(all.to_lowercase().contains("access denied"), "{all}");
}

#[test]
fn wrong_password_in_json_mode_never_prints_the_password() {
    let Some(server) = common::server_url() else {
        return;
    };
    let password = "An0ther-Secret-789";
    let url = format!("{}/mysql", with_credentials(&server, "root", password));
    let output = driftwatch(
        &["validate", "--format", "json", "-v", "--url", &url],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!all.contains(password), "password leaked:\n{all}");
}

#[test]
fn unknown_database_exits_2_with_its_name() {
    let Some(server) = common::server_url() else {
        return;
    };
    let url = format!("{server}/no_such_database_dw");
    let output = driftwatch(&["validate", "--url", &url], &shop_dir(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no_such_database_dw"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("driftwatch-dev-secret"));
}

#[test]
fn unreachable_host_exits_2_and_names_host_and_port() {
    let output = driftwatch(
        &[
            "validate",
            "--url",
            "mysql://root:Secret-On-Port-9@127.0.0.1:9/app",
        ],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("127.0.0.1:9"), "{err}");
    assert!(!err.contains("Secret-On-Port-9"), "{err}");
    assert!(!stdout(&output).contains("No schema drift detected"));
}

#[test]
fn missing_schema_file_exits_2_and_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let output = driftwatch(
        &[
            "validate",
            "--schema",
            "missing/schema.ts",
            "--url",
            "mysql://u:p@127.0.0.1:9/app",
        ],
        dir.path(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("missing/schema.ts"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn typescript_syntax_error_exits_2_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = "import { int, mysqlTable } from 'drizzle-orm/mysql-core';\n\nexport const t = mysqlTable('t', {\n  id: int(,\n});\n";
    std::fs::write(dir.path().join("schema.ts"), broken).expect("write");
    let output = driftwatch(
        &[
            "validate",
            "--schema",
            "schema.ts",
            "--url",
            "mysql://u:p@127.0.0.1:9/app",
        ],
        dir.path(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("schema.ts:4:"), "{err}");
    assert!(!stdout(&output).contains("No schema drift detected"));
}

#[test]
fn unreadable_construct_exits_2_and_never_says_clean() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "unreadable");
    db.exec_one(NOTES_DDL);
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = SCHEMA.replace(".notNull(),\n});", ".notNull().someFutureModifier(),\n});");
    write_project(dir.path(), CONFIG_WITH_ENV, &schema);
    let output = driftwatch(&["validate"], dir.path(), &[("NOTES_DB_URL", &db.url())]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        !stdout(&output).contains("No schema drift detected"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("schema.ts:5:"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn no_database_configured_exits_2_with_the_options() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("schema.ts"), SCHEMA).expect("write");
    let output = driftwatch(&["validate", "--schema", "schema.ts"], dir.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--url"), "{}", stderr(&output));
}
